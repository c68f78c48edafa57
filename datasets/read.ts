/**
 * Reading datasets: a streaming JSONL reader that names the file and line of anything it cannot
 * read, and the manifest loader. Used by verify, inspect and the benchmark runner.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DATASET_FORMAT_VERSION, FILES } from './format.js';
import type { Manifest } from './format.js';
import { AtoBenchError, EXIT } from '../generator/core/errors.js';

/** A dataset that cannot be read as it is: the message names the file (and line). */
export class DatasetError extends AtoBenchError {
  constructor(message: string) {
    super(message, EXIT.failure);
  }
}

/**
 * Lines of a JSONL file, parsed (and validated when a schema is given), with 1-based line
 * numbers. A last line without its newline means the file was cut short and is an error.
 */
export async function* readJsonl<T = unknown>(path: string, schema?: z.ZodType<T>): AsyncGenerator<{ value: T; line: number; raw: string }> {
  if (!existsSync(path)) throw new DatasetError(`${path}: file not found`);
  let rest = '';
  let line = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const raw = text.slice(start, nl);
      start = nl + 1;
      yield { value: parseLine(path, line, raw, schema), line, raw };
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) throw new DatasetError(`${path}:${line + 1}: truncated: the last line has no newline (was the file cut short?)`);
}

function parseLine<T>(path: string, line: number, raw: string, schema?: z.ZodType<T>): T {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    throw new DatasetError(`${path}:${line}: not valid JSON (${(e as Error).message})`);
  }
  if (!schema) return value as T;
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new DatasetError(`${path}:${line}: ${issue.path.join('.') || 'record'}: ${issue.message}`);
  }
  return r.data;
}

const count = z.number().int().min(0);
/**
 * A path inside the dataset: relative, '/'-separated, no '.' or '..' segment. Readers join these to
 * the dataset's folder (and export links them), so one that climbs out is refused here.
 */
export const DATASET_PATH = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const ManifestShape = z
  .object({
    seed: z.number().int(),
    window: z.object({ start: z.string(), end: z.string(), days: z.number().int().min(1) }).passthrough(),
    counts: z
      .object({ mailboxes: count, emails: count, mailboxDays: count, labels: z.record(z.string(), count), incidents: z.record(z.string(), count) })
      .passthrough(),
    files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: count }).passthrough()),
    formats: z.array(z.string()),
  })
  .passthrough();

/** Load and sanity-check a dataset's manifest. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, FILES.manifest);
  if (!existsSync(dir)) throw new DatasetError(`${dir}: no such dataset directory`);
  if (!existsSync(path)) throw new DatasetError(`${path}: missing (is ${dir} a dataset directory?)`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (e) {
    throw new DatasetError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || typeof m.files !== 'object' || typeof m.counts !== 'object')
    throw new DatasetError(`${path}: not an ato-bench manifest`);
  if (m.formatVersion !== DATASET_FORMAT_VERSION)
    throw new DatasetError(`${path}: dataset format ${m.formatVersion}, this ato-bench reads format ${DATASET_FORMAT_VERSION}; regenerate the dataset`);
  // The fields every reader relies on: a manifest cut or edited by hand is named here, not met
  // later as a crash.
  const shape = ManifestShape.safeParse(m);
  if (!shape.success) {
    const issue = shape.error.issues[0]!;
    throw new DatasetError(`${path}: ${issue.path.join('.') || 'manifest'}: ${issue.message} (not a manifest this ato-bench wrote; regenerate the dataset)`);
  }
  for (const file of Object.keys(m.files))
    if (!DATASET_PATH.test(file))
      throw new DatasetError(
        `${path}: files: ${JSON.stringify(file).slice(0, 80)} is not a path inside the dataset folder (not a manifest this ato-bench wrote)`,
      );
  return m;
}

/** Epoch seconds of an RFC 3339 timestamp with offset. */
export function instant(rfc3339: string): number {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) throw new DatasetError(`not an RFC 3339 time: ${rfc3339}`);
  return t / 1000;
}

/**
 * `generateDataset`: config in, dataset directory out.
 *
 * The window is simulated a slice of a few hours at a time. Each shard (a worker thread; one at
 * least) advances its mailboxes to the end of the slice and returns the slice's mail sorted by
 * (arrival, id); the coordinator merges the shards' lists and appends them to emails.jsonl and
 * labels.jsonl while the shards already compute the next slice. (arrival, id) is a total order
 * independent of how mailboxes were split, so the bytes do not depend on the number of workers.
 *
 * Everything is written under a temporary sibling directory that is renamed into place at the
 * end: an interrupted run never leaves a half-written dataset, and an existing one is replaced
 * only with --force, and only once the new one is complete (output-dir.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config.js';
import { packageRoot } from '../core/paths.js';
import { DAY, rfc3339 } from '../core/time.js';
import type { ZoneName } from '../core/time.js';
import { DATASET_FORMAT_VERSION, FILES, canonicalJson } from '../../datasets/format.js';
import type { FileEntry, Manifest, ShardManifest } from '../../datasets/format.js';
import type { IncidentTruth } from '../traffic/mailbox.js';
import { personaTruth } from '../world/persona.js';
import { planWorld } from '../scenarios/plan.js';
import type { Plan } from '../scenarios/plan.js';
import { buildWorld } from '../world/world.js';
import type { World } from '../world/world.js';
import { writeDescriptions } from '../output/descriptions.js';
import { HashedFile, hashTree, writeLines } from '../output/files.js';
import { resolveFormats } from '../output/formats.js';
import { WHOLE, inMachineShard } from './shard.js';
import type { ChunkResult, MachineShard, ShardOptions } from './shard.js';
import type { CardIncident } from '../output/card.js';
import type { OutputFormat } from '../output/formats.js';
import { AtoBenchError, EXIT } from '../core/errors.js';
import { OutputExistsError, refuseToReplace, writeDatasetDir } from '../../datasets/output-dir.js';

export { OutputExistsError };

/**
 * The simulation advances in slices of a few hours, not days: what is alive at once (the slice's
 * mail of every mailbox, in each worker and on its way to the coordinator) shrinks with the slice,
 * and the coordinator's merging overlaps the workers' next slice more finely. The bytes do not
 * depend on it: a mailbox's events fire in the same order whatever the steps (the golden test).
 */
const SLICES_PER_DAY = 6;
const SLICE = DAY / SLICES_PER_DAY;
/** Slices a worker may compute before the coordinator has written the earlier ones. */
const SLICES_AHEAD = 6;

/** An output format's id (see generator/output/formats.ts: jsonl, mbox, ...). */
export type Format = string;

export interface GenerateOptions {
  config: Config;
  out: string;
  formats?: Format[];
  workers?: number;
  force?: boolean;
  /** Generate only this machine shard (`--shard I/N`): a shard folder for `assemble`, not a dataset. */
  machine?: MachineShard;
  /** Called after each simulated day. */
  onProgress?: (p: { day: number; days: number; emails: number }) => void;
}

export interface GenerateResult {
  dir: string;
  manifest: Manifest;
}

export function configHash(config: Config): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

export function generatorVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

interface ShardHandle {
  advance(until: number): Promise<ChunkResult>;
  finish(): Promise<IncidentTruth[]>;
  close(): Promise<void>;
}

/** The compiled worker script; tests run from TypeScript sources, so they need `npm run build`. */
function workerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return new URL('./worker.js', import.meta.url);
  const built = join(packageRoot(), 'dist', 'generator', 'pipeline', 'worker.js');
  if (!existsSync(built)) throw new Error(`generation needs the compiled worker (${built}); run npm run build`);
  return new URL(`file://${built}`);
}

/**
 * A shard in a worker thread. Requests may be queued (the coordinator asks for several slices
 * ahead); the worker answers them in order, so each answer settles the oldest waiting request.
 */
async function threadShard(opts: ShardOptions): Promise<ShardHandle> {
  const worker = new Worker(workerScript(), { workerData: opts });
  const pending: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  let failure: Error | null = null;
  const fail = (e: Error): void => {
    failure = e;
    for (const p of pending.splice(0)) p.reject(e);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (code !== 0) fail(new Error(`generator worker ${opts.shard} exited with code ${code}`));
  });
  const wait = (): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      pending.push({ resolve, reject });
    });
  worker.on('message', (msg: { kind: string; chunk?: ChunkResult; incidents?: IncidentTruth[]; message?: string; stack?: string }) => {
    if (msg.kind === 'error') {
      const e = new Error(`generator worker ${opts.shard}: ${msg.message}`);
      e.stack = msg.stack;
      fail(e);
    } else pending.shift()?.resolve(msg.kind === 'chunk' ? msg.chunk : msg.kind === 'done' ? msg.incidents : undefined);
  });
  await wait(); // ready
  return {
    advance: (until) => {
      const r = wait() as Promise<ChunkResult>;
      worker.postMessage({ kind: 'advance', until });
      return r;
    },
    finish: () => {
      const r = wait() as Promise<IncidentTruth[]>;
      worker.postMessage({ kind: 'finish' });
      return r;
    },
    close: async () => {
      await worker.terminate();
    },
  };
}

/** Merge k lists, each sorted by (at, id), into one sorted list of indices. */
function mergeChunks(chunks: readonly ChunkResult[]): Array<[number, number]> {
  const heads = chunks.map(() => 0);
  const total = chunks.reduce((n, c) => n + c.at.length, 0);
  const out: Array<[number, number]> = [];
  for (let n = 0; n < total; n++) {
    let best = -1;
    for (let k = 0; k < chunks.length; k++) {
      const c = chunks[k]!;
      const i = heads[k]!;
      if (i >= c.at.length) continue;
      if (best < 0) {
        best = k;
        continue;
      }
      const b = chunks[best]!;
      const j = heads[best]!;
      if (c.at[i]! < b.at[j]! || (c.at[i] === b.at[j] && c.ids[i]! < b.ids[j]!)) best = k;
    }
    out.push([best, heads[best]!]);
    heads[best]!++;
  }
  return out;
}

/** The day's JSONL bytes of all shards in (at, id) order: one shard's are already in order. */
function mergeChunkBytes(chunks: readonly ChunkResult[]): { emails: Uint8Array; labels: Uint8Array; count: number } {
  const count = chunks.reduce((n, c) => n + c.at.length, 0);
  if (chunks.length === 1) return { emails: chunks[0]!.emails, labels: chunks[0]!.labels, count };
  const e: Uint8Array[] = [];
  const l: Uint8Array[] = [];
  for (const [k, i] of mergeChunks(chunks)) {
    const c = chunks[k]!;
    e.push(c.emails.subarray(i === 0 ? 0 : c.emailEnds[i - 1]!, c.emailEnds[i]!));
    l.push(c.labels.subarray(i === 0 ? 0 : c.labelEnds[i - 1]!, c.labelEnds[i]!));
  }
  return { emails: Buffer.concat(e), labels: Buffer.concat(l), count };
}

function incidentLine(t: IncidentTruth, zone: ZoneName): string {
  return JSON.stringify({
    id: t.id,
    mailbox: t.mailbox,
    scenario: t.scenario,
    kind: t.kind,
    onset: rfc3339(t.onset, zone),
    end: rfc3339(t.end, zone),
    ...(t.platformNoticeAt !== null ? { platformNoticeAt: rfc3339(t.platformNoticeAt, zone) } : {}),
    difficulty: t.difficulty,
    signals: t.signals,
    emailIds: t.emailIds,
    params: roundParams(t.params),
  });
}

function roundParams(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(p).sort()) {
    const v = p[k];
    out[k] = typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v;
  }
  return out;
}

/** Generate a dataset into `opts.out`. */
export async function generateDataset(opts: GenerateOptions): Promise<GenerateResult> {
  if (opts.machine && opts.machine.count > 1) throw new AtoBenchError('generateDataset writes a whole dataset; use generateShard for a machine shard');
  const { out, world, plan } = prepare(opts, FILES.manifest);
  const manifest = (await writeDatasetDir(out, { force: opts.force ?? false, purpose: 'partial' }, (tmp) => generateInto(opts, world, plan, tmp))) as Manifest;
  return { dir: out, manifest };
}

export interface ShardResult {
  dir: string;
  shard: ShardManifest;
}

/**
 * Generate machine shard `opts.machine` of a dataset into `opts.out`: the mailboxes whose index is
 * I modulo N, simulated in full from the seed (the world is the same on every machine), written
 * for `assemble`.
 */
export async function generateShard(opts: GenerateOptions & { machine: MachineShard }): Promise<ShardResult> {
  const { index, count } = opts.machine;
  if (!Number.isInteger(count) || count < 2 || !Number.isInteger(index) || index < 0 || index >= count)
    throw new AtoBenchError(`a shard is I/N with N >= 2 and 0 <= I < N (got ${index}/${count})`, EXIT.usage);
  if (count > opts.config.mailboxes)
    throw new AtoBenchError(`${count} shards of ${opts.config.mailboxes} mailboxes would leave some empty; use at most ${opts.config.mailboxes}`, EXIT.usage);
  for (const f of resolveFormats(opts.formats ?? []))
    if (f.stream && !f.always)
      throw new AtoBenchError(`format ${f.id} is written as one stream over all mailboxes and cannot be generated in shards`, EXIT.usage);
  const { out, world, plan } = prepare(opts, FILES.shardManifest);
  const shard = (await writeDatasetDir(out, { force: opts.force ?? false, purpose: 'partial', marker: FILES.shardManifest }, (tmp) =>
    generateInto(opts, world, plan, tmp),
  )) as ShardManifest;
  return { dir: out, shard };
}

function prepare(opts: GenerateOptions, marker: string): { out: string; world: World; plan: Plan } {
  const { config, workers = 1, force = false } = opts;
  const out = resolve(opts.out);
  refuseToReplace(out, force, marker);
  if (workers < 1 || !Number.isInteger(workers)) throw new AtoBenchError(`workers must be a whole number >= 1 (got ${workers})`);
  const world: World = buildWorld(config);
  // Planned here too so that a config the world cannot host fails before any output exists.
  const plan = planWorld(world);
  return { out, world, plan };
}

/** Simulate the window and write the dataset into the empty folder `tmp`; its manifest. */
async function generateInto(opts: GenerateOptions, world: World, plan: Plan, tmp: string): Promise<Manifest | ShardManifest> {
  const { config, workers = 1, machine = WHOLE } = opts;
  const formats = resolveFormats(opts.formats ?? []);
  const shardMailboxes = world.mailboxes.filter((p) => inMachineShard(p.index, machine)).length;
  mkdirSync(join(tmp, 'truth'), { recursive: true });
  const mailboxFormats = formats.flatMap((f) => (f.perMailbox && f.folder ? [{ id: f.id, folder: join(tmp, f.folder) }] : []));
  for (const f of mailboxFormats) mkdirSync(f.folder, { recursive: true });

  const shardCount = Math.min(workers, shardMailboxes);
  const shards: ShardHandle[] = [];
  try {
    for (let s = 0; s < shardCount; s++) {
      const so: ShardOptions = { config, machine, shard: s, shards: shardCount, mailboxFormats };
      // Even one shard runs in a worker thread: this thread then stays free to handle a signal at
      // once, however long a day of simulation takes, and merges and writes one day while the
      // shard computes the next (measured on the default preset: 7.1 s against 8.0 s in-process).
      shards.push(await threadShard(so));
    }
    const streamWriters = formats.flatMap((f) => (f.stream ? [f.stream(tmp)] : []));
    // A machine shard writes the JSONL (merged at assembly); derived formats are made at assembly.
    const labels = new HashedFile(join(tmp, FILES.labels));
    const labelCounts: Record<string, number> = {};
    let emailCount = 0;
    const days = config.days;
    // Later slices are computed while this one is written. Should the writing fail (a full disk),
    // those computations are abandoned: their own failure (the workers torn down) is already handled.
    const prefetch = (until: number): Promise<ChunkResult[]> => {
      const p = Promise.all(shards.map((s) => s.advance(until)));
      p.catch(() => undefined);
      return p;
    };
    const slices = days * SLICES_PER_DAY;
    // Workers run up to SLICES_AHEAD slices ahead of the writing: a worker whose mailboxes are
    // quiet in one slice goes on to the next instead of waiting for the busiest one.
    const ahead: Array<Promise<ChunkResult[]>> = [];
    let asked = 0;
    const askUpTo = (limit: number): void => {
      while (asked < Math.min(limit, slices)) ahead.push(prefetch(world.start + ++asked * SLICE));
    };
    askUpTo(SLICES_AHEAD);
    for (let n = 1; n <= slices; n++) {
      const chunks = await ahead.shift()!;
      askUpTo(n + SLICES_AHEAD);
      const slice = mergeChunkBytes(chunks);
      for (const w of streamWriters) w.write({ emails: slice.emails, count: slice.count });
      labels.write(slice.labels);
      for (const c of chunks) for (const [k, v] of Object.entries(c.labelCounts)) labelCounts[k] = (labelCounts[k] ?? 0) + v;
      emailCount += slice.count;
      if (n % SLICES_PER_DAY === 0) opts.onProgress?.({ day: n / SLICES_PER_DAY, days, emails: emailCount });
    }
    const truths = (await Promise.all(shards.map((s) => s.finish()))).flat();
    const files: Record<string, FileEntry> = {};
    for (const w of streamWriters) Object.assign(files, w.close());
    files[FILES.labels] = labels.close();
    const zoneOf = new Map(world.mailboxes.map((p) => [p.id, p.zone]));
    truths.sort((a, b) => a.onset - b.onset || (a.id < b.id ? -1 : 1));
    const incidents = truths.map((t) => ({ line: incidentLine(t, zoneOf.get(t.mailbox)!), kind: t.kind, scenario: t.scenario, difficulty: t.difficulty }));
    const body: DatasetBody = { files, emailCount, labelCounts, incidents };
    if (machine.count > 1) return writeShardManifest(tmp, { config, formats, machine, mailboxes: shardMailboxes, body });
    return await finishDataset(tmp, { config, world, plan, formats, body });
  } finally {
    await Promise.all(shards.map((s) => s.close()));
  }
}

/** What the simulation wrote, from which a dataset is finished (by generate, or by assemble from shards). */
export interface DatasetBody {
  /** emails.jsonl, truth/labels.jsonl and the stream formats' files, written and hashed. */
  files: Record<string, FileEntry>;
  emailCount: number;
  labelCounts: Record<string, number>;
  /** truth/incidents.jsonl's lines in their order (arrival of the first mail, id), with what the card counts. */
  incidents: ReadonlyArray<{ line: string } & CardIncident>;
}

/**
 * Finish the dataset in `tmp` around its body: the incidents and mailboxes of the truth, the
 * per-mailbox formats' hashes, the derived formats, the card and the manifest.
 */
export async function finishDataset(
  tmp: string,
  opts: { config: Config; world: World; plan: Plan; formats: readonly OutputFormat[]; body: DatasetBody },
): Promise<Manifest> {
  const { config, world, plan, formats, body } = opts;
  const files: Record<string, FileEntry> = { ...body.files };
  files[FILES.incidents] = writeLines(join(tmp, FILES.incidents), body.incidents, (t) => t.line);
  files[FILES.mailboxes] = writeLines(join(tmp, FILES.mailboxes), world.mailboxes, (p) => JSON.stringify(personaTruth(world.persona(p.index))));
  for (const f of formats) if (f.perMailbox && f.folder) Object.assign(files, hashTree(tmp, f.folder));
  const identity = { formatVersion: DATASET_FORMAT_VERSION, seed: config.seed, configHash: configHash(config) };
  for (const f of formats) if (f.derive) Object.assign(files, await f.derive(tmp, tmp, identity));

  const incidentCounts: Record<string, number> = {};
  for (const t of body.incidents) {
    incidentCounts[t.kind] = (incidentCounts[t.kind] ?? 0) + 1;
    incidentCounts[`scenario:${t.scenario}`] = (incidentCounts[`scenario:${t.scenario}`] ?? 0) + 1;
  }
  const manifestBase: Omit<Manifest, 'files'> = {
    formatVersion: DATASET_FORMAT_VERSION,
    generator: { name: 'ato-bench', version: generatorVersion() },
    seed: config.seed,
    configHash: identity.configHash,
    config,
    window: { start: rfc3339(world.start, 'UTC'), end: rfc3339(world.end, 'UTC'), days: config.days },
    counts: {
      mailboxes: config.mailboxes,
      emails: body.emailCount,
      labels: sortKeys(body.labelCounts),
      incidents: sortKeys(incidentCounts),
      mailboxDays: config.mailboxes * config.days,
    },
    formats: formats.map((f) => f.id),
  };
  Object.assign(files, writeDescriptions(tmp, { world, scenarios: plan.scenarios, manifest: manifestBase, files, truths: body.incidents }));
  const manifest: Manifest = { ...manifestBase, files: sortKeys(files) };
  writeFileSync(join(tmp, FILES.manifest), canonicalJson(manifest, 2) + '\n');
  return manifest;
}

/** A machine shard's folder is its body, its own incidents, its per-mailbox files and shard.json: assemble finishes it. */
function writeShardManifest(
  tmp: string,
  opts: { config: Config; formats: readonly OutputFormat[]; machine: MachineShard; mailboxes: number; body: DatasetBody },
): ShardManifest {
  const { config, formats, machine, body } = opts;
  const files: Record<string, FileEntry> = { ...body.files };
  files[FILES.incidents] = writeLines(join(tmp, FILES.incidents), body.incidents, (t) => t.line);
  for (const f of formats) if (f.perMailbox && f.folder) Object.assign(files, hashTree(tmp, f.folder));
  const manifest: ShardManifest = {
    kind: 'ato-bench-shard',
    formatVersion: DATASET_FORMAT_VERSION,
    generator: { name: 'ato-bench', version: generatorVersion() },
    seed: config.seed,
    configHash: configHash(config),
    config,
    shard: machine,
    formats: formats.map((f) => f.id),
    counts: { mailboxes: opts.mailboxes, emails: body.emailCount, labels: sortKeys(body.labelCounts), incidents: body.incidents.length },
    files: sortKeys(files),
  };
  writeFileSync(join(tmp, FILES.shardManifest), canonicalJson(manifest, 2) + '\n');
  return manifest;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

/**
 * The registry of output formats (`generate --formats`). A format is one file (its writers, see
 * format-types.ts) and one line here; the registry refuses a second format of the same id.
 */
import type { OutputFormat } from './format-types.js';
import { JSONL } from './jsonl.js';
import { MBOX } from './mbox.js';
import { PARQUET } from './parquet.js';

export type { OutputFormat } from './format-types.js';

const registry = new Map<string, OutputFormat>();

export function registerFormat(f: OutputFormat): void {
  if (registry.has(f.id)) throw new Error(`output format "${f.id}" is already registered`);
  registry.set(f.id, f);
}

for (const f of [JSONL, MBOX, PARQUET]) registerFormat(f);

export function formatById(id: string): OutputFormat | undefined {
  return registry.get(id);
}

/** Every format id, sorted. */
export function formatIds(): string[] {
  return [...registry.keys()].sort();
}

/**
 * The formats a run writes: those asked for (unknown ids refused, naming the known ones) and those
 * always written, each once, sorted.
 */
export function resolveFormats(ids: readonly string[]): OutputFormat[] {
  for (const id of ids) if (!registry.has(id)) throw new Error(`unknown format "${id}"; formats are ${formatIds().join(', ')}`);
  const wanted = new Set([...ids, ...[...registry.values()].filter((f) => f.always).map((f) => f.id)]);
  return [...wanted].sort().map((id) => registry.get(id)!);
}

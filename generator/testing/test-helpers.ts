/** Helpers shared by the dataset-level tests (not part of the build). */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { packageRoot } from '../core/paths.js';

export const ROOT = packageRoot();
export const CLI = join(ROOT, 'dist', 'scripts', 'cli.js');

export function tempDir(prefix = 'ato-bench-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every file under dir (relative path, sorted) with its sha256. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Run the compiled CLI (npm test builds it first). */
export function cli(args: string[], opts: { timeout?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: opts.timeout ?? 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Read a JSONL file into objects. */
export function jsonl<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

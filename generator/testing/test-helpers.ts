/** Helpers shared by the dataset-level tests (not part of the build). */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll } from 'vitest';
import { packageRoot } from '../core/paths.js';

export const ROOT = packageRoot();
export const CLI = join(ROOT, 'dist', 'scripts', 'cli.js');

const made = new Set<string>();

// This module is evaluated once per test file (vitest isolates them), so the hook runs after each
// file's tests: runs do not pile datasets up in the temp folder. ATO_BENCH_KEEP_TMP=1 keeps them.
afterAll(() => {
  if (process.env.ATO_BENCH_KEEP_TMP) return;
  for (const d of made) rmSync(d, { recursive: true, force: true });
  made.clear();
});

/** A fresh temporary folder, removed after the test file's tests. */
export function tempDir(prefix = 'ato-bench-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
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
export function cli(args: string[], opts: { timeout?: number; env?: NodeJS.ProcessEnv } = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: opts.timeout ?? 120_000, ...(opts.env ? { env: opts.env } : {}) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Read a JSONL file into objects. */
export function jsonl<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}

/**
 * A generated file kept in the repository (a JSON Schema in docs/): what it holds, and what the
 * code generates now, as plain JSON to compare. With UPDATE_SCHEMA=1 it is rewritten first,
 * formatted as prettier would, so that `prettier --check .` passes.
 */
export async function committedJson(path: string, generated: unknown): Promise<{ have: unknown; want: unknown }> {
  if (process.env.UPDATE_SCHEMA === '1') {
    const { format, resolveConfig } = await import('prettier');
    const options = (await resolveConfig(path)) ?? {};
    writeFileSync(path, await format(JSON.stringify(generated, null, 2) + '\n', { ...options, filepath: path }));
  }
  return { have: existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : null, want: JSON.parse(JSON.stringify(generated)) as unknown };
}

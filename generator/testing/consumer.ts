/**
 * ato-bench as another team adopts it, for the tests that say so: the packed tarball (npm pack)
 * installed with npm alone into a fresh project (not part of the build).
 */
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, tempDir } from './test-helpers.js';

/** A command in a folder, its output as text; four minutes at most (an npm install on a busy machine). */
export function run(cmd: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 240_000, ...(env ? { env } : {}) });
}

/** `npm pack` of this clone (its prepare script builds it) into a temporary folder: the tarball's path. */
export function packTarball(): string {
  const packs = tempDir();
  const pack = run('npm', ['pack', '--silent', '--pack-destination', packs], ROOT);
  expect(pack.status, pack.stderr).toBe(0);
  return join(
    packs,
    readdirSync(packs).find((f) => f.endsWith('.tgz'))!,
  );
}

/**
 * A fresh project (an ES module package) that installed the tarball: its folder. With `ci`, as a
 * CI job installs a committed lock: the lock written first (--package-lock-only), then `npm ci`.
 */
export function installedProject(tarball: string, opts: { ci?: boolean } = {}): string {
  const project = tempDir();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const steps = opts.ci
    ? [
        ['install', '--package-lock-only', '--no-audit', '--no-fund', tarball],
        ['ci', '--no-audit', '--no-fund'],
      ]
    : [['install', '--no-audit', '--no-fund', tarball]];
  for (const args of steps) {
    const r = run('npm', args, project);
    expect(r.status, r.stderr).toBe(0);
  }
  return project;
}

/**
 * Real engines for the tests that need them (Chromium, SpamAssassin): Debian packages, installed
 * with apt-get when missing. A test that needs one fails loudly when it cannot be had, rather
 * than skipping: a check that silently does not run proves nothing.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Run a command to completion (stdin from `input` when given), never throwing. */
export function run(cmd: string, args: string[], timeoutMs: number, opts: { env?: NodeJS.ProcessEnv; input?: string | Buffer } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, env: opts.env ?? process.env },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ...(error && code === null ? { error } : {}) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Make sure `path` exists, installing Debian package `pkg` when it does not; throws with the reason when it cannot. */
export async function ensureDebianPackage(path: string, pkg: string, why: string): Promise<void> {
  if (existsSync(path)) return;
  const probe = await run('apt-get', ['--version'], 30_000);
  if (probe.code !== 0)
    throw new Error(
      `${why} needs ${path} (Debian package ${pkg}), which is missing, and apt-get is unavailable to install it (${probe.error?.message ?? probe.stderr.trim()}).`,
    );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', pkg], 540_000, { env });
  let r = await install();
  if (r.code !== 0) {
    await run('apt-get', ['update'], 240_000, { env });
    r = await install();
  }
  if (r.code !== 0 || !existsSync(path)) throw new Error(`apt-get install ${pkg} failed (exit ${r.code}): ${(r.error?.message ?? '') + r.stderr.slice(-3000)}`);
}

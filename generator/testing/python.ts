/**
 * A Python virtual environment with pinned packages, for the tests that check a dataset with
 * the tools its users have (Hugging Face `datasets`, rdflib). Made once per requirements file in
 * the user's cache folder (ATO_BENCH_PYTHON_CACHE, else $XDG_CACHE_HOME or ~/.cache, then
 * ato-bench/python), built in a temporary sibling and renamed when complete, so an interrupted
 * install is never taken for a finished one. Fails loudly when it cannot be had.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run } from './debian.js';

/** The venv's python for `requirements`, installing it first when missing. */
export async function pythonVenv(requirements: string): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  const base = process.env.ATO_BENCH_PYTHON_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ato-bench', 'python');
  const dir = join(base, `venv-${hash}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return python;
  mkdirSync(base, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const venv = await run('python3', ['-m', 'venv', tmp], 180_000);
  if (venv.code !== 0)
    throw new Error(
      `python3 -m venv failed (exit ${venv.code}): ${(venv.error?.message ?? '') + venv.stderr.slice(-1000)} (Debian: apt-get install python3-venv, as .ci/run does)`,
    );
  // --retries 0: where the public index is unreachable and a local one serves, pip gives up on
  // the public one at once instead of backing off for minutes.
  const pip = await run(
    join(tmp, 'bin', 'python'),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '0', '-q', '-r', requirements],
    1_200_000,
  );
  if (pip.code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`pip install -r ${requirements} failed (exit ${pip.code}): ${(pip.error?.message ?? '') + pip.stderr.slice(-2000)}`);
  }
  writeFileSync(join(tmp, '.complete'), '');
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run finished first
    if (!existsSync(join(dir, '.complete'))) throw new Error(`could not move the venv into ${dir}`);
  }
  return python;
}

/**
 * Writing a dataset folder without ever leaving half of one: a lock beside it (a second run to the
 * same folder stops at once), everything written into a temporary sibling, swapped into place only
 * once complete, and removed if the process is interrupted. `generate`, `assemble` and `export`
 * write this way. It lives outside generator/ because a lock's freshness needs the wall clock,
 * which nothing in the generator may read.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { FILES } from './format.js';
import { AtoBenchError } from '../generator/core/errors.js';

/** The output directory exists and --force was not given. */
export class OutputExistsError extends AtoBenchError {}

/** Temporary directories and locks of runs in progress, removed if the process is interrupted. */
const inProgress = new Set<string>();

function onInterrupt(signal: NodeJS.Signals): void {
  for (const path of inProgress) rmSync(path, { recursive: true, force: true });
  process.stderr.write(`\ninterrupted: removed the partial output; nothing was written\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** While a run is in progress (and only then), an interrupt removes its partial output. */
function guardInterrupts(on: boolean): void {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) on ? process.on(sig, onInterrupt) : process.removeListener(sig, onInterrupt);
}

/**
 * What may be replaced with --force: a folder holding an ato-bench dataset (its manifest), and
 * nothing else — not a file, not a source tree given as --out by mistake.
 */
export function refuseToReplace(out: string, force: boolean, marker: string = FILES.manifest): void {
  if (!existsSync(out)) return;
  if (!force) throw new OutputExistsError(`output directory already exists: ${out} (use --force to replace it)`);
  if (!statSync(out).isDirectory()) throw new OutputExistsError(`--force replaces only a dataset folder; ${out} is not a folder`);
  if (!existsSync(join(out, marker)))
    throw new OutputExistsError(`--force replaces only a dataset folder (one with a ${marker}); ${out} has none, so it is left alone`);
}

/**
 * A lock of another machine (a shared volume: the tasks of a job array) is live while its owner
 * refreshes it; one left untouched this long was left by a run that died (a killed pod, a node
 * lost), and a retry takes it over.
 */
const FOREIGN_LOCK_STALE_MS = 120_000;
const LOCK_REFRESH_MS = 20_000;

/** Locks this process holds, refreshed while it works (see keepLocksFresh). */
const held = new Map<string, number>();

/**
 * Refresh the locks this process holds, at most every LOCK_REFRESH_MS. A timer does it while the
 * event loop turns; a long synchronous loop (assemble's merge) calls this itself.
 */
export function keepLocksFresh(): void {
  const now = Date.now();
  for (const [lock, last] of held)
    if (now - last >= LOCK_REFRESH_MS) {
      try {
        utimesSync(lock, now / 1000, now / 1000);
      } catch {
        // Gone (an interrupt is cleaning up): nothing to refresh.
      }
      held.set(lock, now);
    }
}

/**
 * A lock beside the output, so that a second run to the same --out stops at once instead of racing
 * the first. It names the owner's pid and host: on the same host a dead pid frees it; from another
 * host, a lock not refreshed for FOREIGN_LOCK_STALE_MS does.
 */
function takeLock(out: string): string {
  const lock = join(dirname(out), `.${basename(out)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n${hostname()}\n`, { flag: 'wx' });
      held.set(lock, Date.now());
      return lock;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const [pidText = '', hostText = ''] = readFileSync(lock, 'utf8').split('\n');
      const pid = Number(pidText.trim());
      const host = hostText.trim() || hostname(); // a lock naming no host is of this one
      if (host === hostname()) {
        if (Number.isInteger(pid) && pid > 0 && pidAlive(pid))
          throw new OutputExistsError(`another run (pid ${pid}) is writing ${out}; wait for it, or give another --out`);
      } else {
        const age = Date.now() - statSync(lock).mtimeMs;
        if (age < FOREIGN_LOCK_STALE_MS)
          throw new OutputExistsError(
            `a run on ${host.replace(/[^\x20-\x7e]/g, '?').slice(0, 64)} (pid ${pid}) is writing ${out} (its lock ${lock} was refreshed ${Math.round(age / 1000)} s ago); wait for it, or give another --out`,
          );
      }
      rmSync(lock, { force: true }); // left by a run that died: take it over
    }
  }
  throw new OutputExistsError(`cannot take the lock ${lock}`);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Write the dataset folder `out` through `write(tmp)`, which fills an empty temporary sibling.
 * An existing `out` is replaced only with `force` (and only a folder holding `marker`, a dataset's
 * manifest by default), checked before and
 * again once the new one is complete, with `beforeSwap` for any check of the caller's own; the old
 * folder goes only after the new one is in place.
 */
export async function writeDatasetDir<T>(
  out: string,
  opts: { force: boolean; purpose: string; beforeSwap?: () => void; marker?: string },
  write: (tmp: string) => Promise<T>,
): Promise<T> {
  refuseToReplace(out, opts.force, opts.marker);
  mkdirSync(dirname(out), { recursive: true });
  const lock = takeLock(out);
  inProgress.add(lock);
  const tmp = join(dirname(out), `.${basename(out)}.${opts.purpose}-${process.pid}`);
  inProgress.add(tmp);
  guardInterrupts(true);
  const refresh = setInterval(keepLocksFresh, LOCK_REFRESH_MS).unref();
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
    const result = await write(tmp);
    // Checked again now: something may have appeared at (or changed in) `out` during the run.
    refuseToReplace(out, opts.force, opts.marker);
    opts.beforeSwap?.();
    if (existsSync(out)) {
      const old = join(dirname(out), `.${basename(out)}.old-${process.pid}`);
      renameSync(out, old);
      renameSync(tmp, out);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, out);
    return result;
  } finally {
    clearInterval(refresh);
    held.delete(lock);
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { force: true });
    inProgress.delete(lock);
    inProgress.delete(tmp);
    guardInterrupts(false);
  }
}

/**
 * A detector's session in a worker thread of its own, pinned with its detector process to one
 * CPU. The exchange is strictly one email at a time, so nearly all of its time is the two
 * processes waking each other up; on one CPU that is a context switch, across two it is an
 * inter-processor interrupt, which on a virtual machine costs several times more (measured: the
 * null detector at 15,000 emails/s across CPUs, 39,000 on one). Each detector thus gets one CPU,
 * and detectors on other CPUs run beside it without slowing it down.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { packageRoot } from '../generator/core/paths.js';
import { runSession } from './session.js';
import type { SessionOptions, SessionOutcome } from './session.js';

type WorkerInput = Omit<SessionOptions, 'track'> & { cpu: number | null };
type WorkerMessage = { kind: 'pid'; pid: number; alive: boolean } | { kind: 'done'; outcome: SessionOutcome } | { kind: 'crash'; message: string };

/** The CPUs this process may run on (Linux), else null. */
export function allowedCpus(): number[] | null {
  try {
    const list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (!list) return null;
    const cpus: number[] = [];
    for (const part of list.split(',')) {
      const [a, b] = part.split('-').map(Number) as [number, number | undefined];
      for (let c = a; c <= (b ?? a); c++) cpus.push(c);
    }
    return cpus.length ? cpus : null;
  } catch {
    return null;
  }
}

/** Run a session in a worker pinned to `cpu` (null: not pinned); `track` hears of the detector's process id. */
export function runSessionInWorker(
  opts: Omit<SessionOptions, 'track'>,
  cpu: number | null,
  track: (pid: number, alive: boolean) => void,
): Promise<SessionOutcome> {
  const input: WorkerInput = { ...opts, cpu };
  return new Promise((resolve, reject) => {
    // The compiled module, also when this one runs from its source (tests): workers load JavaScript.
    const worker = new Worker(join(packageRoot(), 'dist', 'bench', 'session-worker.js'), { workerData: input });
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'pid') track(m.pid, m.alive);
      else if (m.kind === 'done') {
        settled = true;
        resolve(m.outcome);
      } else {
        settled = true;
        reject(new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the session worker exited with code ${code}`));
    });
  });
}

if (!isMainThread && parentPort) {
  const input = workerData as WorkerInput;
  const port = parentPort;
  if (input.cpu !== null) {
    // This thread's id, then its affinity (taskset -p acts on the one thread it is given).
    const tid = readlinkSync('/proc/thread-self').split('/').pop()!;
    spawnSync('taskset', ['-p', '-c', String(input.cpu), tid], { stdio: 'ignore' });
  }
  runSession({
    ...input,
    track: (child, alive) => port.postMessage({ kind: 'pid', pid: child.pid!, alive } satisfies WorkerMessage),
  }).then(
    (outcome) => port.postMessage({ kind: 'done', outcome } satisfies WorkerMessage),
    (e: Error) => port.postMessage({ kind: 'crash', message: e.stack ?? e.message } satisfies WorkerMessage),
  );
}

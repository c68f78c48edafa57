/**
 * The runner: streams a dataset's emails to detectors, never its truth.
 *
 * It reads emails.jsonl itself first (the read+parse floor, and the harness's summary of the
 * stream: its mailboxes, bench/stream-summary.ts), then runs each contender as its own process in
 * a sandbox (bench/sandbox.ts), speaking the detector protocol with it (bench/session.ts): one
 * email at a time, each answered before the next. A detector that fails, cheats or exceeds a
 * limit ends in its own row; the others go on. Stopping the harness (SIGINT, SIGTERM, SIGHUP)
 * ends every detector process first.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { FILES } from '../datasets/format.js';
import type { FileEntry, Manifest } from '../datasets/format.js';
import { DatasetError, readJsonl, readManifest } from '../datasets/read.js';
import { lineBuffers } from '../datasets/lines.js';
import { resolveContenders } from './contenders.js';
import type { Contender, DetectorSpec } from './contenders.js';
import { DEFAULT_LIMITS, HARNESS_LIMITS } from './protocol.js';
import type { Limits } from './protocol.js';
import { bubblewrap, canLimitMemory, launch } from './sandbox.js';
import type { Isolation, IsolationChoice } from './sandbox.js';
import { StreamSummaryBuilder, emailHead } from './stream-summary.js';
import type { SessionOutcome, StreamSummary } from './types.js';
import { allowedCpus, runSessionInWorker } from './session-worker.js';
import { AtoBenchError } from '../generator/core/errors.js';

export { parseDetectorSpec, specLabel, DetectorSetupError } from './contenders.js';
export type { DetectorSpec } from './contenders.js';
export type { StreamSummary } from './types.js';

/** A contender's identity and how its session went. */
export interface DetectorRun extends SessionOutcome {
  spec: DetectorSpec;
  label: string;
  id: string;
  version: string;
  description: string;
  kind: string;
  upperBound: boolean;
  /** How it was kept apart: an OS sandbox, Node's permission model alone, or nothing. */
  isolation: Isolation;
}

export interface RunResult {
  manifest: Manifest;
  floor: { emails: number; seconds: number };
  stream: StreamSummary;
  runs: DetectorRun[];
}

export interface RunOptions {
  dataDir: string;
  detectors: DetectorSpec[];
  seed?: number;
  /** Wall-clock limit per detector, seconds. */
  timeLimitSeconds?: number;
  /** Seconds a detector has from its start to its `ready`. */
  readyTimeoutSeconds?: number;
  /** Memory limit per detector process, MiB. */
  memoryLimitMb?: number;
  /** Alerts one detector may raise in a run. */
  maxAlerts?: number;
  isolation?: IsolationChoice;
  /** Detectors run at once (default: the number of cores). */
  jobs?: number;
  onEvent?: (message: string) => void;
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/** Why a file does not match its manifest entry: its size, and where it first cannot be read. */
function mismatch(path: string, size: number, want: FileEntry, where: string): DatasetError {
  return new DatasetError(
    `${path} does not match the dataset's manifest (${size} bytes, manifest says ${want.bytes})${where ? ` (${where})` : ''}; regenerate or re-download the dataset`,
  );
}

/**
 * Refuse a dataset whose files are missing or do not match its manifest; when one is damaged,
 * name its first line that cannot be read, so the user knows what and where. emails.jsonl is
 * only looked for here: indexStream hashes it while it reads it, rather than reading it twice.
 */
export async function checkDataset(dir: string): Promise<Manifest> {
  const manifest = readManifest(dir);
  for (const f of [FILES.emails, FILES.incidents, FILES.labels, FILES.mailboxes]) {
    const path = join(dir, f);
    const want = manifest.files[f];
    if (!want) throw new DatasetError(`${join(dir, FILES.manifest)}: does not list ${f}`);
    if (!existsSync(path)) {
      let link = false;
      try {
        link = lstatSync(path).isSymbolicLink();
      } catch {
        /* absent */
      }
      throw new DatasetError(`${path}: ${link ? 'a link that leads nowhere (or loops)' : 'missing'}`);
    }
    if (f === FILES.emails) continue;
    const size = statSync(path).size;
    if (size === want.bytes && (await sha256(path)) === want.sha256) continue;
    let where = '';
    try {
      for await (const _ of readJsonl(path));
    } catch (e) {
      where = (e as Error).message;
    }
    throw mismatch(path, size, want, where);
  }
  return manifest;
}

const EMAIL_ID = /^[0-9a-f]{16}$/;

/**
 * Read and parse every email once: the read+parse floor of all speeds, and the harness's summary
 * of the stream (its mailboxes: where each first appears, how many emails each received), from
 * which alerts are checked. The bytes are hashed as they are read (that time is not the floor's)
 * and must be the manifest's (`want`), checked before any detector sees them. Each line must
 * begin with the id, mailbox and arrival it holds (bench/stream-summary.ts reads them so later).
 */
export function indexStream(emailsPath: string, want: FileEntry): { stream: StreamSummary; seconds: number } {
  const t0 = process.hrtime.bigint();
  const hash = createHash('sha256');
  let size = 0;
  // The floor is reading and parsing: the time spent hashing is kept apart and left out of it.
  let hashing = 0n;
  const summary = new StreamSummaryBuilder(emailsPath);
  let line = 0;
  let bad = '';
  for (const bytes of lineBuffers(emailsPath, {
    onRead: (chunk) => {
      const h0 = process.hrtime.bigint();
      hash.update(chunk);
      hashing += process.hrtime.bigint() - h0;
      size += chunk.length;
    },
  })) {
    line++;
    if (bad) continue; // read on to the end: the hash tells a damaged file from a forged one
    let e: { id?: unknown; mailbox?: unknown; receivedAt?: unknown };
    try {
      e = JSON.parse(bytes.toString('utf8')) as typeof e;
    } catch (err) {
      bad = `${emailsPath}:${line}: not valid JSON (${(err as Error).message})`;
      continue;
    }
    if (typeof e.id !== 'string' || typeof e.mailbox !== 'string' || typeof e.receivedAt !== 'string') {
      bad = `${emailsPath}:${line}: not an email record (id, mailbox, receivedAt)`;
      continue;
    }
    if (!EMAIL_ID.test(e.id)) {
      bad = `${emailsPath}:${line}: id ${JSON.stringify(e.id.slice(0, 40))} is not 16 lower-case hex digits`;
      continue;
    }
    if (Number.isNaN(Date.parse(e.receivedAt))) {
      bad = `${emailsPath}:${line}: receivedAt ${JSON.stringify(e.receivedAt.slice(0, 40))} is not a time`;
      continue;
    }
    // A later pass reads these three from the line's start: a key given twice (JSON keeps the
    // last) must not show it other values than the parse did.
    const head = emailHead(bytes);
    if (head && (head.id !== e.id || head.mailbox !== e.mailbox || head.receivedAt !== e.receivedAt)) {
      bad = `${emailsPath}:${line}: gives its id, mailbox or receivedAt twice`;
      continue;
    }
    summary.add(e.mailbox);
  }
  if (size !== want.bytes || hash.digest('hex') !== want.sha256) throw mismatch(emailsPath, size, want, bad);
  if (bad) throw new DatasetError(bad);
  return { stream: summary.finish(), seconds: Number(process.hrtime.bigint() - t0 - hashing) / 1e9 };
}

// Every detector process alive (each leads its own process group), so that a signal to the
// harness ends them all first.
const alive = new Set<number>();

function killAll(): void {
  for (const pid of alive) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  // Alone in handling it: let it do what it would have done without us (end the process).
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

/** While detectors run, a signal that stops the harness ends them first. */
function guardSignals(on: boolean): void {
  for (const s of SIGNALS) on ? process.on(s, onSignal) : process.removeListener(s, onSignal);
  on ? process.on('exit', killAll) : process.removeListener('exit', killAll);
}

/** Run `f` over items, `jobs` at a time; each lane (0..jobs-1) takes the next item when free. */
async function pool<T, R>(items: readonly T[], jobs: number, f: (item: T, lane: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async (_, lane) => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!, lane);
  });
  await Promise.all(workers);
  return out;
}

export async function runDetectors(opts: RunOptions): Promise<RunResult> {
  const dir = resolve(opts.dataDir);
  const say = opts.onEvent ?? (() => {});
  // Contenders first: a wrong detector or parameter is refused before the dataset is even hashed.
  const manifest = readManifest(dir);
  const seed = opts.seed ?? manifest.seed;
  const memoryLimitMb = opts.memoryLimitMb ?? HARNESS_LIMITS.memoryLimitMb;
  const isolation = opts.isolation ?? 'auto';
  const contenders = resolveContenders(opts.detectors, { dataDir: dir, seed, isolation, memoryLimitMb });
  await checkDataset(dir);
  if (contenders.length && isolation !== 'permission-model') {
    const bw = bubblewrap();
    if (!bw.path) {
      if (isolation === 'bubblewrap') throw new SandboxUnavailableError(`--isolation bubblewrap: ${bw.why}`);
      say(`WARNING: no OS sandbox (${bw.why}); JavaScript detectors run under Node's permission model alone, others unconfined`);
    }
  }
  if (contenders.length && !canLimitMemory()) say('WARNING: prlimit (util-linux) not found: no memory limit');

  const emailsPath = join(dir, FILES.emails);
  say('reading the stream (read+parse floor)');
  const { stream, seconds } = indexStream(emailsPath, manifest.files[FILES.emails]!);
  const limits: Limits = { ...DEFAULT_LIMITS, ...(opts.maxAlerts !== undefined ? { alertsPerRun: opts.maxAlerts } : {}) };
  const timeLimitSeconds = opts.timeLimitSeconds ?? HARNESS_LIMITS.timeLimitSeconds;
  const readyTimeoutSeconds = opts.readyTimeoutSeconds ?? HARNESS_LIMITS.readyTimeoutSeconds;

  // Each lane of the pool has a CPU of its own, shared by a detector and the thread feeding it.
  const cpus = allowedCpus();
  const runOne = async (c: Contender, lane: number): Promise<DetectorRun> => {
    say(`running ${c.label}`);
    const l = launch(c.plan, { isolation, memoryLimitMb });
    const o = await runSessionInWorker(
      { launch: l, emailsPath, stream, params: c.params, seed, limits, timeLimitSeconds, readyTimeoutSeconds, memoryLimitMb },
      cpus ? cpus[lane % cpus.length]! : null,
      (pid, isAlive) => (isAlive ? alive.add(pid) : alive.delete(pid)),
    );
    const { spec, label, id, version, description, kind, upperBound } = c;
    return { spec, label, id, version, description, kind, upperBound, isolation: l.isolation, ...o };
  };
  guardSignals(true);
  let runs: DetectorRun[];
  try {
    runs = await pool(contenders, opts.jobs ?? Math.max(1, availableParallelism()), runOne);
  } finally {
    guardSignals(false);
  }
  return { manifest, floor: { emails: stream.count, seconds }, stream, runs };
}

/** `--isolation bubblewrap` where bubblewrap cannot run. */
export class SandboxUnavailableError extends AtoBenchError {}

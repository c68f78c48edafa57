/**
 * The runner: streams a dataset's emails to detectors, never its truth.
 *
 * Each detector runs in its own child process under Node's permission model
 * (`--experimental-permission`): it may read its code, the project's dist/ and node_modules/,
 * and emails.jsonl — not truth/. One that throws is reported with its message and the others go
 * on; one that exceeds the time limit is killed and reported; malformed alerts are rejected
 * with a message. A 'floor' child reads and parses the same file without a detector: the raw
 * read+parse floor, and the index of the stream the scorer needs.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FILES } from '../datasets/format.js';
import type { Manifest } from '../datasets/format.js';
import { DatasetError, readJsonl, readManifest } from '../datasets/read.js';
import { packageRoot } from '../generator/core/paths.js';
import { externalSpecifier, requireDetector } from '../detectors/registry.js';
import type { Detector } from '../detectors/types.js';
import type { ChildJob, ChildMessage } from './child.js';
import type { StampedAlert } from './types.js';

/** A detector to run: a built-in by id, or an external module, with its parameters. */
export type DetectorSpec = { builtin: string; params: Record<string, string> } | { external: string; params: Record<string, string> };

export interface DetectorRun {
  spec: DetectorSpec;
  /** The detector's own id (for external ones, read from the module). */
  id: string;
  version: string;
  description: string;
  kind: string;
  readsTruth: boolean;
  status: 'ok' | 'error' | 'timeout';
  error?: string;
  alerts: StampedAlert[];
  rejected: { count: number; examples: string[] };
  emails: number;
  /** Seconds spent inside the detector's onEmail. */
  detectSeconds: number;
  /** Seconds of the whole replay (read, parse, detect). */
  totalSeconds: number;
  maxRssMb: number;
}

export interface StreamData {
  ids: string[];
  mailboxes: string[];
  times: number[];
}

export interface RunResult {
  manifest: Manifest;
  floor: { emails: number; seconds: number; maxRssMb: number };
  stream: StreamData;
  runs: DetectorRun[];
}

export interface RunOptions {
  dataDir: string;
  detectors: DetectorSpec[];
  seed?: number;
  /** Wall-clock limit per detector, seconds. */
  timeLimitSeconds?: number;
  /** Detectors run at once (default: the number of cores). */
  jobs?: number;
  onEvent?: (message: string) => void;
}

/** Parse `id` or `id:key=value:key=value` (a built-in) into a spec. */
export function parseDetectorSpec(text: string): DetectorSpec {
  const [id, ...pairs] = text.split(':');
  const params: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`detector parameter "${p}" of "${text}" is not key=value`);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  requireDetector(id!);
  return { builtin: id!, params };
}

export function specLabel(spec: DetectorSpec): string {
  const name = 'builtin' in spec ? spec.builtin : spec.external;
  const params = Object.entries(spec.params).map(([k, v]) => `:${k}=${v}`);
  return name + params.join('');
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Refuse a dataset whose emails or truth do not match its manifest. When emails.jsonl is
 * damaged, name the first line that cannot be read, so the user knows what and where.
 */
export async function checkDataset(dir: string): Promise<Manifest> {
  const manifest = readManifest(dir);
  for (const f of [FILES.emails, FILES.incidents, FILES.labels, FILES.mailboxes]) {
    const path = join(dir, f);
    const want = manifest.files[f];
    if (!want) throw new DatasetError(`${join(dir, FILES.manifest)}: does not list ${f}`);
    if (!existsSync(path)) throw new DatasetError(`${path}: missing`);
    const size = statSync(path).size;
    if (size === want.bytes && (await sha256(path)) === want.sha256) continue;
    let where = '';
    try {
      for await (const _ of readJsonl(path));
    } catch (e) {
      where = ` (${(e as Error).message})`;
    }
    throw new DatasetError(
      `${path} does not match the dataset's manifest (${size} bytes, manifest says ${want.bytes})${where}; regenerate or re-download the dataset`,
    );
  }
  return manifest;
}

function childScript(): string {
  const built = join(packageRoot(), 'dist', 'bench', 'child.js');
  if (!existsSync(built)) throw new Error(`the runner needs the compiled child (${built}); run npm run build`);
  return built;
}

/**
 * Paths a detector's process may read: its code, our compiled code and dependencies, the emails.
 * Node 20 grants a folder's contents with a trailing `*`.
 */
function readablePaths(job: ChildJob): string[] {
  const root = packageRoot();
  const paths = [join(root, 'dist', '*'), join(root, 'node_modules', '*'), join(root, 'package.json'), resolve(job.emailsPath)];
  if (job.detector && 'external' in job.detector) {
    const spec = externalSpecifier(job.detector.external);
    if (spec.startsWith('file:')) {
      const file = new URL(spec).pathname;
      // The detector's folder and the package.json files Node looks up to decide its module type.
      paths.push(join(dirname(file), '*'));
      for (let d = dirname(file); ; d = dirname(d)) {
        paths.push(join(d, 'package.json'));
        if (dirname(d) === d) break;
      }
    }
  }
  if (job.truthDir) paths.push(join(resolve(job.truthDir), '*'));
  // Node 20 aborts (an assertion in its permission tree) when a path is given twice.
  return [...new Set(paths)];
}

interface ChildOutcome {
  ready?: Extract<ChildMessage, { kind: 'ready' }>;
  alerts: StampedAlert[];
  rejected: { count: number; examples: string[] };
  index?: StreamData;
  done?: Extract<ChildMessage, { kind: 'done' }>;
  error?: Extract<ChildMessage, { kind: 'error' }>;
  timedOut: boolean;
  exitCode: number | null;
  stderr: string;
}

function runChild(job: ChildJob, timeLimitSeconds: number): Promise<ChildOutcome> {
  return new Promise((resolvePromise) => {
    const child = fork(childScript(), [], {
      execArgv: ['--experimental-permission', ...readablePaths(job).map((p) => `--allow-fs-read=${p}`), '--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const out: ChildOutcome = { alerts: [], rejected: { count: 0, examples: [] }, timedOut: false, exitCode: null, stderr: '' };
    child.stderr?.on('data', (d: Buffer) => {
      if (out.stderr.length < 4000) out.stderr += d.toString('utf8');
    });
    const timer = setTimeout(() => {
      out.timedOut = true;
      child.kill('SIGKILL');
    }, timeLimitSeconds * 1000);
    child.on('message', (m: ChildMessage) => {
      switch (m.kind) {
        case 'ready':
          out.ready = m;
          break;
        case 'alerts':
          for (const a of m.alerts) out.alerts.push(a);
          break;
        case 'rejected':
          out.rejected = { count: m.count, examples: m.examples };
          break;
        case 'index':
          out.index = { ids: m.ids, mailboxes: m.mailboxes, times: m.times };
          break;
        case 'done':
          out.done = m;
          break;
        case 'error':
          out.error = m;
          break;
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      out.exitCode = code;
      resolvePromise(out);
    });
    child.send(job);
  });
}

function failedRun(spec: DetectorSpec, d: Detector): DetectorRun {
  return {
    spec,
    id: d.id,
    version: d.version,
    description: d.description,
    kind: d.kind ?? 'external',
    readsTruth: d.readsTruth === true,
    status: 'error',
    alerts: [],
    rejected: { count: 0, examples: [] },
    emails: 0,
    detectSeconds: 0,
    totalSeconds: 0,
    maxRssMb: 0,
  };
}

/** Reject alerts whose evidence is not an email of the stream at or before the alert. */
function checkEvidence(alerts: StampedAlert[], position: ReadonlyMap<string, number>, rejected: DetectorRun['rejected']): StampedAlert[] {
  const kept: StampedAlert[] = [];
  for (const a of alerts) {
    const at = position.get(a.emailId)!;
    const bad = a.evidence.find((id) => {
      const p = position.get(id);
      return p === undefined || p > at;
    });
    if (bad === undefined) kept.push(a);
    else {
      rejected.count++;
      if (rejected.examples.length < 5) rejected.examples.push(`${a.emailId}: evidence ${bad} is not an email seen before the alert`);
    }
  }
  return kept;
}

async function pool<T, R>(items: readonly T[], jobs: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!);
  });
  await Promise.all(workers);
  return out;
}

export async function runDetectors(opts: RunOptions): Promise<RunResult> {
  const dir = resolve(opts.dataDir);
  const say = opts.onEvent ?? (() => {});
  const manifest = await checkDataset(dir);
  const emailsPath = join(dir, FILES.emails);
  const truthDir = join(dir, 'truth');
  const seed = opts.seed ?? manifest.seed;
  const limit = opts.timeLimitSeconds ?? 300;
  const jobs = opts.jobs ?? Math.max(1, availableParallelism());

  // The floor (read+parse, no detector) runs in the same pool as the detectors, first, so that
  // all speeds are measured under the same load; evidence is checked once the index is in.
  const runDetector = async (spec: DetectorSpec): Promise<DetectorRun> => {
    const label = specLabel(spec);
    say(`running ${label}`);
    const builtin = 'builtin' in spec ? requireDetector(spec.builtin) : null;
    let params = spec.params;
    if (builtin?.prepare) {
      try {
        params = builtin.prepare(spec.params);
      } catch (e) {
        return { ...failedRun(spec, builtin), error: (e as Error).message };
      }
    }
    const job: ChildJob = {
      mode: 'detect',
      emailsPath,
      detector: 'builtin' in spec ? { builtin: spec.builtin } : { external: spec.external },
      seed,
      params,
      // Only a built-in that declares it reads the truth (the oracle) is given truth/.
      ...(builtin?.readsTruth ? { truthDir } : {}),
    };
    const o = await runChild(job, limit);
    if (o.error?.where === 'data') throw new DatasetError(o.error.message);
    const rejected = o.rejected;
    const base: DetectorRun = {
      spec,
      id: o.ready?.id ?? label,
      version: o.ready?.version ?? '?',
      description: o.ready?.description ?? '',
      kind: o.ready?.detectorKind ?? builtin?.kind ?? 'external',
      readsTruth: o.ready?.readsTruth ?? false,
      status: 'ok',
      alerts: [],
      rejected,
      emails: o.done?.emails ?? 0,
      detectSeconds: o.done?.detectSeconds ?? 0,
      totalSeconds: o.done?.totalSeconds ?? 0,
      maxRssMb: o.done?.maxRssMb ?? 0,
    };
    if (o.timedOut) return { ...base, status: 'timeout', error: `stopped after the time limit of ${limit} s` };
    if (o.error) return { ...base, status: 'error', error: o.error.message };
    if (!o.done)
      return {
        ...base,
        status: 'error',
        error: `exited with code ${o.exitCode} without finishing${o.stderr ? `: ${o.stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
      };
    return { ...base, alerts: o.alerts };
  };
  let floor: { done: Extract<ChildMessage, { kind: 'done' }>; index: StreamData } | null = null;
  const tasks: Array<DetectorSpec | 'floor'> = ['floor', ...opts.detectors];
  const results = await pool(tasks, jobs, async (task): Promise<DetectorRun | null> => {
    if (task !== 'floor') return runDetector(task);
    say('reading the stream (read+parse floor)');
    const o = await runChild({ mode: 'floor', emailsPath, seed, params: {} }, limit);
    if (o.error) throw new DatasetError(o.error.message);
    if (!o.done || !o.index) throw new Error(`the floor run failed (exit ${o.exitCode}): ${o.stderr.trim()}`);
    floor = { done: o.done, index: o.index };
    return null;
  });
  const runs = results.filter((r): r is DetectorRun => r !== null);
  const { done, index: stream } = floor!;
  const position = new Map(stream.ids.map((id, i) => [id, i]));
  for (const r of runs) if (r.status === 'ok') r.alerts = checkEvidence(r.alerts, position, r.rejected);
  return { manifest, floor: { emails: done.emails, seconds: done.totalSeconds, maxRssMb: done.maxRssMb }, stream, runs };
}

/**
 * `benchmark`: run detectors over a dataset, score them against its truth, and assemble the
 * results (a versioned JSON document) and the leaderboard. The truth is read here, in the
 * scorer's process, after the detectors have finished — never by the runner's children.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeJsonFile } from './json-file.js';
import { FILES } from '../datasets/format.js';
import type { IncidentRecord, LabelRecord } from '../datasets/format.js';
import { instant, readJsonl } from '../datasets/read.js';
import { IdMap } from '../datasets/id-map.js';
import { driftsOf, splitOf } from '../datasets/format.js';
import { packageRoot } from '../generator/core/paths.js';
import { runDetectors } from './runner.js';
import type { DetectorRun, DetectorSpec, RunResult } from './runner.js';
import { MailboxIndex, emailHeads } from './stream-summary.js';
import type { IsolationChoice } from './sandbox.js';
import { loadProfile, randomBaselinePicks, rateMatchedRandom, score } from './score.js';
import type { AlertVerdict, IncidentRow, Metrics, Profile, ScoreOptions, ScoringIncident, StampedAlert, StreamIndex, StreamSummary } from './types.js';

/** Bump when the results document changes shape. */
export const RESULTS_SCHEMA_VERSION = 6;

export interface BenchOptions {
  dataDir: string;
  detectors: DetectorSpec[];
  profile?: string;
  graceHours?: number;
  bootstrapSamples?: number;
  randomSeeds?: number;
  timeLimitSeconds?: number;
  readyTimeoutSeconds?: number;
  memoryLimitMb?: number;
  maxAlerts?: number;
  isolation?: IsolationChoice;
  jobs?: number;
  onEvent?: (message: string) => void;
}

export interface DetectorResult {
  id: string;
  version: string;
  description: string;
  kind: string;
  /** Reads the truth: shown for comparison, never ranked as a contender. */
  upperBound: boolean;
  /** How it was asked for: the id with its parameters (`rules:sets=marketplace`), the external path or `cmd:...`. Unique in a results file. */
  spec: string;
  /** `streamed`: run by the harness, one email at a time; `offline`: alerts read from a file (`ato-bench score`), causality not enforced. */
  mode: 'streamed' | 'offline';
  /** How a streamed detector was kept apart (null when offline). */
  isolation: DetectorRun['isolation'] | null;
  status: DetectorRun['status'];
  error?: string;
  /** The first and last 4 KiB of its stderr (control characters removed), when it wrote any: its log, for debugging. */
  stderr?: string;
  speed: {
    emails: number;
    /** Emails per second through the protocol, as the harness's clock saw them (0 offline). */
    replayPerSecond: number;
    /** Seconds from its start to its ready. */
    startupSeconds: number;
    maxRssMb: number | null;
  };
  metrics: Metrics | null;
  /** Recall of a random detector raising as many alerts per mailbox (several seeds), and the ratio. */
  randomBaseline: { recall: number; falseAlarmsPer1000MailboxDays: number; lift: number | null } | null;
  incidents: IncidentRow[];
  alerts: Array<StampedAlert & { verdict: string }>;
  /** For detectors whose alerts name their rule: per rule id, its alerts, first hits (tp), later hits (dup) and false alarms. */
  perRule: Record<string, RuleTally> | null;
}

export interface RuleTally {
  alerts: number;
  tp: number;
  dup: number;
  fp: number;
}

/** Alerts, hits and false alarms per rule, from the scorer's verdicts (null when no alert names a rule). */
export function tallyRules(alerts: ReadonlyArray<{ rule?: string }>, verdicts: readonly AlertVerdict[]): Record<string, RuleTally> | null {
  const out: Record<string, RuleTally> = {};
  alerts.forEach((a, i) => {
    if (!a.rule) return;
    const t = (out[a.rule] ??= { alerts: 0, tp: 0, dup: 0, fp: 0 });
    t.alerts++;
    t[verdicts[i]!.kind]++;
  });
  const ids = Object.keys(out).sort();
  return ids.length ? Object.fromEntries(ids.map((id) => [id, out[id]!])) : null;
}

export interface BenchResults {
  schema: 'ato-bench/results';
  schemaVersion: number;
  benchmarkVersion: string;
  git: { commit: string; dirty: boolean } | null;
  dataset: {
    dir: string;
    manifestSha256: string;
    formatVersion: number;
    seed: number;
    configHash: string;
    mailboxes: number;
    mailboxDays: number;
    emails: number;
    incidents: Record<string, number>;
    /** The protocol's split the dataset is (train, dev or test), null for any other dataset. */
    split: string | null;
  };
  scoring: { profile: Profile; graceHours: number; bootstrapSamples: number; budgets: number[]; horizons: number[]; target: 'ato' };
  floors: { readParsePerSecond: number; replayPerSecond: number | null };
  detectors: DetectorResult[];
}

function gitInfo(): BenchResults['git'] {
  try {
    const cwd = packageRoot();
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

function benchmarkVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The truth, loaded for scoring: the incidents, every mailbox, and the labels of the emails in
 * `labelsOf` alone (the ones alerted on: a false alarm is told by what it fell on), so memory
 * follows the alerts, not the size of the dataset.
 */
export async function loadTruth(
  dir: string,
  labelsOf: Pick<ReadonlyMap<string, unknown>, 'has' | 'size'> = new Map(),
): Promise<{ incidents: ScoringIncident[]; labels: ReadonlyMap<string, string>; mailboxes: string[] }> {
  const incidents: ScoringIncident[] = [];
  for await (const { value } of readJsonl<IncidentRecord>(join(dir, FILES.incidents))) {
    incidents.push({
      id: value.id,
      mailbox: value.mailbox,
      scenario: value.scenario,
      kind: value.kind,
      onset: instant(value.onset),
      end: instant(value.end),
      platformNoticeAt: value.platformNoticeAt ? instant(value.platformNoticeAt) : null,
    });
  }
  // Keyed per email, so an IdMap: a --max-alerts of millions over several detectors may pass 2^24.
  const labels = new IdMap<string>();
  if (labelsOf.size)
    for await (const { value } of readJsonl<LabelRecord>(join(dir, FILES.labels))) if (labelsOf.has(value.emailId)) labels.set(value.emailId, value.label);
  const mailboxes: string[] = [];
  for await (const { value } of readJsonl<{ mailbox: string }>(join(dir, FILES.mailboxes))) mailboxes.push(value.mailbox);
  return { incidents, labels, mailboxes };
}

/**
 * The stream as the scorer needs it, in memory that follows the incidents and the alerts, not the
 * emails: every mailbox (silent ones too), how many emails each received, the arrivals of the
 * mailboxes with an incident (latency in mails), and the arrival of each email the random
 * baseline picked (`picks`, from randomBaselinePicks). `heads` is the stream in order (a new
 * reading of it: bench/stream-summary.ts, emailHeads), read once and only when needed.
 */
export function streamIndex(
  run: { manifest: RunResult['manifest']; stream: StreamSummary },
  truth: { labels: ReadonlyMap<string, string>; mailboxes: string[]; incidents: readonly ScoringIncident[] },
  picks: Iterable<{ mailbox: string; email: number }>,
  heads: () => Iterable<{ mailbox: string; receivedAt: string }>,
): StreamIndex {
  const { stream } = run;
  const index = new MailboxIndex(stream);
  const withIncident = new Map<number, number[]>();
  for (const k of truth.incidents) {
    const m = index.numberOf(k.mailbox);
    if (m !== undefined) withIncident.set(m, []);
  }
  const wanted = new Map<number, Map<number, number>>();
  for (const p of picks) {
    const m = index.numberOf(p.mailbox);
    if (m === undefined || withIncident.has(m)) continue;
    let of = wanted.get(m);
    if (!of) wanted.set(m, (of = new Map()));
    of.set(p.email, Number.NaN);
  }
  if (withIncident.size || wanted.size) {
    const seen = new Uint32Array(stream.mailboxNames.length);
    for (const h of heads()) {
      const m = index.numberOf(h.mailbox)!;
      const n = seen[m]!++;
      const times = withIncident.get(m);
      if (times) times.push(Date.parse(h.receivedAt) / 1000);
      const of = wanted.get(m);
      if (of?.has(n)) of.set(n, Date.parse(h.receivedAt) / 1000);
    }
  }
  const arrivals = new Map<string, number[]>();
  for (const [m, times] of withIncident) arrivals.set(stream.mailboxNames[m]!, times);
  return {
    mailboxes: truth.mailboxes,
    mailboxDays: run.manifest.counts.mailboxDays,
    arrivals,
    emails: {
      count: (mailbox) => index.emailsIn(mailbox),
      at: (mailbox, i) => {
        const m = index.numberOf(mailbox);
        const t = m === undefined ? undefined : (withIncident.get(m)?.[i] ?? wanted.get(m)?.get(i));
        if (t === undefined || Number.isNaN(t)) throw new Error(`email ${i} of mailbox ${mailbox} was not looked up for scoring`);
        return t;
      },
    },
    labels: truth.labels,
    window: { start: instant(run.manifest.window.start), end: instant(run.manifest.window.end) },
    drifts: driftsOf(run.manifest.config),
  };
}

export async function benchmark(opts: BenchOptions): Promise<BenchResults> {
  const dir = resolve(opts.dataDir);
  loadProfile(opts.profile ?? 'standard'); // a bad profile is refused before the detectors run, not after
  const run = await runDetectors({
    dataDir: dir,
    detectors: opts.detectors,
    ...(opts.timeLimitSeconds !== undefined ? { timeLimitSeconds: opts.timeLimitSeconds } : {}),
    ...(opts.readyTimeoutSeconds !== undefined ? { readyTimeoutSeconds: opts.readyTimeoutSeconds } : {}),
    ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    ...(opts.maxAlerts !== undefined ? { maxAlerts: opts.maxAlerts } : {}),
    ...(opts.isolation !== undefined ? { isolation: opts.isolation } : {}),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return scoreRuns(dir, run, opts);
}

/** A row as the scorer takes it: a streamed run, or alerts read from a file. */
export type ScorableRun = DetectorRun & { mode?: 'streamed' | 'offline' };

/** Score runs against the dataset's truth and assemble the results document. */
export async function scoreRuns(
  dir: string,
  run: { manifest: RunResult['manifest']; floor: RunResult['floor']; stream: StreamSummary; runs: ScorableRun[] },
  opts: Pick<BenchOptions, 'profile' | 'graceHours' | 'bootstrapSamples' | 'randomSeeds' | 'onEvent'>,
): Promise<BenchResults> {
  const profile = loadProfile(opts.profile ?? 'standard');
  opts.onEvent?.('scoring');
  const alerted = new IdMap<true>();
  for (const r of run.runs) for (const a of r.alerts) alerted.set(a.emailId, true);
  const truth = await loadTruth(dir, alerted);
  const randomSeeds = Array.from({ length: opts.randomSeeds ?? 5 }, (_, i) => run.manifest.seed + i + 1);
  // The random baseline's picks first, so that only the emails it falls on are looked up.
  const mailboxes = new MailboxIndex(run.stream);
  const counts = (mailbox: string): number => mailboxes.emailsIn(mailbox);
  const picks = function* (): Generator<{ mailbox: string; email: number }> {
    for (const r of run.runs) if (r.status === 'ok' && r.alerts.length) for (const seed of randomSeeds) yield* randomBaselinePicks(r.alerts, counts, seed);
  };
  const stream = streamIndex(run, truth, picks(), () => emailHeads(run.stream));
  const scoreOpts: ScoreOptions = {
    graceHours: opts.graceHours ?? 72,
    profile,
    bootstrap: { samples: opts.bootstrapSamples ?? 1000, seed: run.manifest.seed },
    budgets: [1, 5, 20],
    horizons: [1, 6, 15, 24, 72],
    target: 'ato',
  };
  const replay = (r: DetectorRun): number => (r.streamSeconds > 0 ? r.emails / r.streamSeconds : 0);
  const nullRun = run.runs.find((r) => r.id === 'null' && r.status === 'ok' && r.mode !== 'offline');

  const detectors: DetectorResult[] = run.runs.map((r) => {
    const offline = r.mode === 'offline';
    const base = {
      id: r.id,
      version: r.version,
      description: r.description,
      kind: r.kind,
      upperBound: r.upperBound,
      spec: r.label,
      mode: offline ? ('offline' as const) : ('streamed' as const),
      isolation: offline ? null : r.isolation,
      status: r.status,
      ...(r.error ? { error: r.error } : {}),
      ...(r.stderr ? { stderr: r.stderr } : {}),
      speed: { emails: r.emails, replayPerSecond: replay(r), startupSeconds: r.startupSeconds, maxRssMb: r.maxRssMb },
    };
    if (r.status !== 'ok') return { ...base, metrics: null, randomBaseline: null, incidents: [], alerts: [], perRule: null };
    const s = score(r.alerts, truth.incidents, stream, scoreOpts);
    const rnd = r.alerts.length ? rateMatchedRandom(r.alerts, truth.incidents, stream, scoreOpts, randomSeeds) : null;
    return {
      ...base,
      metrics: s.metrics,
      randomBaseline: rnd && { ...rnd, lift: rnd.recall > 0 ? s.metrics.recall.value / rnd.recall : null },
      incidents: s.incidents,
      alerts: r.alerts.map((a, i) => {
        const v = s.verdicts[i]!;
        return { ...a, verdict: v.kind === 'fp' ? `fp:${v.on}` : `${v.kind}:${v.incident}` };
      }),
      perRule: tallyRules(r.alerts, s.verdicts),
    };
  });

  const manifestBytes = readFileSync(join(dir, FILES.manifest));
  return {
    schema: 'ato-bench/results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    benchmarkVersion: benchmarkVersion(),
    git: gitInfo(),
    dataset: {
      dir,
      manifestSha256: createHash('sha256').update(manifestBytes).digest('hex'),
      formatVersion: run.manifest.formatVersion,
      seed: run.manifest.seed,
      configHash: run.manifest.configHash,
      mailboxes: run.manifest.counts.mailboxes,
      mailboxDays: run.manifest.counts.mailboxDays,
      emails: run.manifest.counts.emails,
      incidents: run.manifest.counts.incidents,
      split: splitOf(run.manifest.config),
    },
    scoring: {
      profile,
      graceHours: scoreOpts.graceHours,
      bootstrapSamples: scoreOpts.bootstrap.samples,
      budgets: [...scoreOpts.budgets],
      horizons: [...scoreOpts.horizons],
      target: 'ato',
    },
    floors: { readParsePerSecond: run.floor.emails / run.floor.seconds, replayPerSecond: nullRun ? replay(nullRun) : null },
    detectors,
  };
}

/**
 * Write the results whole or not at all: streamed (a run may hold millions of alerts, more than
 * one string can), to a temporary sibling renamed over the target.
 */
export function writeResults(path: string, results: BenchResults): void {
  writeJsonFile(path, results);
}

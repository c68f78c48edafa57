/**
 * The scorer: alerts + truth -> metrics (docs/scoring.md). Pure functions; nothing here reads a
 * clock or a global random source, and no result depends on the order of the alerts or of the
 * incidents it is given (both are sorted by a total order first; NAB issue #326).
 *
 * Conventions, fixed once here:
 * - Times are epoch seconds; every duration reported is in hours.
 * - Windows are closed on both sides: an alert at t matches incident k when u = u_k and
 *   s_k <= t <= e_k + grace.
 * - Alerts are processed in the order (at, emailId, mailbox, score, reason, evidence); incidents in
 *   the order (onset, end, id). An alert in several target windows of its mailbox matches the
 *   earliest-onset one not yet matched (tp), else the earliest-onset one (dup). So one alert
 *   detects at most one incident: two overlapping takeovers of one mailbox need two alerts.
 * - Quantiles (latency, lead, bootstrap interval) use the nearest-rank rule: the q-quantile of n
 *   sorted values is the ceil(q * n)-th smallest (1-based; at least the 1st). No interpolation,
 *   so every reported quantile is a value that occurred.
 * - Ratios with an empty denominator are 0: recall with no targets, precision with no alerts,
 *   D(x) with no targets, the normalised score with no targets.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { formatIssues } from '../generator/config.js';
import { packageRoot } from '../generator/core/paths.js';
import { Stream } from '../generator/core/rng.js';
import type {
  AlertVerdict,
  DriftPoint,
  DriftSide,
  DriftSplit,
  IncidentKind,
  IncidentRow,
  Interval,
  Metrics,
  Profile,
  Quantiles,
  RecallPoint,
  ScoreOptions,
  ScoreResult,
  ScoringIncident,
  StampedAlert,
  StreamIndex,
} from './types.js';
import { AtoBenchError } from '../generator/core/errors.js';

const HOUR = 3600;

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Code-unit string order: unlike localeCompare, the same on every machine. */
export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpStrings(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpStr(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** The total order of alerts. Alerts equal in every field are interchangeable. */
function cmpAlerts(a: StampedAlert, b: StampedAlert): number {
  return (
    cmpNum(a.at, b.at) ||
    cmpStr(a.emailId, b.emailId) ||
    cmpStr(a.mailbox, b.mailbox) ||
    cmpNum(a.score, b.score) ||
    cmpStr(a.reason, b.reason) ||
    cmpStrings(a.evidence, b.evidence)
  );
}

/** The order of incidents; ids are unique (checked), so this is total. */
function cmpIncidents(a: ScoringIncident, b: ScoringIncident): number {
  return cmpNum(a.onset, b.onset) || cmpNum(a.end, b.end) || cmpStr(a.id, b.id);
}

/** Index of the first element >= x in a sorted array. */
function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > x in a sorted array. */
function upperBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Nearest-rank quantile of values sorted ascending: the ceil(q * n)-th smallest (1-based), at least the first. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

function quantiles(values: readonly number[]): Quantiles | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort(cmpNum);
  return { p50: nearestRank(sorted, 0.5), p90: nearestRank(sorted, 0.9), n: sorted.length };
}

function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

function perThousandDays(fp: number, mailboxDays: number): number {
  return (1000 * fp) / mailboxDays;
}

/** NAB's scaled sigmoid (scoring.md): 2 / (1 + e^(5y)) - 1; sigma(-1) ~ 0.9866, sigma(0) = 0. */
export function nabSigma(y: number): number {
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

const SIGMA_MINUS_1 = nabSigma(-1);

/**
 * The share of A_TP a detection earns: sigma(y) / sigma(-1) with y = ttd / W - 1, so 1 at onset,
 * 0 at the window's last instant. A window of length 0 (one mail, no grace) can only be hit at
 * its one instant, which earns the full credit.
 */
export function nabCredit(ttdSeconds: number, windowSeconds: number): number {
  const y = windowSeconds > 0 ? ttdSeconds / windowSeconds - 1 : -1;
  return nabSigma(y) / SIGMA_MINUS_1;
}

/**
 * 100 * (S - S_null) / (A_TP * K - S_null), S = A_TP * sum(credit) - A_FN * misses - A_FP * fp,
 * S_null = -A_FN * K. 0 when there are no targets (or the weights make the range empty).
 */
function normalisedScore(credit: number, detected: number, targets: number, fp: number, w: Profile['weights']): number {
  const sNull = -w.fn * targets;
  const range = w.tp * targets - sNull;
  if (targets === 0 || range === 0) return 0;
  const s = w.tp * credit - w.fn * (targets - detected) - w.fp * fp;
  return (100 * (s - sNull)) / range;
}

// ---------------------------------------------------------------------------------------------
// Matching

interface Window {
  /** s_k */
  start: number;
  /** e_k + grace */
  stop: number;
}

/**
 * Greedy matching of one mailbox's alert times (in the total order of alerts) to its target
 * windows (sorted by onset). Per alert: the index of the target it matched and whether it was the
 * first in that window (tp) or a later one (dup); -1 when it falls in no target window.
 */
function matchMailbox(times: readonly number[], targets: readonly Window[]): { target: number[]; tp: boolean[]; detected: number } {
  const matched = new Array<boolean>(targets.length).fill(false);
  const target: number[] = [];
  const tp: boolean[] = [];
  let detected = 0;
  for (const t of times) {
    let earliest = -1;
    let free = -1;
    for (let j = 0; j < targets.length; j++) {
      const w = targets[j]!;
      if (t < w.start || t > w.stop) continue;
      if (earliest < 0) earliest = j;
      if (!matched[j]) {
        free = j;
        break;
      }
    }
    if (free >= 0) {
      matched[free] = true;
      detected++;
      target.push(free);
      tp.push(true);
    } else {
      target.push(earliest);
      tp.push(false);
    }
  }
  return { target, tp, detected };
}

// ---------------------------------------------------------------------------------------------
// Checks

function checkInputs(alerts: readonly StampedAlert[], incidents: readonly ScoringIncident[], stream: StreamIndex, opts: ScoreOptions): void {
  if (!Number.isFinite(opts.graceHours) || opts.graceHours < 0) throw new RangeError(`graceHours must be a finite number >= 0 (got ${opts.graceHours})`);
  if (!Number.isInteger(opts.bootstrap.samples) || opts.bootstrap.samples < 0)
    throw new RangeError(`bootstrap.samples must be an integer >= 0 (got ${opts.bootstrap.samples})`);
  if (!(Number.isFinite(stream.mailboxDays) && stream.mailboxDays > 0))
    throw new RangeError(`stream.mailboxDays must be a positive number (got ${stream.mailboxDays})`);
  for (const [k, v] of Object.entries(opts.profile.weights)) {
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`profile ${opts.profile.name}: weights.${k} must be a finite number >= 0 (got ${v})`);
  }
  const known = new Set<string>();
  for (const m of stream.mailboxes) {
    if (known.has(m)) throw new Error(`stream.mailboxes lists mailbox "${m}" twice`);
    known.add(m);
  }
  const ids = new Set<string>();
  for (const k of incidents) {
    if (ids.has(k.id)) throw new Error(`incident id "${k.id}" occurs twice`);
    ids.add(k.id);
    if (!known.has(k.mailbox)) throw new Error(`incident ${k.id} is on mailbox "${k.mailbox}", which stream.mailboxes does not list`);
    if (!Number.isFinite(k.onset) || !Number.isFinite(k.end) || k.end < k.onset)
      throw new RangeError(`incident ${k.id}: needs finite onset <= end (got ${k.onset}, ${k.end})`);
  }
  alerts.forEach((a, i) => {
    if (!known.has(a.mailbox)) throw new Error(`alert #${i} is on mailbox "${a.mailbox}", which stream.mailboxes does not list`);
    if (!Number.isFinite(a.at)) throw new RangeError(`alert #${i}: at must be a finite time (got ${a.at})`);
    if (Number.isNaN(a.score)) throw new RangeError(`alert #${i}: score is NaN`);
  });
}

// ---------------------------------------------------------------------------------------------
// The scorer

/** An incident with its scoring window and the index of its mailbox. */
interface Inc extends Window {
  src: ScoringIncident;
  target: boolean;
  mailbox: number;
}

/**
 * Per-mailbox sums: everything the headline values of any set of mailboxes are made of, so a
 * bootstrap resample (here, and paired in compare.ts) is O(mailboxes).
 */
export interface MailboxSums {
  targets: number;
  detected: number;
  alerts: number;
  /** Alerts matched to a target window (tp + dup). */
  matched: number;
  fp: number;
  credit: number;
}

export const emptySums = (): MailboxSums => ({ targets: 0, detected: 0, alerts: 0, matched: 0, fp: 0, credit: 0 });

export function sumOf(rows: Iterable<MailboxSums>): MailboxSums {
  const t = emptySums();
  for (const r of rows) {
    t.targets += r.targets;
    t.detected += r.detected;
    t.alerts += r.alerts;
    t.matched += r.matched;
    t.fp += r.fp;
    t.credit += r.credit;
  }
  return t;
}

export interface PointValues {
  recall: number;
  precision: number;
  fa: number;
  score: number;
}

/**
 * The headline values of summed counts over `mailboxDays`. A ratio without a denominator (no
 * target for recall and the score, no alert for precision) is 0: the null detector's row must
 * read as a floor, not a gap.
 */
export function pointValues(t: MailboxSums, mailboxDays: number, w: Profile['weights']): PointValues {
  return {
    recall: ratio(t.detected, t.targets),
    precision: ratio(t.matched, t.alerts),
    fa: perThousandDays(t.fp, mailboxDays),
    score: normalisedScore(t.credit, t.detected, t.targets, t.fp, w),
  };
}

/**
 * Score a detector's alerts against the truth (docs/scoring.md).
 *
 * @example
 * const r = score(alerts, incidents, stream, { graceHours: 72, profile: loadProfile('standard'),
 *   bootstrap: { samples: 1000, seed: 1 }, budgets: [1, 5, 20], horizons: [1, 6, 24], target: 'ato' });
 * r.metrics.recall; // e.g. { value: 0.5, lo: 0.25, hi: 0.75 }
 */
export function score(alerts: readonly StampedAlert[], incidents: readonly ScoringIncident[], stream: StreamIndex, opts: ScoreOptions): ScoreResult {
  checkInputs(alerts, incidents, stream, opts);
  const grace = opts.graceHours * HOUR;
  const w = opts.profile.weights;

  // Mailboxes in a fixed order: the bootstrap's units.
  const mailboxes = stream.mailboxes.slice().sort(cmpStr);
  const mbIndex = new Map<string, number>(mailboxes.map((m, i) => [m, i]));
  const mb = (name: string): number => mbIndex.get(name)!;

  const incs: Inc[] = incidents
    .slice()
    .sort(cmpIncidents)
    .map((src) => ({ src, target: src.kind === opts.target, mailbox: mb(src.mailbox), start: src.onset, stop: src.end + grace }));
  const targetsOf: Inc[][] = mailboxes.map(() => []);
  const othersOf: Inc[][] = mailboxes.map(() => []);
  for (const k of incs) (k.target ? targetsOf : othersOf)[k.mailbox]!.push(k);

  // Alerts in the total order, grouped by mailbox (indices into `alerts`).
  const order = alerts.map((_, i) => i).sort((i, j) => cmpAlerts(alerts[i]!, alerts[j]!) || i - j);
  const alertsOf: number[][] = mailboxes.map(() => []);
  for (const i of order) alertsOf[mb(alerts[i]!.mailbox)]!.push(i);

  const verdicts: AlertVerdict[] = new Array<AlertVerdict>(alerts.length);
  const firstAlert = new Map<Inc, number>();
  const sums: MailboxSums[] = mailboxes.map(emptySums);
  const fpOn = { lookalike: 0, phishing: 0, other: 0 };
  let tp = 0;
  let dup = 0;
  let fp = 0;

  for (let m = 0; m < mailboxes.length; m++) {
    const own = alertsOf[m]!;
    const targets = targetsOf[m]!;
    const others = othersOf[m]!;
    const times = own.map((i) => alerts[i]!.at);
    const match = matchMailbox(times, targets);
    const s = sums[m]!;
    s.targets = targets.length;
    s.alerts = own.length;
    own.forEach((i, n) => {
      const a = alerts[i]!;
      const j = match.target[n]!;
      if (j >= 0) {
        const k = targets[j]!;
        if (match.tp[n]) {
          tp++;
          firstAlert.set(k, a.at);
          verdicts[i] = { kind: 'tp', incident: k.src.id };
        } else {
          dup++;
          verdicts[i] = { kind: 'dup', incident: k.src.id };
        }
        s.matched++;
        return;
      }
      fp++;
      s.fp++;
      const on = fellOn(a, stream.labels, others);
      fpOn[on]++;
      verdicts[i] = { kind: 'fp', on };
    });
    s.detected = match.detected;
    // Non-target incidents count as "detected" (flagged) when their window holds any alert.
    for (const k of others) {
      const at = times[lowerBound(times, k.start)];
      if (at !== undefined && at <= k.stop) firstAlert.set(k, at);
    }
  }

  // One row per incident, targets and others alike (for others, "detected" means flagged).
  const rows: IncidentRow[] = incs.map((k) => {
    const first = firstAlert.get(k) ?? null;
    const arrivals = stream.arrivals.get(k.src.mailbox) ?? [];
    return {
      id: k.src.id,
      scenario: k.src.scenario,
      kind: k.src.kind,
      mailbox: k.src.mailbox,
      onset: k.src.onset,
      detected: first !== null,
      firstAlertAt: first,
      latencyHours: first === null ? null : (first - k.start) / HOUR,
      // Mails of the mailbox that arrived in [onset, first alert]: the onset mail and the
      // triggering mail included, so a detection on the first malicious mail is 1.
      latencyMails: first === null ? null : upperBound(arrivals, first) - lowerBound(arrivals, k.start),
      leadHours: first === null || k.src.platformNoticeAt === null ? null : (k.src.platformNoticeAt - first) / HOUR,
      credit: k.target ? 0 : null,
    };
  });

  const targetRows: IncidentRow[] = [];
  let credit = 0;
  incs.forEach((k, n) => {
    if (!k.target) return;
    const row = rows[n]!;
    targetRows.push(row);
    if (row.firstAlertAt === null) return;
    const c = nabCredit(row.firstAlertAt - k.start, k.stop - k.start);
    row.credit = c;
    credit += c;
    sums[k.mailbox]!.credit += c;
  });
  const K = targetRows.length;
  const detected = tp;

  const recallByScenario: Metrics['recallByScenario'] = {};
  const scenarios = [...new Set(rows.map((r) => r.scenario))].sort(cmpStr);
  for (const sc of scenarios) {
    const own = rows.filter((r) => r.scenario === sc);
    const kinds = [...new Set(own.map((r) => r.kind))].sort(cmpStr);
    if (kinds.length > 1) throw new Error(`scenario "${sc}" has incidents of several kinds (${kinds.join(', ')})`);
    const hit = own.filter((r) => r.detected).length;
    recallByScenario[sc] = { kind: kinds[0] as IncidentKind, incidents: own.length, detected: hit, share: ratio(hit, own.length) };
  }

  const detectedWithin: Record<string, number> = {};
  for (const x of opts.horizons) {
    detectedWithin[String(x)] = ratio(targetRows.filter((r) => r.latencyHours !== null && r.latencyHours <= x).length, K);
  }

  const leads = targetRows.flatMap((r) => (r.leadHours === null ? [] : [r.leadHours]));
  const leadQ = quantiles(leads);

  const point = pointValues({ targets: K, detected, alerts: alerts.length, matched: tp + dup, fp, credit }, stream.mailboxDays, w);
  const intervals = bootstrap(sums, point, stream.mailboxDays, opts);

  const metrics: Metrics = {
    incidents: K,
    detected,
    recall: intervals.recall,
    recallByScenario,
    alerts: alerts.length,
    tp,
    dup,
    fp,
    precision: intervals.precision,
    falseAlarmsPer1000MailboxDays: intervals.fa,
    falseAlarmsOn: fpOn,
    latencyHours: quantiles(targetRows.flatMap((r) => (r.latencyHours === null ? [] : [r.latencyHours]))),
    latencyMails: quantiles(targetRows.flatMap((r) => (r.latencyMails === null ? [] : [r.latencyMails]))),
    detectedWithin,
    leadHours: leadQ === null ? null : { ...leadQ, beatPlatform: ratio(leads.filter((x) => x > 0).length, leads.length) },
    recallAtBudget: {},
    recallCurve: recallCurve(alerts, order, targetsOf, mb, K, stream.mailboxDays),
    score: intervals.score,
    drift: (stream.drifts ?? []).map((d) => driftSplit(d, targetRows, alerts, verdicts, stream)),
  };
  for (const b of opts.budgets) metrics.recallAtBudget[String(b)] = recallAt(metrics.recallCurve, b);
  return { metrics, incidents: rows, verdicts };
}

/**
 * Recall and false alarms before and after a drift date: an incident is on the side of its onset,
 * a false alarm on the side of its time; each side's rate is over its share of the window's
 * mailbox-days (the whole window when the stream does not say where it lies).
 */
function driftSplit(
  d: DriftPoint,
  targets: readonly IncidentRow[],
  alerts: readonly StampedAlert[],
  verdicts: readonly AlertVerdict[],
  stream: StreamIndex,
): DriftSplit {
  const w = stream.window;
  const beforeShare = w && w.end > w.start ? Math.min(1, Math.max(0, (d.at - w.start) / (w.end - w.start))) : 0.5;
  const side = (after: boolean): DriftSide => {
    const own = targets.filter((r) => r.onset >= d.at === after);
    const detected = own.filter((r) => r.detected).length;
    let falseAlarms = 0;
    alerts.forEach((a, i) => {
      if (verdicts[i]!.kind === 'fp' && a.at >= d.at === after) falseAlarms++;
    });
    const days = stream.mailboxDays * (after ? 1 - beforeShare : beforeShare);
    return {
      incidents: own.length,
      detected,
      recall: ratio(detected, own.length),
      falseAlarms,
      falseAlarmsPer1000MailboxDays: days > 0 ? perThousandDays(falseAlarms, days) : 0,
    };
  };
  return { brand: d.brand, edition: d.edition, on: d.on, before: side(false), after: side(true) };
}

/**
 * What an unmatched alert fell on: its email's label if that is 'lookalike' or 'phishing'; else the
 * window of a look-alike incident of its mailbox, then of a phishing one; else 'other'.
 */
function fellOn(a: StampedAlert, labels: ReadonlyMap<string, string>, others: readonly Inc[]): 'lookalike' | 'phishing' | 'other' {
  const label = labels.get(a.emailId);
  if (label === 'lookalike' || label === 'phishing') return label;
  const inWindow = (kind: IncidentKind): boolean => others.some((k) => k.src.kind === kind && k.start <= a.at && a.at <= k.stop);
  if (inWindow('lookalike')) return 'lookalike';
  if (inWindow('phishing')) return 'phishing';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Recall at a false-alarm budget

/**
 * The recall a detector reaches at each false-alarm rate, sweeping its score threshold from above
 * (keep alerts with score >= threshold, for every distinct score, from "keep nothing" to "keep
 * all"): its frontier, the points where recall rises, in rising order of both. Recall at any
 * budget is then read off it (`recallAt`), so reports can ask at budgets chosen after scoring.
 * At most K + 1 points (K target incidents).
 *
 * Incremental but exact: an alert is an FP iff it falls in no target window of its mailbox,
 * whatever else is kept, so FPs just add up; the matching (and so recall) is re-run only for the
 * mailboxes whose kept in-window alerts changed at that threshold.
 */
function recallCurve(
  alerts: readonly StampedAlert[],
  order: readonly number[],
  targetsOf: readonly (readonly Inc[])[],
  mb: (name: string) => number,
  K: number,
  mailboxDays: number,
): RecallPoint[] {
  const frontier: RecallPoint[] = [{ fa: 0, recall: 0 }];
  const byScore = order.slice().sort((i, j) => cmpNum(alerts[j]!.score, alerts[i]!.score));
  const kept: number[][] = targetsOf.map(() => []); // per mailbox: sorted times of kept in-window alerts
  const detectedOf: number[] = targetsOf.map(() => 0);
  let detected = 0;
  let fp = 0;
  for (let n = 0; n < byScore.length;) {
    const level = alerts[byScore[n]!]!.score;
    const touched = new Set<number>();
    for (; n < byScore.length && alerts[byScore[n]!]!.score === level; n++) {
      const a = alerts[byScore[n]!]!;
      const m = mb(a.mailbox);
      const targets = targetsOf[m]!;
      if (!targets.some((k) => k.start <= a.at && a.at <= k.stop)) {
        fp++;
        continue;
      }
      const times = kept[m]!;
      times.splice(upperBound(times, a.at), 0, a.at);
      touched.add(m);
    }
    for (const m of touched) {
      const d = matchMailbox(kept[m]!, targetsOf[m]!).detected;
      detected += d - detectedOf[m]!;
      detectedOf[m] = d;
    }
    // Kept alerts only grow, so neither coordinate falls: a point whose recall did not rise is
    // dominated by the last one kept.
    const recall = ratio(detected, K);
    if (recall > frontier[frontier.length - 1]!.recall) frontier.push({ fa: perThousandDays(fp, mailboxDays), recall });
  }
  return frontier;
}

/** The highest recall on a frontier with false alarms at or under the budget (per 1,000 mailbox-days). */
export function recallAt(curve: readonly RecallPoint[], budget: number): number {
  let best = 0;
  for (const p of curve) if (p.fa <= budget && p.recall > best) best = p.recall;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Bootstrap

/**
 * 95 % percentile intervals by resampling whole mailboxes with replacement. Each resample draws
 * as many mailboxes as there are; each brings mailboxDays / mailboxes, so a resample always
 * covers mailboxDays in total. The interval is (2.5 %, 97.5 %) of the resampled values by
 * nearest rank; it is not forced to contain the point value.
 *
 * A resample in which a ratio is undefined (no target incident for recall and the score, no alert
 * for precision) is left out of that ratio's interval: counting it as 0, the convention of the
 * point value, would drag the interval towards 0 on small datasets. If no resample defines it,
 * lo = hi = value.
 */
function bootstrap(
  sums: readonly MailboxSums[],
  point: PointValues,
  mailboxDays: number,
  opts: ScoreOptions,
): { recall: Interval; precision: Interval; fa: Interval; score: Interval } {
  const B = opts.bootstrap.samples;
  const n = sums.length;
  const fixed = (value: number): Interval => ({ value, lo: value, hi: value });
  if (B === 0 || n === 0) return { recall: fixed(point.recall), precision: fixed(point.precision), fa: fixed(point.fa), score: fixed(point.score) };
  const rng = Stream.root(opts.bootstrap.seed).child('bootstrap');
  const recall: number[] = [];
  const precision: number[] = [];
  const fa: number[] = [];
  const nab: number[] = [];
  const drawn = new Array<MailboxSums>(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) drawn[i] = sums[rng.int(0, n - 1)]!;
    const t = sumOf(drawn);
    const v = pointValues(t, mailboxDays, opts.profile.weights);
    if (t.targets > 0) {
      recall.push(v.recall);
      nab.push(v.score);
    }
    if (t.alerts > 0) precision.push(v.precision);
    fa.push(v.fa);
  }
  const interval = (value: number, xs: number[]): Interval => {
    if (xs.length === 0) return fixed(value);
    xs.sort(cmpNum);
    return { value, lo: nearestRank(xs, 0.025), hi: nearestRank(xs, 0.975) };
  };
  return {
    recall: interval(point.recall, recall),
    precision: interval(point.precision, precision),
    fa: interval(point.fa, fa),
    score: interval(point.score, nab),
  };
}

// ---------------------------------------------------------------------------------------------
// The rate-matched random baseline

/**
 * Where the random baseline's alerts fall for one seed: in each mailbox, as many alerts as the
 * detector raised there, on that many of the mailbox's emails drawn uniformly without replacement
 * (stream `Stream.root(seed).child('random-baseline', mailbox)`). A detector may raise several
 * alerts on one email; if a mailbox has more alerts than emails, every email gets floor(c / n) of
 * them and c mod n emails, drawn without replacement, one more. Each pick is the position of an
 * email among its mailbox's (0 = its first), so the caller need only look up the emails picked.
 */
export function randomBaselinePicks(
  alerts: readonly StampedAlert[],
  emailsIn: (mailbox: string) => number,
  seed: number,
): Array<{ mailbox: string; email: number }> {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.mailbox, (counts.get(a.mailbox) ?? 0) + 1);
  const out: Array<{ mailbox: string; email: number }> = [];
  for (const mailbox of [...counts.keys()].sort(cmpStr)) {
    const c = counts.get(mailbox)!;
    const n = emailsIn(mailbox);
    if (n === 0) throw new Error(`the detector alerted on mailbox "${mailbox}", which has no emails in the stream`);
    const rng = Stream.root(seed).child('random-baseline', mailbox);
    const picks: number[] = [];
    for (let r = 0; r < Math.floor(c / n); r++) for (let i = 0; i < n; i++) picks.push(i);
    // Partial Fisher–Yates: the first (c mod n) entries are a uniform draw without replacement.
    // Only the positions touched are stored, so a mailbox of millions of emails costs nothing.
    const idx = new Map<number, number>();
    const at = (i: number): number => idx.get(i) ?? i;
    for (let i = 0; i < c % n; i++) {
      const j = rng.int(i, n - 1);
      const [vi, vj] = [at(i), at(j)];
      idx.set(i, vj);
      idx.set(j, vi);
      picks.push(vj);
    }
    for (const email of picks) out.push({ mailbox, email });
  }
  return out;
}

/** The random baseline's alerts for one seed (see {@link randomBaselinePicks}); email ids are synthetic. */
export function randomBaselineAlerts(alerts: readonly StampedAlert[], stream: StreamIndex, seed: number): StampedAlert[] {
  const { count, at } = emailsOf(stream);
  const k = new Map<string, number>();
  return randomBaselinePicks(alerts, count, seed).map(({ mailbox, email }) => {
    const n = k.get(mailbox) ?? 0;
    k.set(mailbox, n + 1);
    return { mailbox, score: 1, reason: 'random baseline', evidence: [], emailId: `random:${seed}:${mailbox}:${n}`, at: at(mailbox, email) };
  });
}

/** The stream's emails per mailbox: its own lookup if it has one, else its arrivals. */
function emailsOf(stream: StreamIndex): NonNullable<StreamIndex['emails']> {
  return (
    stream.emails ?? {
      count: (mailbox) => stream.arrivals.get(mailbox)?.length ?? 0,
      at: (mailbox, i) => stream.arrivals.get(mailbox)![i]!,
    }
  );
}

/**
 * The rate-matched random baseline of scoring.md: recall and false alarms of random alerts at the
 * detector's per-mailbox counts, scored with {@link score} (bootstrap off), averaged over seeds.
 * Lift = detector recall / this recall.
 */
export function rateMatchedRandom(
  alerts: readonly StampedAlert[],
  incidents: readonly ScoringIncident[],
  stream: StreamIndex,
  opts: ScoreOptions,
  seeds: readonly number[],
): { recall: number; falseAlarmsPer1000MailboxDays: number } {
  if (seeds.length === 0) throw new RangeError('rateMatchedRandom needs at least one seed');
  const quick: ScoreOptions = { ...opts, bootstrap: { samples: 0, seed: 0 }, budgets: [], horizons: [] };
  let recall = 0;
  let fa = 0;
  for (const seed of seeds) {
    const m = score(randomBaselineAlerts(alerts, stream, seed), incidents, stream, quick).metrics;
    recall += m.recall.value;
    fa += m.falseAlarmsPer1000MailboxDays.value;
  }
  return { recall: recall / seeds.length, falseAlarmsPer1000MailboxDays: fa / seeds.length };
}

// ---------------------------------------------------------------------------------------------
// Profiles

/** The bundled profiles (`bench/profiles/<name>.json`), sorted. */
export const PROFILES = ['low-fn', 'low-fp', 'standard'] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Read from the source tree, whether this runs from `bench/` (tests) or `dist/bench/`. */
export const PROFILES_DIR = join(packageRoot(), 'bench', 'profiles');

const ProfileSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    weights: z
      .object({
        tp: z.number().positive().describe('what a detection at onset earns'),
        fn: z.number().min(0).describe('what a missed incident costs'),
        fp: z.number().min(0).describe('what each false alarm costs'),
      })
      .strict(),
  })
  .strict();

/**
 * Load a scoring profile: a bundled name (see {@link PROFILES}) or the path of a JSON file.
 *
 * @example
 * loadProfile('standard'); // { name: 'standard', description: '...', weights: { tp: 1, fn: 1, fp: 0.11 } }
 */
export function loadProfile(nameOrPath: string): Profile {
  const bundled = (PROFILES as readonly string[]).includes(nameOrPath);
  if (!bundled && !nameOrPath.endsWith('.json') && !/[\\/]/.test(nameOrPath))
    throw new AtoBenchError(`unknown profile "${nameOrPath}"; bundled profiles: ${PROFILES.join(', ')} (or give the path of a .json file)`);
  const file = bundled ? join(PROFILES_DIR, `${nameOrPath}.json`) : resolve(nameOrPath);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AtoBenchError(`cannot read profile ${file}: ${(e as Error).message}`);
  }
  const parsed = ProfileSchema.safeParse(raw);
  if (!parsed.success) throw new AtoBenchError(`invalid profile ${file}:\n  ${formatIssues(parsed.error, raw).join('\n  ')}`);
  return parsed.data;
}

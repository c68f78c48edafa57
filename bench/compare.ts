/**
 * `compare`: what a change did, detector by detector, between a baseline results file and a
 * head results file scored on the same dataset — incidents gained and lost, false alarms new and
 * removed, metric deltas with paired-bootstrap intervals (the same resampled mailboxes for both
 * runs, so shared noise cancels), speed as a ratio of floor-relative speeds — and the gate's
 * verdict, as detection-as-code projects do it (Sigma's must-fire data and known-FP list,
 * rule-test PR comments listing alerts gained and lost; shared docs scoring.md).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Stream } from '../generator/core/rng.js';
import { formatIssues } from '../generator/config.js';
import { RESULTS_SCHEMA_VERSION } from './benchmark.js';
import { emptySums, nearestRank, pointValues, sumOf } from './score.js';
import type { MailboxSums } from './score.js';
import type { BenchResults, DetectorResult } from './benchmark.js';
import { COMPARE_SCHEMA_VERSION } from './compare-types.js';
import type { CompareResult, DetectorComparison, FalseAlarmRef, GateCheck, IncidentRef, MetricDelta } from './compare-types.js';
import type { Profile } from './types.js';
import { AtoBenchError, EXIT } from '../generator/core/errors.js';

/** Bad input to compare (exit 2). */
export class CompareUsageError extends AtoBenchError {}
/** The baseline cannot be compared with the head: another dataset or results schema (exit 4). */
export class IncompatibleBaselineError extends AtoBenchError {
  constructor(message: string) {
    super(`baseline incompatible: ${message}`, EXIT.incompatible);
  }
}

export const GateConfigSchema = z
  .object({
    $comment: z.string().optional(),
    detectors: z.array(z.string()).optional().describe('detectors (spec labels) the gate judges; default: every detector of the head'),
    mustDetect: z
      .array(z.object({ detector: z.string().optional(), scenario: z.string().optional(), incident: z.string().optional() }).strict())
      .default([{ scenario: '*' }])
      .describe('takeover incidents that must stay detected once the baseline detects them ("*" = any scenario)'),
    tolerances: z
      .object({
        recall: z.number().min(0).default(0.02),
        precision: z.number().min(0).default(0.05),
        falseAlarmsPer1000MailboxDays: z.number().min(0).default(0.1),
        score: z.number().min(0).default(3),
        speedRatio: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .prefault({})
      .describe('changes allowed in the bad direction; a change beyond them fails only when its whole 95 % interval is beyond (outside noise)'),
    newFalseAlarms: z.enum(['fail', 'warn']).default('fail').describe('a false alarm the baseline did not raise, not in the known list'),
    bootstrapSamples: z.number().int().min(0).default(1000),
  })
  .strict();

export type GateConfig = z.infer<typeof GateConfigSchema>;

export function parseGateConfig(raw: unknown, source: string): GateConfig {
  const r = GateConfigSchema.safeParse(raw);
  if (!r.success) throw new CompareUsageError(`invalid gate config ${source}:\n  ${formatIssues(r.error, raw).join('\n  ')}`);
  return r.data;
}

export interface KnownFalsePositive {
  detector: string;
  mailbox: string;
  emailId: string;
  note: string;
}

/** Parse known-fps.csv: a header `detector,mailbox,emailId,note` then one accepted false alarm per line. */
export function parseKnownFps(text: string, source: string): KnownFalsePositive[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = lines.shift();
  if (header === undefined) return [];
  const cols = header.split(',').map((c) => c.trim());
  if (cols.slice(0, 3).join(',') !== 'detector,mailbox,emailId')
    throw new CompareUsageError(`${source}:1: the header must start with detector,mailbox,emailId (got "${header}")`);
  return lines.map((line, i) => {
    const parts = line.split(',');
    if (parts.length < 3) throw new CompareUsageError(`${source}:${i + 2}: expected detector,mailbox,emailId[,note] (got "${line}")`);
    const [detector, mailbox, emailId, ...note] = parts.map((p) => p.trim());
    if (!/^[0-9a-f]{16}$/.test(emailId!)) throw new CompareUsageError(`${source}:${i + 2}: emailId must be 16 hex digits (got "${emailId}")`);
    return { detector: detector!, mailbox: mailbox!, emailId: emailId!, note: note.join(',') };
  });
}

const ResultsShape = z.object({
  schema: z.literal('ato-bench/results'),
  schemaVersion: z.number(),
  dataset: z.object({ manifestSha256: z.string(), seed: z.number(), mailboxes: z.number(), mailboxDays: z.number(), emails: z.number() }).passthrough(),
  detectors: z.array(
    z.object({ id: z.string(), spec: z.string(), alerts: z.array(z.object({}).passthrough()), incidents: z.array(z.object({}).passthrough()) }).passthrough(),
  ),
  floors: z.object({ readParsePerSecond: z.number() }).passthrough(),
  scoring: z.object({ profile: z.object({ weights: z.object({ tp: z.number(), fn: z.number(), fp: z.number() }) }).passthrough() }).passthrough(),
});

/** Read a results file, refusing anything that is not one (exit 2) and another schema version (exit 4). */
export function readResults(path: string, what: string): BenchResults {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CompareUsageError(`cannot read the ${what} results ${path}: ${(e as Error).message}`);
  }
  const r = ResultsShape.safeParse(raw);
  if (!r.success) throw new CompareUsageError(`${path} is not an ato-bench results file: ${formatIssues(r.error, raw).slice(0, 3).join('; ')}`);
  if (r.data.schemaVersion !== RESULTS_SCHEMA_VERSION)
    throw new IncompatibleBaselineError(
      `${path}: results schema ${r.data.schemaVersion}, this ato-bench writes schema ${RESULTS_SCHEMA_VERSION}; regenerate the ${what} (ato-bench gate --update-baseline)`,
    );
  return raw as BenchResults;
}

function perMailbox(d: DetectorResult): Map<string, MailboxSums> {
  const out = new Map<string, MailboxSums>();
  const get = (m: string): MailboxSums => {
    let s = out.get(m);
    if (!s) out.set(m, (s = emptySums()));
    return s;
  };
  for (const row of d.incidents) {
    if (row.kind !== 'ato') continue;
    const s = get(row.mailbox);
    s.targets++;
    if (row.detected) s.detected++;
    s.credit += row.credit ?? 0;
  }
  for (const a of d.alerts) {
    const s = get(a.mailbox);
    s.alerts++;
    if (a.verdict.startsWith('fp')) s.fp++;
    else s.matched++;
  }
  return out;
}

type MetricName = MetricDelta['metric'];

/** The compared values of summed mailboxes, by the scorer's own formulas. */
function metricsOf(rows: readonly MailboxSums[], mailboxDays: number, w: Profile['weights']): Record<MetricName, number> {
  const v = pointValues(sumOf(rows), mailboxDays, w);
  return { recall: v.recall, precision: v.precision, falseAlarmsPer1000MailboxDays: v.fa, score: v.score };
}

/** Higher is better for these; false alarms are better lower. */
const HIGHER_IS_BETTER: Record<MetricName, boolean> = { recall: true, precision: true, falseAlarmsPer1000MailboxDays: false, score: true };

/**
 * Paired bootstrap of metric deltas: resample whole mailboxes with replacement (mailboxes with
 * neither incidents nor alerts count as zeros), the same draw for baseline and head.
 */
function pairedDeltas(
  base: DetectorResult,
  head: DetectorResult,
  dataset: BenchResults['dataset'],
  weights: Profile['weights'],
  samples: number,
  seed: number,
  tolerances: GateConfig['tolerances'],
): MetricDelta[] {
  const b = perMailbox(base);
  const h = perMailbox(head);
  const named = [...new Set([...b.keys(), ...h.keys()])].sort();
  const n = Math.max(dataset.mailboxes, named.length);
  const perDays = dataset.mailboxDays / dataset.mailboxes;
  const rowsB = named.map((m) => b.get(m) ?? emptySums());
  const rowsH = named.map((m) => h.get(m) ?? emptySums());
  const point = { b: metricsOf(rowsB, dataset.mailboxDays, weights), h: metricsOf(rowsH, dataset.mailboxDays, weights) };
  const deltas: Record<MetricName, number[]> = { recall: [], precision: [], falseAlarmsPer1000MailboxDays: [], score: [] };
  const rng = Stream.root(seed).child('paired-bootstrap', head.spec);
  for (let k = 0; k < samples; k++) {
    const sb: MailboxSums[] = [];
    const sh: MailboxSums[] = [];
    for (let i = 0; i < n; i++) {
      const j = rng.int(0, n - 1);
      if (j < named.length) {
        sb.push(rowsB[j]!);
        sh.push(rowsH[j]!);
      }
    }
    const mb = metricsOf(sb, n * perDays, weights);
    const mh = metricsOf(sh, n * perDays, weights);
    for (const m of Object.keys(deltas) as MetricName[]) deltas[m].push(mh[m] - mb[m]);
  }
  return (Object.keys(deltas) as MetricName[]).map((metric) => {
    const sorted = deltas[metric].sort((x, y) => x - y);
    const delta = point.h[metric] - point.b[metric];
    const lo = samples ? nearestRank(sorted, 0.025) : delta;
    const hi = samples ? nearestRank(sorted, 0.975) : delta;
    const tolerance = tolerances[metric];
    // A regression: the whole interval lies beyond the tolerance in the bad direction.
    const regression = HIGHER_IS_BETTER[metric] ? hi < -tolerance : lo > tolerance;
    return { metric, baseline: point.b[metric], head: point.h[metric], delta, lo, hi, tolerance, regression };
  });
}

function incidentRefs(d: DetectorResult | undefined): Map<string, IncidentRef & { detected: boolean }> {
  const out = new Map<string, IncidentRef & { detected: boolean }>();
  for (const r of d?.incidents ?? []) {
    if (r.kind !== 'ato') continue;
    out.set(r.id, { id: r.id, scenario: r.scenario, kind: r.kind, mailbox: r.mailbox, onset: new Date(r.onset * 1000).toISOString(), detected: r.detected });
  }
  return out;
}

function falseAlarms(d: DetectorResult | undefined): Map<string, FalseAlarmRef> {
  const out = new Map<string, FalseAlarmRef>();
  for (const a of d?.alerts ?? []) {
    if (!a.verdict.startsWith('fp')) continue;
    out.set(`${a.mailbox}/${a.emailId}`, {
      mailbox: a.mailbox,
      emailId: a.emailId,
      at: new Date(a.at * 1000).toISOString(),
      fellOn: a.verdict.slice(3),
      reason: a.reason,
    });
  }
  return out;
}

const strip = ({ detected: _d, ...r }: IncidentRef & { detected: boolean }): IncidentRef => r;

/** Floor-relative speed: the detector's replay speed over its own run's read+parse floor. */
function relativeSpeed(r: BenchResults, d: DetectorResult | undefined): number | null {
  if (!d || !d.speed.replayPerSecond || !r.floors.readParsePerSecond) return null;
  return d.speed.replayPerSecond / r.floors.readParsePerSecond;
}

export function compareResults(
  baseline: BenchResults,
  head: BenchResults,
  opts: { gate: GateConfig; knownFps?: readonly KnownFalsePositive[]; files: { baseline: string; head: string } },
): CompareResult {
  if (baseline.dataset.manifestSha256 !== head.dataset.manifestSha256) {
    throw new IncompatibleBaselineError(
      `the baseline was scored on another dataset (manifest ${baseline.dataset.manifestSha256.slice(0, 12)}..., seed ${baseline.dataset.seed}) than the head (manifest ${head.dataset.manifestSha256.slice(0, 12)}..., seed ${head.dataset.seed}); regenerate the baseline on the pinned dataset`,
    );
  }
  const gate = opts.gate;
  const known = new Set((opts.knownFps ?? []).map((k) => `${k.detector}/${k.mailbox}/${k.emailId}`));
  const byLabel = (r: BenchResults): Map<string, DetectorResult> => new Map(r.detectors.map((d) => [d.spec, d]));
  const B = byLabel(baseline);
  const H = byLabel(head);
  const labels = (gate.detectors ?? [...new Set([...H.keys(), ...B.keys()])]).slice();
  const weights = head.scoring.profile.weights;
  const reasons: string[] = [];
  const detectors: DetectorComparison[] = labels.map((label) => {
    const b = B.get(label);
    const h = H.get(label);
    const checks: GateCheck[] = [];
    const presence = b && h ? 'both' : b ? 'baseline-only' : 'head-only';
    if (!h) checks.push({ name: 'present', pass: false, message: `${label} is in the baseline but did not run in the head` });
    else if (h.status !== 'ok') checks.push({ name: 'ran', pass: false, message: `${label} ${h.status}: ${h.error ?? ''}` });
    else checks.push({ name: 'ran', pass: true, message: `${label} ran` });

    const ib = incidentRefs(b);
    const ih = incidentRefs(h);
    const both: IncidentRef[] = [];
    const gained: IncidentRef[] = [];
    const lost: IncidentRef[] = [];
    for (const [id, r] of ih) {
      const was = ib.get(id)?.detected ?? false;
      if (r.detected && was) both.push(strip(r));
      else if (r.detected) gained.push(strip(r));
      else if (was) lost.push(strip(ib.get(id)!));
    }
    if (h) for (const [id, r] of ib) if (r.detected && !ih.has(id)) lost.push(strip(r));

    const mustDetect = gate.mustDetect.filter((m) => m.detector === undefined || m.detector === label || m.detector === h?.id);
    const lostMust = lost.filter((r) =>
      mustDetect.some(
        (m) => (m.incident === undefined || m.incident === r.id) && (m.scenario === undefined || m.scenario === '*' || m.scenario === r.scenario),
      ),
    );
    checks.push({
      name: 'must-detect',
      pass: lostMust.length === 0,
      message: lostMust.length
        ? `lost ${lostMust.length} must-detect incident(s): ${lostMust.map((r) => `${r.id} (${r.scenario})`).join(', ')}`
        : `no must-detect incident lost (${both.length + gained.length} detected)`,
    });

    const fb = falseAlarms(b);
    const fh = falseAlarms(h);
    const fBoth: FalseAlarmRef[] = [];
    const fNew: FalseAlarmRef[] = [];
    const fKnown: FalseAlarmRef[] = [];
    const fRemoved: FalseAlarmRef[] = [];
    for (const [k, f] of fh) {
      if (fb.has(k)) fBoth.push(f);
      else if (known.has(`${label}/${k}`) || known.has(`${h?.id}/${k}`)) fKnown.push(f);
      else fNew.push(f);
    }
    for (const [k, f] of fb) if (!fh.has(k)) fRemoved.push(f);
    checks.push({
      name: 'new-false-alarms',
      pass: fNew.length === 0 || gate.newFalseAlarms === 'warn',
      message: fNew.length
        ? `${fNew.length} new false alarm(s) not in the known list: ${fNew
            .slice(0, 5)
            .map((f) => `${f.mailbox} at ${f.at} (on ${f.fellOn})`)
            .join(', ')}${fNew.length > 5 ? ', ...' : ''}`
        : `no new false alarm${fKnown.length ? ` (${fKnown.length} known)` : ''}`,
    });

    let deltas: MetricDelta[] = [];
    if (b && h && b.status === 'ok' && h.status === 'ok') {
      deltas = pairedDeltas(b, h, head.dataset, weights, gate.bootstrapSamples, head.dataset.seed, gate.tolerances);
      for (const d of deltas) {
        checks.push({
          name: `tolerance:${d.metric}`,
          pass: !d.regression,
          message: `${d.metric} ${d.baseline.toFixed(3)} -> ${d.head.toFixed(3)} (delta ${d.delta >= 0 ? '+' : ''}${d.delta.toFixed(3)}, 95 % [${d.lo.toFixed(3)}, ${d.hi.toFixed(3)}], tolerance ${d.tolerance})${d.regression ? ': beyond tolerance and outside noise' : ''}`,
        });
      }
    }
    const sb = relativeSpeed(baseline, b);
    const sh = relativeSpeed(head, h);
    const ratio = sb && sh ? sh / sb : null;
    if (ratio !== null) {
      const pass = ratio >= gate.tolerances.speedRatio;
      checks.push({
        name: 'speed',
        pass,
        message: `speed relative to the read+parse floor: ${ratio.toFixed(2)}x the baseline's (at least ${gate.tolerances.speedRatio}x)`,
      });
    }
    for (const c of checks) if (!c.pass) reasons.push(`${label}: ${c.message}`);
    return {
      id: h?.id ?? b?.id ?? label,
      spec: label,
      presence,
      versions: { baseline: b?.version ?? null, head: h?.version ?? null },
      status: { baseline: b?.status ?? null, head: h?.status ?? null },
      incidents: { both, gained, lost },
      falseAlarms: { both: fBoth, new: fNew, removed: fRemoved, newKnown: fKnown },
      deltas,
      speed: { baseline: b?.speed.replayPerSecond ?? null, head: h?.speed.replayPerSecond ?? null, ratio },
      checks,
    };
  });
  return {
    schema: 'ato-bench/compare',
    schemaVersion: COMPARE_SCHEMA_VERSION,
    baseline: { file: opts.files.baseline, manifestSha256: baseline.dataset.manifestSha256, git: baseline.git },
    head: { file: opts.files.head, manifestSha256: head.dataset.manifestSha256, git: head.git },
    dataset: { seed: head.dataset.seed, mailboxes: head.dataset.mailboxes, mailboxDays: head.dataset.mailboxDays, emails: head.dataset.emails },
    detectors,
    pass: reasons.length === 0,
    reasons,
  };
}

/** The plain-text summary compare and gate print (bench/report/text.ts; the Markdown report is bench/report/markdown.ts). */
export { compareText as formatCompare } from './report/text.js';

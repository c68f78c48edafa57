/**
 * compare judges a change by the scorer's own numbers: its point values must be the ones the
 * leaderboard printed for the same results, under any profile, and a results file compared with
 * itself must show no change at all.
 */
import { describe, expect, it } from 'vitest';
import { RESULTS_SCHEMA_VERSION } from './benchmark.js';
import type { BenchResults, DetectorResult } from './benchmark.js';
import { compareResults, parseGateConfig } from './compare.js';
import { score } from './score.js';
import type { Profile, ScoreOptions, ScoringIncident, StampedAlert, StreamIndex } from './types.js';

const T0 = 1_700_000_000;
const h = (x: number): number => T0 + x * 3600;

// Three mailboxes over ten days: takeovers in a and b, a look-alike in c. The detector catches
// A1 late (partial credit), misses B1 and raises a false alarm in c.
const STREAM: StreamIndex = {
  mailboxes: ['a', 'b', 'c'],
  mailboxDays: 30,
  arrivals: new Map([
    ['a', [h(0), h(10), h(20), h(30)]],
    ['b', [h(5), h(15)]],
    ['c', [h(10), h(12)]],
  ]),
  labels: new Map([
    ['a0', 'benign'],
    ['a1', 'ato'],
    ['a2', 'ato'],
    ['a3', 'benign'],
    ['b1', 'ato'],
    ['b2', 'ato'],
    ['c1', 'lookalike'],
    ['c2', 'lookalike'],
  ]),
};
const INCIDENTS: ScoringIncident[] = [
  { id: 'A1', mailbox: 'a', scenario: 'ato-x', kind: 'ato', onset: h(10), end: h(20), platformNoticeAt: null },
  { id: 'B1', mailbox: 'b', scenario: 'ato-x', kind: 'ato', onset: h(5), end: h(15), platformNoticeAt: null },
  { id: 'C1', mailbox: 'c', scenario: 'lookalike-y', kind: 'lookalike', onset: h(10), end: h(12), platformNoticeAt: null },
];
const ALERTS: StampedAlert[] = [
  { mailbox: 'a', score: 1, reason: 'late', evidence: ['a3'], emailId: 'a3', at: h(30) },
  { mailbox: 'c', score: 1, reason: 'fooled', evidence: ['c2'], emailId: 'c2', at: h(12) },
];

/** A results file holding one detector scored under `profile`, as benchmark() writes it. */
function resultsUnder(profile: Profile): { results: BenchResults; detector: DetectorResult } {
  const opts: ScoreOptions = { graceHours: 24, profile, bootstrap: { samples: 0, seed: 1 }, budgets: [], horizons: [], target: 'ato' };
  const s = score(ALERTS, INCIDENTS, STREAM, opts);
  const detector: DetectorResult = {
    id: 'test',
    version: '1.0.0',
    description: '',
    kind: 'rules',
    upperBound: false,
    spec: 'test',
    mode: 'streamed',
    isolation: 'bubblewrap',
    status: 'ok',
    speed: { emails: 8, replayPerSecond: 1, startupSeconds: 0.1, maxRssMb: 1 },
    metrics: s.metrics,
    randomBaseline: null,
    perRule: null,
    incidents: s.incidents,
    alerts: ALERTS.map((a, i) => {
      const v = s.verdicts[i]!;
      return { ...a, verdict: v.kind === 'fp' ? `fp:${v.on}` : `${v.kind}:${v.incident}` };
    }),
  };
  const results: BenchResults = {
    schema: 'ato-bench/results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    benchmarkVersion: '0.0.0',
    git: null,
    dataset: {
      dir: '',
      manifestSha256: 'f'.repeat(64),
      formatVersion: 0,
      seed: 1,
      configHash: '',
      mailboxes: 3,
      mailboxDays: 30,
      emails: 8,
      incidents: {},
      split: null,
    },
    scoring: { profile, graceHours: 24, bootstrapSamples: 0, budgets: [], horizons: [], target: 'ato' },
    floors: { readParsePerSecond: 1, replayPerSecond: null },
    detectors: [detector],
  };
  return { results, detector };
}

describe('compare', () => {
  // tp != 1 tells a score formula that forgot the weight of a detection from the scorer's.
  for (const weights of [
    { tp: 1, fn: 1, fp: 0.11 },
    { tp: 2, fn: 1, fp: 0.3 },
    { tp: 1, fn: 3, fp: 0.05 },
  ]) {
    it(`reports the scorer's own values and no change against itself (weights ${JSON.stringify(weights)})`, () => {
      const { results, detector } = resultsUnder({ name: 'test', weights });
      const gate = parseGateConfig({ bootstrapSamples: 200 }, 'test');
      const c = compareResults(results, results, { gate, files: { baseline: 'b.json', head: 'h.json' } });
      const deltas = new Map(c.detectors[0]!.deltas.map((d) => [d.metric, d]));
      const m = detector.metrics!;
      // The fixture is not degenerate: a partial credit, a miss and a false alarm all count.
      expect(m.score.value).toBeGreaterThan(0);
      expect(m.score.value).toBeLessThan(50);
      expect(deltas.get('recall')!.baseline).toBe(m.recall.value);
      expect(deltas.get('precision')!.baseline).toBe(m.precision.value);
      expect(deltas.get('falseAlarmsPer1000MailboxDays')!.baseline).toBe(m.falseAlarmsPer1000MailboxDays.value);
      expect(deltas.get('score')!.baseline).toBeCloseTo(m.score.value, 9);
      for (const d of deltas.values()) expect([d.delta, d.lo, d.hi, d.regression]).toEqual([0, 0, 0, false]);
    });
  }
});

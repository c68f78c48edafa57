/**
 * Scorer tests in NAB's manner (tests/integration/true_positive_test.py): tiny hand-made streams
 * with every expected number worked out by hand in the comments, then relations and properties
 * (fast-check prints the seed of a failure; replay with { seed, path } in fc.assert).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PROFILES, loadProfile, nabCredit, nabSigma, nearestRank, randomBaselineAlerts, rateMatchedRandom, score } from './score.js';
import type { AlertVerdict, IncidentKind, Profile, ScoreOptions, ScoringIncident, StampedAlert, StreamIndex } from './types.js';

const T0 = 1_700_000_000;
const H = 3600;
/** Stream time `x` hours after T0. */
const h = (x: number): number => T0 + x * H;

const STANDARD: Profile = { name: 'standard', weights: { tp: 1, fn: 1, fp: 0.11 } };

function opts(over: Partial<ScoreOptions> = {}): ScoreOptions {
  return {
    graceHours: 24,
    profile: STANDARD,
    bootstrap: { samples: 0, seed: 1 },
    budgets: [],
    horizons: [],
    target: 'ato',
    ...over,
  };
}

type Mail = [id: string, mailbox: string, hour: number, label: string];

function streamOf(mailboxes: string[], days: number, mails: Mail[]): StreamIndex {
  const arrivals = new Map<string, number[]>(mailboxes.map((m) => [m, []]));
  const labels = new Map<string, string>();
  for (const [id, mailbox, hour, label] of mails) {
    arrivals.get(mailbox)!.push(h(hour));
    labels.set(id, label);
  }
  for (const xs of arrivals.values()) xs.sort((a, b) => a - b);
  return { mailboxes, mailboxDays: mailboxes.length * days, arrivals, labels };
}

function alert(mailbox: string, hour: number, emailId: string, score = 1): StampedAlert {
  return { mailbox, score, reason: 'test', evidence: [emailId], emailId, at: h(hour) };
}

function incident(
  id: string,
  mailbox: string,
  scenario: string,
  kind: IncidentKind,
  onset: number,
  end: number,
  notice: number | null = null,
): ScoringIncident {
  return { id, mailbox, scenario, kind, onset: h(onset), end: h(end), platformNoticeAt: notice === null ? null : h(notice) };
}

/** The NAB credit of a detection ttd hours into a window of W hours, straight from scoring.md. */
const sigma = (y: number): number => 2 / (1 + Math.exp(5 * y)) - 1;
const credit = (ttd: number, W: number): number => sigma(ttd / W - 1) / sigma(-1);

// ---------------------------------------------------------------------------------------------
// Fixture 1: three mailboxes, ten days each (30 mailbox-days), grace 24 h.
//   a: takeover A1, onset 10 h, end 20 h, platform notice at 25 h -> window [10, 44], W = 34 h
//   b: takeover B1, onset 5 h, end 15 h                          -> window [5, 39],  W = 34 h
//   c: look-alike C1 (benign new-login mails), onset 10 h, end 12 h -> window [10, 36]

const S1 = streamOf(['a', 'b', 'c'], 10, [
  ['a0', 'a', 0, 'benign'],
  ['a1', 'a', 10, 'ato'],
  ['a2', 'a', 20, 'ato'],
  ['a3', 'a', 30, 'benign'],
  ['a4', 'a', 40, 'benign'],
  ['a5', 'a', 50, 'benign'],
  ['b0', 'b', 0, 'benign'],
  ['b1', 'b', 5, 'ato'],
  ['b2', 'b', 15, 'ato'],
  ['b3', 'b', 100, 'benign'],
  ['b4', 'b', 200, 'benign'],
  ['c0', 'c', 0, 'phishing'],
  ['c1', 'c', 10, 'lookalike'],
  ['c2', 'c', 12, 'lookalike'],
  ['c3', 'c', 50, 'benign'],
]);

const I1 = [
  incident('A1', 'a', 'takeover', 'ato', 10, 20, 25),
  incident('B1', 'b', 'takeover', 'ato', 5, 15),
  incident('C1', 'c', 'new-login', 'lookalike', 10, 12),
];

const A1s = [
  alert('b', 200, 'b4', 0.2), // 0: long after B1's window (39 h): FP, on 'other'
  alert('a', 40, 'a4', 0.8), // 1: second alert in A1's window: dup
  alert('a', 0, 'a0', 0.9), // 2: before A1's onset: earns nothing, FP on 'other'
  alert('c', 12, 'c2', 0.7), // 3: look-alike mail: FP on 'lookalike' (label)
  alert('a', 30, 'a3', 0.4), // 4: first alert in A1's window: TP, ttd 20 h
  alert('c', 0, 'c0', 0.1), // 5: phishing mail: FP on 'phishing' (label)
];

describe('score on fixture 1', () => {
  const r = score(A1s, I1, S1, opts({ horizons: [1, 20, 24, 48], budgets: [0, 10, 40, 70, 200] }));
  const m = r.metrics;

  it('judges each alert, in the order given', () => {
    expect(r.verdicts).toEqual([
      { kind: 'fp', on: 'other' },
      { kind: 'dup', incident: 'A1' },
      { kind: 'fp', on: 'other' },
      { kind: 'fp', on: 'lookalike' },
      { kind: 'tp', incident: 'A1' },
      { kind: 'fp', on: 'phishing' },
    ]);
    expect([m.alerts, m.tp, m.dup, m.fp]).toEqual([6, 1, 1, 4]);
    expect(m.falseAlarmsOn).toEqual({ lookalike: 1, phishing: 1, other: 2 });
  });

  it('counts recall, precision and false alarms', () => {
    expect([m.incidents, m.detected]).toEqual([2, 1]);
    expect(m.recall).toEqual({ value: 0.5, lo: 0.5, hi: 0.5 }); // A1 of {A1, B1}
    expect(m.precision.value).toBe(2 / 6); // (tp 1 + dup 1) / 6 alerts
    expect(m.falseAlarmsPer1000MailboxDays.value).toBe((1000 * 4) / 30); // 4 FPs in 30 mailbox-days = 133.3
    expect(m.recallByScenario).toEqual({
      'new-login': { kind: 'lookalike', incidents: 1, detected: 1, share: 1 }, // c@12 lies in [10, 36]
      takeover: { kind: 'ato', incidents: 2, detected: 1, share: 0.5 },
    });
  });

  it('measures latency in hours and in mails, D(x) and lead', () => {
    // A1: first matching alert at 30 h, onset 10 h -> 20 h; mails of a in [10 h, 30 h]: a1, a2, a3.
    expect(m.latencyHours).toEqual({ p50: 20, p90: 20, n: 1 });
    expect(m.latencyMails).toEqual({ p50: 3, p90: 3, n: 1 });
    // D(x) over both targets: A1 within 20 h (inclusive), B1 never.
    expect(m.detectedWithin).toEqual({ '1': 0, '20': 0.5, '24': 0.5, '48': 0.5 });
    // Platform noticed at 25 h, the detector at 30 h: lead -5 h, it did not beat the platform.
    expect(m.leadHours).toEqual({ p50: -5, p90: -5, n: 1, beatPlatform: 0 });
  });

  it('lists every incident, sorted by (onset, end, id)', () => {
    expect(r.incidents).toEqual([
      {
        id: 'B1',
        scenario: 'takeover',
        kind: 'ato',
        mailbox: 'b',
        onset: h(5),
        detected: false,
        firstAlertAt: null,
        latencyHours: null,
        latencyMails: null,
        leadHours: null,
        credit: 0, // a missed target earns nothing
      },
      // Non-targets: "detected" = flagged; c@12 is 2 h after onset, mails c1 (10 h) and c2 (12 h).
      {
        id: 'C1',
        scenario: 'new-login',
        kind: 'lookalike',
        mailbox: 'c',
        onset: h(10),
        detected: true,
        firstAlertAt: h(12),
        latencyHours: 2,
        latencyMails: 2,
        leadHours: null,
        credit: null, // not a target
      },
      {
        id: 'A1',
        scenario: 'takeover',
        kind: 'ato',
        mailbox: 'a',
        onset: h(10),
        detected: true,
        firstAlertAt: h(30),
        latencyHours: 20,
        latencyMails: 3,
        leadHours: -5,
        credit: credit(20, 34), // detected 20 h into a 34 h window (see the NAB test below)
      },
    ]);
  });

  it('computes the NAB-style score by hand', () => {
    // A1: y = 20/34 - 1 = -7/17; sigma(-7/17) = 2/(1 + e^(-35/17)) - 1 = 0.77367; sigma(-1) = 0.98661;
    // credit r = 0.784169. S = r - 1 (B1 missed) - 0.11 * 4 FPs; S_null = -1 * 2 = -2;
    // normalised = 100 * (S + 2) / (1 * 2 + 2) = 25 * (r + 0.56) = 33.6042.
    const r1 = sigma(-7 / 17) / sigma(-1);
    expect(r1).toBeCloseTo(0.784169, 6);
    expect(m.score.value).toBeCloseTo((100 * (r1 - 1 - 0.44 + 2)) / 4, 12);
    expect(m.score.value).toBeCloseTo(33.604224, 6);
  });

  it('weighs the same alerts differently under each bundled profile', () => {
    const r1 = sigma(-7 / 17) / sigma(-1);
    const lowFp = score(A1s, I1, S1, opts({ profile: loadProfile('low-fp') })).metrics.score.value;
    const lowFn = score(A1s, I1, S1, opts({ profile: loadProfile('low-fn') })).metrics.score.value;
    // low-FP: S = r - 1 - 0.22 * 4, S_null = -2: 100 * (r + 0.12) / 4 = 22.604
    expect(lowFp).toBeCloseTo((100 * (r1 - 1 - 0.88 + 2)) / 4, 12);
    // low-FN: S = r - 2 * 1 - 0.11 * 4, S_null = -2 * 2 = -4, range 1 * 2 + 4 = 6: 100 * (r + 1.56) / 6 = 39.07
    expect(lowFn).toBeCloseTo((100 * (r1 - 2 - 0.44 + 4)) / 6, 12);
  });

  it('reports recall at a false-alarm budget, re-running the matching at each threshold', () => {
    // Thresholds from the top (30 mailbox-days, so one FP = 33.3 per 1,000):
    //   >= 0.9 {a@0}                 FP 1 (before onset)   -> 33.3, recall 0
    //   >= 0.8 +a@40                 a@40 is now A1's first alert: TP -> 33.3, recall 0.5
    //   >= 0.7 +c@12                 FP 2                  -> 66.7, recall 0.5
    //   >= 0.4 +a@30                 a@30 TP, a@40 dup     -> 66.7, recall 0.5
    //   >= 0.2, >= 0.1               FP 3, 4               -> 100, 133.3
    // Budget 10 only admits keeping nothing; 40 admits >= 0.8 (recall 0.5 only if a@40 is re-judged).
    expect(m.recallAtBudget).toEqual({ '0': 0, '10': 0, '40': 0.5, '70': 0.5, '200': 0.5 });
  });
});

// ---------------------------------------------------------------------------------------------
// Fixture 2: overlapping takeovers of one mailbox, and an FP on another (2 mailboxes x 50 days).
//   X1 onset 0 end 10 -> window [0, 34]; X2 onset 5 end 30 -> window [5, 54] (grace 24 h)

const S2 = streamOf(['x', 'y'], 50, [
  ['x0', 'x', 0, 'ato'],
  ['x5', 'x', 5, 'ato'],
  ['x6', 'x', 6, 'ato'],
  ['x8', 'x', 8, 'ato'],
  ['x9', 'x', 9, 'ato'],
  ['x30', 'x', 30, 'ato'],
  ['x40', 'x', 40, 'benign'],
  ['y1', 'y', 1, 'benign'],
]);
const I2 = [incident('X2', 'x', 'takeover', 'ato', 5, 30), incident('X1', 'x', 'takeover', 'ato', 0, 10)];
const A2s = [
  alert('x', 9, 'x9', 0.1), // in both windows, both matched: dup of the earliest onset (X1)
  alert('x', 6, 'x6', 0.5), // in both, none matched: TP of the earliest onset (X1)
  alert('x', 40, 'x40', 0.2), // only in X2's window, X2 matched: dup X2
  alert('x', 8, 'x8', 0.9), // in both, X1 matched: TP of X2
  alert('y', 1, 'y1', 0.7), // no incident on y: FP
];

describe('score on fixture 2 (overlapping windows)', () => {
  const r = score(A2s, I2, S2, opts({ budgets: [0, 9.99, 10] }));

  it('gives an alert in several windows to the earliest-onset one not yet matched, else the earliest', () => {
    expect(r.verdicts).toEqual([
      { kind: 'dup', incident: 'X1' },
      { kind: 'tp', incident: 'X1' },
      { kind: 'dup', incident: 'X2' },
      { kind: 'tp', incident: 'X2' },
      { kind: 'fp', on: 'other' },
    ]);
    expect([r.metrics.tp, r.metrics.dup, r.metrics.fp, r.metrics.recall.value]).toEqual([2, 2, 1, 1]);
    // X1 at 6 h (6 h; mails x0 x5 x6), X2 at 8 h (3 h; mails x5 x6 x8): p50 = 3 (1st of 2), p90 = 6 (2nd).
    expect(r.metrics.latencyHours).toEqual({ p50: 3, p90: 6, n: 2 });
    expect(r.metrics.latencyMails).toEqual({ p50: 3, p90: 3, n: 2 });
    expect(r.metrics.falseAlarmsPer1000MailboxDays.value).toBe(10); // 1000 * 1 / 100
  });

  it('sweeps the threshold: the top alert alone detects X1, not X2', () => {
    //   >= 0.9 {x@8}: alone it is X1's TP -> FP 0, recall 1/2
    //   >= 0.7 +y@1: FP 1 -> 10 per 1,000, recall 1/2
    //   >= 0.5 +x@6: X1 (x@6), X2 (x@8) -> 10, recall 1
    expect(r.metrics.recallAtBudget).toEqual({ '0': 0.5, '9.99': 0.5, '10': 1 });
  });

  it('a lower threshold that only adds a dup adds no recall', () => {
    // T1 [0, 10] and T2 [100, 110], no grace. >= 0.9 {t@5}: T1 -> recall 1/2, no FP;
    // >= 0.5 +t@6: dup of T1 -> still 1/2 (T2 has no alert in its window).
    const S = streamOf(['t'], 10, [
      ['t5', 't', 5, 'ato'],
      ['t6', 't', 6, 'ato'],
    ]);
    const I = [incident('T1', 't', 'takeover', 'ato', 0, 10), incident('T2', 't', 'takeover', 'ato', 100, 110)];
    const m = score([alert('t', 5, 't5', 0.9), alert('t', 6, 't6', 0.5)], I, S, opts({ graceHours: 0, budgets: [0] })).metrics;
    expect(m.recallAtBudget).toEqual({ '0': 0.5 });
    expect([m.tp, m.dup]).toEqual([1, 1]);
  });

  it('scores both detections by hand', () => {
    // X1: ttd 6 h of W = 34 h; X2: ttd 3 h of W = 49 h. S = c1 + c2 - 0.11; S_null = -2; range 4.
    const expected = (100 * (credit(6, 34) + credit(3, 49) - 0.11 + 2)) / 4;
    expect(r.metrics.score.value).toBeCloseTo(expected, 12);
    // credit(6, 34): y = -0.8235, sigma = 0.96796, / 0.98661 = 0.98109; credit(3, 49): y = -0.9388,
    // sigma = 0.98187, / 0.98661 = 0.99520. 100 * (1.97629 - 0.11 + 2) / 4 = 96.657.
    expect(r.metrics.score.value).toBeCloseTo(96.657, 3);
  });
});

// ---------------------------------------------------------------------------------------------
// Windows: one takeover G1 on mailbox g, onset 10 h, end 20 h, grace 24 h -> [10 h, 44 h], W = 34 h.

describe('window edges', () => {
  const S = streamOf(['g'], 10, [
    ['g1', 'g', 10, 'ato'],
    ['g2', 'g', 20, 'ato'],
  ]);
  const I = [incident('G1', 'g', 'takeover', 'ato', 10, 20)];
  const one = (at: number, grace = 24) => score([{ ...alert('g', 0, 'g?'), at }], I, S, opts({ graceHours: grace })).metrics;

  it('an alert one second before onset earns nothing and is an FP', () => {
    const m = one(h(10) - 1);
    expect([m.tp, m.fp, m.recall.value]).toEqual([0, 1, 0]);
    expect(m.score.value).toBeCloseTo(-5.5, 12); // S = -1 - 0.11, S_null = -1: 100 * (-0.11) / 2
  });

  it('an alert at onset is a TP worth the full credit', () => {
    const m = one(h(10));
    expect([m.tp, m.fp, m.recall.value]).toEqual([1, 0, 1]);
    expect(m.latencyHours).toEqual({ p50: 0, p90: 0, n: 1 });
    expect(m.score.value).toBe(100);
  });

  it('an alert within grace after the end counts; the last instant earns no credit but avoids the miss', () => {
    const after = one(h(30));
    expect([after.tp, after.fp]).toEqual([1, 0]);
    expect(after.score.value).toBeCloseTo((100 * (credit(20, 34) + 1)) / 2, 12);
    const last = one(h(44));
    expect([last.tp, last.fp]).toEqual([1, 0]);
    expect(last.score.value).toBeCloseTo(50, 12); // sigma(0) = 0: S = 0, S_null = -1: 100 * 1 / 2
  });

  it('an alert one second after the grace is an FP; with no grace, one second after the end is', () => {
    const m = one(h(44) + 1);
    expect([m.tp, m.fp, m.recall.value]).toEqual([0, 1, 0]);
    expect(m.score.value).toBeCloseTo(-5.5, 12);
    expect(one(h(20), 0).tp).toBe(1);
    expect(one(h(20) + 1, 0).fp).toBe(1);
  });

  it('a window of length zero (one mail, no grace) gives full credit at its one instant', () => {
    const I0 = [incident('Z', 'g', 'takeover', 'ato', 10, 10)];
    expect(score([alert('g', 10, 'g1')], I0, S, opts({ graceHours: 0 })).metrics.score.value).toBe(100);
    expect(nabCredit(0, 0)).toBe(1);
  });

  it('an earlier detection scores higher than a later one, anywhere in the window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 34 * H }), fc.integer({ min: 0, max: 34 * H }), (t1, t2) => {
        fc.pre(t1 !== t2);
        const [early, late] = t1 < t2 ? [t1, t2] : [t2, t1];
        expect(one(h(10) + early).score.value).toBeGreaterThan(one(h(10) + late).score.value);
      }),
    );
  });
});

describe('dups and false alarms', () => {
  it('further alerts in a detected window are dups, never FPs, and cost nothing', () => {
    const base = score([A1s[4]!], I1, S1, opts()).metrics; // a@30 alone
    const more = score([A1s[4]!, alert('a', 31, 'a3'), alert('a', 44, 'a4'), alert('a', 20, 'a2')], I1, S1, opts()).metrics;
    expect([more.tp, more.dup, more.fp]).toEqual([1, 3, 0]);
    // a@20 is now the first: ttd 10 h instead of 20 h, so the score rises; no FP cost.
    expect(more.score.value).toBeCloseTo((100 * (credit(10, 34) - 1 + 2)) / 4, 12);
    expect(base.score.value).toBeCloseTo((100 * (credit(20, 34) - 1 + 2)) / 4, 12);
    expect(more.precision.value).toBe(1);
  });

  it('splits FPs by label first, then by look-alike, then phishing windows of the same mailbox', () => {
    // v: phishing P1 [0, 10] -> window [0, 34]; look-alike L1 [20, 30] -> window [20, 54]. No takeover.
    const S = streamOf(['v', 'w'], 10, [
      ['v5', 'v', 5, 'benign'],
      ['v25', 'v', 25, 'benign'],
      ['v30', 'v', 30, 'phishing'],
      ['v40', 'v', 40, 'benign'],
      ['v60', 'v', 60, 'phishing'],
      ['v70', 'v', 70, 'spam'],
      ['w25', 'w', 25, 'benign'],
    ]);
    const I = [incident('P1', 'v', 'phish-kit', 'phishing', 0, 10), incident('L1', 'v', 'new-login', 'lookalike', 20, 30)];
    const alerts = [
      alert('v', 5, 'v5'), // benign mail in P1's window only -> phishing
      alert('v', 25, 'v25'), // benign mail in both windows -> lookalike (look-alike first)
      alert('v', 30, 'v30'), // phishing mail in both windows -> phishing (label first)
      alert('v', 40, 'v40'), // benign mail in L1's window only -> lookalike
      alert('v', 60, 'v60'), // phishing mail outside every window -> phishing (label)
      alert('v', 70, 'v70'), // spam outside every window -> other
      alert('w', 25, 'w25'), // v's windows do not reach mailbox w -> other
    ];
    const r = score(alerts, I, S, opts());
    expect(r.verdicts.map((v) => (v.kind === 'fp' ? v.on : v.kind))).toEqual(['phishing', 'lookalike', 'phishing', 'lookalike', 'phishing', 'other', 'other']);
    expect(r.metrics.falseAlarmsOn).toEqual({ lookalike: 2, phishing: 3, other: 2 });
    expect([r.metrics.fp, r.metrics.incidents, r.metrics.recall.value, r.metrics.score.value, r.metrics.precision.value]).toEqual([7, 0, 0, 0, 0]);
    expect(r.metrics.falseAlarmsPer1000MailboxDays.value).toBe(350); // 1000 * 7 / 20
    expect(r.metrics.recallByScenario).toEqual({
      'new-login': { kind: 'lookalike', incidents: 1, detected: 1, share: 1 },
      'phish-kit': { kind: 'phishing', incidents: 1, detected: 1, share: 1 },
    });
  });

  it('scores look-alikes as the target when asked to', () => {
    // target 'lookalike' on fixture 1: C1 is the only target, c@12 its TP; the a and b alerts are FPs.
    const m = score(A1s, I1, S1, opts({ target: 'lookalike' })).metrics;
    expect([m.incidents, m.tp, m.dup, m.fp, m.recall.value]).toEqual([1, 1, 0, 5, 1]);
    // c@0 is still an FP 'phishing' by its label; the ato windows are not look-alike or phishing ones.
    expect(m.falseAlarmsOn).toEqual({ lookalike: 0, phishing: 1, other: 4 });
  });
});

describe('baselines: null and perfect detectors', () => {
  const full = opts({ horizons: [0, 24], budgets: [1, 5, 20], bootstrap: { samples: 200, seed: 3 } });

  it('the null detector scores recall 0, no false alarms, score 0', () => {
    const r = score([], I1, S1, full);
    const m = r.metrics;
    const zero = { value: 0, lo: 0, hi: 0 };
    expect([m.recall, m.precision, m.falseAlarmsPer1000MailboxDays, m.score]).toEqual([zero, zero, zero, zero]);
    expect([m.alerts, m.tp, m.dup, m.fp, m.detected, m.incidents]).toEqual([0, 0, 0, 0, 0, 2]);
    expect([m.latencyHours, m.latencyMails, m.leadHours]).toEqual([null, null, null]);
    expect(m.detectedWithin).toEqual({ '0': 0, '24': 0 });
    expect(m.recallAtBudget).toEqual({ '1': 0, '5': 0, '20': 0 });
    expect(r.verdicts).toEqual([]);
  });

  it('a perfect detector (one alert at each onset) scores exactly 100 and recall 1', () => {
    const r = score([alert('a', 10, 'a1'), alert('b', 5, 'b1')], I1, S1, full);
    const m = r.metrics;
    expect(m.recall).toEqual({ value: 1, lo: 1, hi: 1 });
    expect(m.score).toEqual({ value: 100, lo: 100, hi: 100 });
    expect(m.precision.value).toBe(1);
    expect(m.falseAlarmsPer1000MailboxDays.value).toBe(0);
    expect(m.latencyHours).toEqual({ p50: 0, p90: 0, n: 2 });
    expect(m.latencyMails).toEqual({ p50: 1, p90: 1, n: 2 }); // the onset mail itself
    expect(m.detectedWithin).toEqual({ '0': 1, '24': 1 });
    // A1's platform notice at 25 h, alert at 10 h: the detector was 15 h ahead.
    expect(m.leadHours).toEqual({ p50: 15, p90: 15, n: 1, beatPlatform: 1 });
    expect(m.recallAtBudget).toEqual({ '1': 1, '5': 1, '20': 1 });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random alerts and incidents on fixture 1's stream.

const hours = fc.integer({ min: 0, max: 120 });
const arbAlert = fc.record({
  mailbox: fc.constantFrom('a', 'b', 'c'),
  hour: hours,
  email: fc.constantFrom('e1', 'e2', 'a1', 'c1', 'c0'),
  score: fc.constantFrom(0.1, 0.5, 0.9, 1),
  reason: fc.constantFrom('r1', 'r2'),
});
const arbIncident = fc.record({
  mailbox: fc.constantFrom('a', 'b', 'c'),
  kind: fc.constantFrom<IncidentKind>('ato', 'ato', 'lookalike', 'phishing'),
  variant: fc.constantFrom(0, 1),
  onset: hours,
  length: fc.integer({ min: 0, max: 40 }),
  notice: fc.option(hours),
});
const arbCase = fc.record({ alerts: fc.array(arbAlert, { maxLength: 14 }), incidents: fc.array(arbIncident, { maxLength: 6 }) }).map((c) => ({
  alerts: c.alerts.map((a) => ({ ...alert(a.mailbox, a.hour, a.email, a.score), reason: a.reason })),
  incidents: c.incidents.map((k, i) => incident(`k${i}`, k.mailbox, `${k.kind}-${k.variant}`, k.kind, k.onset, k.onset + k.length, k.notice)),
}));

/** A permutation of 0..n-1 from random sort keys. */
const perm = (n: number) =>
  fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }).map((keys) =>
    keys
      .map((k, i) => [k, i] as const)
      .sort((x, y) => x[0] - y[0] || x[1] - y[1])
      .map(([, i]) => i),
  );

describe('properties', () => {
  const o = opts({ horizons: [0, 5, 24], budgets: [0, 40, 100], bootstrap: { samples: 30, seed: 9 } });

  it('results do not depend on the order of alerts or incidents', () => {
    fc.assert(
      fc.property(
        arbCase.chain((c) => fc.tuple(fc.constant(c), perm(c.alerts.length), perm(c.incidents.length))),
        ([c, pa, pi]) => {
          const r1 = score(c.alerts, c.incidents, S1, o);
          const r2 = score(
            pa.map((i) => c.alerts[i]!),
            pi.map((i) => c.incidents[i]!),
            S1,
            o,
          );
          expect(r2.metrics).toEqual(r1.metrics);
          expect(r2.incidents).toEqual(r1.incidents);
          // Alerts equal in every field are interchangeable: compare verdicts per distinct alert.
          const byAlert = (alerts: readonly StampedAlert[], verdicts: readonly AlertVerdict[]): Record<string, string[]> => {
            const out: Record<string, string[]> = {};
            alerts.forEach((a, i) => (out[JSON.stringify(a)] ??= []).push(JSON.stringify(verdicts[i])));
            for (const k of Object.keys(out)) out[k]!.sort();
            return out;
          };
          expect(
            byAlert(
              pa.map((i) => c.alerts[i]!),
              r2.verdicts,
            ),
          ).toEqual(byAlert(c.alerts, r1.verdicts));
        },
      ),
    );
  });

  it('counts add up: tp = detected, tp + dup + fp = alerts, fp = alerts outside every target window', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const m = score(c.alerts, c.incidents, S1, o).metrics;
        const targets = c.incidents.filter((k) => k.kind === 'ato');
        const outside = c.alerts.filter((a) => !targets.some((k) => k.mailbox === a.mailbox && k.onset <= a.at && a.at <= k.end + 24 * H)).length;
        expect(m.tp).toBe(m.detected);
        expect(m.tp + m.dup + m.fp).toBe(c.alerts.length);
        expect(m.fp).toBe(outside);
        expect(m.falseAlarmsOn.lookalike + m.falseAlarmsOn.phishing + m.falseAlarmsOn.other).toBe(m.fp);
        expect(m.incidents).toBe(targets.length);
      }),
    );
  });

  it('recall at budget equals re-scoring the alerts kept at each threshold', () => {
    fc.assert(
      fc.property(arbCase, fc.constantFrom(0, 33.4, 66.7, 100, 1000), (c, budget) => {
        const got = score(c.alerts, c.incidents, S1, opts({ budgets: [budget] })).metrics.recallAtBudget[String(budget)];
        let best = 0;
        for (const t of [Infinity, ...new Set(c.alerts.map((a) => a.score))]) {
          const m = score(
            c.alerts.filter((a) => a.score >= t),
            c.incidents,
            S1,
            opts(),
          ).metrics;
          if (m.falseAlarmsPer1000MailboxDays.value <= budget) best = Math.max(best, m.recall.value);
        }
        expect(got).toBe(best);
      }),
    );
  });

  it('the recall curve is a frontier: from (0, 0), both coordinates rising, recall rising at every point, ending at the recall of all alerts', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const m = score(c.alerts, c.incidents, S1, o).metrics;
        const curve = m.recallCurve;
        expect(curve[0]).toEqual({ fa: 0, recall: 0 });
        for (let i = 1; i < curve.length; i++) {
          expect(curve[i]!.fa).toBeGreaterThanOrEqual(curve[i - 1]!.fa);
          expect(curve[i]!.recall).toBeGreaterThan(curve[i - 1]!.recall);
        }
        expect(curve[curve.length - 1]!.recall).toBe(m.recall.value);
        expect(curve.length).toBeLessThanOrEqual(m.incidents + 1);
        for (const p of curve) expect(p.fa).toBeLessThanOrEqual(m.falseAlarmsPer1000MailboxDays.value);
      }),
    );
  });

  it('bootstrap intervals are deterministic for a seed and lie within the range of their resamples', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const r1 = score(c.alerts, c.incidents, S1, o).metrics;
        const r2 = score(c.alerts, c.incidents, S1, o).metrics;
        expect(r2).toEqual(r1);
        for (const iv of [r1.recall, r1.precision, r1.falseAlarmsPer1000MailboxDays]) expect(iv.lo).toBeLessThanOrEqual(iv.hi);
        expect(r1.recall.lo).toBeGreaterThanOrEqual(0);
        expect(r1.recall.hi).toBeLessThanOrEqual(1);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Bootstrap

describe('bootstrap', () => {
  it('contains the point values on fixture 1 and is the same for the same seed', () => {
    const o = opts({ bootstrap: { samples: 500, seed: 7 } });
    const m = score(A1s, I1, S1, o).metrics;
    for (const iv of [m.recall, m.precision, m.falseAlarmsPer1000MailboxDays, m.score]) {
      expect(iv.lo).toBeLessThanOrEqual(iv.value);
      expect(iv.value).toBeLessThanOrEqual(iv.hi);
    }
    // Resamples of {a, b, c}: recall 0 without a (7/27 of them), 1 without b (7/27): both tails reached.
    expect([m.recall.lo, m.recall.hi]).toEqual([0, 1]);
    // FPs per mailbox a 1, b 1, c 2: a resample has 3..6 FPs in 30 mailbox-days: 100..200.
    expect(m.falseAlarmsPer1000MailboxDays.lo).toBeGreaterThanOrEqual(100);
    expect(m.falseAlarmsPer1000MailboxDays.hi).toBeLessThanOrEqual(200);
    expect(score(A1s, I1, S1, o).metrics).toEqual(m);
  });

  it('samples 0 gives lo = hi = value; a single mailbox gives the same', () => {
    const m = score(A1s, I1, S1, opts()).metrics;
    expect(m.score).toEqual({ value: m.score.value, lo: m.score.value, hi: m.score.value });
    const S = streamOf(['g'], 10, [['g1', 'g', 10, 'ato']]);
    const one = score(
      [alert('g', 12, 'g1'), alert('g', 100, 'g1')],
      [incident('G1', 'g', 't', 'ato', 10, 10)],
      S,
      opts({ bootstrap: { samples: 50, seed: 1 } }),
    ).metrics;
    for (const iv of [one.recall, one.precision, one.falseAlarmsPer1000MailboxDays, one.score]) expect([iv.lo, iv.hi]).toEqual([iv.value, iv.value]);
    expect(one.falseAlarmsPer1000MailboxDays.value).toBe(100); // 1 FP in 10 mailbox-days
  });

  it('resamples whole mailboxes: one detected and one missed target spread recall over [0, 1]', () => {
    // p: detected at onset (score 100 alone); q: missed. Resamples {p,p}: recall 1, score 100;
    // {p,q}: 0.5, 50; {q,q}: 0, 0 — each of the extremes with probability 1/4.
    const S = streamOf(['p', 'q'], 10, [
      ['p1', 'p', 1, 'ato'],
      ['q1', 'q', 1, 'ato'],
    ]);
    const I = [incident('P', 'p', 't', 'ato', 1, 1), incident('Q', 'q', 't', 'ato', 1, 1)];
    const m = score([alert('p', 1, 'p1')], I, S, opts({ bootstrap: { samples: 400, seed: 1 } })).metrics;
    expect(m.recall).toEqual({ value: 0.5, lo: 0, hi: 1 });
    expect(m.score).toEqual({ value: 50, lo: 0, hi: 100 });
    // {q,q} has no alert, so no precision: it is left out of precision's interval, not counted as 0.
    expect(m.precision).toEqual({ value: 1, lo: 1, hi: 1 });
  });

  it('uses the nearest-rank rule', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([nearestRank(xs, 0.5), nearestRank(xs, 0.9), nearestRank(xs, 0.025), nearestRank(xs, 0.975), nearestRank(xs, 0)]).toEqual([5, 9, 1, 10, 1]);
    const two = Array.from({ length: 200 }, (_, i) => i + 1);
    expect([nearestRank(two, 0.025), nearestRank(two, 0.975)]).toEqual([5, 195]); // ranks ceil(5), ceil(195)
    expect([nearestRank([4, 8, 15], 0.5), nearestRank([4, 8, 15], 0.9)]).toEqual([8, 15]); // ranks ceil(1.5) = 2, ceil(2.7) = 3
    expect([nearestRank([1, 2, 3, 4, 5, 6], 0.9), nearestRank([1, 2, 3, 4, 5, 6], 0.1)]).toEqual([6, 1]); // ceil(5.4) = 6, ceil(0.6) = 1
    expect(nabSigma(0)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The rate-matched random baseline

describe('rateMatchedRandom', () => {
  it('places exactly the detector\u2019s per-mailbox counts, on distinct emails of that mailbox, deterministically', () => {
    const placed = randomBaselineAlerts(A1s, S1, 5);
    const count = (xs: readonly StampedAlert[], mb: string) => xs.filter((a) => a.mailbox === mb).length;
    expect(['a', 'b', 'c'].map((mb) => count(placed, mb))).toEqual([3, 1, 2]);
    for (const mb of ['a', 'b', 'c']) {
      const times = placed.filter((a) => a.mailbox === mb).map((a) => a.at);
      expect(new Set(times).size).toBe(times.length); // without replacement
      for (const t of times) expect(S1.arrivals.get(mb)).toContain(t);
    }
    expect(randomBaselineAlerts(A1s, S1, 5)).toEqual(placed);
    // Over 20 seeds, mailbox a (6 emails, 3 alerts) sees more than one draw.
    const draws = new Set(
      Array.from({ length: 20 }, (_, s) =>
        JSON.stringify(
          randomBaselineAlerts(A1s, S1, s)
            .filter((a) => a.mailbox === 'a')
            .map((a) => a.at),
        ),
      ),
    );
    expect(draws.size).toBeGreaterThan(1);
  });

  it('spreads more alerts than emails evenly: every email floor(c / n), c mod n of them one more', () => {
    const S = streamOf(['m'], 10, [
      ['m1', 'm', 1, 'benign'],
      ['m2', 'm', 2, 'benign'],
    ]);
    const placed = randomBaselineAlerts(
      [1, 2, 3, 4, 5].map(() => alert('m', 2, 'm2')),
      S,
      1,
    );
    expect(placed).toHaveLength(5);
    const perEmail = [h(1), h(2)].map((t) => placed.filter((a) => a.at === t).length).sort();
    expect(perEmail).toEqual([2, 3]);
  });

  it('gives the values forced by the stream, and averages the seeds', () => {
    // r: every email inside R1's window, so any placement detects it; s: no incident, so its alert is an FP.
    const S = streamOf(['r', 's'], 5, [
      ['r0', 'r', 0, 'ato'],
      ['r1', 'r', 1, 'ato'],
      ['r2', 'r', 2, 'ato'],
      ['s0', 's', 0, 'benign'],
      ['s1', 's', 1, 'benign'],
      ['s2', 's', 2, 'benign'],
    ]);
    const I = [incident('R1', 'r', 't', 'ato', 0, 2)];
    const detector = [alert('r', 2, 'r2'), alert('r', 1, 'r1'), alert('s', 0, 's0')];
    // recall 1; 1 FP in 10 mailbox-days = 100 per 1,000.
    expect(rateMatchedRandom(detector, I, S, opts(), [1, 2, 3])).toEqual({ recall: 1, falseAlarmsPer1000MailboxDays: 100 });
  });

  it('on fixture 1 is the mean of scoring each seed\u2019s placement, and deterministic', () => {
    const seeds = [1, 2, 3, 4];
    const per = seeds.map((s) => score(randomBaselineAlerts(A1s, S1, s), I1, S1, opts()).metrics);
    const got = rateMatchedRandom(A1s, I1, S1, opts(), seeds);
    expect(got.recall).toBeCloseTo(per.reduce((a, m) => a + m.recall.value, 0) / 4, 12);
    expect(got.falseAlarmsPer1000MailboxDays).toBeCloseTo(per.reduce((a, m) => a + m.falseAlarmsPer1000MailboxDays.value, 0) / 4, 12);
    expect(rateMatchedRandom(A1s, I1, S1, opts(), seeds)).toEqual(got);
    expect(() => rateMatchedRandom(A1s, I1, S1, opts(), [])).toThrow(/at least one seed/);
  });
});

// ---------------------------------------------------------------------------------------------
// Profiles and input checks

describe('profiles', () => {
  it('bundles standard, low-fp and low-fn with the weights of scoring.md', () => {
    expect(PROFILES).toEqual(['low-fn', 'low-fp', 'standard']);
    expect(loadProfile('standard').weights).toEqual({ tp: 1, fn: 1, fp: 0.11 });
    expect(loadProfile('low-fp').weights).toEqual({ tp: 1, fn: 1, fp: 0.22 });
    expect(loadProfile('low-fn').weights).toEqual({ tp: 1, fn: 2, fp: 0.11 });
    for (const name of PROFILES) expect(loadProfile(name).name).toBe(name);
  });

  it('loads a profile by path and names the file and field of an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ato-profile-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const good = join(dir, 'mine.json');
    writeFileSync(good, JSON.stringify({ name: 'mine', weights: { tp: 2, fn: 1, fp: 0.5 } }));
    expect(loadProfile(good)).toEqual({ name: 'mine', weights: { tp: 2, fn: 1, fp: 0.5 } });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', weights: { tp: 1, fn: 1, fp: -1 } }));
    expect(() => loadProfile(bad)).toThrow(/invalid profile .*bad\.json[\s\S]*weights\.fp: .*\(got -1\)/);
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, JSON.stringify({ name: 'typo', weigths: { tp: 1, fn: 1, fp: 0.1 } }));
    expect(() => loadProfile(typo)).toThrow(/typo\.json[\s\S]*weights/);
    expect(() => loadProfile('nope')).toThrow(/unknown profile "nope".*low-fn, low-fp, standard/);
    expect(() => loadProfile(join(dir, 'missing.json'))).toThrow(/cannot read profile .*missing\.json/);
  });
});

describe('input checks', () => {
  it('refuses duplicate incident ids, unknown mailboxes and an empty window of days', () => {
    expect(() => score([], [I1[0]!, I1[0]!], S1, opts())).toThrow(/incident id "A1" occurs twice/);
    expect(() => score([alert('zz', 1, 'x')], I1, S1, opts())).toThrow(/mailbox "zz"/);
    expect(() => score([], I1, { ...S1, mailboxDays: 0 }, opts())).toThrow(/mailboxDays/);
    const mixed = [incident('K1', 'a', 'same', 'ato', 1, 2), incident('K2', 'b', 'same', 'lookalike', 1, 2)];
    expect(() => score([], mixed, S1, opts())).toThrow(/scenario "same" has incidents of several kinds/);
  });
});

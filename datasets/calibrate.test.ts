import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPreset, mergeConfig, parseConfig, presetInput } from '../generator/config.js';
import { Stream } from '../generator/core/rng.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import {
  TOLERANCE,
  calibrateDataset,
  carrierOf,
  formatCalibration,
  gini,
  hillTailIndex,
  isThirdPartyOrder,
  judgeCalibration,
  maxInWindow,
  powerLawExponent,
  powerLawVsExponential,
  topShare,
} from './calibrate.js';
import type { CalibrationRow, CalibrationStats, FoundingIncidentStats } from './calibrate.js';

const H = 3600;

/** A seeded uniform in [0, 1), from the project's own streams. */
function rng(seed: number): () => number {
  const s = Stream.root(seed).child('calibrate-test');
  return () => s.float();
}

/** Pareto samples: survival (xmin / x)^shape (density exponent shape + 1). */
function pareto(n: number, shape: number, xmin: number, seed: number): number[] {
  const u = rng(seed);
  return Array.from({ length: n }, () => xmin / Math.pow(1 - u(), 1 / shape));
}

/** Samples of the density x^-alpha on [xmin, xmax], by inverting its distribution function. */
function boundedPowerLaw(n: number, alpha: number, xmin: number, xmax: number, seed: number): number[] {
  const u = rng(seed);
  return Array.from({ length: n }, () => {
    const v = u();
    if (Math.abs(alpha - 1) < 1e-12) return xmin * Math.pow(xmax / xmin, v);
    const a = Math.pow(xmin, 1 - alpha);
    const b = Math.pow(xmax, 1 - alpha);
    return Math.pow(a + v * (b - a), 1 / (1 - alpha));
  });
}

/** Gaps of a Poisson process above 1 h: 1 h plus an exponential with the given mean. */
function exponentialGaps(n: number, mean: number, seed: number): number[] {
  const u = rng(seed);
  return Array.from({ length: n }, () => H - mean * Math.log(1 - u()));
}

describe('estimators', () => {
  it('gini: 0 for equal counts, (n-1)/n when one holds everything, and a hand-computed value', () => {
    expect(gini([7, 7, 7, 7])).toBeCloseTo(0, 12);
    expect(gini([0, 0, 0, 12])).toBeCloseTo(3 / 4, 12);
    // 2 * (1*1 + 2*2 + 3*3 + 4*4 + 5*5) / (5 * 15) - 6/5 = 4/15
    expect(gini([3, 1, 5, 2, 4])).toBeCloseTo(4 / 15, 12);
    expect(gini([])).toBe(0);
  });

  it('topShare: what the largest fraction of counts holds', () => {
    expect(topShare([1, 1, 1, 1, 1, 1, 1, 1, 1, 91], 0.1)).toBeCloseTo(0.91, 12);
    expect(topShare(new Array(20).fill(5), 0.1)).toBeCloseTo(0.1, 12);
  });

  it('hillTailIndex recovers the Pareto shape (1 and 2)', () => {
    expect(hillTailIndex(pareto(20_000, 1, 1, 1), 1).index).toBeCloseTo(1, 1);
    expect(hillTailIndex(pareto(20_000, 2, 1, 2), 1).index).toBeCloseTo(2, 1);
    // Only values above the cutoff count: the shape of a Pareto tail does not depend on it.
    expect(hillTailIndex(pareto(40_000, 1, 1, 3), 10).index).toBeCloseTo(1, 1);
  });

  it('powerLawExponent recovers the density exponent of bounded power laws (1 and 2), also below 1', () => {
    for (const alpha of [0.7, 1, 1.5, 2]) {
      const xs = boundedPowerLaw(20_000, alpha, 1, 1e4, 10 + alpha * 10);
      expect(powerLawExponent(xs, 1, 1e4).alpha).toBeCloseTo(alpha, 1);
    }
  });

  it('powerLawExponent on Pareto samples gives shape + 1 (a density exponent, not a tail index)', () => {
    expect(powerLawExponent(pareto(20_000, 1, 1, 4), 1, 1e12).alpha).toBeCloseTo(2, 1);
    expect(powerLawExponent(pareto(20_000, 2, 1, 5), 1, 1e12).alpha).toBeCloseTo(3, 1);
  });

  it('alpha alone cannot tell light tails from heavy ones; the likelihood ratio can', () => {
    const u = rng(9);
    const window = 91 * 86400;
    const exponential = Array.from({ length: 20_000 }, () => 3600 - 12 * 3600 * Math.log(1 - u()));
    // Exponential gaps with a 12 h mean land inside the alpha band on [1 h, 91 d] ...
    const e = powerLawVsExponential(exponential, 3600, window);
    expect(e.alpha).toBeGreaterThan(TOLERANCE.interArrival.lo);
    expect(e.alpha).toBeLessThan(TOLERANCE.interArrival.hi);
    // ... but the exponential fits them far better than a power law.
    expect(e.z).toBeLessThan(-5);
    for (const alpha of [1, 1.5]) {
      const p = powerLawVsExponential(boundedPowerLaw(20_000, alpha, 3600, window, 20 + alpha), 3600, window);
      expect(p.alpha).toBeCloseTo(alpha, 1);
      expect(p.z).toBeGreaterThan(5);
    }
  });

  it('maxInWindow counts the busiest window', () => {
    expect(maxInWindow([0, 10, 20, 100, 105, 110, 115], 15)).toBe(4);
    expect(maxInWindow([0, 10, 20], 20)).toBe(3);
    expect(maxInWindow([], 20)).toBe(0);
  });
});

describe('mail text', () => {
  it('tells third-party orders from the platform', () => {
    expect(isThirdPartyOrder('ご注文内容:\nX\n  出品者: こはるセレクト\n')).toBe(true);
    expect(isThirdPartyOrder('Order details:\nX\n  Sold by: JinSen-JP\n')).toBe(true);
    expect(isThirdPartyOrder('ご注文内容:\nX\n  販売: ハナマート\n')).toBe(false);
    expect(isThirdPartyOrder('Order details:\nX\n  Sold by: Hanamart\n')).toBe(false);
    expect(isThirdPartyOrder('  Sold by: JinSen-JP\n  Sold by: Hanamart\n')).toBe(false);
    expect(isThirdPartyOrder('no seller line')).toBe(false);
  });

  it('reads the carrier line', () => {
    expect(carrierOf('Order #: 1\nCarrier: China Post\nTracking ID: X')).toBe('China Post');
    expect(carrierOf('注文番号: 1\n配送業者: 中国郵政\n')).toBe('中国郵政');
    expect(carrierOf('nothing')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Judgments on hand-made stats: a dataset that meets every target, then one defect at a time.

interface Shape {
  orderGapS?: number;
  noticeDelayH?: number;
  shippingDelayH?: number;
}

/** A founding incident that meets every target; `shape` moves its timeline, `o` replaces fields. */
function incident(i: number, shape: Shape = {}, o: Partial<FoundingIncidentStats> = {}): FoundingIncidentStats {
  const t0 = i * 10 * 86400;
  const notice = t0 + (shape.noticeDelayH ?? 14 + i) * H;
  const firstShipped = notice + (shape.shippingDelayH ?? 12 + i) * H;
  return {
    id: `inc-${i}`,
    orders: Array.from({ length: 12 }, (_, k) => ({ t: t0 + k * (shape.orderGapS ?? 1200), thirdParty: true })),
    notices: [notice],
    shipped: Array.from({ length: 11 }, (_, k) => ({ t: firstShipped + k * 600, carrier: k === 0 ? 'Korea Post' : 'China Post' })),
    totalJpy: 150_000 + i * 10_000,
    resetWindowH: 4.5 + i * 0.5,
    ...o,
  };
}

function goodStats(): CalibrationStats {
  const window = 91 * 86400;
  // Emails per mailbox: lognormal-ish, skewed.
  const u = rng(5);
  const perMailbox = Array.from({ length: 200 }, () => Math.round(50 * Math.exp(1.2 * Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()))));
  return {
    emails: 10_000,
    labels: { benign: 7_600, spam: 2_000, phishing: 100, ato: 200, lookalike: 100 },
    categories: {
      personal: 700,
      newsletter: 2_500,
      promotion: 1_500,
      shopping: 1_000,
      shipping: 900,
      finance: 800,
      social: 600,
      security: 100,
      spam: 2_000,
      phishing: 100,
    },
    nonSpamCategories: { personal: 700, newsletter: 2_500, promotion: 1_500, shopping: 1_000, shipping: 900, finance: 800, social: 600, security: 100 },
    perMailbox,
    gaps: boundedPowerLaw(5_000, 1.1, H, window, 6),
    personalGaps: boundedPowerLaw(1_000, 1.2, H, window, 7),
    windowSeconds: window,
    hours: [2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 8, 8, 8, 9, 10, 11, 10, 7, 4],
    personalByWeekday: [80, 100, 100, 100, 100, 100, 85],
    daysByWeekday: [13, 13, 13, 13, 13, 13, 13],
    founding: [0, 1, 2, 3].map((i) => incident(i)),
    victims: Array.from({ length: 4 }, (_, i) => ({ dormant: true, staleAddress: true, weakPassword: i < 3, twoFactor: i === 3 })),
    population: { accounts: 100, weakPassword: 50, twoFactor: 40 },
    warmup: { days: 21, byKind: { ato: { total: 4, before: 0 }, lookalike: { total: 3, before: 0 }, phishing: { total: 9, before: 2 } } },
  };
}

const row = (rows: CalibrationRow[], quantity: string): CalibrationRow => {
  const r = rows.find((x) => x.quantity === quantity);
  if (!r) throw new Error(`no row '${quantity}'`);
  return r;
};

/** Rows that are not OK, by quantity. */
const off = (s: CalibrationStats): string[] =>
  judgeCalibration(s)
    .filter((r) => !r.ok)
    .map((r) => r.quantity);

describe('judgeCalibration', () => {
  it('passes a dataset that meets every target', () => {
    expect(off(goodStats())).toEqual([]);
  });

  it('fails the founding rows one defect at a time, and only that row', () => {
    const cases: Array<[string, (s: CalibrationStats) => void]> = [
      ['fraudulent orders within one day', (s) => (s.founding[1] = incident(1, { orderGapS: 3 * H }))],
      ['marketplace (third-party) share of those orders', (s) => (s.founding[0]!.orders[3]!.thirdParty = false)],
      ['total of the burst', (s) => (s.founding[2]!.totalJpy = 99_000)],
      ['platform security notice after the first order', (s) => (s.founding = [0, 1, 2, 3].map((i) => incident(i, { noticeDelayH: 19 + i })))],
      ['shipping notices sent anyway', (s) => (s.founding[3]!.shipped = s.founding[3]!.shipped.slice(0, 9))],
      [
        'carriers of the shipping notices',
        (s) => s.founding.forEach((inc) => inc.shipped.forEach((x, k) => (x.carrier = k < 3 ? 'Yamato Transport' : x.carrier))),
      ],
      ['password reset possible after the notice', (s) => s.founding.forEach((inc, i) => (inc.resetWindowH = 8 + i))],
      ['dormant accounts among takeover victims', (s) => (s.victims[0]!.dormant = false)],
      ['stale saved address among takeover victims', (s) => (s.victims[2]!.staleAddress = false)],
      ['weak credentials among takeover victims', (s) => (s.population = { accounts: 100, weakPassword: 90, twoFactor: 5 })],
    ];
    for (const [quantity, spoil] of cases) {
      const s = goodStats();
      spoil(s);
      expect(off(s), quantity).toEqual([quantity]);
    }
  });

  it('fails the shipping delay when it is far from 13 h, and a constant delay (not a distribution)', () => {
    const late = goodStats();
    late.founding = [0, 1, 2, 3].map((i) => incident(i, { shippingDelayH: 20 + i }));
    expect(off(late)).toEqual(['shipping notices after the platform notice']);
    const constant = goodStats();
    constant.founding = [0, 1, 2, 3].map((i) => incident(i, {}, { resetWindowH: 5 }));
    expect(off(constant)).toEqual(['password reset possible after the notice']);
  });

  it('fails every founding row when there is no founding incident, saying so', () => {
    const s = goodStats();
    s.founding = [];
    const rows = judgeCalibration(s).filter((r) => r.group === 'founding incident');
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(r.ok).toBe(false);
      expect(r.measured).toMatch(/no incidents/);
    }
  });

  it('fails the traffic rows one defect at a time', () => {
    const cases: Array<[string[], (s: CalibrationStats) => void]> = [
      [
        ['machine-generated share of all mail', 'machine-generated share of non-spam'],
        (s) => {
          s.categories.personal = 9_000;
          s.nonSpamCategories.personal = 9_000;
        },
      ],
      [['main categories of non-spam mail'], (s) => (s.nonSpamCategories.newsletter = 20_000)],
      [['per-mailbox volume'], (s) => (s.perMailbox = s.perMailbox.map(() => 50))],
      [['inter-arrival times of all mail'], (s) => (s.gaps = boundedPowerLaw(5_000, 2.5, H, s.windowSeconds, 8))],
      [['inter-arrival times of all mail'], (s) => (s.gaps = exponentialGaps(5_000, 12 * H, 8))],
      [['inter-arrival times of personal mail'], (s) => (s.personalGaps = exponentialGaps(1_000, 30 * H, 9))],
      [['daily cycle'], (s) => (s.hours = new Array(24).fill(10))],
      [['daily cycle'], (s) => (s.hours = s.hours.map((x, h) => (h === 3 ? 50 : x)))],
      [['weekly cycle of personal mail'], (s) => (s.personalByWeekday = [100, 100, 100, 100, 100, 100, 100])],
      [['spam share of all mail'], (s) => (s.labels = { ...s.labels, spam: 500, phishing: 100 })],
      [['phishing share of all mail'], (s) => (s.labels = { ...s.labels, phishing: 0 })],
      [['phishing share of all mail'], (s) => (s.labels = { ...s.labels, phishing: 300 })],
      [['incidents starting in the warm-up'], (s) => (s.warmup.byKind.ato!.before = 1)],
    ];
    for (const [quantities, spoil] of cases) {
      const s = goodStats();
      spoil(s);
      expect(off(s), quantities.join(', ')).toEqual(quantities);
    }
  });

  it('does not count phishing in the warm-up against the dataset', () => {
    const rows = judgeCalibration(goodStats());
    expect(row(rows, 'incidents starting in the warm-up').ok).toBe(true);
    expect(row(rows, 'incidents starting in the warm-up').measured).toContain('phishing 2 of 9');
  });
});

// ---------------------------------------------------------------------------------------------
// On a generated dataset.

describe('calibrateDataset on the tiny preset', () => {
  let rows: CalibrationRow[] = [];
  const base = mkdtempSync(join(tmpdir(), 'ato-calibrate-'));
  beforeAll(async () => {
    const out = join(base, 'tiny');
    await generateDataset({ config: loadPreset('tiny'), out });
    rows = await calibrateDataset(out);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('has a row for every target, each with a target and a measured value', () => {
    expect(rows.map((r) => r.quantity)).toEqual(judgeCalibration(goodStats()).map((r) => r.quantity));
    for (const r of rows) {
      expect(r.group, r.quantity).not.toBe('');
      expect(r.target.length, r.quantity).toBeGreaterThan(10);
      expect(r.measured.length, r.quantity).toBeGreaterThan(0);
      expect(r.measured, r.quantity).not.toMatch(/NaN|undefined|Infinity/);
      expect(typeof r.ok).toBe('boolean');
    }
  });

  it('shows the founding pattern within tolerance (on a world with enough founding incidents for medians to mean something)', async () => {
    const out = join(base, 'founding');
    const config = parseConfig(
      mergeConfig(presetInput('default'), {
        mailboxes: 150,
        days: 45,
        warmupDays: 14,
        prevalence: { ato: 0, lookalike: 0, phishing: 0 },
        scenarios: { 'ato-marketplace-dormant-burst': { count: 15 } },
      }),
    );
    await generateDataset({ config, out, workers: 1 });
    const founding = (await calibrateDataset(out)).filter((r) => r.group === 'founding incident' || r.group.startsWith('takeover victims'));
    expect(founding.length).toBe(11);
    for (const r of founding) expect(r.ok, `${r.quantity}: ${r.measured}`).toBe(true);
  });

  it('formats every row with its verdict', () => {
    const text = formatCalibration(rows);
    for (const r of rows) {
      expect(text).toContain(r.quantity);
      expect(text).toContain(r.measured);
    }
    expect(text).toMatch(new RegExp(`${rows.filter((r) => r.ok).length} of ${rows.length} rows OK`));
  });
});

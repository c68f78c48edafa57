import { describe, expect, it } from 'vitest';
import {
  auc,
  bootstrapAuc,
  decileCuts,
  decileOf,
  fitRateClassifier,
  liftAtTop,
  mailboxSplit,
  probeFeature,
  seededRandom,
  stratifiedAuc,
  verdict,
} from './leakage.js';
import type { Observation } from './leakage.js';

describe('auc', () => {
  it('is 1 for perfect separation, 0 reversed, 0.5 when every score ties', () => {
    const labels = [false, false, false, true, true];
    expect(auc([0.1, 0.2, 0.3, 0.8, 0.9], labels)).toBe(1);
    expect(auc([0.9, 0.8, 0.7, 0.2, 0.1], labels)).toBe(0);
    expect(auc([0.5, 0.5, 0.5, 0.5, 0.5], labels)).toBe(0.5);
  });

  it('counts ties one half and matches a hand count', () => {
    // Pairs (pos, neg): 0.35 beats 0.1, loses to 0.4; 0.8 beats both: 3 of 4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    // One positive tied with one of two negatives, above the other: (1 + 0.5) / 2.
    expect(auc([0.2, 0.5, 0.5], [false, false, true])).toBe(0.75);
  });

  it('treats a weight as a multiplicity, and is NaN without both classes', () => {
    const s = [0.1, 0.4, 0.35, 0.8];
    const y = [false, false, true, true];
    expect(auc(s, y, [1, 2, 1, 1])).toBeCloseTo(auc([0.1, 0.4, 0.4, 0.35, 0.8], [false, false, false, true, true]), 12);
    expect(auc([0.1, 0.2], [true, true])).toBeNaN();
    expect(auc([0.1, 0.2], [false, false])).toBeNaN();
  });
});

describe('stratifiedAuc and liftAtTop', () => {
  it('ignores differences between strata: a score that only knows the stratum is worth 0.5', () => {
    // Stratum A: 50 % positive, stratum B: 10 %; the score is the stratum's rate, nothing within.
    const items = [
      ...Array.from({ length: 100 }, (_, i) => ({ score: 0.5, positive: i < 50, stratum: 'A' })),
      ...Array.from({ length: 100 }, (_, i) => ({ score: 0.1, positive: i < 10, stratum: 'B' })),
    ];
    expect(
      auc(
        items.map((x) => x.score),
        items.map((x) => x.positive),
      ),
    ).toBeGreaterThan(0.7);
    expect(stratifiedAuc(items)).toBe(0.5);
    expect(liftAtTop(items, 0.1)).toBeCloseTo(1, 12);
  });

  it('lift is precision at the top over the base rate', () => {
    // 1000 mails, 100 positive, perfect scores: the top 1 % is all positive, base rate 10 %.
    const items = Array.from({ length: 1000 }, (_, i) => ({ score: i < 100 ? 1 : 0, positive: i < 100 }));
    expect(liftAtTop(items, 0.01)).toBeCloseTo(10, 12);
    // Reversed scores find nothing.
    expect(
      liftAtTop(
        items.map((x) => ({ ...x, score: 1 - x.score })),
        0.01,
      ),
    ).toBe(0);
    // A constant score is random picking.
    expect(
      liftAtTop(
        items.map((x) => ({ ...x, score: 0.3 })),
        0.01,
      ),
    ).toBeCloseTo(1, 12);
    // A stratum of positives only has nothing to rank and does not dilute the lift.
    const onlyPositives = Array.from({ length: 500 }, () => ({ score: 0.5, positive: true, stratum: 'all-positive' }));
    expect(liftAtTop([...items.map((x) => ({ ...x, stratum: 'mixed' })), ...onlyPositives], 0.01)).toBeCloseTo(10, 12);
    expect(liftAtTop(onlyPositives, 0.01)).toBeNaN();
  });
});

describe('mailboxSplit', () => {
  it('is deterministic and splits about half', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `mb-${i.toString(16).padStart(10, '0')}`);
    const first = ids.map((id) => mailboxSplit(id));
    expect(ids.map((id) => mailboxSplit(id))).toEqual(first);
    const train = first.filter((h) => h === 'train').length;
    expect(train).toBeGreaterThan(4_700);
    expect(train).toBeLessThan(5_300);
    expect(first).toContain('test');
  });

  it('depends on the salt', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `mb-${i}`);
    const a = ids.map((id) => mailboxSplit(id, 'one'));
    const b = ids.map((id) => mailboxSplit(id, 'two'));
    expect(a).not.toEqual(b);
  });
});

describe('fitRateClassifier', () => {
  it('smooths each value towards its stratum rate, and unseen values get that rate', () => {
    const obs: Observation[] = [
      { mailbox: 'm', stratum: 's', value: 'x', positive: true },
      { mailbox: 'm', stratum: 's', value: 'x', positive: true },
      { mailbox: 'm', stratum: 's', value: 'y', positive: false },
      { mailbox: 'm', stratum: 's', value: 'y', positive: false },
    ];
    const clf = fitRateClassifier(obs, 5);
    expect(clf.base).toBe(0.5);
    expect(clf.score('s', 'x')).toBeCloseTo((2 + 5 * 0.5) / 7, 12);
    expect(clf.score('s', 'y')).toBeCloseTo((0 + 5 * 0.5) / 7, 12);
    expect(clf.score('s', 'never')).toBe(0.5);
    expect(clf.score('other stratum', 'x')).toBe(0.5);
  });
});

describe('deciles', () => {
  it('places values among the cut points', () => {
    const cuts = decileCuts(Array.from({ length: 100 }, (_, i) => i));
    expect(cuts).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    expect(decileOf(0, cuts)).toBe(0);
    expect(decileOf(55, cuts)).toBe(5);
    expect(decileOf(99, cuts)).toBe(9);
  });
});

describe('verdict', () => {
  it('is OK when the interval holds 0.5 or the AUC is small, LEAK otherwise', () => {
    expect(verdict(0.6, 0.45, 0.75)).toBe('OK');
    expect(verdict(0.54, 0.52, 0.56)).toBe('OK');
    expect(verdict(0.56, 0.52, 0.6)).toBe('LEAK');
    expect(verdict(0.95, 0.9, 0.99)).toBe('LEAK');
    expect(verdict(NaN, NaN, NaN)).toBe('n/a');
  });
});

describe('probeFeature', () => {
  // 400 mailboxes with 50 mails each, 2 % takeover; feature values are planted.
  function population(value: (positive: boolean, rand: () => number) => string): Observation[] {
    const rand = seededRandom(7);
    const obs: Observation[] = [];
    for (let m = 0; m < 400; m++)
      for (let i = 0; i < 50; i++) {
        const positive = rand() < 0.02;
        obs.push({ mailbox: `mb-${m}`, stratum: 'all', value: value(positive, rand), positive });
      }
    return obs;
  }

  it('flags a feature that encodes the label', () => {
    const r = probeFeature(
      population((p) => (p ? 'leak' : 'fine')),
      { bootstrap: 200 },
    );
    expect(r.auc).toBeGreaterThan(0.99);
    expect(r.lo).toBeGreaterThan(0.9);
    expect(r.lift).toBeGreaterThan(10);
    expect(r.verdict).toBe('LEAK');
  });

  it('flags a partial leak: a value three times as common in takeover mail', () => {
    const r = probeFeature(
      population((p, rand) => (rand() < (p ? 0.6 : 0.2) ? 'a' : 'b')),
      { bootstrap: 200 },
    );
    expect(r.auc).toBeGreaterThan(0.6);
    expect(r.verdict).toBe('LEAK');
  });

  it('passes a feature independent of the label, with an interval around 0.5', () => {
    const r = probeFeature(
      population((_, rand) => Math.floor(rand() * 16).toString(16)),
      { bootstrap: 200 },
    );
    expect(Math.abs(r.auc - 0.5)).toBeLessThan(0.05);
    expect(r.lo).toBeLessThan(0.5);
    expect(r.hi).toBeGreaterThan(0.5);
    expect(r.verdict).toBe('OK');
  });

  it('scores only the test mailboxes and fits only on the training ones', () => {
    const obs = population((p) => (p ? 'leak' : 'fine'));
    const r = probeFeature(obs, { bootstrap: 0, split: (mb) => (Number(mb.slice(3)) < 100 ? 'train' : 'test') });
    expect(r.trainMails).toBe(100 * 50);
    expect(r.testMails).toBe(300 * 50);
    expect(r.lo).toBeNaN();
  });
});

describe('bootstrapAuc', () => {
  it('is reproducible from its seed and brackets the point estimate', () => {
    const rand = seededRandom(3);
    const items = Array.from({ length: 3000 }, (_, i) => {
      const positive = rand() < 0.1;
      return { mailbox: `mb-${i % 60}`, positive, score: positive ? rand() + 0.3 : rand() };
    });
    const point = stratifiedAuc(items);
    const a = bootstrapAuc(items, 300, 11);
    expect(bootstrapAuc(items, 300, 11)).toEqual(a);
    expect(a[0]).toBeLessThan(point);
    expect(a[1]).toBeGreaterThan(point);
    expect(a[1] - a[0]).toBeLessThan(0.1);
  });
});

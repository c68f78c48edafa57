import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recallAt } from '../score.js';
import type { RecallPoint } from '../types.js';
import { BUDGET_CANDIDATES, separatingBudgets } from './budgets.js';

const FIXED = [1, 5, 20];

describe('separatingBudgets', () => {
  it('picks the budgets where the frontiers part, not the fixed ones where they agree', () => {
    // Both reach 50 % by 0.3 false alarms; only one reaches 90 %, at 8. At 1, 5 and 20 the fixed
    // budgets would show 50/50, 50/50 and 90/50: one column of three tells them apart.
    const a: RecallPoint[] = [
      { fa: 0, recall: 0 },
      { fa: 0.3, recall: 0.5 },
      { fa: 8, recall: 0.9 },
    ];
    const b: RecallPoint[] = [
      { fa: 0, recall: 0 },
      { fa: 0.15, recall: 0.5 },
    ];
    const c = separatingBudgets([a, b], FIXED);
    expect(c.how).toBe('separating');
    // 0.2 (50 % against 0 %) and 10 (90 % against 50 %) separate them, each in its own way.
    expect(c.budgets).toEqual([0.2, 10]);
    for (const x of c.budgets) expect(recallAt(a, x)).not.toBe(recallAt(b, x));
  });

  it('falls back to the fixed budgets with fewer than two contenders or when none differ', () => {
    const one: RecallPoint[] = [
      { fa: 0, recall: 0 },
      { fa: 2, recall: 0.4 },
    ];
    expect(separatingBudgets([one], FIXED)).toEqual({ budgets: FIXED, how: 'fixed' });
    expect(separatingBudgets([one, one], FIXED)).toEqual({ budgets: FIXED, how: 'fixed' });
    expect(separatingBudgets([], [20, 1])).toEqual({ budgets: [1, 20], how: 'fixed' });
  });

  it('always: at most `count` round budgets, rising, each separating some pair, no two telling the same story', () => {
    const arbCurve = fc
      .array(fc.record({ fa: fc.double({ min: 0, max: 3000, noNaN: true }), up: fc.integer({ min: 1, max: 5 }) }), { maxLength: 8 })
      .map((steps) => {
        const sorted = [...steps].sort((x, y) => x.fa - y.fa);
        const curve: RecallPoint[] = [{ fa: 0, recall: 0 }];
        let k = 0;
        for (const s of sorted) curve.push({ fa: s.fa, recall: Math.min(40, (k += s.up)) / 40 });
        return curve.filter((p, i) => i === 0 || p.recall > curve[i - 1]!.recall);
      });
    fc.assert(
      fc.property(fc.array(arbCurve, { minLength: 2, maxLength: 5 }), fc.integer({ min: 1, max: 5 }), (curves, count) => {
        const c = separatingBudgets(curves, FIXED, count);
        if (c.how === 'fixed') {
          // Only when no candidate separates anything.
          for (const b of BUDGET_CANDIDATES) expect(new Set(curves.map((x) => recallAt(x, b))).size).toBe(1);
          return;
        }
        expect(c.budgets.length).toBeLessThanOrEqual(count);
        expect([...c.budgets].sort((x, y) => x - y)).toEqual(c.budgets);
        const stories = c.budgets.map((b) => curves.map((x) => recallAt(x, b)).join());
        expect(new Set(stories).size).toBe(stories.length);
        for (const b of c.budgets) {
          expect(BUDGET_CANDIDATES).toContain(b);
          expect(new Set(curves.map((x) => recallAt(x, b))).size).toBeGreaterThan(1);
        }
      }),
    );
  });
});

/**
 * Which false-alarm budgets a report shows. Fixed budgets (1, 5, 20 per 1,000 mailbox-days) often
 * land where every detector has the same recall, which tells a reader nothing; the reports instead
 * read each detector's recall frontier at the budgets where the contenders differ most. The
 * candidates are round numbers, so a reader can still say "at 2 false alarms per 1,000
 * mailbox-days" and compare reports. Upper bounds are left out: they read the truth and would
 * "separate" everything at every budget.
 */
import { recallAt } from '../score.js';
import type { BenchResults } from '../benchmark.js';
import type { RecallPoint } from '../types.js';

/** Round budgets (false alarms per 1,000 mailbox-days), from one in ten thousand mailbox-days up. */
export const BUDGET_CANDIDATES: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

export interface BudgetChoice {
  budgets: number[];
  /** `separating`: chosen where the contenders differ; `fixed`: the scoring's own (fewer than two contenders, or none differ). */
  how: 'separating' | 'fixed';
}

/**
 * Up to `count` budgets, each chosen greedily: the candidate at which the most pairs of contenders
 * have different recall, then the widest spread of recall, then the smaller budget; a candidate
 * at which every contender has the same recall as at a budget already chosen adds nothing and is
 * skipped. Candidates stop at the first one beyond every contender's last false-alarm rate (past
 * it nothing changes). Returned in rising order.
 */
export function separatingBudgets(curves: ReadonlyArray<readonly RecallPoint[]>, fixed: readonly number[], count = 3): BudgetChoice {
  const fallback: BudgetChoice = { budgets: [...fixed].sort((a, b) => a - b), how: 'fixed' };
  if (curves.length < 2) return fallback;
  const reach = Math.max(...curves.map((c) => c[c.length - 1]?.fa ?? 0));
  const candidates: number[] = [];
  for (const b of BUDGET_CANDIDATES) {
    candidates.push(b);
    if (b >= reach) break;
  }
  const scored = candidates.map((b) => {
    const recalls = curves.map((c) => recallAt(c, b));
    let pairs = 0;
    for (let i = 0; i < recalls.length; i++) for (let j = i + 1; j < recalls.length; j++) if (recalls[i] !== recalls[j]) pairs++;
    return { b, recalls, pairs, spread: Math.max(...recalls) - Math.min(...recalls) };
  });
  scored.sort((x, y) => y.pairs - x.pairs || y.spread - x.spread || x.b - y.b);
  const chosen: typeof scored = [];
  for (const s of scored) {
    if (chosen.length === count || s.pairs === 0) break;
    if (chosen.some((c) => c.recalls.every((r, i) => r === s.recalls[i]))) continue;
    chosen.push(s);
  }
  if (!chosen.length) return fallback;
  return { budgets: chosen.map((c) => c.b).sort((a, b) => a - b), how: 'separating' };
}

/** The budgets every report of these results reads recall at. */
export function reportBudgets(results: BenchResults): BudgetChoice {
  const contenders = results.detectors.filter((d) => d.metrics?.incidents && !d.upperBound);
  return separatingBudgets(
    contenders.map((d) => d.metrics!.recallCurve),
    results.scoring.budgets,
  );
}

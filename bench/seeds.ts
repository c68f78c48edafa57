/**
 * A metric's spread across datasets of several seeds, beside the mailbox bootstrap of each: the
 * bootstrap says how much the score would move with other mailboxes of the same world; the seeds
 * say how much it moves with another world (other personas, sellers, campaigns and incidents).
 */
import type { BenchResults } from './benchmark.js';

/** One detector's recall on each seed, and how it spreads. */
export interface SeedSpread {
  detector: string;
  /** Recall per seed, in the order of the seeds. */
  recall: number[];
  mean: number;
  /** Sample standard deviation (n - 1); 0 with one seed. */
  sd: number;
  min: number;
  max: number;
  /** Median width of the per-seed 95 % mailbox-bootstrap interval of recall. */
  bootstrapWidth: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? 0 : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * The spread of each detector's recall over runs on several seeds (one results file per seed, in
 * seed order). A detector that failed or is missing on a seed is left out of the spread.
 */
export function seedSpread(runs: readonly BenchResults[]): SeedSpread[] {
  const ids = [...new Set(runs.flatMap((r) => r.detectors.map((d) => d.id)))].sort();
  return ids.flatMap((id) => {
    const per = runs.flatMap((r) => {
      const d = r.detectors.find((x) => x.id === id);
      return d?.metrics ? [d.metrics.recall] : [];
    });
    if (per.length === 0) return [];
    const recall = per.map((m) => m.value);
    const mean = recall.reduce((a, b) => a + b, 0) / recall.length;
    const sd = recall.length > 1 ? Math.sqrt(recall.reduce((a, b) => a + (b - mean) ** 2, 0) / (recall.length - 1)) : 0;
    return [
      {
        detector: id,
        recall,
        mean,
        sd,
        min: Math.min(...recall),
        max: Math.max(...recall),
        bootstrapWidth: median(per.map((m) => m.hi - m.lo)),
      },
    ];
  });
}

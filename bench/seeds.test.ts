import { describe, expect, it } from 'vitest';
import type { BenchResults } from './benchmark.js';
import { seedSpread } from './seeds.js';

/** A results file holding only what seedSpread reads. */
function run(recalls: Record<string, [number, number, number] | null>): BenchResults {
  return {
    detectors: Object.entries(recalls).map(([id, r]) => ({ id, metrics: r ? { recall: { value: r[0], lo: r[1], hi: r[2] } } : null })),
  } as unknown as BenchResults;
}

describe('seedSpread', () => {
  it('gives each detector its recall per seed, mean, sample sd, range and median bootstrap width', () => {
    const s = seedSpread([
      run({ a: [0.5, 0.4, 0.6], b: [0.1, 0, 0.3] }),
      run({ a: [0.7, 0.6, 0.8], b: [0.2, 0.1, 0.3] }),
      run({ a: [0.6, 0.4, 0.9], b: null }),
    ]);
    expect(s.map((x) => x.detector)).toEqual(['a', 'b']);
    const a = s[0]!;
    expect(a.recall).toEqual([0.5, 0.7, 0.6]);
    expect(a.mean).toBeCloseTo(0.6, 12);
    expect(a.sd).toBeCloseTo(0.1, 12);
    expect([a.min, a.max]).toEqual([0.5, 0.7]);
    expect(a.bootstrapWidth).toBeCloseTo(0.2, 12);
    // A failed run is left out, not counted as 0.
    expect(s[1]!.recall).toEqual([0.1, 0.2]);
    expect(s[1]!.bootstrapWidth).toBeCloseTo(0.25, 12);
  });

  it('has no spread with one seed', () => {
    expect(seedSpread([run({ a: [0.5, 0.4, 0.6] })])[0]!.sd).toBe(0);
  });
});

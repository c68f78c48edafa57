import { describe, expect, it } from 'vitest';
import { Stream } from './rng.js';
import { DAY } from './time.js';
import { nextArrival, nextArrivalInStretches } from './rhythm.js';
import type { Rhythm } from './rhythm.js';

const FLAT: Rhythm = { daily: 'flat', weekly: 'flat', zone: 'UTC' };

/** Arrivals per day of a process started at 0, run `days` days, over `runs` seeds. */
function countsPerDay(next: (rng: Stream, t: number) => number, days: number, runs: number): number[] {
  const counts = new Array<number>(days).fill(0);
  for (let s = 0; s < runs; s++) {
    const rng = Stream.root(s).child('rhythm-test');
    for (let t = next(rng, 0); t < days * DAY; t = next(rng, t)) counts[Math.floor(t / DAY)]!++;
  }
  return counts;
}

describe('nextArrivalInStretches', () => {
  it("arrives at each stretch's own rate: none in a stretch of factor 0, three times as many at factor 3", () => {
    const factors = [1, 0, 3, 0.25, 0, 10];
    const stretch = (t: number) => ({ factor: factors[Math.floor(t / DAY)] ?? 1, end: (Math.floor(t / DAY) + 1) * DAY });
    const runs = 400;
    const perDay = 4;
    const counts = countsPerDay((rng, t) => nextArrivalInStretches(rng, t, factors.length * DAY, perDay, FLAT, stretch), factors.length, runs);
    factors.forEach((f, d) => {
      const mean = counts[d]! / runs;
      if (f === 0) expect(counts[d], `day ${d}`).toBe(0);
      // Poisson: the mean over 400 runs is within 4 standard errors of perDay * f.
      else expect(Math.abs(mean - perDay * f), `day ${d}: mean ${mean}`).toBeLessThan(4 * Math.sqrt((perDay * f) / runs));
    });
  });

  it('with one stretch of factor 1 it is the plain process in rate', () => {
    const runs = 300;
    const plain = countsPerDay((rng, t) => nextArrival(rng, t, 3, FLAT), 5, runs).reduce((a, b) => a + b, 0) / runs;
    const one =
      countsPerDay((rng, t) => nextArrivalInStretches(rng, t, 5 * DAY, 3, FLAT, () => ({ factor: 1, end: 1e12 })), 5, runs).reduce((a, b) => a + b, 0) / runs;
    expect(Math.abs(plain - 15)).toBeLessThan(4 * Math.sqrt(15 / runs));
    expect(Math.abs(one - 15)).toBeLessThan(4 * Math.sqrt(15 / runs));
  });

  it('returns Infinity past `until`, and refuses a stretch that does not end after its start', () => {
    const rng = Stream.root(1);
    expect(nextArrivalInStretches(rng, 0, DAY, 1, FLAT, () => ({ factor: 0, end: 2 * DAY }))).toBe(Infinity);
    expect(() => nextArrivalInStretches(rng, 10, DAY, 1, FLAT, () => ({ factor: 1, end: 10 }))).toThrow(/must end after/);
  });
});

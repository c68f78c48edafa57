import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Stream, hash128, hashHex } from './rng.js';

describe('Stream', () => {
  it('gives the same values for the same key path, on every run', () => {
    // Pinned values: if these change, every dataset changes (bump the dataset format version).
    const s = Stream.root(42).child('mailbox', 'mb-1');
    expect([s.nextUint32(), s.nextUint32(), s.nextUint32()]).toEqual([3245823334, 2858482457, 2628444366]);
    expect(hashHex('ato-bench', 64)).toBe('c705bc539e65b9af');
  });

  it('derives children without consuming the parent, and independently of sibling order', () => {
    const a = Stream.root(7);
    const before = a.child('x').float();
    a.child('y').float();
    a.float();
    expect(a.child('x').float()).toBe(before);
  });

  it('separates key segments: ("ab","c") and ("a","bc") are different streams', () => {
    expect(Stream.root(1).child('ab', 'c').float()).not.toBe(Stream.root(1).child('a', 'bc').float());
  });

  it('draws uniform floats in [0, 1) with a plausible mean and spread', () => {
    const s = Stream.root(3);
    let sum = 0;
    let min = 1;
    let max = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const x = s.float();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
  });

  it('int(min, max) covers both ends and nothing outside', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 20 }), (seed, lo, width) => {
        const s = Stream.root(seed);
        const seen = new Set<number>();
        for (let i = 0; i < 400; i++) {
          const v = s.int(lo, lo + width);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(lo + width);
          seen.add(v);
        }
        if (width <= 5) expect(seen.size).toBe(width + 1);
      }),
    );
  });

  it('poisson and exp have the requested means', () => {
    const s = Stream.root(11);
    const n = 20000;
    let p = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      p += s.poisson(3.5);
      e += s.exp(2);
    }
    expect(p / n).toBeCloseTo(3.5, 1);
    expect(e / n).toBeCloseTo(2, 1);
  });

  it('weightedKey ignores insertion order of the record', () => {
    const a = Stream.root(5).child('w');
    const b = Stream.root(5).child('w');
    const xs = Array.from({ length: 50 }, () => a.weightedKey({ x: 1, y: 2, z: 3 }));
    const ys = Array.from({ length: 50 }, () => b.weightedKey({ z: 3, x: 1, y: 2 }));
    expect(xs).toEqual(ys);
  });

  it('hash128 spreads near-identical keys', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50000; i++) seen.add(hashHex(`mailbox#${i}`, 64));
    expect(seen.size).toBe(50000);
    expect(hash128('a')).not.toEqual(hash128('b'));
  });
});

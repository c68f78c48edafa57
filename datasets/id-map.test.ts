import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdMap } from './id-map.js';

describe('IdMap', () => {
  it('answers get, has, size and iteration as a Map does, whatever the keys and the order of writes', () => {
    const key = fc.oneof(fc.stringMatching(/^[0-9a-f]{16}$/), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.integer()), { maxLength: 300 }), fc.array(key, { maxLength: 50 }), (writes, probes) => {
        const m = new Map<string, number>();
        const i = new IdMap<number>();
        for (const [k, v] of writes) {
          m.set(k, v);
          i.set(k, v);
        }
        expect(i.size).toBe(m.size);
        for (const k of [...probes, ...m.keys()]) {
          expect(i.get(k)).toBe(m.get(k));
          expect(i.has(k)).toBe(m.has(k));
        }
        const sorted = <T>(xs: Iterable<[string, T]>): Array<[string, T]> => [...xs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        expect(sorted(i)).toEqual(sorted(m));
        expect(new Set(i.keys())).toEqual(new Set(m.keys()));
      }),
    );
  });

  it('spreads hex ids over its buckets, so no one Map meets V8 limit of 2^24 entries before 2^32 in all', () => {
    const i = new IdMap<number>();
    // 65,536 ids with every pair of last hex digits 256 times: each bucket the same share.
    for (let n = 0; n < 65_536; n++) i.set(n.toString(16).padStart(16, '0'), n);
    const sizes = (i as unknown as { buckets: Array<Map<string, number>> }).buckets.map((b) => b.size);
    expect(sizes.length).toBe(256);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * Math.min(...sizes));
    expect(i.size).toBe(65_536);
  });
});

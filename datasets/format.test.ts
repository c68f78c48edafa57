import { describe, expect, it } from 'vitest';
import { driftsOf, splitOf } from './format.js';

describe("reading a manifest's config (data from disk: its strings reach terminals and reports)", () => {
  it('driftsOf keeps well-formed drifts, with their instant, and leaves out the rest', () => {
    const drift = [
      { brand: 'marketplace', edition: 'redesign', on: '2025-12-01', rolloutDays: 3 },
      { brand: 'market\u001b[2Jplace', edition: 'redesign', on: '2025-12-01' },
      { brand: 'marketplace', edition: '</text><script>', on: '2025-12-01' },
      { brand: 'marketplace', edition: 'redesign', on: '2025-02-30' },
      { brand: 'marketplace', edition: 'redesign', on: 20251201 },
      null,
    ];
    expect(driftsOf({ drift })).toEqual([{ brand: 'marketplace', edition: 'redesign', on: '2025-12-01', at: Date.UTC(2025, 11, 1) / 1000 }]);
    expect(driftsOf({})).toEqual([]);
    expect(driftsOf(null)).toEqual([]);
    expect(driftsOf({ drift: 'soon' })).toEqual([]);
  });

  it('splitOf names only the three splits', () => {
    expect(splitOf({ split: 'test' })).toBe('test');
    expect(splitOf({ split: 'test\u001b[31m' })).toBeNull();
    expect(splitOf({})).toBeNull();
  });
});

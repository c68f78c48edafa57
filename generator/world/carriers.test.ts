import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Stream } from '../core/rng.js';
import {
  CARRIERS,
  CARRIER_IDS,
  S10_PREFIXES,
  digitalOrderNumber,
  formatJpDomestic,
  impbCheckDigit,
  isValidImpb,
  isValidJapanPostRegistered,
  isValidJpDomestic,
  isValidS10,
  isValidUps,
  japanPostRegistered,
  japanPostRegisteredCheckDigit,
  jpDomesticCheckDigit,
  marketplaceLogistics,
  marketplaceOrderNumber,
  s10,
  s10CheckDigit,
  sagawa,
  trackingNumber,
  trackingUrl,
  ups,
  upsCheckDigit,
  uspsImpb,
  validTracking,
  yamato,
  yuPack,
} from './carriers.js';
import type { CarrierId } from './carriers.js';

const rngOf = (seed: number): Stream => Stream.root(seed).child('t');

/** Canonical shape of each carrier's numbers, written independently of the implementation. */
const FORMAT: Record<CarrierId, RegExp> = {
  yamato: /^[23457][0-9]{11}$/,
  sagawa: /^[345][0-9]{11}$/,
  'japanpost-yupack': /^[1-6][0-9]{11}$/,
  'japanpost-registered': /^[1-9][0-9]{10}$/,
  'japanpost-ems': /^E[A-Z][0-9]{9}JP$/,
  'china-post': /^[CELRU][A-Z][0-9]{9}CN$/,
  'korea-post': /^[CELRU][A-Z][0-9]{9}KR$/,
  'singapore-post': /^[CELRU][A-Z][0-9]{9}SG$/,
  ups: /^1Z[0-9A-Z]{6}(01|02|03|12|13|42)[0-9]{8}$/,
  usps: /^(9400|9205|9407|9270)[0-9]{18}$/,
  hanamart: /^HMA[0-9]{12}$/,
};

/** Replace the character at `i`. */
const setAt = (s: string, i: number, c: string): string => s.slice(0, i) + c + s.slice(i + 1);

/** Every single-digit substitution of `n` at digit positions: [position, old digit, new digit, mutated]. */
function* digitMutations(n: string): Generator<[number, number, number, string]> {
  for (let i = 0; i < n.length; i++) {
    const old = n.charCodeAt(i) - 48;
    if (old < 0 || old > 9) continue;
    for (let d = 0; d <= 9; d++) if (d !== old) yield [i, old, d, setAt(n, i, String(d))];
  }
}

describe('worked examples', () => {
  it('UPU S10', () => {
    expect(s10CheckDigit('12345678')).toBe(5);
    expect(isValidS10('LX123456785CN')).toBe(true);
    for (const c of '012346789') expect(isValidS10(`LX12345678${c}CN`)).toBe(false);
    // The r -> check map sends both r = 0 and r = 6 to 5: 32345678 sums to 220 (r = 0), one digit
    // away from 12345678 (r = 6), and both take check digit 5.
    expect(isValidS10('LX323456785CN')).toBe(true);
    // The two special cases and an ordinary one.
    expect(s10CheckDigit('00000000')).toBe(5); // sum 0, r = 0 -> 5
    expect(s10CheckDigit('02000000')).toBe(0); // sum 12, r = 1 -> 0
    expect(s10CheckDigit('00000003')).toBe(1); // sum 21, r = 10 -> 11 - 10 = 1
  });

  it('Japanese domestic 12-digit (mod 7)', () => {
    expect(jpDomesticCheckDigit('12345678901')).toBe(3);
    expect(isValidJpDomestic('123456789013')).toBe(true);
    expect(formatJpDomestic('123456789013')).toBe('1234-5678-9013');
    // Display form is not the canonical form.
    expect(isValidJpDomestic('1234-5678-9013')).toBe(false);
  });

  it('Japan Post registered 11-digit (mod 7)', () => {
    expect(japanPostRegisteredCheckDigit('1311238385')).toBe(2);
    expect(isValidJapanPostRegistered('13112383852')).toBe(true);
    expect(isValidJapanPostRegistered('13112383853')).toBe(false);
  });

  it('UPS: the stated rule (odd 0-based positions doubled, no Luhn digit sum) reproduces 1Z5R89390357567127', () => {
    expect(upsCheckDigit('5R8939035756712')).toBe(7);
    expect(isValidUps('1Z5R89390357567127')).toBe(true);
    expect(isValidUps('1Z5R89390357567126')).toBe(false);
    // H and R both map to 9 ((72 - 3) mod 10 = (82 - 3) mod 10), so swapping them is invisible.
    expect(isValidUps('1Z5H89390357567127')).toBe(true);
    // Lowercase is not the canonical form.
    expect(isValidUps('1z5r89390357567127')).toBe(false);
  });

  it('USPS IMpb', () => {
    expect(impbCheckDigit('940011120108080548301')).toBe(6);
    expect(isValidImpb('9400111201080805483016')).toBe(true);
    expect(isValidImpb('9400111201080805483015')).toBe(false);
  });

  it('check-digit functions reject malformed input instead of guessing', () => {
    expect(() => s10CheckDigit('1234567')).toThrow(RangeError);
    expect(() => s10CheckDigit('1234567a')).toThrow(RangeError);
    expect(() => jpDomesticCheckDigit('123456789012')).toThrow(RangeError);
    expect(() => japanPostRegisteredCheckDigit('13112383')).toThrow(RangeError);
    expect(() => upsCheckDigit('5r8939035756712')).toThrow(RangeError);
    expect(() => upsCheckDigit('1Z5R8939035756712')).toThrow(RangeError);
    expect(() => impbCheckDigit('94001112010808054830')).toThrow(RangeError);
    expect(() => formatJpDomestic('12345678901')).toThrow(RangeError);
    expect(() => s10(rngOf(1), { prefix: 'lx', country: 'CN' })).toThrow(RangeError);
    expect(() => s10(rngOf(1), { prefix: 'LX', country: 'CHN' })).toThrow(RangeError);
  });
});

describe('check digits against independent oracles', () => {
  it('mod-7 check digits equal BigInt remainders', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), (body) => {
        expect(jpDomesticCheckDigit(body)).toBe(Number(BigInt(body) % 7n));
        expect(japanPostRegisteredCheckDigit(body.slice(1))).toBe(Number(BigInt(body.slice(1)) % 7n));
      }),
    );
  });

  it('S10 check digit follows the r -> check table of the standard', () => {
    const W = [8, 6, 4, 2, 3, 5, 9, 7];
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (serial) => {
        const r = [...serial].reduce((a, c, i) => a + Number(c) * W[i]!, 0) % 11;
        const expected = r === 0 ? 5 : r === 1 ? 0 : 11 - r;
        expect(s10CheckDigit(serial)).toBe(expected);
      }),
    );
  });
});

describe('generated numbers', () => {
  it('every carrier: validates and has the carrier format', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...CARRIER_IDS), (seed, carrier) => {
        const n = trackingNumber(rngOf(seed), carrier);
        expect(n).toMatch(FORMAT[carrier]);
        expect(validTracking(carrier, n)).toBe(true);
      }),
    );
  });

  it('the direct generators validate under their schemes', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        for (const n of [yamato(rngOf(seed)), sagawa(rngOf(seed)), yuPack(rngOf(seed))]) {
          expect(n).toHaveLength(12);
          expect(isValidJpDomestic(n)).toBe(true);
          expect(formatJpDomestic(n)).toMatch(/^[0-9]{4}-[0-9]{4}-[0-9]{4}$/);
          expect(formatJpDomestic(n).replaceAll('-', '')).toBe(n);
        }
        expect(isValidJapanPostRegistered(japanPostRegistered(rngOf(seed)))).toBe(true);
        expect(isValidUps(ups(rngOf(seed)))).toBe(true);
        expect(isValidImpb(uspsImpb(rngOf(seed)))).toBe(true);
        const s = s10(rngOf(seed), { prefix: 'RR', country: 'KR' });
        expect(s).toMatch(/^RR[0-9]{9}KR$/);
        expect(isValidS10(s)).toBe(true);
        expect(marketplaceLogistics(rngOf(seed))).toMatch(/^HMA[0-9]{12}$/);
        expect(marketplaceOrderNumber(rngOf(seed))).toMatch(/^(249|250|502|503|114|111|112|113)-[0-9]{7}-[0-9]{7}$/);
        expect(digitalOrderNumber(rngOf(seed))).toMatch(/^D01-[0-9]{7}-[0-9]{7}$/);
      }),
    );
  });

  it('S10 prefixes are real service indicators (E, C, L, R, U families)', () => {
    for (const [carrier, prefixes] of Object.entries(S10_PREFIXES)) {
      expect(prefixes.length, carrier).toBeGreaterThan(1);
      for (const p of prefixes) expect(p).toMatch(/^[ECLRU][A-Z]$/);
    }
    expect(S10_PREFIXES['japanpost-ems'].every((p) => p.startsWith('E'))).toBe(true);
  });

  it('leading digits and prefixes vary across seeds (not all identical)', () => {
    const seeds = Array.from({ length: 300 }, (_, i) => i);
    const firsts = (f: (r: Stream) => string, len = 1): Set<string> => new Set(seeds.map((s) => f(rngOf(s)).slice(0, len)));
    expect([...firsts(yamato)].sort()).toEqual(['2', '3', '4', '5', '7']);
    expect([...firsts(sagawa)].sort()).toEqual(['3', '4', '5']);
    expect([...firsts(yuPack)].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect([...firsts(uspsImpb, 4)].sort()).toEqual(['9205', '9270', '9400', '9407']);
    expect(new Set(seeds.map((s) => ups(rngOf(s)).slice(8, 10))).size).toBe(6);
    expect(new Set(seeds.map((s) => trackingNumber(rngOf(s), 'china-post').slice(0, 2)))).toEqual(new Set(S10_PREFIXES['china-post']));
    // Distinct seeds give distinct numbers (10^10 bodies; a collision among 300 would be a bug).
    expect(new Set(seeds.map((s) => yamato(rngOf(s)))).size).toBe(seeds.length);
  });

  it('is deterministic: same seed and key path -> same number', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...CARRIER_IDS), (seed, carrier) => {
        expect(trackingNumber(rngOf(seed), carrier)).toBe(trackingNumber(rngOf(seed), carrier));
        expect(marketplaceOrderNumber(rngOf(seed))).toBe(marketplaceOrderNumber(rngOf(seed)));
      }),
    );
    // Pinned values: a change here changes every dataset built from these streams.
    expect(trackingNumber(rngOf(42), 'yamato')).toBe('717161461940');
    expect(trackingNumber(rngOf(42), 'china-post')).toBe('EA171614614CN');
    expect(ups(rngOf(42))).toBe('1ZY5S6O40361942872');
    expect(uspsImpb(rngOf(42))).toBe('9270171614619428756884');
  });
});

/*
 * Single-digit error detection. Only USPS IMpb detects *every* single-digit change: its weights 3
 * and 1 are both units mod 10. The other schemes have blind spots, and the tests below pin down
 * exactly which changes go unnoticed (and that all others are caught):
 * - mod 7 of the whole number: changing a body digit by ±7 shifts the number by ±7·10^k ≡ 0;
 *   the check digit itself is always caught (a valid one is 0..6 and equals the remainder).
 * - S10: the sum mod 11 always moves (weights and digit deltas are units mod 11), but remainders
 *   0 and 6 share the check digit 5.
 * - UPS: doubled (odd) positions miss changes by ±5.
 */
describe('single-digit changes', () => {
  const generated = (carrier: CarrierId) => fc.integer().map((seed) => trackingNumber(rngOf(seed), carrier));

  it('USPS IMpb: every single-digit change is detected', () => {
    fc.assert(
      fc.property(generated('usps'), (n) => {
        for (const [, , , m] of digitMutations(n)) expect(isValidImpb(m)).toBe(false);
      }),
    );
  });

  it('mod 7 (12-digit domestic and 11-digit registered): undetected exactly when a body digit moves by 7', () => {
    const cases: Array<[CarrierId, (n: string) => boolean]> = [
      ['yamato', isValidJpDomestic],
      ['sagawa', isValidJpDomestic],
      ['japanpost-yupack', isValidJpDomestic],
      ['japanpost-registered', isValidJapanPostRegistered],
    ];
    for (const [carrier, valid] of cases) {
      let undetected = 0;
      fc.assert(
        fc.property(generated(carrier), (n) => {
          for (const [i, old, d, m] of digitMutations(n)) {
            const blind = i < n.length - 1 && Math.abs(d - old) === 7;
            if (blind) undetected++;
            expect(valid(m), `${n} -> ${m}`).toBe(blind);
          }
        }),
      );
      // The blind spot is real, not just allowed: some ±7 changes occurred and went unnoticed.
      expect(undetected, carrier).toBeGreaterThan(0);
    }
  });

  it('S10: undetected exactly when the serial sum mod 11 moves between 0 and 6', () => {
    const W = [8, 6, 4, 2, 3, 5, 9, 7];
    const rem = (serial: string): number => [...serial].reduce((a, c, i) => a + Number(c) * W[i]!, 0) % 11;
    let undetected = 0;
    fc.assert(
      fc.property(generated('china-post'), (n) => {
        for (const [i, , , m] of digitMutations(n)) {
          const r0 = rem(n.slice(2, 10));
          const r1 = rem(m.slice(2, 10));
          // Serial digit positions 2..9 always change the remainder; position 10 is the check digit.
          if (i < 10) expect(r1).not.toBe(r0);
          const blind = i < 10 && ((r0 === 0 && r1 === 6) || (r0 === 6 && r1 === 0));
          if (blind) undetected++;
          expect(isValidS10(m), `${n} -> ${m}`).toBe(blind);
        }
      }),
    );
    expect(undetected).toBeGreaterThan(0);
  });

  it('UPS: undetected exactly when a digit at a doubled (odd 0-based body) position moves by 5', () => {
    let undetected = 0;
    fc.assert(
      fc.property(generated('ups'), (n) => {
        for (const [i, old, d, m] of digitMutations(n)) {
          if (i < 2) continue; // the "1Z" prefix is format, not checksum: changing it breaks the format
          const bodyPos = i - 2; // 0..14 body, 15 check digit
          const blind = bodyPos < 15 && bodyPos % 2 === 1 && Math.abs(d - old) === 5;
          if (blind) undetected++;
          expect(isValidUps(m), `${n} -> ${m}`).toBe(blind);
        }
      }),
    );
    expect(undetected).toBeGreaterThan(0);
  });
});

describe('validTracking', () => {
  it('rejects numbers of another format, wrong country or tampered check digit', () => {
    expect(validTracking('china-post', 'LX123456785CN')).toBe(true);
    expect(validTracking('korea-post', 'LX123456785CN')).toBe(false);
    expect(validTracking('japanpost-ems', 'LX123456785JP')).toBe(false); // EMS ids start with E
    expect(validTracking('japanpost-ems', 'EJ123456785JP')).toBe(true);
    expect(validTracking('china-post', 'LX123456784CN')).toBe(false);
    // YT... is a private forwarder's prefix, not an S10 service indicator: check digit fine, still rejected.
    expect(isValidS10('YT123456785CN')).toBe(true);
    expect(validTracking('china-post', 'YT123456785CN')).toBe(false);
    expect(validTracking('yamato', '123456789013')).toBe(true);
    expect(validTracking('yamato', '123456789012')).toBe(false);
    expect(validTracking('ups', '123456789013')).toBe(false);
    expect(validTracking('usps', '1Z5R89390357567127')).toBe(false);
    expect(validTracking('hanamart', 'HMA123456789012')).toBe(true);
    expect(validTracking('hanamart', 'HMA12345678901')).toBe(false);
    expect(validTracking('hanamart', 'TBA123456789012')).toBe(false);
    expect(validTracking('japanpost-registered', '13112383852')).toBe(true);
    expect(validTracking('japanpost-registered', '131123838520')).toBe(false);
  });

  it('a number of one scheme never validates under a carrier of another scheme', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...CARRIER_IDS), fc.constantFrom(...CARRIER_IDS), (seed, a, b) => {
        const n = trackingNumber(rngOf(seed), a);
        const sameScheme = CARRIERS[a].scheme === CARRIERS[b].scheme;
        // S10 carriers share a scheme but each has its own country code; the three mod-7 12-digit
        // carriers are indistinguishable by number, as in reality.
        const expected = a === b || (sameScheme && CARRIERS[a].scheme !== 's10');
        expect(validTracking(b, n), `${a} ${n} as ${b}`).toBe(expected);
      }),
    );
  });
});

describe('CARRIERS', () => {
  it('is keyed by id and lists every carrier once', () => {
    expect(Object.keys(CARRIERS).sort()).toEqual([...CARRIER_IDS].sort());
    expect(new Set(CARRIER_IDS).size).toBe(CARRIER_IDS.length);
    for (const id of CARRIER_IDS) expect(CARRIERS[id].id).toBe(id);
  });

  it('every tracking URL is https under an RFC 2606 .example host and has an {id} slot', () => {
    for (const id of CARRIER_IDS) {
      const c = CARRIERS[id];
      expect(c.trackingUrl).toContain('{id}');
      const url = new URL(trackingUrl(id, 'LX123456785CN'));
      expect(url.protocol).toBe('https:');
      expect(url.hostname.endsWith('.example'), c.trackingUrl).toBe(true);
      expect(url.href).toContain('LX123456785CN');
      expect(c.name.ja.length).toBeGreaterThan(0);
      expect(c.name.en.length).toBeGreaterThan(0);
      expect(c.country).toMatch(/^[A-Z]{2}$/);
    }
    expect(trackingUrl('china-post', 'LX123456785CN')).toBe('https://track.chinapost.example/?id=LX123456785CN');
    // The number is URL-encoded, so a hostile "number" cannot add query parameters.
    expect(trackingUrl('ups', '1Z&x=1')).toBe('https://www.ups.example/track?tracknum=1Z%26x%3D1');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { localTime, offsetMinutes, parseDate, rfc3339, rfc5322Date } from './time.js';

const at = (iso: string): number => Date.parse(iso) / 1000;

describe('zones without Intl', () => {
  it('formats RFC 5322 and RFC 3339 dates with the zone offset', () => {
    expect(rfc5322Date(at('2026-03-03T00:15:02Z'), 'UTC')).toBe('Tue, 03 Mar 2026 00:15:02 +0000');
    expect(rfc5322Date(at('2026-03-03T00:15:02Z'), 'Asia/Tokyo')).toBe('Tue, 03 Mar 2026 09:15:02 +0900');
    expect(rfc5322Date(at('2026-03-03T00:15:02Z'), 'America/New_York', { padDay: false })).toBe('Mon, 2 Mar 2026 19:15:02 -0500');
    expect(rfc3339(at('2026-03-03T00:15:02Z'), 'Asia/Tokyo')).toBe('2026-03-03T09:15:02+09:00');
    expect(rfc3339(at('2026-03-03T00:15:02Z'), 'UTC')).toBe('2026-03-03T00:15:02+00:00');
  });

  it('switches US, EU and Australian daylight time on the right instants', () => {
    // US 2025: 9 March 07:00Z (02:00 EST) to 2 November 06:00Z (02:00 EDT).
    expect(offsetMinutes('America/New_York', at('2025-03-09T06:59:59Z'))).toBe(-300);
    expect(offsetMinutes('America/New_York', at('2025-03-09T07:00:00Z'))).toBe(-240);
    expect(offsetMinutes('America/New_York', at('2025-11-02T05:59:59Z'))).toBe(-240);
    expect(offsetMinutes('America/New_York', at('2025-11-02T06:00:00Z'))).toBe(-300);
    expect(offsetMinutes('America/Los_Angeles', at('2025-11-02T09:00:00Z'))).toBe(-480);
    // EU 2025: 30 March 01:00Z to 26 October 01:00Z.
    expect(offsetMinutes('Europe/London', at('2025-03-30T00:59:59Z'))).toBe(0);
    expect(offsetMinutes('Europe/London', at('2025-03-30T01:00:00Z'))).toBe(60);
    expect(offsetMinutes('Europe/London', at('2025-10-26T01:00:00Z'))).toBe(0);
    // Sydney 2025: daylight until 6 April 16:00Z (03:00 AEDT), again from 4 October 16:00Z (02:00 AEST).
    expect(offsetMinutes('Australia/Sydney', at('2025-04-05T15:59:59Z'))).toBe(660);
    expect(offsetMinutes('Australia/Sydney', at('2025-04-05T16:00:00Z'))).toBe(600);
    expect(offsetMinutes('Australia/Sydney', at('2025-10-04T15:59:59Z'))).toBe(600);
    expect(offsetMinutes('Australia/Sydney', at('2025-10-04T16:00:00Z'))).toBe(660);
    expect(offsetMinutes('Asia/Tokyo', at('2025-07-01T00:00:00Z'))).toBe(540);
  });

  it('local fields agree with the offset for any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 946684800, max: 4102444800 }),
        fc.constantFrom('Asia/Tokyo', 'America/Chicago', 'Europe/London', 'Australia/Sydney' as const),
        (t, zone) => {
          const lt = localTime(zone, t);
          const back = Date.UTC(lt.year, lt.month - 1, lt.day, lt.hour, lt.minute, lt.second) / 1000 - lt.offset * 60;
          expect(back).toBe(t);
          expect(Date.parse(rfc3339(t, zone)) / 1000).toBe(t);
        },
      ),
    );
  });

  it('parses only real calendar dates', () => {
    expect(parseDate('2025-10-06')).toBe(at('2025-10-06T00:00:00Z'));
    expect(() => parseDate('2025-02-30')).toThrow(/no such date/);
    expect(() => parseDate('6 Oct 2025')).toThrow(/YYYY-MM-DD/);
  });
});

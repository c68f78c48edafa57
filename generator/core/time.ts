/**
 * Time zones and date formatting without Intl.
 *
 * `Intl` and `toLocaleString` depend on the ICU data a Node build ships with, so the same seed
 * could give other bytes on another machine. The few zones the generator uses are described here
 * by their standard offset and daylight-saving rule, which is all RFC 5322 dates need.
 * Times are epoch seconds (UTC) everywhere in the generator.
 */

export type DstRule = 'none' | 'us' | 'eu' | 'au';

export interface Zone {
  /** Standard offset from UTC in minutes (Tokyo: 540). */
  std: number;
  dst: DstRule;
}

export const ZONES = {
  UTC: { std: 0, dst: 'none' },
  'Asia/Tokyo': { std: 540, dst: 'none' },
  'Asia/Shanghai': { std: 480, dst: 'none' },
  'Asia/Seoul': { std: 540, dst: 'none' },
  'Asia/Singapore': { std: 480, dst: 'none' },
  'America/New_York': { std: -300, dst: 'us' },
  'America/Chicago': { std: -360, dst: 'us' },
  'America/Los_Angeles': { std: -480, dst: 'us' },
  'Europe/London': { std: 0, dst: 'eu' },
  'Europe/Berlin': { std: 60, dst: 'eu' },
  'Australia/Sydney': { std: 600, dst: 'au' },
} as const satisfies Record<string, Zone>;

export type ZoneName = keyof typeof ZONES;

export const ZONE_NAMES = Object.keys(ZONES).sort() as ZoneName[];

export const HOUR = 3600;
export const DAY = 86400;
export const MINUTE = 60;

/** Epoch seconds of 00:00 UTC on the n-th (1-based) `weekday` (0 = Sunday) of a month; n = -1 for the last. */
function nthWeekdayUtc(year: number, month0: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month0, 1)).getUTCDay();
    const day = 1 + ((weekday - first + 7) % 7) + 7 * (n - 1);
    return Date.UTC(year, month0, day) / 1000;
  }
  const lastDate = new Date(Date.UTC(year, month0 + 1, 0));
  const day = lastDate.getUTCDate() - ((lastDate.getUTCDay() - weekday + 7) % 7);
  return Date.UTC(year, month0, day) / 1000;
}

/** Daylight-time interval [start, end) of a zone in a year (UTC instants); for 'au' it is the standard-time gap. */
function dstBounds(zone: Zone, year: number): [number, number] {
  const std = zone.std * MINUTE;
  switch (zone.dst) {
    case 'us':
      // Second Sunday of March 02:00 local standard time to first Sunday of November 02:00 local daylight time.
      return [nthWeekdayUtc(year, 2, 0, 2) + 2 * HOUR - std, nthWeekdayUtc(year, 10, 0, 1) + 2 * HOUR - (std + HOUR)];
    case 'eu':
      // Last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
      return [nthWeekdayUtc(year, 2, 0, -1) + HOUR, nthWeekdayUtc(year, 9, 0, -1) + HOUR];
    case 'au':
      // Southern hemisphere: daylight time until the first Sunday of April 03:00 daylight
      // (= 02:00 standard) and again from the first Sunday of October 02:00 standard.
      return [nthWeekdayUtc(year, 3, 0, 1) + 2 * HOUR - std, nthWeekdayUtc(year, 9, 0, 1) + 2 * HOUR - std];
    case 'none':
      return [0, 0];
  }
}

const boundsCache = new Map<string, [number, number]>();

function isDst(zone: Zone, t: number): boolean {
  if (zone.dst === 'none') return false;
  const year = new Date(t * 1000).getUTCFullYear();
  const key = `${zone.dst}/${zone.std}/${year}`;
  let b = boundsCache.get(key);
  if (!b) boundsCache.set(key, (b = dstBounds(zone, year)));
  // For 'au' the pair is [end of daylight time, start of daylight time].
  return zone.dst === 'au' ? t < b[0] || t >= b[1] : t >= b[0] && t < b[1];
}

/** Offset from UTC in minutes at instant t. */
export function offsetMinutes(zone: ZoneName, t: number): number {
  const z: Zone = ZONES[zone];
  return z.std + (isDst(z, t) ? 60 : 0);
}

/** Local calendar fields at instant t in a zone. */
export interface LocalTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  /** Hour of day with fraction, 0 <= h < 24. */
  hourOfDay: number;
  offset: number;
}

export function localTime(zone: ZoneName, t: number): LocalTime {
  const offset = offsetMinutes(zone, t);
  const d = new Date((t + offset * MINUTE) * 1000);
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  const second = d.getUTCSeconds();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute,
    second,
    weekday: d.getUTCDay(),
    hourOfDay: hour + minute / 60 + second / 3600,
    offset,
  };
}

/** Epoch seconds of local midnight that starts the local day containing t. */
export function localMidnight(zone: ZoneName, t: number): number {
  const lt = localTime(zone, t);
  return t - (lt.hour * HOUR + lt.minute * MINUTE + lt.second);
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad4 = (n: number): string => String(n).padStart(4, '0');

function offsetString(offset: number, colon: boolean): string {
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return sign + pad2(Math.floor(abs / 60)) + (colon ? ':' : '') + pad2(abs % 60);
}

/**
 * RFC 3339 with the zone's offset at t.
 * @example rfc3339(1772496902, 'Asia/Tokyo') // '2026-03-03T09:15:02+09:00'
 */
export function rfc3339(t: number, zone: ZoneName): string {
  const lt = localTime(zone, t);
  return `${pad4(lt.year)}-${pad2(lt.month)}-${pad2(lt.day)}T` + `${pad2(lt.hour)}:${pad2(lt.minute)}:${pad2(lt.second)}${offsetString(lt.offset, true)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * RFC 5322 date-time in the zone's offset at t.
 * @example rfc5322Date(1772496902, 'UTC') // 'Tue, 03 Mar 2026 00:15:02 +0000'
 */
export function rfc5322Date(t: number, zone: ZoneName, opts: { padDay?: boolean; zoneComment?: boolean } = {}): string {
  const { padDay = true, zoneComment = false } = opts;
  const lt = localTime(zone, t);
  const day = padDay ? pad2(lt.day) : String(lt.day);
  const base =
    `${WEEKDAYS[lt.weekday]}, ${day} ${MONTHS[lt.month - 1]} ${lt.year} ` +
    `${pad2(lt.hour)}:${pad2(lt.minute)}:${pad2(lt.second)} ${offsetString(lt.offset, false)}`;
  return zoneComment && zone === 'UTC' ? base + ' (UTC)' : base;
}

/** Parse `YYYY-MM-DD` as 00:00 UTC of that day, in epoch seconds; throws on anything else. */
export function parseDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000;
  if (new Date(t * 1000).toISOString().slice(0, 10) !== date) throw new Error(`no such date: ${date}`);
  return t;
}

/** `YYYY-MM-DD` of instant t in a zone. */
export function isoDay(t: number, zone: ZoneName = 'UTC'): string {
  const lt = localTime(zone, t);
  return `${pad4(lt.year)}-${pad2(lt.month)}-${pad2(lt.day)}`;
}

/**
 * Daily and weekly rhythms, and the arrival processes built on them.
 *
 * Mail arrives as a cascading non-homogeneous Poisson process (Malmgren et al., PNAS 2008):
 * primary events follow a rate modulated by the hour of day and day of week in the relevant
 * zone; each primary event may trigger a cascade of secondary events shortly after. This
 * reproduces both the circadian/weekly profile and the heavy-tailed inter-arrival times
 * (Barabási, Nature 2005) that a homogeneous process lacks.
 */
import type { Stream } from './rng.js';
import { DAY, HOUR, localTime } from './time.js';
import type { ZoneName } from './time.js';

function normalise(weights: readonly number[]): number[] {
  const mean = weights.reduce((a, b) => a + b, 0) / weights.length;
  return weights.map((w) => w / mean);
}

/** Hour-of-day weights (local time, hours 0..23), normalised to mean 1. */
export const DAILY = {
  /** People writing to people: morning and evening peaks, quiet at night. */
  personal: normalise([0.15, 0.08, 0.05, 0.04, 0.04, 0.08, 0.3, 0.7, 1.1, 1.4, 1.5, 1.45, 1.35, 1.4, 1.4, 1.35, 1.3, 1.3, 1.35, 1.5, 1.6, 1.5, 1.1, 0.5]),
  /** Shopping: lunch and, above all, evenings. */
  shopping: normalise([0.35, 0.2, 0.1, 0.05, 0.05, 0.08, 0.2, 0.4, 0.6, 0.8, 0.9, 1, 1.3, 1.1, 0.9, 0.9, 1, 1.1, 1.3, 1.7, 2.1, 2.3, 1.9, 1]),
  /** Social apps: evenings and commutes. */
  social: normalise([0.5, 0.3, 0.15, 0.1, 0.1, 0.15, 0.5, 1, 1.2, 0.9, 0.8, 0.9, 1.3, 1.1, 0.9, 0.9, 1, 1.2, 1.4, 1.6, 1.8, 1.8, 1.5, 0.9]),
  /** Organisations sending during office hours. */
  business: normalise([0.05, 0.03, 0.03, 0.03, 0.05, 0.1, 0.3, 0.8, 1.6, 2, 2, 1.9, 1.3, 1.8, 1.9, 1.8, 1.6, 1.3, 0.8, 0.5, 0.3, 0.2, 0.1, 0.08]),
  /** Spam arrives around the clock, with a mild bump. */
  spam: normalise([0.8, 0.8, 0.8, 0.9, 0.9, 0.9, 1, 1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1, 1, 1, 0.9, 0.9, 0.8]),
  /** An attacker's working day (applied in UTC+8, see scenarios). */
  attacker: normalise([0.3, 0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.2, 1.4, 1.4, 1.2, 1.4, 1.5, 1.5, 1.5, 1.4, 1.3, 1.4, 1.5, 1.4, 1, 0.6]),
  flat: normalise(new Array(24).fill(1)),
} as const;

/** Day-of-week weights, Sunday first, normalised to mean 1. */
export const WEEKLY = {
  personal: normalise([0.8, 1.05, 1.05, 1.05, 1.05, 1.05, 0.85]),
  shopping: normalise([1.25, 0.9, 0.9, 0.9, 0.95, 1.05, 1.25]),
  business: normalise([0.15, 1.2, 1.2, 1.2, 1.2, 1.15, 0.25]),
  flat: normalise([1, 1, 1, 1, 1, 1, 1]),
} as const;

export type DailyProfile = keyof typeof DAILY;
export type WeeklyProfile = keyof typeof WEEKLY;

export interface Rhythm {
  daily: DailyProfile;
  weekly: WeeklyProfile;
  zone: ZoneName;
}

const maxOf = (a: readonly number[]): number => a.reduce((m, x) => (x > m ? x : m), 0);

/** Rate multiplier at instant t (mean 1 over a week). */
export function rhythmAt(r: Rhythm, t: number): number {
  const lt = localTime(r.zone, t);
  return DAILY[r.daily][lt.hour]! * WEEKLY[r.weekly][lt.weekday]!;
}

export function rhythmMax(r: Rhythm): number {
  return maxOf(DAILY[r.daily]) * maxOf(WEEKLY[r.weekly]);
}

/**
 * Next arrival after t of a non-homogeneous Poisson process with rate
 * `perDay * rhythm(t) * boost(t)` (events per day), by thinning (Lewis & Shedler 1979).
 * `boostMax` bounds `boost`. Returns Infinity when the rate is zero.
 */
export function nextArrival(rng: Stream, t: number, perDay: number, r: Rhythm, boost?: (t: number) => number, boostMax = 1): number {
  if (perDay <= 0) return Infinity;
  const lambdaMax = (perDay / DAY) * rhythmMax(r) * boostMax;
  let s = t;
  for (let i = 0; i < 10000; i++) {
    s += rng.exp(1 / lambdaMax);
    const rate = (perDay / DAY) * rhythmAt(r, s) * (boost ? boost(s) : 1);
    if (rng.float() * lambdaMax <= rate) return Math.round(s);
  }
  return Infinity;
}

/** A stretch of time over which a rate factor holds: until `end` (epoch seconds), times `factor`. */
export interface Stretch {
  factor: number;
  end: number;
}

/**
 * Next arrival after t, before `until`, of a non-homogeneous Poisson process with rate
 * `perDay * rhythm(t) * boost(t) * stretch(t).factor`: thinning within each stretch (a day of
 * the owner's), restarted at each stretch's end (the process is memoryless, so restarting is
 * exact), so a stretch's factor may be as large as it likes without a global bound.
 * Returns Infinity when nothing arrives before `until`.
 */
export function nextArrivalInStretches(
  rng: Stream,
  t: number,
  until: number,
  perDay: number,
  r: Rhythm,
  stretch: (t: number) => Stretch,
  boost?: (t: number) => number,
  boostMax = 1,
): number {
  if (perDay <= 0) return Infinity;
  const base = (perDay / DAY) * rhythmMax(r) * boostMax;
  let s = t;
  while (s < until) {
    const { factor, end } = stretch(s);
    if (!(end > s)) throw new Error(`a stretch must end after ${s} (got ${end})`);
    if (factor <= 0) {
      s = end;
      continue;
    }
    const lambdaMax = base * factor;
    const step = rng.exp(1 / lambdaMax);
    if (s + step >= end) {
      s = end;
      continue;
    }
    s += step;
    const rate = (perDay / DAY) * rhythmAt(r, s) * (boost ? boost(s) : 1) * factor;
    if (rng.float() * lambdaMax <= rate) return Math.round(s);
  }
  return Infinity;
}

/** A time within the local day starting at `dayStart`, with the hour drawn from a daily profile. */
export function timeInDay(rng: Stream, dayStart: number, profile: DailyProfile): number {
  const hour = rng.weighted([...Array(24).keys()], DAILY[profile]);
  return dayStart + hour * HOUR + rng.int(0, 3599);
}

/**
 * Offsets (seconds) of a cascade triggered by a primary event: a geometric number of secondary
 * events, each a log-normal gap after the previous one (minutes to hours).
 */
export function cascade(rng: Stream, meanSecondary: number, medianGapSeconds: number): number[] {
  if (meanSecondary <= 0) return [];
  const n = rng.geometric(1 / (1 + meanSecondary));
  const out: number[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += Math.max(5, Math.round(rng.lognormal(medianGapSeconds, 1.2)));
    out.push(at);
  }
  return out;
}

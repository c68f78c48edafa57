/**
 * Distributions with units: how scenario files and the config state every quantity.
 *
 * A quantity is never a constant in the data: "~15 h after the first order" is
 * `{"dist": "normal", "mean": 15, "sd": 2.5, "min": 8, "max": 24, "unit": "h"}`.
 */
import { z } from 'zod';
import type { Stream } from './rng.js';

export const UNITS = ['min', 'h', 'd', 'JPY', 'USD', 'count', 'share', 'x'] as const;
export type Unit = (typeof UNITS)[number];

const unit = z.enum(UNITS).describe('unit of the value: min/h/d are durations, JPY/USD money, count items, share a probability, x a multiplier');
const bounds = {
  min: z.number().optional().describe('lower bound: draws below are redrawn (up to 32 times), then clamped'),
  max: z.number().optional().describe('upper bound: draws above are redrawn (up to 32 times), then clamped'),
};
const doc = { unit, description: z.string().optional() };

export const DistSchema = z.discriminatedUnion('dist', [
  z.object({ dist: z.literal('const'), value: z.number(), ...doc }).strict(),
  z.object({ dist: z.literal('uniform'), min: z.number(), max: z.number(), ...doc }).strict(),
  z.object({ dist: z.literal('int'), min: z.number().int(), max: z.number().int(), ...doc }).strict(),
  z.object({ dist: z.literal('normal'), mean: z.number(), sd: z.number().nonnegative(), ...bounds, ...doc }).strict(),
  z.object({ dist: z.literal('lognormal'), median: z.number().positive(), sigma: z.number().nonnegative(), ...bounds, ...doc }).strict(),
  z.object({ dist: z.literal('poisson'), mean: z.number().nonnegative(), offset: z.number().int().default(0), ...bounds, ...doc }).strict(),
  z.object({ dist: z.literal('bernoulli'), p: z.number().min(0).max(1), ...doc }).strict(),
]);

export type Dist = z.infer<typeof DistSchema>;

/** Seconds per unit of duration; other units are returned as is. */
const SECONDS: Partial<Record<Unit, number>> = { min: 60, h: 3600, d: 86400 };

function bounded(draw: () => number, min: number | undefined, max: number | undefined): number {
  let v = draw();
  for (let i = 0; i < 32 && ((min !== undefined && v < min) || (max !== undefined && v > max)); i++) v = draw();
  if (min !== undefined && v < min) v = min;
  if (max !== undefined && v > max) v = max;
  return v;
}

/** Draw a value in the distribution's own unit. */
export function sample(d: Dist, rng: Stream): number {
  switch (d.dist) {
    case 'const':
      return d.value;
    case 'uniform':
      return rng.uniform(d.min, d.max);
    case 'int':
      return rng.int(d.min, d.max);
    case 'normal':
      return bounded(() => rng.normal(d.mean, d.sd), d.min, d.max);
    case 'lognormal':
      return bounded(() => rng.lognormal(d.median, d.sigma), d.min, d.max);
    case 'poisson':
      return bounded(() => d.offset + rng.poisson(d.mean), d.min, d.max);
    case 'bernoulli':
      return rng.bool(d.p) ? 1 : 0;
  }
}

/** Draw a duration and convert it to seconds (durations must carry min, h or d). */
export function sampleSeconds(d: Dist, rng: Stream): number {
  const k = SECONDS[d.unit];
  if (k === undefined) throw new Error(`expected a duration (min, h, d), got unit ${d.unit}`);
  return Math.round(sample(d, rng) * k);
}

export function isDuration(d: Dist): boolean {
  return SECONDS[d.unit] !== undefined;
}

/** The range a distribution's draws fall in (for checks and the dataset card). */
export function support(d: Dist): [number, number] {
  switch (d.dist) {
    case 'const':
      return [d.value, d.value];
    case 'uniform':
    case 'int':
      return [d.min, d.max];
    case 'normal':
    case 'lognormal':
    case 'poisson':
      return [d.min ?? (d.dist === 'normal' ? -Infinity : d.dist === 'poisson' ? d.offset : 0), d.max ?? Infinity];
    case 'bernoulli':
      return [0, 1];
  }
}

/** A short human description, e.g. `normal(15 ± 2.5 h, 8..24)`. */
export function describeDist(d: Dist): string {
  const range = 'min' in d || 'max' in d ? `, ${'min' in d && d.min !== undefined ? d.min : ''}..${'max' in d && d.max !== undefined ? d.max : ''}` : '';
  switch (d.dist) {
    case 'const':
      return `${d.value} ${d.unit}`;
    case 'uniform':
      return `uniform(${d.min}..${d.max} ${d.unit})`;
    case 'int':
      return `int(${d.min}..${d.max} ${d.unit})`;
    case 'normal':
      return `normal(${d.mean} ± ${d.sd} ${d.unit}${range})`;
    case 'lognormal':
      return `lognormal(median ${d.median} ${d.unit}, σ ${d.sigma}${range})`;
    case 'poisson':
      return `${d.offset ? d.offset + ' + ' : ''}poisson(${d.mean}) ${d.unit}${range}`;
    case 'bernoulli':
      return `bernoulli(${d.p})`;
  }
}

/**
 * The leakage probe's arithmetic: can a trivial classifier on one artefact (a Message-ID's shape,
 * the email id, the position in the file, the sender, the hour, the size) tell takeover mail from
 * the rest? Pure functions; scripts/leakage-probe.ts reads a dataset and prints the table.
 *
 * Method: mailboxes are split in two halves by a hash of their id (mail of one mailbox never
 * lands on both sides). On the training half, the rate of positives per (stratum, feature value)
 * is counted and smoothed towards the stratum's rate; each test mail is scored with the rate of
 * its value. AUC is computed within strata only (pairs of mails of different strata are never
 * compared), so a stratum's base rate cannot pass for a feature's signal; its interval resamples
 * test mailboxes. Lift is the precision among the top fraction by score, per stratum, over the
 * precision of picking as many mails at random in each stratum.
 */
import { createHash } from 'node:crypto';
import { Stream } from '../generator/core/rng.js';

export type Half = 'train' | 'test';

/** Train or test by the parity of sha256(salt NUL mailbox): deterministic, about half each. */
export function mailboxSplit(mailbox: string, salt = 'ato-bench leakage probe'): Half {
  const first = createHash('sha256').update(salt).update('\0').update(mailbox).digest()[0]!;
  return (first & 1) === 0 ? 'train' : 'test';
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half. Optional non-negative weights (a bootstrap's multiplicities).
 * NaN when there are no positives or no negatives.
 */
export function auc(scores: readonly number[], positive: readonly boolean[], weights?: readonly number[]): number {
  if (scores.length !== positive.length) throw new RangeError('auc: scores and labels differ in length');
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let negBelow = 0;
  let concordant = 0;
  let P = 0;
  let N = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    let p = 0;
    let n = 0;
    while (j < order.length && scores[order[j]!] === scores[order[i]!]) {
      const k = order[j]!;
      const w = weights ? weights[k]! : 1;
      if (positive[k]) p += w;
      else n += w;
      j++;
    }
    concordant += p * (negBelow + n / 2);
    negBelow += n;
    P += p;
    N += n;
    i = j;
  }
  return P > 0 && N > 0 ? concordant / (P * N) : NaN;
}

export interface Scored {
  score: number;
  positive: boolean;
  /** Pairs are only formed within a stratum; one stratum when absent. */
  stratum?: string;
  weight?: number;
}

function byStratum<T extends Scored>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = it.stratum ?? '';
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** AUC over the pairs (positive, negative) of the same stratum, pooled over strata. */
export function stratifiedAuc(items: readonly Scored[]): number {
  let num = 0;
  let den = 0;
  for (const list of byStratum(items).values()) {
    const w = list.map((x) => x.weight ?? 1);
    const a = auc(
      list.map((x) => x.score),
      list.map((x) => x.positive),
      w,
    );
    if (Number.isNaN(a)) continue;
    const P = list.reduce((s, x, i) => s + (x.positive ? w[i]! : 0), 0);
    const N = list.reduce((s, x, i) => s + (x.positive ? 0 : w[i]!), 0);
    num += a * P * N;
    den += P * N;
  }
  return den > 0 ? num / den : NaN;
}

/**
 * Lift at the top `fraction` by score: in each stratum take the top fraction of its mails (ties
 * at the cut-off counted in proportion, so no random tie-break), and divide the positives found
 * by those expected from picking as many mails at random in each stratum. 1 = no better than
 * random; NaN without positives. Strata with one class only are left out (nothing to rank).
 */
export function liftAtTop(items: readonly Scored[], fraction: number): number {
  let found = 0;
  let expected = 0;
  for (const list of byStratum(items).values()) {
    const n = list.length;
    const pos = list.filter((x) => x.positive).length;
    if (pos === 0 || pos === n) continue;
    const k = fraction * n;
    expected += (k * pos) / n;
    const sorted = [...list].sort((a, b) => b.score - a.score);
    let taken = 0;
    for (let i = 0; i < n && taken < k;) {
      let j = i;
      let p = 0;
      while (j < n && sorted[j]!.score === sorted[i]!.score) {
        if (sorted[j]!.positive) p++;
        j++;
      }
      const size = j - i;
      const take = Math.min(size, k - taken);
      found += (p * take) / size;
      taken += take;
      i = j;
    }
  }
  return expected > 0 ? found / expected : NaN;
}

/** One mail as the probe sees it: its mailbox, stratum, artefact value and whether it is takeover mail. */
export interface Observation {
  mailbox: string;
  stratum: string;
  value: string;
  positive: boolean;
}

export interface RateClassifier {
  /** Smoothed rate of positives for a value in a stratum (the stratum's rate for unseen values). */
  score(stratum: string, value: string): number;
  /** Rate of positives over the whole training set. */
  base: number;
}

/**
 * Per-value rate of positives, fitted on training observations: (pos + m * r_s) / (n + m) where
 * r_s is the stratum's rate and m the prior strength (pseudo-mails), so a value seen a handful of
 * times does not get an extreme rate.
 */
export function fitRateClassifier(train: Iterable<Observation>, prior = 5): RateClassifier {
  const perValue = new Map<string, { pos: number; n: number }>();
  const perStratum = new Map<string, { pos: number; n: number }>();
  let pos = 0;
  let n = 0;
  const key = (s: string, v: string): string => `${s}\u0000${v}`;
  const bump = (m: Map<string, { pos: number; n: number }>, k: string, p: boolean): void => {
    const c = m.get(k) ?? { pos: 0, n: 0 };
    c.n++;
    if (p) c.pos++;
    m.set(k, c);
  };
  for (const o of train) {
    bump(perValue, key(o.stratum, o.value), o.positive);
    bump(perStratum, o.stratum, o.positive);
    n++;
    if (o.positive) pos++;
  }
  const base = n > 0 ? pos / n : 0;
  return {
    base,
    score(stratum, value) {
      const s = perStratum.get(stratum);
      const r = s ? s.pos / s.n : base;
      const c = perValue.get(key(stratum, value));
      return c ? (c.pos + prior * r) / (c.n + prior) : r;
    },
  };
}

/** Cut points of the deciles of `values` (9 of them); `decileOf` places a number among them. */
export function decileCuts(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const s = [...values].sort((a, b) => a - b);
  return [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => s[Math.min(s.length - 1, Math.floor((d * s.length) / 10))]!);
}

export function decileOf(x: number, cuts: readonly number[]): number {
  let d = 0;
  while (d < cuts.length && x >= cuts[d]!) d++;
  return d;
}

/** Uniform floats in [0, 1) from the project's seeded streams (generator/core/rng.ts): same seed, same interval. */
export function seededRandom(seed: number): () => number {
  const s = Stream.root(seed).child('leakage-probe');
  return () => s.float();
}

export type Verdict = 'OK' | 'LEAK' | 'n/a';

/**
 * OK when the interval contains 0.5 or the AUC is below 0.55; LEAK otherwise; n/a when there is
 * nothing to compare (no takeover mail, or no other mail, on the test side).
 */
export function verdict(aucValue: number, lo: number, hi: number): Verdict {
  if (Number.isNaN(aucValue)) return 'n/a';
  return (lo <= 0.5 && hi >= 0.5) || aucValue < 0.55 ? 'OK' : 'LEAK';
}

export interface ProbeResult {
  trainMails: number;
  testMails: number;
  testPositives: number;
  auc: number;
  lo: number;
  hi: number;
  lift: number;
  verdict: Verdict;
}

export interface ProbeOptions {
  bootstrap?: number;
  seed?: number;
  topFraction?: number;
  prior?: number;
  split?: (mailbox: string) => Half;
}

/**
 * Fit the rate classifier on the training mailboxes' observations, score the test mailboxes',
 * and return the stratified AUC with a bootstrap interval over test mailboxes, and the lift.
 */
export function probeFeature(observations: readonly Observation[], opts: ProbeOptions = {}): ProbeResult {
  const split = opts.split ?? mailboxSplit;
  const half = new Map<string, Half>();
  const sideOf = (mb: string): Half => {
    let h = half.get(mb);
    if (h === undefined) half.set(mb, (h = split(mb)));
    return h;
  };
  const train = observations.filter((o) => sideOf(o.mailbox) === 'train');
  const test = observations.filter((o) => sideOf(o.mailbox) === 'test');
  const clf = fitRateClassifier(train, opts.prior);
  const scored = test.map((o) => ({ score: clf.score(o.stratum, o.value), positive: o.positive, stratum: o.stratum, mailbox: o.mailbox }));
  const point = stratifiedAuc(scored);
  const lift = liftAtTop(scored, opts.topFraction ?? 0.01);
  const [lo, hi] = bootstrapAuc(scored, opts.bootstrap ?? 1000, opts.seed ?? 1);
  return {
    trainMails: train.length,
    testMails: test.length,
    testPositives: test.filter((o) => o.positive).length,
    auc: point,
    lo,
    hi,
    lift,
    verdict: verdict(point, lo, hi),
  };
}

/**
 * 95 % percentile interval of the stratified AUC, resampling mailboxes with replacement. Mails are
 * first grouped into cells (mailbox, stratum, score) so each resample costs one pass over cells.
 */
export function bootstrapAuc(items: ReadonlyArray<Scored & { mailbox: string }>, resamples: number, seed: number): [number, number] {
  if (resamples <= 0 || items.length === 0) return [NaN, NaN];
  const mailboxes = [...new Set(items.map((x) => x.mailbox))].sort();
  const mbIndex = new Map(mailboxes.map((m, i) => [m, i]));
  // Levels: the distinct scores of each stratum, sorted, laid out contiguously.
  const strata = [...byStratum(items).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const levelStart: number[] = [];
  const levelKey = new Map<string, number>();
  let levels = 0;
  for (const [s, list] of strata) {
    levelStart.push(levels);
    for (const score of [...new Set(list.map((x) => x.score))].sort((a, b) => a - b)) levelKey.set(`${s}\u0000${score}`, levels++);
  }
  levelStart.push(levels);
  const cells = new Map<string, { mb: number; level: number; pos: number; neg: number }>();
  for (const x of items) {
    const level = levelKey.get(`${x.stratum ?? ''}\u0000${x.score}`)!;
    const mb = mbIndex.get(x.mailbox)!;
    const k = `${mb}:${level}`;
    const c = cells.get(k) ?? { mb, level, pos: 0, neg: 0 };
    if (x.positive) c.pos++;
    else c.neg++;
    cells.set(k, c);
  }
  const list = [...cells.values()];
  const rand = seededRandom(seed);
  const mult = new Float64Array(mailboxes.length);
  const P = new Float64Array(levels);
  const N = new Float64Array(levels);
  const out: number[] = [];
  for (let b = 0; b < resamples; b++) {
    mult.fill(0);
    for (let i = 0; i < mailboxes.length; i++) mult[Math.floor(rand() * mailboxes.length)]!++;
    P.fill(0);
    N.fill(0);
    for (const c of list) {
      const w = mult[c.mb]!;
      if (w === 0) continue;
      P[c.level]! += w * c.pos;
      N[c.level]! += w * c.neg;
    }
    let num = 0;
    let den = 0;
    for (let s = 0; s < strata.length; s++) {
      let negBelow = 0;
      let conc = 0;
      let tp = 0;
      for (let l = levelStart[s]!; l < levelStart[s + 1]!; l++) {
        conc += P[l]! * (negBelow + N[l]! / 2);
        negBelow += N[l]!;
        tp += P[l]!;
      }
      num += conc;
      den += tp * negBelow;
    }
    if (den > 0) out.push(num / den);
  }
  if (out.length === 0) return [NaN, NaN];
  out.sort((a, b) => a - b);
  const q = (p: number): number => out[Math.min(out.length - 1, Math.max(0, Math.round(p * (out.length - 1))))]!;
  return [q(0.025), q(0.975)];
}

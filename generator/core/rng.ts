/**
 * The one randomness seam of the generator.
 *
 * Every random stream is derived from a key path — (seed, entity, purpose, ...) — and never from
 * a global: `Stream.root(seed).child('mailbox', id).child('newsletter')`. Two streams with
 * different paths are independent, so adding a draw to one mail type shifts nothing else, and
 * the output does not depend on how the work is split between workers.
 *
 * We own the generator instead of using a library: the dataset must stay byte-identical across
 * versions, and the generator derives ~10^6 child streams per dataset. seedrandom's alea seeds
 * through its string Mash at ~6 µs per stream; hashing the key path to 128 bits and running
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter, PractRand-clean) costs well under 1 µs.
 */

/**
 * 128-bit hash of a string as four 32-bit words: bryc's cyrb128 (MurmurHash3-style multiply-xor
 * mixing over UTF-16 code units). Not cryptographic; it only has to spread key paths evenly.
 */
export function hash128(key: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX = '0123456789abcdef';
function hex32(n: number, out: string[]): void {
  for (let s = 28; s >= 0; s -= 4) out.push(HEX[(n >>> s) & 15]!);
}

/** A hex digest of `bits` (32..128, multiple of 32) bits of {@link hash128}; used for opaque ids. */
export function hashHex(key: string, bits = 64): string {
  const h = hash128(key);
  const out: string[] = [];
  for (let i = 0; i < bits / 32; i++) hex32(h[i]!, out);
  return out.join('');
}

/** Separator of key path segments; a control character no segment contains. */
const SEP = '\u241f';

/**
 * A deterministic random stream: sfc32 seeded from the hash of its key path.
 *
 * @example
 * const s = Stream.root(42).child('mailbox', 'mb-3f9a').child('spam');
 * s.float();      // 0.7181... (same on every machine, for ever)
 * s.int(1, 6);    // 4
 */
export class Stream {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(readonly key: string) {
    const [a, b, c, d] = hash128(key);
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // Discard the first outputs: sfc32 mixes its state over a dozen rounds.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The root stream of a dataset. */
  static root(seed: number | string): Stream {
    return new Stream(`ato-bench${SEP}${seed}`);
  }

  /** An independent stream for a sub-entity or purpose; the parent's state is not consumed. */
  child(...path: Array<string | number>): Stream {
    return new Stream(this.key + SEP + path.join(SEP));
  }

  /** An opaque 64-bit hex id derived from this stream's key and `path` (no state consumed). */
  id(...path: Array<string | number>): string {
    return hashHex(this.key + SEP + 'id' + SEP + path.join(SEP), 64);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  float(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Pick with weights (need not sum to 1). */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.float() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  }

  /** Pick a key of a record of weights; keys are visited in sorted order, never insertion order. */
  weightedKey<K extends string>(weights: Readonly<Record<K, number>>): K {
    const keys = (Object.keys(weights) as K[]).sort();
    return this.weighted(
      keys,
      keys.map((k) => weights[k]),
    );
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Standard normal via Box–Muller (one value per call keeps the stream position simple). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.float();
    const v = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal given its median and the sigma of the underlying normal. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson (Knuth for small means, normal approximation above 60). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 60) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Number of failures before the first success, success probability p. */
  geometric(p: number): number {
    if (p >= 1) return 0;
    return Math.floor(Math.log(1 - this.float()) / Math.log(1 - p));
  }

  /** Pareto (type I) with scale xm and shape alpha: heavy tailed for alpha <= 2. */
  pareto(xm: number, alpha: number): number {
    return xm / Math.pow(1 - this.float(), 1 / alpha);
  }

  /** A string of `n` characters drawn from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.float() * alphabet.length)];
    return s;
  }

  /** `n` lowercase hex digits, 8 per draw. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.nextUint32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  digits(n: number): string {
    return this.chars(n, '0123456789');
  }
}

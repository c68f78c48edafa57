/**
 * A Map keyed by email id (or any string) that holds more than V8's limit of 2^24 (16.7 M)
 * entries per Map: the keys are spread over 256 Maps by their last two characters (the ids are
 * hex digits of a hash, so the spread is even), which lifts the limit to 2^32. Every structure
 * keyed per email in the harness and in verify is one of these.
 *
 * Iteration is bucket by bucket, not in insertion order: a caller that needs the order keeps it
 * itself (the stream's positions do).
 */
const BUCKETS = 256;

/** 0-15 for a lower-case hex digit, -1 otherwise. */
function hex(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

/** The last two hex digits of an id are its bucket; any other key is hashed from its last characters. */
function bucketOf(key: string): number {
  const n = key.length;
  const a = n > 0 ? key.charCodeAt(n - 1) : 0;
  const b = n > 1 ? key.charCodeAt(n - 2) : 0;
  const ha = hex(a);
  const hb = hex(b);
  if (ha >= 0 && hb >= 0) return ha + 16 * hb;
  return Math.imul(a * 31 + b, 0x9e3779b1) >>> 24;
}

export class IdMap<V> implements ReadonlyMap<string, V> {
  private readonly buckets: Array<Map<string, V>> = Array.from({ length: BUCKETS }, () => new Map<string, V>());
  private count = 0;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]!.get(key);
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]!.has(key);
  }

  set(key: string, value: V): this {
    const b = this.buckets[bucketOf(key)]!;
    const before = b.size;
    b.set(key, value);
    this.count += b.size - before;
    return this;
  }

  *entries(): MapIterator<[string, V]> {
    for (const b of this.buckets) yield* b.entries();
  }

  *keys(): MapIterator<string> {
    for (const b of this.buckets) yield* b.keys();
  }

  *values(): MapIterator<V> {
    for (const b of this.buckets) yield* b.values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, treeHashes } from '../generator/testing/test-helpers.js';
import { writeJsonFile } from './json-file.js';
import type { JsonFileOptions } from './json-file.js';

const expected = (v: unknown): Buffer => Buffer.from(JSON.stringify(v, null, 1) + '\n', 'utf8');

/** Writes v (with the given options) and returns the file's bytes. */
function roundTrip(dir: string, v: unknown, options?: JsonFileOptions): Buffer {
  const p = join(dir, 'out.json');
  writeJsonFile(p, v, options);
  return readFileSync(p);
}

// Small budgets force the streaming path on small values; small chunks exercise flushing.
const optionsArb = fc.record({ inlineBelow: fc.oneof(fc.constant(0), fc.nat(300), fc.constant(1 << 20)), chunkSize: fc.integer({ min: 1, max: 64 }) });

describe('writeJsonFile: same bytes as JSON.stringify(v, null, 1)', () => {
  it('for arbitrary JSON values (unicode strings, lone surrogates)', () => {
    const dir = tempDir();
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), optionsArb, (v, options) => {
        expect(roundTrip(dir, v, options)).toEqual(expected(v));
      }),
      { numRuns: 300 },
    );
  });

  it('for JS values: undefined and function members, -0, NaN, Infinity, Dates, boxed values, sparse and typed arrays', () => {
    const dir = tempDir();
    const leaves = [
      fc.boolean(),
      fc.integer(),
      fc.double(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom(null, undefined, -0, NaN, -Infinity, () => 1, Symbol('s')),
      fc.date({ noInvalidDate: false }),
    ];
    const anything = fc.anything({
      values: leaves,
      stringUnit: 'binary',
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withDate: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    const nested = fc.array(fc.array(fc.array(anything, { maxLength: 4 }), { maxLength: 4 }), { maxLength: 4 });
    const root = fc.oneof(anything, nested, fc.dictionary(fc.string({ unit: 'binary' }), anything));
    fc.assert(
      fc.property(
        root.filter((v) => JSON.stringify(v) !== undefined),
        optionsArb,
        (v, options) => {
          expect(roundTrip(dir, v, options)).toEqual(expected(v));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('calls toJSON with the member name or index, once, as JSON.stringify does', () => {
    const dir = tempDir();
    const calls: string[] = [];
    const probe = { toJSON: (key: string) => (calls.push(key), { key, inner: { toJSON: () => 'x' } }) };
    const v = {
      a: probe,
      list: [probe, undefined, probe],
      at: new Date(0),
      gone: { toJSON: () => undefined },
      twice: { toJSON: () => ({ toJSON: () => 'never', v: 1 }) },
    };
    for (const inlineBelow of [0, 1 << 20]) {
      const want = expected(v);
      const stringifyCalls = calls.splice(0);
      expect(roundTrip(dir, v, { inlineBelow })).toEqual(want);
      expect(calls.splice(0)).toEqual(stringifyCalls);
    }
  });

  it('rejects circular structures like JSON.stringify and leaves no file behind', () => {
    const dir = tempDir();
    const a: Record<string, unknown> = { big: 'x'.repeat(100) };
    a.self = { back: [a] };
    expect(() => JSON.stringify(a)).toThrow(TypeError);
    expect(() => writeJsonFile(join(dir, 'out.json'), a, { inlineBelow: 10 })).toThrow(/circular/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeJsonFile: large documents', () => {
  it('writes 3,000,000 alerts that JSON.stringify cannot hold in one string', () => {
    const N = 3_000_000;
    const alert = (i: number) => ({
      mailbox: `u${String(i).padStart(7, '0')}`,
      score: 0.5,
      reason: 'r',
      evidence: ['0123456789abcdef'],
      emailId: '0123456789abcdef',
      at: 1700000000,
    });
    const doc = (alerts: unknown[]) => ({
      version: 1,
      detectors: [
        { id: 'marketplace-rules', alerts },
        { id: 'null', alerts: [] },
      ],
    });
    const big = doc(Array.from({ length: N }, (_, i) => alert(i)));
    expect(() => JSON.stringify(big, null, 1)).toThrow(/Invalid string length/);

    const p = join(tempDir(), 'results.json');
    const t0 = performance.now();
    writeJsonFile(p, big);
    console.log(`writeJsonFile: ${N} alerts, ${statSync(p).size} bytes in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

    // Every alert serializes to the same length, so the file's size follows from two small documents.
    const one = expected(doc([alert(0)])).length;
    const two = expected(doc([alert(0), alert(1)])).length;
    expect(statSync(p).size).toBe(one + (N - 1) * (two - one));

    // Head and tail match the same document cut down to its first / last ten alerts.
    const head = expected(doc(Array.from({ length: 10 }, (_, i) => alert(i)))).subarray(0, 1500);
    const tail = expected(doc(Array.from({ length: 10 }, (_, i) => alert(N - 10 + i)))).subarray(-1500);
    const fd = openSync(p, 'r');
    const readAt = (pos: number, n: number) => {
      const b = Buffer.alloc(n);
      readSync(fd, b, 0, n, pos);
      return b;
    };
    const fileHead = readAt(0, head.length);
    const fileTail = readAt(statSync(p).size - tail.length, tail.length);
    closeSync(fd);
    expect(fileHead).toEqual(head);
    expect(fileTail).toEqual(tail);
    const lastAlert = fileTail.toString().match(/\{[^{}]*"mailbox"[^{}]*\[[^\]]*\][^{}]*\}(?=\s*\]\s*\},\s*\{\s*"id": "null")/);
    expect(JSON.parse(lastAlert![0])).toEqual(alert(N - 1));
  });
});

describe('writeJsonFile: atomic replacement', () => {
  it('replacing an existing file leaves only the new file in the folder', () => {
    const dir = tempDir();
    const p = join(dir, 'results.json');
    writeFileSync(p, 'old contents\n');
    writeJsonFile(p, { a: [1, 2, { b: 'c' }] });
    expect(readFileSync(p, 'utf8')).toBe(JSON.stringify({ a: [1, 2, { b: 'c' }] }, null, 1) + '\n');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('a target that is a directory fails before writing anything', () => {
    const dir = tempDir();
    const p = join(dir, 'results.json');
    mkdirSync(p);
    writeFileSync(join(p, 'inside.txt'), 'keep me');
    writeFileSync(join(dir, 'other.json'), '{}\n');
    const before = treeHashes(dir);
    expect(() => writeJsonFile(p, { a: 1 })).toThrow(`${p} is a directory`);
    expect(treeHashes(dir)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['other.json', 'results.json']);
  });

  it('an error while serializing keeps the previous file and removes the temporary one', () => {
    const dir = tempDir();
    const p = join(dir, 'results.json');
    writeFileSync(p, 'previous\n');
    const bad = {
      rows: [
        1,
        2,
        {
          toJSON: () => {
            throw new Error('boom');
          },
        },
      ],
    };
    expect(() => writeJsonFile(p, bad, { chunkSize: 1 })).toThrow('boom');
    expect(() => writeJsonFile(p, { n: 1n })).toThrow(TypeError);
    expect(readFileSync(p, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });
});

import fc from 'fast-check';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DuplicateIdError, StreamColumns, StreamColumnsBuilder } from './stream-columns.js';

const hexId = fc.stringMatching(/^[0-9a-f]{16}$/);

describe('StreamColumns', () => {
  it('answers each position and each id as arrays and a Map of the same records would', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(hexId, { maxLength: 400 }),
        fc.array(fc.constantFrom('alice', 'bob', 'carol', 'mb-0', 'ü'), { minLength: 400, maxLength: 400 }),
        fc.array(hexId, { maxLength: 30 }),
        fc.integer({ min: 1, max: 600 }),
        (ids, names, probes, expected) => {
          const records = ids.map((id, i) => ({ id, mailbox: names[i]!, at: 1_700_000_000 + i * 1.5 }));
          const b = new StreamColumnsBuilder(expected); // too small, so it grows, or too large
          for (const r of records) expect(b.add(r.id, r.mailbox, r.at)).toBeNull();
          const s = b.finish();
          expect(s.length).toBe(records.length);
          const position = new Map(ids.map((id, i) => [id, i]));
          records.forEach((r, i) => {
            expect(s.id(i)).toBe(r.id);
            expect(s.mailbox(i)).toBe(r.mailbox);
            expect(s.mailboxNames[s.mailboxIndex(i)]).toBe(r.mailbox);
            expect(s.time(i)).toBe(r.at);
            expect(s.positionOf(r.id)).toBe(i);
          });
          for (const p of probes) expect(s.positionOf(p)).toBe(position.get(p));
          expect(s.mailboxNames).toEqual([...new Set(names.slice(0, ids.length))]);
        },
      ),
    );
  });

  it('finds nothing for what is not an id of the format, and refuses to store one', () => {
    const s = StreamColumns.of([{ id: '00000000000000ab', mailbox: 'a', at: 1 }]);
    for (const probe of ['', '00000000000000AB', '00000000000000a', '00000000000000abc', 'zz000000000000ab']) expect(s.positionOf(probe)).toBeUndefined();
    const b = new StreamColumnsBuilder();
    expect(b.add('00000000000000AB', 'a', 1)).toMatch(/is not 16 lower-case hex digits/);
    expect(b.add('x'.repeat(100), 'a', 1)).toMatch(/^id "x{40}" is not/);
  });

  it('refuses an id seen twice, naming both positions', () => {
    const b = new StreamColumnsBuilder();
    for (const id of ['1111111111111111', '2222222222222222', '1111111111111111']) b.add(id, 'a', 0);
    expect(() => b.finish()).toThrow(DuplicateIdError);
    expect(() => b.finish()).toThrow('emails 1 and 3 have the same id');
  });

  it('lives in shared memory: a worker thread reads the same columns without a copy', async () => {
    const s = StreamColumns.of(['a1b2c3d4e5f60718', 'ffffffffffffffff'].map((id, i) => ({ id, mailbox: `m${i}`, at: i })));
    const data = s.shared();
    for (const column of [data.ids, data.mailboxOf, data.times, data.slots]) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The worker writes into the shared times; the write is seen here, so nothing was copied.
    const code = `const { workerData, parentPort } = require('node:worker_threads'); workerData.times[1] = 42; parentPort.postMessage(workerData.ids[0]);`;
    const worker = new Worker(code, { eval: true, workerData: data });
    const first = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(first).toBe(0xa1);
    expect(s.time(1)).toBe(42);
  });
});

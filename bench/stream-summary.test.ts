import fc from 'fast-check';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../datasets/read.js';
import { tempDir } from '../generator/testing/test-helpers.js';
import { MailboxIndex, StreamSummaryBuilder, emailHead, emailHeads, findEmails } from './stream-summary.js';

const hexId = fc.stringMatching(/^[0-9a-f]{16}$/);

function streamFile(records: Array<{ id: string; mailbox: string; receivedAt: string }>): string {
  const path = join(tempDir(), 'emails.jsonl');
  writeFileSync(path, records.map((r) => JSON.stringify({ ...r, subject: 'x' }) + '\n').join(''));
  return path;
}

function summarise(path: string, records: Array<{ mailbox: string }>) {
  const b = new StreamSummaryBuilder(path);
  for (const r of records) b.add(r.mailbox);
  return b.finish();
}

describe('emailHead', () => {
  it("reads a line's id, mailbox and arrival as JSON.parse does, or declines", () => {
    fc.assert(
      fc.property(hexId, fc.string(), fc.string(), fc.boolean(), (id, mailbox, receivedAt, reorder) => {
        const record = reorder ? { mailbox, id, receivedAt } : { id, mailbox, receivedAt, text: 'body "quoted" \\' };
        const head = emailHead(Buffer.from(JSON.stringify(record)));
        if (head) expect(head).toEqual({ id, mailbox, receivedAt });
        // The format's own lines (keys in order, no character JSON escapes) are always read.
        if (!reorder && !/["\\\u0000-\u001f]/.test(mailbox + receivedAt)) expect(head).not.toBeNull();
        if (reorder) expect(head).toBeNull();
      }),
    );
  });

  it('declines a line that is not an email head', () => {
    for (const line of ['', '{}', '{"id":"00"}', '{"id":"0000000000000000","mailbox":"a"', 'x'.repeat(60)]) expect(emailHead(Buffer.from(line))).toBeNull();
  });
});

describe('findEmails', () => {
  it("places each id at its first email, up to the position asked, and knows each mailbox's first email and count", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom('a', 'b', 'ü"c')), { minLength: 1, maxLength: 60 }),
        fc.nat(),
        (raw, cut) => {
          const records = raw.map(([n, mailbox], i) => ({
            id: n.toString(16).padStart(16, '0'),
            mailbox,
            receivedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
          }));
          const path = streamFile(records);
          const summary = summarise(path, records);
          const upTo = cut % records.length;
          const found = findEmails(summary, ['ffffffffffffffff', ...records.map((r) => r.id)], upTo);
          for (let n = 0; n < 9; n++) {
            const id = n.toString(16).padStart(16, '0');
            const first = records.findIndex((r) => r.id === id);
            const want =
              first >= 0 && first <= upTo ? { seq: first, mailbox: records[first]!.mailbox, at: Date.parse(records[first]!.receivedAt) / 1000 } : undefined;
            expect(found.get(id)).toEqual(want);
          }
          expect(found.has('ffffffffffffffff')).toBe(false);
          const index = new MailboxIndex(summary);
          for (const m of ['a', 'b', 'ü"c', 'zz']) {
            const first = records.findIndex((r) => r.mailbox === m);
            expect(index.emailsIn(m)).toBe(records.filter((r) => r.mailbox === m).length);
            if (first >= 0) expect([index.deliveredBy(m, first - 1), index.deliveredBy(m, first)]).toEqual([false, true]);
            else expect(index.deliveredBy(m, records.length)).toBe(false);
          }
          expect([...emailHeads(summary)].map((h) => h.id)).toEqual(records.map((r) => r.id));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('refuses to read a stream that changed since it was summarised', () => {
    const records = [{ id: '0000000000000001', mailbox: 'a', receivedAt: '2025-01-01T00:00:00Z' }];
    const path = streamFile(records);
    const summary = summarise(path, records);
    appendFileSync(path, JSON.stringify(records[0]) + '\n');
    expect(() => findEmails(summary, ['0000000000000001'])).toThrow(DatasetError);
    expect(() => findEmails(summary, ['0000000000000001'])).toThrow(/changed while the benchmark was reading it/);
  });
});

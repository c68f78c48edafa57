/**
 * Does a real mail client read the headers as they were meant? notmuch (Debian's package, on
 * GMime 3.2; installed by this test when missing) indexes the mail of the tiny dataset, one file
 * per message as its maildir wants, and its Subject, From and To of every message are compared
 * with Python's `email` (policy=default) reading of the same file and with the message's JSONL
 * record: no message may differ.
 *
 * GMime decodes a run of adjacent B encoded-words of one charset as one base64 stream, which ends
 * at the first `=` padding: a sender that pads a word other than the last of a run loses the rest
 * of the run in notmuch (`=?UTF-8?B?YWJjZA==?= =?UTF-8?B?ZWZn?=` reads "abcd"). Format 7 did, for
 * 534 of the tiny dataset's 2,311 Subjects; generator/mail/mime.ts now pads only the last word.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import { loadPreset } from '../config.js';
import { generateDataset } from '../pipeline/generate.js';
import { ensureDebianPackage, run } from '../testing/debian.js';
import { pythonEmail } from '../testing/python-email.js';
import type { Mailbox, PythonFields } from '../testing/python-email.js';
import { jsonl, tempDir } from '../testing/test-helpers.js';
import { parseMboxrd } from './mbox.js';

const NOTMUCH = '/usr/bin/notmuch';

interface Fields {
  subject: string | null;
  from: Mailbox[];
  to: Mailbox[];
}

interface Compared {
  id: string;
  notmuch: Fields;
  python: Fields;
  record: Fields;
}

interface NotmuchMessage {
  filename: string[];
  headers: Record<string, string | undefined>;
}

/** The messages of `notmuch show --format=json` output: a forest of threads, each a list of [message, replies]. */
function notmuchMessages(node: unknown, out: NotmuchMessage[] = []): NotmuchMessage[] {
  if (Array.isArray(node)) for (const n of node) notmuchMessages(n, out);
  else if (node !== null && typeof node === 'object' && 'filename' in node) out.push(node as NotmuchMessage);
  return out;
}

/** Each message of the dataset's mbox files as its own file, named by its record's id, in a maildir. */
function writeMaildir(dataset: string, maildir: string): Map<string, { file: string; subject: string; from: string; to: string }> {
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, d), { recursive: true });
  const records = jsonl<{ id: string; mailbox: string; subject: string; from: string; to: string }>(join(dataset, FILES.emails));
  const byMailbox = new Map<string, typeof records>();
  for (const r of records) {
    const list = byMailbox.get(r.mailbox);
    if (list) list.push(r);
    else byMailbox.set(r.mailbox, [r]);
  }
  const out = new Map<string, { file: string; subject: string; from: string; to: string }>();
  for (const [mailbox, list] of byMailbox) {
    // An mbox holds its mailbox's mail in the order emails.jsonl does.
    const raws = parseMboxrd(readFileSync(join(dataset, FILES.mboxDir, `${mailbox}.mbox`), 'utf8'));
    expect(raws.length, mailbox).toBe(list.length);
    list.forEach((r, i) => {
      const file = join(maildir, 'cur', `${r.id}:2,`);
      writeFileSync(file, raws[i]!);
      out.set(r.id, { file, subject: r.subject, from: r.from, to: r.to });
    });
  }
  return out;
}

const compared: Compared[] = [];
let patched = false;

beforeAll(async () => {
  await ensureDebianPackage(NOTMUCH, 'notmuch', 'The notmuch test');
  const root = tempDir('ato-bench-notmuch-');
  const dataset = join(root, 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: dataset, formats: ['jsonl', 'mbox'] });
  const maildir = join(root, 'mail');
  const messages = writeMaildir(dataset, maildir);
  const config = join(root, 'notmuch-config');
  writeFileSync(config, `[database]\npath=${maildir}\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n`);
  const env = { ...process.env, NOTMUCH_CONFIG: config };
  const indexed = await run(NOTMUCH, ['new', '--quiet'], 300_000, { env });
  if (indexed.code !== 0) throw new Error(`notmuch new exited ${indexed.code}: ${indexed.stderr}`);
  // JSON gives every header decoded as GMime decodes it, with the file it came from.
  const shown = await run(NOTMUCH, ['show', '--format=json', '--body=false', '--entire-thread=false', '*'], 300_000, { env });
  if (shown.code !== 0) throw new Error(`notmuch show exited ${shown.code}: ${shown.stderr}`);
  const byId = new Map<string, Record<string, string | undefined>>();
  for (const m of notmuchMessages(JSON.parse(shown.stdout))) for (const f of m.filename) byId.set(basename(f).replace(/:2,$/, ''), m.headers);
  expect(byId.size, 'notmuch indexes every message').toBe(messages.size);

  const ids = [...messages.keys()].sort();
  // notmuch and the records give decoded address lists: Python parses them into mailboxes too.
  const values: Array<[string, string]> = [];
  for (const id of ids) {
    const nm = byId.get(id)!;
    const rec = messages.get(id)!;
    values.push(['From', nm.From ?? ''], ['To', nm.To ?? ''], ['From', rec.from], ['To', rec.to]);
  }
  const py = await pythonEmail({ files: ids.map((id) => messages.get(id)!.file), values });
  patched = py.patched;
  const mailboxes = (k: number): Mailbox[] => py.values[k] as Mailbox[];
  ids.forEach((id, i) => {
    const python: PythonFields = py.files[i]!;
    compared.push({
      id,
      notmuch: { subject: byId.get(id)!.Subject ?? null, from: mailboxes(4 * i), to: mailboxes(4 * i + 1) },
      python,
      record: { subject: messages.get(id)!.subject, from: mailboxes(4 * i + 2), to: mailboxes(4 * i + 3) },
    });
  });
}, 600_000);

/** Messages whose `field` differs between two readers, with the first few shown. */
function mismatches(field: keyof Fields, a: 'notmuch' | 'python', b: 'python' | 'record'): { count: number; first: string } {
  const bad = compared.filter((c) => JSON.stringify(c[a][field]) !== JSON.stringify(c[b][field]));
  const first = bad
    .slice(0, 5)
    .map((c) => `${c.id} ${field}: ${a} ${JSON.stringify(c[a][field])}, ${b} ${JSON.stringify(c[b][field])}`)
    .join('\n');
  return { count: bad.length, first };
}

describe('notmuch (GMime) reads the generated headers as Python does', () => {
  it('the same Subject, From and To for every message of the tiny dataset', () => {
    expect(compared.length).toBeGreaterThan(1000);
    if (patched) console.log('python_email.py: this Python keeps whitespace between encoded-words of a display name (gh-128110); mended for the comparison');
    const found = (['subject', 'from', 'to'] as const).map((field) => ({ field, ...mismatches(field, 'notmuch', 'python') }));
    console.log(`notmuch vs Python over ${compared.length} messages: mismatches ${found.map((m) => `${m.field} ${m.count}`).join(', ')}`);
    for (const m of found) expect(m.count, `notmuch and Python differ on the ${m.field} of ${m.count} of ${compared.length} messages:\n${m.first}`).toBe(0);
  });

  it('and Python reads each as its JSONL record says', () => {
    for (const field of ['subject', 'from', 'to'] as const) {
      const m = mismatches(field, 'python', 'record');
      expect(m.count, `Python and the record differ on ${m.count} of ${compared.length}:\n${m.first}`).toBe(0);
    }
  });

  it('the headers it compares are not trivially equal: many are encoded-words', () => {
    const encoded = compared.filter((c) => /[^\x00-\x7f]/.test((c.record.subject ?? '') + JSON.stringify(c.record.from))).length;
    expect(encoded).toBeGreaterThan(compared.length / 4);
  });
});

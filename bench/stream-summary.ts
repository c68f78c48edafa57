/**
 * What the harness keeps of the stream between its passes over emails.jsonl: per mailbox, where
 * it first appears and how many emails it received; nothing per email. Memory follows the
 * mailboxes, not the emails, so a benchmark of a billion emails holds no more than one of a
 * thousand with as many mailboxes.
 *
 * What is needed of particular emails (the one an alert was raised on, the evidence an alert
 * names, the arrivals the scorer asks for) is looked up by reading the file again: the lines of
 * the format begin with the email's id, mailbox and arrival, so a later pass reads those three
 * without parsing the rest. The first pass (runner.ts, indexStream) parses every line whole and
 * refuses a file whose lines do not begin that way, and every later pass checks that the file is
 * still the one indexed.
 */
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { DatasetError } from '../datasets/read.js';
import { lineBuffers } from '../datasets/lines.js';
import { IdMap } from '../datasets/id-map.js';
import type { FileIdentity, StreamSummary } from './types.js';

export type { StreamSummary };

/** The three fields each email line begins with. */
export interface EmailHead {
  id: string;
  mailbox: string;
  receivedAt: string;
}

const ID_OPEN = Buffer.from('{"id":"');
const MAILBOX_OPEN = Buffer.from('","mailbox":"');
const RECEIVED_OPEN = Buffer.from('","receivedAt":"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The id, mailbox and arrival a line begins with, read without parsing the rest; null when it
 * does not begin exactly so (other key order, escapes in the values): the caller parses it whole.
 */
export function emailHead(line: Buffer): EmailHead | null {
  if (line.length < ID_OPEN.length + 16 + MAILBOX_OPEN.length || !startsAt(line, 0, ID_OPEN)) return null;
  const idEnd = ID_OPEN.length + 16;
  if (!startsAt(line, idEnd, MAILBOX_OPEN)) return null;
  const mStart = idEnd + MAILBOX_OPEN.length;
  const mEnd = line.indexOf(QUOTE, mStart);
  if (mEnd < 0 || !startsAt(line, mEnd, RECEIVED_OPEN)) return null;
  const rStart = mEnd + RECEIVED_OPEN.length;
  const rEnd = line.indexOf(QUOTE, rStart);
  if (rEnd < 0) return null;
  // A backslash anywhere up to here is an escape: the raw bytes are not the value.
  const b = line.indexOf(BACKSLASH, ID_OPEN.length);
  if (b >= 0 && b < rEnd) return null;
  return {
    id: line.toString('latin1', ID_OPEN.length, idEnd),
    mailbox: line.toString('utf8', mStart, mEnd),
    receivedAt: line.toString('utf8', rStart, rEnd),
  };
}

function startsAt(line: Buffer, at: number, prefix: Buffer): boolean {
  return line.length >= at + prefix.length && line.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}

function identityOf(s: Stats): FileIdentity {
  return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, dev: s.dev };
}

/** Gathers the summary during the first pass, one email at a time. */
export class StreamSummaryBuilder {
  private readonly number = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly firstSeq: number[] = [];
  private readonly emails: number[] = [];
  private count = 0;
  private readonly file: FileIdentity;

  constructor(private readonly path: string) {
    this.file = identityOf(statSync(path));
  }

  add(mailbox: string): void {
    let m = this.number.get(mailbox);
    if (m === undefined) {
      m = this.names.length;
      this.number.set(mailbox, m);
      this.names.push(mailbox);
      this.firstSeq.push(this.count);
      this.emails.push(0);
    }
    this.emails[m]!++;
    this.count++;
  }

  finish(): StreamSummary {
    checkUnchanged(this.path, this.file);
    return { path: this.path, file: this.file, count: this.count, mailboxNames: this.names, firstSeq: this.firstSeq, emails: this.emails };
  }
}

function checkUnchanged(path: string, was: FileIdentity): void {
  const now = identityOf(statSync(path));
  if (now.size !== was.size || now.mtimeMs !== was.mtimeMs || now.ino !== was.ino || now.dev !== was.dev)
    throw new DatasetError(`${path} changed while the benchmark was reading it; run it again on a dataset nobody is writing`);
}

/**
 * Every email's head, in stream order, up to position `upTo` included (default: all), from a
 * new reading of the file the summary was made of.
 */
export function* emailHeads(summary: StreamSummary, upTo = Number.POSITIVE_INFINITY): Generator<EmailHead & { seq: number }> {
  checkUnchanged(summary.path, summary.file);
  let seq = 0;
  for (const line of lineBuffers(summary.path)) {
    if (seq > upTo) break;
    const head = emailHead(line) ?? (JSON.parse(line.toString('utf8')) as EmailHead);
    yield { seq: seq++, id: head.id, mailbox: head.mailbox, receivedAt: head.receivedAt };
  }
  checkUnchanged(summary.path, summary.file);
}

/** Where an email is in the stream, and whose it is. */
export interface EmailPlace {
  seq: number;
  mailbox: string;
  /** Arrival, epoch seconds. */
  at: number;
}

/**
 * Find emails by id in one pass, up to position `upTo`: an id the stream does not hold (there)
 * is absent from the answer. An id held twice (no dataset of the format has one) names its first.
 */
export function findEmails(summary: StreamSummary, ids: Iterable<string>, upTo?: number): IdMap<EmailPlace> {
  const wanted = new IdMap<true>();
  for (const id of ids) wanted.set(id, true);
  const out = new IdMap<EmailPlace>();
  if (wanted.size === 0) return out;
  for (const h of emailHeads(summary, upTo)) {
    if (!wanted.has(h.id) || out.has(h.id)) continue;
    out.set(h.id, { seq: h.seq, mailbox: h.mailbox, at: Date.parse(h.receivedAt) / 1000 });
    if (out.size === wanted.size) break;
  }
  return out;
}

/** Mailbox names to their number in the summary, and the questions the session asks of them. */
export class MailboxIndex {
  private readonly number: Map<string, number>;
  constructor(private readonly summary: StreamSummary) {
    this.number = new Map(summary.mailboxNames.map((name, m) => [name, m]));
  }
  /** The mailbox's number in the summary's lists, or undefined for one the stream does not hold. */
  numberOf(mailbox: string): number | undefined {
    return this.number.get(mailbox);
  }
  /** Has the mailbox received an email at or before position `seq`? */
  deliveredBy(mailbox: string, seq: number): boolean {
    const m = this.number.get(mailbox);
    return m !== undefined && this.summary.firstSeq[m]! <= seq;
  }
  /** How many emails the mailbox received (0 for one the stream does not hold). */
  emailsIn(mailbox: string): number {
    const m = this.number.get(mailbox);
    return m === undefined ? 0 : this.summary.emails[m]!;
  }
}

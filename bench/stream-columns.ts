/**
 * The harness's own copy of the stream, in columns: for each position of emails.jsonl, the
 * email's id, mailbox and arrival, and for each id, its position. Alerts are stamped from it and
 * their evidence checked against it, never against the detector's words.
 *
 * It costs 28 bytes an email at most (8 for the id as bytes, 4 for the mailbox's number, 8 for
 * the arrival, 8 for the id's slot in an open-addressing table kept at most half full), in
 * shared memory: every detector's session thread reads the one copy, and none rebuilds it. An
 * array of strings and a Map cost over 150 bytes an email, once per thread, and a Map stops at
 * 2^24 entries; these columns hold up to 2^32 - 1 emails.
 *
 * Ids are the dataset format's: 16 lower-case hex digits, the start of a hash, so their first
 * four bytes already spread evenly over the table.
 */

/** The columns as plain data, to hand to a worker thread: its buffers are shared, not copied. */
export interface StreamShared {
  count: number;
  ids: Uint8Array;
  mailboxOf: Uint32Array;
  times: Float64Array;
  slots: Uint32Array;
  mailboxNames: string[];
}

const ID_BYTES = 8;
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** A lower-case hex digit's value, or -1. */
function nibble(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
}

/** Write a 16-hex-digit id as 8 bytes at `at`; false (nothing written that matters) when it is not one. */
function idToBytes(id: string, into: Uint8Array, at: number): boolean {
  if (id.length !== 2 * ID_BYTES) return false;
  for (let i = 0; i < ID_BYTES; i++) {
    const hi = nibble(id.charCodeAt(2 * i));
    const lo = nibble(id.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return false;
    into[at + i] = (hi << 4) | lo;
  }
  return true;
}

function slotOf(bytes: Uint8Array, at: number, mask: number): number {
  const word = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) ^ (bytes[at + 4]! | (bytes[at + 5]! << 8));
  return (Math.imul(word, 0x9e3779b1) >>> 0) & mask;
}

function sharedOf<T extends Uint8Array | Uint32Array | Float64Array>(make: new (b: SharedArrayBuffer) => T, bytesPer: number, n: number): T {
  return new make(new SharedArrayBuffer(Math.max(1, n) * bytesPer));
}

export class StreamColumns {
  private constructor(private readonly s: StreamShared) {}

  /** Rebuild the columns from their shared data (in a worker thread). */
  static fromShared(s: StreamShared): StreamColumns {
    return new StreamColumns(s);
  }

  /** Columns from records in stream order (tests and small streams). */
  static of(records: Iterable<{ id: string; mailbox: string; at: number }>): StreamColumns {
    const b = new StreamColumnsBuilder();
    for (const r of records) {
      const why = b.add(r.id, r.mailbox, r.at);
      if (why) throw new RangeError(why);
    }
    return b.finish();
  }

  get length(): number {
    return this.s.count;
  }

  /** Every mailbox of the stream, in order of first arrival. */
  get mailboxNames(): readonly string[] {
    return this.s.mailboxNames;
  }

  id(seq: number): string {
    const at = seq * ID_BYTES;
    let out = '';
    for (let i = 0; i < ID_BYTES; i++) out += HEX[this.s.ids[at + i]!];
    return out;
  }

  /** The number of the email's mailbox in mailboxNames. */
  mailboxIndex(seq: number): number {
    return this.s.mailboxOf[seq]!;
  }

  mailbox(seq: number): string {
    return this.s.mailboxNames[this.s.mailboxOf[seq]!]!;
  }

  /** Arrival, epoch seconds. */
  time(seq: number): number {
    return this.s.times[seq]!;
  }

  /** The position of the email with this id, or undefined when the stream has none. */
  positionOf(id: string): number | undefined {
    const probe = new Uint8Array(ID_BYTES);
    if (!idToBytes(id, probe, 0)) return undefined;
    const { slots, ids } = this.s;
    const mask = slots.length - 1;
    for (let k = slotOf(probe, 0, mask); ; k = (k + 1) & mask) {
      const v = slots[k]!;
      if (v === 0) return undefined;
      const at = (v - 1) * ID_BYTES;
      let same = true;
      for (let i = 0; i < ID_BYTES && same; i++) same = ids[at + i] === probe[i];
      if (same) return v - 1;
    }
  }

  /** The plain data to post to a worker thread. */
  shared(): StreamShared {
    return this.s;
  }
}

/** Builds the columns one email at a time, growing by doubling. */
export class StreamColumnsBuilder {
  private count = 0;
  private ids: Uint8Array;
  private mailboxOf: Uint32Array;
  private times: Float64Array;
  private readonly mailboxNumber = new Map<string, number>();
  private readonly mailboxNames: string[] = [];

  /** `expected`: how many emails to make room for at first (the manifest's count), if known. */
  constructor(expected = 1024) {
    const n = Math.max(16, expected);
    this.ids = sharedOf(Uint8Array, ID_BYTES, n);
    this.mailboxOf = sharedOf(Uint32Array, 4, n);
    this.times = sharedOf(Float64Array, 8, n);
  }

  /** Add the next email; a reason when its id is not 16 lower-case hex digits, else null. */
  add(id: string, mailbox: string, at: number): string | null {
    if (this.count === this.times.length) this.grow();
    if (!idToBytes(id, this.ids, this.count * ID_BYTES)) return `id ${JSON.stringify(id.slice(0, 40))} is not 16 lower-case hex digits`;
    let m = this.mailboxNumber.get(mailbox);
    if (m === undefined) {
      m = this.mailboxNames.length;
      this.mailboxNumber.set(mailbox, m);
      this.mailboxNames.push(mailbox);
    }
    this.mailboxOf[this.count] = m;
    this.times[this.count] = at;
    this.count++;
    return null;
  }

  private grow(): void {
    if (this.count >= 0xffff_fffe) throw new RangeError('more than 2^32 - 2 emails in one stream');
    const n = Math.min(0xffff_fffe, this.count * 2);
    const ids = sharedOf(Uint8Array, ID_BYTES, n);
    ids.set(this.ids);
    this.ids = ids;
    const mailboxOf = sharedOf(Uint32Array, 4, n);
    mailboxOf.set(this.mailboxOf);
    this.mailboxOf = mailboxOf;
    const times = sharedOf(Float64Array, 8, n);
    times.set(this.times);
    this.times = times;
  }

  /**
   * Index the ids and hand over the columns. Throws a reason naming both positions (0-based)
   * when an id appears twice, as no stream of the format has.
   */
  finish(): StreamColumns {
    let size = 2;
    while (size < 2 * this.count) size *= 2;
    const slots = sharedOf(Uint32Array, 4, size);
    const mask = size - 1;
    const { ids } = this;
    for (let seq = 0; seq < this.count; seq++) {
      const at = seq * ID_BYTES;
      let k = slotOf(ids, at, mask);
      for (; slots[k] !== 0; k = (k + 1) & mask) {
        const other = (slots[k]! - 1) * ID_BYTES;
        let same = true;
        for (let i = 0; i < ID_BYTES && same; i++) same = ids[other + i] === ids[at + i];
        if (same) throw new DuplicateIdError(slots[k]! - 1, seq);
      }
      slots[k] = seq + 1;
    }
    return StreamColumns.fromShared({
      count: this.count,
      ids: this.ids,
      mailboxOf: this.mailboxOf,
      times: this.times,
      slots,
      mailboxNames: this.mailboxNames,
    });
  }
}

/** Two emails of one stream with the same id. */
export class DuplicateIdError extends Error {
  constructor(
    readonly first: number,
    readonly second: number,
  ) {
    super(`emails ${first + 1} and ${second + 1} have the same id`);
  }
}

/**
 * A shard: the mailboxes one worker simulates. It advances them chunk by chunk, serialises the
 * chunk's mail as JSONL and label lines sorted by (arrival, id), and appends each mailbox's raw
 * messages to its mbox file. Whether a shard runs in a worker thread or in-process, its output
 * for a mailbox is the same: sharding decides only who does the work.
 */
import { createHash } from 'node:crypto';
import type { AttachmentRecord } from '../../datasets/format.js';
import type { Config } from '../config.js';
import { rfc3339 } from '../core/time.js';
import { headerValue } from '../mail/compose.js';
import type { Attachment } from '../mail/types.js';
import { MailboxSim } from '../traffic/mailbox.js';
import { formatById } from '../output/formats.js';
import type { MailboxWriter } from '../output/format-types.js';
import type { IncidentTruth, SimEmail } from '../traffic/mailbox.js';
import { planWorld } from '../scenarios/plan.js';
import { buildWorld } from '../world/world.js';
import type { World } from '../world/world.js';

/** Machine shard `index` of `count` (`generate --shard I/N`) holds the mailboxes whose index is `index` modulo `count`. */
export interface MachineShard {
  index: number;
  count: number;
}

export const WHOLE: MachineShard = { index: 0, count: 1 };

/** The mailboxes (world.mailboxes indices) of a machine shard. */
export function inMachineShard(personaIndex: number, m: MachineShard): boolean {
  return personaIndex % m.count === m.index;
}

/**
 * The machine shard's mailboxes split among `threads` worker threads by expected work, not by
 * count: mail volume is heavy-tailed (a few mailboxes receive most of it), so a round-robin split
 * left one thread waiting for the other. Greedy, busiest first, to the least loaded thread; the
 * same on every thread. Who simulates a mailbox does not change its mail.
 */
export function threadShare<P extends { index: number; activity: number }>(personas: readonly P[], threads: number): P[][] {
  // Newsletters and spam do not follow activity: every mailbox has a floor of work.
  const work = (p: P): number => 0.5 + p.activity;
  const order = personas.slice().sort((a, b) => work(b) - work(a) || a.index - b.index);
  const shares: P[][] = Array.from({ length: threads }, () => []);
  const load = new Array<number>(threads).fill(0);
  for (const p of order) {
    let t = 0;
    for (let k = 1; k < threads; k++) if (load[k]! < load[t]!) t = k;
    shares[t]!.push(p);
    load[t]! += work(p);
  }
  for (const s of shares) s.sort((a, b) => a.index - b.index);
  return shares;
}

export interface ShardOptions {
  config: Config;
  /** The machine shard this run generates; its mailboxes are split again among the worker threads. */
  machine: MachineShard;
  /** This worker thread, of `shards`. */
  shard: number;
  shards: number;
  /** The per-mailbox formats this run writes (by id: the options cross to a worker thread), each with its folder. */
  mailboxFormats: ReadonlyArray<{ id: string; folder: string }>;
}

/**
 * A chunk's output, sorted by (at, id): the JSONL lines already encoded as UTF-8 (each ending in
 * a newline) with the end offset of each, so that the coordinator merges shards by copying byte
 * ranges. The buffers are transferred from worker threads, not copied.
 */
export interface ChunkResult {
  at: number[];
  ids: string[];
  emails: Uint8Array;
  emailEnds: Uint32Array;
  labels: Uint8Array;
  labelEnds: Uint32Array;
  labelCounts: Record<string, number>;
}

/**
 * Lines as one UTF-8 buffer with its own memory (transferable) and the end offset of each line.
 * JSON escapes newlines inside strings, so every LF byte ends a line: the offsets come from one
 * native scan instead of measuring each line.
 */
function encodeLines(lines: string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const ends = new Uint32Array(lines.length);
  if (lines.length === 0) return { bytes: new Uint8Array(0), ends };
  const text = lines.join('\n') + '\n';
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
  bytes.write(text, 0, 'utf8');
  for (let i = 0, at = -1; i < lines.length; i++) {
    at = bytes.indexOf(10, at + 1);
    ends[i] = at + 1;
  }
  return { bytes, ends };
}

/** The JSONL record of an email: what a mailbox shows, nothing else. */
export function emailLine(e: SimEmail): string {
  const m = e.mail;
  return JSON.stringify({
    id: e.id,
    mailbox: e.mailbox,
    receivedAt: rfc3339(e.at, e.zone),
    headers: m.headers,
    from: headerValue(m, 'From') ?? '',
    to: headerValue(m, 'To') ?? '',
    subject: e.subject,
    text: m.text,
    html: m.html,
    ...(m.attachments?.length ? { attachments: m.attachments.map(attachmentRecord) } : {}),
  });
}

function attachmentRecord(a: Attachment): AttachmentRecord {
  return { filename: a.filename, contentType: a.contentType, size: a.content.byteLength, sha256: createHash('sha256').update(a.content).digest('hex') };
}

export function labelLine(e: SimEmail): string {
  return JSON.stringify({
    emailId: e.id,
    label: e.label,
    ...(e.incident ? { incident: e.incident } : {}),
    ...(e.role ? { role: e.role } : {}),
    category: e.category,
    type: e.type,
    ...(e.template ? { template: e.template } : {}),
  });
}

export class Shard {
  readonly world: World;
  private readonly sims: MailboxSim[];
  private readonly writers: MailboxWriter[];

  constructor(opts: ShardOptions) {
    this.world = buildWorld(opts.config);
    const plan = planWorld(this.world);
    const mine = threadShare(
      this.world.mailboxes.filter((p) => inMachineShard(p.index, opts.machine)),
      opts.shards,
    )[opts.shard]!;
    this.sims = mine.map((p) => new MailboxSim(this.world, plan, this.world.persona(p.index)));
    this.writers = opts.mailboxFormats.map(({ id, folder }) => {
      const f = formatById(id);
      if (!f?.perMailbox) throw new Error(`output format "${id}" writes no per-mailbox files`);
      return f.perMailbox(folder);
    });
  }

  get mailboxes(): number {
    return this.sims.length;
  }

  advance(until: number): ChunkResult {
    const all: SimEmail[] = [];
    for (const sim of this.sims) {
      const mails = sim.advance(until);
      for (const e of mails) all.push(e);
      if (mails.length) for (const w of this.writers) w.append(sim.persona.id, mails);
    }
    all.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const labelCounts: Record<string, number> = {};
    for (const e of all) labelCounts[e.label] = (labelCounts[e.label] ?? 0) + 1;
    const emails = encodeLines(all.map(emailLine));
    const labels = encodeLines(all.map(labelLine));
    return {
      at: all.map((e) => e.at),
      ids: all.map((e) => e.id),
      emails: emails.bytes,
      emailEnds: emails.ends,
      labels: labels.bytes,
      labelEnds: labels.ends,
      labelCounts,
    };
  }

  /** Flush what is buffered and return the truth of this shard's incidents. */
  finish(): IncidentTruth[] {
    for (const w of this.writers) w.finish();
    return this.sims.flatMap((s) => s.incidentTruth());
  }
}

/**
 * A shard: the mailboxes one worker simulates. It advances them chunk by chunk, serialises the
 * chunk's mail as JSONL and label lines sorted by (arrival, id), and appends each mailbox's raw
 * messages to its mbox file. Whether a shard runs in a worker thread or in-process, its output
 * for a mailbox is the same: sharding decides only who does the work.
 */
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AttachmentRecord } from '../../datasets/format.js';
import type { Config } from '../config.js';
import { rfc3339 } from '../core/time.js';
import { headerValue } from '../mail/compose.js';
import { renderRaw } from '../mail/mime.js';
import type { Attachment } from '../mail/types.js';
import { toMboxrd } from '../mail/mbox.js';
import { MailboxSim } from '../traffic/mailbox.js';
import type { IncidentTruth, SimEmail } from '../traffic/mailbox.js';
import { planWorld } from '../scenarios/plan.js';
import { buildWorld } from '../world/world.js';
import type { World } from '../world/world.js';

export interface ShardOptions {
  config: Config;
  shard: number;
  shards: number;
  /** Folder of mbox files, or null when mbox is not wanted. */
  mboxDir: string | null;
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

const MBOX_FLUSH_BYTES = 256 * 1024;

export class Shard {
  readonly world: World;
  private readonly sims: MailboxSim[];
  private readonly mboxBuffers = new Map<string, string[]>();
  private readonly mboxSizes = new Map<string, number>();

  constructor(private readonly opts: ShardOptions) {
    this.world = buildWorld(opts.config);
    const plan = planWorld(this.world);
    this.sims = this.world.personas.filter((p) => p.index % opts.shards === opts.shard).map((p) => new MailboxSim(this.world, plan, p));
  }

  get mailboxes(): number {
    return this.sims.length;
  }

  advance(until: number): ChunkResult {
    const all: SimEmail[] = [];
    for (const sim of this.sims) {
      const mails = sim.advance(until);
      for (const e of mails) all.push(e);
      if (this.opts.mboxDir && mails.length) this.appendMbox(sim.persona.id, mails);
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

  private appendMbox(mailbox: string, mails: SimEmail[]): void {
    // Within one mailbox, the file follows the global order: (arrival, id).
    const sorted = mails.slice().sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    const buf = this.mboxBuffers.get(mailbox) ?? [];
    let size = this.mboxSizes.get(mailbox) ?? 0;
    for (const e of sorted) {
      const entry = toMboxrd(e.mail, renderRaw(e.mail));
      buf.push(entry);
      size += entry.length;
    }
    this.mboxBuffers.set(mailbox, buf);
    this.mboxSizes.set(mailbox, size);
    if (size >= MBOX_FLUSH_BYTES) this.flushMbox(mailbox);
  }

  private flushMbox(mailbox: string): void {
    const buf = this.mboxBuffers.get(mailbox);
    if (!buf || buf.length === 0 || !this.opts.mboxDir) return;
    appendFileSync(join(this.opts.mboxDir, `${mailbox}.mbox`), buf.join(''), 'latin1');
    this.mboxBuffers.set(mailbox, []);
    this.mboxSizes.set(mailbox, 0);
  }

  /** Flush what is buffered and return the truth of this shard's incidents. */
  finish(): IncidentTruth[] {
    for (const mailbox of [...this.mboxBuffers.keys()]) this.flushMbox(mailbox);
    return this.sims.flatMap((s) => s.incidentTruth());
  }
}

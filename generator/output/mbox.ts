/** mbox/<mailbox>.mbox: each mailbox's mail as raw RFC 5322 messages, mboxrd, written by the shards. */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../../datasets/format.js';
import { renderRaw } from '../mail/mime.js';
import { toMboxrd } from '../mail/mbox.js';
import type { MailboxWriter, OutputFormat } from './format-types.js';

/** Buffered bytes of a mailbox before they are appended to its file. */
const FLUSH_BYTES = 256 * 1024;

class MboxWriter implements MailboxWriter {
  private readonly buffers = new Map<string, string[]>();
  private readonly sizes = new Map<string, number>();

  constructor(private readonly folder: string) {}

  append(mailbox: string, mails: Parameters<MailboxWriter['append']>[1]): void {
    // Within one mailbox, the file follows the global order: (arrival, id).
    const sorted = mails.slice().sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
    const buf = this.buffers.get(mailbox) ?? [];
    let size = this.sizes.get(mailbox) ?? 0;
    for (const e of sorted) {
      const entry = toMboxrd(e.mail, renderRaw(e.mail));
      buf.push(entry);
      size += entry.length;
    }
    this.buffers.set(mailbox, buf);
    this.sizes.set(mailbox, size);
    if (size >= FLUSH_BYTES) this.flush(mailbox);
  }

  private flush(mailbox: string): void {
    const buf = this.buffers.get(mailbox);
    if (!buf || buf.length === 0) return;
    appendFileSync(join(this.folder, `${mailbox}.mbox`), buf.join(''), 'latin1');
    this.buffers.set(mailbox, []);
    this.sizes.set(mailbox, 0);
  }

  finish(): void {
    for (const mailbox of [...this.buffers.keys()]) this.flush(mailbox);
  }
}

export const MBOX: OutputFormat = {
  id: 'mbox',
  description: 'mbox/<mailbox>.mbox, the same mails as raw RFC 5322 messages (mboxrd), one file per mailbox',
  folder: FILES.mboxDir,
  perMailbox: (folder) => new MboxWriter(folder),
};

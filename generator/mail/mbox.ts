/**
 * mboxrd (RFC 4155, the "rd" quoting of qmail's mbox(5)): the export format of a mailbox.
 *
 * Each message is `From <envelope sender> <asctime UTC>` LF, the message with LF line ends, and
 * an empty line. Any line of the message matching `^>*From ` gets one more `>`, so a line that
 * starts with "From " can never be read as the start of a message, and reading removes exactly
 * one `>` from lines matching `^>+From `: the quoting is reversible, unlike plain mbox's.
 */

import { formatAsctime, renderRaw } from './mime.js';
import type { Mail } from './types.js';

/** RFC 4155: the sender of a message with the null envelope sender `<>`. */
const NULL_SENDER = 'MAILER-DAEMON';

function envelopeSender(envelopeFrom: string): string {
  const s = envelopeFrom.startsWith('<') && envelopeFrom.endsWith('>') ? envelopeFrom.slice(1, -1) : envelopeFrom;
  if (s === '') return NULL_SENDER;
  if (/[\s]/.test(s)) throw new Error(`envelope sender ${JSON.stringify(envelopeFrom)} contains whitespace: it would break the mbox "From " line`);
  return s;
}

/**
 * One mboxrd entry for `mail`. `raw` defaults to {@link renderRaw}`(mail)`; pass it when it is
 * already rendered. A raw message must use CRLF line ends and end with CRLF (renderRaw's always
 * do); one that does not end with a line break is given one.
 * @example toMboxrd(mail) // 'From bounce@mail.bank.example Tue Mar  3 00:15:03 2026\nDelivered-To: ...\n\n'
 */
export function toMboxrd(mail: Mail, raw: string = renderRaw(mail)): string {
  let body = raw.replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
  if (body !== '' && !body.endsWith('\n')) body += '\n';
  return `From ${envelopeSender(mail.envelopeFrom)} ${formatAsctime(mail.receivedAt)}\n${body}\n`;
}

/**
 * Split an mboxrd file into its raw messages: `From ` lines dropped, the empty line that ends each
 * message dropped, one `>` removed from lines matching `^>+From `, LF turned back into CRLF.
 * Inverse of {@link toMboxrd}: `parseMboxrd(toMboxrd(m, raw))` is `[raw]`.
 * Throws when there is text before the first `From ` line (not an mbox file).
 */
export function parseMboxrd(text: string): string[] {
  const messages: string[] = [];
  const fromLine = /^From [^\n]*\n/gm;
  let m = fromLine.exec(text);
  if (m === null) {
    if (text.trim() !== '') throw new Error('not an mboxrd file: no "From " line');
    return messages;
  }
  if (text.slice(0, m.index).trim() !== '') throw new Error('not an mboxrd file: text before the first "From " line');
  while (m !== null) {
    const start = m.index + m[0].length;
    const next = fromLine.exec(text);
    let msg = text.slice(start, next === null ? text.length : next.index);
    // The empty line that ends every message belongs to the format, not to the message.
    if (msg.endsWith('\n')) msg = msg.slice(0, -1);
    messages.push(msg.replace(/^>(>*From )/gm, '$1').replace(/\n/g, '\r\n'));
    m = next;
  }
  return messages;
}

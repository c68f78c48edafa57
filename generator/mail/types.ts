/**
 * The generator's internal model of one email: enough to write both the decoded JSONL record
 * that detectors read and the raw RFC 5322 message of the mbox export, from the same values.
 */

/** A header as a mailbox shows it: name and decoded, unfolded value. */
export type Header = readonly [name: string, value: string];

/** Charset of every text part and every encoded-word of a mail. */
export type Charset = 'UTF-8' | 'ISO-2022-JP';

/** Content-Transfer-Encoding of a text part. */
export type TransferEncoding = '7bit' | 'base64' | 'quoted-printable';

export interface Mail {
  /**
   * Top-level headers in wire order, decoded and unfolded. Includes `MIME-Version`,
   * `Content-Type` (with the boundary when multipart) and, for a single text/plain part,
   * `Content-Transfer-Encoding`.
   */
  headers: Header[];
  /** text/plain body, decoded, lines separated by "\n"; '' when the mail has only an HTML part. */
  text: string;
  /** text/html alternative (or the only part when `boundary` is null), or null for a single text/plain part. */
  html: string | null;
  charset: Charset;
  /**
   * multipart/alternative boundary; null for a single part: text/plain when `html` is null,
   * text/html (an HTML-only sender) otherwise.
   */
  boundary: string | null;
  /** Files attached after the body, in order; with any, the message is multipart/mixed. */
  attachments?: readonly Attachment[];
  /** multipart/mixed boundary; present exactly when there are attachments. */
  mixedBoundary?: string;
  /** Envelope sender (the Return-Path address), used for the mboxrd "From " line. */
  envelopeFrom: string;
  /** Arrival time at the mailbox, epoch seconds (UTC). */
  receivedAt: number;
}

/** A file attached to a mail: written as a base64 MIME part, shown to detectors as metadata. */
export interface Attachment {
  /** ASCII file name (no RFC 2231 encoding is needed for it). */
  filename: string;
  /** MIME type, e.g. `application/pdf`. */
  contentType: string;
  content: Uint8Array;
}

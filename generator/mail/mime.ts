/**
 * The wire form of a {@link Mail}: RFC 5322 headers with RFC 2047 encoded-words, MIME bodies in
 * 7bit, quoted-printable or base64, UTF-8 or ISO-2022-JP.
 *
 * Everything here is a pure function of the Mail: no clock, no randomness, no `Intl`, no ICU.
 * ISO-2022-JP goes through one table derived once from `encoding-japanese` (a pinned dependency),
 * never through `TextEncoder`/`TextDecoder`, whose legacy encodings depend on the Node build.
 *
 * Renderer contract (what a later `verify` can rely on):
 * - the output is ASCII, every line ends in CRLF, no line is longer than 998 octets;
 * - header lines are folded at existing whitespace to stay within 78 chars where whitespace
 *   allows it; removing the inserted CRLFs gives back `Name: value` for every ASCII value;
 * - non-ASCII values become encoded-words of `mail.charset` (<= 75 chars each, never splitting a
 *   character; for ISO-2022-JP each word starts in ASCII and returns to ASCII), only the display
 *   names of address headers are encoded, never an address; B words, each but the last of a run
 *   carrying a multiple of 3 octets so that only the last can end in `=` padding (GMime reads a run
 *   as one base64 stream), and a Q word where no cut on 3 octets is in reach (see {@link nextWord});
 * - what cannot be written faithfully throws instead of being written lossily: a character
 *   ISO-2022-JP cannot carry, a lone surrogate, a line break inside a header value, a non-ASCII
 *   address or structured header, a 7bit body with a line over 998 octets, a body that contains
 *   its own boundary.
 */

import Encoding from 'encoding-japanese';
import type { Attachment, Charset, Header, Mail, TransferEncoding } from './types.js';

const CRLF = '\r\n';
/** RFC 5322 2.1.1: a line must not exceed 998 octets, excluding the CRLF. */
const MAX_LINE = 998;
/** RFC 5322 2.1.1: lines should not exceed 78 characters, excluding the CRLF. */
const FOLD_AT = 78;
/** RFC 2047 2: an encoded-word must not be more than 75 characters long. */
const MAX_WORD = 75;
/** Start an encoded-word on a new line rather than squeeze fewer than this many chars after text. */
const MIN_WORD = 30;
/** RFC 2045 6.7 and 6.8: encoded lines are at most 76 characters. */
const B64_LINE = 76;
/** Characters of quoted-printable text per physical line, leaving room for a soft break `=`. */
const QP_TEXT = 75;

// ---------------------------------------------------------------------------------------------
// ISO-2022-JP

/**
 * JIS X 0208 code (0x2121-0x7E7E) of each BMP code unit, 0 when ISO-2022-JP cannot carry it.
 *
 * Derived once from encoding-japanese and kept only where the mapping is unambiguous:
 * - JIS X 0208 rows 1-8 and 16-84 only. The CP932 extensions (NEC row 13 such as ① and ㈱, the
 *   IBM rows 89-92 such as 髙), JIS X 0212 (`ESC $ ( D`) and half-width katakana (`ESC ( I`)
 *   are not ISO-2022-JP (RFC 1468), so a mail that needs them must be UTF-8.
 * - Only characters that decode back to themselves. U+301C WAVE DASH, U+2212 MINUS SIGN,
 *   U+2016, U+00A2, U+00A3 and U+00AC share a code with their full-width twins and decode as the
 *   twin (as WHATWG TextDecoder, and so postal-mime, do too): the decoded record would not match
 *   the raw message, so they are refused and the generator must use the full-width forms.
 */
let jisTable: Uint16Array | null = null;

const ESC = 0x1b;

function isJis0208Row(lead: number): boolean {
  return (lead >= 0x21 && lead <= 0x28) || (lead >= 0x30 && lead <= 0x74);
}

function buildJisTable(): Uint16Array {
  const cps: number[] = [];
  for (let c = 0x80; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c);
  const bytes = Encoding.convert(cps, { to: 'JIS', from: 'UNICODE' });
  const table = new Uint16Array(0x10000);
  // Walk the ISO-2022-JP byte stream, giving each input character the bytes it produced.
  // Modes: 0 ASCII/Roman (1 byte; unmappable characters come out as '?'), 1 JIS X 0208,
  // 2 JIS X 0212 (2 bytes), 3 half-width katakana (1 byte).
  let mode = 0;
  let i = 0;
  let k = 0;
  while (i < bytes.length && k < cps.length) {
    const b = bytes[i] ?? 0;
    if (b === ESC) {
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      if (b1 === 0x28) mode = b2 === 0x49 ? 3 : 0;
      else if (b1 === 0x24 && b2 === 0x28) {
        mode = 2;
        i += 1;
      } else mode = 1;
      i += 3;
      continue;
    }
    const cp = cps[k++] ?? 0;
    if (mode === 1 || mode === 2) {
      const code = (b << 8) | (bytes[i + 1] ?? 0);
      if (mode === 1 && isJis0208Row(b)) table[cp] = code;
      i += 2;
    } else i += 1;
  }
  if (k !== cps.length) throw new Error('encoding-japanese: unexpected ISO-2022-JP output while building the JIS table');
  // Keep only what decodes back to the same character.
  const accepted: number[] = [];
  const stream: number[] = [ESC, 0x24, 0x42];
  for (let c = 0; c < 0x10000; c++) {
    const code = table[c] ?? 0;
    if (code !== 0) {
      accepted.push(c);
      stream.push(code >> 8, code & 0xff);
    }
  }
  stream.push(ESC, 0x28, 0x42);
  const back = Encoding.convert(stream, { to: 'UNICODE', from: 'JIS' });
  if (back.length !== accepted.length) throw new Error('encoding-japanese: JIS round trip changed the length');
  for (let j = 0; j < accepted.length; j++) {
    const c = accepted[j] ?? 0;
    if (back[j] !== c) table[c] = 0;
  }
  return table;
}

function getJisTable(): Uint16Array {
  jisTable ??= buildJisTable();
  return jisTable;
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i) ?? 0;
  return `'${String.fromCodePoint(cp)}' (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) at index ${i}`;
}

function jisError(text: string, i: number): Error {
  return new Error(
    `ISO-2022-JP cannot carry ${describeChar(text, i)} of ${JSON.stringify(text.slice(0, 60))}: use UTF-8 or the JIS X 0208 form of the character`,
  );
}

/** ASCII control characters that would change the ISO-2022-JP decoder state: ESC, SO, SI. */
function isJisShift(c: number): boolean {
  return c === 0x1b || c === 0x0e || c === 0x0f;
}

/**
 * True when every character of `text` can be written in ISO-2022-JP and decodes back to itself
 * (JIS X 0208 without the CP932 extensions, plus ASCII). Use it to decide a mail's charset.
 * @example canEncodeIso2022Jp('ご注文の確認') // true
 * @example canEncodeIso2022Jp('〜 or ① or 💡') // false (use ～)
 */
export function canEncodeIso2022Jp(text: string): boolean {
  const table = getJisTable();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 ? isJisShift(c) : (table[c] ?? 0) === 0) return false;
  }
  return true;
}

interface JisBody {
  /** ISO-2022-JP bytes, lines joined by CRLF, each line back in ASCII before its CRLF. */
  bytes: Buffer;
  /** Longest line in octets, excluding the CRLF. */
  maxLine: number;
}

/** Encode a model text ("\n" line ends) to ISO-2022-JP the way mail clients do: line by line. */
function jisEncodeBody(text: string): JisBody {
  const table = getJisTable();
  const n = text.length;
  // Worst case per character: an escape (3) plus 2 bytes, or ESC ( B plus CR LF; plus a final ESC ( B.
  const buf = Buffer.allocUnsafe(n * 5 + 3);
  let p = 0;
  let kanji = false;
  let lineStart = 0;
  let maxLine = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (isJisShift(c)) throw jisError(text, i);
      if (kanji) {
        buf[p++] = ESC;
        buf[p++] = 0x28;
        buf[p++] = 0x42;
        kanji = false;
      }
      if (c === 0x0a) {
        if (p - lineStart > maxLine) maxLine = p - lineStart;
        buf[p++] = 0x0d;
        buf[p++] = 0x0a;
        lineStart = p;
      } else buf[p++] = c;
    } else {
      const code = table[c] ?? 0;
      if (code === 0) throw jisError(text, i);
      if (!kanji) {
        buf[p++] = ESC;
        buf[p++] = 0x24;
        buf[p++] = 0x42;
        kanji = true;
      }
      buf[p++] = code >> 8;
      buf[p++] = code & 0xff;
    }
  }
  if (kanji) {
    buf[p++] = ESC;
    buf[p++] = 0x28;
    buf[p++] = 0x42;
  }
  if (p - lineStart > maxLine) maxLine = p - lineStart;
  return { bytes: buf.subarray(0, p), maxLine };
}

// ---------------------------------------------------------------------------------------------
// Content-Transfer-Encoding

/** CR or NUL: not allowed in 7bit data except as part of CRLF (RFC 2045 2.7). */
function hasCrOrNul(text: string): boolean {
  return text.includes('\r') || text.includes('\0');
}

interface Utf8Stats {
  /** ASCII code units, line feeds included. */
  ascii: number;
  /** UTF-8 octets of the non-ASCII characters. */
  nonAsciiBytes: number;
  /** Longest line in octets (only meaningful when the text is all ASCII). */
  maxLine: number;
}

function utf8Stats(text: string): Utf8Stats {
  let ascii = 0;
  let nonAsciiBytes = 0;
  let lineStart = 0;
  let maxLine = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      ascii++;
      if (c === 0x0a) {
        if (i - lineStart > maxLine) maxLine = i - lineStart;
        lineStart = i + 1;
      }
    } else if (c < 0x800) nonAsciiBytes += 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw new Error(`lone surrogate at index ${i} of a text body: it has no UTF-8 form`);
      nonAsciiBytes += 4;
      i++;
    } else nonAsciiBytes += 3;
  }
  if (n - lineStart > maxLine) maxLine = n - lineStart;
  return { ascii, nonAsciiBytes, maxLine };
}

/**
 * The one rule for a text part's Content-Transfer-Encoding (`body` is the model text, lines
 * separated by "\n"). Used for the single-part `Content-Transfer-Encoding` header of the model
 * and by {@link renderRaw} for each part of a multipart/alternative.
 *
 * - ISO-2022-JP: '7bit' when every encoded line fits in 998 octets, else 'base64'.
 * - UTF-8, all ASCII: '7bit' when every line fits in 998 octets, else 'quoted-printable'.
 * - UTF-8 with non-ASCII: whichever is smaller on the wire, estimated as QP = ascii + 3 x
 *   non-ASCII octets against base64 = 4/3 x all octets, i.e. 'quoted-printable' when
 *   5 x (non-ASCII UTF-8 octets) <= ASCII characters (English with a few “smart quotes” or €),
 *   else 'base64' (Japanese, or markup-heavy HTML with much Japanese).
 * - A CR or NUL in the text rules out '7bit' (RFC 2045 2.7): 'quoted-printable' for ASCII UTF-8,
 *   'base64' otherwise.
 *
 * Throws when ISO-2022-JP cannot carry a character (see {@link canEncodeIso2022Jp}).
 * @example transferEncodingFor('UTF-8', 'Hello\n') // '7bit'
 * @example transferEncodingFor('UTF-8', 'ご注文ありがとうございます。\n') // 'base64'
 * @example transferEncodingFor('UTF-8', 'Your order of “Widget” (€12) has shipped.\n') // 'quoted-printable'
 * @example transferEncodingFor('ISO-2022-JP', 'ご利用のお知らせ\n') // '7bit'
 */
export function transferEncodingFor(charset: Charset, body: string): TransferEncoding {
  if (charset === 'ISO-2022-JP') return jisTransferEncoding(body, jisEncodeBody(body));
  return utf8TransferEncoding(body, utf8Stats(body));
}

function jisTransferEncoding(body: string, jis: JisBody): TransferEncoding {
  return jis.maxLine <= MAX_LINE && !hasCrOrNul(body) ? '7bit' : 'base64';
}

function utf8TransferEncoding(body: string, s: Utf8Stats): TransferEncoding {
  if (s.nonAsciiBytes === 0) return s.maxLine <= MAX_LINE && !hasCrOrNul(body) ? '7bit' : 'quoted-printable';
  return 5 * s.nonAsciiBytes <= s.ascii ? 'quoted-printable' : 'base64';
}

// ---------------------------------------------------------------------------------------------
// Body encoders. Each returns the encoded text with CRLF line ends and no CRLF added at the end:
// the text ends in CRLF exactly when the model text ends in "\n".

const QP_HEX: string[] = [];
for (let b = 0; b < 256; b++) QP_HEX.push('=' + b.toString(16).toUpperCase().padStart(2, '0'));

/** Printable ASCII other than '=', space and tab: written as is (RFC 2045 6.7 rules 2 and 3). */
function qpLiteral(c: number): boolean {
  return (c >= 0x21 && c <= 0x7e && c !== 0x3d) || c === 0x20 || c === 0x09;
}

/** `=XX` octets of the UTF-8 form of the code point at `line[i]` (a char below 0x80 is one octet). */
function qpEscape(cp: number): string {
  if (cp < 0x80) return QP_HEX[cp] ?? '';
  if (cp < 0x800) return (QP_HEX[0xc0 | (cp >> 6)] ?? '') + (QP_HEX[0x80 | (cp & 0x3f)] ?? '');
  if (cp < 0x10000) return (QP_HEX[0xe0 | (cp >> 12)] ?? '') + (QP_HEX[0x80 | ((cp >> 6) & 0x3f)] ?? '') + (QP_HEX[0x80 | (cp & 0x3f)] ?? '');
  return (
    (QP_HEX[0xf0 | (cp >> 18)] ?? '') +
    (QP_HEX[0x80 | ((cp >> 12) & 0x3f)] ?? '') +
    (QP_HEX[0x80 | ((cp >> 6) & 0x3f)] ?? '') +
    (QP_HEX[0x80 | (cp & 0x3f)] ?? '')
  );
}

/**
 * Quoted-printable (RFC 2045 6.7) of one line, pushed as physical lines to `out`. Non-ASCII is
 * written as its UTF-8 octets, each character's octets kept on one physical line; whitespace at
 * the end of the line is encoded; soft breaks keep every physical line within 76 chars.
 */
function qpLine(line: string, out: string[]): void {
  const n = line.length;
  // Whitespace at the end of a line would be lost in transport: it is encoded, not literal.
  const last = line.charCodeAt(n - 1);
  const litEnd = last === 0x20 || last === 0x09 ? n - 1 : n;
  let cur = '';
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (i < litEnd && qpLiteral(c)) {
      let j = i + 1;
      while (j < litEnd && qpLiteral(line.charCodeAt(j))) j++;
      // Copy the run in slices rather than char by char.
      while (i < j) {
        if (cur.length === QP_TEXT) {
          out.push(cur + '=');
          cur = '';
        }
        const take = Math.min(QP_TEXT - cur.length, j - i);
        cur += line.slice(i, i + take);
        i += take;
      }
      continue;
    }
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = line.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
    }
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Error(`lone surrogate at index ${i} of a text body: it has no UTF-8 form`);
    const enc = qpEscape(cp);
    if (cur.length + enc.length > QP_TEXT) {
      out.push(cur + '=');
      cur = '';
    }
    cur += enc;
    i += cp > 0xffff ? 2 : 1;
  }
  out.push(cur);
}

function qpEncode(lines: string[]): string {
  const out: string[] = [];
  for (const line of lines) qpLine(line, out);
  return out.join(CRLF);
}

function wrapBase64(b64: string): string {
  if (b64.length <= B64_LINE) return b64;
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += B64_LINE) out.push(b64.slice(i, i + B64_LINE));
  return out.join(CRLF);
}

interface PlannedPart {
  cte: TransferEncoding;
  /** Encoded body, CRLF line ends, ending in CRLF exactly when the model text ends in "\n". */
  wire: string;
}

/**
 * Encode a text part. `cte` is the encoding to use, or null to apply {@link transferEncodingFor}
 * (the work of deciding is shared with the encoding).
 */
function encodePart(charset: Charset, text: string, cte: TransferEncoding | null): PlannedPart {
  if (charset === 'ISO-2022-JP') {
    const jis = jisEncodeBody(text);
    const use = cte ?? jisTransferEncoding(text, jis);
    if (use === '7bit') {
      if (jis.maxLine > MAX_LINE || hasCrOrNul(text)) throw new Error(`7bit ISO-2022-JP body has a line of ${jis.maxLine} octets (or a CR/NUL): use base64`);
      return { cte: use, wire: jis.bytes.toString('latin1') };
    }
    if (use === 'base64') return { cte: use, wire: wrapBase64(jis.bytes.toString('base64')) };
    return { cte: use, wire: qpEncode(jis.bytes.toString('latin1').split(CRLF)) };
  }
  const stats = utf8Stats(text);
  const use = cte ?? utf8TransferEncoding(text, stats);
  if (use === '7bit') {
    if (stats.nonAsciiBytes > 0 || stats.maxLine > MAX_LINE || hasCrOrNul(text)) {
      throw new Error('7bit UTF-8 body is not 7bit: it has non-ASCII, a line over 998 octets or a CR/NUL');
    }
    return { cte: use, wire: text.replace(/\n/g, CRLF) };
  }
  if (use === 'base64') return { cte: use, wire: wrapBase64(Buffer.from(text.replace(/\n/g, CRLF), 'utf8').toString('base64')) };
  return { cte: use, wire: qpEncode(text.split('\n')) };
}

// ---------------------------------------------------------------------------------------------
// Headers

const ADDRESS_HEADERS = new Set(['from', 'to', 'cc', 'bcc', 'reply-to', 'sender', 'resent-from', 'resent-to', 'resent-cc', 'resent-bcc', 'resent-sender']);

/** Headers whose syntax has no place for an encoded-word (RFC 2047 5): non-ASCII there is a bug. */
const STRUCTURED_HEADERS = new Set([
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'received',
  'return-path',
  'delivered-to',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'dkim-signature',
  'authentication-results',
  'received-spf',
  'list-unsubscribe',
  'list-unsubscribe-post',
]);

const NON_ASCII = /[^\x00-\x7f]/;
/** Text a decoder would take for an encoded-word: written literally it would not read back as itself. */
const ENCODED_WORD_LIKE = /=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=/;
/** RFC 5322 2.2: field-name = 1*ftext, printable ASCII except ':'. */
const FIELD_NAME = /^[!-9;-~]+$/;

/**
 * Encoded-words. A value is written as a run of B (base64) words, each carrying whole characters
 * (RFC 2047 6.3) and, for ISO-2022-JP, starting and ending in ASCII, so that every word decodes on
 * its own, as Python's `email` and postal-mime decode them.
 *
 * Some decoders do not decode word by word: GMime (notmuch, Evolution, balsa) joins the base64 text
 * of adjacent B words of one charset and decodes it as one stream, which ends at the first `=`
 * padding, so the words after a padded one are lost. So every B word but the last of a run carries
 * a multiple of 3 octets, and only the last can end in padding.
 * When no cut within a word's room falls on such a boundary (a space or a digit followed by
 * kana and kanji only: `五十嵐 蓮さんが…` is 9 octets, then 1, then 3 each), the few characters in
 * the way go in a Q word, which ends the B run for every decoder, and B words go on after it.
 */
type WordEncoding = 'B' | 'Q';

function wordPrefix(charset: Charset, encoding: WordEncoding): string {
  return `=?${charset}?${encoding}?`;
}

/**
 * RFC 2047 5(3): the octets a Q word may carry as themselves anywhere, a phrase included
 * (letters, digits, `!*+-/`); the space is `_`, every other octet `=XX`.
 */
function qLiteral2047(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x21 || b === 0x2a || b === 0x2b || b === 0x2d || b === 0x2f;
}

/** Chars of Q encoded-text for one octet. */
function qSize(b: number): number {
  return b === 0x20 || qLiteral2047(b) ? 1 : 3;
}

const JIS_TO_KANJI = [ESC, 0x24, 0x42];
const JIS_TO_ASCII = [ESC, 0x28, 0x42];
/** Q size of `ESC $ B` and of `ESC ( B` (=1B=24B, =1B=28B). */
const JIS_ESCAPE_Q = 7;

/**
 * The prefixes of `text` from `start`, one character longer at each {@link next}, measured as the
 * payload of one self-contained encoded-word: its octets and its Q size, the closing `ESC ( B` of
 * ISO-2022-JP included. Throws on what the charset cannot carry.
 */
class WordScanner {
  /** End (exclusive) of the prefix taken so far. */
  end: number;
  /** Octets of the prefix as a word. */
  octets = 0;
  /** Chars of its Q encoded-text. */
  q = 0;
  private kanji = false;
  private open = 0;
  private openQ = 0;

  constructor(
    private readonly charset: Charset,
    private readonly text: string,
    start: number,
  ) {
    this.end = start;
  }

  /** Take one more character; false when the text has none left. */
  next(): boolean {
    const { text } = this;
    const j = this.end;
    if (j >= text.length) return false;
    const c = text.charCodeAt(j);
    if (this.charset === 'UTF-8') {
      if (c < 0x80) {
        this.octets += 1;
        this.q += qSize(c);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = text.charCodeAt(j + 1);
        if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) throw new Error(`lone surrogate at index ${j} of header value ${JSON.stringify(text)}`);
        this.octets += 4;
        this.q += 12;
        this.end++;
      } else {
        const n = c < 0x800 ? 2 : 3;
        this.octets += n;
        this.q += 3 * n;
      }
      this.end++;
      return true;
    }
    if (c < 0x80) {
      if (isJisShift(c)) throw jisError(text, j);
      if (this.kanji) {
        this.open += 3;
        this.openQ += JIS_ESCAPE_Q;
        this.kanji = false;
      }
      this.open += 1;
      this.openQ += qSize(c);
    } else {
      const code = getJisTable()[c] ?? 0;
      if (code === 0) throw jisError(text, j);
      if (!this.kanji) {
        this.open += 3;
        this.openQ += JIS_ESCAPE_Q;
        this.kanji = true;
      }
      this.open += 2;
      this.openQ += qSize(code >> 8) + qSize(code & 0xff);
    }
    // A word that ends in JIS X 0208 returns to ASCII.
    this.octets = this.open + (this.kanji ? 3 : 0);
    this.q = this.openQ + (this.kanji ? JIS_ESCAPE_Q : 0);
    this.end++;
    return true;
  }
}

/** Octets of `text[start, end)` as one word: UTF-8, or ISO-2022-JP starting and ending in ASCII. */
function wordOctets(charset: Charset, text: string, start: number, end: number): Buffer {
  if (charset === 'UTF-8') return Buffer.from(text.slice(start, end), 'utf8');
  const table = getJisTable();
  const bytes: number[] = [];
  let kanji = false;
  for (let j = start; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c < 0x80) {
      if (kanji) bytes.push(...JIS_TO_ASCII);
      kanji = false;
      bytes.push(c);
    } else {
      const code = table[c] ?? 0;
      if (!kanji) bytes.push(...JIS_TO_KANJI);
      kanji = true;
      bytes.push(code >> 8, code & 0xff);
    }
  }
  if (kanji) bytes.push(...JIS_TO_ASCII);
  return Buffer.from(bytes);
}

function encodeWord(charset: Charset, encoding: WordEncoding, octets: Buffer): string {
  let payload = '';
  if (encoding === 'B') payload = octets.toString('base64');
  else for (const b of octets) payload += b === 0x20 ? '_' : qLiteral2047(b) ? String.fromCharCode(b) : (QP_HEX[b] ?? '');
  return wordPrefix(charset, encoding) + payload + '?=';
}

interface Reach {
  /** Longest prefix end within the capacity. */
  fit: number;
  /** Longest prefix end within the capacity whose octets are a multiple of 3 (`start` when none). */
  aligned: number;
}

/** How far a B word of at most `capacity` octets can reach from `start`. */
function bReach(charset: Charset, text: string, start: number, capacity: number): Reach {
  const s = new WordScanner(charset, text, start);
  let fit = start;
  let aligned = start;
  while (s.next() && s.octets <= capacity) {
    fit = s.end;
    if (s.octets % 3 === 0) aligned = fit;
  }
  return { fit, aligned };
}

/** Octets of payload a B word of at most `maxLen` chars can carry. */
function bCapacity(charset: Charset, maxLen: number): number {
  return Math.floor((maxLen - wordPrefix(charset, 'B').length - 2) / 4) * 3;
}

/**
 * The next encoded-word of `text` from `pos`, at most `maxLen` chars, and where it ends (`pos` when
 * not even one character fits): the rest as one B word when it fits, else the longest B word of a
 * multiple of 3 octets, else a Q word of the characters up to where such a B word can start.
 */
function nextWord(charset: Charset, text: string, pos: number, maxLen: number): [word: string, next: number] {
  const b = bReach(charset, text, pos, bCapacity(charset, maxLen));
  const end = b.fit === text.length ? b.fit : b.aligned;
  if (end > pos) return [encodeWord(charset, 'B', wordOctets(charset, text, pos, end)), end];
  const qCapacity = maxLen - wordPrefix(charset, 'Q').length - 2;
  const full = bCapacity(charset, MAX_WORD);
  const s = new WordScanner(charset, text, pos);
  let qEnd = pos;
  while (s.next() && s.q <= qCapacity) {
    qEnd = s.end;
    const after = bReach(charset, text, qEnd, full);
    if (after.fit === text.length || after.aligned > qEnd) break;
  }
  return [qEnd > pos ? encodeWord(charset, 'Q', wordOctets(charset, text, pos, qEnd)) : '', qEnd];
}

/**
 * Builds one folded header field. Folding only ever inserts CRLF before whitespace that is in the
 * text (or between two encoded-words, where whitespace carries no meaning), never leaves a line
 * of whitespace alone, and prefers lines of at most 78 chars; a longer line is left only where a
 * run without whitespace is longer than that.
 */
class HeaderWriter {
  private readonly lines: string[] = [];
  private cur: string;

  constructor(private readonly name: string) {
    this.cur = name + ':';
  }

  /** ASCII text; each whitespace run in it (a leading one included) is a place to fold. */
  literal(text: string): void {
    if (text === '') return;
    const parts = text.split(/([ \t]+)/);
    // parts: text, ws, text, ws, ..., text; the first text glues to what precedes.
    this.append(parts[0] ?? '');
    for (let k = 1; k < parts.length; k += 2) {
      const ws = parts[k] ?? '';
      const word = parts[k + 1] ?? '';
      // Trailing whitespace stays on its line: folding before it would leave a blank line.
      if (word !== '' && this.cur.length + ws.length + word.length > FOLD_AT) this.newLine();
      this.append(ws + word);
    }
  }

  /**
   * `text` as encoded-words of `charset` (see {@link nextWord}), the first preceded by `ws`, the
   * next by a space.
   */
  encoded(ws: string, text: string, charset: Charset): void {
    let pos = 0;
    let sep = ws;
    while (pos < text.length) {
      const fresh = Math.min(MAX_WORD, FOLD_AT - sep.length);
      let room = Math.min(MAX_WORD, FOLD_AT - this.cur.length - sep.length);
      if (room < MIN_WORD) {
        this.newLine();
        room = fresh;
      }
      let [word, next] = nextWord(charset, text, pos, room);
      // A new line may have room for what this one lacks: any word at all, or a B word where this
      // line only has room for a Q word (unless the line holds only the field name).
      const q = next > pos && word.startsWith(wordPrefix(charset, 'Q'));
      if (room < fresh && (next === pos || (q && this.cur !== this.name + ':'))) {
        const [w2, n2] = nextWord(charset, text, pos, fresh);
        if (next === pos || w2.startsWith(wordPrefix(charset, 'B'))) {
          this.newLine();
          [word, next] = [w2, n2];
        }
      }
      if (next === pos) throw new Error(`header ${this.name}: no room for an encoded-word`);
      this.append(sep + word);
      sep = ' ';
      pos = next;
    }
  }

  finish(): string {
    this.lines.push(this.cur);
    return this.lines.join(CRLF);
  }

  private newLine(): void {
    this.lines.push(this.cur);
    this.cur = '';
  }

  private append(s: string): void {
    this.cur += s;
    if (this.cur.length > MAX_LINE) {
      throw new Error(`header ${this.name}: a run of ${this.cur.length} chars without whitespace cannot be folded under 998`);
    }
  }
}

/** Split an address list at top-level commas (not inside quotes, angle brackets or comments). */
function splitAddressList(value: string): string[] {
  const items: string[] = [];
  let start = 0;
  let quoted = false;
  let angle = 0;
  let paren = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if (c === '(') paren++;
    else if (c === ')') paren = Math.max(0, paren - 1);
    else if (c === ',' && angle === 0 && paren === 0) {
      items.push(value.slice(start, i));
      start = i + 1;
    }
  }
  items.push(value.slice(start));
  return items;
}

/** `"Display Name" <addr>` or `Display Name <addr>`; the name group is quoted or bare. */
const NAME_ADDR = /^(?:"((?:[^"\\]|\\.)*)"|([^"<]*?))([ \t]*)(<[^<>]*>)$/;

function writeAddressList(w: HeaderWriter, name: string, value: string, charset: Charset): void {
  const items = splitAddressList(value);
  for (let k = 0; k < items.length; k++) {
    const item = items[k] ?? '';
    // The comma travels with the item before it, so folding accounts for it.
    const comma = k < items.length - 1 ? ',' : '';
    const core = item.trim();
    const lead = item.slice(0, item.length - item.trimStart().length);
    const trail = item.slice(item.trimEnd().length);
    const leadWs = k === 0 ? ' ' + lead : lead;
    if (!NON_ASCII.test(core) && !ENCODED_WORD_LIKE.test(core)) {
      w.literal(leadWs + core + trail + comma);
      continue;
    }
    const m = NAME_ADDR.exec(core);
    if (!m) throw new Error(`header ${name}: ${JSON.stringify(core)} is not "Display Name" <address>; only a display name may be encoded`);
    const display = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '');
    const angle = m[4] ?? '';
    if (NON_ASCII.test(angle)) throw new Error(`header ${name}: non-ASCII address ${angle}: encoded-words are not allowed inside an address (use punycode)`);
    // RFC 2047 5(3): an encoded-word in a phrase is separated from specials by whitespace.
    w.encoded(leadWs === '' ? ' ' : leadWs, display, charset);
    w.literal((m[3] === '' ? ' ' : (m[3] ?? ' ')) + angle + trail + comma);
  }
}

function renderHeader(name: string, value: string, charset: Charset): string {
  if (!FIELD_NAME.test(name)) throw new Error(`invalid header name ${JSON.stringify(name)}`);
  if (value.includes('\r') || value.includes('\n')) throw new Error(`header ${name}: the value must be unfolded (no CR or LF): ${JSON.stringify(value)}`);
  const encode = NON_ASCII.test(value) || ENCODED_WORD_LIKE.test(value);
  if (!encode) {
    const line = value === '' ? name + ':' : name + ': ' + value;
    if (line.length <= FOLD_AT) return line;
    const w = new HeaderWriter(name);
    w.literal(' ' + value);
    return w.finish();
  }
  const lower = name.toLowerCase();
  if (STRUCTURED_HEADERS.has(lower)) throw new Error(`header ${name} is structured and cannot hold non-ASCII or encoded-words: ${JSON.stringify(value)}`);
  const w = new HeaderWriter(name);
  if (ADDRESS_HEADERS.has(lower)) writeAddressList(w, name, value, charset);
  else w.encoded(' ', value, charset);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------
// Message

function headerValue(headers: readonly Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

function parseCte(value: string | undefined): TransferEncoding {
  const v = value?.trim().toLowerCase();
  if (v === '7bit' || v === 'base64' || v === 'quoted-printable') return v;
  throw new Error(`single-part mail needs a Content-Transfer-Encoding header of 7bit, base64 or quoted-printable, got ${JSON.stringify(value)}`);
}

/** RFC 2046 5.1.1: 1-70 bchars, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** The content of a mail (its text, its HTML, or both as alternatives): the type and the encoded body. */
interface Content {
  /** Content-Type of the content as a part (for a nested part; the top-level header may add parameters). */
  type: string;
  /** Content-Transfer-Encoding of a single part; null for multipart/alternative. */
  cte: TransferEncoding | null;
  /** Encoded body, CRLF line ends, ending in CRLF exactly when the model text ends in "\n". */
  wire: string;
}

function checkBoundary(b: string, wires: readonly PlannedPart[]): string {
  if (!BOUNDARY.test(b)) throw new Error(`invalid MIME boundary ${JSON.stringify(b)}`);
  const delimiter = '--' + b;
  for (const part of wires) {
    // base64 never contains "--"; 7bit and QP text could contain the delimiter line.
    if (part.cte !== 'base64' && part.wire.includes(delimiter)) throw new Error(`a body contains its own boundary ${JSON.stringify(b)}`);
  }
  return delimiter;
}

/**
 * The mail's content. `topCte` is the Content-Transfer-Encoding its top-level header names when
 * the content is the whole message (a single part must be written as its header says), null when
 * it is nested in multipart/mixed.
 */
function renderContent(mail: Mail, topCte: TransferEncoding | null): Content {
  const cs = mail.charset;
  if (mail.boundary === null) {
    const html = mail.html !== null;
    const part = encodePart(cs, html ? (mail.html ?? '') : mail.text, topCte);
    return { type: `text/${html ? 'html' : 'plain'}; charset=${cs}`, cte: part.cte, wire: part.wire };
  }
  if (mail.html === null) throw new Error('a multipart/alternative mail needs an HTML part');
  const b = mail.boundary;
  const text = encodePart(cs, mail.text, null);
  const html = encodePart(cs, mail.html, null);
  const delimiter = checkBoundary(b, [text, html]);
  return {
    type: `multipart/alternative; boundary="${b}"`,
    cte: null,
    wire:
      `${delimiter}${CRLF}Content-Type: text/plain; charset=${cs}${CRLF}Content-Transfer-Encoding: ${text.cte}${CRLF}${CRLF}` +
      text.wire +
      `${CRLF}${delimiter}${CRLF}Content-Type: text/html; charset=${cs}${CRLF}Content-Transfer-Encoding: ${html.cte}${CRLF}${CRLF}` +
      html.wire +
      `${CRLF}${delimiter}--${CRLF}`,
  };
}

/** RFC 2045 5.1: a parameter value that is not a token is a quoted-string. */
const FILENAME = /^[\x20-\x7e]{1,200}$/;

function attachmentPart(a: Attachment): string {
  if (!FILENAME.test(a.filename) || /["\\]/.test(a.filename))
    throw new Error(`attachment file name ${JSON.stringify(a.filename)} must be printable ASCII without quotes`);
  if (!/^[a-z]+\/[a-z0-9.+-]+$/.test(a.contentType)) throw new Error(`attachment content type ${JSON.stringify(a.contentType)} is not type/subtype`);
  return (
    `Content-Type: ${a.contentType}; name="${a.filename}"${CRLF}` +
    `Content-Disposition: attachment; filename="${a.filename}"${CRLF}` +
    `Content-Transfer-Encoding: base64${CRLF}${CRLF}` +
    wrapBase64(Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength).toString('base64'))
  );
}

/**
 * The full RFC 5322 message: ASCII, CRLF line ends, ending in CRLF.
 *
 * - Headers in `mail.headers` order, encoded and folded as described at the top of this module.
 * - Without attachments, the content is the message body:
 *   - `boundary === null`: one text part, text/plain when `html` is null, else text/html (an
 *     HTML-only sender), in the encoding named by the mail's `Content-Transfer-Encoding` header
 *     (a '7bit' header on a body that is not 7bit throws);
 *   - otherwise multipart/alternative without preamble: text/plain then text/html, each with
 *     `Content-Type: text/...; charset=<charset>` and the encoding of {@link transferEncodingFor}.
 * - With attachments: multipart/mixed (boundary `mixedBoundary`), the content as its first part,
 *   then each attachment as a base64 part with `Content-Disposition: attachment; filename=...`.
 *
 * Bodies: "\n" becomes CRLF; base64 in lines of 76; quoted-printable per RFC 2045 (UTF-8 octets
 * of non-ASCII); 7bit ISO-2022-JP returns to ASCII at the end of every line. A part's decoded
 * content is exactly the model text. Only a single-part 7bit body whose text lacks a final "\n"
 * gains one (the message must end in CRLF); quoted-printable ends such a body with a soft break.
 */
export function renderRaw(mail: Mail): string {
  const out: string[] = [];
  for (const [name, value] of mail.headers) out.push(renderHeader(name, value, mail.charset));
  const head = out.join(CRLF) + CRLF + CRLF;
  const attachments = mail.attachments ?? [];
  const contentType = headerValue(mail.headers, 'Content-Type') ?? '';

  if (attachments.length === 0) {
    if (mail.mixedBoundary !== undefined) throw new Error('a mail without attachments must not have a multipart/mixed boundary');
    const single = mail.boundary === null;
    const content = renderContent(mail, single ? parseCte(headerValue(mail.headers, 'Content-Transfer-Encoding')) : null);
    if (!single && !contentType.includes(mail.boundary ?? ''))
      throw new Error(`the Content-Type header does not carry the boundary ${JSON.stringify(mail.boundary)}`);
    const wire = content.wire;
    if (wire === '' || wire.endsWith(CRLF)) return head + wire;
    // The message ends in CRLF; a QP soft break adds it without adding a line to the text.
    return head + wire + (content.cte === 'quoted-printable' ? '=' + CRLF : CRLF);
  }

  const m = mail.mixedBoundary;
  if (m === undefined) throw new Error('a mail with attachments needs a multipart/mixed boundary');
  if (!contentType.startsWith('multipart/mixed') || !contentType.includes(m))
    throw new Error(`the Content-Type header is not multipart/mixed with the boundary ${JSON.stringify(m)}`);
  const content = renderContent(mail, null);
  // The nested alternative's own text parts may be 7bit or QP: check its whole wire.
  const delimiter = checkBoundary(m, [{ cte: content.cte ?? '7bit', wire: content.wire }]);
  const first = `Content-Type: ${content.type}${CRLF}${content.cte === null ? '' : `Content-Transfer-Encoding: ${content.cte}${CRLF}`}${CRLF}${content.wire}`;
  const parts = [first, ...attachments.map(attachmentPart)];
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046 5.1.1), so a part's own final CRLF stays its content.
  return head + parts.map((p) => `${delimiter}${CRLF}${p}${CRLF}`).join('') + `${delimiter}--${CRLF}`;
}

// ---------------------------------------------------------------------------------------------
// asctime

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/**
 * C asctime() of a UTC time, as the mbox "From " line wants it (no Intl: the same on every build).
 * Fractions of a second are dropped.
 * @example formatAsctime(1772496903) // 'Tue Mar  3 00:15:03 2026'
 */
export function formatAsctime(epochSeconds: number): string {
  if (!Number.isFinite(epochSeconds)) throw new RangeError(`formatAsctime: not a time: ${epochSeconds}`);
  const d = new Date(Math.floor(epochSeconds) * 1000);
  const day = d.getUTCDate();
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day < 10 ? ' ' + day : day} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

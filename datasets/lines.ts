/**
 * Lines of a file as bytes, the fast path of every pass over emails.jsonl after the first. Apart
 * from read.ts because they hand out Node's Buffer: the package's public declarations reach
 * read.ts (readJsonl, readManifest) and must not need @types/node.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { DatasetError } from './read.js';

/**
 * Lines of a file as bytes (without their newline), read synchronously in 1 MiB chunks. Splitting
 * on bytes and decoding each line alone is faster than decoding chunks: one Japanese character
 * makes a whole decoded chunk a two-byte string. A slice may share memory with the next chunk's
 * read: use it before asking for the next line. A last line without its newline is an error
 * (the file was cut short), unless the file comes from elsewhere and may end that way.
 */
export function* lineBuffers(path: string, opts: { lastLineMayLackNewline?: boolean; onRead?: (bytes: Buffer) => void } = {}): Generator<Buffer> {
  if (!existsSync(path)) throw new DatasetError(`${path}: file not found`);
  const fd = openSync(path, 'r');
  try {
    yield* fdLineBuffers(fd, { ...opts, source: path });
  } finally {
    closeSync(fd);
  }
}

/**
 * Lines of an open descriptor as bytes, as lineBuffers; `onWouldBlock` waits when a non-blocking
 * one has nothing yet; `onRead` sees every byte read, in order (to hash a file while reading it).
 */
export function* fdLineBuffers(
  fd: number,
  opts: { source: string; lastLineMayLackNewline?: boolean; onWouldBlock?: () => void; onRead?: (bytes: Buffer) => void },
): Generator<Buffer> {
  let buf = Buffer.allocUnsafe(1 << 20);
  let start = 0;
  let end = 0;
  let line = 0;
  for (;;) {
    const nl = buf.indexOf(10, start);
    if (nl >= 0 && nl < end) {
      line++;
      yield buf.subarray(start, nl);
      start = nl + 1;
      continue;
    }
    if (start > 0) {
      buf.copy(buf, 0, start, end);
      end -= start;
      start = 0;
    }
    if (end === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, end);
      buf = bigger;
    }
    let n: number;
    try {
      n = readSync(fd, buf, end, buf.length - end, null);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN' || !opts.onWouldBlock) throw e;
      opts.onWouldBlock();
      continue;
    }
    if (n === 0) {
      if (end > 0 && !opts.lastLineMayLackNewline)
        throw new DatasetError(`${opts.source}:${line + 1}: truncated: the last line has no newline (was the file cut short?)`);
      if (end > 0) yield buf.subarray(0, end);
      return;
    }
    opts.onRead?.(buf.subarray(end, end + n));
    end += n;
  }
}

/** Files of a dataset being written: each written once, its sha256 and size kept for the manifest. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileEntry } from '../../datasets/format.js';

/** Bytes gathered before a write: a line at a time would be a system call per line. */
const WRITE_BUFFER = 1 << 20;

/** A file written in pieces, hashed as it goes. */
export class HashedFile {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private readonly pending = Buffer.allocUnsafe(WRITE_BUFFER);
  private used = 0;
  bytes = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  /** Write `buf` (copied: the caller may reuse it at once). */
  write(buf: Uint8Array): void {
    if (buf.length === 0) return;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (this.used + buf.length > WRITE_BUFFER) this.flush();
    if (buf.length >= WRITE_BUFFER) writeSync(this.fd, buf);
    else {
      this.pending.set(buf, this.used);
      this.used += buf.length;
    }
  }
  private flush(): void {
    if (this.used > 0) writeSync(this.fd, this.pending, 0, this.used);
    this.used = 0;
  }
  close(): FileEntry {
    this.flush();
    closeSync(this.fd);
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}

/** sha256 and size of a file, read in chunks (a whole-file read stops at 2 GiB). */
export function hashFile(path: string): FileEntry {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(WRITE_BUFFER);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) {
      hash.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function writeHashed(path: string, text: string): FileEntry {
  writeFileSync(path, text);
  return hashFile(path);
}

/** Write one line per item, hashed as it goes: a file of millions of lines is never one string. */
export function writeLines<T>(path: string, items: Iterable<T>, line: (item: T) => string): FileEntry {
  const out = new HashedFile(path);
  for (const item of items) out.write(Buffer.from(line(item) + '\n'));
  return out.close();
}

/** Every file under `dir` (recursively, names sorted), keyed by its path relative to `root`. */
export function hashTree(root: string, dir: string): Record<string, FileEntry> {
  const out: Record<string, FileEntry> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else out[path] = hashFile(join(root, path));
    }
  };
  walk(dir);
  return out;
}

/** Files of a dataset being written: each written once, its sha256 and size kept for the manifest. */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileEntry } from '../../datasets/format.js';

/** A file written in pieces, hashed as it goes. */
export class HashedFile {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  bytes = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(buf: Uint8Array): void {
    if (buf.length === 0) return;
    writeSync(this.fd, buf);
    this.hash.update(buf);
    this.bytes += buf.length;
  }
  close(): FileEntry {
    closeSync(this.fd);
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}

export function hashFile(path: string): FileEntry {
  const data = readFileSync(path);
  return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}

export function writeHashed(path: string, text: string): FileEntry {
  writeFileSync(path, text);
  return hashFile(path);
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

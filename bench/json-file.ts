/**
 * Streaming, atomic JSON file writer.
 *
 * Why: a results document can hold millions of alerts, and `JSON.stringify(results, null, 1)` of it
 * exceeds V8's maximum string length (~512 MiB) and throws `RangeError: Invalid string length`, losing
 * every result. `writeJsonFile` produces the very same bytes as `JSON.stringify(value, null, 1) + '\n'`
 * but never holds the document as one string: containers are walked one level at a time (arrays are
 * iterated, not recursed per element), subtrees that are small enough are serialized with
 * JSON.stringify and re-indented, and the output is buffered in ~1 MiB chunks written with
 * fs.writeSync. The file is written to a temporary sibling, fsynced and renamed over the target, so
 * the previous file stays untouched if anything fails.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { isBoxedPrimitive } from 'node:util/types';

export interface JsonFileOptions {
  /** Subtrees whose estimated size (in characters) is below this are serialized by JSON.stringify at once. */
  inlineBelow?: number;
  /** Output is flushed to the file once this many characters are buffered. */
  chunkSize?: number;
}

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** The value JSON.stringify would serialize for holder[key]: the result of toJSON(key) when there is one. */
function resolveValue(v: unknown, key: string): unknown {
  if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return toJSON.call(v, key);
  }
  return v;
}

/**
 * What is left of `budget` after a rough size estimate of v, negative when v is too big to inline. Walks at
 * most ~budget nodes, so a cycle or a huge subtree just exhausts it. Dates count as small leaves; any other
 * object with toJSON makes the subtree "big" so that the streaming path calls toJSON exactly as the spec does.
 */
function remaining(v: unknown, budget: number): number {
  if (typeof v === 'string') return budget - v.length - 2;
  if (typeof v !== 'object' || v === null || isBoxedPrimitive(v) || v instanceof Date) return budget - 24;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return -1;
  budget -= 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && budget >= 0; i++) budget = remaining(v[i], budget - 2);
  } else {
    for (const k in v) {
      if (budget < 0) break;
      if (Object.hasOwn(v, k)) budget = remaining((v as Record<string, unknown>)[k], budget - k.length - 4);
    }
  }
  return budget;
}

/**
 * Write a file whole or not at all: `produce` writes its text through `put` (buffered in chunks
 * of `chunkSize` characters) into a temporary sibling, which is fsynced and renamed over the
 * target; on any failure the temporary file is removed and the previous file stays untouched.
 */
export function writeFileWhole(path: string, produce: (put: (s: string) => void) => void, chunkSize = 1 << 20): void {
  const target = resolve(path);
  if (statSync(target, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${path} is a directory`);
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
  let fd: number | undefined;
  let chunk = '';
  const flush = (): void => {
    const buf = Buffer.from(chunk, 'utf8');
    chunk = '';
    for (let off = 0; off < buf.length;) off += writeSync(fd!, buf, off, buf.length - off);
  };
  const put = (s: string): void => {
    chunk += s;
    if (chunk.length >= chunkSize) flush();
  };
  try {
    fd = openSync(tmp, 'wx');
    produce(put);
    flush();
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // keep the original error
      }
    }
    rmSync(tmp, { force: true });
    // A failed write names no file: name the one the user asked for.
    const err = e as NodeJS.ErrnoException;
    if (typeof err.code === 'string' && err.syscall && !err.path) err.path = target;
    throw e;
  }
}

/** A text file (a report), written whole or not at all. */
export function writeTextFile(path: string, text: string): void {
  writeFileWhole(path, (put) => put(text));
}

/** `JSON.stringify(value, null, 1) + '\n'`, streamed, written whole or not at all (see the top of this file). */
export function writeJsonFile(path: string, value: unknown, options: JsonFileOptions = {}): void {
  const { inlineBelow = 1 << 20, chunkSize = 1 << 20 } = options;
  writeFileWhole(
    path,
    (put) => {
      const ancestors = new Set<object>();
      /** Writes v (already passed through toJSON, not omitted) at indentation `ind`. */
      const emit = (v: unknown, ind: string): void => {
        if (typeof v !== 'object' || v === null || isBoxedPrimitive(v)) return put(JSON.stringify(v));
        if (typeof (v as { toJSON?: unknown }).toJSON !== 'function' && remaining(v, inlineBelow) >= 0) {
          return put(JSON.stringify(v, null, 1).replaceAll('\n', '\n' + ind)); // JSON text has no raw newline in strings
        }
        if (ancestors.has(v)) throw new TypeError('Converting circular structure to JSON');
        ancestors.add(v);
        const inner = ind + ' ';
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            put(i === 0 ? '[\n' + inner : ',\n' + inner);
            const el = resolveValue(v[i], String(i));
            if (omitted(el)) put('null');
            else emit(el, inner);
          }
          put(v.length === 0 ? '[]' : '\n' + ind + ']');
        } else {
          let first = true;
          for (const k of Object.keys(v)) {
            const member = resolveValue((v as Record<string, unknown>)[k], k);
            if (omitted(member)) continue;
            put((first ? '{\n' : ',\n') + inner + JSON.stringify(k) + ': ');
            first = false;
            emit(member, inner);
          }
          put(first ? '{}' : '\n' + ind + '}');
        }
        ancestors.delete(v);
      };

      const root = resolveValue(value, '');
      if (omitted(root)) throw new TypeError(`cannot write ${typeof root} as JSON`);
      emit(root, '');
      put('\n');
    },
    chunkSize,
  );
}

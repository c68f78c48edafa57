/**
 * The JavaScript adapter: runs inside a detector's sandbox and speaks the detector protocol
 * (docs/detector-protocol.md) on behalf of a JavaScript detector (`create(ctx)` -> `onEmail`).
 * It is a convenience, not a trust boundary: everything it writes is checked by the harness
 * exactly as a detector in any other language would be, so a detector that bypasses it (writes to
 * stdout itself, replaces fs) gains nothing but its own end.
 *
 *   node adapter.js run builtin <id>       a registered detector
 *   node adapter.js run module <file-url>  an external module's default export (or `detector`)
 *   node adapter.js describe <file-url>    print the module's id, version and description, then exit
 *
 * I/O is synchronous (readSync on stdin, writeSync on stdout): the exchange is strictly one email
 * at a time, so an event loop would only add latency.
 */
import { writeSync } from 'node:fs';
import { fdLineBuffers } from '../datasets/lines.js';
import type { Detector, DetectorInstance, EmailRecord } from '../detectors/types.js';
import { PROTOCOL_VERSION } from './protocol.js';

// Keep our own references: a detector may replace what it can reach.
const write = writeSync;
const stringify = JSON.stringify;
const parse = JSON.parse;

const nap = new Int32Array(new SharedArrayBuffer(4));

/** Write all of `bytes` to stdout, waiting while a non-blocking pipe is full. */
function writeAll(bytes: Buffer): void {
  for (let off = 0; off < bytes.length;) {
    try {
      off += write(1, bytes, off, bytes.length - off);
    } catch (e) {
      if ((e as { code?: string }).code !== 'EAGAIN') throw e;
      Atomics.wait(nap, 0, 0, 1);
    }
  }
}

function send(message: unknown): void {
  writeAll(Buffer.from(stringify(message) + '\n', 'utf8'));
}

// A detector's console.log and process.stdout.write go to stderr, its log, never into the protocol.
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
  (process.stderr.write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
console.log = console.error;
console.info = console.error;

function explain(e: unknown): string {
  const err = e as Error & { code?: string };
  if (err?.code === 'ERR_ACCESS_DENIED') return `tried to reach outside its sandbox (${err.message})`;
  return err instanceof Error ? err.message : String(e);
}

async function loadDetector(kind: string, target: string): Promise<Detector> {
  const registry = await import('../detectors/registry.js');
  if (kind === 'builtin') return registry.requireDetector(target);
  const mod = (await import(target)) as { default?: unknown; detector?: unknown };
  return registry.asDetector(mod.default ?? mod.detector, target);
}

/** Lines of stdin as strings, one at a time, blocking. */
function* stdinLines(): Generator<string> {
  const waitABit = (): void => void Atomics.wait(nap, 0, 0, 1);
  for (const line of fdLineBuffers(0, { source: 'stdin', lastLineMayLackNewline: true, onWouldBlock: waitABit })) yield line.toString('utf8');
}

async function run(kind: string, target: string): Promise<void> {
  const lines = stdinLines();
  const first = lines.next();
  if (first.done) return;
  const hello = parse(first.value) as { type: string; protocol: number; params: Record<string, string>; seed: number };
  if (hello.type !== 'hello') return send({ type: 'error', message: `expected hello, got ${hello.type}` });
  let instance: DetectorInstance;
  try {
    const detector = await loadDetector(kind, target);
    const truthDir = detector.readsTruth && kind === 'builtin' ? hello.params.truthDir : undefined;
    const { truthDir: _hidden, ...params } = hello.params;
    instance = detector.create({ seed: hello.seed, params, ...(truthDir ? { truthDir } : {}) });
  } catch (e) {
    return send({ type: 'error', message: explain(e) });
  }
  send({ type: 'ready', protocol: PROTOCOL_VERSION });
  const onEmail = instance.onEmail.bind(instance);
  for (const line of lines) {
    const message = parse(line) as { type: string; seq: number; email: EmailRecord };
    if (message.type === 'end') return;
    let out;
    try {
      out = onEmail(message.email);
    } catch (e) {
      return send({ type: 'error', message: `${explain(e)} (at email ${message.seq + 1}, id ${message.email.id})` });
    }
    if (out === undefined || out === null || (Array.isArray(out) && out.length === 0)) {
      // The common answer, without building it as an object first.
      writeAll(Buffer.from(`{"type":"alerts","seq":${message.seq},"alerts":[]}\n`, 'latin1'));
      continue;
    }
    const alerts = Array.isArray(out) ? out : [out];
    try {
      send({ type: 'alerts', seq: message.seq, alerts });
    } catch (e) {
      return send({ type: 'error', message: `its alerts for email ${message.seq + 1} cannot be written as JSON: ${explain(e)}` });
    }
  }
}

async function describe(target: string): Promise<void> {
  try {
    const d = await loadDetector('module', target);
    send({ id: d.id, version: d.version, description: d.description, params: d.params ?? {} });
  } catch (e) {
    send({ error: explain(e) });
  }
}

const [mode, kind, target] = process.argv.slice(2);
if (mode === 'run' && kind && target) await run(kind, target);
else if (mode === 'describe' && kind) await describe(kind);
else {
  process.stderr.write('bench/adapter.js runs JavaScript detectors for the harness; start it through `ato-bench bench`\n');
  process.exitCode = 2;
}
// A detector may leave timers or handles behind; the stream is over.
process.exit();

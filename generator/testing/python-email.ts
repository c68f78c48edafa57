/**
 * Python's `email` package (policy=default) as a reference decoder of header fields, for the
 * tests: one python3 process per call runs generator/testing/python_email.py, which says what it
 * does and which CPython bug it mends (gh-128110: whitespace between two encoded-words of a
 * display name). python3 is the one on PATH, or Debian's, installed when missing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { ensureDebianPackage, run } from './debian.js';

const SCRIPT = join(packageRoot(), 'generator', 'testing', 'python_email.py');

/** A mailbox as [display name, address]. */
export type Mailbox = [name: string, address: string];

/** The fields the tests compare, as Python reads them from a message. */
export interface PythonFields {
  subject: string | null;
  from: Mailbox[];
  to: Mailbox[];
}

export interface PythonRequest {
  /** Message files, read as bytes. */
  files?: string[];
  /** Raw messages (ASCII, CRLF). */
  raws?: string[];
  /** Decoded header values, [name, value]: address headers come back as mailboxes, others as text. */
  values?: Array<[name: string, value: string]>;
}

export interface PythonAnswer {
  /** True when the running Python has gh-128110 and the script mended it. */
  patched: boolean;
  files: PythonFields[];
  raws: PythonFields[];
  values: Array<Mailbox[] | string>;
}

let python: string | null = null;

async function pythonCommand(): Promise<string> {
  if (python !== null) return python;
  if (spawnSync('python3', ['--version']).status !== 0) await ensureDebianPackage('/usr/bin/python3', 'python3', 'Decoding headers with Python');
  python = spawnSync('python3', ['--version']).status === 0 ? 'python3' : '/usr/bin/python3';
  return python;
}

/** Decode with Python's `email` (policy=default); throws with Python's stderr when it fails. */
export async function pythonEmail(request: PythonRequest): Promise<PythonAnswer> {
  const r = await run(await pythonCommand(), [SCRIPT], 120_000, {
    input: JSON.stringify(request),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
  });
  if (r.code !== 0) throw new Error(`python3 ${SCRIPT} exited ${r.code}: ${(r.error?.message ?? '') + r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout) as PythonAnswer;
}

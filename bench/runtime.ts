/**
 * What a detector may read besides its own files, and what no detector may read at all.
 *
 * A Python virtual environment (a folder holding `pyvenv.cfg`) holds packages and a link to the
 * interpreter it was made from. When that interpreter is pyenv's, conda's or uv's, it lives
 * outside /usr, often under the home folder, and inside the sandbox the link leads nowhere. So
 * the link is followed here, hop by hop, to the installation it ends in (its prefix:
 * `PREFIX/bin/python3.11`), and exactly that folder is granted, read-only, once it is checked: a
 * Python installation (`lib/python3.X/os.py`), holding no dataset, no truth, no home folder and
 * no system folder. Paths a manifest declares as `runtime` pass the same checks. Anything else
 * is refused, in one line naming the interpreter, before any work.
 *
 * Policy only: these functions return what to grant or why not; the sandbox is built elsewhere.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { isWithin, providedBySandbox } from './sandbox.js';

/** What a run must keep from every detector (real paths): the dataset, and its truth wherever that lives. */
export interface Forbidden {
  dataset: string;
  truth: string | null;
}

export function forbiddenOf(dataDir: string): Forbidden {
  const dataset = realpathSync(dataDir);
  const truth = existsSync(join(dataset, 'truth')) ? realpathSync(join(dataset, 'truth')) : null;
  return { dataset, truth: truth && !isWithin(truth, dataset) ? truth : null };
}

/** System folders no detector may read, nor any folder holding them (`/`, `/var`). */
const SYSTEM_SECRETS = ['/etc', '/run', '/var/run', '/sys', '/proc', '/dev', '/boot'];

/** The home folders of this machine: the user's, and the places homes live. */
function homes(): string[] {
  const out = new Set<string>();
  for (const h of [homedir(), process.env.HOME, '/root', '/home']) {
    if (h && isAbsolute(h) && existsSync(h)) out.add(realpathSync(h));
  }
  return [...out];
}

/** The machine's shared temporary folders. */
function scratch(): string[] {
  const out = new Set<string>();
  for (const t of ['/tmp', '/var/tmp', tmpdir()]) if (existsSync(t)) out.add(realpathSync(t));
  return [...out];
}

/**
 * Why `real` (a path with its links resolved) may not be granted to a detector, or null when it
 * may: it holds or lies in the dataset or its truth, it holds a home folder or the shared /tmp (a
 * folder inside one, such as pyenv's installation, is allowed), or it holds or lies in a system
 * folder (/etc, /run).
 */
export function whyNotGrant(real: string, f: Forbidden): string | null {
  if (isWithin(f.dataset, real)) return `contains the dataset ${f.dataset}`;
  if (isWithin(real, f.dataset)) return `lies inside the dataset ${f.dataset}`;
  if (f.truth && isWithin(f.truth, real)) return `contains the dataset's truth ${f.truth}`;
  if (f.truth && isWithin(real, f.truth)) return `lies inside the dataset's truth ${f.truth}`;
  for (const h of homes()) if (isWithin(h, real)) return real === h ? 'is a home folder' : `holds the home folder ${h}`;
  // Every user's scratch (agents' sockets, other runs' files): a folder inside it may be granted, never the whole.
  for (const t of scratch()) if (isWithin(t, real)) return real === t ? `is the shared temporary folder` : `holds the shared temporary folder ${t}`;
  for (const s of SYSTEM_SECRETS) {
    if (isWithin(real, s)) return `lies in ${s}`;
    if (isWithin(s, real)) return `holds ${s}`;
  }
  return null;
}

/** A path's ancestors that are virtual environments (`pyvenv.cfg` beside `bin/`), nearest first, up to 6 levels. */
export function venvOf(path: string): string | null {
  let d = dirname(path);
  for (let i = 0; i < 6 && dirname(d) !== d; i++, d = dirname(d)) if (isVenv(d)) return d;
  return null;
}

function isVenv(dir: string): boolean {
  return existsSync(join(dir, 'pyvenv.cfg')) && existsSync(join(dir, 'bin'));
}

/** Virtual environments in a folder: the folder itself, or a folder directly inside it (`.venv/`, `venv/`); links are not followed. */
export function venvsIn(folder: string): { venvs: string[]; links: Array<{ link: string; target: string }> } {
  const venvs: string[] = [];
  const links: Array<{ link: string; target: string }> = [];
  if (isVenv(folder)) venvs.push(folder);
  for (const name of readdirSync(folder)) {
    const p = join(folder, name);
    const st = lstatSync(p);
    if (st.isDirectory() && isVenv(p)) venvs.push(p);
    else if (st.isSymbolicLink() && existsSync(p) && statSync(p).isDirectory() && isVenv(p)) links.push({ link: p, target: realpathSync(p) });
  }
  return { venvs, links };
}

/** Where each link of a chain leads, as the kernel reads it in the sandbox: the path as written, not resolved further. */
function linkChain(start: string): { hops: string[]; missing: string | null } {
  const hops = [start];
  for (let p = start; hops.length <= 40;) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return { hops, missing: p };
    }
    if (!st.isSymbolicLink()) return { hops, missing: null };
    p = resolve(dirname(p), readlinkSync(p));
    hops.push(p);
  }
  return { hops, missing: hops.at(-1)! };
}

/** A Python installation's mark, as Python itself looks for it: `lib/python3.X/os.py` (or lib64, or PyPy's). */
function isPythonPrefix(real: string): boolean {
  for (const lib of ['lib', 'lib64']) {
    let names: string[];
    try {
      names = readdirSync(join(real, lib));
    } catch {
      continue;
    }
    if (names.some((n) => /^(python|pypy)\d/.test(n) && existsSync(join(real, lib, n, 'os.py')))) return true;
  }
  return false;
}

/** The `home` of a pyvenv.cfg: the folder of the interpreter the environment was made from. */
function venvHome(venv: string): string | null {
  // Its first 64 KiB: a real one is a few lines, a detector's folder may hold anything.
  const fd = openSync(join(venv, 'pyvenv.cfg'), 'r');
  const buf = Buffer.alloc(1 << 16);
  let n: number;
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const m = /^\s*home\s*=\s*(.*?)\s*$/m.exec(buf.toString('utf8', 0, n));
  return m && isAbsolute(m[1]!) ? normalize(m[1]!) : null;
}

/**
 * The installation a virtual environment's interpreter comes from: the folders to grant (none
 * when the sandbox holds it already, /usr's Python), or why it cannot be granted (one line naming
 * the interpreter). `granted`: real paths the detector may read already.
 */
export function venvRuntime(venv: string, granted: readonly string[], f: Forbidden): { grant: string[] } | { refused: string } {
  const python = ['python', 'python3'].map((n) => join(venv, 'bin', n)).find((p) => lstatOrNull(p) !== null);
  if (!python) return { grant: [] }; // not made for running Python: nothing to follow
  const fix = 'make the environment from an interpreter outside it (e.g. /usr/bin/python3 -m venv), or see docs/detector-protocol.md, "Using packages"';
  const { hops, missing } = linkChain(python);
  if (missing) return { refused: `its Python ${python} is a link to ${missing}, which does not exist: ${fix}` };
  const interpreter = hops.at(-1)!;
  const prefixes = new Set<string>();
  if (basename(dirname(interpreter)) === 'bin') prefixes.add(dirname(dirname(interpreter)));
  const home = venvHome(venv);
  if (home === null) return { refused: `${join(venv, 'pyvenv.cfg')} names no home (the interpreter's folder): ${fix}` };
  if (basename(home) === 'bin') prefixes.add(dirname(home));
  else return { refused: `${join(venv, 'pyvenv.cfg')}: its home ${home} is not an installation's bin/ folder: ${fix}` };

  const held = (p: string): boolean => providedBySandbox(p) || isWithin(p, venv) || granted.some((g) => isWithin(p, g));
  const grant: string[] = [];
  for (const prefix of prefixes) {
    if (held(prefix)) continue;
    const leads = interpreter === python ? `its Python ${python}` : `its Python ${python} leads to ${interpreter}, whose installation`;
    if (!existsSync(prefix)) return { refused: `${leads} ${prefix} does not exist: ${fix}` };
    const real = realpathSync(prefix);
    const why = whyNotGrant(real, f);
    if (why) return { refused: `${leads} ${real} ${why}; it cannot be granted to the sandbox: ${fix}` };
    if (!isPythonPrefix(real))
      return { refused: `${leads} ${real} is not a Python installation (no lib/python3.*/os.py); it cannot be granted to the sandbox: ${fix}` };
    grant.push(prefix);
  }
  // Every hop must be there in the sandbox too, or the chain breaks at it.
  for (const hop of hops) {
    if (!held(hop) && !grant.some((g) => isWithin(hop, g)))
      return { refused: `its Python ${python} links through ${hop}, outside the environment and the installation it leads to: ${fix}` };
  }
  return { grant };
}

function lstatOrNull(p: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/**
 * A manifest's `runtime` path, checked: absolute, written plainly (no `.` or `..` part, no
 * trailing slash), existing, and grantable once its links are resolved. Returns the path to
 * bind (as written: the detector names it so) or why not.
 */
export function declaredRuntime(path: string, f: Forbidden): { grant: string } | { refused: string } {
  if (!isAbsolute(path)) return { refused: `runtime path "${path}" is not absolute (the detector's own folder is granted already)` };
  if (path.split('/').some((part) => part === '.' || part === '..') || (path.length > 1 && path.endsWith('/')) || normalize(path) !== path)
    return { refused: `runtime path "${path}" is not written plainly (no ".", ".." or doubled or trailing "/")` };
  if (!existsSync(path)) return { refused: `runtime path ${path} does not exist` };
  const real = realpathSync(path);
  const why = whyNotGrant(real, f);
  if (why) return { refused: `runtime path ${path}${real === path ? '' : ` (${real})`} ${why}; a detector may not see it` };
  return { grant: path };
}

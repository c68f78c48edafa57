/**
 * How a detector process is started: inside bubblewrap when it can run here, else as a plain
 * process (JavaScript detectors keep Node's permission model, which the adapter's command line
 * carries). bubblewrap is a well-kept, widely used sandbox (Flatpak's); we only choose its
 * arguments, we do not build a sandbox of our own.
 *
 * Inside the sandbox a detector sees /usr (programs and libraries), the Node.js installation,
 * its own files and its runtime (an interpreter's installation, checked by runtime.ts)
 * read-only, an empty /tmp, /proc of its own pid namespace, and nothing else: no
 * dataset, no truth, no home, no network, a cleared environment. Paths keep their host names, so
 * file URLs and module resolution work unchanged. Links inside its files resolve inside the
 * sandbox, where a link to the truth leads nowhere.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, sep } from 'node:path';

export type Isolation = 'bubblewrap' | 'permission-model' | 'none';
export type IsolationChoice = 'auto' | 'bubblewrap' | 'permission-model';

/** What to run and what it may read, before any sandbox is put around it. */
export interface LaunchPlan {
  /** Program and arguments; a bare program name is looked up on the sandbox's PATH. */
  argv: string[];
  /** Working directory (one of the readable paths, or /tmp). */
  cwd: string;
  /** Host paths the detector may read, bound read-only at the same path: its own files. */
  readable: string[];
  /**
   * Read-only runtime paths, bound like `readable`: the installation a virtual environment's
   * interpreter comes from, the paths a manifest declares as `runtime`. Not the detector's own
   * files: what a run may take from the machine rather than from the detector.
   */
  runtime?: string[];
  /** A Node.js process started by us (the adapter): carries the permission model itself. */
  node: boolean;
}

export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  isolation: Isolation;
}

const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin';
const TMP_BYTES = 64 << 20;

/** The top-level system folders a program needs: bound read-only, or recreated as the links they are. */
const SYSTEM = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc/ld.so.cache', '/etc/alternatives'];

function which(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  }
  return null;
}

let bwrapPath: string | null | undefined;
let bwrapWhy = '';

/** Folders every sandbox holds whatever the plan: the system's, and the sandbox's own /dev and /proc. */
const PROVIDED = [...SYSTEM, '/dev', '/proc'];

/**
 * Whether `path` (as a program names it, links not followed) is there in every sandbox already:
 * under the system folders, the Node.js installation, /dev or /proc.
 */
export function providedBySandbox(path: string): boolean {
  const prefix = nodePrefix();
  return PROVIDED.some((p) => isWithin(path, p)) || (prefix !== null && isWithin(path, prefix));
}

/** The Node.js installation (its prefix), when it is not under /usr already. */
function nodePrefix(): string | null {
  const real = realpathSync(process.execPath);
  const prefix = dirname(dirname(real));
  return prefix === '/usr' || prefix.startsWith('/usr/') ? null : prefix;
}

function systemArgs(): string[] {
  const args: string[] = [];
  for (const p of SYSTEM) {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(p), p);
    else args.push('--ro-bind', p, p);
  }
  const prefix = nodePrefix();
  if (prefix) args.push('--ro-bind', prefix, prefix);
  return args;
}

const NAMESPACE_ARGS = [
  '--unshare-all', // network, ipc, pid, uts, cgroup (and user, where it can)
  '--unshare-user',
  '--uid',
  '65534',
  '--gid',
  '65534',
  '--die-with-parent',
  '--new-session',
  '--clearenv',
];

/**
 * Whether bubblewrap runs here, tried once with the arguments we use (a container without user
 * namespaces refuses them); the reason when it does not.
 */
export function bubblewrap(): { path: string | null; why: string } {
  if (bwrapPath === undefined) {
    const path = process.platform === 'linux' ? which('bwrap') : null;
    if (!path) {
      bwrapPath = null;
      bwrapWhy = process.platform === 'linux' ? 'bwrap is not installed (Debian package bubblewrap)' : `bubblewrap needs Linux (this is ${process.platform})`;
    } else {
      const r = spawnSync(path, [...NAMESPACE_ARGS, ...systemArgs(), '--proc', '/proc', '--dev', '/dev', '--', '/bin/sh', '-c', 'exit 0'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 10_000,
      });
      bwrapPath = r.status === 0 ? path : null;
      if (r.status !== 0) bwrapWhy = `bwrap cannot start a sandbox here: ${(r.stderr?.toString() ?? '').trim() || `exit ${r.status}`}`;
    }
  }
  return { path: bwrapPath, why: bwrapWhy };
}

/** True when `inner` is `outer` or lies inside it. */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/** The memory cap: RLIMIT_DATA (writable private memory, what allocations use) through util-linux prlimit. */
function memoryPrefix(memoryLimitMb: number): string[] {
  const prlimit = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));
  if (!prlimit) return [];
  const bytes = memoryLimitMb * 1024 * 1024;
  return [prlimit, `--data=${bytes}:${bytes}`, '--'];
}

/** Whether a memory limit can be enforced here (prlimit present). */
export function canLimitMemory(): boolean {
  return memoryPrefix(1).length > 0;
}

/**
 * The command that runs `plan` under the chosen isolation. `bubblewrap` refuses to go on without
 * it; `auto` falls back to the permission model (JavaScript) or nothing (other programs).
 */
export function launch(plan: LaunchPlan, opts: { isolation: IsolationChoice; memoryLimitMb: number }): Launch {
  const bw = opts.isolation === 'permission-model' ? { path: null, why: 'asked for the permission model alone' } : bubblewrap();
  const inner = [...memoryPrefix(opts.memoryLimitMb), ...plan.argv];
  if (bw.path) {
    const args = [...NAMESPACE_ARGS, '--setenv', 'PATH', SANDBOX_PATH, '--setenv', 'LANG', 'C.UTF-8', '--setenv', 'HOME', '/tmp', ...systemArgs()];
    args.push('--proc', '/proc', '--dev', '/dev', '--size', String(TMP_BYTES), '--tmpfs', '/tmp');
    for (const p of [...new Set([...plan.readable, ...(plan.runtime ?? [])])].sort()) args.push('--ro-bind', p, p);
    args.push('--chdir', plan.cwd, '--', ...inner);
    return { file: bw.path, args, env: {}, cwd: '/', isolation: 'bubblewrap' };
  }
  // No sandbox: still no inherited environment (it may name the dataset), and a new process
  // group so that the whole group can be killed.
  const env: Record<string, string> = { PATH: process.env.PATH ?? SANDBOX_PATH, LANG: 'C.UTF-8', HOME: process.env.HOME ?? tmpdir() };
  return { file: inner[0]!, args: inner.slice(1), env, cwd: plan.cwd, isolation: plan.node ? 'permission-model' : 'none' };
}

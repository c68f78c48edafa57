/**
 * One error type for everything the user can act on: its message is the one line they need, its
 * exit code says what kind of problem it is. The command (scripts/cli.ts) has one branch for it.
 * Node's own errors from the file system and the OS become one line too (systemErrorLine).
 */

/** Exit codes of the ato-bench command, as the README's Command line section documents them. */
export const EXIT = {
  ok: 0,
  /** A dataset that does not verify or cannot be read, a detector that failed, the environment (disk full, permissions), a bug. */
  failure: 1,
  /** Bad usage or invalid input: arguments, config, existing output, detectors, rule files. */
  usage: 2,
  /** The gate (or compare) judged the change and it failed. */
  gateFailed: 3,
  /** The baseline belongs to another dataset or results schema. */
  incompatible: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class AtoBenchError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

const SYSTEM: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory, where a file was expected',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  ENOTEMPTY: 'directory not empty',
  EEXIST: 'already exists',
  ELOOP: 'too many levels of symbolic links (a link loop?)',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EXDEV: 'cannot move across file systems',
  EIO: 'input/output error',
  EFBIG: 'file too large (a limit on file size?)',
};

/** A Node system error (it has a code and a syscall) as one readable line, else null. */
export function systemErrorLine(e: unknown): string | null {
  const err = e as NodeJS.ErrnoException | null;
  if (!err || typeof err !== 'object' || typeof err.code !== 'string' || typeof err.syscall !== 'string') return null;
  const what = SYSTEM[err.code] ?? err.message;
  return `${err.path ? `${err.path}: ` : ''}${what} (${err.syscall}, ${err.code})`;
}

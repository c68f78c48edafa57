/**
 * One detector's run, seen from the harness: start its process (sandboxed), send `hello`, then
 * each email of the stream, waiting for the reply to one before sending the next, then `end`
 * (docs/detector-protocol.md). Everything the detector writes is checked here against the
 * harness's own reading of the stream: the seq it answers, the mailboxes and evidence already
 * delivered, the caps. Alerts are stamped from the email they answer, never from the detector's
 * words. Evidence is checked when the stream ends, or the detector does (one more reading of the
 * stream, up to its last alert, finds the emails named): an alert whose evidence was not yet
 * delivered or is another mailbox's ends the detector as an error at that alert, as if it had
 * been caught there, so the harness keeps nothing per email.
 * Anything out of place ends this detector with a clear error; the caller goes on with the others.
 * Two clocks run from the start of the process: the ready deadline (its `ready`, which an
 * unflushed output buffer never lets through) and the time limit (the whole run, to its exit).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { lineBuffers } from '../datasets/lines.js';
import { DetectorMessageSchema, HARNESS_LIMITS, PROTOCOL_VERSION, cleanMessage, stripControl } from './protocol.js';
import type { Limits } from './protocol.js';
import type { Launch } from './sandbox.js';
import type { SessionOutcome, StampedAlert } from './types.js';
import { MailboxIndex, emailHead, findEmails } from './stream-summary.js';
import type { EmailHead, EmailPlace, StreamSummary } from './stream-summary.js';
import type { IdMap } from '../datasets/id-map.js';

export type { SessionOutcome };

export interface SessionOptions {
  launch: Launch;
  emailsPath: string;
  stream: StreamSummary;
  params: Record<string, string>;
  seed: number;
  limits: Limits;
  timeLimitSeconds: number;
  /** Seconds from the start of the process to its `ready` (default HARNESS_LIMITS.readyTimeoutSeconds). */
  readyTimeoutSeconds?: number;
  memoryLimitMb: number;
  /** Called with the process as soon as it exists, and with null once it is gone (for signal handling). */
  track?: (child: ChildProcess, alive: boolean) => void;
}

const STDERR_KEEP = HARNESS_LIMITS.stderrKeepBytes;
const EXIT_GRACE_MS = HARNESS_LIMITS.exitGraceSeconds * 1000;

/** The first and last few KiB of what a process wrote to stderr. */
class StderrKeeper {
  private head = '';
  private tail = '';
  private total = 0;
  add(chunk: Buffer): void {
    this.total += chunk.length;
    const text = chunk.toString('utf8');
    if (this.head.length < STDERR_KEEP) {
      const room = STDERR_KEEP - this.head.length;
      this.head += text.slice(0, room);
      if (text.length <= room) return;
    }
    this.tail = (this.tail + text).slice(-STDERR_KEEP);
  }
  text(): string {
    const cut = this.total > 2 * STDERR_KEEP ? `\n[... ${this.total - this.head.length - this.tail.length} bytes left out ...]\n` : '';
    return stripControl(this.head + cut + this.tail);
  }
  lastLines(n: number): string {
    return cleanMessage(this.text().trim().split('\n').slice(-n).join(' | '), 400);
  }
}

/** Peak resident memory of a process and its descendants (Linux /proc), MiB; null where unknown. */
function peakRssMb(pid: number): number | null {
  let peak = 0;
  const seen = new Set<number>();
  const visit = (p: number): void => {
    if (seen.has(p) || seen.size > 64) return;
    seen.add(p);
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      for (const c of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ')) if (c.trim()) visit(Number(c));
    } catch {
      /* gone, or not Linux */
    }
  };
  visit(pid);
  return peak > 0 ? peak : null;
}

let devNull: number | null = null;

/**
 * stdin, stdout and stderr, and /dev/null over every other descriptor this process holds open
 * without close-on-exec (inherited from whoever started us: a CI runner's pipe, a test runner's
 * channel). Neither Node nor bubblewrap closes those, so a detector would inherit them and could
 * write forged messages to whatever is at their other end.
 */
function stdioWithoutLeaks(): Array<'pipe' | 'ignore' | number> {
  const stdio: Array<'pipe' | 'ignore' | number> = ['pipe', 'pipe', 'pipe'];
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fdinfo');
  } catch {
    return stdio; // not Linux: nothing to look at
  }
  for (const name of fds) {
    const fd = Number(name);
    if (fd < 3) continue;
    try {
      const flags = /flags:\s+([0-7]+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      if (!flags || (parseInt(flags, 8) & 0o2000000) !== 0) continue; // closed on exec anyway
    } catch {
      continue;
    }
    devNull ??= openSync('/dev/null', 'r+');
    if (fd === devNull) continue;
    while (stdio.length < fd) stdio.push('ignore');
    stdio[fd] = devNull;
  }
  return stdio;
}

class Ended extends Error {
  constructor(
    readonly status: 'error' | 'timeout',
    message: string,
    /** Ended by the evidence check. */
    readonly evidence = false,
  ) {
    super(message);
  }
}

export async function runSession(opts: SessionOptions): Promise<SessionOutcome> {
  const { launch, stream, limits } = opts;
  const started = process.hrtime.bigint();
  const stderr = new StderrKeeper();
  const alerts: StampedAlert[] = [];
  let emails = 0;
  let streamStart = 0n;
  let streamEnd = 0n;
  let startupSeconds = 0;
  let maxRssMb: number | null = null;

  const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env: launch.env, stdio: stdioWithoutLeaks(), detached: true });
  if (child.pid) opts.track?.(child, true);
  child.stdin!.on('error', () => {}); // a detector that dies mid-write: its exit says why
  child.stderr!.on('data', (d: Buffer) => stderr.add(d));

  // Replies, one line at a time. `want` is set while the harness waits for one; a line that
  // arrives when none is awaited was not asked for.
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let want: ((line: string) => void) | null = null;
  let fail: ((e: Ended) => void) | null = null;
  let failure: Ended | null = null;
  const end = (e: Ended): void => {
    if (failure) return;
    failure = e;
    fail?.(e);
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (partialBytes + piece.length > limits.replyBytes) return end(new Ended('error', `wrote a line longer than ${limits.replyBytes} bytes`));
      const line = partialBytes ? Buffer.concat([...partial, piece]).toString('utf8') : piece.toString('utf8');
      partial = [];
      partialBytes = 0;
      if (!want) return end(new Ended('error', `wrote a line it was not asked for (after ${asked} messages from the harness): ${cleanMessage(line, 120)}`));
      const w = want;
      want = null;
      w(line);
    }
    if (start < chunk.length) {
      partialBytes += chunk.length - start;
      if (partialBytes > limits.replyBytes) return end(new Ended('error', `wrote a line longer than ${limits.replyBytes} bytes`));
      partial.push(Buffer.from(chunk.subarray(start)));
    }
  });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      if (child.pid) opts.track?.(child, false);
      resolve();
    });
    // A process that could not be started never exits.
    child.on('error', (e) => {
      end(new Ended('error', `cannot be started: ${e.message}`));
      if (child.pid === undefined) {
        exited = { code: null, signal: null };
        resolve();
      }
    });
  });
  let expectingExit = false;
  void exit.then(() => {
    if (expectingExit || failure) return;
    const { code, signal } = exited!;
    const how = signal
      ? `was killed by ${signal}${signal === 'SIGSEGV' || signal === 'SIGABRT' || signal === 'SIGKILL' ? ` (memory limit ${opts.memoryLimitMb} MiB)` : ''}`
      : `exited with code ${code}`;
    // stdout may still hold its last words (an error message): let them be read first.
    setImmediate(() => end(new Ended('error', `${how} before the end of the stream, after ${emails} emails`)));
  });
  let ready = false;
  const timer = setTimeout(() => {
    // Waiting on a reply it may have written but not flushed: say so.
    const waiting = !ready
      ? ', waiting for its ready'
      : want
        ? `, waiting for its reply to email ${emails + 1} (if it answered, flush stdout after every line)`
        : '';
    end(new Ended('timeout', `stopped after the time limit of ${opts.timeLimitSeconds} s${waiting}`));
  }, opts.timeLimitSeconds * 1000);
  // A detector whose output sits in its own buffer would otherwise wait out the whole time limit.
  const readyTimeout = opts.readyTimeoutSeconds ?? HARNESS_LIMITS.readyTimeoutSeconds;
  const readyTimer = setTimeout(() => {
    if (ready) return;
    const got = partialBytes ? `only ${partialBytes} bytes without a newline reached the harness` : 'nothing reached the harness on its stdout';
    end(
      new Ended(
        'error',
        `no ready within ${readyTimeout} s of its start (--ready-timeout): ${got}; answer hello with {"type":"ready","protocol":${PROTOCOL_VERSION}} and flush stdout after every line (Python: print(..., flush=True) or python3 -u)`,
      ),
    );
  }, readyTimeout * 1000);

  const stdin = child.stdin!;
  let asked = 0;
  const ask = (...parts: Array<Buffer | string>): Promise<string> => {
    if (failure) return Promise.reject(failure);
    asked++;
    return new Promise<string>((resolve, reject) => {
      want = resolve;
      fail = reject;
      // Parts of one message go out in one write (the dataset's line is not copied first).
      stdin.cork();
      for (const p of parts) stdin.write(p);
      stdin.uncork();
    });
  };

  const parseReply = (line: string): ReturnType<typeof DetectorMessageSchema.parse> => {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Ended('error', `wrote a line that is not JSON: ${cleanMessage(line, 120)}`);
    }
    const r = DetectorMessageSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new Ended('error', `wrote an invalid message: ${i.path.join('.') || 'message'}: ${i.message} (${cleanMessage(line, 120)})`);
    }
    if (r.data.type === 'error') throw new Ended('error', cleanMessage(r.data.message) || 'reported an error without a message');
    return r.data;
  };

  const mailboxes = new MailboxIndex(stream);
  // The seq each alert answered, for the evidence check at the end.
  const alertSeq: number[] = [];
  try {
    const hello = { type: 'hello', protocol: PROTOCOL_VERSION, params: opts.params, seed: opts.seed, limits };
    const answer = parseReply(await ask(JSON.stringify(hello) + '\n'));
    ready = true;
    clearTimeout(readyTimer);
    if (answer.type !== 'ready') throw new Ended('error', `answered hello with ${answer.type}, not ready`);
    if (answer.protocol !== PROTOCOL_VERSION) throw new Ended('error', `speaks protocol ${answer.protocol}; this harness speaks ${PROTOCOL_VERSION}`);
    startupSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    streamStart = process.hrtime.bigint();
    const CLOSE = Buffer.from('}\n');
    let seq = 0;
    for (const line of lineBuffers(opts.emailsPath)) {
      // `line` is only read again once the reply is in, by which time the detector has read it all.
      const reply = await ask(`{"type":"email","seq":${seq},"email":`, line, CLOSE);
      // The common answer, checked without parsing.
      if (reply !== `{"type":"alerts","seq":${seq},"alerts":[]}`) {
        const m = parseReply(reply);
        if (m.type !== 'alerts') throw new Ended('error', `answered email ${seq + 1} with ${m.type}`);
        if (m.seq !== seq) throw new Ended('error', `answered email ${seq + 1} (seq ${seq}) with seq ${m.seq}`);
        if (m.alerts.length > limits.alertsPerEmail)
          throw new Ended('error', `raised ${m.alerts.length} alerts on one email; the cap is ${limits.alertsPerEmail}`);
        const email = m.alerts.length ? (emailHead(line) ?? (JSON.parse(line.toString('utf8')) as EmailHead)) : null;
        for (const a of m.alerts) {
          const why = checkMailbox(a, seq, mailboxes);
          if (why) throw new Ended('error', `alert on email ${seq + 1} (${email!.id}): ${why}`);
          if (alerts.length >= limits.alertsPerRun) throw new Ended('error', `raised more than ${limits.alertsPerRun} alerts (--max-alerts)`);
          const reason = cleanMessage(a.reason, limits.reasonChars);
          if (!reason) throw new Ended('error', `alert on email ${seq + 1} (${email!.id}): its reason has no printable text`);
          alerts.push({
            mailbox: a.mailbox,
            score: a.score,
            reason,
            evidence: a.evidence ?? [],
            ...(a.rule ? { rule: a.rule } : {}),
            emailId: email!.id,
            at: Date.parse(email!.receivedAt) / 1000,
          });
          alertSeq.push(seq);
        }
      }
      emails = ++seq;
    }
    streamEnd = process.hrtime.bigint();
    if (child.pid) maxRssMb = peakRssMb(child.pid);
    const bad = badEvidence();
    if (bad) throw bad;
    expectingExit = true;
    want = (line) => end(new Ended('error', `wrote after end: ${cleanMessage(line, 120)}`));
    child.stdin!.end(JSON.stringify({ type: 'end', emails }) + '\n');
    const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), EXIT_GRACE_MS).unref());
    if ((await Promise.race([exit, grace])) === 'late') throw new Ended('error', `did not exit within ${EXIT_GRACE_MS / 1000} s of the end of the stream`);
    if (failure) throw failure;
    const { code, signal } = exited!;
    if (code !== 0) throw new Ended('error', `exited with ${signal ?? `code ${code}`} after the end of the stream`);
  } catch (caught) {
    if (!(caught instanceof Ended)) throw caught;
    // Evidence broken before the detector ended otherwise is what ended it: it came first.
    const e = caught.evidence ? caught : (badEvidence() ?? caught);
    const tail = stderr.lastLines(3);
    return finish({ status: e.status, error: e.message + (tail && e.status === 'error' ? ` [stderr: ${tail}]` : '') });
  } finally {
    clearTimeout(timer);
    clearTimeout(readyTimer);
    if (exited === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exit;
    }
  }
  return finish({ status: 'ok' });

  /** The first alert whose evidence breaks the rules, as the error that ends the run, or null. */
  function badEvidence(): Ended | null {
    if (!alerts.some((a) => a.evidence.length)) return null;
    // Up to 100 ids an alert and --max-alerts alerts: walked, not gathered into one more array.
    const named = function* (): Generator<string> {
      for (const a of alerts) yield* a.evidence;
    };
    const found = findEmails(stream, named(), alertSeq.at(-1));
    for (let i = 0; i < alerts.length; i++) {
      const why = checkEvidence(alerts[i]!, alertSeq[i]!, found);
      if (!why) continue;
      emails = alertSeq[i]!;
      return new Ended('error', `alert on email ${alertSeq[i]! + 1} (${alerts[i]!.emailId}): ${why}`, true);
    }
    return null;
  }

  function finish(r: { status: SessionOutcome['status']; error?: string }): SessionOutcome {
    const last = streamEnd || process.hrtime.bigint();
    return {
      ...r,
      alerts: r.status === 'ok' ? alerts : [],
      emails,
      streamSeconds: streamStart ? Number(last - streamStart) / 1e9 : 0,
      startupSeconds,
      maxRssMb,
      stderr: stderr.text(),
    };
  }
}

/** Why an alert raised while answering email `seq` names a mailbox not delivered so far, or null. */
export function checkMailbox(a: { mailbox: string }, seq: number, mailboxes: MailboxIndex): string | null {
  return mailboxes.deliveredBy(a.mailbox, seq) ? null : `mailbox ${JSON.stringify(cleanMessage(a.mailbox, 60))} is not a mailbox delivered so far`;
}

/**
 * Why the evidence of an alert raised while answering email `seq` breaks the protocol's rules,
 * or null; `found` places the stream's emails by id (bench/stream-summary.ts, findEmails).
 */
export function checkEvidence(a: { mailbox: string; evidence?: readonly string[] | undefined }, seq: number, found: IdMap<EmailPlace>): string | null {
  for (const id of a.evidence ?? []) {
    const p = found.get(id);
    if (p === undefined || p.seq > seq) return `evidence ${id} is not an email delivered before the alert`;
    if (p.mailbox !== a.mailbox) return `evidence ${id} belongs to mailbox ${p.mailbox}, not ${a.mailbox}`;
  }
  return null;
}

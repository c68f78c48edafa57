/**
 * The harness side of the detector protocol (bench/session.ts), against a detector process that
 * breaks the protocol in one way at a time (fixtures/protocol/misbehave.mjs), run through
 * runDetectors as a command detector: each misbehaviour ends its own row with a clear error, and
 * nothing it raised before is kept. The harness launches compiled code: `npm run build` first.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { tempDir } from '../generator/testing/test-helpers.js';
import { runDetectors } from './runner.js';
import type { DetectorRun, DetectorSpec } from './runner.js';
import { checkEvidence, checkMailbox } from './session.js';
import { MailboxIndex, StreamSummaryBuilder, findEmails } from './stream-summary.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'protocol', 'misbehave.mjs');
const TIME_LIMIT = 20;

/** The fixture as a command detector, by absolute paths (the sandbox mounts the paths a command names). */
function command(mode: string, opts: { alertEarly?: boolean; prefix?: string } = {}): DetectorSpec {
  const words = [`'${process.execPath}'`, `'${FIXTURE}'`, mode, ...(opts.alertEarly ? ['--alert-early'] : [])];
  return { command: (opts.prefix ?? '') + words.join(' ') };
}

let tiny: string;
/** The dataset's own emails, in stream order. */
let emails: Array<{ id: string; mailbox: string; receivedAt: string }>;
/** `lingers` costs the harness's 5 s wait for an exit: started first, so the wait overlaps the other tests. */
let lingering: Promise<DetectorRun>;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
  emails = readFileSync(join(tiny, 'emails.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; mailbox: string; receivedAt: string });
  lingering = runOne('lingers');
  lingering.catch(() => {}); // reported by its test
});

async function runOne(mode: string, opts: { maxAlerts?: number; alertEarly?: boolean } = {}): Promise<DetectorRun> {
  const r = await runDetectors({
    dataDir: tiny,
    detectors: [command(mode, { alertEarly: opts.alertEarly ?? true })],
    timeLimitSeconds: TIME_LIMIT,
    ...(opts.maxAlerts !== undefined ? { maxAlerts: opts.maxAlerts } : {}),
  });
  expect(r.runs).toHaveLength(1);
  return r.runs[0]!;
}

interface Case {
  mode: string;
  status: 'error' | 'timeout';
  /** Fragments the error must contain, in order; `id5` stands for the id of the 5th email. */
  says: string[];
  /** The error is exactly the one fragment. */
  exact?: boolean;
}

// Every mode but the end ones raises a valid alert on each of emails 1-4 (--alert-early) before it
// misbehaves at the 5th: a failed run keeps none of them.
const CASES: Case[] = [
  { mode: 'wrong-seq', status: 'error', says: ['answered email 5 (seq 4) with seq 5'] },
  {
    mode: 'two-replies',
    status: 'error',
    says: ['wrote a line it was not asked for (after 6 messages from the harness): {"type":"alerts","seq":4,"alerts":[]}'],
  },
  // The harness asks hello at once, so a line written before reading it is taken as the answer to it.
  { mode: 'speaks-first', status: 'error', says: ['answered hello with alerts, not ready'] },
  { mode: 'not-json', status: 'error', says: ['wrote a line that is not JSON: this is not JSON'] },
  { mode: 'unknown-type', status: 'error', says: ['wrote an invalid message: type: ', '({"type":"verdict"})'] },
  {
    mode: 'extra-member',
    status: 'error',
    says: ['wrote an invalid message: message: Unrecognized key: "upperBound" ({"type":"alerts","seq":4,"alerts":[],"upperBound":true})'],
  },
  { mode: 'claims-oracle', status: 'error', says: ['wrote an invalid message: message: Unrecognized keys: "id", "upperBound"'] },
  { mode: 'old-protocol', status: 'error', says: ['speaks protocol 2; this harness speaks 1'] },
  // The detector's own text is the whole reason (it writes nothing to stderr).
  { mode: 'error', status: 'error', says: ['model file missing'], exact: true },
  // The end of its stderr follows the reason.
  { mode: 'dies', status: 'error', says: ['exited with code 3 before the end of the stream, after 4 emails [stderr: dying at email 5]'] },
  { mode: 'exit-nonzero-after-end', status: 'error', says: ['exited with code 2 after the end of the stream'] },
  { mode: 'writes-after-end', status: 'error', says: ['wrote after end: {"type":"alerts","seq":0,"alerts":[]}'] },
  // The harness waits 5 s for the exit, then kills it: an error (the stream was answered in time), not a timeout.
  { mode: 'lingers', status: 'error', says: ['did not exit within 5 s of the end of the stream'] },
  { mode: 'score-7', status: 'error', says: ['wrote an invalid message: alerts.0.score: Too big', '<=1', '"score":7'] },
  { mode: 'unknown-mailbox', status: 'error', says: ['alert on email 5 (id5): mailbox "nobody" is not a mailbox delivered so far'] },
  { mode: 'future-evidence', status: 'error', says: ['alert on email 5 (id5): evidence ffffffffffffffff is not an email delivered before the alert'] },
  // The schema caps alerts per reply at 100, so zod refuses the reply before the harness's own per-email check.
  { mode: 'many-alerts', status: 'error', says: ['wrote an invalid message: alerts: Too big', '<=100 items'] },
  { mode: 'long-line', status: 'error', says: ['wrote a line longer than 1048576 bytes'] },
];

describe('session: a misbehaving detector ends its own row with the reason', () => {
  // Concurrent: each is its own process, and `lingers` waits 5 s for nothing.
  it.concurrent.for(CASES)('$mode', async ({ mode, status, says, exact }, { expect }) => {
    const run = await (mode === 'lingers' ? lingering : runOne(mode));
    expect(run.status, run.error).toBe(status);
    if (exact) expect(run.error).toBe(says[0]);
    let rest = run.error ?? '';
    for (const s of says) {
      const want = s.replace('id5', emails[4]!.id);
      expect(rest).toContain(want);
      rest = rest.slice(rest.indexOf(want) + want.length);
    }
    expect(run.alerts).toEqual([]);
  });

  it.concurrent('other-mailbox-evidence: names the evidence and both mailboxes', async ({ expect }) => {
    const run = await runOne('other-mailbox-evidence');
    expect(run.status).toBe('error');
    const m = /^alert on email (\d+) \(([0-9a-f]{16})\): evidence ([0-9a-f]{16}) belongs to mailbox (\S+), not (\S+)$/.exec(run.error ?? '');
    expect(m, run.error).not.toBeNull();
    const [, nth, alertId, evidenceId, evidenceMailbox, alertMailbox] = m!;
    const seq = Number(nth) - 1;
    expect(seq).toBeGreaterThanOrEqual(4);
    expect(emails[seq]!.id).toBe(alertId);
    expect(emails[seq]!.mailbox).toBe(alertMailbox);
    const p = emails.findIndex((e) => e.id === evidenceId);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(seq); // already delivered: only the mailbox is wrong
    expect(emails[p]!.mailbox).toBe(evidenceMailbox);
    expect(evidenceMailbox).not.toBe(alertMailbox);
    expect(run.alerts).toEqual([]);
  });

  it.concurrent('alert-every-email with maxAlerts 100: fails at the 101st alert, naming the cap', async ({ expect }) => {
    const run = await runOne('alert-every-email', { maxAlerts: 100 });
    expect(run.status).toBe('error');
    expect(run.error).toContain('raised more than 100 alerts (--max-alerts)');
    expect(run.emails).toBe(100);
    expect(run.alerts).toEqual([]);
  });
});

describe('session: alerts that are kept', () => {
  it('one failure ends only its own row: an honest command and a built-in in the same run stay ok', async () => {
    const r = await runDetectors({
      dataDir: tiny,
      detectors: [
        command('honest', { alertEarly: true }),
        { builtin: 'null', params: {} },
        // Ids of commands are cut to 64 characters: a prefix keeps the two fixture commands apart.
        command('dies', { alertEarly: true, prefix: 'exec ' }),
      ],
      timeLimitSeconds: TIME_LIMIT,
    });
    expect(r.runs.map((x) => x.status)).toEqual(['ok', 'ok', 'error']);
    const [honest, builtin, dies] = r.runs as [DetectorRun, DetectorRun, DetectorRun];
    expect(honest.error).toBeUndefined();
    expect(honest.emails).toBe(emails.length);
    // The honest run keeps its four early alerts, stamped from the harness's copy of the stream.
    expect(honest.alerts.map((a) => a.emailId)).toEqual(emails.slice(0, 4).map((e) => e.id));
    expect(builtin.id).toBe('null');
    expect(builtin.emails).toBe(emails.length);
    expect(dies.error).toContain('exited with code 3 before the end of the stream, after 4 emails');
    expect(dies.alerts).toEqual([]);
  });

  it('control-chars: the alert is kept, with escapes and NULs removed from its reason', async () => {
    const run = await runOne('control-chars');
    expect(run.status, run.error).toBe('ok');
    const a = run.alerts.find((x) => x.emailId === emails[4]!.id);
    expect(a).toBeDefined();
    expect(a!.reason).toBe('red alert with NULs');
    for (const x of run.alerts) expect(x.reason).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('good-alerts: each alert is stamped with the email it answered and that email’s arrival', async () => {
    const run = await runOne('good-alerts', { alertEarly: false });
    expect(run.status, run.error).toBe('ok');
    const answered = emails.filter((_, seq) => seq % 50 === 49);
    expect(answered.length).toBeGreaterThan(10);
    expect(run.alerts).toEqual(
      answered.map((e) => ({
        mailbox: e.mailbox,
        score: 0.9,
        reason: 'every 50th email',
        evidence: [e.id],
        emailId: e.id,
        at: Date.parse(e.receivedAt) / 1000,
      })),
    );
  });
});

// Python's stdout is block-buffered on a pipe: without -u or flush=True, its ready never leaves it.
const PYTHON = ['/usr/bin/python3'].find((p) => spawnSync(p, ['--version']).status === 0);
const UNFLUSHED = `import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m["type"] == "hello":
        print(json.dumps({"type": "ready", "protocol": 1}))
    elif m["type"] == "email":
        print(json.dumps({"type": "alerts", "seq": m["seq"], "alerts": []}))
    else:
        break
`;

describe.runIf(PYTHON)('session: the ready deadline', () => {
  // A folder with a manifest: its working directory is the folder, in the sandbox too.
  const folder = (flags: string[]): string => {
    const dir = join(tempDir(), 'unflushed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'unflushed.py'), UNFLUSHED);
    const manifest = { id: 'unflushed', version: '1', description: 'Python without flush', command: [PYTHON, ...flags, 'unflushed.py'] };
    writeFileSync(join(dir, 'detector.json'), JSON.stringify(manifest));
    return dir;
  };
  const runPython = (flags: string[]): Promise<DetectorRun> =>
    runDetectors({
      dataDir: tiny,
      detectors: [{ external: folder(flags) }],
      timeLimitSeconds: TIME_LIMIT,
      readyTimeoutSeconds: 2,
    }).then((r) => r.runs[0]!);

  it.concurrent('a detector that never flushes ends at the ready deadline, told of the missing ready and the flush rule', async ({ expect }) => {
    const started = Date.now();
    const run = await runPython([]);
    const seconds = (Date.now() - started) / 1000;
    expect(run.status).toBe('error');
    expect(run.error).toBe(
      'no ready within 2 s of its start (--ready-timeout): nothing reached the harness on its stdout; answer hello with {"type":"ready","protocol":1} and flush stdout after every line (Python: print(..., flush=True) or python3 -u)',
    );
    expect(run.emails).toBe(0);
    // The deadline, not the time limit: 2 s and the start of the run.
    expect(seconds).toBeGreaterThanOrEqual(2);
    expect(seconds).toBeLessThan(TIME_LIMIT / 2);
  });

  it.concurrent('the same detector run with python3 -u answers every email', async ({ expect }) => {
    const run = await runPython(['-u']);
    expect(run.status, run.error).toBe('ok');
    expect(run.emails).toBe(emails.length);
  });
});

describe('checkMailbox and checkEvidence', () => {
  const ids = ['0000000000000000', '1111111111111111', '2222222222222222', '3333333333333333'];
  const mailboxes = ['alice', 'bob', 'alice', 'bob'];
  // A stream file of four emails, summarised and searched as the harness does.
  const path = join(tempDir(), 'emails.jsonl');
  writeFileSync(path, ids.map((id, i) => JSON.stringify({ id, mailbox: mailboxes[i], receivedAt: `2025-10-0${i + 1}T00:00:00Z` }) + '\n').join(''));
  const builder = new StreamSummaryBuilder(path);
  for (const m of mailboxes) builder.add(m);
  const summary = builder.finish();
  const index = new MailboxIndex(summary);
  const found = findEmails(summary, [...ids, 'ffffffffffffffff']);
  const checkAlert = (a: { mailbox: string; evidence?: string[] }, seq: number): string | null => checkMailbox(a, seq, index) ?? checkEvidence(a, seq, found);

  it('refuses a mailbox not delivered so far, showing its name cleaned', () => {
    expect(checkAlert({ mailbox: 'bob' }, 0)).toBe('mailbox "bob" is not a mailbox delivered so far');
    expect(checkAlert({ mailbox: 'carol' }, 3)).toBe('mailbox "carol" is not a mailbox delivered so far');
    expect(checkAlert({ mailbox: 'ev\x1b[31mil\x00' }, 3)).toBe('mailbox "evil" is not a mailbox delivered so far');
  });

  it('refuses evidence from the future or not in the stream', () => {
    expect(checkAlert({ mailbox: 'alice', evidence: [ids[2]!] }, 1)).toBe('evidence 2222222222222222 is not an email delivered before the alert');
    expect(checkAlert({ mailbox: 'alice', evidence: ['ffffffffffffffff'] }, 3)).toBe('evidence ffffffffffffffff is not an email delivered before the alert');
  });

  it('refuses evidence of another mailbox', () => {
    expect(checkAlert({ mailbox: 'alice', evidence: [ids[0]!, ids[1]!] }, 2)).toBe('evidence 1111111111111111 belongs to mailbox bob, not alice');
  });

  it('accepts an alert on a delivered mailbox with earlier evidence of it, the answered email included', () => {
    expect(checkAlert({ mailbox: 'alice', evidence: [ids[0]!, ids[2]!] }, 2)).toBeNull();
    expect(checkAlert({ mailbox: 'bob', evidence: [] }, 1)).toBeNull();
    expect(checkAlert({ mailbox: 'alice' }, 3)).toBeNull();
    // A mailbox delivered earlier may be named while answering another mailbox's email.
    expect(checkAlert({ mailbox: 'alice', evidence: [ids[2]!] }, 3)).toBeNull();
  });
});

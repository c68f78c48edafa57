/**
 * One detector's run, in its own process under Node's permission model: it may read its own
 * code and the emails, nothing else (the truth stays out of reach; the oracle alone is granted
 * truth/). It streams emails.jsonl once, hands each record to the detector, checks and stamps
 * every alert with the arrival of the email that produced it, and reports to the runner over IPC.
 *
 * Mode 'floor' does the same reading and parsing without a detector: the raw read+parse floor,
 * and the stream index the scorer needs.
 */
import { createReadStream } from 'node:fs';
import type { Alert, Detector, DetectorOutput, EmailRecord } from '../detectors/types.js';
import type { StampedAlert } from './types.js';

export interface ChildJob {
  mode: 'detect' | 'floor';
  emailsPath: string;
  detector?: { builtin: string } | { external: string };
  seed: number;
  params: Record<string, string>;
  truthDir?: string;
}

export type ChildMessage =
  | { kind: 'ready'; id: string; version: string; description: string; detectorKind: string; readsTruth: boolean }
  | { kind: 'alerts'; alerts: StampedAlert[] }
  | { kind: 'rejected'; count: number; examples: string[] }
  | { kind: 'index'; ids: string[]; mailboxes: string[]; times: number[] }
  | { kind: 'done'; emails: number; detectSeconds: number; totalSeconds: number; maxRssMb: number }
  | { kind: 'error'; message: string; where: 'detector' | 'data' | 'load' };

const send = (m: ChildMessage): Promise<void> => new Promise((resolve) => process.send!(m, undefined, {}, () => resolve()));

const MAX_REASON = 500;
const MAX_EVIDENCE = 100;
const BATCH = 2000;

async function loadDetector(spec: NonNullable<ChildJob['detector']>): Promise<Detector> {
  const registry = await import('../detectors/registry.js');
  return 'builtin' in spec ? registry.requireDetector(spec.builtin) : registry.loadExternalDetector(spec.external);
}

const EMAIL_ID = /^[0-9a-f]{16}$/;

/**
 * Why an alert is malformed, or null when it is fine. Evidence ids are checked for form here
 * and against the stream (seen, not in the future) by the runner, which has the index: the
 * child keeps no per-email state, so its memory does not grow with the stream.
 */
function malformed(a: unknown, seenMailboxes: ReadonlySet<string>): string | null {
  if (a === null || typeof a !== 'object') return `an alert must be an object, got ${JSON.stringify(a)}`;
  const x = a as Partial<Alert>;
  if (typeof x.mailbox !== 'string' || !seenMailboxes.has(x.mailbox)) return `mailbox ${JSON.stringify(x.mailbox)} is not a mailbox of the stream so far`;
  if (typeof x.score !== 'number' || !Number.isFinite(x.score) || x.score < 0 || x.score > 1)
    return `score must be a number in [0, 1], got ${JSON.stringify(x.score)}`;
  if (typeof x.reason !== 'string' || x.reason.length === 0 || x.reason.length > MAX_REASON)
    return `reason must be a non-empty string of at most ${MAX_REASON} characters`;
  if (!Array.isArray(x.evidence) || x.evidence.length > MAX_EVIDENCE) return `evidence must be an array of at most ${MAX_EVIDENCE} email ids`;
  for (const id of x.evidence) if (typeof id !== 'string' || !EMAIL_ID.test(id)) return `evidence ${JSON.stringify(id)} is not an email id`;
  return null;
}

async function run(job: ChildJob): Promise<void> {
  let detector: Detector | null = null;
  let onEmail: ((e: EmailRecord) => DetectorOutput) | null = null;
  if (job.mode === 'detect') {
    try {
      detector = await loadDetector(job.detector!);
      const inst = detector.create({ seed: job.seed, params: job.params, ...(detector.readsTruth && job.truthDir ? { truthDir: job.truthDir } : {}) });
      onEmail = inst.onEmail.bind(inst);
    } catch (e) {
      await send({ kind: 'error', message: (e as Error).message, where: 'load' });
      process.exit(1);
    }
    await send({
      kind: 'ready',
      id: detector.id,
      version: detector.version,
      description: detector.description,
      detectorKind: detector.kind ?? 'external',
      readsTruth: detector.readsTruth === true,
    });
  }

  const started = process.hrtime.bigint();
  let detectNs = 0n;
  let emails = 0;
  let pending: StampedAlert[] = [];
  let rejected = 0;
  const rejectedExamples: string[] = [];
  const mailboxes = new Set<string>();
  const index = job.mode === 'floor' ? { ids: [] as string[], mailboxes: [] as string[], times: [] as number[] } : null;

  let rest = '';
  let line = 0;
  for await (const chunk of createReadStream(job.emailsPath, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const raw = text.slice(start, nl);
      start = nl + 1;
      let email: EmailRecord;
      try {
        email = JSON.parse(raw) as EmailRecord;
        if (typeof email.id !== 'string' || typeof email.mailbox !== 'string' || typeof email.receivedAt !== 'string')
          throw new Error('not an email record (id, mailbox, receivedAt)');
      } catch (e) {
        await send({ kind: 'error', message: `${job.emailsPath}:${line}: ${(e as Error).message}`, where: 'data' });
        process.exit(1);
      }
      emails++;
      if (index) {
        index.ids.push(email.id);
        index.mailboxes.push(email.mailbox);
        index.times.push(Date.parse(email.receivedAt) / 1000);
        continue;
      }
      mailboxes.add(email.mailbox);
      let out: DetectorOutput;
      const t0 = process.hrtime.bigint();
      try {
        out = onEmail!(email);
      } catch (e) {
        const err = e as Error & { code?: string };
        const msg = err.code === 'ERR_ACCESS_DENIED' ? `tried to read outside its sandbox (${err.message}; the truth is not readable)` : err.message;
        await send({ kind: 'error', message: `${msg} (at ${job.emailsPath}:${line}, email ${email.id})`, where: 'detector' });
        process.exit(1);
      }
      detectNs += process.hrtime.bigint() - t0;
      if (out === undefined || out === null) continue;
      const list = Array.isArray(out) ? out : [out];
      for (const a of list as unknown[]) {
        const why = malformed(a, mailboxes);
        if (why) {
          rejected++;
          if (rejectedExamples.length < 5) rejectedExamples.push(`${email.id}: ${why}`);
          continue;
        }
        const x = a as Alert;
        pending.push({
          mailbox: x.mailbox,
          score: x.score,
          reason: x.reason,
          evidence: [...x.evidence],
          emailId: email.id,
          at: Date.parse(email.receivedAt) / 1000,
        });
      }
      if (pending.length >= BATCH) {
        await send({ kind: 'alerts', alerts: pending });
        pending = [];
      }
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    await send({ kind: 'error', message: `${job.emailsPath}:${line + 1}: truncated: the last line has no newline`, where: 'data' });
    process.exit(1);
  }
  if (pending.length) await send({ kind: 'alerts', alerts: pending });
  if (rejected) await send({ kind: 'rejected', count: rejected, examples: rejectedExamples });
  if (index) await send({ kind: 'index', ...index });
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  await send({ kind: 'done', emails, detectSeconds: Number(detectNs) / 1e9, totalSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 });
  process.exit(0);
}

if (!process.send) {
  process.stderr.write('bench/child.js runs detectors for the benchmark runner; start it through `ato-bench bench`\n');
  process.exit(2);
}
process.once('message', (job: ChildJob) => {
  run(job).catch(async (e: Error) => {
    await send({ kind: 'error', message: e.message, where: 'load' });
    process.exit(1);
  });
});

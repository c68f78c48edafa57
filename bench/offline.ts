/**
 * Offline alerts (NAB-style): a model that ran elsewhere — a notebook, a Spark job, a SIEM — hands
 * in a file of alerts, each naming the email it was raised on. Each alert is stamped with that
 * email's arrival from the harness's own index and checked by the rules of a streamed alert
 * (docs/detector-protocol.md): a known email, evidence delivered at or before it and in its
 * mailbox, the same caps. Any bad line stops everything with its line number: nothing is scored
 * from a file that is partly wrong. The row is marked `offline`: the producer saw the whole
 * stream, so causality is not enforced.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FILES } from '../datasets/format.js';
import { lineBuffers } from '../datasets/read.js';
import { detectorById } from '../detectors/registry.js';
import type { ScorableRun } from './benchmark.js';
import { AlertSchema, DEFAULT_LIMITS, EmailId } from './protocol.js';
import { cleanMessage } from './protocol.js';
import { checkDataset, indexStream } from './runner.js';
import type { RunResult } from './runner.js';
import { checkAlert } from './session.js';
import type { StampedAlert } from './types.js';
import { AtoBenchError } from '../generator/core/errors.js';

/** An offline alerts file that cannot be scored as it is: exit 2, naming the line. */
export class OfflineAlertsError extends AtoBenchError {}

/** A streamed alert's shape, naming the email it was raised on; its mailbox may be left out. */
const OfflineAlertSchema = AlertSchema.extend({ emailId: EmailId, mailbox: AlertSchema.shape.mailbox.optional() }).strict();

export interface OfflineOptions {
  dataDir: string;
  alertsPath: string;
  /** The row's id: kebab-case, not a built-in's. */
  name: string;
  version?: string;
  description?: string;
  maxAlerts?: number;
}

export async function readOfflineRun(opts: OfflineOptions): Promise<Omit<RunResult, 'runs'> & { runs: ScorableRun[] }> {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(opts.name)) throw new OfflineAlertsError(`--name ${opts.name}: an id is kebab-case (a-z, 0-9, -)`);
  if (detectorById(opts.name)) throw new OfflineAlertsError(`--name ${opts.name} is a built-in detector's id; give the offline row another`);
  const dir = resolve(opts.dataDir);
  const manifest = await checkDataset(dir);
  const { stream, seconds } = indexStream(join(dir, FILES.emails), manifest.files[FILES.emails]!, manifest.counts.emails);
  const maxAlerts = opts.maxAlerts ?? DEFAULT_LIMITS.alertsPerRun;
  const path = opts.alertsPath;
  if (!existsSync(path) || !statSync(path).isFile()) throw new OfflineAlertsError(`--alerts ${path}: no such file`);
  const perEmail = new Map<number, number>();
  const found: Array<{ seq: number; line: number; alert: StampedAlert }> = [];
  // Every mailbox of the stream has been "delivered" by the end: the evidence rule is checked per email.
  const everyMailbox = new Set(stream.mailboxNames);
  let line = 0;
  for (const bytes of lineBuffers(path, { lastLineMayLackNewline: true })) {
    line++;
    const text = bytes.toString('utf8');
    if (text.trim() === '') continue;
    const where = `${path}:${line}`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new OfflineAlertsError(`${where}: not JSON: ${cleanMessage(text, 120)}`);
    }
    const r = OfflineAlertSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new OfflineAlertsError(`${where}: ${i.path.join('.') || 'alert'}: ${i.message}`);
    }
    const a = r.data;
    const seq = stream.positionOf(a.emailId);
    if (seq === undefined) throw new OfflineAlertsError(`${where}: email ${a.emailId} is not in the dataset ${dir}`);
    const mailbox = stream.mailbox(seq);
    if (a.mailbox !== undefined && a.mailbox !== mailbox)
      throw new OfflineAlertsError(`${where}: email ${a.emailId} is in mailbox ${mailbox}, not ${a.mailbox}`);
    const why = checkAlert({ mailbox, evidence: a.evidence }, seq, stream, everyMailbox);
    if (why) throw new OfflineAlertsError(`${where}: ${why}`);
    const n = (perEmail.get(seq) ?? 0) + 1;
    perEmail.set(seq, n);
    if (n > DEFAULT_LIMITS.alertsPerEmail) throw new OfflineAlertsError(`${where}: more than ${DEFAULT_LIMITS.alertsPerEmail} alerts on email ${a.emailId}`);
    if (found.length >= maxAlerts) throw new OfflineAlertsError(`${where}: more than ${maxAlerts} alerts (--max-alerts)`);
    found.push({
      seq,
      line,
      alert: {
        mailbox,
        score: a.score,
        reason: cleanMessage(a.reason, DEFAULT_LIMITS.reasonChars),
        evidence: a.evidence ?? [],
        ...(a.rule ? { rule: a.rule } : {}),
        emailId: a.emailId,
        at: stream.time(seq),
      },
    });
  }
  // In stream order (the file's order among alerts on the same email), as a streamed run lists them.
  found.sort((x, y) => x.seq - y.seq || x.line - y.line);
  const run: ScorableRun = {
    spec: { external: path },
    label: `offline:${opts.name}`,
    id: opts.name,
    version: opts.version ?? '0',
    description: opts.description ?? `offline alerts from ${path}`,
    kind: 'external',
    upperBound: false,
    isolation: 'none',
    mode: 'offline',
    status: 'ok',
    alerts: found.map((f) => f.alert),
    emails: stream.length,
    streamSeconds: 0,
    startupSeconds: 0,
    maxRssMb: null,
    stderr: '',
  };
  return { manifest, floor: { emails: stream.length, seconds }, stream, runs: [run] };
}

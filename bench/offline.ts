/**
 * Offline alerts (NAB-style): a model that ran elsewhere — a notebook, a Spark job, a SIEM — hands
 * in a file of alerts, each naming the email it was raised on. Each alert is stamped with that
 * email's arrival from the harness's own reading of the stream and checked by the rules of a
 * streamed alert (docs/detector-protocol.md): a known email, evidence delivered at or before it
 * and in its mailbox, the same caps. Every bad line is reported with its line number (the first
 * 20, then how many more), and nothing is scored from a file that is partly wrong. The row is
 * marked `offline`: the producer saw the whole stream, so causality is not enforced.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FILES } from '../datasets/format.js';
import { lineBuffers } from '../datasets/lines.js';
import { detectorById } from '../detectors/registry.js';
import type { ScorableRun } from './benchmark.js';
import { AlertSchema, DEFAULT_LIMITS, EmailId } from './protocol.js';
import { cleanMessage } from './protocol.js';
import { checkDataset, indexStream } from './runner.js';
import type { RunResult } from './runner.js';
import { checkEvidence } from './session.js';
import { findEmails } from './stream-summary.js';
import type { z } from 'zod';
import type { StampedAlert } from './types.js';
import { AtoBenchError } from '../generator/core/errors.js';

/** An offline alerts file that cannot be scored as it is: exit 2, naming the line. */
export class OfflineAlertsError extends AtoBenchError {}

/** A streamed alert's shape, naming the email it was raised on; its mailbox may be left out. */
const OfflineAlertSchema = AlertSchema.extend({ emailId: EmailId, mailbox: AlertSchema.shape.mailbox.optional() }).strict();

/**
 * An offline row's id: what users call a model (`hgb-0.9`, `XGB_v2`), kept to what every place
 * that keys by it can carry: the results and reports, known-fps.csv (no comma, no leading `#`),
 * its `label/mailbox` keys (no slash), detector labels (no colon), terminals and file names (no
 * whitespace, control characters or quotes).
 */
export const ROW_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ROW_ID_RULE = "an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. hgb-0.9)";

/** A refused name, quoted: whitespace shows, and no control character reaches the terminal (JSON escapes C0; DEL and C1 here). */
function shown(name: string): string {
  const cut = Array.from(name).length > 80 ? Array.from(name).slice(0, 79).join('') + '…' : name;
  return JSON.stringify(cut).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Bad lines listed in a message; the ones past this are counted ("and N more"). */
export const LISTED = 20;

/** The bad lines of an alerts file: the first LISTED by line number, and how many in all. */
class BadLines {
  readonly kept: Array<{ line: number; why: string }> = [];
  total = 0;

  /** Lines come in increasing order within one pass. */
  add(line: number, why: string): void {
    this.total++;
    if (this.kept.length < LISTED) this.kept.push({ line, why });
  }

  /** Two passes' lines, in line order (each pass kept its first LISTED, so the first LISTED of both are among them). */
  static merge(a: BadLines, b: BadLines): BadLines {
    const out = new BadLines();
    out.kept.push(...[...a.kept, ...b.kept].sort((x, y) => x.line - y.line).slice(0, LISTED));
    out.total = a.total + b.total;
    return out;
  }

  /** One line for one bad line (as before); else a count, then each on its own line. */
  message(path: string): string {
    const lines = this.kept.map((k) => `${path}:${k.line}: ${k.why}`);
    if (this.total === 1) return lines[0]!;
    const more = this.total - lines.length;
    return [`${path}: ${this.total} bad lines, nothing scored:`, ...lines, ...(more ? [`and ${more} more`] : [])].join('\n  ');
  }
}

export interface OfflineOptions {
  dataDir: string;
  alertsPath: string;
  /** The row's id (ROW_ID: a model's name as users write it, `hgb-0.9`), not a built-in's. */
  name: string;
  version?: string;
  description?: string;
  maxAlerts?: number;
}

export async function readOfflineRun(opts: OfflineOptions): Promise<Omit<RunResult, 'runs'> & { runs: ScorableRun[] }> {
  if (!ROW_ID.test(opts.name)) throw new OfflineAlertsError(`--name ${shown(opts.name)}: ${ROW_ID_RULE}`);
  if (detectorById(opts.name.toLowerCase())) throw new OfflineAlertsError(`--name ${opts.name} is a built-in detector's id; give the offline row another`);
  const dir = resolve(opts.dataDir);
  const manifest = await checkDataset(dir);
  const { stream, seconds } = indexStream(join(dir, FILES.emails), manifest.files[FILES.emails]!);
  const maxAlerts = opts.maxAlerts ?? DEFAULT_LIMITS.alertsPerRun;
  const path = opts.alertsPath;
  if (!existsSync(path) || !statSync(path).isFile()) throw new OfflineAlertsError(`--alerts ${path}: no such file`);
  // First every line's shape, then one reading of the stream finds the emails named, then each
  // alert is checked against them, in the file's order. Every bad line is noted (the first
  // LISTED of each pass kept, the rest counted) and reported together: nothing is scored.
  const shapes = new BadLines();
  const given: Array<{ line: number; alert: z.infer<typeof OfflineAlertSchema> }> = [];
  let line = 0;
  for (const bytes of lineBuffers(path, { lastLineMayLackNewline: true })) {
    line++;
    const text = bytes.toString('utf8');
    if (text.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      shapes.add(line, `not JSON: ${cleanMessage(text, 120)}`);
      continue;
    }
    const r = OfflineAlertSchema.safeParse(raw);
    if (!r.success) {
      const i = r.error.issues[0]!;
      shapes.add(line, `${i.path.join('.') || 'alert'}: ${i.message}`);
      continue;
    }
    if (given.length >= maxAlerts) {
      // The alerts are held until scored: stop reading rather than hold more than the cap.
      shapes.add(line, `more than ${maxAlerts} alerts (--max-alerts); the lines after it are not read`);
      break;
    }
    given.push({ line, alert: r.data });
  }
  const found = findEmails(
    stream,
    given.flatMap((g) => [g.alert.emailId, ...(g.alert.evidence ?? [])]),
  );
  const checks = new BadLines();
  const perEmail = new Map<number, number>();
  const placed: Array<{ seq: number; line: number; alert: StampedAlert }> = [];
  for (const { line, alert: a } of given) {
    const email = found.get(a.emailId);
    if (email === undefined) {
      checks.add(line, `email ${a.emailId} is not in the dataset ${dir}`);
      continue;
    }
    const { seq, mailbox } = email;
    if (a.mailbox !== undefined && a.mailbox !== mailbox) {
      checks.add(line, `email ${a.emailId} is in mailbox ${mailbox}, not ${a.mailbox}`);
      continue;
    }
    // Every mailbox of the stream has been delivered by the end: only the evidence is checked per email.
    const why = checkEvidence({ mailbox, evidence: a.evidence }, seq, found);
    if (why) {
      checks.add(line, why);
      continue;
    }
    const n = (perEmail.get(seq) ?? 0) + 1;
    perEmail.set(seq, n);
    if (n > DEFAULT_LIMITS.alertsPerEmail) {
      checks.add(line, `more than ${DEFAULT_LIMITS.alertsPerEmail} alerts on email ${a.emailId}`);
      continue;
    }
    placed.push({
      seq,
      line,
      alert: {
        mailbox,
        score: a.score,
        reason: cleanMessage(a.reason, DEFAULT_LIMITS.reasonChars),
        evidence: a.evidence ?? [],
        ...(a.rule ? { rule: a.rule } : {}),
        emailId: a.emailId,
        at: email.at,
      },
    });
  }
  const bad = BadLines.merge(shapes, checks);
  if (bad.total) throw new OfflineAlertsError(bad.message(path));
  // In stream order (the file's order among alerts on the same email), as a streamed run lists them.
  placed.sort((x, y) => x.seq - y.seq || x.line - y.line);
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
    alerts: placed.map((f) => f.alert),
    emails: stream.count,
    streamSeconds: 0,
    startupSeconds: 0,
    maxRssMb: null,
    stderr: '',
  };
  return { manifest, floor: { emails: stream.count, seconds }, stream, runs: [run] };
}

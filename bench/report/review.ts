/**
 * What a reviewer reads after the numbers: the mails and alerts around every takeover a contender
 * missed (or a change lost), as a timeline in the owner's own time, and what each detector's
 * false alarms fell on. Built once from the results (and the comparison) plus the dataset they
 * were scored on, as plain data the Markdown and HTML reports render.
 *
 * The dataset is read in one streaming pass, parsing only the lines of the mailboxes and windows
 * asked for. Without it (a comparison whose dataset is elsewhere, or a dataset that is not the
 * one scored) the false alarms fall back to the scorer's coarse classes and there are no
 * timelines; the review says why.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from '../../datasets/format.js';
import type { EmailRecord, IncidentRecord, LabelRecord } from '../../datasets/format.js';
import { instant, readJsonl } from '../../datasets/read.js';
import { lineBuffers } from '../../datasets/lines.js';
import { cmpStr } from '../score.js';
import type { BenchResults, DetectorResult } from '../benchmark.js';
import type { CompareResult } from '../compare-types.js';
import { detectorLabel } from './markdown.js';
import { IdMap } from '../../datasets/id-map.js';

const HOUR = 3600;
/** How much of the mailbox before the first malicious mail a timeline shows. */
export const LEAD_IN_HOURS = 24;
/** At most this many false-alarm groups per detector (the biggest). */
const GROUPS_PER_DETECTOR = 8;

export interface TimelineMail {
  kind: 'mail';
  /** Arrival in the owner's zone, as the mailbox shows it (RFC 3339 with offset). */
  at: string;
  hoursFromOnset: number;
  emailId: string;
  from: string;
  subject: string;
  /** The truth's label and mail type. */
  label: string;
  type: string;
  /** One of the incident's own mails (the rest are the mailbox's other mail in the window). */
  ofIncident: boolean;
}

export interface TimelineAlert {
  kind: 'alert';
  at: string;
  hoursFromOnset: number;
  emailId: string;
  detector: string;
  rule: string | null;
  score: number;
  reason: string;
  /** The scorer's verdict: tp, dup or fp:<what it fell on>. */
  verdict: string;
}

export type TimelineEntry = TimelineMail | TimelineAlert;

export interface IncidentTimeline {
  id: string;
  scenario: string;
  mailbox: string;
  /** The owner's IANA zone, as the truth records it. */
  zone: string | null;
  onset: string;
  /** The scored window's end (the incident's end plus the grace). */
  windowEnd: string;
  /** Contenders that raised alerts but none in this incident's window. */
  missedBy: string[];
  /** Detectors that caught it in the baseline and not in the head. */
  lostBy: string[];
  caughtBy: string[];
  /** From LEAD_IN_HOURS before the onset to the window's end: the incident's mails, the others in that mailbox, every lane's alerts. */
  entries: TimelineEntry[];
}

export interface FalseAlarmGroup {
  detector: string;
  /** What they fell on: `look-alike <scenario>`, `phishing <scenario>`, or `<label> <mail type>`. */
  fellOn: string;
  alerts: number;
  /** The earliest of them. */
  example: { mailbox: string; at: string; subject: string | null; reason: string };
}

export interface Review {
  /** Whether the dataset the results were scored on was read. */
  dataset: { read: true; dir: string } | { read: false; why: string };
  timelines: IncidentTimeline[];
  falseAlarms: FalseAlarmGroup[];
  /** Detectors whose alerts the timelines show, in the results' order. */
  lanes: string[];
}

/** Append to the list under `key`, making it when missing. */
function append<K, V>(m: Map<K, V[]>, key: K, v: V): void {
  const list = m.get(key);
  if (list) list.push(v);
  else m.set(key, [v]);
}

/** Contenders whose misses mean something: scored, not reading the truth, and raising alerts at all. */
function lanesOf(results: BenchResults): DetectorResult[] {
  return results.detectors.filter((d) => d.metrics && !d.upperBound && d.alerts.length > 0);
}

/** Whether dir holds the very dataset the results were scored on. */
function sameDataset(dir: string | undefined, results: BenchResults): { read: true; dir: string } | { read: false; why: string } {
  if (!dir) return { read: false, why: 'no dataset given' };
  const manifest = join(dir, FILES.manifest);
  if (!existsSync(manifest)) return { read: false, why: `${dir} holds no dataset` };
  const sha = createHash('sha256').update(readFileSync(manifest)).digest('hex');
  if (sha !== results.dataset.manifestSha256) return { read: false, why: `${dir} is not the dataset these results were scored on` };
  return { read: true, dir };
}

/** Local time as the mailbox shows it, for an instant that is no mail's arrival (the window's end). */
function localOf(epoch: number, offsetOf: string | undefined): string {
  const m = /([+-])(\d\d):(\d\d)$/.exec(offsetOf ?? '');
  const minutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const iso = new Date((epoch + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${iso}${m ? `${m[1]}${m[2]}:${m[3]}` : 'Z'}`;
}

/**
 * The review of a run: timelines of the takeovers a contender missed or the comparison lost, and
 * the false alarms grouped by what they fell on. `dataDir` is the dataset scored; without it
 * (or if it is another) the review says so and keeps what the results alone can tell.
 */
export async function buildReview(results: BenchResults, opts: { dataDir?: string; compare?: CompareResult } = {}): Promise<Review> {
  const lanes = lanesOf(results);
  const dataset = sameDataset(opts.dataDir, results);
  const grace = results.scoring.graceHours * HOUR;

  // Which takeovers: missed by a lane, or lost by any detector of the comparison.
  const lost = new Map<string, string[]>();
  for (const d of opts.compare?.detectors ?? []) for (const i of d.incidents.lost) append(lost, i.id, detectorLabel(d));
  const wanted = new Map<string, { missedBy: string[]; caughtBy: string[] }>();
  for (const d of lanes) {
    for (const r of d.incidents) {
      if (r.kind !== 'ato') continue;
      const w = wanted.get(r.id) ?? { missedBy: [], caughtBy: [] };
      (r.detected ? w.caughtBy : w.missedBy).push(detectorLabel(d));
      wanted.set(r.id, w);
    }
  }
  for (const [id, w] of wanted) if (!w.missedBy.length && !lost.has(id)) wanted.delete(id);
  for (const id of lost.keys()) if (!wanted.has(id)) wanted.set(id, { missedBy: [], caughtBy: [] });

  if (!dataset.read) return { dataset, timelines: [], falseAlarms: coarseFalseAlarms(lanes), lanes: lanes.map(detectorLabel) };
  const dir = dataset.dir;

  // The truth: the incidents asked for, every incident's mails, labels, zones.
  const incidents = new Map<string, IncidentRecord>();
  const incidentOfEmail = new Map<string, IncidentRecord>();
  const lookalikeWindows = new Map<string, IncidentRecord[]>();
  for await (const { value } of readJsonl<IncidentRecord>(join(dir, FILES.incidents))) {
    if (wanted.has(value.id)) incidents.set(value.id, value);
    for (const e of value.emailIds) incidentOfEmail.set(e, value);
    if (value.kind === 'lookalike') append(lookalikeWindows, value.mailbox, value);
  }
  const labels = new IdMap<LabelRecord>();
  for await (const { value } of readJsonl<LabelRecord>(join(dir, FILES.labels))) labels.set(value.emailId, value);
  const zones = new Map<string, string>();
  for await (const { value } of readJsonl<{ mailbox: string; zone?: string }>(join(dir, FILES.mailboxes))) if (value.zone) zones.set(value.mailbox, value.zone);

  // Windows to show, per mailbox; and the false alarms, grouped, with the email of each group's example.
  const windows = new Map<string, Array<{ id: string; from: number; to: number }>>();
  for (const inc of [...incidents.values()]) {
    const from = instant(inc.onset) - LEAD_IN_HOURS * HOUR;
    const to = instant(inc.end) + grace;
    append(windows, inc.mailbox, { id: inc.id, from, to });
  }
  const groups = groupFalseAlarms(lanes, (a) => {
    const own = incidentOfEmail.get(a.emailId);
    if (own && own.kind !== 'ato') return `${own.kind === 'lookalike' ? 'look-alike' : own.kind} ${own.scenario}`;
    const around = (lookalikeWindows.get(a.mailbox) ?? []).find((k) => instant(k.onset) <= a.at && a.at <= instant(k.end) + grace);
    if (around) return `look-alike ${around.scenario} (its window)`;
    const l = labels.get(a.emailId);
    return l ? `${l.label} ${l.type}` : 'unlabelled mail';
  });
  const exampleIds = new Set(groups.map((g) => g.exampleAlert.emailId));

  // One pass over the emails, parsing only what is asked for.
  const mails = new Map<string, EmailRecord>();
  const byWindow = new Map<string, EmailRecord[]>();
  for (const buf of lineBuffers(join(dir, FILES.emails))) {
    // The writer puts id and mailbox first: most lines are skipped unparsed. A line that does not
    // start so (an edited file) is parsed whole.
    const head = /^\{"id":"([^"\\]+)","mailbox":"([^"\\]+)"/.exec(buf.toString('latin1', 0, 96));
    if (head && !windows.has(head[2]!) && !exampleIds.has(head[1]!)) continue;
    const rec = JSON.parse(buf.toString('utf8')) as EmailRecord;
    if (exampleIds.has(rec.id)) mails.set(rec.id, rec);
    const ws = windows.get(rec.mailbox);
    if (!ws) continue;
    const t = instant(rec.receivedAt);
    for (const w of ws) if (w.from <= t && t <= w.to) append(byWindow, w.id, rec);
  }

  // Every lane's alerts by mailbox, indexed once rather than scanned per timeline.
  const alertsOf = new Map<string, Array<{ d: DetectorResult; a: LaneAlert }>>();
  for (const d of lanes) for (const a of d.alerts) if (windows.has(a.mailbox)) append(alertsOf, a.mailbox, { d, a });

  const timelines: IncidentTimeline[] = [...incidents.values()]
    .sort((a, b) => instant(a.onset) - instant(b.onset) || cmpStr(a.id, b.id))
    .map((inc) => {
      const onset = instant(inc.onset);
      const inWindow = byWindow.get(inc.id) ?? [];
      const own = new Set(inc.emailIds);
      const localAt = new Map(inWindow.map((e) => [e.id, e.receivedAt]));
      const from = onset - LEAD_IN_HOURS * HOUR;
      const to = instant(inc.end) + grace;
      const entries: TimelineEntry[] = inWindow.map((e) => {
        const l = labels.get(e.id);
        return {
          kind: 'mail',
          at: e.receivedAt,
          hoursFromOnset: (instant(e.receivedAt) - onset) / HOUR,
          emailId: e.id,
          from: e.from,
          subject: e.subject,
          label: l?.label ?? 'unlabelled',
          type: l?.type ?? '',
          ofIncident: own.has(e.id),
        };
      });
      for (const { d, a } of alertsOf.get(inc.mailbox) ?? []) {
        if (a.at < from || a.at > to) continue;
        entries.push({
          kind: 'alert',
          at: localAt.get(a.emailId) ?? localOf(a.at, inc.onset),
          hoursFromOnset: (a.at - onset) / HOUR,
          emailId: a.emailId,
          detector: detectorLabel(d),
          rule: a.rule ?? null,
          score: a.score,
          reason: a.reason,
          verdict: a.verdict,
        });
      }
      // In time order; an alert follows the mail whose arrival raised it; lanes in the results' order.
      const lane = new Map(lanes.map((d, i) => [detectorLabel(d), i]));
      entries.sort(
        (x, y) =>
          x.hoursFromOnset - y.hoursFromOnset ||
          (x.kind === y.kind ? 0 : x.kind === 'mail' ? -1 : 1) ||
          (x.kind === 'alert' && y.kind === 'alert' ? lane.get(x.detector)! - lane.get(y.detector)! : 0) ||
          cmpStr(x.emailId, y.emailId),
      );
      const w = wanted.get(inc.id)!;
      return {
        id: inc.id,
        scenario: inc.scenario,
        mailbox: inc.mailbox,
        zone: zones.get(inc.mailbox) ?? null,
        onset: inc.onset,
        windowEnd: localOf(to, inc.onset),
        missedBy: w.missedBy,
        lostBy: lost.get(inc.id) ?? [],
        caughtBy: w.caughtBy,
        entries,
      };
    });

  const falseAlarms = groups.map((g) => {
    const e = mails.get(g.exampleAlert.emailId);
    return {
      detector: g.detector,
      fellOn: g.fellOn,
      alerts: g.alerts,
      example: {
        mailbox: g.exampleAlert.mailbox,
        at: e?.receivedAt ?? new Date(g.exampleAlert.at * 1000).toISOString(),
        subject: e?.subject ?? null,
        reason: g.exampleAlert.reason,
      },
    };
  });
  return { dataset, timelines, falseAlarms, lanes: lanes.map(detectorLabel) };
}

type LaneAlert = DetectorResult['alerts'][number];

/** Per detector, its false alarms grouped by `fellOn`, biggest groups first, each with its earliest alert. */
function groupFalseAlarms(
  lanes: readonly DetectorResult[],
  fellOn: (a: LaneAlert) => string,
): Array<{ detector: string; fellOn: string; alerts: number; exampleAlert: LaneAlert }> {
  const out: Array<{ detector: string; fellOn: string; alerts: number; exampleAlert: LaneAlert }> = [];
  for (const d of lanes) {
    const groups = new Map<string, { alerts: number; exampleAlert: LaneAlert }>();
    for (const a of d.alerts) {
      if (!a.verdict.startsWith('fp')) continue;
      const key = fellOn(a);
      const g = groups.get(key);
      if (!g) groups.set(key, { alerts: 1, exampleAlert: a });
      else {
        g.alerts++;
        if (a.at < g.exampleAlert.at) g.exampleAlert = a;
      }
    }
    const ranked = [...groups].sort(([ka, a], [kb, b]) => b.alerts - a.alerts || cmpStr(ka, kb)).slice(0, GROUPS_PER_DETECTOR);
    for (const [key, g] of ranked) out.push({ detector: detectorLabel(d), fellOn: key, ...g });
  }
  return out;
}

/** Without the dataset: the scorer's own classes (look-alike, phishing, other). */
function coarseFalseAlarms(lanes: readonly DetectorResult[]): FalseAlarmGroup[] {
  return groupFalseAlarms(lanes, (a) => (a.verdict.slice(3) === 'lookalike' ? 'look-alike' : a.verdict.slice(3))).map((g) => ({
    detector: g.detector,
    fellOn: g.fellOn,
    alerts: g.alerts,
    example: { mailbox: g.exampleAlert.mailbox, at: new Date(g.exampleAlert.at * 1000).toISOString(), subject: null, reason: g.exampleAlert.reason },
  }));
}

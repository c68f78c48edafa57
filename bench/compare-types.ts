/**
 * What `ato-bench compare` and `ato-bench gate` produce: for each detector, what a change gained
 * and lost between a baseline results file and a head results file, metric deltas with paired
 * bootstrap intervals, and the gate's checks. Reports (Markdown, JUnit, HTML) render it.
 */

export const COMPARE_SCHEMA_VERSION = 1;

export interface IncidentRef {
  id: string;
  scenario: string;
  kind: string;
  mailbox: string;
  /** Onset, RFC 3339. */
  onset: string;
}

export interface FalseAlarmRef {
  mailbox: string;
  /** The alert's time (its email's arrival), RFC 3339 UTC. */
  at: string;
  emailId: string;
  /** What it fell on: lookalike, phishing or other. */
  fellOn: string;
  reason: string;
}

export interface MetricDelta {
  metric: 'recall' | 'precision' | 'falseAlarmsPer1000MailboxDays' | 'score';
  baseline: number;
  head: number;
  delta: number;
  /** 95 % paired bootstrap interval of the delta (resampling mailboxes, the same draw for both runs). */
  lo: number;
  hi: number;
  /** The gate's allowed change in the bad direction, if any. */
  tolerance?: number;
  /** The whole interval lies beyond the tolerance in the bad direction: a real regression, not noise. */
  regression: boolean;
}

export interface GateCheck {
  name: string;
  pass: boolean;
  message: string;
}

export interface DetectorComparison {
  id: string;
  /** The detector as the results name it: its id with parameters (`rules:sets=marketplace`), unique per file. */
  spec: string;
  /** Present in both results, or only in one of them. */
  presence: 'both' | 'baseline-only' | 'head-only';
  versions: { baseline: string | null; head: string | null };
  status: { baseline: string | null; head: string | null };
  incidents: { both: IncidentRef[]; gained: IncidentRef[]; lost: IncidentRef[] };
  falseAlarms: { both: FalseAlarmRef[]; new: FalseAlarmRef[]; removed: FalseAlarmRef[]; newKnown: FalseAlarmRef[] };
  deltas: MetricDelta[];
  /** Replay speed (emails/s), each measured beside its own run's floor; ratio = head / baseline of the floor-relative speeds. */
  speed: { baseline: number | null; head: number | null; ratio: number | null };
  checks: GateCheck[];
}

export interface CompareResult {
  schema: 'ato-bench/compare';
  schemaVersion: number;
  baseline: { file: string; manifestSha256: string; git: { commit: string; dirty: boolean } | null };
  head: { file: string; manifestSha256: string; git: { commit: string; dirty: boolean } | null };
  dataset: { seed: number; mailboxes: number; mailboxDays: number; emails: number };
  detectors: DetectorComparison[];
  pass: boolean;
  /** Why it failed (empty when it passed). */
  reasons: string[];
}

/**
 * Types shared by the runner, the scorer and the reports. Times are epoch seconds (UTC).
 */
import type { DriftPoint } from '../datasets/format.js';

export type { DriftPoint };

/** An alert as the runner recorded it: stamped with the email whose arrival produced it. */
export interface StampedAlert {
  mailbox: string;
  score: number;
  reason: string;
  evidence: string[];
  /** Which of the detector's rules raised it, when it said. */
  rule?: string;
  /** The email that produced it. */
  emailId: string;
  /** That email's arrival: the alert's time. A detector cannot backdate it. */
  at: number;
}

/**
 * One detector's run as its session ended (bench/session.ts). Here, not beside the session, so
 * that the package's declarations reach no Node type (the session's do: the child process).
 */
export interface SessionOutcome {
  status: 'ok' | 'error' | 'timeout';
  error?: string;
  alerts: StampedAlert[];
  /** Emails answered. */
  emails: number;
  /** Seconds of the stream, first email sent to last reply (the harness's clock). */
  streamSeconds: number;
  /** From the start of the process to its `ready`. */
  startupSeconds: number;
  maxRssMb: number | null;
  /** The first and last few KiB of its stderr, control characters removed. */
  stderr: string;
}

/** The file as it was indexed: a later pass refuses it if any of these changed. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/**
 * The stream as plain data (it crosses to session threads), built by runner.ts's first pass
 * (bench/stream-summary.ts, whose byte-reading functions take Node's Buffer: kept out of here).
 */
export interface StreamSummary {
  path: string;
  file: FileIdentity;
  /** Emails in the stream. */
  count: number;
  /** Every mailbox of the stream, in order of first arrival. */
  mailboxNames: string[];
  /** Per mailbox (same order), the position of its first email. */
  firstSeq: number[];
  /** Per mailbox (same order), how many emails it received. */
  emails: number[];
}

export type IncidentKind = 'ato' | 'lookalike' | 'phishing';

/** An incident of the truth, as the scorer needs it. */
export interface ScoringIncident {
  id: string;
  mailbox: string;
  scenario: string;
  kind: IncidentKind;
  /** Arrival of its first mail. */
  onset: number;
  /** Arrival of its last mail. */
  end: number;
  /** When the platform sent its own notice, if it did. */
  platformNoticeAt: number | null;
}

/** What the scorer needs to know of the stream besides the incidents. */
export interface StreamIndex {
  /** Every mailbox of the dataset (also those that received no mail). */
  mailboxes: readonly string[];
  /** Mailbox-days covered (mailboxes x days of the window). */
  mailboxDays: number;
  /**
   * Per mailbox, the sorted arrival times of its emails (for "mails since onset"): at least the
   * mailboxes with an incident.
   */
  arrivals: ReadonlyMap<string, ArrayLike<number>>;
  /**
   * How many emails each mailbox received, and the arrival of its i-th (0-based), for the random
   * baseline's alerts: needed when `arrivals` leaves mailboxes out; absent, `arrivals` answers.
   */
  emails?: { count(mailbox: string): number; at(mailbox: string, i: number): number };
  /** Label of each email alerted on (truth, at least those), to tell what a false alarm fell on. */
  labels: ReadonlyMap<string, string>;
  /** The dataset's window, epoch seconds [start, end): what the mailbox-days cover. */
  window?: { start: number; end: number };
  /** The dataset's template redesigns (config `drift`), where recall and false alarms are split. */
  drifts?: readonly DriftPoint[];
}

/** Recall and false alarms on one side of a drift date. */
export interface DriftSide {
  /** Target incidents whose onset falls on this side, and how many were detected. */
  incidents: number;
  detected: number;
  recall: number;
  /** False alarms raised on this side, and their rate over this side's mailbox-days. */
  falseAlarms: number;
  falseAlarmsPer1000MailboxDays: number;
}

export interface DriftSplit {
  brand: string;
  edition: string;
  on: string;
  before: DriftSide;
  after: DriftSide;
}

/** NAB-style weights (scoring.md): a hit earns up to tp, a miss costs fn, each false alarm costs fp. */
export interface Profile {
  name: string;
  description?: string;
  weights: { tp: number; fn: number; fp: number };
}

export interface ScoreOptions {
  /** Grace after an incident's last mail during which alerts still count for it (scoring.md: e.g. 72 h). */
  graceHours: number;
  profile: Profile;
  /** Bootstrap by resampling mailboxes with replacement. */
  bootstrap: { samples: number; seed: number };
  /** False-alarm budgets (per 1,000 mailbox-days) at which to report recall. */
  budgets: readonly number[];
  /** Horizons (hours) of D(x): the share of all target incidents detected within x of onset. */
  horizons: readonly number[];
  /** Incident kind the recall is about. */
  target: IncidentKind;
}

/** A point estimate with its 95 % bootstrap interval. */
export interface Interval {
  value: number;
  lo: number;
  hi: number;
}

export interface Quantiles {
  p50: number;
  p90: number;
  n: number;
}

export interface Metrics {
  /** Target incidents (K) and how many had at least one matching alert. */
  incidents: number;
  detected: number;
  recall: Interval;
  recallByScenario: Record<string, { kind: IncidentKind; incidents: number; detected: number; share: number }>;
  alerts: number;
  /** First alert in a target incident's window. */
  tp: number;
  /** Further alerts in an already matched window: neither TP nor FP. */
  dup: number;
  fp: number;
  /** Matching alerts (tp + dup) / all alerts. */
  precision: Interval;
  falseAlarmsPer1000MailboxDays: Interval;
  /** False alarms by what they fell on. */
  falseAlarmsOn: { lookalike: number; phishing: number; other: number };
  latencyHours: Quantiles | null;
  latencyMails: Quantiles | null;
  /** D(x): share of all target incidents detected within x hours of onset. */
  detectedWithin: Record<string, number>;
  /** platformNoticeAt - first alert, hours, over detected incidents with a platform notice. */
  leadHours: (Quantiles & { beatPlatform: number }) | null;
  /** Highest recall with false alarms at or under each budget (per 1,000 mailbox-days), sweeping alert scores. */
  recallAtBudget: Record<string, number>;
  /** The whole trade-off: recall against false alarms per 1,000 mailbox-days, the points where recall rises as the score threshold falls. */
  recallCurve: RecallPoint[];
  /** NAB-style normalised score: 0 = null detector, 100 = perfect. */
  score: Interval;
  /** Recall and false alarms before and after each template redesign of the dataset (empty without one). */
  drift: DriftSplit[];
}

/** One point of a detector's recall-against-false-alarms frontier. */
export interface RecallPoint {
  /** False alarms per 1,000 mailbox-days. */
  fa: number;
  recall: number;
}

export interface IncidentRow {
  id: string;
  scenario: string;
  kind: IncidentKind;
  mailbox: string;
  onset: number;
  detected: boolean;
  firstAlertAt: number | null;
  latencyHours: number | null;
  latencyMails: number | null;
  leadHours: number | null;
  /** NAB credit the detection earned (targets only; 0 when missed, null for other kinds). */
  credit: number | null;
}

/** How the scorer judged one alert. */
export type AlertVerdict = { kind: 'tp' | 'dup'; incident: string } | { kind: 'fp'; on: 'lookalike' | 'phishing' | 'other' };

export interface ScoreResult {
  metrics: Metrics;
  incidents: IncidentRow[];
  /** Verdicts in the order of the alerts given. */
  verdicts: AlertVerdict[];
}

/**
 * The detector contract. A detector is handed the stream of a dataset one email at a time —
 * exactly the `emails.jsonl` record, in arrival order, nothing else — and may answer with alerts.
 * The runner stamps each alert with the arrival of the email that produced it, so an alert
 * cannot be backdated, and never shows a detector the truth.
 *
 * @example A complete detector (save as my-detector.mjs, run with --detector ./my-detector.mjs)
 * export default {
 *   id: 'many-orders',
 *   version: '1.0.0',
 *   description: 'Alerts at the 5th order confirmation of a mailbox within 24 h.',
 *   create() {
 *     const recent = new Map(); // mailbox -> arrival times (ms) of order confirmations
 *     return {
 *       onEmail(email) {
 *         if (!/ご注文の確認|Your Hanamart order/.test(email.subject)) return;
 *         const t = Date.parse(email.receivedAt);
 *         const times = (recent.get(email.mailbox) ?? []).filter((x) => t - x < 86_400_000);
 *         times.push(t);
 *         recent.set(email.mailbox, times);
 *         if (times.length === 5) return { mailbox: email.mailbox, score: 1, reason: '5 orders in 24 h', evidence: [email.id] };
 *       },
 *     };
 *   },
 * };
 */
import type { EmailRecord } from '../datasets/format.js';

export type { EmailRecord };

/** What a detector raises. */
export interface Alert {
  /** The mailbox it is about (one the stream has shown). */
  mailbox: string;
  /** Confidence in [0, 1]; the scorer sweeps it to report recall at a false-alarm budget. */
  score: number;
  /** Why, for a human (at most 500 characters). */
  reason: string;
  /** Ids of emails already seen that support the alert (at most 100). */
  evidence: string[];
  /** Which of its rules raised it (kebab-case), for detectors made of rules: results count alerts, hits and false alarms per rule. */
  rule?: string;
}

/** What `onEmail` may return. */
export type DetectorOutput = Alert | readonly Alert[] | null | undefined | void;

/** One run of a detector over one stream; holds whatever state it needs. */
export interface DetectorInstance {
  onEmail(email: EmailRecord): DetectorOutput;
}

export interface DetectorContext {
  /** Seed of this run (random baselines draw from it). */
  seed: number;
  /** Parameters given on the command line (`--detectors random:rate=0.01`), or a manifest's. */
  params: Readonly<Record<string, string>>;
  /** The dataset's truth folder: given to the oracle only, which is marked as an upper bound. */
  truthDir?: string;
}

export type DetectorKind = 'baseline' | 'rule' | 'statistical' | 'oracle' | 'external';

export interface Detector {
  /** Stable id, kebab-case. */
  id: string;
  /** Bump when its alerts change. */
  version: string;
  description: string;
  kind?: DetectorKind;
  /** Reads the truth: an upper bound for comparison, never a contender (built-in oracle only). */
  readsTruth?: boolean;
  /**
   * The parameters it accepts, each with what it means and its default. The harness refuses any
   * other key before the run starts, and checks the values by a trial `create` (built-ins).
   */
  params?: Readonly<Record<string, string>>;
  /**
   * Built-ins only: run in the runner's own process before the sandboxed run, to turn
   * parameters into data the detector needs (e.g. read and check rule files it cannot read itself).
   */
  prepare?(params: Readonly<Record<string, string>>): Record<string, string>;
  /** Built-ins only: the version of this run's detector when it depends on its (prepared) parameters, e.g. a rule set's content hash. */
  versionOf?(prepared: Readonly<Record<string, string>>): string;
  create(ctx: DetectorContext): DetectorInstance;
}

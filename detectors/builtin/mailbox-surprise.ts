/**
 * An online statistical detector: no knowledge of any brand or template, only rates.
 *
 * For each mailbox it keeps how often each sender has written (transactional mail only: bulk
 * mail with List-Unsubscribe is left out, and so are replies within a thread, which follow the
 * mail they answer rather than arrive on their own — conversations are cascades). When a
 * sender's mail in the last 24 h is far more than its history predicts, it is surprising:
 * -log10 P(X >= c) under a Poisson with the mailbox's rate for that sender, scaled by how busy
 * that sender is across all mailboxes today (a sale makes everyone's order confirmations spike).
 * A burst from a sender the mailbox already knows needs twice the surprise of a burst from a
 * sender it has (almost) never heard from: owners go on shopping sprees with shops they use,
 * while a taken-over dormant account suddenly hears from senders that had fallen silent.
 * It alerts when surprise crosses the threshold, once per mailbox per 72 h.
 */
import { arrival, header, isBulk, sender } from '../lib/mail.js';
import type { Detector } from '../types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Surprise (in -log10 p) at which to alert for a sender new to the mailbox, declared here. */
export const THRESHOLD = 9;
/** Factor on the threshold for a sender the mailbox already knows (at least ESTABLISHED mails before). */
export const KNOWN_SENDER_FACTOR = 2;
const ESTABLISHED = 2;
/** Days of history a mailbox needs before its rates mean anything. */
const WARMUP_DAYS = 14;
/** Prior: half a mail per sender over the history, so a new sender is rare but not impossible. */
const PRIOR_COUNT = 0.5;
const QUIET_MS = 72 * HOUR_MS;

/** log10 of P(X >= c) for X ~ Poisson(mu), by summing the upper tail's terms. */
export function log10PoissonTail(c: number, mu: number): number {
  if (c <= 0) return 0;
  // log P(X = c), then add terms c+1, c+2, ... until they no longer matter.
  let logTerm = -mu + c * Math.log(mu) - logFactorial(c);
  let sum = 1;
  let ratio = 1;
  for (let k = c + 1; k < c + 200; k++) {
    ratio *= mu / k;
    sum += ratio;
    if (ratio < 1e-12) break;
  }
  logTerm += Math.log(sum);
  return Math.min(0, logTerm / Math.LN10);
}

const lfCache: number[] = [0];
function logFactorial(n: number): number {
  for (let i = lfCache.length; i <= n; i++) lfCache.push(lfCache[i - 1]! + Math.log(i));
  return lfCache[n]!;
}

interface SenderStats {
  total: number;
  recent: number[];
}

interface MailboxState {
  firstSeen: number;
  senders: Map<string, SenderStats>;
  quietUntil: number;
}

/** Count of a sender's mail across all mailboxes: per-day totals, for "how busy is it today". */
class Population {
  private readonly days = new Map<string, Map<number, number>>();
  private readonly first = new Map<string, number>();
  add(key: string, day: number): void {
    let m = this.days.get(key);
    if (!m) {
      this.days.set(key, (m = new Map()));
      this.first.set(key, day);
    }
    m.set(day, (m.get(day) ?? 0) + 1);
  }
  /** Ratio of today's (so far, incl. yesterday) volume to the sender's average day; >= 1. */
  busyness(key: string, day: number): number {
    const m = this.days.get(key);
    if (!m) return 1;
    const span = Math.max(7, day - this.first.get(key)!);
    let total = 0;
    for (const [d, n] of m) if (d < day - 1) total += n;
    const avg = total / span;
    const recent = ((m.get(day) ?? 0) + (m.get(day - 1) ?? 0)) / 2;
    return avg > 0 ? Math.max(1, recent / avg) : 1;
  }
}

export const mailboxSurprise: Detector = {
  id: 'mailbox-surprise',
  version: '1.1.0',
  description: 'Per-mailbox sender rates: alerts on a transactional sender far above its usual rate (Poisson surprise), adjusted for population-wide spikes.',
  kind: 'statistical',
  create() {
    const boxes = new Map<string, MailboxState>();
    const population = new Population();
    const busyCache = new Map<string, { day: number; value: number }>();
    return {
      onEmail(email) {
        const t = arrival(email);
        let s = boxes.get(email.mailbox);
        if (!s) boxes.set(email.mailbox, (s = { firstSeen: t, senders: new Map(), quietUntil: 0 }));
        if (isBulk(email) || header(email, 'In-Reply-To') !== undefined) return;
        const key = sender(email).address;
        const day = Math.floor(t / DAY_MS);
        population.add(key, day);
        let st = s.senders.get(key);
        const isNew = st === undefined;
        if (!st) s.senders.set(key, (st = { total: 0, recent: [] }));
        st.total++;
        st.recent.push(t);
        while (st.recent.length && t - st.recent[0]! >= DAY_MS) st.recent.shift();

        const historyDays = (t - s.firstSeen) / DAY_MS;
        if (historyDays < WARMUP_DAYS || t < s.quietUntil) return;
        const c = st.recent.length;
        if (c < 3 && !isNew) return;
        // Rate per day from everything before the last 24 h, with a small prior.
        const before = st.total - c;
        const rate = (before + PRIOR_COUNT) / Math.max(WARMUP_DAYS, historyDays - 1);
        let cached = busyCache.get(key);
        if (!cached || cached.day !== day) busyCache.set(key, (cached = { day, value: population.busyness(key, day) }));
        const surprise = -log10PoissonTail(c, rate * cached.value);
        const threshold = before >= ESTABLISHED ? THRESHOLD * KNOWN_SENDER_FACTOR : THRESHOLD;
        if (surprise < threshold) return;
        s.quietUntil = t + QUIET_MS;
        return {
          mailbox: email.mailbox,
          score: Math.min(1, surprise / (2 * THRESHOLD)),
          reason: `${c} mails from ${key} in 24 h; usual ${rate.toFixed(3)}/day x ${cached.value.toFixed(1)} busy (surprise ${surprise.toFixed(1)})`,
          evidence: [email.id],
        };
      },
    };
  },
};

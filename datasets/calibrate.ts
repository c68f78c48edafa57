/**
 * `calibrateDataset`: the calibration report. For every target of docs/calibration.md
 * that a mailbox dataset can show, what the dataset shows and whether it is within an explicit
 * tolerance. Each tolerance is a constant in `TOLERANCE` with the reason for its value.
 *
 * Two stages, so the judgments can be tested on hand-made numbers:
 *   collectCalibrationStats(dir)  streams the dataset once (emails.jsonl and truth/labels.jsonl in
 *                                 lock-step) into plain counts, arrays of gaps and per-incident
 *                                 timelines; memory grows with mailboxes and incidents, not with
 *                                 the size of the mail.
 *   judgeCalibration(stats)       turns those numbers into rows, with the estimators below
 *                                 (gini, topShare, powerLawExponent, powerLawVsExponential,
 *                                 hillTailIndex, maxInWindow).
 *
 * Targets a mailbox dataset cannot show, and so left out: the population hijacking rate and the
 * share of users reporting a takeover (they are about accounts, not about one mailbox's mail),
 * the times from credential capture to first access and the attacker's minutes in the account
 * (no mail arrives then), what attackers change in the *mail* account and sign-in risk learning
 * (the founding scenario takes over the marketplace account, not the mailbox), the SMS challenge
 * figures, "~95 % of machine mail is solicited" (every non-spam sender here is one the owner signed
 * up with, by construction: it cannot be measured from the mail), Enron's mean of ~757 messages
 * per user (a corporate archive over years, not comparable in level; its skew is, see below), and
 * the "4 mails per fraudulent order" of the related seller-account reports (not this scenario).
 */
import { join } from 'node:path';
import { FILES } from './format.js';
import type { EmailRecord, IncidentRecord, LabelRecord } from './format.js';
import { DatasetError, instant, readJsonl, readManifest } from './read.js';

export interface CalibrationRow {
  group: string;
  quantity: string;
  /** The target, where it comes from, and the tolerance applied. */
  target: string;
  measured: string;
  ok: boolean;
  note?: string;
}

/** The founding scenario (docs/founding-incident.md). */
export const FOUNDING_SCENARIO = 'ato-marketplace-dormant-burst';

const HOUR_S = 3600;
const DAY_S = 86400;

// ---------------------------------------------------------------------------------------------
// Tolerances: one constant per row, with the reason for its value.

export const TOLERANCE = {
  /** Victim's report: "10+ orders within one day". Every incident must show it (it is the pattern). */
  ordersIn24h: { min: 10, window: 24 * HOUR_S, share: 1 },
  /** Victim's report: all marketplace, none fulfilled by the platform. Every fraud-order mail. */
  thirdPartyShare: { min: 1 },
  /** Victim's report: over 100,000 JPY. Every incident. */
  totalJpy: { min: 100_000, share: 1 },
  /** Victim's report: ~15 h. One report gives a point, not a spread: accept a median within ±3 h. */
  noticeDelayH: { lo: 12, hi: 18 },
  /** Victim's report: ~13 h after the notice. Median within ±3 h. */
  shippingDelayH: { lo: 10, hi: 16 },
  /** Victim's report: 10+ shipping notices. Every incident. */
  shippedCount: { min: 10, share: 1 },
  /** Victim's report: a reset is possible ~5 h after the notice. Median within ±1 h. */
  resetWindowH: { lo: 4, hi: 6 },
  /**
   * Victim's report: "carriers such as China Post" — foreign sellers ship by their own national
   * post or an international courier. At least 90 % of the shipped-anyway notices by a foreign
   * carrier (China, Korea or Singapore post, UPS); China Post must be among them.
   */
  foreignCarrierShare: { min: 0.9 },
  /** Victim's report (and the scenario's premise): every takeover victim's account was dormant. */
  dormantVictims: { min: 1 },
  /** Victim's report: a stale saved address. Every takeover victim. */
  staleAddressVictims: { min: 1 },
  /** Ailon et al., WSDM 2013: "> 60 %". A lower bound, so anything above passes. */
  machineShare: { min: 0.6 },
  /** Gamzu et al., WSDM 2018: "> 90 %" of non-spam. A lower bound. */
  machineShareNonSpam: { min: 0.9 },
  /**
   * Grbovic et al., CIKM 2014: 6 latent classes (human, shopping, finance, travel, social, career)
   * cover ~70 %. We have no travel or career mail, so the 4 we have must still cover a large part
   * of non-spam: 55..85 % around the ~70 % (newsletters and security notices are the rest).
   */
  grbovicClasses: { lo: 0.55, hi: 0.85 },
  /**
   * Enron: 517,401 messages for 150 users, per-user volumes spanning orders of magnitude. We
   * require both a Gini of emails per mailbox >= 0.3 and the top 10 % of mailboxes receiving
   * >= 25 % of the mail (2.5x their fair share). Equal Poisson rates give a Gini near 0.05 and a
   * top decile near 12 %, so these need real skew (lognormal activity does it) without asking a
   * consumer mailbox population to be as extreme as a corporate archive.
   */
  perMailboxSkew: { gini: 0.3, topFraction: 0.1, topShare: 0.25 },
  /**
   * Barabási, Nature 2005: inter-event times P(t) ~ t^-alpha, alpha ~ 1, where P is a *density*.
   * On the gaps between consecutive mails of a mailbox, pooled over mailboxes, from 1 h (below
   * it the cascades dominate: replies, order then payment) to the window length (no gap can be
   * longer). Two conditions:
   * - alpha, the maximum-likelihood exponent of a power-law density bounded to that range
   *   (Clauset, Shalizi & Newman 2009, with the upper bound), within 0.6..1.6 (email studies
   *   report ~0.8..1.5 depending on the user and the fitting range);
   * - the tail is heavy at all: a power law fits the same gaps at least as well as an exponential
   *   (Vuong's normalised log-likelihood ratio z > -1.96, i.e. the exponential is not
   *   significantly better). Without this the row could not fail: on a bounded range the MLE
   *   returns some alpha for any data, e.g. 1.39 for exponential gaps with a 12 h mean on
   *   [1 h, 91 d], squarely inside the band.
   * Judged twice: on all mail (what the brief asks: the mailbox's arrivals) and on personal mail
   * (the human activity Barabási measured).
   */
  interArrival: { lo: 0.6, hi: 1.6, cutoffS: HOUR_S, minZ: -1.96 },
  /**
   * Malmgren et al., PNAS 2008: circadian cycle. Less mail in the owner's night (00-06) than in
   * the evening (18-24), and the busiest hour in the waking day (07:00-22:59).
   */
  diurnal: { peakFrom: 7, peakTo: 22 },
  /**
   * Malmgren et al., PNAS 2008: weekly cycle. Personal mail per weekend day at most 0.9x the rate
   * per weekday (a 10 % dip: clear of noise on the default dataset; people write less on weekends).
   */
  weeklyPersonal: { maxRatio: 0.9 },
  /**
   * TREC 2007: 67 % spam at a server before filtering; SpamAssassin: 31 % in a hand-collected
   * corpus. Our mailbox is *after* the provider's filter (it shows what reaches the inbox), so it
   * may fall below both: accept 10..70 %. Below 10 % the spam look-alikes become too rare to
   * matter; above 70 % is more than an unfiltered server.
   */
  spamShare: { lo: 0.1, hi: 0.7 },
  /**
   * No figure in calibration.md. Phishing is a small minority of unsolicited mail: present
   * (> 0, detectors must face it) and at most 2 % of all mail ("dense needles" warning).
   */
  phishingShare: { lo: 0, hi: 0.02 },
} as const;

// ---------------------------------------------------------------------------------------------
// Estimators (pure; unit-tested on synthetic data with known answers).

/** Gini coefficient of non-negative counts: 0 when all are equal, (n-1)/n when one holds all. */
export function gini(counts: readonly number[]): number {
  const n = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  if (n === 0 || total === 0) return 0;
  const s = [...counts].sort((a, b) => a - b);
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * s[i]!;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/** Share of the total held by the largest ceil(fraction * n) counts. */
export function topShare(counts: readonly number[], fraction: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  if (counts.length === 0 || total === 0) return 0;
  const k = Math.max(1, Math.ceil(fraction * counts.length));
  const s = [...counts].sort((a, b) => b - a);
  let top = 0;
  for (let i = 0; i < k; i++) top += s[i]!;
  return top / total;
}

/**
 * Hill estimator of the Pareto tail index: for the x >= xmin, n / sum(ln(x / xmin)). Pareto
 * samples with survival (xmin/x)^a give about a. The density then falls as x^-(a+1).
 */
export function hillTailIndex(xs: readonly number[], xmin: number): { index: number; n: number } {
  let n = 0;
  let s = 0;
  for (const x of xs)
    if (x >= xmin) {
      n++;
      s += Math.log(x / xmin);
    }
  return { index: n > 0 && s > 0 ? n / s : NaN, n };
}

/** 1/t - 1/(e^t - 1): the mean of a truncated exponential on [0, 1] with rate t, decreasing from 1 to 0. */
function truncatedMean(t: number): number {
  if (Math.abs(t) < 1e-4) return 0.5 - t / 12;
  return 1 / t - 1 / Math.expm1(t);
}

/**
 * Maximum-likelihood exponent alpha of a power-law density p(x) ~ x^-alpha truncated to
 * [xmin, xmax], from the xs inside that range. Unlike the untruncated estimator (1 + Hill), it can
 * return alpha <= 1, which a bounded range allows. In u = ln x the density is a truncated
 * exponential with rate alpha - 1; the MLE matches its mean to the mean of ln x (the likelihood
 * is concave), solved by bisection.
 */
export function powerLawExponent(xs: readonly number[], xmin: number, xmax: number): { alpha: number; n: number } {
  const a = Math.log(xmin);
  const len = Math.log(xmax) - a;
  let n = 0;
  let s = 0;
  for (const x of xs)
    if (x >= xmin && x <= xmax) {
      n++;
      s += Math.log(x);
    }
  if (n < 2 || !(len > 0)) return { alpha: NaN, n };
  const target = (s / n - a) / len; // in (0, 1)
  if (target <= 0 || target >= 1) return { alpha: target <= 0 ? Infinity : -Infinity, n };
  let lo = -2000;
  let hi = 2000;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (truncatedMean(mid) > target) lo = mid;
    else hi = mid;
  }
  return { alpha: 1 + (lo + hi) / 2 / len, n };
}

/**
 * Is a power law a better model of the xs in [xmin, xmax] than an exponential? Fits both by
 * maximum likelihood (the bounded power law of `powerLawExponent`; an exponential shifted to
 * start at xmin, rate 1 / (mean - xmin)) and returns Vuong's statistic: the log-likelihood ratio
 * R (power law minus exponential) over its standard error, z = R / (sd of the per-point
 * differences * sqrt n). z > 0 favours the power law, z < 0 the exponential; |z| > 1.96 is
 * significant at 5 % (Clauset, Shalizi & Newman 2009, section 5).
 */
export function powerLawVsExponential(xs: readonly number[], xmin: number, xmax: number): { alpha: number; z: number; n: number } {
  const { alpha, n } = powerLawExponent(xs, xmin, xmax);
  if (n < 2 || !Number.isFinite(alpha)) return { alpha, z: NaN, n };
  const ys = xs.filter((x) => x >= xmin && x <= xmax);
  const mean = ys.reduce((a, b) => a + b, 0) / n;
  const lambda = 1 / Math.max(mean - xmin, Number.MIN_VALUE);
  // log of the normalising constant of x^-alpha on [xmin, xmax]
  const logZ = Math.abs(alpha - 1) < 1e-9 ? Math.log(Math.log(xmax / xmin)) : Math.log((Math.pow(xmin, 1 - alpha) - Math.pow(xmax, 1 - alpha)) / (alpha - 1));
  let sumD = 0;
  let sumD2 = 0;
  for (const y of ys) {
    const d = -logZ - alpha * Math.log(y) - (Math.log(lambda) - lambda * (y - xmin));
    sumD += d;
    sumD2 += d * d;
  }
  const meanD = sumD / n;
  const sd = Math.sqrt(Math.max(0, sumD2 / n - meanD * meanD));
  return { alpha, z: sd > 0 ? sumD / (sd * Math.sqrt(n)) : NaN, n };
}

/** The most events (sorted instants) within any window of `width`, ends included. */
export function maxInWindow(sorted: readonly number[], width: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! > width) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

const inRange = (x: number, lo: number, hi: number): boolean => x >= lo && x <= hi;

// ---------------------------------------------------------------------------------------------
// Mail text: what the founding pattern's mails say.

/** Names the marketplace prints for items it sells itself ("販売: ハナマート" / "Sold by: Hanamart"). */
const PLATFORM_SELLER = /販売:\s*ハナマート|Sold by:\s*Hanamart\b/;
const THIRD_PARTY_SELLER = /出品者:|Sold by:\s*(?!Hanamart\b)\S/;

/** An order confirmation naming third-party sellers only ("出品者:" / "Sold by: X", never the platform). */
export function isThirdPartyOrder(text: string): boolean {
  return THIRD_PARTY_SELLER.test(text) && !PLATFORM_SELLER.test(text);
}

/** The carrier a shipping notice names ("Carrier: X" / "配送業者: X", or the redesign's "Shipped with: X" / "配送会社: X"), or null. */
export function carrierOf(text: string): string | null {
  const m = /^(?:Carrier|Shipped with|配送業者|配送会社):\s*(.+?)\s*$/m.exec(text);
  return m ? m[1]! : null;
}

/** Foreign national posts, as the notices name them in English and Japanese. */
export const FOREIGN_POSTS: readonly string[] = ['China Post', '中国郵政', 'Korea Post', '韓国郵政', 'Singapore Post', 'シンガポールポスト'];
/** Foreign carriers: the posts above and the international courier foreign sellers also use. */
export const FOREIGN_CARRIERS: readonly string[] = [...FOREIGN_POSTS, 'UPS'];
export const CHINA_POST: readonly string[] = ['China Post', '中国郵政'];

// ---------------------------------------------------------------------------------------------
// Stats: what the dataset shows, as plain numbers.

export interface FoundingIncidentStats {
  id: string;
  /** Fraud-order mails: arrival (epoch s) and whether the mail names third-party sellers only. */
  orders: Array<{ t: number; thirdParty: boolean }>;
  /** Platform-notice arrivals. */
  notices: number[];
  /** Shipped-anyway notices: arrival and the carrier named. */
  shipped: Array<{ t: number; carrier: string | null }>;
  /** Params drawn for the incident ('orders.totalJpy', 'resetWindow'), null when absent. */
  totalJpy: number | null;
  resetWindowH: number | null;
}

export interface CalibrationStats {
  emails: number;
  /** Emails per label. */
  labels: Record<string, number>;
  /** Emails per truth category, all mail. */
  categories: Record<string, number>;
  /** Emails per truth category, non-spam only (label neither spam nor phishing). */
  nonSpamCategories: Record<string, number>;
  /** Emails per mailbox, every mailbox of truth/mailboxes.jsonl (0 for a silent one). */
  perMailbox: number[];
  /** Gaps (s) between consecutive mails of a mailbox, pooled, only those >= TOLERANCE.interArrival.cutoffS. */
  gaps: number[];
  /** The same for personal mail alone: gaps between consecutive personal mails of a mailbox. */
  personalGaps: number[];
  /** Length of the window (s): the upper bound of a gap. */
  windowSeconds: number;
  /** Emails by hour of arrival in the owner's zone (24). */
  hours: number[];
  /** Personal mail (category 'personal') by day of week in the owner's zone, Sunday first (7). */
  personalByWeekday: number[];
  /** Days of each weekday in the window, Sunday first (7). */
  daysByWeekday: number[];
  founding: FoundingIncidentStats[];
  /** Victims of the founding scenario's takeovers, from truth/mailboxes.jsonl. */
  victims: Array<{ dormant: boolean; staleAddress: boolean; weakPassword: boolean; twoFactor: boolean }>;
  /** Every mailbox with a marketplace account, for comparison with the victims. */
  population: { accounts: number; weakPassword: number; twoFactor: number };
  /** Incidents per kind, and how many start before the end of the warm-up. */
  warmup: { days: number; byKind: Record<string, { total: number; before: number }> };
}

interface MailboxTruth {
  mailbox: string;
  marketplace: { dormant: boolean; staleAddress: boolean; password: string; twoFactor: boolean } | null;
}

type EmailFields = Pick<EmailRecord, 'id' | 'mailbox' | 'receivedAt' | 'text'>;

/** Lines of emails.jsonl and truth/labels.jsonl together (they are in the same order). */
async function* emailsWithLabels(dir: string): AsyncGenerator<{ email: EmailFields; label: LabelRecord; line: number }> {
  const emails = readJsonl<EmailFields>(join(dir, FILES.emails));
  const labels = readJsonl<LabelRecord>(join(dir, FILES.labels));
  for (;;) {
    const [e, l] = await Promise.all([emails.next(), labels.next()]);
    if (e.done || l.done) {
      if (!e.done || !l.done)
        throw new DatasetError(`${join(dir, e.done ? FILES.labels : FILES.emails)}: more lines than ${e.done ? FILES.emails : FILES.labels}`);
      return;
    }
    if (e.value.value.id !== l.value.value.emailId)
      throw new DatasetError(
        `${join(dir, FILES.labels)}:${l.value.line}: label of ${l.value.value.emailId}, but line ${e.value.line} of emails.jsonl is ${e.value.value.id}`,
      );
    yield { email: e.value.value, label: l.value.value, line: e.value.line };
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Stream a dataset once into the numbers the calibration judges. */
export async function collectCalibrationStats(dir: string): Promise<CalibrationStats> {
  const manifest = readManifest(dir);
  const config = (manifest.config ?? {}) as { warmupDays?: number };
  const windowStart = instant(manifest.window.start);
  const warmupDays = config.warmupDays ?? 0;
  const warmupEnd = windowStart + warmupDays * DAY_S;

  const mailboxes: MailboxTruth[] = [];
  for await (const { value } of readJsonl<MailboxTruth>(join(dir, FILES.mailboxes))) mailboxes.push(value);

  const founding = new Map<string, FoundingIncidentStats>();
  const victimIds = new Set<string>();
  const warmup: CalibrationStats['warmup'] = { days: warmupDays, byKind: {} };
  for await (const { value: inc } of readJsonl<IncidentRecord>(join(dir, FILES.incidents))) {
    const w = (warmup.byKind[inc.kind] ??= { total: 0, before: 0 });
    w.total++;
    if (instant(inc.onset) < warmupEnd) w.before++;
    if (inc.scenario === FOUNDING_SCENARIO) victimIds.add(inc.mailbox);
    if (inc.scenario === FOUNDING_SCENARIO)
      founding.set(inc.id, {
        id: inc.id,
        orders: [],
        notices: [],
        shipped: [],
        totalJpy: num(inc.params['orders.totalJpy']),
        resetWindowH: num(inc.params['resetWindow']),
      });
  }

  const labels: Record<string, number> = {};
  const categories: Record<string, number> = {};
  const nonSpamCategories: Record<string, number> = {};
  const perMailbox = new Map<string, number>(mailboxes.map((m) => [m.mailbox, 0]));
  const last = new Map<string, number>();
  const gaps: number[] = [];
  const lastPersonal = new Map<string, number>();
  const personalGaps: number[] = [];
  const hours = new Array<number>(24).fill(0);
  const personalByWeekday = new Array<number>(7).fill(0);
  const cutoff = TOLERANCE.interArrival.cutoffS;
  let emails = 0;

  for await (const { email, label } of emailsWithLabels(dir)) {
    emails++;
    const t = instant(email.receivedAt);
    labels[label.label] = (labels[label.label] ?? 0) + 1;
    categories[label.category] = (categories[label.category] ?? 0) + 1;
    if (label.label !== 'spam' && label.label !== 'phishing') nonSpamCategories[label.category] = (nonSpamCategories[label.category] ?? 0) + 1;
    perMailbox.set(email.mailbox, (perMailbox.get(email.mailbox) ?? 0) + 1);
    const prev = last.get(email.mailbox);
    if (prev !== undefined && t - prev >= cutoff) gaps.push(t - prev);
    last.set(email.mailbox, t);
    // receivedAt is in the owner's zone: its wall-clock fields are the owner's local time.
    hours[Number(email.receivedAt.slice(11, 13))]!++;
    if (label.category === 'personal') {
      personalByWeekday[weekdayOf(email.receivedAt.slice(0, 10))]!++;
      const p = lastPersonal.get(email.mailbox);
      if (p !== undefined && t - p >= cutoff) personalGaps.push(t - p);
      lastPersonal.set(email.mailbox, t);
    }
    const inc = label.incident !== undefined ? founding.get(label.incident) : undefined;
    if (inc) {
      if (label.role === 'fraud-order') inc.orders.push({ t, thirdParty: isThirdPartyOrder(email.text) });
      else if (label.role === 'platform-notice') inc.notices.push(t);
      else if (label.role === 'shipped-anyway') inc.shipped.push({ t, carrier: carrierOf(email.text) });
    }
  }

  const daysByWeekday = new Array<number>(7).fill(0);
  for (let d = 0; d < manifest.window.days; d++) daysByWeekday[new Date((windowStart + d * DAY_S) * 1000).getUTCDay()]!++;

  const accounts = mailboxes.filter((m) => m.marketplace !== null);
  const weak = (m: MailboxTruth): boolean => m.marketplace !== null && m.marketplace.password !== 'strong';
  return {
    emails,
    labels,
    categories,
    nonSpamCategories,
    perMailbox: [...perMailbox.values()],
    gaps,
    personalGaps,
    windowSeconds: manifest.window.days * DAY_S,
    hours,
    personalByWeekday,
    daysByWeekday,
    founding: [...founding.values()],
    victims: mailboxes
      .filter((m) => victimIds.has(m.mailbox))
      .map((m) => ({
        dormant: m.marketplace?.dormant === true,
        staleAddress: m.marketplace?.staleAddress === true,
        weakPassword: weak(m),
        twoFactor: m.marketplace?.twoFactor === true,
      })),
    population: { accounts: accounts.length, weakPassword: accounts.filter(weak).length, twoFactor: accounts.filter((m) => m.marketplace!.twoFactor).length },
    warmup,
  };
}

/** Day of week (0 = Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
  return new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)))).getUTCDay();
}

// ---------------------------------------------------------------------------------------------
// Judging.

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');
/** 12345 -> '12,345' (no Intl: the same text everywhere). */
const thousands = (x: number): string => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const share = (part: number, whole: number): number => (whole > 0 ? part / whole : NaN);
const sum = (r: Record<string, number>, keys?: readonly string[]): number => (keys ?? Object.keys(r)).reduce((a, k) => a + (r[k] ?? 0), 0);

/** "median 14.9 h (IQR 13.1-16.8, n 60)". */
function spread(xs: readonly number[], unit: string): string {
  if (xs.length === 0) return 'none';
  return `median ${f1(median(xs))} ${unit} (IQR ${f1(quantile(xs, 0.25))}-${f1(quantile(xs, 0.75))}, n ${xs.length})`;
}

/** A quantity drawn from a distribution should vary across incidents (calibration.md: never constants). */
const varies = (xs: readonly number[]): boolean => xs.length < 3 || quantile(xs, 0.75) > quantile(xs, 0.25);

/** The rows, from the stats. Pure: tests feed it hand-made stats. */
export function judgeCalibration(s: CalibrationStats): CalibrationRow[] {
  const rows: CalibrationRow[] = [];
  const T = TOLERANCE;

  // --- the founding incident -------------------------------------------------------------------
  const G = 'founding incident';
  const inc = s.founding;
  const n = inc.length;
  const none = n === 0 ? `no incidents of ${FOUNDING_SCENARIO}` : null;
  const report = "victim's report";
  {
    const most = inc.map((i) =>
      maxInWindow(
        i.orders.map((o) => o.t).sort((a, b) => a - b),
        T.ordersIn24h.window,
      ),
    );
    const good = most.filter((m) => m >= T.ordersIn24h.min).length;
    rows.push({
      group: G,
      quantity: 'fraudulent orders within one day',
      target: `10+ within one day (${report}); accept: every incident has >= ${T.ordersIn24h.min} fraud-order mails within 24 h`,
      measured:
        none ?? `${good} of ${n} incidents (${pct(share(good, n))}); most in 24 h: min ${Math.min(...most)}, median ${median(most)}, max ${Math.max(...most)}`,
      ok: n > 0 && share(good, n) >= T.ordersIn24h.share,
    });
  }
  {
    const orders = inc.flatMap((i) => i.orders);
    const third = orders.filter((o) => o.thirdParty).length;
    rows.push({
      group: G,
      quantity: 'marketplace (third-party) share of those orders',
      target: `100 %, none fulfilled by the platform (${report}); accept: every fraud-order mail names only third-party sellers ("出品者:" / "Sold by:", not the platform)`,
      measured: none ?? `${third} of ${orders.length} fraud-order mails (${pct(share(third, orders.length))})`,
      ok: orders.length > 0 && share(third, orders.length) >= T.thirdPartyShare.min,
    });
  }
  {
    const totals = inc.map((i) => i.totalJpy).filter((x): x is number => x !== null);
    const over = totals.filter((x) => x > T.totalJpy.min).length;
    rows.push({
      group: G,
      quantity: 'total of the burst',
      target: `> 100,000 JPY (${report}); accept: every incident's 'orders.totalJpy' > ${thousands(T.totalJpy.min)}`,
      measured:
        none ??
        `${over} of ${n} incidents (${pct(share(over, n))}); median ${thousands(Math.round(median(totals)))} JPY, min ${thousands(Math.round(Math.min(...totals)))}`,
      ok: n > 0 && totals.length === n && share(over, n) >= T.totalJpy.share,
      note: totals.length < n ? `${n - totals.length} incidents lack the 'orders.totalJpy' param` : undefined,
    });
  }
  {
    const delays = inc.flatMap((i) => (i.orders.length && i.notices.length ? [(Math.min(...i.notices) - Math.min(...i.orders.map((o) => o.t))) / HOUR_S] : []));
    const m = median(delays);
    rows.push({
      group: G,
      quantity: 'platform security notice after the first order',
      target: `~15 h (${report}); accept: median ${T.noticeDelayH.lo}..${T.noticeDelayH.hi} h, varying across incidents`,
      measured: none ?? spread(delays, 'h'),
      ok: delays.length > 0 && inRange(m, T.noticeDelayH.lo, T.noticeDelayH.hi) && varies(delays),
      note: delays.length < n ? `${n - delays.length} incidents have no fraud-order or no platform-notice mail` : undefined,
    });
  }
  {
    const delays = inc.flatMap((i) =>
      i.notices.length && i.shipped.length ? [(Math.min(...i.shipped.map((x) => x.t)) - Math.min(...i.notices)) / HOUR_S] : [],
    );
    rows.push({
      group: G,
      quantity: 'shipping notices after the platform notice',
      target: `~13 h (${report}); accept: median ${T.shippingDelayH.lo}..${T.shippingDelayH.hi} h from the notice to the first shipped-anyway mail, varying`,
      measured: none ?? spread(delays, 'h'),
      ok: delays.length > 0 && inRange(median(delays), T.shippingDelayH.lo, T.shippingDelayH.hi) && varies(delays),
    });
  }
  {
    const counts = inc.map((i) => i.shipped.length);
    const good = counts.filter((c) => c >= T.shippedCount.min).length;
    rows.push({
      group: G,
      quantity: 'shipping notices sent anyway',
      target: `10+ (${report}); accept: every incident has >= ${T.shippedCount.min} shipped-anyway mails`,
      measured: none ?? `${good} of ${n} incidents (${pct(share(good, n))}); min ${Math.min(...counts)}, median ${median(counts)}, max ${Math.max(...counts)}`,
      ok: n > 0 && share(good, n) >= T.shippedCount.share,
    });
  }
  {
    const shipped = inc.flatMap((i) => i.shipped);
    const foreign = shipped.filter((x) => x.carrier !== null && FOREIGN_CARRIERS.includes(x.carrier)).length;
    const china = shipped.filter((x) => x.carrier !== null && CHINA_POST.includes(x.carrier)).length;
    const others = [...new Set(shipped.map((x) => x.carrier ?? '(none)').filter((c) => !FOREIGN_CARRIERS.includes(c)))];
    rows.push({
      group: G,
      quantity: 'carriers of the shipping notices',
      target: `foreign carriers such as China Post (${report}); accept: >= ${pct(T.foreignCarrierShare.min)} of shipped-anyway mails by a foreign carrier, China Post among them`,
      measured:
        none ??
        `${foreign} of ${shipped.length} by a foreign carrier (${pct(share(foreign, shipped.length))}); China Post ${china} (${pct(share(china, shipped.length))})` +
          (others.length ? `; others: ${others.join(', ')}` : ''),
      ok: shipped.length > 0 && share(foreign, shipped.length) >= T.foreignCarrierShare.min && china > 0,
    });
  }
  {
    const windows = inc.map((i) => i.resetWindowH).filter((x): x is number => x !== null);
    rows.push({
      group: G,
      quantity: 'password reset possible after the notice',
      target: `~5 h (${report}); accept: median 'resetWindow' ${T.resetWindowH.lo}..${T.resetWindowH.hi} h, varying`,
      measured: none ?? spread(windows, 'h'),
      ok: windows.length > 0 && inRange(median(windows), T.resetWindowH.lo, T.resetWindowH.hi) && varies(windows),
    });
  }

  // --- takeover victims ----------------------------------------------------------------------
  const V = `takeover victims (${FOUNDING_SCENARIO})`;
  const v = s.victims;
  const noVictims = v.length === 0 ? `no incidents of ${FOUNDING_SCENARIO}` : null;
  {
    const dormant = v.filter((x) => x.dormant).length;
    rows.push({
      group: V,
      quantity: 'dormant accounts among takeover victims',
      target: `100 %: "dormant for a long time" (${report}); accept: every victim (truth/mailboxes.jsonl)`,
      measured: noVictims ?? `${dormant} of ${v.length} (${pct(share(dormant, v.length))})`,
      ok: v.length > 0 && share(dormant, v.length) >= T.dormantVictims.min,
    });
  }
  {
    const stale = v.filter((x) => x.staleAddress).length;
    rows.push({
      group: V,
      quantity: 'stale saved address among takeover victims',
      target: `ship-to address stale (${report}); accept: every victim has a stale saved address`,
      measured: noVictims ?? `${stale} of ${v.length} (${pct(share(stale, v.length))})`,
      ok: v.length > 0 && share(stale, v.length) >= T.staleAddressVictims.min,
    });
  }
  {
    const vw = share(v.filter((x) => x.weakPassword).length, v.length);
    const v2 = share(v.filter((x) => !x.twoFactor).length, v.length);
    const pw = share(s.population.weakPassword, s.population.accounts);
    const p2 = share(s.population.accounts - s.population.twoFactor, s.population.accounts);
    rows.push({
      group: V,
      quantity: 'weak credentials among takeover victims',
      target: `numeric password, no 2FA (${report}); accept: weak/numeric passwords and no-2FA both more common among victims than among all account holders`,
      measured: noVictims ?? `weak or numeric password ${pct(vw)} (all accounts ${pct(pw)}); no 2FA ${pct(v2)} (all accounts ${pct(p2)})`,
      ok: v.length > 0 && vw > pw && v2 > p2,
    });
  }

  // --- mailbox traffic -----------------------------------------------------------------------
  const M = 'mailbox traffic';
  const all = s.emails;
  {
    const human = s.categories['personal'] ?? 0;
    const x = share(all - human, all);
    rows.push({
      group: M,
      quantity: 'machine-generated share of all mail',
      target: `> 60 % (Ailon et al., WSDM 2013); accept: > ${pct(T.machineShare.min)}`,
      measured: `${pct(x)} (${thousands(all - human)} of ${thousands(all)})`,
      ok: x > T.machineShare.min,
      note: "human = truth category 'personal'; everything else (lists, shops, banks, social, spam, phishing) is machine-generated",
    });
  }
  {
    const nonSpam = sum(s.nonSpamCategories);
    const human = s.nonSpamCategories['personal'] ?? 0;
    const x = share(nonSpam - human, nonSpam);
    rows.push({
      group: M,
      quantity: 'machine-generated share of non-spam',
      target: `> 90 % (Gamzu et al., WSDM 2018); accept: > ${pct(T.machineShareNonSpam.min)}`,
      measured: `${pct(x)} (${thousands(nonSpam - human)} of ${thousands(nonSpam)} not labeled spam or phishing)`,
      ok: x > T.machineShareNonSpam.min,
    });
  }
  {
    const classes: Array<[string, string[]]> = [
      ['human', ['personal']],
      ['shopping', ['shopping', 'shipping', 'promotion']],
      ['finance', ['finance']],
      ['social', ['social']],
      ['travel', ['travel']],
      ['career', ['career']],
    ];
    const nonSpam = sum(s.nonSpamCategories);
    const parts = classes.map(([name, cats]) => [name, share(sum(s.nonSpamCategories, cats), nonSpam)] as const);
    const covered = parts.reduce((a, [, x]) => a + (Number.isFinite(x) ? x : 0), 0);
    rows.push({
      group: M,
      quantity: 'main categories of non-spam mail',
      target: `human, shopping, finance, travel, social, career cover ~70 % (Grbovic et al., CIKM 2014); accept: ${pct(T.grbovicClasses.lo)}..${pct(T.grbovicClasses.hi)}`,
      measured: `${pct(covered)}: ${parts.map(([name, x]) => `${name} ${pct(x)}`).join(', ')}`,
      ok: inRange(covered, T.grbovicClasses.lo, T.grbovicClasses.hi),
      note: 'shopping = categories shopping, shipping and promotion; no travel or career mail is generated',
    });
  }
  {
    const g = gini(s.perMailbox);
    const top = topShare(s.perMailbox, T.perMailboxSkew.topFraction);
    const sorted = [...s.perMailbox].sort((a, b) => a - b);
    rows.push({
      group: M,
      quantity: 'per-mailbox volume',
      target: `very skewed (Enron: 517,401 messages for 150 users); accept: Gini >= ${T.perMailboxSkew.gini} and top ${pct(T.perMailboxSkew.topFraction)} of mailboxes get >= ${pct(T.perMailboxSkew.topShare)}`,
      measured: `Gini ${g.toFixed(3)}, top 10 % get ${pct(top)}; per mailbox min ${sorted[0] ?? 0}, median ${median(sorted)}, max ${sorted[sorted.length - 1] ?? 0}`,
      ok: g >= T.perMailboxSkew.gini && top >= T.perMailboxSkew.topShare,
    });
  }
  for (const [what, gaps] of [
    ['all mail', s.gaps],
    ['personal mail', s.personalGaps],
  ] as const) {
    const A = T.interArrival;
    const { alpha, z, n: ng } = powerLawVsExponential(gaps, A.cutoffS, s.windowSeconds);
    const hill = hillTailIndex(gaps, A.cutoffS).index;
    const over = (d: number): string => pct(share(gaps.filter((g) => g >= d).length, ng));
    rows.push({
      group: M,
      quantity: `inter-arrival times of ${what}`,
      target: `heavy tailed, P(t) ~ t^-alpha, alpha ~ 1 (Barabasi, Nature 2005); accept: alpha ${A.lo}..${A.hi} and a power law not worse than an exponential (z > ${A.minZ})`,
      measured:
        `alpha ${f2(alpha)}, power law vs exponential z = ${f1(z)} (${thousands(ng)} gaps >= 1 h, pooled over mailboxes); ` +
        `of those, ${over(DAY_S)} >= 1 d, ${over(7 * DAY_S)} >= 7 d`,
      ok: inRange(alpha, A.lo, A.hi) && z > A.minZ,
      note: `alpha: MLE of a power-law density on [1 h, ${s.windowSeconds / DAY_S} d]; z: Vuong's normalised log-likelihood ratio, < 0 favours the exponential; Hill tail index of the survival ${f2(hill)}`,
    });
  }
  {
    const total = s.hours.reduce((a, b) => a + b, 0);
    const night = share(
      s.hours.slice(0, 6).reduce((a, b) => a + b, 0),
      total,
    );
    const evening = share(
      s.hours.slice(18, 24).reduce((a, b) => a + b, 0),
      total,
    );
    const peak = s.hours.indexOf(Math.max(...s.hours));
    const D = T.diurnal;
    rows.push({
      group: M,
      quantity: 'daily cycle',
      target: `circadian cycle (Malmgren et al., PNAS 2008); accept: share at 00-06 < share at 18-24 (owner's zone), busiest hour ${D.peakFrom}:00-${D.peakTo}:59`,
      measured: `00-06 ${pct(night)}, 18-24 ${pct(evening)}, busiest hour ${peak}:00 (${pct(share(s.hours[peak] ?? 0, total))})`,
      ok: total > 0 && night < evening && peak >= D.peakFrom && peak <= D.peakTo,
    });
  }
  {
    const wk = (days: number[]): [number, number] => [
      days.reduce((a, d) => a + (s.personalByWeekday[d] ?? 0), 0),
      days.reduce((a, d) => a + (s.daysByWeekday[d] ?? 0), 0),
    ];
    const [we, weDays] = wk([0, 6]);
    const [wd, wdDays] = wk([1, 2, 3, 4, 5]);
    const ratio = share(share(we, weDays), share(wd, wdDays));
    rows.push({
      group: M,
      quantity: 'weekly cycle of personal mail',
      target: `weekly cycle (Malmgren et al., PNAS 2008); accept: personal mail per weekend day <= ${T.weeklyPersonal.maxRatio}x per weekday`,
      measured: `${f1(share(we, weDays))} per weekend day vs ${f1(share(wd, wdDays))} per weekday: ratio ${f2(ratio)}`,
      ok: Number.isFinite(ratio) && ratio <= T.weeklyPersonal.maxRatio,
    });
  }
  {
    const spam = s.labels['spam'] ?? 0;
    const phish = s.labels['phishing'] ?? 0;
    const x = share(spam + phish, all);
    rows.push({
      group: M,
      quantity: 'spam share of all mail',
      target: `between ~31 % (SpamAssassin, hand-collected) and ~67 % (TREC 2007, before filtering); accept: ${pct(T.spamShare.lo)}..${pct(T.spamShare.hi)}`,
      measured: `${pct(x)} (spam ${pct(share(spam, all))}, phishing ${pct(share(phish, all))})`,
      ok: inRange(x, T.spamShare.lo, T.spamShare.hi),
      note: "we model a mailbox after the provider's filter, so below both corpora is expected; phishing counts as spam here, as in TREC",
    });
  }
  {
    const phish = s.labels['phishing'] ?? 0;
    const x = share(phish, all);
    rows.push({
      group: M,
      quantity: 'phishing share of all mail',
      target: `no figure in calibration.md; ours: a small minority, > ${pct(T.phishingShare.lo)} and <= ${pct(T.phishingShare.hi)} of all mail`,
      measured: `${pct(x)} (${thousands(phish)} mails; ${pct(share(phish, phish + (s.labels['spam'] ?? 0)))} of unsolicited mail)`,
      ok: x > T.phishingShare.lo && x <= T.phishingShare.hi,
      note: 'campaign counts are config parameters; the band only catches a dataset where phishing stops being rare or is missing',
    });
  }

  // --- dataset hygiene -----------------------------------------------------------------------
  {
    const w = s.warmup;
    const kinds = Object.keys(w.byKind).sort();
    const bad = ['ato', 'lookalike'].reduce((a, k) => a + (w.byKind[k]?.before ?? 0), 0);
    rows.push({
      group: 'warm-up',
      quantity: 'incidents starting in the warm-up',
      target: `every mailbox has history before any incident (calibration.md, "no warm-up"); accept: no takeover or look-alike starts in the first ${w.days} days`,
      measured: kinds.length ? kinds.map((k) => `${k} ${w.byKind[k]!.before} of ${w.byKind[k]!.total}`).join(', ') : 'no incidents',
      ok: bad === 0,
      note:
        (w.byKind['phishing']?.before ?? 0) > 0 ? 'phishing campaigns start anywhere in the window (only takeovers and look-alikes are held back)' : undefined,
    });
  }
  return rows;
}

/** The calibration report of a dataset directory. */
export async function calibrateDataset(dir: string): Promise<CalibrationRow[]> {
  return judgeCalibration(await collectCalibrationStats(dir));
}

/** A plain-text report: one block per row, grouped, then a summary line. */
export function formatCalibration(rows: readonly CalibrationRow[]): string {
  const out: string[] = ['calibration against docs/calibration.md (OK: within the stated tolerance)'];
  let group = '';
  for (const r of rows) {
    if (r.group !== group) {
      group = r.group;
      out.push('', group);
    }
    out.push(`  ${r.ok ? 'OK ' : 'OFF'}  ${r.quantity}`);
    out.push(`       target    ${r.target}`);
    out.push(`       measured  ${r.measured}`);
    if (r.note) out.push(`       note      ${r.note}`);
  }
  const off = rows.filter((r) => !r.ok);
  out.push('', `${rows.length - off.length} of ${rows.length} rows OK` + (off.length ? `; OFF: ${off.map((r) => r.quantity).join('; ')}` : ''));
  return out.join('\n');
}

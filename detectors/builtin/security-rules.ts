/**
 * Rules on account notices, as a practitioner would write them from the takeover patterns of
 * shared docs calibration.md: sequences of notices that owners rarely cause together.
 *
 *   mailbox takeover   a sign-in to the mailbox, then within hours its recovery details,
 *                      forwarding, inbox rules or 2-step verification change
 *   bank takeover      a new payee or a transfer at night right after a night-time sign-in;
 *                      a new payee followed by a large transfer
 *   SIM swap           the SIM or number moves, then the bank or mailbox credentials change
 *   points drain       card points redeemed at night, or marketplace points spent with no order
 *   low and slow       the marketplace reports sign-ins from abroad, again and again, with no
 *                      sign of the owner travelling (no sign-in abroad to the mailbox itself)
 *
 * Notices count only from where such notices come from: the mailbox's own provider, or a
 * sender that passed DMARC and has written to this mailbox before (an imitation from a fresh
 * look-alike domain is not an event). One alert per mailbox per 72 h.
 */
import { ADDRESS_ADDED_SUBJECT, arrival, atNight, marketplaceMail, noticeAmount, securityEvent, sender, signInAbroad } from '../lib/mail.js';
import type { SecurityEvent } from '../lib/mail.js';
import type { Alert, Detector, EmailRecord } from '../types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const QUIET_MS = 72 * HOUR_MS;
/** A transfer this large (JPY, or cents) right after a new payee is alarming. */
const LARGE_TRANSFER_JPY = 200_000;
const LARGE_TRANSFER_USD_CENTS = 150_000;

interface Event {
  kind: SecurityEvent | 'market-sign-in-abroad' | 'market-points' | 'market-order' | 'market-address';
  t: number;
  id: string;
  night: boolean;
  abroad: boolean;
}

interface MailboxState {
  events: Event[];
  /** How many times each sender domain has written to this mailbox. */
  domains: Map<string, number>;
  quietUntil: number;
}

const MAILBOX_SETTINGS: ReadonlySet<string> = new Set(['provider-recovery', 'provider-forwarding', 'provider-filter', 'provider-2fa-off']);

export const securityRules: Detector = {
  id: 'security-rules',
  version: '1.1.0',
  description:
    'Rules on account-notice sequences: mailbox settings after a sign-in, night-time payees and transfers, SIM change then credential change, points drained, repeated sign-ins from abroad.',
  kind: 'rule',
  create() {
    const boxes = new Map<string, MailboxState>();

    function judge(s: MailboxState, e: Event, email: EmailRecord): (Omit<Alert, 'mailbox' | 'evidence'> & { evidence: string[] }) | null {
      const recent = (ms: number, kinds?: ReadonlySet<string> | string): Event[] =>
        s.events.filter((x) => e.t - x.t < ms && x !== e && (kinds === undefined || (typeof kinds === 'string' ? x.kind === kinds : kinds.has(x.kind))));
      // Mailbox takeover: settings changed within 12 h of a sign-in, or several settings at once.
      if (MAILBOX_SETTINGS.has(e.kind)) {
        const signIns = recent(12 * HOUR_MS, 'provider-sign-in');
        const others = recent(12 * HOUR_MS, MAILBOX_SETTINGS);
        if (signIns.length && (signIns.some((x) => x.abroad || x.night) || others.length))
          return {
            score: 0.95,
            reason: `mailbox ${e.kind.replace('provider-', '')} changed soon after a sign-in`,
            evidence: [...signIns, ...others].map((x) => x.id),
          };
        if (signIns.length)
          return { score: 0.8, reason: `mailbox ${e.kind.replace('provider-', '')} changed soon after a sign-in`, evidence: signIns.map((x) => x.id) };
        if (others.length >= 1) return { score: 0.8, reason: 'several mailbox security settings changed within hours', evidence: others.map((x) => x.id) };
      }
      // Bank takeover: a payee or transfer at night right after a night-time sign-in or settings change.
      if ((e.kind === 'bank-payee' || e.kind === 'bank-transfer') && e.night) {
        const opened = recent(3 * HOUR_MS, new Set(['bank-sign-in', 'bank-settings'])).filter((x) => x.night);
        if (opened.length)
          return {
            score: 0.9,
            reason: `${e.kind === 'bank-payee' ? 'new payee' : 'transfer'} at night after a night-time sign-in`,
            evidence: opened.map((x) => x.id),
          };
      }
      if (e.kind === 'bank-transfer') {
        const amount = noticeAmount(email) ?? 0;
        const large = email.receivedAt.endsWith('+09:00') ? amount >= LARGE_TRANSFER_JPY : amount >= LARGE_TRANSFER_USD_CENTS;
        const payee = recent(DAY_MS, 'bank-payee');
        if (large && payee.length) return { score: 0.85, reason: 'large transfer to a payee added today', evidence: payee.map((x) => x.id) };
      }
      // SIM swap: the number moves, then bank or mailbox credentials change.
      if (e.kind === 'bank-settings' || e.kind === 'provider-password' || e.kind === 'provider-recovery') {
        const sim = recent(DAY_MS, 'sim-change');
        if (sim.length) return { score: 0.9, reason: 'credentials changed within a day of a SIM change', evidence: sim.map((x) => x.id) };
      }
      // Points drained: card points redeemed at night.
      if (e.kind === 'card-points' && e.night) return { score: 0.8, reason: 'card points redeemed at night', evidence: [] };
      // Low and slow: the marketplace reports sign-ins from abroad again, and the mailbox itself saw none.
      if (e.kind === 'market-sign-in-abroad') {
        const before = recent(30 * DAY_MS, 'market-sign-in-abroad').filter((x) => e.t - x.t >= DAY_MS);
        const travelling = recent(30 * DAY_MS, 'provider-sign-in').some((x) => x.abroad) || recent(30 * DAY_MS, 'card-online').length > 2;
        if (before.length && !travelling)
          return { score: 0.75, reason: 'repeated marketplace sign-ins from abroad, no sign of travel', evidence: before.map((x) => x.id) };
      }
      if (e.kind === 'market-address') {
        const abroad = recent(30 * DAY_MS, 'market-sign-in-abroad');
        if (abroad.length) return { score: 0.9, reason: 'new shipping address after marketplace sign-ins from abroad', evidence: abroad.map((x) => x.id) };
      }
      return null;
    }

    return {
      onEmail(email) {
        const t = arrival(email);
        let s = boxes.get(email.mailbox);
        if (!s) boxes.set(email.mailbox, (s = { events: [], domains: new Map(), quietUntil: 0 }));
        const domain = sender(email).domain;
        const seen = s.domains.get(domain) ?? 0;
        s.domains.set(domain, seen + 1);

        let kind: Event['kind'] | null = securityEvent(email);
        let abroad = false;
        if (kind === 'provider-sign-in') abroad = signInAbroad(email);
        else if (kind !== null && !domain.startsWith('accounts.') && seen === 0) kind = null; // a first-time sender: not trusted yet
        if (kind === null) {
          const m = marketplaceMail(email);
          if (m?.genuine) {
            if (m.kind === 'sign-in' && signInAbroad(email)) kind = 'market-sign-in-abroad';
            else if (m.kind === 'order') kind = 'market-order';
            else if (/ポイントご利用|gift card balance/i.test(email.subject)) kind = 'market-points';
            else if (ADDRESS_ADDED_SUBJECT.test(email.subject)) kind = 'market-address';
          }
        }
        if (kind === null) return;
        const e: Event = { kind, t, id: email.id, night: atNight(email), abroad };
        s.events.push(e);
        while (s.events.length && t - s.events[0]!.t > 31 * DAY_MS) s.events.shift();
        if (kind === 'market-points') {
          // Points spent with no order within the hour before: nothing bought with them.
          const order = s.events.some((x) => x.kind === 'market-order' && t - x.t < HOUR_MS);
          if (!order && t >= s.quietUntil) {
            s.quietUntil = t + QUIET_MS;
            return { mailbox: email.mailbox, score: 0.7, reason: 'marketplace points spent with no order', evidence: [email.id] };
          }
          return;
        }
        if (t < s.quietUntil) return;
        const verdict = judge(s, e, email);
        if (!verdict) return;
        s.quietUntil = t + QUIET_MS;
        return { mailbox: email.mailbox, score: verdict.score, reason: verdict.reason, evidence: [...verdict.evidence, email.id] };
      },
    };
  },
};

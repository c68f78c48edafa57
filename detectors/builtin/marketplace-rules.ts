/**
 * A rule detector built on the signals of the founding incident (shared docs seed-incident.md),
 * as a practitioner watching a marketplace's mail would write it. At every genuine order
 * confirmation (the marketplace's own domain, DMARC pass) it weighs:
 *
 *   burst      several order confirmations within 24 h
 *   dormant    no order for weeks before the burst (or none in the whole history so far)
 *   new card   paid with a card the mailbox has never seen (orders, card-use notices)
 *   new address shipped to an address earlier orders never used
 *   foreign    sold by foreign-looking third-party sellers
 *   value      a high total for the burst
 *
 * and alerts when the weighted sum crosses THRESHOLD. The platform's own takeover notice
 * ("changes reverted, orders cancelled") is a near-certain signal on its own. One alert per
 * mailbox per 72 h. The weights and threshold are declared here, never tuned on a scored dataset.
 */
import { arrival, cardNoticeLast4, foreignLookingSeller, marketplaceMail, orderFacts, sender } from '../lib/mail.js';
import type { Alert, Detector } from '../types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Weights of the signals (they sum to 1) and the alert threshold. */
export const WEIGHTS = { burst: 0.25, dormant: 0.2, newCard: 0.2, newAddress: 0.1, foreign: 0.15, value: 0.1 } as const;
export const THRESHOLD = 0.7;
/** A burst worth 100,000 JPY (or $700) saturates the value signal. */
const VALUE_JPY = 100_000;
const VALUE_USD_CENTS = 70_000;
/** Quiet period after an alert, per mailbox. */
const QUIET_MS = 72 * HOUR_MS;

interface Order {
  t: number;
  shipTo: string;
  card: string | null;
  foreign: boolean;
  value: number;
}

interface MailboxState {
  firstSeen: number;
  orders: Order[];
  cards: Set<string>;
  quietUntil: number;
}

const clamp = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export const marketplaceRules: Detector = {
  id: 'marketplace-rules',
  version: '1.0.0',
  description: 'Rules on the founding pattern: a dormant account bursting, new card and address, foreign sellers, high total, the platform notice.',
  kind: 'rule',
  create() {
    const boxes = new Map<string, MailboxState>();
    const state = (mailbox: string, t: number): MailboxState => {
      let s = boxes.get(mailbox);
      if (!s) boxes.set(mailbox, (s = { firstSeen: t, orders: [], cards: new Set(), quietUntil: 0 }));
      return s;
    };
    const alert = (s: MailboxState, t: number, a: Alert): Alert | undefined => {
      if (t < s.quietUntil) return undefined;
      s.quietUntil = t + QUIET_MS;
      return a;
    };

    return {
      onEmail(email) {
        const t = arrival(email);
        const s = state(email.mailbox, t);
        // Card issuers tell us which cards are the owner's.
        if (/カード|Card/.test(sender(email).name)) {
          const last4 = cardNoticeLast4(email);
          if (last4) s.cards.add(last4);
          return;
        }
        const m = marketplaceMail(email);
        if (!m || !m.genuine) return;

        if (m.kind === 'account-change' && /キャンセルいたしました|cancelled all orders/.test(email.text)) {
          return alert(s, t, {
            mailbox: email.mailbox,
            score: 0.9,
            reason: 'the platform reports unauthorised changes and cancelled orders',
            evidence: [email.id],
          });
        }
        if (m.kind !== 'order') return;

        const f = orderFacts(email);
        const foreign = f.sellers.length > 0 && f.sellers.every((x) => x !== 'platform' && foreignLookingSeller(x));
        const value = f.total === null ? 0 : f.currency === 'USD' ? f.total / VALUE_USD_CENTS : f.total / VALUE_JPY;
        const burst = s.orders.filter((o) => t - o.t < DAY_MS);
        const before = s.orders.filter((o) => t - o.t >= DAY_MS);
        const lastBefore = before.length ? before[before.length - 1]!.t : s.firstSeen;
        const knownAddresses = new Set(before.map((o) => o.shipTo));
        const knownCards = new Set([...s.cards, ...before.map((o) => o.card).filter((c): c is string => c !== null)]);
        const order: Order = { t, shipTo: f.shipTo, card: f.card, foreign, value };
        s.orders.push(order);
        if (s.orders.length > 200) s.orders.splice(0, s.orders.length - 200);
        const all = [...burst, order];

        const signals = {
          burst: clamp((all.length - 2) / 4),
          dormant: clamp((t - DAY_MS - lastBefore) / (30 * DAY_MS)),
          newCard: f.card !== null && !knownCards.has(f.card) ? 1 : 0,
          newAddress: f.shipTo === '' ? 0 : knownAddresses.size === 0 ? 0.5 : knownAddresses.has(f.shipTo) ? 0 : 1,
          foreign: all.filter((o) => o.foreign).length / all.length,
          value: clamp(all.reduce((a, o) => a + o.value, 0)),
        };
        let score = 0;
        for (const k of Object.keys(WEIGHTS) as Array<keyof typeof WEIGHTS>) score += WEIGHTS[k] * signals[k];
        if (score < THRESHOLD) return;
        const why = (Object.keys(signals) as Array<keyof typeof signals>).filter((k) => signals[k] >= 0.5).join(', ');
        return alert(s, t, {
          mailbox: email.mailbox,
          score: Math.min(1, score),
          reason: `order burst: ${all.length} orders in 24 h (${why})`,
          evidence: [email.id],
        });
      },
    };
  },
};

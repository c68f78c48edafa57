/**
 * Rules on a marketplace's mail, built on the signals of the founding incident (shared docs
 * seed-incident.md) and its variants, as a practitioner watching the marketplace's genuine mail
 * (its own domain, DMARC pass) would write them:
 *
 *   A  founding pattern   two or more orders within 24 h, all from foreign-looking third-party
 *                         sellers, paid with a card the mailbox has never seen, on an account
 *                         with no order for a month (or shipped to an address never used),
 *                         worth more than a trifle
 *   B  platform notice    the platform says it reverted unauthorised changes and cancelled orders
 *   C  drop address       an order shipped to a new address within a day of an address-added notice
 *   D  digital cash-out   two or more digital orders (codes, gift cards) within two hours with an
 *                         unseen card
 *
 * A card is "seen" once an earlier order used it or its issuer wrote to the mailbox about it —
 * including a card-use notice minutes after an order of the same burst, which is what sets a
 * genuine shopping spree apart. One alert per mailbox per 72 h. Thresholds are declared here,
 * never tuned on a scored dataset.
 */
import { ADDRESS_ADDED_SUBJECT, arrival, cardNoticeLast4, foreignLookingSeller, marketplaceMail, orderFacts, sender } from '../lib/mail.js';
import type { Alert, Detector } from '../types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const QUIET_MS = 72 * HOUR_MS;
/** No order for this long makes an account dormant (or no order since the mailbox's history began). */
const DORMANT_MS = 30 * DAY_MS;
/** A burst worth less than this (JPY, or USD cents) is not worth an alert under rule A. */
const MIN_VALUE_JPY = 25_000;
const MIN_VALUE_USD_CENTS = 17_500;
/** A burst worth this much saturates the value bonus. */
const HIGH_VALUE_JPY = 100_000;
const HIGH_VALUE_USD_CENTS = 70_000;

interface Order {
  t: number;
  id: string;
  shipTo: string;
  card: string | null;
  foreign: boolean;
  /** Value relative to the high-value mark (1 = 100,000 JPY or $700). */
  value: number;
  digital: boolean;
}

interface MailboxState {
  firstSeen: number;
  orders: Order[];
  /** Cards the owner's issuers wrote about. */
  cards: Set<string>;
  /** Arrivals of address-added notices. */
  addressAdded: number[];
  quietUntil: number;
}

export const marketplaceRules: Detector = {
  id: 'marketplace-rules',
  version: '2.1.0',
  description:
    "Rules on marketplace mail: the founding pattern (foreign sellers, unseen card, dormant account), the platform's notice, orders to a just-added address, digital cash-out.",
  kind: 'rule',
  create() {
    const boxes = new Map<string, MailboxState>();
    const alert = (s: MailboxState, t: number, a: Alert): Alert | undefined => {
      if (t < s.quietUntil) return undefined;
      s.quietUntil = t + QUIET_MS;
      return a;
    };

    return {
      onEmail(email) {
        const t = arrival(email);
        let s = boxes.get(email.mailbox);
        if (!s) boxes.set(email.mailbox, (s = { firstSeen: t, orders: [], cards: new Set(), addressAdded: [], quietUntil: 0 }));
        // Card issuers tell us which cards are the owner's.
        if (/カード|Card/.test(sender(email).name)) {
          const last4 = cardNoticeLast4(email);
          if (last4) s.cards.add(last4);
          return;
        }
        const m = marketplaceMail(email);
        if (!m || !m.genuine) return;
        const mailbox = email.mailbox;

        if (m.kind === 'account-change' && /キャンセルいたしました|cancelled all orders/.test(email.text)) {
          return alert(s, t, { mailbox, score: 0.9, reason: 'B: the platform reports unauthorised changes and cancelled orders', evidence: [email.id] });
        }
        if (ADDRESS_ADDED_SUBJECT.test(email.subject)) {
          s.addressAdded.push(t);
          return;
        }
        if (m.kind !== 'order') return;

        const f = orderFacts(email);
        const usd = f.currency === 'USD';
        const before = s.orders.filter((o) => t - o.t >= DAY_MS);
        const burst = [...s.orders.filter((o) => t - o.t < DAY_MS)];
        const knownAddresses = new Set(before.map((o) => o.shipTo));
        const knownCards = new Set([...s.cards, ...before.map((o) => o.card).filter((c): c is string => c !== null)]);
        const order: Order = {
          t,
          id: email.id,
          shipTo: f.shipTo,
          card: f.card,
          foreign: f.sellers.length > 0 && f.sellers.every((x) => x !== 'platform' && foreignLookingSeller(x)),
          value: f.total === null ? 0 : f.total / (usd ? HIGH_VALUE_USD_CENTS : HIGH_VALUE_JPY),
          digital: /デジタルコンテンツ|Digital item/.test(email.text),
        };
        s.orders.push(order);
        if (s.orders.length > 200) s.orders.splice(0, s.orders.length - 200);
        burst.push(order);
        const unseenCard = order.card !== null && !knownCards.has(order.card);
        const newAddress = order.shipTo !== '' && !knownAddresses.has(order.shipTo);
        const evidence = burst.map((o) => o.id);

        // C: an order to a new address within a day of an address-added notice.
        if (newAddress && knownAddresses.size > 0 && s.addressAdded.some((a) => t - a < DAY_MS)) {
          return alert(s, t, { mailbox, score: 0.8, reason: 'C: order shipped to an address added within the last day', evidence });
        }
        // D: digital cash-out.
        const digital = burst.filter((o) => o.digital && t - o.t < 2 * HOUR_MS);
        if (digital.length >= 2 && unseenCard) {
          return alert(s, t, {
            mailbox,
            score: 0.75,
            reason: `D: ${digital.length} digital orders within 2 h with an unseen card`,
            evidence: digital.map((o) => o.id),
          });
        }
        // A: the founding pattern.
        if (burst.length < 2 || !burst.every((o) => o.foreign) || !unseenCard) return;
        const lastBefore = before.length ? before[before.length - 1]!.t : s.firstSeen;
        const dormant = t - DAY_MS - lastBefore >= DORMANT_MS;
        if (!dormant && !(newAddress && knownAddresses.size > 0)) return;
        const value = burst.reduce((a, o) => a + o.value, 0);
        if (value * (usd ? HIGH_VALUE_USD_CENTS : HIGH_VALUE_JPY) < (usd ? MIN_VALUE_USD_CENTS : MIN_VALUE_JPY)) return;
        const oneAddress = new Set(burst.map((o) => o.shipTo)).size === 1;
        const score = Math.min(1, 0.7 + (burst.length >= 5 ? 0.1 : 0) + (value >= 1 ? 0.1 : 0) + (dormant && oneAddress ? 0.1 : 0));
        const why = [dormant ? 'dormant account' : 'new address', 'unseen card', 'foreign sellers', value >= 1 ? 'high total' : ''].filter(Boolean).join(', ');
        return alert(s, t, { mailbox, score, reason: `A: ${burst.length} orders within 24 h (${why})`, evidence });
      },
    };
  },
};

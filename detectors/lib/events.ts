/**
 * Events: what a mail means to a rule. Each email becomes zero or more named events with a few
 * fields (an order's card and ship-to address, a sign-in's place, a transfer's amount...), read
 * with the parsers of mail.ts from what a mailbox shows. Rule files (detectors/rules/) are written
 * against these names; `ato-bench rules --events` lists them.
 */
import {
  ADDRESS_ADDED_SUBJECT,
  arrival,
  atNight,
  dmarcPass,
  isBulk,
  cardNoticeLast4,
  foreignLookingSeller,
  marketplaceMail,
  noticeAmount,
  orderFacts,
  securityEvent,
  sender,
  signInAbroad,
} from './mail.js';
import type { EmailRecord } from '../types.js';

export type FieldValue = string | number | boolean | null;

export interface MailEvent {
  name: EventName;
  fields: Record<string, FieldValue>;
}

/** A burst worth this much (JPY, or USD cents) is 1.0 in an order's `value`. */
export const VALUE_UNIT_JPY = 100_000;
export const VALUE_UNIT_USD_CENTS = 70_000;
/** A transfer this large (JPY, or cents) is `large`. */
const LARGE_TRANSFER_JPY = 200_000;
const LARGE_TRANSFER_USD_CENTS = 150_000;

/** Every event name, with what it means and its fields: the vocabulary of rule files. */
export const EVENTS = {
  'mail.any': 'every mail (sender, domain, subject, bulk: has List-Unsubscribe, dmarc: passed) — recorded only when a rule uses it',
  'marketplace.shipped': 'a genuine shipping notice (foreignCarrier: China Post, Korea Post, Singapore Post or UPS)',
  'card.notice': 'a card issuer wrote about a card (fields: card = last four digits)',
  'marketplace.order':
    'a genuine order confirmation (card, shipTo, foreign: all sellers foreign-looking third parties, value: total / 100,000 JPY or $700, digital, currency)',
  'marketplace.takeover-notice': "the platform's notice that it reverted unauthorised changes and cancelled orders",
  'marketplace.address-added': 'a new shipping address was added to the marketplace account',
  'marketplace.sign-in-abroad': "the marketplace reports a sign-in from outside the owner's country",
  'marketplace.points': "the account's points or gift-card balance were used (night)",
  'provider.sign-in': "the mailbox's own provider reports a sign-in (abroad, night)",
  'provider.recovery': 'recovery e-mail or phone changed',
  'provider.forwarding': 'a forwarding address was added',
  'provider.filter': 'an inbox rule was created',
  'provider.2fa-off': '2-step verification turned off',
  'provider.password': "the mailbox's password changed",
  'bank.sign-in': 'online-banking sign-in (night)',
  'bank.payee': 'a new payee was registered (night)',
  'bank.transfer': 'a transfer was made (night, amount, large)',
  'bank.settings': 'bank settings (e-mail, limit, password) changed',
  'card.online': 'online or overseas card use',
  'card.points': 'card reward points redeemed (night)',
  'sim.change': 'the SIM was reissued or the number is being ported out',
  otp: 'a one-time code arrived',
  'service.reset': "a linked service's password reset",
} as const;

export type EventName = keyof typeof EVENTS;

const NIGHT = { night: "boolean: before 6:00 in the owner's zone" } as const;

/**
 * The fields of each event, with their type and meaning: what `field`, `where` and `unseen` of a
 * rule may name (checked when rule files load; listed by `ato-bench rules events`).
 */
export const EVENT_FIELDS: Record<EventName, Readonly<Record<string, string>>> = {
  'mail.any': {
    sender: 'string: the From address',
    domain: "string: the From address's domain",
    subject: 'string',
    bulk: 'boolean: has List-Unsubscribe',
    dmarc: 'boolean: the receiving server says DMARC passed',
  },
  'marketplace.shipped': { foreignCarrier: 'boolean: China Post, Korea Post, Singapore Post or UPS' },
  'card.notice': { card: 'string: the last four digits' },
  'marketplace.order': {
    card: 'string or null: the last four digits of the card paid with',
    shipTo: 'string or null: the ship-to address',
    foreign: 'boolean: every seller a foreign-looking third party',
    value: 'number: the total / 100,000 JPY (or / $700)',
    digital: 'boolean: digital goods',
    currency: 'string: JPY or USD',
  },
  'marketplace.takeover-notice': {},
  'marketplace.address-added': {},
  'marketplace.sign-in-abroad': {},
  'marketplace.points': NIGHT,
  'provider.sign-in': { ...NIGHT, abroad: "boolean: from outside the owner's country" },
  'provider.recovery': NIGHT,
  'provider.forwarding': NIGHT,
  'provider.filter': NIGHT,
  'provider.2fa-off': NIGHT,
  'provider.password': NIGHT,
  'bank.sign-in': NIGHT,
  'bank.payee': NIGHT,
  'bank.transfer': { ...NIGHT, amount: 'number: JPY, or US cents', large: 'boolean: at least 200,000 JPY or $1,500' },
  'bank.settings': NIGHT,
  'card.online': NIGHT,
  'card.points': NIGHT,
  'sim.change': NIGHT,
  otp: NIGHT,
  'service.reset': NIGHT,
};

const SECURITY_EVENT: Record<string, EventName> = {
  'provider-sign-in': 'provider.sign-in',
  'provider-recovery': 'provider.recovery',
  'provider-forwarding': 'provider.forwarding',
  'provider-filter': 'provider.filter',
  'provider-2fa-off': 'provider.2fa-off',
  'provider-password': 'provider.password',
  'bank-sign-in': 'bank.sign-in',
  'bank-payee': 'bank.payee',
  'bank-transfer': 'bank.transfer',
  'bank-settings': 'bank.settings',
  'card-online': 'card.online',
  'card-points': 'card.points',
  'sim-change': 'sim.change',
  'one-time-code': 'otp',
  'service-reset': 'service.reset',
};

/** The generic event of every mail, for rules on senders and subjects. */
export function mailEvent(email: EmailRecord): MailEvent {
  const s = sender(email);
  return { name: 'mail.any', fields: { sender: s.address, domain: s.domain, subject: email.subject, bulk: isBulk(email), dmarc: dmarcPass(email) } };
}

/**
 * The events of one email. `senderSeenBefore` says whether its sender domain wrote to this
 * mailbox before: account notices from a first-time sender (an imitation on a fresh look-alike
 * domain) are not trusted, except from the mailbox's own provider.
 */
export function extractEvents(email: EmailRecord, senderSeenBefore: boolean): MailEvent[] {
  const out: MailEvent[] = [];
  const s = sender(email);
  const night = atNight(email);
  if (/カード|Card/.test(s.name)) {
    const card = cardNoticeLast4(email);
    if (card) out.push({ name: 'card.notice', fields: { card } });
  }
  const sec = securityEvent(email);
  if (sec !== null && (senderSeenBefore || s.domain.startsWith('accounts.'))) {
    const fields: Record<string, FieldValue> = { night };
    if (sec === 'provider-sign-in') fields.abroad = signInAbroad(email);
    if (sec === 'bank-transfer') {
      const amount = noticeAmount(email) ?? 0;
      fields.amount = amount;
      fields.large = email.receivedAt.endsWith('+09:00') ? amount >= LARGE_TRANSFER_JPY : amount >= LARGE_TRANSFER_USD_CENTS;
    }
    out.push({ name: SECURITY_EVENT[sec]!, fields });
    return out;
  }
  const m = marketplaceMail(email);
  if (!m?.genuine) return out;
  if (m.kind === 'account-change' && /キャンセルいたしました|cancelled all orders/.test(email.text))
    out.push({ name: 'marketplace.takeover-notice', fields: {} });
  else if (ADDRESS_ADDED_SUBJECT.test(email.subject)) out.push({ name: 'marketplace.address-added', fields: {} });
  else if (/ポイントご利用|gift card balance/i.test(email.subject)) out.push({ name: 'marketplace.points', fields: { night } });
  else if (m.kind === 'sign-in' && signInAbroad(email)) out.push({ name: 'marketplace.sign-in-abroad', fields: {} });
  else if (m.kind === 'shipped')
    out.push({
      name: 'marketplace.shipped',
      fields: { foreignCarrier: /中国郵政|韓国郵政|シンガポールポスト|China Post|Korea Post|Singapore Post|UPS/.test(email.text) },
    });
  else if (m.kind === 'order') {
    const f = orderFacts(email);
    const usd = f.currency === 'USD';
    out.push({
      name: 'marketplace.order',
      fields: {
        card: f.card,
        shipTo: f.shipTo === '' ? null : f.shipTo,
        foreign: f.sellers.length > 0 && f.sellers.every((x) => x !== 'platform' && foreignLookingSeller(x)),
        value: f.total === null ? 0 : f.total / (usd ? VALUE_UNIT_USD_CENTS : VALUE_UNIT_JPY),
        digital: /デジタルコンテンツ|Digital item/.test(email.text),
        currency: f.currency,
      },
    });
  }
  return out;
}

export { arrival };

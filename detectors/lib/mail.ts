/**
 * What a practitioner's detector reads off a mail, using only what a mailbox shows: the sender
 * and its authentication results, the subject, and the text of well-known transactional mail.
 * The marketplace's own domains are configuration a real deployment would have too.
 */
import type { EmailRecord } from '../types.js';

/** The marketplace's sending domains (what a deployment would list for the brands it watches). */
export const MARKETPLACE_DOMAINS = new Set(['hanamart.co.jp.example', 'hanamart.example']);

export interface Sender {
  name: string;
  address: string;
  domain: string;
}

/** Parse a decoded From value: `Name <addr>`, `"Name" <addr>` or a bare address. */
export function sender(email: EmailRecord): Sender {
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^>]+)>\s*$/.exec(email.from);
  const address = (m ? m[3]! : email.from).trim().toLowerCase();
  const name = m ? (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1').trim() : '';
  return { name, address, domain: address.slice(address.lastIndexOf('@') + 1) };
}

export function header(email: EmailRecord, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of email.headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/** DMARC passed for the From domain (what the receiving provider wrote in Authentication-Results). */
export function dmarcPass(email: EmailRecord): boolean {
  const ar = header(email, 'Authentication-Results');
  return ar !== undefined && /\bdmarc=pass\b/.test(ar);
}

/** Bulk mail carries List-Unsubscribe (RFC 8058); transactional mail does not. */
export function isBulk(email: EmailRecord): boolean {
  return header(email, 'List-Unsubscribe') !== undefined;
}

export type MarketplaceKind =
  'order' | 'shipped' | 'delivered' | 'account-change' | 'password-changed' | 'password-reset' | 'sign-in' | 'support' | 'promo' | 'other';

/**
 * Order confirmation subjects, ja and en (also what phishing imitates): the classic wording, the
 * gift order's, and the redesigned one ("ご注文を承りました:", "Order confirmed:") that the
 * marketplace switched to. A detector that knew only the first lost every order after the switch.
 * "Your Hanamart order of ... has shipped" is a shipping notice, not an order.
 */
export const ORDER_SUBJECT =
  /ご注文の確認|^ご注文を承りました|^ギフトのご注文を承りました|^Your Hanamart (?:gift )?order of (?!.* has shipped$)|^(?:Gift )?[Oo]rder confirmed: /;

/** The marketplace's notice that a shipping address was added: both wordings it uses, in each locale. */
export const ADDRESS_ADDED_SUBJECT = /お届け先住所が追加|新しいお届け先が追加|new address added|new shipping address was added/i;

/** Classify mail that claims to come from the marketplace; `genuine` when its own domain passed DMARC. */
export function marketplaceMail(email: EmailRecord): { kind: MarketplaceKind; genuine: boolean } | null {
  const s = sender(email);
  const claims = MARKETPLACE_DOMAINS.has(s.domain) || /hanamart|ハナマート|hаnamart/i.test(s.name);
  if (!claims) return null;
  const genuine = MARKETPLACE_DOMAINS.has(s.domain) && dmarcPass(email);
  const subj = email.subject;
  let kind: MarketplaceKind = 'other';
  if (ORDER_SUBJECT.test(subj)) kind = 'order';
  else if (/の発送$|^発送済み|^発送のお知らせ|^お荷物を発送しました|^Shipped:|has shipped$|^On the way:|is on the way$/.test(subj)) kind = 'shipped';
  else if (/^配達済み|^お届け完了|^Delivered:|^Arrived:/.test(subj)) kind = 'delivered';
  else if (/最近の変更|^Recent changes/.test(subj)) kind = 'account-change';
  else if (/パスワードの変更|パスワードが変更されました|password was changed|password has been updated/.test(subj)) kind = 'password-changed';
  else if (/パスワードの支援|password assistance/.test(subj)) kind = 'password-reset';
  else if (/サインイン|ログイン|sign-in|Sign-in|\blogin\b/.test(subj)) kind = 'sign-in';
  else if (/お知らせ|A message from Hanamart/.test(subj) && /^\[重要\]|^\[Important\]/.test(subj)) kind = 'support';
  else if (isBulk(email)) kind = 'promo';
  return { kind, genuine };
}

/** What an order confirmation says about the order. */
export interface OrderFacts {
  number: string | null;
  /** Normalised ship-to block ('' for digital orders). */
  shipTo: string;
  /** Last four digits of the card paying. */
  card: string | null;
  /** Total in the mail's currency (yen, or cents). */
  total: number | null;
  currency: 'JPY' | 'USD' | null;
  /** Seller lines; 'platform' when sold by the marketplace itself. */
  sellers: string[];
}

function amount(s: string): number {
  return Number(s.replace(/[,\s]/g, ''));
}

export function orderFacts(email: EmailRecord): OrderFacts {
  const t = email.text;
  // Labels of the classic and the redesigned confirmation alike.
  const number = /(?:注文番号|Order #|Order number): ?([0-9D][0-9-]{10,})/.exec(t)?.[1] ?? null;
  const ship = /(?:お届け先(?:住所)?|Ship to|Delivery address):\n([\s\S]*?)\n\n/.exec(t)?.[1] ?? '';
  const card = /(?:末尾 |ending in |下4桁 |\*{4})(\d{4})/.exec(t)?.[1] ?? null;
  const yen = /(?:注文合計|お支払い金額)\(税込\): ￥([\d,]+)/.exec(t);
  const usd = /(?:Order Total|Grand total): \$([\d,]+)\.(\d{2})/.exec(t);
  const sellers: string[] = [];
  for (const m of t.matchAll(/(?:出品者|Sold by): ([^\n]+)/g)) sellers.push(m[1]!.trim() === 'Hanamart' ? 'platform' : m[1]!.trim());
  if (/販売: ハナマート/.test(t)) sellers.push('platform');
  return {
    number,
    shipTo: ship.replace(/\s+/g, ' ').trim(),
    card,
    total: yen ? amount(yen[1]!) : usd ? amount(usd[1]!) * 100 + Number(usd[2]) : null,
    currency: yen ? 'JPY' : usd ? 'USD' : null,
    sellers,
  };
}

/**
 * A seller name that looks foreign on a Japanese or US marketplace: company suffixes of Chinese
 * exporters, romanised names in capitals, "-JP" storefronts.
 */
export function foreignLookingSeller(name: string): boolean {
  return /Co\.,? ?Ltd|Trading|Technology|E-commerce|Industrial|Import & Export|-JP$|\bGlobal$|SG Store$|\bDirect$|^[A-Z]{7,}$/.test(name);
}

/** Last four digits of the card a card-use notice reports. */
export function cardNoticeLast4(email: EmailRecord): string | null {
  return /(?:末尾|ending in )(\d{4})/.exec(email.text)?.[1] ?? null;
}

/** Arrival time in epoch milliseconds. */
export function arrival(email: EmailRecord): number {
  return Date.parse(email.receivedAt);
}

/** Hour of arrival in the owner's zone (receivedAt carries the owner's offset). */
export function localHour(email: EmailRecord): number {
  return Number(email.receivedAt.slice(11, 13));
}

/** Night in the owner's zone: 00:00 to 05:59, when owners rarely bank or redeem points. */
export function atNight(email: EmailRecord): boolean {
  return localHour(email) < 6;
}

/** The country the owner lives in, as sign-in notices spell it, guessed from the zone offset. */
function homeCountry(email: EmailRecord): RegExp {
  const offset = email.receivedAt.slice(19);
  if (offset === '+09:00') return /日本|Japan/;
  if (offset === '+00:00' || offset === '+01:00') return /United Kingdom/;
  if (offset === '+10:00' || offset === '+11:00') return /Australia/;
  return /United States/;
}

/** The place a sign-in notice reports ("Location ...: Shanghai, China", "場所(...): ホーチミン, ベトナム"). */
export function signInPlace(email: EmailRecord): string | null {
  return /(?:場所[^:\n]*|[Ll]ocation[^:\n]*|Near): ([^\n]+)/.exec(email.text)?.[1]?.trim() ?? null;
}

/** A sign-in notice reporting a place outside the owner's country. */
export function signInAbroad(email: EmailRecord): boolean {
  const place = signInPlace(email);
  return place !== null && !homeCountry(email).test(place);
}

/** The owner's mailbox domain (from To). */
export function ownerDomain(email: EmailRecord): string {
  const m = /<([^>]+)>\s*$/.exec(email.to);
  const address = (m ? m[1]! : email.to).toLowerCase();
  return address.slice(address.lastIndexOf('@') + 1);
}

export type SecurityEvent =
  | 'provider-sign-in'
  | 'provider-recovery'
  | 'provider-forwarding'
  | 'provider-filter'
  | 'provider-2fa-off'
  | 'provider-password'
  | 'bank-sign-in'
  | 'bank-payee'
  | 'bank-transfer'
  | 'bank-settings'
  | 'card-online'
  | 'card-points'
  | 'sim-change'
  | 'one-time-code'
  | 'service-reset';

/**
 * What an account notice is about, when it comes from where such notices come from: the
 * mailbox's own provider (accounts.<the owner's domain>), a bank, card issuer or mobile carrier
 * that passed DMARC. Imitations from other domains, or failing DMARC, are not events.
 */
export function securityEvent(email: EmailRecord): SecurityEvent | null {
  if (!dmarcPass(email)) return null;
  const s = sender(email);
  const subj = email.subject;
  if (s.domain === `accounts.${ownerDomain(email)}`) {
    if (/新しいデバイス|New sign-in/.test(subj)) return 'provider-sign-in';
    if (/転送|forwarding/.test(subj)) return 'provider-forwarding';
    if (/フィルタ|filter|rule/i.test(subj)) return 'provider-filter';
    if (/2段階|2-Step/.test(subj)) return 'provider-2fa-off';
    if (/セキュリティ情報|Security info|recovery/i.test(subj)) return 'provider-recovery';
    if (/パスワード|password/i.test(subj)) return 'provider-password';
    return null;
  }
  if (/認証コード|verification code/i.test(subj)) return 'one-time-code';
  if (/パスワード再設定|Password reset/i.test(subj)) return 'service-reset';
  if (/銀行|Bank|Credit Union/.test(s.name)) {
    if (/振込先登録|payee/i.test(subj)) return 'bank-payee';
    if (/振込完了|transfer to .* is complete/i.test(subj)) return 'bank-transfer';
    if (/ログインのお知らせ|sign-in/i.test(subj)) return 'bank-sign-in';
    if (/変更|changed|updated/i.test(subj)) return 'bank-settings';
    return null;
  }
  if (/カード|Card/.test(s.name)) {
    if (/海外|Online purchase/.test(subj)) return 'card-online';
    if (/ポイント交換|redemption/.test(subj)) return 'card-points';
    return null;
  }
  if (/モバイル|通信|Wireless|Mobile/.test(s.name) && /SIM|MNP|Number Transfer/.test(subj)) return 'sim-change';
  return null;
}

/** An amount in a bank or card notice, in yen or cents. */
export function noticeAmount(email: EmailRecord): number | null {
  const yen = /￥([\d,]+)/.exec(email.text);
  if (yen) return Number(yen[1]!.replace(/,/g, ''));
  const usd = /\$([\d,]+)\.(\d{2})/.exec(email.text);
  return usd ? Number(usd[1]!.replace(/,/g, '')) * 100 + Number(usd[2]) : null;
}

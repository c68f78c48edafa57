/**
 * Types of the generator's vocabulary: plain data, one file per topic and locale
 * (`generator/vocab/<locale>/<topic>.ts`, each `export default [...] satisfies ...`).
 * Code never hides vocabulary inside functions; templates draw from these lists.
 *
 * Placeholders in strings are written `{name}` and filled by the mail templates; each type says
 * which placeholders it may use.
 */

export type Locale = 'ja' | 'en';

/** A product sold on the marketplace. Names are generic descriptions, never real brands. */
export interface Product {
  /** Stable id, kebab-case, unique across the catalog. */
  id: string;
  ja: string;
  en: string;
  category:
    'electronics' | 'home' | 'kitchen' | 'fashion' | 'beauty' | 'books' | 'toys' | 'sports' | 'food' | 'pet' | 'office' | 'diy' | 'gift-card' | 'digital';
  /** Typical tax-included price range in JPY, [min, max]. */
  priceJpy: readonly [number, number];
  /** 0..1: how attractive it is to a fraudster (resellable, high value, easy to ship). */
  resale: number;
  /** Delivered electronically (e-book, game code, gift card code): no shipping. */
  digital?: boolean;
}

/** A given name (ja) with its romanisation, used for ja persons and their mail addresses. */
export interface JaGivenName {
  kanji: string;
  romaji: string;
  sex: 'f' | 'm';
}

export interface JaSurname {
  kanji: string;
  romaji: string;
}

export type Cadence = 'daily' | 'weekdays' | 'thrice-weekly' | 'weekly' | 'biweekly' | 'monthly';

/** A newsletter / mailing list a mailbox can subscribe to. */
export interface NewsletterList {
  id: string;
  /** Display name of the sender. */
  name: string;
  /** Domain under `.example` (RFC 2606); the list sends from `news@<domain>` or similar. */
  domain: string;
  /** Local part of the From address, e.g. `news`, `hello`, `info`. */
  fromLocal: string;
  topic: 'retail' | 'food' | 'travel' | 'tech' | 'news' | 'finance' | 'culture' | 'health' | 'career' | 'hobby' | 'local';
  cadence: Cadence;
  /** Usual local send hour (0-23) in the sender's zone. */
  sendHour: number;
  /** Subject templates; placeholders: {n} issue number, {month} month number, {day} day, {item} a product-ish noun from `items`. */
  subjects: readonly string[];
  /** Short paragraphs for the body (2–4 are drawn per issue); same placeholders. */
  paragraphs: readonly string[];
  /** Nouns for {item}. */
  items: readonly string[];
}

/** Notification texts of a social network, by event kind. Placeholders: {name} (a contact's display name), {count}. */
export interface SocialPhrases {
  like: readonly string[];
  comment: readonly string[];
  follow: readonly string[];
  message: readonly string[];
  mention: readonly string[];
  digest: readonly string[];
  /** Body lines shown under the notification (generic, no placeholders other than {name}). */
  bodyLines: readonly string[];
}

/** Material for personal threads between the mailbox owner and a contact. */
export interface PersonalTopic {
  id: string;
  /** Subject of the first message. */
  subject: string;
  /** Openers of the first message (one is drawn); placeholders {owner} (owner's given name), {me} (sender's given name). */
  openers: readonly string[];
  /** Lines for replies later in the thread; placeholders as above. */
  replies: readonly string[];
}

/** Spam content. Placeholders: {amount}, {n}, {name} (recipient name or generic greeting). */
export interface SpamTheme {
  id: string;
  kind: 'pharma' | 'dating' | 'investment' | 'lottery' | 'loan' | 'seo' | 'adult-free' | 'fake-invoice' | 'crypto' | 'job' | 'shopping';
  senderNames: readonly string[];
  subjects: readonly string[];
  paragraphs: readonly string[];
}

/** Closing and greeting lines, per locale. */
export interface Greetings {
  /** Signature-like sign-offs for personal mail. */
  signoffs: readonly string[];
  /** Generic small talk lines usable in any personal mail. */
  smalltalk: readonly string[];
}

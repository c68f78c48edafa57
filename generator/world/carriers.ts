/**
 * Carriers, their parcel tracking numbers, and marketplace order numbers: facts of the world
 * (which carrier a seller ships with, what number a parcel has) that shipping notices print.
 *
 * Real carriers' numbers carry check digits, and a detector (or a human) may well check them, so
 * synthetic numbers must be *valid* under each carrier's published scheme — otherwise "the
 * tracking number does not validate" becomes an accidental tell that separates our generated
 * mail from the real thing. All functions are pure; every random draw comes from the `Stream`
 * argument so a number is a function of its key path alone.
 *
 * Check-digit arithmetic is done digit by digit (Horner's rule modulo m) rather than by parsing
 * the number: the 21-digit IMpb body and the 15-char UPS body exceed 2^53, and using one style
 * everywhere keeps the schemes easy to compare.
 *
 * Error detection of the schemes (what a single changed character does), used by the tests:
 * - USPS IMpb (weights 3,1 mod 10): every single-digit change is detected.
 * - UPU S10 (weights 8 6 4 2 3 5 9 7 mod 11): the weighted sum mod 11 always changes, but the
 *   map from remainder to check digit is not one-to-one (remainders 0 and 6 both give 5), so a
 *   change that moves the remainder between 0 and 6 goes unnoticed: `LX123456785CN` and
 *   `LX323456785CN` are both valid.
 * - mod 7 of the whole number (Yamato, Sagawa, Yu-Pack, Japan Post registered): a digit change by
 *   ±7 (0↔7, 1↔8, 2↔9) is undetected, because 7·10^k ≡ 0 (mod 7); every other change is caught.
 * - UPS (weights 1,2 mod 10): a change by ±5 at a doubled position is undetected (2·5 ≡ 0), and
 *   letters that map to the same value (A and K, H and R, ...) are interchangeable.
 */

import type { Stream } from '../core/rng.js';

// ---------------------------------------------------------------------------------------------
// Input checks

const DIGITS_RE = /^[0-9]+$/;

/** Throws unless `s` is exactly `n` ASCII digits; check-digit functions must not guess. */
function assertDigits(s: string, n: number, what: string): void {
  if (s.length !== n || !DIGITS_RE.test(s)) {
    throw new RangeError(`${what}: expected ${n} digits, got ${JSON.stringify(s)}`);
  }
}

/** Value of the ASCII digit at `i` (caller has checked the string is all digits). */
function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

/** `s` (all digits) as a number modulo `m`, by Horner's rule: exact for any length. */
function modDigits(s: string, m: number): number {
  let r = 0;
  for (let i = 0; i < s.length; i++) r = (r * 10 + digitAt(s, i)) % m;
  return r;
}

// ---------------------------------------------------------------------------------------------
// UPU S10 (international post)

/** S10 weights over the 8 serial digits, from the UPU S10 standard. */
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7] as const;

/**
 * UPU S10 check digit of an 8-digit serial: weights 8 6 4 2 3 5 9 7, r = sum mod 11,
 * check = 11 - r, except r = 0 gives 5 and r = 1 gives 0 (so the digit always fits one place).
 *
 * @example
 * s10CheckDigit('12345678'); // 5   (sum 204, 204 mod 11 = 6, 11 - 6 = 5) -> LX123456785CN
 */
export function s10CheckDigit(serial: string): number {
  assertDigits(serial, 8, 's10CheckDigit');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += digitAt(serial, i) * S10_WEIGHTS[i]!;
  const r = sum % 11;
  if (r === 0) return 5;
  if (r === 1) return 0;
  return 11 - r;
}

const S10_RE = /^[A-Z]{2}[0-9]{9}[A-Z]{2}$/;

/**
 * Whether `n` is a well-formed S10 item id: 2 uppercase letters, 8 serial digits, the check
 * digit, 2-letter country. The letters do not enter the check digit; they are format only.
 *
 * @example
 * isValidS10('LX123456785CN'); // true
 * isValidS10('LX123456784CN'); // false
 */
export function isValidS10(n: string): boolean {
  return S10_RE.test(n) && s10CheckDigit(n.slice(2, 10)) === digitAt(n, 10);
}

// ---------------------------------------------------------------------------------------------
// Japanese domestic: whole number mod 7

/**
 * Check digit of the 12-digit Japanese domestic parcel numbers (Yamato Transport; Sagawa
 * Express and Japan Post Yu-Pack use the same scheme): the first 11 digits, read as one
 * number, mod 7.
 *
 * @example
 * jpDomesticCheckDigit('12345678901'); // 3   -> 123456789013, shown 1234-5678-9013
 */
export function jpDomesticCheckDigit(body: string): number {
  assertDigits(body, 11, 'jpDomesticCheckDigit');
  return modDigits(body, 7);
}

/**
 * Whether `n` is a 12-digit domestic number with a valid mod-7 check digit. Takes the
 * canonical form without hyphens (strip the display separators of {@link formatJpDomestic}
 * first). The three carriers share the scheme, so the number alone cannot tell them apart.
 *
 * @example
 * isValidJpDomestic('123456789013'); // true
 */
export function isValidJpDomestic(n: string): boolean {
  return n.length === 12 && DIGITS_RE.test(n) && jpDomesticCheckDigit(n.slice(0, 11)) === digitAt(n, 11);
}

/**
 * Check digit of an 11-digit Japan Post registered-mail (書留) number: the first 10 digits mod 7.
 *
 * @example
 * japanPostRegisteredCheckDigit('1311238385'); // 2   -> 13112383852
 */
export function japanPostRegisteredCheckDigit(body: string): number {
  assertDigits(body, 10, 'japanPostRegisteredCheckDigit');
  return modDigits(body, 7);
}

/**
 * Whether `n` is an 11-digit registered-mail number with a valid mod-7 check digit.
 *
 * @example
 * isValidJapanPostRegistered('13112383852'); // true
 */
export function isValidJapanPostRegistered(n: string): boolean {
  return n.length === 11 && DIGITS_RE.test(n) && japanPostRegisteredCheckDigit(n.slice(0, 10)) === digitAt(n, 10);
}

// ---------------------------------------------------------------------------------------------
// UPS 1Z

const UPS_BODY_RE = /^[0-9A-Z]{15}$/;

/**
 * UPS check digit of the 15 characters after "1Z". Letters count as (ASCII code − 3) mod 10
 * (A=2, B=3, ..., H=9, I=0, ...; the same table often written as (code − 63) mod 10), digits as
 * themselves. The values at odd 0-based positions (2nd, 4th, ..., 14th character) are doubled —
 * plainly doubled, not Luhn-style digit-summed — and check = (10 − sum mod 10) mod 10.
 *
 * Verified on `1Z5R89390357567127`: the body 5R8939035756712 gives 35 + 2·44 = 123, check 7.
 * The two near-variants do not reproduce it: doubling the even positions gives 2·35 + 44 = 114
 * (check 6), and summing the digits of the doubled values as in Luhn gives 35 + 43 = 78 (check 2).
 *
 * @example
 * upsCheckDigit('5R8939035756712'); // 7   -> 1Z5R89390357567127
 */
export function upsCheckDigit(body: string): number {
  if (!UPS_BODY_RE.test(body)) {
    throw new RangeError(`upsCheckDigit: expected 15 of [0-9A-Z], got ${JSON.stringify(body)}`);
  }
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = body.charCodeAt(i);
    const v = c <= 57 ? c - 48 : (c - 3) % 10;
    sum += i % 2 === 1 ? 2 * v : v;
  }
  return (10 - (sum % 10)) % 10;
}

const UPS_RE = /^1Z[0-9A-Z]{15}[0-9]$/;

/**
 * Whether `n` is `1Z` + 15 uppercase alphanumerics + a valid check digit.
 *
 * @example
 * isValidUps('1Z5R89390357567127'); // true
 */
export function isValidUps(n: string): boolean {
  return UPS_RE.test(n) && upsCheckDigit(n.slice(2, 17)) === digitAt(n, 17);
}

// ---------------------------------------------------------------------------------------------
// USPS Intelligent Mail package barcode (22 digits)

/**
 * USPS IMpb check digit of the 21 digits before it: weights 3, 1, 3, 1, ... starting at the
 * rightmost digit (so the weight is tied to the distance from the check digit, whatever the
 * length), check = (10 − sum mod 10) mod 10.
 *
 * @example
 * impbCheckDigit('940011120108080548301'); // 6   -> 9400111201080805483016
 */
export function impbCheckDigit(body: string): number {
  assertDigits(body, 21, 'impbCheckDigit');
  let sum = 0;
  for (let k = 0; k < 21; k++) sum += digitAt(body, 20 - k) * (k % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/**
 * Whether `n` is a 22-digit IMpb tracking number with a valid check digit.
 *
 * @example
 * isValidImpb('9400111201080805483016'); // true
 */
export function isValidImpb(n: string): boolean {
  return n.length === 22 && DIGITS_RE.test(n) && impbCheckDigit(n.slice(0, 21)) === digitAt(n, 21);
}

// ---------------------------------------------------------------------------------------------
// Generators

const UPPER_RE = /^[A-Z]{2}$/;

/**
 * A UPU S10 item id with the given service indicator (`prefix`) and ISO country code.
 *
 * @example
 * s10(Stream.root(42).child('t'), { prefix: 'LX', country: 'CN' }); // 'LX917161465CN'
 */
export function s10(rng: Stream, opts: { prefix: string; country: string }): string {
  // Refuse bad letters here: a lowercase or 3-letter prefix would yield a number isValidS10 rejects.
  if (!UPPER_RE.test(opts.prefix)) throw new RangeError(`s10: bad prefix ${JSON.stringify(opts.prefix)}`);
  if (!UPPER_RE.test(opts.country)) throw new RangeError(`s10: bad country ${JSON.stringify(opts.country)}`);
  const serial = rng.digits(8);
  return `${opts.prefix}${serial}${s10CheckDigit(serial)}${opts.country}`;
}

/** 12-digit domestic number: leading digit drawn from `firsts`, 10 random digits, mod-7 check. */
function jpDomestic(rng: Stream, firsts: readonly string[]): string {
  const body = rng.pick(firsts) + rng.digits(10);
  return body + jpDomesticCheckDigit(body);
}

// Leading digits seen on real slips. Not a published allocation — just enough that the three
// carriers' numbers do not all look alike, and none starts with 0.
const YAMATO_FIRST = ['2', '3', '4', '5', '7'] as const;
const SAGAWA_FIRST = ['3', '4', '5'] as const;
const YUPACK_FIRST = ['1', '2', '3', '4', '5', '6'] as const;

/**
 * A Yamato Transport (ヤマト運輸) 12-digit slip number.
 *
 * @example
 * yamato(Stream.root(42).child('t')); // '717161461940'
 */
export function yamato(rng: Stream): string {
  return jpDomestic(rng, YAMATO_FIRST);
}

/**
 * A Sagawa Express (佐川急便) 12-digit slip number.
 *
 * @example
 * sagawa(Stream.root(42).child('t')); // '517161461946'
 */
export function sagawa(rng: Stream): string {
  return jpDomestic(rng, SAGAWA_FIRST);
}

/**
 * A Japan Post Yu-Pack (ゆうパック) 12-digit number.
 *
 * @example
 * yuPack(Stream.root(42).child('t')); // '617161461943'
 */
export function yuPack(rng: Stream): string {
  return jpDomestic(rng, YUPACK_FIRST);
}

/**
 * The 4-4-4 hyphenated form in which Japanese carriers print and e-mail slip numbers.
 *
 * @example
 * formatJpDomestic('123456789013'); // '1234-5678-9013'
 */
export function formatJpDomestic(n: string): string {
  assertDigits(n, 12, 'formatJpDomestic');
  return `${n.slice(0, 4)}-${n.slice(4, 8)}-${n.slice(8)}`;
}

/**
 * A Japan Post registered-mail (書留) number: 10 digits (leading digit 1–9) + mod-7 check.
 *
 * @example
 * japanPostRegistered(Stream.root(42).child('t')); // '91716146196'
 */
export function japanPostRegistered(rng: Stream): string {
  const body = String(rng.int(1, 9)) + rng.digits(9);
  return body + japanPostRegisteredCheckDigit(body);
}

const ALNUM_UPPER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// Service codes most often seen on consumer parcels; ground ('03') dominates real traffic.
const UPS_SERVICES = ['01', '02', '03', '12', '13', '42'] as const;
const UPS_SERVICE_WEIGHTS = [1, 2, 6, 1, 1, 1] as const;

/**
 * A UPS `1Z` number: 6-char shipper account + 2-digit service code + 7-digit package id + check.
 *
 * @example
 * ups(Stream.root(42).child('t')); // '1ZY5S6O40361942872'
 */
export function ups(rng: Stream): string {
  const body = rng.chars(6, ALNUM_UPPER) + rng.weighted(UPS_SERVICES, UPS_SERVICE_WEIGHTS) + rng.digits(7);
  return `1Z${body}${upsCheckDigit(body)}`;
}

// Leading digits of consumer IMpb labels (routing application id 92/94 + start of the
// service type code). We do not model mailer ids; the rest is random.
const IMPB_PREFIXES = ['9400', '9205', '9407', '9270'] as const;

/**
 * A 22-digit USPS IMpb tracking number.
 *
 * @example
 * uspsImpb(Stream.root(42).child('t')); // '9270171614619428756884'
 */
export function uspsImpb(rng: Stream): string {
  const body = rng.pick(IMPB_PREFIXES) + rng.digits(17);
  return body + impbCheckDigit(body);
}

/**
 * A Hanamart Logistics (our fictional marketplace's own delivery network, like Amazon's TBA)
 * number: `HMA` + 12 digits, no check digit.
 *
 * @example
 * marketplaceLogistics(Stream.root(42).child('t')); // 'HMA917161461942'
 */
export function marketplaceLogistics(rng: Stream): string {
  return `HMA${rng.digits(12)}`;
}

// First groups of marketplace order numbers, copying the shape of real ones (249/250/503-...).
const ORDER_FIRST_GROUPS = ['249', '250', '502', '503', '114', '111', '112', '113'] as const;

/**
 * A Hanamart order number, 3-7-7 digits.
 *
 * @example
 * marketplaceOrderNumber(Stream.root(42).child('t')); // '113-1716146-1942875'
 */
export function marketplaceOrderNumber(rng: Stream): string {
  return `${rng.pick(ORDER_FIRST_GROUPS)}-${rng.digits(7)}-${rng.digits(7)}`;
}

/**
 * A Hanamart digital-goods order number, `D01-` + 7 + `-` + 7 digits.
 *
 * @example
 * digitalOrderNumber(Stream.root(42).child('t')); // 'D01-9171614-6194287'
 */
export function digitalOrderNumber(rng: Stream): string {
  return `D01-${rng.digits(7)}-${rng.digits(7)}`;
}

// ---------------------------------------------------------------------------------------------
// Carriers

export type CarrierId =
  | 'yamato'
  | 'sagawa'
  | 'japanpost-yupack'
  | 'japanpost-ems'
  | 'japanpost-registered'
  | 'china-post'
  | 'korea-post'
  | 'singapore-post'
  | 'ups'
  | 'usps'
  | 'hanamart';

/**
 * Where a carrier sits as seen from a Japanese mailbox: a Japanese carrier (including Japan
 * Post's international EMS), a foreign national post, an international courier, or the
 * marketplace's own delivery network.
 */
export type CarrierKind = 'domestic-jp' | 'foreign-post' | 'courier' | 'marketplace';

/** Numbering scheme of a carrier's tracking numbers. */
export type TrackingScheme = 's10' | 'jp-mod7-12' | 'jp-mod7-11' | 'ups-1z' | 'usps-impb' | 'hanamart';

export interface Carrier {
  readonly id: CarrierId;
  /** Names as a shipping notice would print them. */
  readonly name: { readonly ja: string; readonly en: string };
  readonly kind: CarrierKind;
  /** ISO 3166-1 alpha-2 country of the carrier. */
  readonly country: string;
  readonly scheme: TrackingScheme;
  /**
   * Tracking page URL with `{id}` where the number goes. Hosts are under the RFC 2606 reserved
   * `.example` TLD only: the dataset must never contain a live link to a real carrier.
   */
  readonly trackingUrl: string;
}

/**
 * The carriers our mail streams use. Carrier names are real; every URL is under `.example`.
 *
 * @example
 * CARRIERS.yamato.name.ja; // 'ヤマト運輸'
 */
export const CARRIERS: Readonly<Record<CarrierId, Carrier>> = {
  yamato: {
    id: 'yamato',
    name: { ja: 'ヤマト運輸', en: 'Yamato Transport' },
    kind: 'domestic-jp',
    country: 'JP',
    scheme: 'jp-mod7-12',
    trackingUrl: 'https://toi.kuronekoyamato.example/cgi-bin/tneko?number={id}',
  },
  sagawa: {
    id: 'sagawa',
    name: { ja: '佐川急便', en: 'Sagawa Express' },
    kind: 'domestic-jp',
    country: 'JP',
    scheme: 'jp-mod7-12',
    trackingUrl: 'https://k2k.sagawa-exp.example/p/sagawa/web/okurijoinput.jsp?okurijoNo={id}',
  },
  'japanpost-yupack': {
    id: 'japanpost-yupack',
    name: { ja: 'ゆうパック', en: 'Japan Post Yu-Pack' },
    kind: 'domestic-jp',
    country: 'JP',
    scheme: 'jp-mod7-12',
    trackingUrl: 'https://track.japanpost.example/services/srv/search/?requestNo1={id}',
  },
  'japanpost-ems': {
    id: 'japanpost-ems',
    name: { ja: 'EMS（国際スピード郵便）', en: 'Japan Post EMS' },
    kind: 'domestic-jp',
    country: 'JP',
    scheme: 's10',
    trackingUrl: 'https://track.japanpost.example/services/srv/search/?requestNo1={id}',
  },
  'japanpost-registered': {
    id: 'japanpost-registered',
    name: { ja: '書留', en: 'Japan Post Registered Mail' },
    kind: 'domestic-jp',
    country: 'JP',
    scheme: 'jp-mod7-11',
    trackingUrl: 'https://track.japanpost.example/services/srv/search/?requestNo1={id}',
  },
  'china-post': {
    id: 'china-post',
    name: { ja: '中国郵政', en: 'China Post' },
    kind: 'foreign-post',
    country: 'CN',
    scheme: 's10',
    trackingUrl: 'https://track.chinapost.example/?id={id}',
  },
  'korea-post': {
    id: 'korea-post',
    name: { ja: '韓国郵政', en: 'Korea Post' },
    kind: 'foreign-post',
    country: 'KR',
    scheme: 's10',
    trackingUrl: 'https://service.epost.example/trace?sid1={id}',
  },
  'singapore-post': {
    id: 'singapore-post',
    name: { ja: 'シンガポールポスト', en: 'Singapore Post' },
    kind: 'foreign-post',
    country: 'SG',
    scheme: 's10',
    trackingUrl: 'https://www.singpost.example/track-items?trackingid={id}',
  },
  ups: {
    id: 'ups',
    // Japanese notices write UPS and USPS in Latin letters, so the ja names are the same.
    name: { ja: 'UPS', en: 'UPS' },
    kind: 'courier',
    country: 'US',
    scheme: 'ups-1z',
    trackingUrl: 'https://www.ups.example/track?tracknum={id}',
  },
  usps: {
    id: 'usps',
    name: { ja: 'USPS', en: 'USPS' },
    kind: 'foreign-post',
    country: 'US',
    scheme: 'usps-impb',
    trackingUrl: 'https://tools.usps.example/go/TrackConfirmAction?tLabels={id}',
  },
  hanamart: {
    id: 'hanamart',
    name: { ja: 'ハナマート配送', en: 'Hanamart Logistics' },
    kind: 'marketplace',
    country: 'JP',
    scheme: 'hanamart',
    trackingUrl: 'https://logistics.hanamart.example/track/{id}',
  },
};

/** All carrier ids in a fixed order (never `Object.keys`, so `rng.pick(CARRIER_IDS)` is stable). */
export const CARRIER_IDS: readonly CarrierId[] = [
  'yamato',
  'sagawa',
  'japanpost-yupack',
  'japanpost-ems',
  'japanpost-registered',
  'china-post',
  'korea-post',
  'singapore-post',
  'ups',
  'usps',
  'hanamart',
];

type S10CarrierId = 'japanpost-ems' | 'china-post' | 'korea-post' | 'singapore-post';

/**
 * S10 service indicators each post uses here. Only real S10 ranges: EA–EZ EMS, CA–CZ parcels,
 * LA–LZ tracked letters/small packets, RA–RZ registered, UA–UZ untracked small packets.
 * (Pairs like YT belong to private forwarders and are not S10 ids.)
 */
export const S10_PREFIXES: Readonly<Record<S10CarrierId, readonly string[]>> = {
  'japanpost-ems': ['EJ', 'EB', 'EE', 'EG', 'EN'],
  'china-post': ['LX', 'LY', 'LZ', 'LT', 'RB', 'RR', 'RL', 'UA', 'UB', 'CP', 'EA'],
  'korea-post': ['RR', 'RB', 'EE', 'EG', 'LK', 'CP'],
  'singapore-post': ['RB', 'RS', 'RR', 'LL', 'UA', 'EZ'],
};

/** The service-indicator families a carrier's S10 ids may start with (validation is looser than generation). */
const S10_FAMILIES: Readonly<Record<S10CarrierId, string>> = {
  'japanpost-ems': 'E',
  'china-post': 'CELRU',
  'korea-post': 'CELRU',
  'singapore-post': 'CELRU',
};

/**
 * A tracking number of `carrier`, in its canonical (unformatted) form.
 *
 * @example
 * trackingNumber(Stream.root(42).child('t'), 'china-post'); // 'EA171614614CN'
 * trackingNumber(Stream.root(42).child('t'), 'yamato');     // '717161461940'
 */
export function trackingNumber(rng: Stream, carrier: CarrierId): string {
  switch (carrier) {
    case 'yamato':
      return yamato(rng);
    case 'sagawa':
      return sagawa(rng);
    case 'japanpost-yupack':
      return yuPack(rng);
    case 'japanpost-registered':
      return japanPostRegistered(rng);
    case 'japanpost-ems':
    case 'china-post':
    case 'korea-post':
    case 'singapore-post':
      return s10(rng, { prefix: rng.pick(S10_PREFIXES[carrier]), country: CARRIERS[carrier].country });
    case 'ups':
      return ups(rng);
    case 'usps':
      return uspsImpb(rng);
    case 'hanamart':
      return marketplaceLogistics(rng);
  }
}

const HANAMART_RE = /^HMA[0-9]{12}$/;

/**
 * Whether `number` is a well-formed tracking number of `carrier`: format plus check digit
 * (Hanamart numbers have none: format only). S10 ids must also carry the carrier's country and a
 * service indicator family it uses. Expects the canonical form, without display hyphens.
 *
 * @example
 * validTracking('china-post', 'LX123456785CN'); // true
 * validTracking('korea-post', 'LX123456785CN'); // false (country CN)
 */
export function validTracking(carrier: CarrierId, number: string): boolean {
  switch (carrier) {
    case 'yamato':
    case 'sagawa':
    case 'japanpost-yupack':
      return isValidJpDomestic(number);
    case 'japanpost-registered':
      return isValidJapanPostRegistered(number);
    case 'japanpost-ems':
    case 'china-post':
    case 'korea-post':
    case 'singapore-post':
      return isValidS10(number) && number.slice(11) === CARRIERS[carrier].country && S10_FAMILIES[carrier].includes(number.charAt(0));
    case 'ups':
      return isValidUps(number);
    case 'usps':
      return isValidImpb(number);
    case 'hanamart':
      return HANAMART_RE.test(number);
  }
}

/**
 * The carrier's tracking page for `number` (under `.example`).
 *
 * @example
 * trackingUrl('china-post', 'LX123456785CN'); // 'https://track.chinapost.example/?id=LX123456785CN'
 */
export function trackingUrl(carrier: CarrierId, number: string): string {
  return CARRIERS[carrier].trackingUrl.replace('{id}', encodeURIComponent(number));
}

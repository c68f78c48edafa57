/**
 * Phishing infrastructure as facts of the world: what a campaign sends from (the brand's own
 * domain spoofed, a look-alike domain, or a freemail account with the brand's display name), where
 * its links point, its relay, and which brand a family of lures imitates. Campaigns are planned
 * with these (scenarios) and their mail rendered from them (mail templates), so both read the same
 * facts and neither reaches into the other.
 */
import type { Stream } from '../core/rng.js';
import type { ZoneName } from '../core/time.js';
import type { Locale } from '../vocab/types.js';
import { FINANCE, MAIL_PROVIDERS, MARKETPLACE, MOBILE_CARRIERS, SOCIAL_NETWORKS, WEB_SHOPS, providerName } from './brands.js';

export type PhishStyle = 'spoof' | 'lookalike' | 'display-name';

/** The sending infrastructure of one campaign, shared by every mail of it. */
export interface PhishInfra {
  style: PhishStyle;
  /** From domain: the brand's own (spoof), a look-alike, or a freemail provider. */
  fromDomain: string;
  /** Domain the links point to. */
  linkDomain: string;
  relayHost: string;
  relayIp: string;
  zone: ZoneName;
  fromLocal: string;
  /** The brand the campaign imitates, when drawn for one; absent means the marketplace. */
  brand?: ImitatedBrand;
  /** How the campaign delivers its page: a link, the page as an HTML attachment, or that page zipped (to slip past link scanners). */
  payload: PhishPayload;
}

export type PhishPayload = 'link' | 'html-attachment' | 'archive';

/** Most campaigns link; about a fifth attach the page, one in ten zip it (see docs/calibration.md). */
function payloadOf(rng: Stream): PhishPayload {
  return rng.weighted(['link', 'html-attachment', 'archive'] as const, [0.7, 0.2, 0.1]);
}

/** A brand a phishing campaign imitates: its name (one, or per locale) and its real domain. */
export interface ImitatedBrand {
  name: Record<Locale, string> | string;
  domain: string;
}

/** The name of an imitated brand as a mail in `locale` writes it. */
export function brandLabel(brand: ImitatedBrand, locale: Locale): string {
  return typeof brand.name === 'string' ? brand.name : brand.name[locale];
}

const LOOKALIKE_PATTERNS = [
  (w: string) => `hanamart.co.jp.${w}.example`,
  (w: string) => `hanamart-jp-${w}.example`,
  () => `hanarnart.example`,
  (w: string) => `hanamart.account-${w}.example`,
  (w: string) => `secure-hanamart-${w}.example`,
] as const;

/**
 * Draw a campaign's infrastructure. With `brand`, the campaign spoofs or looks like that brand;
 * without it, the marketplace (the draws are then exactly those of earlier versions, so existing
 * datasets keep their bytes).
 */
export function phishInfra(rng: Stream, style: PhishStyle, locale: Locale, brand?: ImitatedBrand): PhishInfra {
  const payload = payloadOf(rng.child('payload'));
  if (brand) return { ...brandInfra(rng, style, locale, brand), payload };
  const word = rng.chars(rng.int(4, 7), 'abcdefghijklmnopqrstuvwxyz') + (rng.bool(0.5) ? rng.digits(2) : '');
  const linkDomain = rng.pick(LOOKALIKE_PATTERNS)(word);
  const fromDomain =
    style === 'spoof' ? MARKETPLACE.site[locale] : style === 'lookalike' ? linkDomain : rng.pick(['example.com', 'example.net', 'mail.example']);
  return {
    style,
    fromDomain,
    linkDomain,
    relayHost: `${rng.pick(['vps', 'srv', 'mx', 'smtp'])}${rng.int(1, 999)}.${rng.chars(6, 'abcdefghijklmnopqrstuvwxyz')}-host.example`,
    relayIp: `198.51.100.${rng.int(150, 254)}`,
    // An unusual zone (+0800) for a Japanese brand is one of the tells.
    zone: rng.pick(['Asia/Shanghai', 'Asia/Shanghai', 'UTC', 'America/Los_Angeles'] as ZoneName[]),
    fromLocal:
      style === 'display-name'
        ? rng.chars(8, 'abcdefghijklmnopqrstuvwxyz') + rng.digits(3)
        : rng.pick(['auto-confirm', 'account-update', 'no-reply', 'security', 'support']),
    payload,
  };
}

/** The label a look-alike domain is built from: `hayate-bank.example` -> `hayate-bank`. */
function lookalikeBase(domain: string): string {
  const d = domain.toLowerCase().replace(/\.(co\.jp\.)?example$/, '');
  return d.replace(/[^a-z0-9-]+/g, '-') || 'account';
}

/** A typo-squatted label: `m` -> `rn`, `l` -> `1`, `o` -> `0`, a doubled or a dropped letter. */
function typo(base: string, rng: Stream): string {
  const options: Array<() => string> = [];
  if (base.includes('m')) options.push(() => base.replace('m', 'rn'));
  if (base.includes('l')) options.push(() => base.replace('l', '1'));
  if (base.includes('o')) options.push(() => base.replace('o', '0'));
  const letters = [...base].map((c, i) => (/[a-z]/.test(c) ? i : -1)).filter((i) => i >= 0);
  if (letters.length > 0) {
    const i = rng.pick(letters);
    options.push(() => base.slice(0, i + 1) + base.slice(i));
    if (letters.length > 4) options.push(() => base.slice(0, i) + base.slice(i + 1));
  }
  return options.length > 0 ? rng.pick(options)() : `${base}-login`;
}

const BRAND_LOOKALIKES = [
  (b: string, w: string, loc: Locale) => (loc === 'ja' ? `${b}.co.jp.${w}.example` : `${b}.com.${w}.example`),
  (b: string, w: string, loc: Locale) => `${b}-${loc === 'ja' ? 'jp-' : ''}${w}.example`,
  (b: string, _w: string, _loc: Locale, rng: Stream) => `${typo(b, rng)}.example`,
  (b: string, w: string) => `${b}.account-${w}.example`,
  (b: string, w: string) => `secure-${b}-${w}.example`,
  (b: string, w: string, loc: Locale) => (loc === 'ja' ? `${b}.jp-sign${w}.example` : `${b}.signin-${w}.example`),
] as const;

function brandInfra(rng: Stream, style: PhishStyle, locale: Locale, brand: ImitatedBrand): Omit<PhishInfra, 'payload'> {
  const word = rng.chars(rng.int(4, 7), 'abcdefghijklmnopqrstuvwxyz') + (rng.bool(0.5) ? rng.digits(2) : '');
  const linkDomain = rng.pick(BRAND_LOOKALIKES)(lookalikeBase(brand.domain), word, locale, rng);
  const fromDomain = style === 'spoof' ? brand.domain : style === 'lookalike' ? linkDomain : rng.pick(['example.com', 'example.net', 'mail.example']);
  return {
    style,
    fromDomain,
    linkDomain,
    relayHost: `${rng.pick(['vps', 'srv', 'mx', 'smtp', 'mail'])}${rng.int(1, 999)}.${rng.chars(6, 'abcdefghijklmnopqrstuvwxyz')}-host.example`,
    relayIp: `198.51.100.${rng.int(150, 254)}`,
    zone: rng.pick(['Asia/Shanghai', 'Asia/Shanghai', 'UTC', 'America/Los_Angeles'] as ZoneName[]),
    fromLocal:
      style === 'display-name'
        ? rng.chars(8, 'abcdefghijklmnopqrstuvwxyz') + rng.digits(3)
        : rng.pick(['info', 'no-reply', 'security', 'support', 'notice', 'account', 'service']),
    brand,
  };
}

/** The families of genuine mail that phishing imitates. */
export const IMITATION_FAMILIES = [
  'provider-security',
  'bank',
  'card',
  'mobile',
  'delivery',
  'points',
  'marketplace-order',
  'marketplace-security',
  'password-reset',
] as const;
export type ImitationFamily = (typeof IMITATION_FAMILIES)[number];
/** Same as {@link ImitationFamily}. */
export type ImitatedFamily = ImitationFamily;

/** Delivery companies phishing imitates (real carrier names are public facts; the domains are not theirs). */
const DELIVERY_BRANDS: Record<Locale, readonly ImitatedBrand[]> = {
  ja: [
    { name: '日本郵便', domain: 'japanpost.example' },
    { name: 'ヤマト運輸', domain: 'kuronekoyamato.example' },
    { name: '佐川急便', domain: 'sagawa-exp.example' },
  ],
  en: [
    { name: 'USPS', domain: 'usps.example' },
    { name: 'UPS', domain: 'ups.example' },
  ],
};

export function marketplaceBrand(locale: Locale): ImitatedBrand {
  return { name: MARKETPLACE.name, domain: MARKETPLACE.site[locale] };
}

/** A plausible brand for a family of lures, among the world's brands of the locale. */
export function imitationBrand(family: ImitationFamily, locale: Locale, rng: Stream): ImitatedBrand {
  const finance = (kind: 'bank' | 'card'): ImitatedBrand[] =>
    FINANCE.filter((b) => b.kind === kind && b.locale === locale).map((b) => ({ name: b.name, domain: b.sending.domain }));
  const carriers = (): ImitatedBrand[] => MOBILE_CARRIERS.filter((c) => c.locale === locale).map((c) => ({ name: c.name, domain: c.domain }));
  switch (family) {
    case 'provider-security':
      return rng.pick(
        MAIL_PROVIDERS.filter((p) => p.locales.includes(locale)).map((p) => ({
          name: { ja: providerName(p, 'ja'), en: providerName(p, 'en') },
          domain: p.domain,
        })),
      );
    case 'bank':
      return rng.pick(finance('bank'));
    case 'card':
      return rng.pick(finance('card'));
    case 'mobile':
      return rng.pick(carriers());
    case 'delivery':
      return rng.pick(DELIVERY_BRANDS[locale]);
    case 'points':
      return rng.pick([marketplaceBrand(locale), ...finance('card'), ...carriers()]);
    case 'marketplace-order':
    case 'marketplace-security':
      return marketplaceBrand(locale);
    case 'password-reset':
      return rng.pick([
        marketplaceBrand(locale),
        ...SOCIAL_NETWORKS.filter((n) => n.locales.includes(locale)).map((n) => ({ name: n.name, domain: n.domain })),
        ...WEB_SHOPS.filter((s) => s.locale === locale).map((s) => ({ name: s.name, domain: s.domain })),
      ]);
  }
}

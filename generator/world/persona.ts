/**
 * Mailbox personas: who owns each mailbox, what accounts they hold, how active they are.
 *
 * A persona is derived from (seed, mailbox index) alone, so every worker builds the same one.
 * Some attributes are hidden (password strength, 2-step verification, whether a saved address
 * is stale): they shape what happens, go to `truth/mailboxes.jsonl` and the dataset card, and
 * never appear in a mail.
 */
import { Faker, base, en, en_AU, en_GB, en_US, ja } from '@faker-js/faker';
import type { Config } from '../config.js';
import type { Stream } from '../core/rng.js';
import type { ZoneName } from '../core/time.js';
import type { Locale, NewsletterList } from '../vocab/types.js';
import { givenNames, surnames } from '../vocab/ja/names.js';
import jaLists from '../vocab/ja/newsletters.js';
import enLists from '../vocab/en/newsletters.js';
import { FINANCE, MAIL_PROVIDERS, MOBILE_CARRIERS, SOCIAL_NETWORKS, WEB_SHOPS } from './brands.js';
import type { FinanceBrand, MailProvider, MobileCarrier, SocialNetwork, WebShop } from './brands.js';

export interface PostalAddress {
  /** Postal code as printed (ja `150-0001`, en `80018`). */
  postcode: string;
  /** Lines as an order confirmation prints them, without the recipient's name. */
  lines: string[];
  /** Prefecture / state / county, and city, for partial display. */
  region: string;
  city: string;
}

export interface StoredCard {
  network: 'VISA' | 'Mastercard' | 'JCB' | 'AMEX';
  last4: string;
  /** `MM/YY` */
  expires: string;
  expired: boolean;
}

export type PasswordStrength = 'numeric' | 'weak' | 'strong';

export interface MarketplaceAccount {
  memberSinceYear: number;
  dormant: boolean;
  /** Days between the last order before the window and the window's start. */
  lastOrderDaysBefore: number;
  /** Owner-driven orders per month during the window (0 when dormant). */
  ordersPerMonth: number;
  password: PasswordStrength;
  twoFactor: boolean;
  cards: StoredCard[];
  /** An address saved in the account that the owner no longer lives at (hidden). */
  staleAddress: PostalAddress | null;
}

export interface Contact {
  name: string;
  given: string;
  address: string;
  provider: MailProvider;
  locale: Locale;
  zone: ZoneName;
  /** Zipf weight: a few contacts write most personal mail. */
  weight: number;
  iso2022jp: boolean;
  userAgent: string;
}

export interface Subscription {
  list: NewsletterList;
  locale: Locale;
  /** Lists start sending some time after sign-up; most subscriptions predate the window. */
  sinceOffsetDays: number;
}

export interface Persona {
  index: number;
  /** Opaque, hash-derived mailbox id (reveals nothing about the mailbox). */
  id: string;
  locale: Locale;
  zone: ZoneName;
  family: string;
  given: string;
  /** Name as senders address the owner (`山田 太郎`, `Jane Doe`). */
  displayName: string;
  address: string;
  provider: MailProvider;
  /** Log-normal volume multiplier (heavy-tailed across mailboxes). */
  activity: number;
  home: PostalAddress;
  marketplace: MarketplaceAccount | null;
  banks: FinanceBrand[];
  cards: Array<{ brand: FinanceBrand; last4: string }>;
  /** The owner's mobile carrier (SIM notices). */
  mobile: MobileCarrier;
  subscriptions: Subscription[];
  social: Array<{ network: SocialNetwork; perDay: number }>;
  contacts: Contact[];
  webShops: WebShop[];
  spamPerDay: number;
  /** Relative chance of being on a phishing campaign's target list (address age, leaks). */
  exposure: number;
  securityPerMonth: number;
}

/**
 * Faker draws through this adapter so that each persona uses its own stream. Faker calls
 * `next` unbound, so the methods are closures over a mutable slot, not class methods.
 */
const slot: { current: Stream | null } = { current: null };
const randomizer = {
  next(): number {
    if (!slot.current) throw new Error('faker used outside a persona stream');
    return slot.current.float();
  },
  seed(): void {
    // Seeding goes through our streams, never through faker.
  },
};
const fakers = {
  ja: new Faker({ locale: [ja, en, base], randomizer }),
  en_US: new Faker({ locale: [en_US, en, base], randomizer }),
  en_GB: new Faker({ locale: [en_GB, en, base], randomizer }),
  en_AU: new Faker({ locale: [en_AU, en, base], randomizer }),
};

function fakerFor(locale: Locale, zone: ZoneName): Faker {
  if (locale === 'ja') return fakers.ja;
  if (zone === 'Europe/London') return fakers.en_GB;
  if (zone === 'Australia/Sydney') return fakers.en_AU;
  return fakers.en_US;
}

function withFaker<T>(rng: Stream, f: () => T): T {
  slot.current = rng;
  try {
    return f();
  } finally {
    slot.current = null;
  }
}

export function postalAddress(rng: Stream, locale: Locale, zone: ZoneName): PostalAddress {
  const f = fakerFor(locale, zone);
  return withFaker(rng, () => {
    if (locale === 'ja') {
      const region = f.location.state();
      const city = f.location.city();
      const street = f.location.street();
      const building = rng.bool(0.45) ? ' ' + f.location.secondaryAddress() : '';
      const postcode = f.location.zipCode('###-####');
      return { postcode, region, city, lines: [`〒${postcode}`, `${region}${city}${street}${building}`] };
    }
    const street = f.location.streetAddress(rng.bool(0.3));
    const city = f.location.city();
    if (zone === 'Europe/London') {
      const postcode = f.location.zipCode();
      const region = f.location.county();
      return { postcode, region, city, lines: [street, `${city}, ${region}`, postcode] };
    }
    if (zone === 'Australia/Sydney') {
      const region = f.location.state({ abbreviated: true });
      const postcode = f.location.zipCode('2###');
      return { postcode, region, city, lines: [street, `${city} ${region} ${postcode}`] };
    }
    const region = f.location.state({ abbreviated: true });
    const postcode = f.location.zipCode('#####');
    return { postcode, region, city, lines: [street, `${city}, ${region} ${postcode}`] };
  });
}

export function personName(rng: Stream, locale: Locale, zone: ZoneName): { family: string; given: string; familyLatin: string; givenLatin: string } {
  if (locale === 'ja') {
    const s = rng.pick(surnames);
    const g = rng.pick(givenNames);
    return { family: s.kanji, given: g.kanji, familyLatin: s.romaji, givenLatin: g.romaji };
  }
  const f = fakerFor(locale, zone);
  return withFaker(rng, () => {
    const given = f.person.firstName();
    const family = f.person.lastName();
    return { family, given, familyLatin: family, givenLatin: given };
  });
}

function latin(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

/** A plausible mailbox local part: `yui.tanaka`, `tanaka_yui88`, `jdoe1987`. */
function localPart(rng: Stream, givenLatin: string, familyLatin: string): string {
  const g = latin(givenLatin) || 'user';
  const f = latin(familyLatin) || 'mail';
  const year = rng.int(1955, 2004);
  switch (rng.int(0, 5)) {
    case 0:
      return `${g}.${f}`;
    case 1:
      return `${f}_${g}${String(year).slice(2)}`;
    case 2:
      return `${g[0]}${f}${year}`;
    case 3:
      return `${g}${f[0]}.${rng.digits(3)}`;
    case 4:
      return `${f}.${g}`;
    default:
      return `${g}-${f}${rng.int(1, 99)}`;
  }
}

function mailAddress(rng: Stream, givenLatin: string, familyLatin: string, provider: MailProvider): string {
  return `${localPart(rng, givenLatin, familyLatin)}@${provider.domain}`;
}

function expiry(rng: Stream, startYear: number, expired: boolean): { expires: string; expired: boolean } {
  const yy = expired ? startYear - rng.int(1, 5) : startYear + rng.int(1, 5);
  const mm = rng.int(1, 12);
  return { expires: `${String(mm).padStart(2, '0')}/${String(yy % 100).padStart(2, '0')}`, expired };
}

const ALL_LISTS: Record<Locale, readonly NewsletterList[]> = { ja: jaLists, en: enLists };

/** Zipf weights over a seed-shuffled list order: a few lists are very popular. */
export function listPopularity(rng: Stream, lists: readonly NewsletterList[], alpha: number): number[] {
  const order = rng.shuffle(lists.map((_, i) => i));
  const weights = new Array<number>(lists.length).fill(0);
  order.forEach((listIndex, rank) => (weights[listIndex] = 1 / Math.pow(rank + 1, alpha)));
  return weights;
}

export interface PersonaContext {
  config: Config;
  /** World-level stream (seed only). */
  world: Stream;
  /** Popularity weights of each locale's lists. */
  popularity: Record<Locale, number[]>;
  startYear: number;
}

export function makePersona(ctx: PersonaContext, index: number): Persona {
  const { config } = ctx;
  const rng = ctx.world.child('mailbox', index);
  const p = config.persona;
  const t = config.traffic;

  const locale: Locale = rng.child('locale').weightedKey(config.locales);
  const zone = rng.child('zone').weightedKey(config.zones[locale] as Record<ZoneName, number>);
  const name = personName(rng.child('name'), locale, zone);
  const providers = MAIL_PROVIDERS.filter((m) => m.locales.includes(locale));
  const provider = rng.child('provider').pick(providers);
  const address = mailAddress(rng.child('address'), name.givenLatin, name.familyLatin, provider);
  const displayName = locale === 'ja' ? `${name.family} ${name.given}` : `${name.given} ${name.family}`;
  const activity = rng.child('activity').lognormal(1, p.activitySigma);
  const home = postalAddress(rng.child('home'), locale, zone);

  const fin = rng.child('finance');
  const localFinance = FINANCE.filter((b) => b.locale === locale);
  const banks = fin.shuffle(localFinance.filter((b) => b.kind === 'bank')).slice(0, fin.int(1, 2));
  const issuerCards = fin
    .shuffle(localFinance.filter((b) => b.kind === 'card'))
    .slice(0, fin.int(0, 2))
    .map((brand) => ({ brand, last4: fin.digits(4) }));

  const acct = rng.child('marketplace');
  let marketplace: MarketplaceAccount | null = null;
  if (acct.bool(p.marketplaceAccount)) {
    const dormant = acct.bool(p.dormant);
    const lastOrderDaysBefore = dormant ? acct.int(p.dormantDays[0], p.dormantDays[1]) : acct.int(0, 60);
    const memberSinceYear = ctx.startYear - Math.ceil(lastOrderDaysBefore / 365) - acct.int(0, 8);
    const password = acct.weightedKey(p.password);
    const twoFactor = acct.bool(p.twoFactor);
    // An active account pays with the owner's everyday cards (the ones whose issuers write to this
    // mailbox); a card saved on an account nobody has used for years has usually expired.
    const cards: StoredCard[] = dormant
      ? []
      : issuerCards.map((c) => ({ network: c.brand.network ?? 'VISA', last4: c.last4, ...expiry(acct, ctx.startYear, false) }));
    const nCards = Math.max(dormant ? 1 : 0, acct.int(1, 3) - cards.length);
    for (let i = 0; i < nCards; i++) {
      const expired = acct.bool(dormant ? Math.max(p.expiredCards, 0.85) : p.expiredCards);
      cards.push({ network: acct.pick(['VISA', 'Mastercard', 'JCB', 'AMEX'] as const), last4: acct.digits(4), ...expiry(acct, ctx.startYear, expired) });
    }
    const staleAddress = acct.bool(p.staleAddress) ? postalAddress(acct.child('stale-address'), locale, zone) : null;
    const ordersPerMonth = dormant ? 0 : acct.lognormal(t.ordersPerMonth.median, t.ordersPerMonth.sigma) * Math.sqrt(activity);
    marketplace = { memberSinceYear, dormant, lastOrderDaysBefore, ordersPerMonth, password, twoFactor, cards, staleAddress };
  }

  const subs = rng.child('subscriptions');
  const lists = ALL_LISTS[locale];
  const weights = ctx.popularity[locale].slice();
  const nSubs = Math.min(t.newsletters.max, subs.poisson(t.newsletters.mean * Math.pow(activity, 0.6)), lists.length);
  const subscriptions: Subscription[] = [];
  for (let i = 0; i < nSubs; i++) {
    const k = subs.weighted(
      lists.map((_, j) => j),
      weights,
    );
    weights[k] = 0; // without replacement
    const sinceOffsetDays = subs.bool(0.85) ? -subs.int(1, 2000) : subs.int(0, config.days - 1);
    subscriptions.push({ list: lists[k]!, locale, sinceOffsetDays });
  }
  subscriptions.sort((a, b) => (a.list.id < b.list.id ? -1 : 1));

  const soc = rng.child('social');
  const networks = SOCIAL_NETWORKS.filter((n) => n.locales.includes(locale));
  const social = soc
    .shuffle(networks)
    .slice(0, soc.int(t.socialMemberships[0], Math.min(t.socialMemberships[1], networks.length)))
    .map((network) => ({ network, perDay: t.socialPerDay * soc.lognormal(1, 0.8) * activity }));

  const con = rng.child('contacts');
  const nContacts = Math.round(Math.min(t.contacts[1], Math.max(t.contacts[0], con.lognormal(8, 0.6) * Math.sqrt(activity))));
  const contacts: Contact[] = [];
  const order = con.shuffle([...Array(nContacts).keys()]);
  for (let i = 0; i < nContacts; i++) {
    const c = con.child(i);
    // Most contacts share the owner's locale and zone; a few live abroad.
    const cLocale: Locale = c.bool(0.9) ? locale : locale === 'ja' ? 'en' : 'ja';
    const cZone = cLocale === locale ? zone : c.child('zone').weightedKey(config.zones[cLocale] as Record<ZoneName, number>);
    const cn = personName(c.child('name'), cLocale, cZone);
    const cProvider = c.pick(MAIL_PROVIDERS.filter((m) => m.locales.includes(cLocale)));
    contacts.push({
      name: cLocale === 'ja' ? `${cn.family} ${cn.given}` : `${cn.given} ${cn.family}`,
      given: cn.given,
      address: mailAddress(c.child('address'), cn.givenLatin, cn.familyLatin, cProvider),
      provider: cProvider,
      locale: cLocale,
      zone: cZone,
      weight: 1 / Math.pow(order[i]! + 1, 1.2),
      iso2022jp: cLocale === 'ja' && c.bool(t.iso2022jpShare),
      userAgent: c.pick(cProvider.userAgents),
    });
  }

  const shops = rng.child('web-shops');
  const webShops = shops.shuffle(WEB_SHOPS.filter((s) => s.locale === locale)).slice(0, shops.int(0, 3));

  const sp = rng.child('spam');
  const spamPerDay = sp.lognormal(t.spamPerDay.median, t.spamPerDay.sigma);
  const exposure = Math.min(4, sp.lognormal(1, 0.7) * Math.sqrt(spamPerDay / Math.max(t.spamPerDay.median, 1e-9)));
  const securityPerMonth = t.securityEventsPerMonth * rng.child('security').lognormal(1, 0.6);

  return {
    index,
    id: 'mb-' + ctx.world.id('mailbox-id', index).slice(0, 10),
    locale,
    zone,
    family: name.family,
    given: name.given,
    displayName,
    address,
    provider,
    activity,
    home,
    marketplace,
    banks,
    cards: issuerCards,
    mobile: rng.child('mobile').pick(MOBILE_CARRIERS.filter((c) => c.locale === locale)),
    subscriptions,
    social,
    contacts,
    webShops,
    spamPerDay,
    exposure,
    securityPerMonth,
  };
}

/** Someone else to ship to: a name and an address in the owner's country (a gift, a drop address). */
export function otherRecipient(rng: Stream, persona: Persona): { name: string; address: PostalAddress } {
  const n = personName(rng.child('name'), persona.locale, persona.zone);
  return {
    name: persona.locale === 'ja' ? `${n.family} ${n.given}` : `${n.given} ${n.family}`,
    address: postalAddress(rng.child('address'), persona.locale, persona.zone),
  };
}

/** A family member sharing the owner's account and home: the owner's family name, another given name. */
export function familyMember(rng: Stream, persona: Persona): { name: string; address: PostalAddress } {
  let given = personName(rng, persona.locale, persona.zone).given;
  for (let i = 0; i < 5 && given === persona.given; i++) given = personName(rng.child(i), persona.locale, persona.zone).given;
  return { name: persona.locale === 'ja' ? `${persona.family} ${given}` : `${given} ${persona.family}`, address: persona.home };
}

/**
 * What the world keeps of every mailbox: the facts planning, thread balancing, the card and other
 * mailboxes' mail need of it, in about 200 bytes. The whole persona (5-6 KiB) is made only for the
 * mailboxes a machine simulates, so a shard's memory follows its own mailboxes, not the world's.
 */
export interface MailboxFacts {
  index: number;
  id: string;
  locale: Locale;
  zone: ZoneName;
  displayName: string;
  activity: number;
  marketplace: { dormant: boolean; staleAddress: boolean; twoFactor: boolean; password: PasswordStrength } | null;
  /** Holds a card whose issuer writes on every use. */
  notifyingCard: boolean;
}

export function mailboxFacts(p: Persona): MailboxFacts {
  const m = p.marketplace;
  return {
    index: p.index,
    id: p.id,
    locale: p.locale,
    zone: p.zone,
    displayName: p.displayName,
    activity: p.activity,
    marketplace: m && { dormant: m.dormant, staleAddress: m.staleAddress !== null, twoFactor: m.twoFactor, password: m.password },
    notifyingCard: p.cards.some((c) => c.brand.noticeEveryUse === true),
  };
}

/** The hidden attributes of a persona, as `truth/mailboxes.jsonl` records them. */
export function personaTruth(p: Persona): Record<string, unknown> {
  const m = p.marketplace;
  return {
    mailbox: p.id,
    locale: p.locale,
    zone: p.zone,
    activity: Math.round(p.activity * 1000) / 1000,
    marketplace: m && {
      dormant: m.dormant,
      lastOrderDaysBefore: m.lastOrderDaysBefore,
      ordersPerMonth: Math.round(m.ordersPerMonth * 1000) / 1000,
      password: m.password,
      twoFactor: m.twoFactor,
      storedCards: m.cards.length,
      expiredCards: m.cards.filter((c) => c.expired).length,
      staleAddress: m.staleAddress !== null,
    },
    subscriptions: p.subscriptions.length,
    contacts: p.contacts.length,
    spamPerDay: Math.round(p.spamPerDay * 1000) / 1000,
    exposure: Math.round(p.exposure * 1000) / 1000,
  };
}

/**
 * The fictional organisations of the world, as plain data. Every name is invented and every
 * domain is under a name reserved by RFC 2606 (`.example`, example.com/net/org), so no real
 * company or mailbox is implied and no generated phishing mail points anywhere real.
 * Carrier names are real (public facts; see world/carriers.ts); their domains are not.
 */
import type { ZoneName } from '../core/time.js';
import type { Locale } from '../vocab/types.js';

/** How an organisation's mail leaves its network: decides the header layout (mail/headers.ts). */
export interface SendingProfile {
  /** Domain in From (and DKIM d=). */
  domain: string;
  /** Domain of the Return-Path (bounce handling). */
  bounceDomain: string;
  /** Outbound MTA host and its documentation-range address (RFC 5737). */
  relayHost: string;
  relayIp: string;
  /** Zone of the Date header. */
  zone: ZoneName;
  /** Domain of Message-IDs. */
  messageIdDomain: string;
  /** DKIM selector of the brand's own signature. */
  selector: string;
  /** A second DKIM signature by the sending service (bulk/transactional ESPs sign too). */
  esp?: { domain: string; selector: string };
  /** ESP-style Message-IDs (`0101019a...@...`) or MTA-style (`20260303091502.ABC123@...`). */
  messageIdStyle: 'esp' | 'mta' | 'webmail';
  /** DMARC policy published by the From domain, as Authentication-Results shows it. */
  dmarcPolicy: 'QUARANTINE' | 'REJECT' | 'NONE';
  /** Vendor headers, e.g. X-Mailer or a feedback id. */
  vendorHeaders?: ReadonlyArray<readonly [string, string]>;
}

export interface Marketplace {
  id: string;
  name: Record<Locale, string>;
  site: Record<Locale, string>;
  /** Sending profile per locale site. */
  sending: Record<Locale, SendingProfile>;
  /** Local parts of the marketplace's senders by purpose. */
  senders: {
    orders: string;
    shipping: string;
    account: string;
    promo: string;
    security: string;
  };
}

/** The marketplace: third-party sellers (domestic and foreign) and its own fulfilment. */
export const MARKETPLACE: Marketplace = {
  id: 'hanamart',
  name: { ja: 'ハナマート', en: 'Hanamart' },
  site: { ja: 'hanamart.co.jp.example', en: 'hanamart.example' },
  sending: {
    ja: {
      domain: 'hanamart.co.jp.example',
      bounceDomain: 'bounces.hanamart.co.jp.example',
      relayHost: 'a27-14.smtp-out.postwire.example',
      relayIp: '192.0.2.27',
      zone: 'UTC',
      messageIdDomain: 'email.postwire.example',
      selector: 'hm2025',
      esp: { domain: 'postwire.example', selector: 'pw1' },
      messageIdStyle: 'esp',
      dmarcPolicy: 'QUARANTINE',
      vendorHeaders: [['X-HM-Region', 'apne1']],
    },
    en: {
      domain: 'hanamart.example',
      bounceDomain: 'bounces.hanamart.example',
      relayHost: 'a12-88.smtp-out.postwire.example',
      relayIp: '192.0.2.88',
      zone: 'UTC',
      messageIdDomain: 'email.postwire.example',
      selector: 'hm2025',
      esp: { domain: 'postwire.example', selector: 'pw1' },
      messageIdStyle: 'esp',
      dmarcPolicy: 'QUARANTINE',
      vendorHeaders: [['X-HM-Region', 'use1']],
    },
  },
  senders: {
    orders: 'auto-confirm',
    shipping: 'shipment-tracking',
    account: 'account-update',
    promo: 'store-news',
    security: 'no-reply',
  },
};

/** A bank or card issuer. Japanese ones send in +0900, often ISO-2022-JP, never List-Unsubscribe. */
export interface FinanceBrand {
  id: string;
  kind: 'bank' | 'card';
  locale: Locale;
  name: string;
  /** Card network printed on its cards (cards only). */
  network?: 'VISA' | 'Mastercard' | 'JCB' | 'AMEX';
  charset: 'UTF-8' | 'ISO-2022-JP';
  /** Sends a notice for every card use (many Japanese issuers do). */
  noticeEveryUse?: boolean;
  sending: SendingProfile;
  fromLocal: string;
}

function financeSending(domain: string, ip: string, zone: ZoneName): SendingProfile {
  return {
    domain,
    bounceDomain: domain,
    relayHost: `mta01.${domain}`,
    relayIp: ip,
    zone,
    messageIdDomain: domain,
    selector: 'default',
    messageIdStyle: 'mta',
    dmarcPolicy: 'REJECT',
  };
}

export const FINANCE: readonly FinanceBrand[] = [
  {
    id: 'hayate-bank',
    kind: 'bank',
    locale: 'ja',
    name: 'はやて銀行',
    charset: 'ISO-2022-JP',
    sending: financeSending('hayate-bank.example', '198.51.100.21', 'Asia/Tokyo'),
    fromLocal: 'info',
  },
  {
    id: 'sakuranamiki-bank',
    kind: 'bank',
    locale: 'ja',
    name: '桜並木銀行',
    charset: 'ISO-2022-JP',
    sending: financeSending('sakuranamiki-bank.example', '198.51.100.34', 'Asia/Tokyo'),
    fromLocal: 'direct',
  },
  {
    id: 'tsubame-card',
    kind: 'card',
    locale: 'ja',
    name: 'つばめカード',
    network: 'VISA',
    charset: 'ISO-2022-JP',
    noticeEveryUse: true,
    sending: financeSending('tsubame-card.example', '198.51.100.45', 'Asia/Tokyo'),
    fromLocal: 'mail',
  },
  {
    id: 'kasumi-card',
    kind: 'card',
    locale: 'ja',
    name: 'かすみカード',
    network: 'JCB',
    charset: 'UTF-8',
    noticeEveryUse: true,
    sending: financeSending('kasumi-card.example', '198.51.100.46', 'Asia/Tokyo'),
    fromLocal: 'info',
  },
  {
    id: 'hoshizora-card',
    kind: 'card',
    locale: 'ja',
    name: '星空カード',
    network: 'Mastercard',
    charset: 'ISO-2022-JP',
    noticeEveryUse: false,
    sending: financeSending('hoshizora-card.example', '198.51.100.47', 'Asia/Tokyo'),
    fromLocal: 'statement',
  },
  {
    id: 'northfield-bank',
    kind: 'bank',
    locale: 'en',
    name: 'Northfield Bank',
    charset: 'UTF-8',
    sending: financeSending('northfieldbank.example', '198.51.100.61', 'America/New_York'),
    fromLocal: 'alerts',
  },
  {
    id: 'bluestone-cu',
    kind: 'bank',
    locale: 'en',
    name: 'Bluestone Credit Union',
    charset: 'UTF-8',
    sending: financeSending('bluestonecu.example', '198.51.100.62', 'America/Chicago'),
    fromLocal: 'notify',
  },
  {
    id: 'crescent-card',
    kind: 'card',
    locale: 'en',
    name: 'Crescent Card',
    network: 'VISA',
    charset: 'UTF-8',
    noticeEveryUse: true,
    sending: financeSending('crescentcard.example', '198.51.100.63', 'America/New_York'),
    fromLocal: 'alerts',
  },
  {
    id: 'harbor-card',
    kind: 'card',
    locale: 'en',
    name: 'Harbor Rewards Card',
    network: 'Mastercard',
    charset: 'UTF-8',
    noticeEveryUse: false,
    sending: financeSending('harborcard.example', '198.51.100.64', 'America/Los_Angeles'),
    fromLocal: 'service',
  },
];

/** Independent web shops (not the marketplace): simple order and shipping mails. */
export interface WebShop {
  id: string;
  locale: Locale;
  name: string;
  domain: string;
  categories: readonly string[];
}

export const WEB_SHOPS: readonly WebShop[] = [
  { id: 'kotori-books', locale: 'ja', name: 'ことり書店オンライン', domain: 'kotori-books.example', categories: ['books'] },
  { id: 'midori-denki', locale: 'ja', name: 'ミドリ電機ネットショップ', domain: 'midori-denki.example', categories: ['electronics', 'home', 'kitchen'] },
  { id: 'kurashi-zakka', locale: 'ja', name: 'くらし雑貨店', domain: 'kurashi-zakka.example', categories: ['home', 'kitchen', 'diy'] },
  { id: 'hidamari-cosme', locale: 'ja', name: 'ひだまりコスメ', domain: 'hidamari-cosme.example', categories: ['beauty'] },
  { id: 'oakline', locale: 'en', name: 'Oakline Outfitters', domain: 'oakline.example', categories: ['fashion', 'sports'] },
  { id: 'pixelport', locale: 'en', name: 'PixelPort Electronics', domain: 'pixelport.example', categories: ['electronics', 'office'] },
  { id: 'greenleaf', locale: 'en', name: 'Greenleaf Home & Garden', domain: 'greenleaf.example', categories: ['home', 'diy', 'pet'] },
  { id: 'pagehaven', locale: 'en', name: 'PageHaven Books', domain: 'pagehaven.example', categories: ['books', 'toys'] },
];

export interface SocialNetwork {
  id: string;
  name: string;
  domain: string;
  /** Locales whose users join it. */
  locales: readonly Locale[];
}

export const SOCIAL_NETWORKS: readonly SocialNetwork[] = [
  { id: 'tsunagu', name: 'Tsunagu', domain: 'tsunagu.example', locales: ['ja'] },
  { id: 'chirpline', name: 'Chirpline', domain: 'chirpline.example', locales: ['ja', 'en'] },
  { id: 'photonest', name: 'PhotoNest', domain: 'photonest.example', locales: ['ja', 'en'] },
  { id: 'workbridge', name: 'Workbridge', domain: 'workbridge.example', locales: ['en'] },
];

export function socialSending(net: SocialNetwork): SendingProfile {
  return {
    domain: net.domain,
    bounceDomain: `bounce.${net.domain}`,
    relayHost: `out-${net.id.length}.mail.${net.domain}`,
    relayIp: `203.0.113.${10 + net.id.length * 3}`,
    zone: 'UTC',
    messageIdDomain: `mail.${net.domain}`,
    selector: 's2025',
    messageIdStyle: 'esp',
    dmarcPolicy: 'REJECT',
  };
}

export function webShopSending(shop: WebShop): SendingProfile {
  return {
    domain: shop.domain,
    bounceDomain: `em.${shop.domain}`,
    relayHost: 'o1.ptr2207.mailrelay.example',
    relayIp: '203.0.113.77',
    zone: shop.locale === 'ja' ? 'Asia/Tokyo' : 'America/New_York',
    messageIdDomain: 'mailrelay.example',
    selector: 's1',
    messageIdStyle: 'esp',
    dmarcPolicy: 'NONE',
  };
}

export function newsletterSending(domain: string, zone: ZoneName): SendingProfile {
  return {
    domain,
    bounceDomain: `bounce.${domain}`,
    relayHost: 'mta-04.bulkpost.example',
    relayIp: '203.0.113.140',
    zone,
    messageIdDomain: 'bulkpost.example',
    selector: 'k1',
    messageIdStyle: 'esp',
    dmarcPolicy: 'NONE',
  };
}

/** Mailbox providers of owners and personal contacts (their MX writes Received/Authentication-Results). */
export interface MailProvider {
  domain: string;
  /** Name the provider signs its own account notices with (defaults to the domain). */
  name?: Record<Locale, string>;
  mx: string;
  /** Host name its submission servers put in Received of outgoing personal mail. */
  smtp: string;
  ip: string;
  /** Zone its servers stamp Received headers in. */
  zone: ZoneName;
  locales: readonly Locale[];
  userAgents: readonly string[];
}

/**
 * URL-shortening services of the world (fictional, reserved names). Spam and phishing hide their
 * targets behind them, as real campaigns do behind real shorteners.
 */
export const URL_SHORTENERS = ['qlnk.example', 'shrt.example', 'tny-url.example'] as const;

export const MAIL_PROVIDERS: readonly MailProvider[] = [
  {
    domain: 'example.com',
    name: { ja: 'Example メール', en: 'Example Mail' },
    mx: 'mx.example.com',
    smtp: 'smtp.example.com',
    ip: '192.0.2.10',
    zone: 'UTC',
    locales: ['ja', 'en'],
    userAgents: ['Mozilla Thunderbird', 'Apple Mail (2.3776)'],
  },
  {
    domain: 'example.net',
    name: { ja: 'ExampleNet メール', en: 'ExampleNet Mail' },
    mx: 'mx1.example.net',
    smtp: 'submit.example.net',
    ip: '192.0.2.20',
    zone: 'UTC',
    locales: ['ja', 'en'],
    userAgents: ['Mozilla Thunderbird', 'Roundcube Webmail/1.6.9'],
  },
  {
    domain: 'example.org',
    name: { ja: 'Example.org Mail', en: 'Example.org Mail' },
    mx: 'mx.example.org',
    smtp: 'smtp.example.org',
    ip: '192.0.2.30',
    zone: 'UTC',
    locales: ['en'],
    userAgents: ['Apple Mail (2.3776)', 'Microsoft Outlook 16.0'],
  },
  {
    domain: 'mail.example',
    name: { ja: 'Mail.example', en: 'Mail.example' },
    mx: 'mx1.mail.example',
    smtp: 'smtp.mail.example',
    ip: '192.0.2.40',
    zone: 'UTC',
    locales: ['ja', 'en'],
    userAgents: ['Mail.example Webmail'],
  },
  {
    domain: 'kumo-mail.example',
    name: { ja: 'くもメール', en: 'Kumo Mail' },
    mx: 'mx.kumo-mail.example',
    smtp: 'smtp.kumo-mail.example',
    ip: '192.0.2.50',
    zone: 'Asia/Tokyo',
    locales: ['ja'],
    userAgents: ['Kumo Mail for iPhone', 'Becky! ver. 2.81.04'],
  },
];

/** A provider's name as its own notices print it. */
export function providerName(provider: MailProvider, locale: Locale): string {
  return provider.name?.[locale] ?? provider.domain;
}

/**
 * How a mailbox provider sends its own account notices (`no-reply@accounts.<domain>`): from its
 * own outbound relays, signed by itself, Date in UTC, a strict DMARC policy.
 */
export function providerSending(provider: MailProvider): SendingProfile {
  const last = Number(provider.ip.split('.').pop() ?? '0');
  return {
    domain: `accounts.${provider.domain}`,
    bounceDomain: `bounces.${provider.domain}`,
    relayHost: `notify-out.${provider.domain}`,
    relayIp: `192.0.2.${(last + 100) % 250}`,
    zone: 'UTC',
    messageIdDomain: `accounts.${provider.domain}`,
    selector: 'acct2025',
    messageIdStyle: 'esp',
    dmarcPolicy: 'REJECT',
  };
}

/**
 * Mobile carriers. Japanese carriers send plain text from their own MTA with a +0900 Date (one
 * of them in ISO-2022-JP); US-style carriers send multipart through a transactional service.
 */
export interface MobileCarrier {
  id: string;
  locale: Locale;
  name: string;
  domain: string;
  charset: 'UTF-8' | 'ISO-2022-JP';
  /** Local part of the notice sender. */
  fromLocal: string;
  sending: SendingProfile;
}

export const MOBILE_CARRIERS: readonly MobileCarrier[] = [
  {
    id: 'sora-mobile',
    locale: 'ja',
    name: 'そらモバイル',
    domain: 'sora-mobile.example',
    charset: 'ISO-2022-JP',
    fromLocal: 'info',
    sending: financeSending('sora-mobile.example', '198.51.100.81', 'Asia/Tokyo'),
  },
  {
    id: 'hibari-tsushin',
    locale: 'ja',
    name: 'ひばり通信',
    domain: 'hibari-tsushin.example',
    charset: 'UTF-8',
    fromLocal: 'support',
    sending: financeSending('hibari-tsushin.example', '198.51.100.82', 'Asia/Tokyo'),
  },
  {
    id: 'kite-wireless',
    locale: 'en',
    name: 'Kite Wireless',
    domain: 'kitewireless.example',
    charset: 'UTF-8',
    fromLocal: 'alerts',
    sending: {
      domain: 'kitewireless.example',
      bounceDomain: 'bounce.kitewireless.example',
      relayHost: 'a9-31.smtp-out.postwire.example',
      relayIp: '192.0.2.131',
      zone: 'UTC',
      messageIdDomain: 'email.postwire.example',
      selector: 'kw1',
      esp: { domain: 'postwire.example', selector: 'pw1' },
      messageIdStyle: 'esp',
      dmarcPolicy: 'REJECT',
    },
  },
  {
    id: 'northwave',
    locale: 'en',
    name: 'Northwave Mobile',
    domain: 'northwave.example',
    charset: 'UTF-8',
    fromLocal: 'myaccount',
    sending: {
      domain: 'northwave.example',
      bounceDomain: 'em.northwave.example',
      relayHost: 'o3.ptr1840.mailrelay.example',
      relayIp: '203.0.113.78',
      zone: 'UTC',
      messageIdDomain: 'mailrelay.example',
      selector: 's1',
      esp: { domain: 'mailrelay.example', selector: 'mr1' },
      messageIdStyle: 'esp',
      dmarcPolicy: 'QUARANTINE',
    },
  },
];

/**
 * Whether a domain is reserved for documentation and examples (RFC 2606, RFC 6761): under the
 * `.example`, `.test` or `.invalid` TLDs, or example.com / .net / .org and their subdomains.
 */
export function isReservedDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return /^([a-z0-9-]+\.)+(example|test|invalid)$/.test(d) || /^([a-z0-9-]+\.)*example\.(com|net|org)$/.test(d);
}

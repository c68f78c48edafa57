/**
 * Account mail of the other services the owner uses: a password-reset request from a social
 * network or a web shop, and one-time verification codes. A takeover of the mailbox shows up here
 * first (the attacker resets passwords elsewhere through it), so these are security mail.
 */
import { z } from 'zod';
import { hashHex } from '../../core/rng.js';
import type { Locale } from '../../vocab/types.js';
import { FINANCE, MARKETPLACE, MOBILE_CARRIERS, SOCIAL_NETWORKS, WEB_SHOPS, isReservedDomain, socialSending, webShopSending } from '../../world/brands.js';
import type { SendingProfile, SocialNetwork, WebShop } from '../../world/brands.js';
import type { MailSpec } from '../compose.js';
import { wording } from '../../vocab/mail/index.js';
import { renderMail } from './blocks.js';
import { fill } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

const networkEntity = z.custom<SocialNetwork>((v) => typeof v === 'object' && v !== null && 'locales' in v && 'domain' in v, 'a social network');
const shopEntity = z.custom<WebShop>((v) => typeof v === 'object' && v !== null && 'categories' in v && 'domain' in v, 'a web shop');

/** The social network a mail is about: the given one, one the owner belongs to, or one of their locale. */
export function ownerNetwork(ctx: TemplateContext, network: SocialNetwork | undefined): SocialNetwork {
  if (network) return network;
  if (ctx.persona.social.length > 0) return ctx.rng.pick(ctx.persona.social).network;
  return ctx.rng.pick(SOCIAL_NETWORKS.filter((n) => n.locales.includes(ctx.persona.locale)));
}

/** The web shop a mail is about: the given one, one the owner has an account with, or one of their locale. */
export function ownerShop(ctx: TemplateContext, shop: WebShop | undefined): WebShop {
  if (shop) return shop;
  if (ctx.persona.webShops.length > 0) return ctx.rng.pick(ctx.persona.webShops);
  return ctx.rng.pick(WEB_SHOPS.filter((s) => s.locale === ctx.persona.locale));
}

interface Service {
  name: string;
  domain: string;
  profile: SendingProfile;
  fromLocal: string;
  /** Japanese banks and carriers: plain text in their own charset. */
  textOnly?: { charset: 'UTF-8' | 'ISO-2022-JP' };
}

/** The owner's names, as the wording's `{name}` and `{given}`. */
function owner(ctx: TemplateContext): { name: string; given: string } {
  return { name: ctx.persona.displayName, given: ctx.persona.given };
}

/** A service's mail: one of its wording's subjects drawn, its paragraphs filled, a button when there is one. */
function bodySpec(
  ctx: TemplateContext,
  svc: Service,
  w: { subjects: readonly string[]; paragraphs: readonly string[] },
  values: Readonly<Record<string, string | number>>,
  button: { label: string; url: string } | null,
): MailSpec {
  const loc = ctx.persona.locale;
  const subject = fill(ctx.rng.pick(w.subjects), values);
  const paras = w.paragraphs.map((p) => fill(p, values));
  const foot = wording(loc).services.footer.map((l) => fill(l, { service: svc.name }));
  const { text, html } = renderMail({
    lang: loc,
    title: subject,
    brand: svc.name,
    blocks: [...paras.map((p) => ({ p })), ...(button ? [{ button: button.label, href: button.url }] : [])],
    footer: foot,
  });
  return {
    profile: svc.profile,
    from: { name: svc.name, address: `${svc.fromLocal}@${svc.domain}` },
    subject,
    text,
    html: svc.textOnly ? null : html,
    charset: svc.textOnly?.charset ?? 'UTF-8',
    template: `standard/${svc.textOnly ? 'text-only' : 'multipart'}`,
  };
}

export const servicePasswordReset = mailType({
  id: 'service.password-reset',
  category: 'security',
  machine: true,
  description: "A password-reset request from a social network or web shop the owner has an account with (the network or shop defaults to one of the owner's).",
  params: z.object({ service: z.enum(['social', 'shop']), network: networkEntity.optional(), shop: shopEntity.optional() }).strict(),
  render(ctx, { service, network, shop }) {
    const token = ctx.rng.chars(32, ALNUM);
    if (service === 'social') {
      const w = wording(ctx.persona.locale).services.socialReset;
      const net = ownerNetwork(ctx, network);
      const svc: Service = { name: net.name, domain: net.domain, profile: socialSending(net), fromLocal: 'security' };
      const url = `https://${net.domain}/accounts/password/reset/confirm?uid=${ctx.rng.chars(6, ALNUM)}&token=${token}`;
      const values = { ...owner(ctx), network: net.name, code: ctx.rng.digits(6) };
      return bodySpec(ctx, svc, w, values, { label: w.button, url });
    }
    const s = ownerShop(ctx, shop);
    // In the shop's own language, which may not be the owner's.
    const w = wording(s.locale).services.shopReset;
    const svc: Service = { name: s.name, domain: s.domain, profile: webShopSending(s), fromLocal: 'no-reply' };
    const url = `https://${s.domain}/mypage/password/reset?key=${token}`;
    const values = { ...owner(ctx), shop: s.name };
    return bodySpec(ctx, svc, w, values, { label: w.button, url });
  },
});

/** Known services by display name, so a code mail comes from the brand's own domain and profile. */
function knownService(name: string): Service | undefined {
  const net = SOCIAL_NETWORKS.find((n) => n.name === name);
  if (net) return { name, domain: net.domain, profile: socialSending(net), fromLocal: 'security' };
  const shop = WEB_SHOPS.find((s) => s.name === name);
  if (shop) return { name, domain: shop.domain, profile: webShopSending(shop), fromLocal: 'no-reply' };
  for (const loc of ['ja', 'en'] as const) {
    if (MARKETPLACE.name[loc] === name)
      return { name, domain: MARKETPLACE.site[loc], profile: MARKETPLACE.sending[loc], fromLocal: MARKETPLACE.senders.security };
  }
  const fin = FINANCE.find((b) => b.name === name);
  if (fin)
    return {
      name,
      domain: fin.sending.domain,
      profile: fin.sending,
      fromLocal: fin.fromLocal,
      ...(fin.locale === 'ja' ? { textOnly: { charset: fin.charset } } : {}),
    };
  const carrier = MOBILE_CARRIERS.find((c) => c.name === name);
  if (carrier)
    return {
      name,
      domain: carrier.domain,
      profile: carrier.sending,
      fromLocal: carrier.fromLocal,
      ...(carrier.locale === 'ja' ? { textOnly: { charset: carrier.charset } } : {}),
    };
  return undefined;
}

/** A domain for a service known only by name: its Latin letters, or a hash of a Japanese name. */
export function serviceDomain(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length >= 3 ? `${slug}.example` : `svc-${hashHex(name, 32).slice(0, 6)}.example`;
}

function codeSending(domain: string): SendingProfile {
  return {
    domain,
    bounceDomain: `mail.${domain}`,
    relayHost: 'o7.ptr3391.mailrelay.example',
    relayIp: '203.0.113.79',
    zone: 'UTC',
    messageIdDomain: 'mailrelay.example',
    selector: 's1',
    esp: { domain: 'mailrelay.example', selector: 'mr1' },
    messageIdStyle: 'esp',
    dmarcPolicy: 'REJECT',
  };
}

const reservedDomain = z.string().refine(isReservedDomain, 'a domain under .example, .test or .invalid, or example.com/net/org');

export const serviceOneTimeCode = mailType({
  id: 'service.one-time-code',
  category: 'security',
  machine: true,
  description: 'A one-time verification code from a named service ("認証コードのお知らせ" / "Your verification code").',
  params: z.object({ service: z.string().min(1), domain: reservedDomain.optional() }).strict(),
  render(ctx, { service, domain }) {
    const loc: Locale = ctx.persona.locale;
    const known = knownService(service);
    const svc: Service =
      known && (domain === undefined || domain === known.domain)
        ? known
        : { name: service, domain: domain ?? serviceDomain(service), profile: codeSending(domain ?? serviceDomain(service)), fromLocal: 'no-reply' };
    const w = wording(loc).services.oneTimeCode;
    const values = { ...owner(ctx), service, code: ctx.rng.digits(6), minutes: ctx.rng.pick([5, 10, 15, 30]) };
    return bodySpec(ctx, svc, w, values, null);
  },
});

export const SERVICE_TYPES = [servicePasswordReset, serviceOneTimeCode];

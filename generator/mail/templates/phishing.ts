/**
 * Phishing that imitates the marketplace's own mail: a fake order confirmation ("if you did not
 * place this order, cancel here") and a fake security notice (account locked, unusual activity).
 * How it differs from the real thing is what mailbox providers see (shared docs mail-formats.md):
 * a spoofed brand domain failing SPF/DKIM/DMARC, or a look-alike domain passing them for itself,
 * or display-name abuse from a freemail account; an unusual Date zone; a Reply-To mismatch.
 */
import { z } from 'zod';
import { MARKETPLACE, providerName } from '../../world/brands.js';
import type { SendingProfile } from '../../world/brands.js';
import { brandLabel, IMITATION_FAMILIES, imitationBrand, marketplaceBrand, phishInfra } from '../../world/phishing.js';
import type { ImitationFamily, PhishInfra } from '../../world/phishing.js';
import { marketplaceOrderNumber } from '../../world/carriers.js';
import type { Auth, MailSpec } from '../compose.js';
import type { Lure as LureWording } from '../../vocab/mail/phishing.js';
import { wording } from '../../vocab/mail/index.js';
import { clip, dateTime, esc, fill, htmlMail, localCurrency, money, thousands } from './common.js';
import type { HtmlBlock } from './common.js';
import { zipArchive } from '../attachments.js';
import type { Attachment } from '../types.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

const infraEntity = z.custom<PhishInfra>((v) => typeof v === 'object' && v !== null && 'linkDomain' in v, 'a phishing campaign infrastructure');

function phishSpec(ctx: TemplateContext, infra: PhishInfra, subject: string, text: string, html: string, displayName: string): MailSpec {
  const profile: SendingProfile = {
    domain: infra.fromDomain,
    bounceDomain: infra.style === 'spoof' ? infra.relayHost : infra.fromDomain,
    relayHost: infra.relayHost,
    relayIp: infra.relayIp,
    zone: infra.zone,
    messageIdDomain: infra.style === 'display-name' ? infra.fromDomain : infra.relayHost,
    selector: 'default',
    messageIdStyle: infra.style === 'display-name' ? 'webmail' : 'mta',
    dmarcPolicy: infra.style === 'spoof' ? 'QUARANTINE' : 'NONE',
  };
  const auth: Auth =
    infra.style === 'spoof'
      ? { spf: ctx.rng.pick(['softfail', 'fail'] as const), dkim: 'none', dmarc: 'fail' }
      : infra.style === 'lookalike'
        ? { spf: 'pass', dkim: 'pass', dmarc: 'pass' }
        : { spf: 'pass', dkim: 'pass', dmarc: 'pass' };
  const spec: MailSpec = {
    profile,
    from: { name: displayName, address: `${infra.fromLocal}@${infra.fromDomain}` },
    subject,
    text,
    html,
    charset: 'UTF-8',
    auth,
    envelopeFrom: `${ctx.rng.chars(6, 'abcdefghijklmnopqrstuvwxyz')}@${infra.style === 'spoof' ? infra.relayHost : infra.fromDomain}`,
  };
  if (ctx.rng.bool(0.4)) spec.replyTo = { address: `support-${ctx.rng.digits(4)}@${infra.linkDomain}` };
  return spec;
}

/** Where a lure sends the reader: a link, or (for a campaign that attaches its page) a note and the file. */
interface Delivery {
  text: string[];
  blocks: HtmlBlock[];
  attachments?: Attachment[];
  template: string;
}

/** The sign-in page a campaign attaches: a form posting to its look-alike site. */
function phishingPage(ctx: TemplateContext, brand: string, url: string): string {
  const w = wording(ctx.persona.locale).phishing.attachment.page;
  const title = esc(fill(w.title, { b: brand }));
  return [
    '<!DOCTYPE html>',
    `<html lang="${ctx.persona.locale}"><head><meta charset="UTF-8"><title>${title}</title></head>`,
    `<body><h2>${title}</h2>`,
    `<form action="${esc(url)}" method="post">`,
    `<label>${esc(w.email)} <input type="email" name="email" value="${esc(ctx.persona.address)}"></label><br>`,
    `<label>${esc(w.password)} <input type="password" name="password"></label><br>`,
    `<button type="submit">${esc(w.button)}</button>`,
    '</form></body></html>',
    '',
  ].join('\n');
}

function delivery(ctx: TemplateContext, infra: PhishInfra, url: string, brand: string, button: string): Delivery {
  if (infra.payload === 'link') return { text: [url], blocks: [{ button, href: url }], template: 'standard/link' };
  const w = wording(ctx.persona.locale).phishing.attachment;
  const name = fill(ctx.rng.pick(w.filenames), { n: ctx.rng.digits(6) });
  const page = Buffer.from(phishingPage(ctx, brand, url), 'utf8');
  const file: Attachment =
    infra.payload === 'html-attachment'
      ? { filename: `${name}.html`, contentType: 'text/html', content: page }
      : { filename: `${name}.zip`, contentType: 'application/zip', content: zipArchive([{ name: `${name}.html`, content: page }], ctx.at - 900) };
  return { text: [w.note], blocks: [{ p: w.note }], attachments: [file], template: `standard/${infra.payload}` };
}

function delivered(spec: MailSpec, d: Delivery): MailSpec {
  return { ...spec, ...(d.attachments ? { attachments: d.attachments } : {}), template: d.template };
}

/** The marketplace's name with its first "a" swapped for a Cyrillic one, as homoglyph senders write it. */
function lookalikeName(): string {
  return MARKETPLACE.name.en.replace('a', '\u0430');
}

function displayName(ctx: TemplateContext, infra: PhishInfra): string {
  const loc = ctx.persona.locale;
  const w = wording(loc).phishing.senders;
  const names = { brand: MARKETPLACE.name[loc], latin: MARKETPLACE.name.en, lookalike: lookalikeName() };
  // Display-name abuse names a department; the others the brand itself, or a homoglyph of it now and then.
  return fill(ctx.rng.pick(infra.style === 'display-name' ? w.displayName : w.other), names);
}

/**
 * A fake of the marketplace's own mail: one of its wording's subjects drawn, its lines filled, then
 * the link, as text; a paragraph per line and a button as HTML.
 */
function marketplaceFake(
  ctx: TemplateContext,
  infra: PhishInfra,
  w: { subjects: readonly string[]; lines: readonly string[]; button: string },
  values: Readonly<Record<string, string | number>>,
  url: string,
): MailSpec {
  const loc = ctx.persona.locale;
  const brand = MARKETPLACE.name[loc];
  const subject = fill(ctx.rng.pick(w.subjects), values);
  const lines = w.lines.map((l) => fill(l, values));
  const d = delivery(ctx, infra, url, brand, w.button);
  const text = [...lines, ...d.text].join('\n');
  const html = htmlMail({
    lang: loc,
    title: subject,
    brand,
    blocks: [...lines.filter(Boolean).map((p) => ({ p })), ...d.blocks],
    footer: [brand],
  });
  return delivered(phishSpec(ctx, infra, subject, text, html, displayName(ctx, infra)), d);
}

export const fakeOrder = mailType({
  id: 'phishing.fake-order',
  category: 'phishing',
  machine: true,
  description: 'Imitation of the marketplace order confirmation with a "cancel this order" link to a look-alike site.',
  params: z.object({ infra: infraEntity }).strict(),
  render(ctx, { infra }) {
    const loc = ctx.persona.locale;
    const w = wording(loc).phishing.fakeOrder;
    const product = ctx.rng.pick(ctx.world.productsForPromo);
    const price = ctx.rng.pick(w.prices);
    const number = marketplaceOrderNumber(ctx.rng);
    const url = `https://${infra.linkDomain}/ap/cancel?order=${number}&s=${ctx.rng.chars(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    // A service number is drawn only where a wording shows one.
    const service = w.subjects.some((x) => x.includes('{service}')) ? ctx.rng.digits(8) : '';
    const values = {
      brand: MARKETPLACE.name[loc],
      family: ctx.persona.family,
      given: ctx.persona.given,
      number,
      service,
      item: product[loc],
      itemClip: clip(product[loc], w.itemClip),
      total: money(price, localCurrency(loc)),
      date: dateTime(ctx.at - 300, loc, ctx.persona.zone),
    };
    return marketplaceFake(ctx, infra, w, values, url);
  },
});

export const fakeSecurity = mailType({
  id: 'phishing.fake-security',
  category: 'phishing',
  machine: true,
  description: 'Imitation of the marketplace security notice: account locked, unusual activity, confirm your card.',
  params: z.object({ infra: infraEntity }).strict(),
  render(ctx, { infra }) {
    const loc = ctx.persona.locale;
    const w = wording(loc).phishing.fakeSecurity;
    const url = `https://${infra.linkDomain}/signin?ref=${ctx.rng.chars(12, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const values = { brand: MARKETPLACE.name[loc], family: ctx.persona.family, given: ctx.persona.given };
    return marketplaceFake(ctx, infra, w, values, url);
  },
});

/**
 * The infrastructure a lure of `family` goes out on. A campaign drawn for a brand uses its own;
 * a campaign drawn without one (the marketplace) that imitates another family gets a look-alike
 * of a brand of that family, drawn from a stream keyed by the campaign's link domain, so every
 * mail of the campaign agrees; it keeps the campaign's relay, address and zone.
 */
function imitationInfra(ctx: TemplateContext, infra: PhishInfra, family: ImitationFamily): PhishInfra {
  if (infra.brand || family === 'marketplace-order' || family === 'marketplace-security') return infra;
  const r = ctx.world.root.child('phishing-imitation', infra.linkDomain, family);
  const loc = ctx.persona.locale;
  const drawn = phishInfra(r.child('infra'), infra.style, loc, imitationBrand(family, loc, r.child('brand')));
  return { ...drawn, relayHost: infra.relayHost, relayIp: infra.relayIp, zone: infra.zone, payload: infra.payload };
}

/** Cyrillic look-alikes of Latin letters, as display names of phishing use them. */
const HOMOGLYPHS: Record<string, string> = { a: '\u0430', o: '\u043e', e: '\u0435', A: '\u0410', O: '\u041e', E: '\u0415' };

function homoglyph(name: string, ctx: TemplateContext): string {
  const at = [...name].map((c, i) => (c in HOMOGLYPHS ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return name;
  const i = ctx.rng.pick(at);
  return name.slice(0, i) + HOMOGLYPHS[name[i]!]! + name.slice(i + 1);
}

function imitationDisplayName(ctx: TemplateContext, infra: PhishInfra, brand: string): string {
  if (infra.style === 'display-name') return fill(ctx.rng.pick(wording(ctx.persona.locale).phishing.imitation.displayNames), { b: brand });
  return ctx.rng.bool(0.3) ? homoglyph(brand, ctx) : brand;
}

interface Lure {
  subject: string;
  paras: string[];
  button: string;
  path: string;
}

function token(ctx: TemplateContext, n: number): string {
  return ctx.rng.chars(n, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

/**
 * A lure of a family: its wording with the values filled in. Each family draws what it needs in
 * its own order (the subject before or after the numbers its link carries), the same in every locale.
 */
function lureFor(ctx: TemplateContext, family: ImitationFamily, b: string): Lure {
  const r = ctx.rng;
  const p = ctx.persona;
  const w = wording(p.locale).phishing.imitation.lures;
  const base = { b, address: p.address };
  /** The lure with a subject drawn now and the link's values drawn after it. */
  const make = (l: LureWording, values: Record<string, string | number>, after: () => Record<string, string> = () => ({})): Lure => {
    const all = { ...base, ...values };
    const subject = fill(r.pick(l.subjects), all);
    const link = { ...all, ...after() };
    return { subject, paras: l.paragraphs.map((x) => fill(x, all)), button: l.button, path: fill(l.path, link) };
  };
  switch (family) {
    case 'provider-security': {
      const n = r.int(3, 17);
      const pct = r.int(95, 99);
      const link = { domain: p.provider.domain, action: r.pick(['upgrade', 'verify', 'login']), email: encodeURIComponent(p.address) };
      return make(r.bool(0.5) ? w.providerSecurity.storage : w.providerSecurity.expiry, { n, pct, ...link });
    }
    case 'bank':
      return make(w.bank, {}, () => ({ token: token(ctx, 16) }));
    case 'card':
      return make(w.card, {}, () => ({ digits: r.digits(10) }));
    case 'mobile':
      return make(w.mobile, {}, () => ({ token: token(ctx, 12) }));
    case 'delivery': {
      const tracking = `${r.digits(4)}-${r.digits(4)}-${r.digits(4)}`;
      return make(w.delivery, { tracking, trackingDigits: tracking.replace(/-/g, '') });
    }
    case 'points': {
      const pts = r.pick([1200, 3500, 5000, 8400, 12000]);
      return make(w.points, { points: thousands(pts) }, () => ({ token: token(ctx, 12) }));
    }
    case 'marketplace-order': {
      const product = r.pick(ctx.world.productsForPromo);
      const number = marketplaceOrderNumber(r);
      // A price a little under the product's top price: plausible, and high enough to alarm.
      const jpy = Math.max(1000, Math.round((product.priceJpy[1] * 0.9) / 100) * 100 - 20);
      const total = p.locale === 'ja' ? money(jpy, 'JPY') : money(Math.floor(jpy / ctx.world.usdJpy) * 100 + 99, 'USD');
      const op = r.pick(['cancel', 'order-details']);
      const values = { number, total, op, item: product[p.locale], itemClip: clip(product[p.locale], w.marketplaceOrder.itemClip) };
      return make(r.bool(0.6) ? w.marketplaceOrder.confirmation : w.marketplaceOrder.declined, values);
    }
    case 'marketplace-security': {
      // The service number is drawn before the subject, shown or not.
      const service = r.digits(8);
      return make(w.marketplaceSecurity, { service }, () => ({ token: token(ctx, 12) }));
    }
    case 'password-reset': {
      const first = token(ctx, 20);
      if (r.bool(0.65)) return make(w.passwordReset.request, { token: first });
      return make(w.passwordReset.expired, {}, () => ({ token: token(ctx, 20) }));
    }
  }
}

export const imitation = mailType({
  id: 'phishing.imitation',
  category: 'phishing',
  machine: true,
  description:
    'Phishing imitating one family of genuine mail (mailbox provider, bank, card, carrier, delivery, points, marketplace order or security, password reset) with a link to a look-alike site.',
  params: z.object({ infra: infraEntity, imitates: z.enum(IMITATION_FAMILIES) }).strict(),
  render(ctx, { infra, imitates }) {
    const loc = ctx.persona.locale;
    const inf = imitationInfra(ctx, infra, imitates);
    const brand = inf.brand ?? marketplaceBrand(loc);
    // Mailbox lures name the recipient's own provider, as real ones fill in the recipient's domain.
    const b = imitates === 'provider-security' ? providerName(ctx.persona.provider, loc) : brandLabel(brand, loc);
    const lure = lureFor(ctx, imitates, b);
    const url = `https://${inf.linkDomain}/${lure.path}`;
    const iw = wording(loc).phishing.imitation;
    const greet = fill(ctx.rng.pick(iw.greetings), { family: ctx.persona.family, given: ctx.persona.given, address: ctx.persona.address });
    const sign = fill(iw.signature, { b });
    const d = delivery(ctx, inf, url, b, lure.button);
    const text = [greet, '', ...lure.paras.flatMap((p) => [p, '']), ...d.text, '', sign].join('\n');
    const html = htmlMail({
      lang: loc,
      title: lure.subject,
      brand: b,
      blocks: [{ p: greet }, ...lure.paras.map((p) => ({ p })), ...d.blocks],
      footer: [sign],
    });
    return delivered(phishSpec(ctx, inf, lure.subject, text, html, imitationDisplayName(ctx, inf, b)), d);
  },
});

export const PHISHING_TYPES = [fakeOrder, fakeSecurity, imitation];

/**
 * Mail of the marketplace (Hanamart): order confirmations, shipping and delivery notices,
 * account and security notices, promotions. Subjects follow the patterns large marketplaces
 * use (shared docs mail-formats.md); the Date header is in UTC, as theirs is.
 */
import { z } from 'zod';
import { DAY } from '../../core/time.js';
import { CARRIERS, formatJpDomestic, trackingUrl } from '../../world/carriers.js';
import type { Order, OrderItem } from '../../world/orders.js';
import type { Seller } from '../../world/sellers.js';
import type { PostalAddress } from '../../world/persona.js';
import type { Locale } from '../../vocab/types.js';
import { MARKETPLACE } from '../../world/brands.js';
import { homePlaces } from '../../vocab/places.js';
import type { MailSpec } from '../compose.js';
import type { ItemsSubject, MarketplaceWording } from '../../vocab/mail/marketplace.js';
import type { MarketplaceEdition } from '../../config.js';
import { wording } from '../../vocab/mail/index.js';
import { renderMail } from './blocks.js';
import type { Block } from './blocks.js';
import { clip, dateTime, fill, money, shortDate } from './common.js';
import { editionAt } from './editions.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

export const orderEntity = z.custom<Order>((v) => typeof v === 'object' && v !== null && 'number' in v, 'an order (provided by the engine)');

export function site(locale: Locale): string {
  return `https://www.${MARKETPLACE.site[locale]}`;
}

export function brandName(locale: Locale): string {
  return MARKETPLACE.name[locale];
}

/** A line of the marketplace's wording with its name filled in (and the values given). */
export function say(locale: Locale, template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return fill(template, { brand: MARKETPLACE.name[locale], site: MARKETPLACE.site[locale], ...values });
}

/** The edition of the marketplace's mail at this mail's time (a config `drift` switches it). */
export function edition(ctx: TemplateContext): MarketplaceEdition {
  return editionAt(ctx, 'marketplace') as MarketplaceEdition;
}

/** What the marketplace's mail says in this mail's locale and edition. */
export function marketplaceWording(ctx: TemplateContext): MarketplaceWording {
  return wording(ctx.persona.locale).marketplace[edition(ctx)];
}

function from(ctx: TemplateContext, purpose: keyof typeof MARKETPLACE.senders): { name: string; address: string } {
  const locale = ctx.persona.locale;
  return { name: say(locale, marketplaceWording(ctx).senders[purpose]), address: `${MARKETPLACE.senders[purpose]}@${MARKETPLACE.site[locale]}` };
}

export function spec(
  ctx: TemplateContext,
  purpose: keyof typeof MARKETPLACE.senders,
  subject: string,
  text: string,
  html: string,
  extra?: MailSpec['extraHeaders'],
): MailSpec {
  const locale = ctx.persona.locale;
  return {
    profile: MARKETPLACE.sending[locale],
    from: from(ctx, purpose),
    ...(purpose === 'promo' ? {} : { replyTo: { address: `no-reply@${MARKETPLACE.site[locale]}` } }),
    subject,
    text,
    html,
    charset: 'UTF-8',
    ...(extra ? { extraHeaders: extra } : {}),
    template: `${edition(ctx)}/standard`,
  };
}

/** A marketplace mail from its blocks: both parts rendered by one builder, the footer appended. */
function blockSpec(
  ctx: TemplateContext,
  purpose: keyof typeof MARKETPLACE.senders,
  subject: string,
  blocks: readonly Block[],
  extra?: MailSpec['extraHeaders'],
): MailSpec {
  const loc = ctx.persona.locale;
  const { text, html } = renderMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: footer(ctx) });
  return spec(ctx, purpose, subject, text, html, extra);
}

const footers = new Map<string, readonly string[]>();

/** The closing lines of the marketplace's mail in this mail's edition (filled once per locale and edition). */
export function footer(ctx: TemplateContext): readonly string[] {
  const key = `${ctx.persona.locale}/${edition(ctx)}`;
  let lines = footers.get(key);
  if (!lines) footers.set(key, (lines = marketplaceWording(ctx).footer.map((l) => say(ctx.persona.locale, l))));
  return lines;
}

export function greeting(ctx: TemplateContext): string {
  return fill(marketplaceWording(ctx).greeting, { name: ctx.persona.displayName, given: ctx.persona.given });
}

function addressLines(w: MarketplaceWording, name: string, a: PostalAddress): string {
  return [fill(w.addressee, { name }), ...a.lines].join('\n');
}

function firstItem(order: Order): string {
  return order.items[0]!.product[order.locale];
}

export function itemsSummary(order: Order, max: number, wordingOf: MarketplaceWording = wording(order.locale).marketplace.classic): string {
  const w = wordingOf.items;
  const first = clip(firstItem(order), max);
  const more = order.items.length - 1;
  if (more <= 0) return fill(w.one, { first });
  return fill(more > 1 ? w.more.other : w.more.one, { first, more });
}

/** A subject naming the order's items, the first clipped as that wording says. */
function itemsSubject(order: Order, s: ItemsSubject, w: MarketplaceWording): string {
  return say(order.locale, s.text, { items: itemsSummary(order, s.clip, w) });
}

/** The seller's name in the reader's language, else the one it has. */
function sellerName(seller: Seller, loc: Locale): string {
  return seller.name[loc] || seller.name.ja || seller.name.en;
}

/** "Sold by" of one item (an order's items may come from several sellers). */
function sellerLine(order: Order, item: OrderItem, w: MarketplaceWording): string {
  const loc = order.locale;
  if (item.seller.kind === 'platform') return say(loc, w.soldBy.platform);
  return fill(w.soldBy.seller, { seller: sellerName(item.seller, loc) });
}

export function orderUrl(order: Order): string {
  return `${site(order.locale)}/your-orders/order-details?orderID=${order.number}`;
}

function trackingDisplay(order: Order): string {
  return CARRIERS[order.carrier].scheme === 'jp-mod7-12' ? formatJpDomestic(order.tracking) : order.tracking;
}

/** The ways the marketplace writes an order confirmation, as the order was placed. */
export type OrderVariant = 'web' | 'app' | 'gift' | 'multi-seller';

/** The confirmation an order gets: a gift's, else several sellers', else the app's or the web's. */
export function orderVariant(order: Order): OrderVariant {
  if (order.gift) return 'gift';
  if (new Set(order.items.map((it) => it.seller.id)).size > 1) return 'multi-seller';
  return order.channel;
}

export const orderConfirmation = mailType({
  id: 'marketplace.order-confirmation',
  category: 'shopping',
  machine: true,
  description:
    'Order confirmation ("ご注文の確認"), one per order, with items, sellers, ship-to address, total and payment method; written four ways (web, app: shorter, gift: own subject and message, multi-seller: items grouped by package) in the edition of its date.',
  params: z.object({ order: orderEntity }).strict(),
  render(ctx, { order }) {
    const loc = order.locale;
    const m = marketplaceWording(ctx);
    const w = m.orderConfirmation;
    const variant = orderVariant(order);
    const zone = ctx.persona.zone;
    const etaFrom = shortDate(order.placedAt + order.shipAfter + order.deliverAfter * 0.6, loc, zone);
    const etaTo = shortDate(order.placedAt + order.shipAfter + order.deliverAfter * 1.5 + DAY, loc, zone);
    const subject = itemsSubject(order, variant === 'gift' ? w.gift.subject : w.subject, m);
    const pay = fill(w.payment, { network: order.payment.network, last4: order.payment.last4 });
    const itemRow = (it: OrderItem): [string, string] => [
      it.product[loc],
      `${sellerLine(order, it, m)}\n${m.labels.quantity}: ${it.quantity}\n${m.labels.price}: ${money(it.unitPrice, order.currency)}`,
    ];
    const itemBlock = (items: readonly OrderItem[]): Block => {
      const rows = items.map(itemRow);
      return { text: rows.flatMap(([item, detail]) => [item, '  ' + detail.replace(/\n/g, '\n  ')]), html: [{ rows }] };
    };
    const totals: Array<[string, string]> = [
      [w.totals.subtotal, money(order.total - order.shipping, order.currency)],
      [w.totals.shipping, money(order.shipping, order.currency)],
      [w.totals.total, money(order.total, order.currency)],
      [w.totals.paymentMethod, pay],
    ];
    const head: Array<[string, string]> = [
      [m.labels.orderNumber, order.number],
      [m.labels.placedOn, dateTime(order.placedAt, loc, zone)],
      ...(order.digital ? [] : ([[m.labels.arriving, `${etaFrom} - ${etaTo}`]] as Array<[string, string]>)),
    ];
    const shipBlock = order.shipTo ? addressLines(m, order.shipToName, order.shipTo) : w.digitalShipTo;
    const manage: Block = { button: w.button, href: orderUrl(order), lead: w.manage };
    let blocks: Block[];
    if (variant === 'app') {
      // The app's mail: the number, what and where, the total; no dates, no subtotal rows.
      blocks = [{ p: say(loc, w.app.intro) }, { rows: [head[0]!, totals[2]!, totals[3]!] }, { h: w.shipTo }, { p: shipBlock }, itemBlock(order.items), manage];
    } else {
      const sellers = [...new Map(order.items.map((it) => [it.seller.id, it.seller])).values()];
      const details: Block[] =
        variant === 'multi-seller'
          ? [
              { p: fill(w.multiSeller.note, { count: sellers.length }) },
              ...sellers.flatMap((s): Block[] => [
                { h: fill(w.multiSeller.heading, { seller: s.kind === 'platform' ? brandName(loc) : sellerName(s, loc) }) },
                itemBlock(order.items.filter((it) => it.seller.id === s.id)),
              ]),
            ]
          : [{ h: w.details }, itemBlock(order.items)];
      const gift: Block[] =
        variant === 'gift' ? [{ h: w.gift.messageLabel }, { p: ctx.rng.child('gift').pick(w.gift.messages) }, { small: w.gift.pricesHidden }] : [];
      blocks = [
        { p: greeting(ctx) },
        { p: say(loc, variant === 'gift' ? w.gift.intro : w.intro) },
        { rows: head },
        { h: w.shipTo },
        { p: shipBlock },
        ...gift,
        ...details,
        'hr',
        { rows: totals },
        manage,
      ];
    }
    return { ...blockSpec(ctx, 'orders', subject, blocks), template: `${edition(ctx)}/${variant}` };
  },
});

export const shipped = mailType({
  id: 'marketplace.shipped',
  category: 'shipping',
  machine: true,
  description: 'Shipping notice ("の発送" / "Shipped:") with carrier and tracking number.',
  params: z.object({ order: orderEntity }).strict(),
  render(ctx, { order }) {
    const loc = order.locale;
    const m = marketplaceWording(ctx);
    const w = m.shipped;
    const carrier = CARRIERS[order.carrier].name[loc];
    const eta = shortDate(ctx.at + order.deliverAfter, loc, ctx.persona.zone);
    const subject = itemsSubject(order, w.subjects[ctx.rng.bool(0.5) ? 0 : 1], m);
    const rows: Array<[string, string]> = [
      [m.labels.orderNumber, order.number],
      [m.labels.carrier, carrier],
      [m.labels.trackingId, trackingDisplay(order)],
      [m.labels.arriving, eta],
    ];
    const url = `${site(loc)}/progress-tracker/package?orderId=${order.number}&trackingId=${order.tracking}`;
    const shipTo = order.shipTo ? addressLines(m, order.shipToName, order.shipTo) : '';
    return blockSpec(ctx, 'shipping', subject, [
      { p: greeting(ctx) },
      { p: w.intro },
      { rows },
      {
        text: [`${w.items}:`, ...order.items.map((it) => `  ${it.product[loc]} (${sellerLine(order, it, m)})`)],
        html: [{ rows: order.items.map((it) => [it.product[loc], sellerLine(order, it, m)] as const) }],
      },
      { h: w.shipTo },
      { p: shipTo },
      {
        text: [`${w.track}:`, url, fill(w.carrierTracking, { carrier, url: trackingUrl(order.carrier, order.tracking) })],
        html: [{ button: w.button, href: url }],
      },
    ]);
  },
});

export const delivered = mailType({
  id: 'marketplace.delivered',
  category: 'shipping',
  machine: true,
  description: 'Delivery notice ("配達済み:" / "Delivered:").',
  params: z.object({ order: orderEntity }).strict(),
  render(ctx, { order }) {
    const loc = order.locale;
    const m = marketplaceWording(ctx);
    const w = m.delivered;
    const body = fill(w.body, { when: dateTime(ctx.at - 600, loc, ctx.persona.zone), number: order.number });
    return blockSpec(ctx, 'shipping', itemsSubject(order, w.subject, m), [
      { p: greeting(ctx) },
      { p: body },
      { text: [w.ask], html: [{ p: w.ask }], gap: false },
      { button: w.button, href: orderUrl(order) },
    ]);
  },
});

/** What the "recent changes to your account" notice reports. */
const ChangeVariant = z.enum(['takeover-reverted', 'owner-updated']);

export const accountChange = mailType({
  id: 'marketplace.account-change',
  category: 'security',
  machine: true,
  description:
    'The "recent changes to your account" notice. takeover-reverted: the platform found unauthorised use, reset the password, reverted changes and cancelled unshipped orders (the founding incident). owner-updated: the owner changed their own details.',
  params: z.object({ variant: ChangeVariant, resetAfterHours: z.number().positive().optional() }).strict(),
  render(ctx, { variant, resetAfterHours }) {
    const loc = ctx.persona.locale;
    const w = marketplaceWording(ctx).accountChange;
    const hours = Math.max(1, Math.round(resetAfterHours ?? 5));
    const paras = (variant === 'takeover-reverted' ? w.takeoverReverted : w.ownerUpdated).map((p) => say(loc, p, { hours }));
    return blockSpec(ctx, 'account', say(loc, w.subject), [
      { p: greeting(ctx) },
      ...paras.map((p) => ({ p })),
      { button: w.button, href: `${site(loc)}/ap/signin` },
    ]);
  },
});

export const supportFollowup = mailType({
  id: 'marketplace.support-followup',
  category: 'security',
  machine: true,
  description: "The platform's later note after a takeover: the cancelled goods may be discarded; the owner bears no loss.",
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const w = marketplaceWording(ctx).supportFollowup;
    return blockSpec(ctx, 'account', say(loc, w.subject), [{ p: greeting(ctx) }, ...w.paragraphs.map((p) => ({ p: say(loc, p) }))]);
  },
});

/** Devices as the notice names them, in English in every locale (as the platform's own device list does). */
const DEVICES = [
  'Chrome on Windows',
  'Safari on iPhone',
  `${MARKETPLACE.name.en} app on Android`,
  'Firefox on Mac',
  'Edge on Windows',
  `${MARKETPLACE.name.en} app on iPhone`,
] as const;
/** Without a place, the notice shows one in the owner's own country. */
function signInPlace(ctx: TemplateContext, place: string | undefined): string {
  return place ?? ctx.rng.pick(homePlaces(ctx.persona.zone));
}

export const newSignIn = mailType({
  id: 'marketplace.new-sign-in',
  category: 'security',
  machine: true,
  description: 'New sign-in from a device the platform has not seen. Caused by the owner unless a scenario says otherwise.',
  params: z.object({ place: z.string().optional(), device: z.string().optional() }).strict(),
  render(ctx, { place, device }) {
    const loc = ctx.persona.locale;
    const w = marketplaceWording(ctx).newSignIn;
    const where = signInPlace(ctx, place);
    const dev = device ?? ctx.rng.pick(DEVICES);
    const rows: Array<[string, string]> = [
      [w.labels.when, dateTime(ctx.at - 60, loc, ctx.persona.zone)],
      [w.labels.device, dev],
      [w.labels.near, where],
    ];
    return blockSpec(ctx, 'security', say(loc, w.subject, { device: dev }), [
      { p: greeting(ctx) },
      { text: [w.lead], html: [] },
      { rows },
      { text: [w.note], html: [{ p: w.note }], gap: false },
      { button: w.button, href: `${site(loc)}/ap/security` },
    ]);
  },
});

export const passwordChanged = mailType({
  id: 'marketplace.password-changed',
  category: 'security',
  machine: true,
  description: 'Confirmation that the account password was changed.',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const w = marketplaceWording(ctx).passwordChanged;
    const body = say(loc, w.body, { when: dateTime(ctx.at - 30, loc, ctx.persona.zone) });
    return blockSpec(ctx, 'account', say(loc, w.subject), [{ p: greeting(ctx) }, { p: body }]);
  },
});

export const passwordReset = mailType({
  id: 'marketplace.password-reset',
  category: 'security',
  machine: true,
  description: 'Password assistance: a one-time code to reset the password ("パスワードの支援").',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const w = marketplaceWording(ctx).passwordReset;
    const code = ctx.rng.digits(6);
    return blockSpec(ctx, 'account', say(loc, w.subject), [{ p: fill(w.body, { code }) }]);
  },
});

export const signInCode = mailType({
  id: 'marketplace.sign-in-code',
  category: 'security',
  machine: true,
  description: 'One-time sign-in code ("サインイン試行") sent when 2-step verification is on.',
  params: z.object({}).strict(),
  render(ctx) {
    const w = marketplaceWording(ctx).signInCode;
    const code = ctx.rng.digits(6);
    return blockSpec(ctx, 'security', w.subject, [{ p: fill(w.body, { code }) }]);
  },
});

export const promo = mailType({
  id: 'marketplace.promo',
  category: 'promotion',
  machine: true,
  description: 'Marketplace promotion (recommendations, sale announcements) with List-Unsubscribe.',
  params: z.object({ sale: z.string().optional() }).strict(),
  render(ctx, { sale }) {
    const loc = ctx.persona.locale;
    const w = marketplaceWording(ctx).promo;
    const event = sale ? ctx.world.saleEvents.find((e) => e.id === sale) : undefined;
    const picks = [0, 1, 2].map(() => ctx.rng.pick(ctx.world.productsForPromo)[loc]);
    const head = clip(picks[0]!, w.headClip);
    const subject = event
      ? fill(ctx.rng.pick(w.saleSubjects), { event: event.name[loc], head })
      : say(loc, ctx.rng.pick(w.subjects), { family: ctx.persona.family, head });
    const unsubscribe = `${site(loc)}/gp/unsubscribe?u=${ctx.rng.chars(24, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const deals = `${site(loc)}/deals`;
    return blockSpec(
      ctx,
      'promo',
      subject,
      [
        { p: say(loc, w.intro) },
        { text: picks.map((p) => `- ${p}`), html: picks.map((p) => ({ p })) },
        { button: w.button, href: deals },
        { text: [fill(w.unsubscribe, { url: unsubscribe })], html: [{ small: unsubscribe }], gap: false },
      ],
      [
        ['List-Unsubscribe', `<${unsubscribe}>, <mailto:unsubscribe@${MARKETPLACE.site[loc]}?subject=unsubscribe>`],
        ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
        ['Precedence', 'bulk'],
      ],
    );
  },
});

export const MARKETPLACE_TYPES = [
  orderConfirmation,
  shipped,
  delivered,
  accountChange,
  supportFollowup,
  newSignIn,
  passwordChanged,
  passwordReset,
  signInCode,
  promo,
];

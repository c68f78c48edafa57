/**
 * More of the marketplace's mail: account changes a takeover makes (a shipping address or a
 * payment method added, points or gift-card balance spent) and the per-order mails some victims
 * saw several of for each fraudulent order (payment completed, order cancelled). Same senders,
 * footers and UTC Date as marketplace.ts.
 */
import { z } from 'zod';
import type { Locale } from '../../vocab/types.js';
import { postalAddress } from '../../world/persona.js';
import { marketplaceOrderNumber } from '../../world/carriers.js';
import { wording } from '../../vocab/mail/index.js';
import type { MailSpec } from '../compose.js';
import { renderMail } from './blocks.js';
import type { Block } from './blocks.js';
import { dateTime, fill, money, thousands } from './common.js';
import { brandName, footer, greeting, itemsSummary, marketplaceWording, orderEntity, orderUrl, say, site, spec } from './marketplace.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

/** A notice: a greeting, paragraphs, a table, more paragraphs and a button. */
function notice(
  ctx: TemplateContext,
  purpose: 'orders' | 'account' | 'security',
  subject: string,
  paras: readonly string[],
  rows: Array<[string, string]>,
  after: readonly string[],
  button: { label: string; url: string },
): MailSpec {
  const loc = ctx.persona.locale;
  const blocks: Block[] = [
    { p: greeting(ctx) },
    ...paras.map((p) => ({ p: say(loc, p) })),
    ...(rows.length ? [{ rows }] : []),
    ...after.map((p) => ({ p: say(loc, p) })),
    { button: button.label, href: button.url },
  ];
  const { text, html } = renderMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: footer(ctx) });
  return spec(ctx, purpose, subject, text, html);
}

function when(ctx: TemplateContext, max = 300): string {
  return dateTime(ctx.at - ctx.rng.int(20, max), ctx.persona.locale, ctx.persona.zone);
}

export const addressAdded = mailType({
  id: 'marketplace.address-added',
  category: 'security',
  machine: true,
  description: 'A new shipping address was added to the account; shown masked (prefecture/state and city only), as platforms do.',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const w = wording(loc).marketplaceAccount.addressAdded;
    const a = postalAddress(ctx.rng, loc, ctx.persona.zone);
    const subject = say(loc, ctx.rng.pick(w.subjects));
    const rows: Array<[string, string]> = [
      [w.rows.when, when(ctx)],
      [w.rows.address, fill(w.masked, { region: a.region, city: a.city })],
    ];
    return notice(ctx, 'account', subject, w.paragraphs, rows, w.after, { label: w.button, url: `${site(loc)}/a/addresses` });
  },
});

const NETWORKS: Record<Locale, readonly string[]> = {
  ja: ['VISA', 'Mastercard', 'JCB', 'AMEX'],
  en: ['Visa', 'Mastercard', 'American Express', 'Discover'],
};

export const paymentAdded = mailType({
  id: 'marketplace.payment-added',
  category: 'security',
  machine: true,
  description: 'A payment method (card) was added to the account.',
  params: z
    .object({
      network: z.string().min(1).optional(),
      last4: z
        .string()
        .regex(/^\d{4}$/)
        .optional(),
    })
    .strict(),
  render(ctx, { network, last4 }) {
    const loc = ctx.persona.locale;
    const w = wording(loc).marketplaceAccount.paymentAdded;
    const net = network ?? ctx.rng.pick(NETWORKS[loc]);
    const l4 = last4 ?? ctx.rng.digits(4);
    const subject = say(loc, ctx.rng.pick(w.subjects));
    const paras = w.paragraphs.map((p) => fill(p, { network: net, last4: l4 }));
    return notice(ctx, 'account', subject, paras, [[w.rows.when, when(ctx)]], w.after, { label: w.button, url: `${site(loc)}/cpe/yourpayments/wallet` });
  },
});

/** Mailbox domains a changed address may be at (reserved names only). */
const ADDRESS_DOMAINS = ['mail.example', 'postbox.example', 'inbox.example', 'example.net', 'example.com'] as const;

export const emailChanged = mailType({
  id: 'marketplace.email-changed',
  category: 'security',
  machine: true,
  description:
    "The account's e-mail address was changed; sent once, to the previous address (the new one shown masked). From then on the marketplace writes to the new address.",
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const w = wording(loc).marketplaceAccount.emailChanged;
    const masked = `${ctx.rng.chars(1, 'abcdefghijklmnopqrstuvwxyz')}*****@${ctx.rng.pick(ADDRESS_DOMAINS)}`;
    const subject = say(loc, ctx.rng.pick(w.subjects));
    const rows: Array<[string, string]> = [
      [w.rows.when, when(ctx)],
      [w.rows.address, masked],
    ];
    return notice(ctx, 'account', subject, w.paragraphs, rows, w.after, { label: w.button, url: `${site(loc)}/ap/cnep` });
  },
});

export const paymentConfirmed = mailType({
  id: 'marketplace.payment-confirmed',
  category: 'shopping',
  machine: true,
  description: 'Payment for an order was completed (one of several mails per order: confirmation, payment method, payment done, shipped).',
  params: z.object({ order: orderEntity }).strict(),
  render(ctx, { order }) {
    const loc = order.locale;
    const w = wording(loc).marketplaceAccount.paymentConfirmed;
    const pay = fill(marketplaceWording(ctx).orderConfirmation.payment, { network: order.payment.network, last4: order.payment.last4 });
    const at = when(ctx, 120);
    const subject = say(loc, ctx.rng.pick(w.subjects), { number: order.number, items: itemsSummary(order, w.subjectClip) });
    const rows: Array<[string, string]> = [
      [w.rows.number, order.number],
      [w.rows.items, itemsSummary(order, w.rowsClip)],
      [w.rows.paidOn, at],
      [w.rows.method, pay],
      [w.rows.amount, money(order.total, order.currency)],
    ];
    return notice(ctx, 'orders', subject, w.paragraphs, rows, w.after, { label: w.button, url: orderUrl(order) });
  },
});

export const orderCancelled = mailType({
  id: 'marketplace.order-cancelled',
  category: 'shopping',
  machine: true,
  description: 'The order was cancelled ("ご注文のキャンセル" / "Your order has been cancelled"); nothing is charged.',
  params: z.object({ order: orderEntity }).strict(),
  render(ctx, { order }) {
    const loc = order.locale;
    const w = wording(loc).marketplaceAccount.orderCancelled;
    const subject = say(loc, ctx.rng.pick(w.subjects), { number: order.number, items: itemsSummary(order, w.subjectClip) });
    const rows: Array<[string, string]> = [
      [w.rows.number, order.number],
      [w.rows.items, itemsSummary(order, w.rowsClip)],
      [w.rows.amount, money(order.total, order.currency)],
    ];
    return notice(ctx, 'orders', subject, w.paragraphs, rows, w.after, { label: w.button, url: orderUrl(order) });
  },
});

export const pointsUsed = mailType({
  id: 'marketplace.points-used',
  category: 'shopping',
  machine: true,
  description: "The account's points (ja, 1 point = 1 yen) or gift-card balance (en, in cents) were used for an order.",
  params: z.object({ points: z.number().int().positive() }).strict(),
  render(ctx, { points }) {
    const loc = ctx.persona.locale;
    const w = wording(loc).marketplaceAccount.pointsUsed;
    const number = marketplaceOrderNumber(ctx.rng);
    const left = ctx.rng.int(0, Math.max(1, Math.round(points / 5)));
    // Points count in the ja wording, dollars (from cents) in the en one; each wording picks its own.
    const amounts = { points: thousands(points), usd: money(points, 'USD'), left: thousands(left), leftUsd: money(left, 'USD') };
    const subject = say(loc, ctx.rng.pick(w.subjects));
    const rows: Array<[string, string]> = [
      [w.rows.when, when(ctx)],
      [w.rows.number, number],
      [w.rows.used, fill(w.used, amounts)],
      [w.rows.left, fill(w.left, amounts)],
    ];
    const paras = w.paragraphs.map((p) => say(loc, p, amounts));
    return notice(ctx, 'account', subject, paras, rows, w.after, { label: w.button, url: `${site(loc)}/gp/css/gc/balance` });
  },
});

export const MARKETPLACE_ACCOUNT_TYPES = [addressAdded, paymentAdded, emailChanged, paymentConfirmed, orderCancelled, pointsUsed];

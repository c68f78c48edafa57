/**
 * Banks and card issuers. Japanese ones send plain text from their own MTA with a +0900 Date,
 * many in ISO-2022-JP, and never carry List-Unsubscribe (shared docs mail-formats.md).
 */
import { z } from 'zod';
import type { FinanceBrand } from '../../world/brands.js';
import type { MailSpec } from '../compose.js';
import type { Order } from '../../world/orders.js';
import type { Persona } from '../../world/persona.js';
import type { FinanceLine } from '../../vocab/mail/finance.js';
import { wording } from '../../vocab/mail/index.js';
import { MARKETPLACE } from '../../world/brands.js';
import { dateTime, fill, htmlMail, localCurrency, money, textRows } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

const brandEntity = z.custom<FinanceBrand>((v) => typeof v === 'object' && v !== null && 'kind' in v, 'a bank or card issuer');

/** A bank's or card issuer's mail: text only from Japanese ones, multipart from US-style ones. */
export function financeSpec(brand: FinanceBrand, subject: string, lines: string[]): MailSpec {
  const text = lines.join('\n');
  // Japanese banks send text only; US banks send multipart like any transactional sender.
  const html =
    brand.locale === 'en'
      ? htmlMail({
          lang: 'en',
          title: subject,
          brand: brand.name,
          blocks: lines.filter((l) => l !== '').map((p) => ({ p })),
          footer: [brand.name, `https://www.${brand.sending.domain}/`],
        })
      : null;
  return {
    profile: brand.sending,
    from: { name: brand.name, address: `${brand.fromLocal}@${brand.sending.domain}` },
    subject,
    text,
    html,
    charset: brand.charset,
    template: `standard/${html === null ? 'text-only' : 'multipart'}`,
  };
}

/**
 * A notice's lines with the values filled in, and the issuer's closing lines under them: the text
 * part as these senders write it (financeSpec makes the HTML part, where there is one, from it).
 */
export function financeLines(
  ctx: TemplateContext,
  brand: FinanceBrand,
  lines: readonly FinanceLine[],
  values: Readonly<Record<string, string | number>> = {},
  footer: readonly string[] = wording(brand.locale).finance.footer,
): string[] {
  const all = { brand: brand.name, domain: brand.sending.domain, name: ctx.persona.displayName, given: ctx.persona.given, ...values };
  const body = lines.map((l) => (typeof l === 'string' ? fill(l, all) : textRows(l.rows.map(([k, v]) => [fill(k, all), fill(v, all)] as const))));
  return [...body, ...footer.map((l) => fill(l, all))];
}

export const cardUse = mailType({
  id: 'card.use-notice',
  category: 'finance',
  machine: true,
  description: 'Card-use notice sent right after a purchase ("カード利用のお知らせ").',
  params: z.object({ brand: brandEntity, last4: z.string(), amount: z.number(), merchant: z.string() }).strict(),
  render(ctx, { brand, last4, amount, merchant }) {
    const w = wording(brand.locale).finance.cardUse;
    const when = dateTime(ctx.at - ctx.rng.int(60, 1800), brand.locale, ctx.persona.zone);
    const values = { last4, when, merchant, amount: money(amount, localCurrency(brand.locale)) };
    // One wording needs no draw; two are drawn half and half.
    const subject = w.subjects.length === 1 ? w.subjects[0]! : w.subjects[ctx.rng.bool(0.5) ? 0 : 1]!;
    return financeSpec(brand, fill(subject, { brand: brand.name, ...values }), financeLines(ctx, brand, w.lines, values));
  },
});

export const cardStatement = mailType({
  id: 'card.statement',
  category: 'finance',
  machine: true,
  description: 'Monthly statement ready / amount fixed.',
  params: z.object({ brand: brandEntity, amount: z.number() }).strict(),
  render(ctx, { brand, amount }) {
    const w = wording(brand.locale).finance.cardStatement;
    const values = { amount: money(amount, localCurrency(brand.locale)) };
    return financeSpec(brand, fill(w.subject, { brand: brand.name }), financeLines(ctx, brand, w.lines, values));
  },
});

const BankKind = z.enum(['deposit', 'withdrawal', 'transfer', 'sign-in']);

export const bankNotice = mailType({
  id: 'bank.notice',
  category: 'finance',
  machine: true,
  description: 'Bank notices: deposit, withdrawal, transfer accepted, online-banking sign-in.',
  params: z.object({ brand: brandEntity, kind: BankKind, amount: z.number().optional() }).strict(),
  render(ctx, { brand, kind, amount = 0 }) {
    const w = wording(brand.locale).finance.bankNotice;
    const when = dateTime(ctx.at - ctx.rng.int(30, 900), brand.locale, ctx.persona.zone);
    const { title, what } = w.kinds[kind];
    const values = { when, title, what, amount: money(amount, localCurrency(brand.locale)) };
    return financeSpec(brand, fill(w.subject, { brand: brand.name, title }), financeLines(ctx, brand, kind === 'sign-in' ? w.signIn : w.transaction, values));
  },
});

const orderEntity = z.custom<Order>((v) => typeof v === 'object' && v !== null && 'number' in v, 'an order (provided by the engine)');

/** The owner's card that paid for an order, if its issuer notifies every use. */
export function notifyingCard(persona: Persona, order: Order): Persona['cards'][number] | undefined {
  return persona.cards.find((c) => c.brand.noticeEveryUse === true && c.last4 === order.payment.last4);
}

export const cardOrderNotice = mailType({
  id: 'card.order-notice',
  category: 'finance',
  machine: true,
  description: "The card-use notice that follows a marketplace order paid with the owner's card (only where the issuer notifies every use).",
  params: z.object({ order: orderEntity }).strict(),
  applies: (persona, { order }) => notifyingCard(persona, order) !== undefined,
  render(ctx, { order }) {
    const card = notifyingCard(ctx.persona, order)!;
    const merchant = fill(wording(order.locale).finance.marketplaceMerchant, { brand: MARKETPLACE.name[order.locale] });
    return cardUse.render(ctx, { brand: card.brand, last4: card.last4, amount: order.total, merchant });
  },
});

export const FINANCE_TYPES = [cardUse, cardOrderNotice, cardStatement, bankNotice];

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
import { dateTime, htmlMail, money, textRows, thousands } from './common.js';
import type { HtmlBlock } from './common.js';
import { FOOTER, brandName, itemsSummary, orderEntity, orderUrl, site, spec } from './marketplace.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

function greeting(ctx: TemplateContext, loc: Locale): string {
  return loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
}

/** A notice with a greeting, paragraphs, a table and a button, as text and HTML. */
function notice(
  ctx: TemplateContext,
  purpose: 'orders' | 'account' | 'security',
  loc: Locale,
  subject: string,
  paras: string[],
  rows: Array<[string, string]>,
  after: string[],
  button: { label: string; url: string },
) {
  const greet = greeting(ctx, loc);
  const text = [
    greet,
    '',
    ...paras.flatMap((p) => [p, '']),
    ...(rows.length ? [textRows(rows), ''] : []),
    ...after.flatMap((p) => [p, '']),
    button.url,
    '',
    ...FOOTER[loc],
  ].join('\n');
  const blocks: HtmlBlock[] = [
    { p: greet },
    ...paras.map((p) => ({ p })),
    ...(rows.length ? [{ rows }] : []),
    ...after.map((p) => ({ p })),
    { button: button.label, href: button.url },
  ];
  return spec(ctx, purpose, subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
}

function when(ctx: TemplateContext, loc: Locale, max = 300): string {
  return dateTime(ctx.at - ctx.rng.int(20, max), loc, ctx.persona.zone);
}

export const addressAdded = mailType({
  id: 'marketplace.address-added',
  category: 'security',
  machine: true,
  description: 'A new shipping address was added to the account; shown masked (prefecture/state and city only), as platforms do.',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const a = postalAddress(ctx.rng, loc, ctx.persona.zone);
    const masked = loc === 'ja' ? `${a.region}${a.city} ****` : `****, ${a.city}, ${a.region}`;
    const url = `${site(loc)}/a/addresses`;
    if (loc === 'ja')
      return notice(
        ctx,
        'account',
        loc,
        ctx.rng.pick(['ハナマート: お届け先住所が追加されました', 'お客様のハナマートアカウントに新しいお届け先が追加されました']),
        ['お客様のハナマートアカウントに、新しいお届け先住所が追加されました。'],
        [
          ['追加日時', when(ctx, loc)],
          ['お届け先(一部を表示)', masked],
        ],
        ['この変更に心当たりがない場合は、直ちにパスワードを変更し、アドレス帳から住所を削除してください。'],
        { label: 'アドレス帳を確認', url },
      );
    return notice(
      ctx,
      'account',
      loc,
      ctx.rng.pick(['A new shipping address was added to your Hanamart account', 'Hanamart: new address added']),
      ['A new shipping address was added to your Hanamart account.'],
      [
        ['When', when(ctx, loc)],
        ['Address (partial)', masked],
      ],
      ["If you didn't add this address, change your password right away and remove it from Your Addresses."],
      { label: 'Review your addresses', url },
    );
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
    const net = network ?? ctx.rng.pick(NETWORKS[loc]);
    const l4 = last4 ?? ctx.rng.digits(4);
    const url = `${site(loc)}/cpe/yourpayments/wallet`;
    if (loc === 'ja')
      return notice(
        ctx,
        'account',
        loc,
        ctx.rng.pick(['ハナマート: お支払い方法が追加されました', 'お客様のハナマートアカウントに新しいお支払い方法が追加されました']),
        [`${net} 末尾 ${l4} のカードが、お客様のハナマートアカウントのお支払い方法に追加されました。`],
        [['追加日時', when(ctx, loc)]],
        ['この変更に心当たりがない場合は、直ちにパスワードを変更し、カスタマーサービスにご連絡ください。'],
        { label: 'お支払い方法を確認', url },
      );
    return notice(
      ctx,
      'account',
      loc,
      ctx.rng.pick(['A payment method was added to your Hanamart account', 'Hanamart: new payment method added']),
      [`The ${net} card ending in ${l4} was added to your Hanamart wallet.`],
      [['When', when(ctx, loc)]],
      ["If you didn't add this card, change your password right away and contact Customer Service."],
      { label: 'Review your payments', url },
    );
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
    const pay = loc === 'ja' ? `${order.payment.network} 末尾 ${order.payment.last4}` : `${order.payment.network} ending in ${order.payment.last4}`;
    const at = when(ctx, loc, 120);
    if (loc === 'ja')
      return notice(
        ctx,
        'orders',
        loc,
        ctx.rng.pick([`ハナマート: ご注文 ${order.number} のお支払いが完了しました`, `お支払い完了のお知らせ ${itemsSummary(order, 30)}`]),
        ['ハナマートをご利用いただき、ありがとうございます。以下のご注文のお支払い手続きが完了しました。'],
        [
          ['注文番号', order.number],
          ['商品', itemsSummary(order, 40)],
          ['お支払い日時', at],
          ['お支払い方法', pay],
          ['お支払い金額(税込)', money(order.total, 'JPY')],
        ],
        ['商品の発送準備が整い次第、Eメールでお知らせいたします。'],
        { label: '注文の詳細', url: orderUrl(order) },
      );
    return notice(
      ctx,
      'orders',
      loc,
      ctx.rng.pick([`Your payment for order ${order.number} is complete`, `Payment received for ${itemsSummary(order, 40)}`]),
      ['Thanks for your order. We received your payment for the order below.'],
      [
        ['Order #', order.number],
        ['Items', itemsSummary(order, 48)],
        ['Paid on', at],
        ['Payment method', pay],
        ['Amount', money(order.total, 'USD')],
      ],
      ["We'll let you know when your items ship."],
      { label: 'View order', url: orderUrl(order) },
    );
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
    if (loc === 'ja')
      return notice(
        ctx,
        'orders',
        loc,
        ctx.rng.pick([`ハナマート ご注文のキャンセル ${itemsSummary(order, 30)}`, `ご注文のキャンセル (注文番号 ${order.number})`]),
        ['ハナマートをご利用いただき、ありがとうございます。以下のご注文はキャンセルされました。'],
        [
          ['注文番号', order.number],
          ['キャンセルされた商品', itemsSummary(order, 40)],
          ['金額(税込)', money(order.total, 'JPY')],
        ],
        ['このご注文について、お支払い方法に請求されることはありません。既に請求が行われている場合は、返金の手続きをいたします。'],
        { label: '注文履歴を表示', url: orderUrl(order) },
      );
    return notice(
      ctx,
      'orders',
      loc,
      ctx.rng.pick(['Your order has been cancelled', `Your Hanamart order ${order.number} has been cancelled`]),
      ['Your order below has been cancelled.'],
      [
        ['Order #', order.number],
        ['Cancelled items', itemsSummary(order, 48)],
        ['Amount', money(order.total, 'USD')],
      ],
      ["You won't be charged for this order. If a charge was already made, it will be refunded."],
      { label: 'View your orders', url: orderUrl(order) },
    );
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
    const number = marketplaceOrderNumber(ctx.rng);
    const left = ctx.rng.int(0, Math.max(1, Math.round(points / 5)));
    const url = `${site(loc)}/gp/css/gc/balance`;
    if (loc === 'ja')
      return notice(
        ctx,
        'account',
        loc,
        ctx.rng.pick(['【ハナマート】ポイント利用のお知らせ', 'ハナマートポイントご利用のお知らせ']),
        ['お客様のハナマートポイントがご注文に利用されました。'],
        [
          ['ご利用日時', when(ctx, loc)],
          ['注文番号', number],
          ['ご利用ポイント', `${thousands(points)}ポイント`],
          ['残りのポイント', `${thousands(left)}ポイント`],
        ],
        ['お心当たりのない場合は、直ちにパスワードを変更し、カスタマーサービスにご連絡ください。'],
        { label: 'ポイント履歴を確認', url },
      );
    return notice(
      ctx,
      'account',
      loc,
      ctx.rng.pick(['Your Hanamart gift card balance was used', 'Gift card balance applied to your order']),
      [`${money(points, 'USD')} of your Hanamart gift card balance was applied to an order.`],
      [
        ['When', when(ctx, loc)],
        ['Order #', number],
        ['Amount used', money(points, 'USD')],
        ['Remaining balance', money(left, 'USD')],
      ],
      ["If you don't recognize this, change your password and contact Customer Service."],
      { label: 'View balance', url },
    );
  },
});

export const MARKETPLACE_ACCOUNT_TYPES = [addressAdded, paymentAdded, paymentConfirmed, orderCancelled, pointsUsed];

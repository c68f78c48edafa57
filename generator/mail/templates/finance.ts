/**
 * Banks and card issuers. Japanese ones send plain text from their own MTA with a +0900 Date,
 * many in ISO-2022-JP, and never carry List-Unsubscribe (shared docs mail-formats.md).
 */
import { z } from 'zod';
import type { FinanceBrand } from '../../world/brands.js';
import type { MailSpec } from '../compose.js';
import type { Order } from '../../world/orders.js';
import type { Persona } from '../../world/persona.js';
import { dateTime, htmlMail, money, textRows } from './common.js';
import { mailType } from './types.js';

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
  };
}

/** The closing block Japanese banks and issuers put under every notice. */
export const jaFooter = (brand: FinanceBrand): string[] => [
  '',
  '※本メールは送信専用アドレスから配信しています。ご返信いただいてもお答えできませんのでご了承ください。',
  '――――――――――――――――――――',
  brand.name,
  `https://www.${brand.sending.domain}/`,
  '――――――――――――――――――――',
];

export const cardUse = mailType({
  id: 'card.use-notice',
  category: 'finance',
  machine: true,
  description: 'Card-use notice sent right after a purchase ("カード利用のお知らせ").',
  params: z.object({ brand: brandEntity, last4: z.string(), amount: z.number(), merchant: z.string() }).strict(),
  render(ctx, { brand, last4, amount, merchant }) {
    const when = dateTime(ctx.at - ctx.rng.int(60, 1800), brand.locale, ctx.persona.zone);
    if (brand.locale === 'ja') {
      const subject = ctx.rng.bool(0.5) ? `ご利用のお知らせ【${brand.name}】` : 'カード利用のお知らせ(本人ご利用分)';
      return financeSpec(brand, subject, [
        `${ctx.persona.displayName} 様`,
        '',
        `いつも${brand.name}をご利用いただきありがとうございます。`,
        'お客様のカードご利用内容をお知らせいたします。',
        '',
        textRows([
          ['ご利用カード', `${brand.name}(末尾${last4})`],
          ['ご利用日時', when],
          ['ご利用先', merchant],
          ['ご利用金額', `${money(amount, 'JPY')}`],
        ]),
        '',
        'ご利用内容に心当たりがない場合は、裏面記載のお問い合わせ先までご連絡ください。',
        ...jaFooter(brand),
      ]);
    }
    const subject = `Transaction alert: ${money(amount, 'USD')} at ${merchant}`;
    return financeSpec(brand, subject, [
      `Hi ${ctx.persona.given},`,
      '',
      `A charge of ${money(amount, 'USD')} was made on your ${brand.name} ending in ${last4}.`,
      '',
      textRows([
        ['Merchant', merchant],
        ['Date', when],
      ]),
      '',
      "If you don't recognize this transaction, call the number on the back of your card.",
    ]);
  },
});

export const cardStatement = mailType({
  id: 'card.statement',
  category: 'finance',
  machine: true,
  description: 'Monthly statement ready / amount fixed.',
  params: z.object({ brand: brandEntity, amount: z.number() }).strict(),
  render(ctx, { brand, amount }) {
    if (brand.locale === 'ja') {
      return financeSpec(brand, `【${brand.name}】ご請求金額確定のお知らせ`, [
        `${ctx.persona.displayName} 様`,
        '',
        `${brand.name}をご利用いただきありがとうございます。今月のご請求金額が確定しましたのでお知らせいたします。`,
        '',
        textRows([
          ['ご請求金額', money(amount, 'JPY')],
          ['お支払日', '27日(金融機関休業日の場合は翌営業日)'],
        ]),
        '',
        `ご利用明細は会員サイトでご確認ください。\nhttps://www.${brand.sending.domain}/member/`,
        ...jaFooter(brand),
      ]);
    }
    return financeSpec(brand, `Your ${brand.name} statement is ready`, [
      `Hi ${ctx.persona.given},`,
      '',
      `Your statement balance is ${money(amount, 'USD')}. Sign in to view your statement and make a payment.`,
      `https://www.${brand.sending.domain}/statements`,
    ]);
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
    const when = dateTime(ctx.at - ctx.rng.int(30, 900), brand.locale, ctx.persona.zone);
    if (brand.locale === 'ja') {
      const titles = { deposit: '入金のお知らせ', withdrawal: '出金のお知らせ', transfer: 'お振込受付のお知らせ', 'sign-in': 'ログインのお知らせ' } as const;
      const rows: Array<[string, string]> =
        kind === 'sign-in'
          ? [['ログイン日時', when]]
          : [
              ['お取引日時', when],
              ['お取引金額', money(amount, 'JPY')],
              ['お取引内容', titles[kind].replace('のお知らせ', '')],
            ];
      return financeSpec(brand, `【${brand.name}】${titles[kind]}`, [
        `${ctx.persona.displayName} 様`,
        '',
        `${brand.name}をご利用いただきありがとうございます。`,
        kind === 'sign-in' ? 'インターネットバンキングにログインがありました。' : 'お客様の口座で以下のお取引がありました。',
        '',
        textRows(rows),
        '',
        'お心当たりのない場合は、至急当行までご連絡ください。',
        ...jaFooter(brand),
      ]);
    }
    const titles = {
      deposit: 'Deposit received',
      withdrawal: 'Withdrawal notice',
      transfer: 'Transfer confirmation',
      'sign-in': 'New sign-in to online banking',
    } as const;
    return financeSpec(brand, `${brand.name}: ${titles[kind]}`, [
      `Hi ${ctx.persona.given},`,
      '',
      kind === 'sign-in' ? `You signed in to online banking on ${when}.` : `${titles[kind]}: ${money(amount, 'USD')} on ${when}.`,
      '',
      "If this wasn't you, call us right away.",
    ]);
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
    const merchant = order.locale === 'ja' ? 'ハナマート' : 'HANAMART*MKTP';
    return cardUse.render(ctx, { brand: card.brand, last4: card.last4, amount: order.total, merchant });
  },
});

export const FINANCE_TYPES = [cardUse, cardOrderNotice, cardStatement, bankNotice];

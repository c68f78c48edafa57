/**
 * Mail of the marketplace (Hanamart): order confirmations, shipping and delivery notices,
 * account and security notices, promotions. Subjects follow the patterns large marketplaces
 * use (shared docs mail-formats.md); the Date header is in UTC, as theirs is.
 */
import { z } from 'zod';
import { DAY } from '../../core/time.js';
import { CARRIERS, formatJpDomestic, trackingUrl } from '../../world/carriers.js';
import type { Order } from '../../world/orders.js';
import type { PostalAddress } from '../../world/persona.js';
import type { Locale } from '../../vocab/types.js';
import { MARKETPLACE } from '../../world/brands.js';
import { homePlaces } from '../../vocab/places.js';
import type { MailSpec } from '../compose.js';
import { clip, dateTime, htmlMail, money, shortDate, textRows } from './common.js';
import type { HtmlBlock } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

export const orderEntity = z.custom<Order>((v) => typeof v === 'object' && v !== null && 'number' in v, 'an order (provided by the engine)');

export function site(locale: Locale): string {
  return `https://www.${MARKETPLACE.site[locale]}`;
}

export function brandName(locale: Locale): string {
  return locale === 'ja' ? 'ハナマート' : 'Hanamart';
}

function from(locale: Locale, purpose: keyof typeof MARKETPLACE.senders): { name: string; address: string } {
  const names: Record<keyof typeof MARKETPLACE.senders, Record<Locale, string>> = {
    orders: { ja: 'ハナマート', en: 'Hanamart.com' },
    shipping: { ja: 'ハナマート', en: 'Hanamart Shipping' },
    account: { ja: 'ハナマート', en: 'Hanamart' },
    promo: { ja: 'ハナマート', en: 'Hanamart Deals' },
    security: { ja: 'ハナマート', en: 'Hanamart' },
  };
  return { name: names[purpose][locale], address: `${MARKETPLACE.senders[purpose]}@${MARKETPLACE.site[locale]}` };
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
    from: from(locale, purpose),
    ...(purpose === 'promo' ? {} : { replyTo: { address: `no-reply@${MARKETPLACE.site[locale]}` } }),
    subject,
    text,
    html,
    charset: 'UTF-8',
    ...(extra ? { extraHeaders: extra } : {}),
  };
}

export const FOOTER: Record<Locale, string[]> = {
  ja: ['このメールアドレスは配信専用です。このメッセージに返信しないようお願いいたします。', 'ハナマート (hanamart.co.jp.example)'],
  en: [
    'This email was sent from a notification-only address that cannot accept incoming email. Please do not reply to this message.',
    'Hanamart, 410 Example Ave, Example City',
  ],
};

function addressLines(name: string, a: PostalAddress, locale: Locale): string {
  return locale === 'ja' ? [`${name} 様`, ...a.lines].join('\n') : [name, ...a.lines].join('\n');
}

function firstItem(order: Order): string {
  return order.items[0]!.product[order.locale];
}

export function itemsSummary(order: Order, max: number): string {
  const first = clip(firstItem(order), max);
  const more = order.items.length - 1;
  if (more <= 0) return order.locale === 'ja' ? `「${first}」` : `"${first}"`;
  return order.locale === 'ja' ? `「${first}」ほか${more}点` : `"${first}" and ${more} more item${more > 1 ? 's' : ''}`;
}

function sellerLine(order: Order): string {
  const loc = order.locale;
  if (order.seller.kind === 'platform') return loc === 'ja' ? '販売: ハナマート' : 'Sold by: Hanamart';
  return loc === 'ja' ? `出品者: ${order.seller.name.ja || order.seller.name.en}` : `Sold by: ${order.seller.name.en || order.seller.name.ja}`;
}

export function orderUrl(order: Order): string {
  return `${site(order.locale)}/your-orders/order-details?orderID=${order.number}`;
}

function trackingDisplay(order: Order): string {
  return CARRIERS[order.carrier].scheme === 'jp-mod7-12' ? formatJpDomestic(order.tracking) : order.tracking;
}

export const orderConfirmation = mailType({
  id: 'marketplace.order-confirmation',
  category: 'shopping',
  machine: true,
  description: 'Order confirmation ("ご注文の確認"), one per order, with items, seller, ship-to address, total and payment method.',
  params: z.object({ order: orderEntity }).strict(),
  render(ctx, { order }) {
    const loc = order.locale;
    const zone = ctx.persona.zone;
    const etaFrom = shortDate(order.placedAt + order.shipAfter + order.deliverAfter * 0.6, loc, zone);
    const etaTo = shortDate(order.placedAt + order.shipAfter + order.deliverAfter * 1.5 + DAY, loc, zone);
    const subject = loc === 'ja' ? `ハナマート ご注文の確認 ${itemsSummary(order, 40)}` : `Your Hanamart order of ${itemsSummary(order, 48)}`;
    const pay = loc === 'ja' ? `${order.payment.network} 末尾 ${order.payment.last4}` : `${order.payment.network} ending in ${order.payment.last4}`;
    const itemRows: Array<[string, string]> = [];
    for (const it of order.items) {
      itemRows.push([
        it.product[loc],
        `${sellerLine(order)}\n${loc === 'ja' ? '数量' : 'Quantity'}: ${it.quantity}\n${loc === 'ja' ? '価格' : 'Price'}: ${money(it.unitPrice, order.currency)}`,
      ]);
    }
    const totals: Array<[string, string]> =
      loc === 'ja'
        ? [
            ['商品の小計', money(order.total - order.shipping, 'JPY')],
            ['配送料・手数料', money(order.shipping, 'JPY')],
            ['注文合計(税込)', money(order.total, 'JPY')],
            ['お支払い方法', pay],
          ]
        : [
            ['Item Subtotal', money(order.total - order.shipping, 'USD')],
            ['Shipping & Handling', money(order.shipping, 'USD')],
            ['Order Total', money(order.total, 'USD')],
            ['Payment method', pay],
          ];
    const shipBlock = order.shipTo
      ? addressLines(order.shipToName, order.shipTo, loc)
      : loc === 'ja'
        ? 'デジタルコンテンツ(配送なし)'
        : 'Digital item (no shipping)';
    const head: Array<[string, string]> =
      loc === 'ja'
        ? [
            ['注文番号', order.number],
            ['注文日', dateTime(order.placedAt, loc, zone)],
            ...(order.digital ? [] : ([['お届け予定日', `${etaFrom} - ${etaTo}`]] as Array<[string, string]>)),
          ]
        : [
            ['Order #', order.number],
            ['Placed on', dateTime(order.placedAt, loc, zone)],
            ...(order.digital ? [] : ([['Arriving', `${etaFrom} - ${etaTo}`]] as Array<[string, string]>)),
          ];
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const intro =
      loc === 'ja'
        ? 'ハナマートをご利用いただき、ありがとうございます。ご注文を承りました。商品の発送準備が整い次第、Eメールでお知らせいたします。'
        : "Thank you for shopping with us. We'll send a confirmation when your item ships.";
    const shipHead = loc === 'ja' ? 'お届け先' : 'Ship to';
    const itemsHead = loc === 'ja' ? 'ご注文内容' : 'Order details';
    const manage = loc === 'ja' ? 'ご注文の確認・変更は「注文履歴」から行えます。' : 'You can view or manage your order in Your Orders.';
    const text = [
      greet,
      '',
      intro,
      '',
      textRows(head),
      '',
      `${shipHead}:`,
      shipBlock,
      '',
      `${itemsHead}:`,
      ...order.items.flatMap((_, i) => [itemRows[i]![0], '  ' + itemRows[i]![1].replace(/\n/g, '\n  ')]),
      '',
      textRows(totals),
      '',
      manage,
      orderUrl(order),
      '',
      ...FOOTER[loc],
    ].join('\n');
    const blocks: HtmlBlock[] = [
      { p: greet },
      { p: intro },
      { rows: head },
      { h: shipHead },
      { p: shipBlock },
      { h: itemsHead },
      { rows: itemRows },
      'hr',
      { rows: totals },
      { button: loc === 'ja' ? '注文履歴を表示' : 'View or manage order', href: orderUrl(order) },
    ];
    return spec(ctx, 'orders', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
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
    const zone = ctx.persona.zone;
    const carrier = CARRIERS[order.carrier].name[loc];
    const eta = shortDate(ctx.at + order.deliverAfter, loc, zone);
    const subject =
      loc === 'ja'
        ? ctx.rng.bool(0.5)
          ? `${itemsSummary(order, 40)}の発送`
          : `発送済み: ${itemsSummary(order, 40)}`
        : ctx.rng.bool(0.5)
          ? `Shipped: ${itemsSummary(order, 48)}`
          : `Your Hanamart order of ${itemsSummary(order, 40)} has shipped`;
    const rows: Array<[string, string]> =
      loc === 'ja'
        ? [
            ['注文番号', order.number],
            ['配送業者', carrier],
            ['お問い合わせ伝票番号', trackingDisplay(order)],
            ['お届け予定日', eta],
          ]
        : [
            ['Order #', order.number],
            ['Carrier', carrier],
            ['Tracking ID', trackingDisplay(order)],
            ['Arriving', eta],
          ];
    const url = `${site(loc)}/progress-tracker/package?orderId=${order.number}&trackingId=${order.tracking}`;
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const intro = loc === 'ja' ? 'ご注文の商品を発送しました。配送状況は以下からご確認いただけます。' : 'Your package is on its way. You can track it below.';
    const shipTo = order.shipTo ? addressLines(order.shipToName, order.shipTo, loc) : '';
    const text = [
      greet,
      '',
      intro,
      '',
      textRows(rows),
      '',
      loc === 'ja' ? '発送した商品:' : 'Shipped items:',
      ...order.items.map((it) => `  ${it.product[loc]} (${sellerLine(order)})`),
      '',
      loc === 'ja' ? 'お届け先:' : 'Shipping to:',
      shipTo,
      '',
      loc === 'ja' ? '配送状況の確認:' : 'Track your package:',
      url,
      loc === 'ja'
        ? `${carrier}の追跡ページ: ${trackingUrl(order.carrier, order.tracking)}`
        : `${carrier} tracking: ${trackingUrl(order.carrier, order.tracking)}`,
      '',
      ...FOOTER[loc],
    ].join('\n');
    const blocks: HtmlBlock[] = [
      { p: greet },
      { p: intro },
      { rows },
      { rows: order.items.map((it) => [it.product[loc], sellerLine(order)] as const) },
      { h: loc === 'ja' ? 'お届け先' : 'Shipping to' },
      { p: shipTo },
      { button: loc === 'ja' ? '配送状況を確認' : 'Track package', href: url },
    ];
    return spec(ctx, 'shipping', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
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
    const subject = loc === 'ja' ? `配達済み: ${itemsSummary(order, 40)}` : `Delivered: ${itemsSummary(order, 48)}`;
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const body =
      loc === 'ja'
        ? `ご注文の商品をお届けしました。\n配達日時: ${dateTime(ctx.at - 600, loc, ctx.persona.zone)}\n注文番号: ${order.number}`
        : `Your package was delivered.\nDelivered: ${dateTime(ctx.at - 600, loc, ctx.persona.zone)}\nOrder # ${order.number}`;
    const ask =
      loc === 'ja' ? '商品を受け取っていない場合は、注文履歴からお問い合わせください。' : "Didn't receive your package? Let us know from Your Orders.";
    const text = [greet, '', body, '', ask, orderUrl(order), '', ...FOOTER[loc]].join('\n');
    const blocks: HtmlBlock[] = [{ p: greet }, { p: body }, { p: ask }, { button: loc === 'ja' ? '注文の詳細' : 'Order details', href: orderUrl(order) }];
    return spec(ctx, 'shipping', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
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
    const subject = loc === 'ja' ? 'お客様のハナマートアカウントに対する最近の変更' : 'Recent changes to your Hanamart account';
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const hours = Math.max(1, Math.round(resetAfterHours ?? 5));
    let paras: string[];
    if (variant === 'takeover-reverted') {
      paras =
        loc === 'ja'
          ? [
              'ハナマートでは、お客様のアカウントで通常とは異なる操作が行われたことを確認いたしました。',
              'お客様のアカウントを保護するため、パスワードを無効にし、第三者によって行われた変更を元に戻しました。また、未発送のご注文はすべてキャンセルいたしました。',
              'キャンセルされたご注文に関する確認メールは無視してください。登録されているお支払い方法に請求されることはありません。',
              `パスワードの再設定は、約${hours}時間後から行うことができます。ハナマートにサインインし、画面の案内に従って新しいパスワードを設定してください。`,
            ]
          : [
              'We detected unusual activity on your Hanamart account.',
              'To protect your account, we have reset your password, reverted changes made by an unauthorized party, and cancelled all orders that had not yet shipped.',
              'Please disregard any order confirmations for the cancelled orders. Your payment methods on file will not be charged.',
              `You will be able to reset your password in about ${hours} hours. Sign in to Hanamart and follow the instructions to create a new password.`,
            ];
    } else {
      paras =
        loc === 'ja'
          ? ['お客様のアカウント情報が更新されました。', 'この変更に心当たりがない場合は、直ちにパスワードを変更し、カスタマーサービスにご連絡ください。']
          : ['Your account information was updated.', "If you didn't make this change, change your password right away and contact Customer Service."];
    }
    const url = `${site(loc)}/ap/signin`;
    const text = [greet, '', ...paras.flatMap((p) => [p, '']), url, '', ...FOOTER[loc]].join('\n');
    const blocks: HtmlBlock[] = [{ p: greet }, ...paras.map((p) => ({ p })), { button: loc === 'ja' ? 'サインイン' : 'Sign in', href: url }];
    return spec(ctx, 'account', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
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
    const subject = loc === 'ja' ? '[重要] ハナマートよりお客様のアカウントについてのお知らせ' : '[Important] A message from Hanamart about your account';
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const paras =
      loc === 'ja'
        ? [
            '先日はお問い合わせいただき、ありがとうございました。',
            'お客様のアカウントで第三者により行われたご注文は、すべてキャンセル済みです。出品者から発送された商品がお手元に届いた場合は、受け取りを辞退いただくか、破棄していただいて差し支えありません。',
            'お客様にご負担が生じることはございません。ご不便をおかけし申し訳ございません。',
          ]
        : [
            'Thank you for contacting us.',
            'All orders placed on your account by an unauthorized party have been cancelled. If a package shipped by a seller reaches you anyway, you may refuse or discard it.',
            'You will not be charged. We apologize for the inconvenience.',
          ];
    const text = [greet, '', ...paras.flatMap((p) => [p, '']), ...FOOTER[loc]].join('\n');
    const blocks: HtmlBlock[] = [{ p: greet }, ...paras.map((p) => ({ p }))];
    return spec(ctx, 'account', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
  },
});

const DEVICES = ['Chrome on Windows', 'Safari on iPhone', 'Hanamart app on Android', 'Firefox on Mac', 'Edge on Windows', 'Hanamart app on iPhone'] as const;
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
    const where = signInPlace(ctx, place);
    const dev = device ?? ctx.rng.pick(DEVICES);
    const subject = loc === 'ja' ? 'ハナマート: 新しいデバイスからのサインイン' : `Hanamart: New sign-in on ${dev}`;
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const rows: Array<[string, string]> =
      loc === 'ja'
        ? [
            ['日時', dateTime(ctx.at - 60, loc, ctx.persona.zone)],
            ['デバイス', dev],
            ['場所(おおよそ)', where],
          ]
        : [
            ['When', dateTime(ctx.at - 60, loc, ctx.persona.zone)],
            ['Device', dev],
            ['Near', where],
          ];
    const note =
      loc === 'ja'
        ? 'ご本人によるサインインであれば、対応は不要です。お心当たりのない場合は、パスワードを変更してください。'
        : "If this was you, there's nothing else you need to do. If not, change your password.";
    const url = `${site(loc)}/ap/security`;
    const text = [
      greet,
      '',
      loc === 'ja' ? 'お客様のアカウントへの新しいサインインがありました。' : 'We noticed a new sign-in to your account.',
      '',
      textRows(rows),
      '',
      note,
      url,
      '',
      ...FOOTER[loc],
    ].join('\n');
    const blocks: HtmlBlock[] = [{ p: greet }, { rows }, { p: note }, { button: loc === 'ja' ? 'セキュリティ設定' : 'Review security', href: url }];
    return spec(ctx, 'security', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }));
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
    const subject = loc === 'ja' ? 'ハナマート パスワードの変更' : 'Your Hanamart password was changed';
    const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
    const body =
      loc === 'ja'
        ? `お客様のハナマートアカウントのパスワードが ${dateTime(ctx.at - 30, loc, ctx.persona.zone)} に変更されました。\nこの変更に心当たりがない場合は、直ちにカスタマーサービスまでご連絡ください。`
        : `The password for your Hanamart account was changed on ${dateTime(ctx.at - 30, loc, ctx.persona.zone)}.\nIf you didn't make this change, contact Customer Service right away.`;
    const text = [greet, '', body, '', ...FOOTER[loc]].join('\n');
    return spec(
      ctx,
      'account',
      subject,
      text,
      htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks: [{ p: greet }, { p: body }], footer: FOOTER[loc] }),
    );
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
    const code = ctx.rng.digits(6);
    const subject = loc === 'ja' ? 'ハナマートパスワードの支援' : 'Hanamart password assistance';
    const body =
      loc === 'ja'
        ? `パスワードの再設定を行うには、次の確認コードを入力してください。\n\n${code}\n\nこのコードの有効期限は10分です。ご本人が要求されていない場合は、このメールを無視してください。`
        : `To reset your password, enter this verification code:\n\n${code}\n\nThe code expires in 10 minutes. If you did not request this, ignore this email.`;
    const text = [body, '', ...FOOTER[loc]].join('\n');
    return spec(ctx, 'account', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks: [{ p: body }], footer: FOOTER[loc] }));
  },
});

export const signInCode = mailType({
  id: 'marketplace.sign-in-code',
  category: 'security',
  machine: true,
  description: 'One-time sign-in code ("サインイン試行") sent when 2-step verification is on.',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const code = ctx.rng.digits(6);
    const subject = loc === 'ja' ? 'hanamart: サインイン試行' : 'hanamart: Sign-in attempt';
    const body =
      loc === 'ja'
        ? `サインインを完了するには、次のワンタイムパスワードを入力してください。\n\n${code}\n\nこのコードを他人に教えないでください。`
        : `To finish signing in, enter this one-time password:\n\n${code}\n\nDon't share this code with anyone.`;
    const text = [body, '', ...FOOTER[loc]].join('\n');
    return spec(ctx, 'security', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks: [{ p: body }], footer: FOOTER[loc] }));
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
    const event = sale ? ctx.world.saleEvents.find((e) => e.id === sale) : undefined;
    const picks = [0, 1, 2].map(() => ctx.rng.pick(ctx.world.productsForPromo)[loc]);
    const head = clip(picks[0]!, 28);
    const subject = event
      ? loc === 'ja'
        ? ctx.rng.pick([`【${event.name.ja}】開催中: ${head} など`, `${event.name.ja} まもなく終了`, `${event.name.ja}のおすすめ商品`])
        : ctx.rng.pick([`${event.name.en} is on: ${head} and more`, `${event.name.en} ends soon`, `Top deals for ${event.name.en}`])
      : loc === 'ja'
        ? ctx.rng.pick([
            `${ctx.persona.family}様へのおすすめ: ${head}`,
            `ハナマート: 新着のおすすめ商品`,
            `「${head}」など、チェックした商品に関連するおすすめ`,
          ])
        : ctx.rng.pick([`Recommended for you: ${head}`, 'New deals picked for you', `Customers who viewed items like yours also viewed "${head}"`]);
    const unsubscribe = `${site(loc)}/gp/unsubscribe?u=${ctx.rng.chars(24, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const intro = loc === 'ja' ? 'ハナマートからのおすすめ商品のお知らせです。' : 'Here are some picks we think you might like.';
    const text = [
      intro,
      '',
      ...picks.map((p) => `- ${p}`),
      '',
      `${site(loc)}/deals`,
      '',
      loc === 'ja' ? `配信停止: ${unsubscribe}` : `Unsubscribe: ${unsubscribe}`,
      ...FOOTER[loc],
    ].join('\n');
    const blocks: HtmlBlock[] = [
      { p: intro },
      ...picks.map((p) => ({ p })),
      { button: loc === 'ja' ? 'セール会場へ' : 'Shop deals', href: `${site(loc)}/deals` },
      { small: unsubscribe },
    ];
    return spec(ctx, 'promo', subject, text, htmlMail({ lang: loc, title: subject, brand: brandName(loc), blocks, footer: FOOTER[loc] }), [
      ['List-Unsubscribe', `<${unsubscribe}>, <mailto:unsubscribe@${MARKETPLACE.site[loc]}?subject=unsubscribe>`],
      ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
      ['Precedence', 'bulk'],
    ]);
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

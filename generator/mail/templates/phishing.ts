/**
 * Phishing that imitates the marketplace's own mail: a fake order confirmation ("if you did not
 * place this order, cancel here") and a fake security notice (account locked, unusual activity).
 * How it differs from the real thing is what mailbox providers see (shared docs mail-formats.md):
 * a spoofed brand domain failing SPF/DKIM/DMARC, or a look-alike domain passing them for itself,
 * or display-name abuse from a freemail account; an unusual Date zone; a Reply-To mismatch.
 */
import { z } from 'zod';
import { providerName } from '../../world/brands.js';
import type { SendingProfile } from '../../world/brands.js';
import { brandLabel, IMITATION_FAMILIES, imitationBrand, marketplaceBrand, phishInfra } from '../../world/phishing.js';
import type { ImitationFamily, PhishInfra } from '../../world/phishing.js';
import { marketplaceOrderNumber } from '../../world/carriers.js';
import type { Auth, MailSpec } from '../compose.js';
import { clip, dateTime, htmlMail, money, thousands } from './common.js';
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

function displayName(ctx: TemplateContext, infra: PhishInfra): string {
  const loc = ctx.persona.locale;
  if (infra.style === 'display-name')
    return loc === 'ja'
      ? ctx.rng.pick(['ハナマート セキュリティ', 'ハナマート カスタマーサービス', '【重要】ハナマート'])
      : ctx.rng.pick(['Hanamart Security', 'Hanamart Support', 'Hanamart Account Team']);
  // Homoglyphs: a Cyrillic "а" in place of the Latin one now and then.
  return loc === 'ja' ? ctx.rng.pick(['ハナマート', 'Hanamart.co.jp', 'Hаnamart']) : ctx.rng.pick(['Hanamart', 'Hanamart.com', 'Hаnamart']);
}

export const fakeOrder = mailType({
  id: 'phishing.fake-order',
  category: 'phishing',
  machine: true,
  description: 'Imitation of the marketplace order confirmation with a "cancel this order" link to a look-alike site.',
  params: z.object({ infra: infraEntity }).strict(),
  render(ctx, { infra }) {
    const loc = ctx.persona.locale;
    const product = ctx.rng.pick(ctx.world.productsForPromo);
    const price = loc === 'ja' ? ctx.rng.pick([39800, 54800, 89800, 128000, 159800]) : ctx.rng.pick([49999, 89999, 129999]);
    const number = marketplaceOrderNumber(ctx.rng);
    const url = `https://${infra.linkDomain}/ap/cancel?order=${number}&s=${ctx.rng.chars(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const subject =
      loc === 'ja'
        ? ctx.rng.pick([
            `ハナマート ご注文の確認 「${clip(product.ja, 30)}」`,
            `ご注文の確認 注文番号: ${number}`,
            `ハナマートアラート サービス番号: ${ctx.rng.digits(8)}`,
          ])
        : ctx.rng.pick([
            `Your Hanamart order of "${clip(product.en, 40)}"`,
            `Order confirmation #${number}`,
            `Hanamart alert: order ${number} is being processed`,
          ]);
    const lines =
      loc === 'ja'
        ? [
            `${ctx.persona.family} 様`,
            '',
            'ご注文ありがとうございます。以下の内容でご注文を承りました。',
            `注文番号: ${number}`,
            `注文日: ${dateTime(ctx.at - 300, loc, ctx.persona.zone)}`,
            `商品: ${product.ja}`,
            `注文合計(税込): ${money(price, 'JPY')}`,
            '',
            'このご注文に心当たりがない場合は、24時間以内に下記よりキャンセル手続きを行ってください。手続きがない場合、ご登録のお支払い方法に請求されます。',
            url,
          ]
        : [
            `Hello ${ctx.persona.given},`,
            '',
            'Thank you for your order. We have received the following order:',
            `Order #: ${number}`,
            `Item: ${product.en}`,
            `Order Total: ${money(price, 'USD')}`,
            '',
            'If you did not place this order, cancel it within 24 hours using the link below, or your payment method will be charged.',
            url,
          ];
    const text = lines.join('\n');
    const html = htmlMail({
      lang: loc,
      title: subject,
      brand: loc === 'ja' ? 'ハナマート' : 'Hanamart',
      blocks: [
        ...lines
          .slice(0, -1)
          .filter(Boolean)
          .map((p) => ({ p })),
        { button: loc === 'ja' ? '注文をキャンセル' : 'Cancel order', href: url },
      ],
      footer: [loc === 'ja' ? 'ハナマート' : 'Hanamart'],
    });
    return phishSpec(ctx, infra, subject, text, html, displayName(ctx, infra));
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
    const url = `https://${infra.linkDomain}/signin?ref=${ctx.rng.chars(12, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const subject =
      loc === 'ja'
        ? ctx.rng.pick([
            'お客様のハナマートアカウントに対する最近の変更',
            'あなたのアカウントはブロックされています',
            '異常な活動 - アカウントを保護して下さい。',
            '【重要】ハナマート アカウント一時停止のお知らせ',
            '【至急】お支払い方法の確認のお願い',
          ])
        : ctx.rng.pick([
            'Recent changes to your Hanamart account',
            'Your account has been locked',
            'Unusual activity - secure your account',
            'Action required: payment on hold',
            'Confirm your card use',
          ]);
    const lines =
      loc === 'ja'
        ? [
            `${ctx.persona.family} 様`,
            '',
            'お客様のアカウントで異常なログインが検出されたため、アカウントを一時的に停止しました。',
            '引き続きご利用いただくには、24時間以内に下記リンクからアカウント情報の確認を完了して下さい。',
            '確認が完了しない場合、アカウントは永久に停止されます。',
            url,
          ]
        : [
            `Dear ${ctx.persona.given},`,
            '',
            'We detected unusual sign-in activity and have temporarily locked your account.',
            'To keep using your account, verify your information within 24 hours using the link below.',
            'If we do not hear from you, your account will be permanently suspended.',
            url,
          ];
    const text = lines.join('\n');
    const html = htmlMail({
      lang: loc,
      title: subject,
      brand: loc === 'ja' ? 'ハナマート' : 'Hanamart',
      blocks: [
        ...lines
          .slice(0, -1)
          .filter(Boolean)
          .map((p) => ({ p })),
        { button: loc === 'ja' ? 'アカウントを確認する' : 'Verify account', href: url },
      ],
      footer: [loc === 'ja' ? 'ハナマート' : 'Hanamart'],
    });
    return phishSpec(ctx, infra, subject, text, html, displayName(ctx, infra));
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
  return { ...drawn, relayHost: infra.relayHost, relayIp: infra.relayIp, zone: infra.zone };
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
  const loc = ctx.persona.locale;
  if (infra.style === 'display-name')
    return loc === 'ja'
      ? ctx.rng.pick([`【重要】${brand}`, `${brand} セキュリティセンター`, `${brand} カスタマーサポート`])
      : ctx.rng.pick([`${brand} Security`, `${brand} Support`, `${brand} Account Team`]);
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

/** What a lure of each family says, in the words real campaigns use. */
function lureFor(ctx: TemplateContext, family: ImitationFamily, b: string): Lure {
  const r = ctx.rng;
  const p = ctx.persona;
  const ja = p.locale === 'ja';
  switch (family) {
    case 'provider-security': {
      const n = r.int(3, 17);
      const pct = r.int(95, 99);
      const path = `webmail/${p.provider.domain}/${r.pick(['upgrade', 'verify', 'login'])}?email=${encodeURIComponent(p.address)}`;
      if (r.bool(0.5))
        return ja
          ? {
              subject: r.pick(['メールボックスの容量が上限に達しました', `【${b}】メールボックスの容量が不足しています`, `未配信のメッセージが${n}件あります`]),
              paras: [
                `お使いのメールボックス(${p.address})の使用量が上限の${pct}%に達しました。`,
                `容量が不足しているため、${n}件の受信メッセージが保留されています。24時間以内に下記リンクから容量を無料で拡張しない場合、メールの送受信が停止されます。`,
                'お手続きはログインするだけで完了します。',
              ],
              button: 'ストレージを拡張する',
              path,
            }
          : {
              subject: r.pick(['Your mailbox is almost full', `You have ${n} pending incoming messages`, `${b}: mailbox storage limit reached`]),
              paras: [
                `Your mailbox ${p.address} has reached ${pct}% of its storage limit.`,
                `${n} incoming messages are on hold. If you do not upgrade your storage for free within 24 hours, sending and receiving will be disabled.`,
                'Sign in below to keep your messages.',
              ],
              button: 'Upgrade storage',
              path,
            };
      return ja
        ? {
            subject: r.pick([
              `【重要】${p.address} のパスワードの有効期限が本日切れます`,
              `【${b}】アカウントの確認が必要です`,
              'パスワードの有効期限のお知らせ',
            ]),
            paras: [
              `${p.address} のパスワードの有効期限が本日で切れます。`,
              '引き続き同じパスワードを使用するには、下記リンクからログインしてアカウントを確認してください。確認されない場合、アカウントは自動的にロックされます。',
            ],
            button: '現在のパスワードを維持する',
            path,
          }
        : {
            subject: r.pick([`${b}: Password expiry notice for ${p.address}`, 'Action required: verify your email account', 'Your password expires today']),
            paras: [
              `The password for ${p.address} expires today.`,
              'To keep using your current password, sign in below and confirm your account. Unverified accounts are locked automatically.',
            ],
            button: 'Keep current password',
            path,
          };
    }
    case 'bank':
      return ja
        ? {
            subject: r.pick([
              `【${b}】お客様情報の確認のお願い`,
              `【重要】${b}からの緊急のご連絡`,
              `【${b}】お取引を一時制限しております`,
              `【${b}】ご本人様確認のお願い`,
            ]),
            paras: [
              `いつも${b}をご利用いただきありがとうございます。`,
              'お客様の口座で第三者による不正なアクセスの可能性があるお取引を検知したため、お取引を一時的に制限しております。',
              'お手数ですが、下記URLよりログインのうえ、お客様情報の確認をお願いいたします。確認が取れない場合、口座のご利用を停止させていただく場合がございます。',
            ],
            button: 'ご本人様確認へ進む',
            path: `ib/login?sid=${token(ctx, 16)}`,
          }
        : {
            subject: r.pick([
              `${b}: Your online banking access has been suspended`,
              'Unusual activity detected on your account',
              'Action required: verify your identity',
              `Important notice from ${b}`,
            ]),
            paras: [
              `We detected unusual activity on your ${b} account and have temporarily limited access to online banking.`,
              'To restore access, sign in and confirm your information using the link below. If we cannot verify your identity, your account may be closed.',
            ],
            button: 'Verify now',
            path: `online-banking/verify?sid=${token(ctx, 16)}`,
          };
    case 'card':
      return ja
        ? {
            subject: r.pick([
              `【重要】${b}緊急のご連絡`,
              `【至急】${b}ご利用確認のお願い`,
              `【${b}】カードのご利用を一時停止しております`,
              `${b}: ご利用確認のお願い`,
            ]),
            paras: [
              '平素より当社カードをご利用いただき、誠にありがとうございます。',
              'このたび、ご本人様のご利用かどうかを確認させていただきたいお取引がありましたので、誠に勝手ながらカードのご利用を一部制限させていただきました。',
              '下記よりカード情報のご確認をお願いいたします。ご確認いただけない場合、カードのご利用停止処置となることがございます。',
            ],
            button: 'ご利用確認はこちら',
            path: `member/confirm?no=${r.digits(10)}`,
          }
        : {
            subject: r.pick([
              `${b}: Suspicious transaction - confirm your card use`,
              'Your card has been temporarily restricted',
              'Confirm your card use',
              `${b} Alert: unusual purchase on your card`,
            ]),
            paras: [
              `We noticed a purchase on your ${b} that doesn't match your usual activity, so we have temporarily restricted your card.`,
              'Please confirm your card details using the link below. If we do not hear from you within 24 hours, your card will be suspended.',
            ],
            button: 'Confirm card use',
            path: `cards/confirm?ref=${r.digits(10)}`,
          };
    case 'mobile':
      return ja
        ? {
            subject: r.pick([`【${b}】ご利用料金のお支払いが確認できません`, `【${b}】ご契約内容の確認のお願い`, `【${b}】回線停止のお知らせ`]),
            paras: [
              `いつも${b}をご利用いただきありがとうございます。`,
              '今月のご利用料金のお支払いが確認できておりません。本日中にお手続きいただけない場合、回線のご利用を停止いたします。',
              '下記のマイページより、お支払い情報を更新してください。',
            ],
            button: 'マイページへログイン',
            path: `mypage/billing?id=${token(ctx, 12)}`,
          }
        : {
            subject: r.pick([`${b}: Your bill payment failed`, 'Your service will be suspended', `${b}: Update your payment information`]),
            paras: [`We couldn't process the payment for your ${b} bill.`, 'To avoid an interruption of your service, update your payment information today.'],
            button: 'Update payment',
            path: `myaccount/billing?id=${token(ctx, 12)}`,
          };
    case 'delivery': {
      const tracking = `${r.digits(4)}-${r.digits(4)}-${r.digits(4)}`;
      return ja
        ? {
            subject: r.pick([
              'お荷物お届けのお知らせ(不在のため持ち帰りました)',
              `【${b}】ご不在連絡票`,
              `【${b}】お届け先住所の確認のお願い`,
              'お荷物の配達について',
            ]),
            paras: [
              'お客様宛てにお荷物のお届けに上がりましたが、ご不在のため持ち帰りました。',
              `送り状番号: ${tracking}`,
              '再配達のご依頼は、下記URLからお手続きください。保管期限を過ぎたお荷物は差出人へ返送されます。',
            ],
            button: '再配達を依頼する',
            path: `redelivery?no=${tracking.replace(/-/g, '')}`,
          }
        : {
            subject: r.pick([
              `${b}: We were unable to deliver your package`,
              'Delivery attempt failed - reschedule your delivery',
              'Your package is on hold: address incomplete',
            ]),
            paras: [
              'We attempted to deliver your package today, but the address was incomplete.',
              `Tracking number: ${tracking.replace(/-/g, '')}`,
              'Please confirm your address and pay the $1.99 redelivery fee within 48 hours, or the package will be returned to the sender.',
            ],
            button: 'Reschedule delivery',
            path: `redelivery?id=${tracking.replace(/-/g, '')}`,
          };
    }
    case 'points': {
      const pts = r.pick([1200, 3500, 5000, 8400, 12000]);
      return ja
        ? {
            subject: r.pick(['ポイント失効のお知らせ', `【${b}】保有ポイントが本日失効します`, `【${b}】ポイント交換手続きのご案内`]),
            paras: [
              `お客様が保有する${b}のポイント ${thousands(pts)}ポイントが、本日をもって失効します。`,
              '失効前に、下記リンクからポイントをギフト券に交換できます。お手続きにはログインが必要です。',
            ],
            button: 'ポイントを交換する',
            path: `points/redeem?u=${token(ctx, 12)}`,
          }
        : {
            subject: r.pick(['Your reward points expire today', `Your ${b} points are about to expire`, `${b}: Redeem your ${thousands(pts)} points now`]),
            paras: [`Your ${thousands(pts)} ${b} reward points expire today.`, 'Redeem them for a gift card before they are gone. Sign in to continue.'],
            button: 'Redeem points',
            path: `rewards/redeem?u=${token(ctx, 12)}`,
          };
    }
    case 'marketplace-order': {
      const product = r.pick(ctx.world.productsForPromo);
      const number = marketplaceOrderNumber(r);
      // A price a little under the product's top price: plausible, and high enough to alarm.
      const jpy = Math.max(1000, Math.round((product.priceJpy[1] * 0.9) / 100) * 100 - 20);
      const total = ja ? money(jpy, 'JPY') : money(Math.floor(jpy / ctx.world.usdJpy) * 100 + 99, 'USD');
      const path = `gp/your-account/${r.pick(['cancel', 'order-details'])}?order=${number}`;
      if (r.bool(0.6))
        return ja
          ? {
              subject: r.pick([`${b} ご注文の確認 「${clip(product.ja, 30)}」`, `ご注文の確認 注文番号: ${number}`]),
              paras: [
                'ご注文ありがとうございます。以下のご注文を承りました。',
                `注文番号: ${number}\n商品: ${product.ja}\n注文合計(税込): ${total}`,
                'このご注文に心当たりがない場合は、24時間以内に下記よりキャンセル手続きを行ってください。',
              ],
              button: '注文をキャンセル',
              path,
            }
          : {
              subject: r.pick([`Your ${b} order of "${clip(product.en, 40)}"`, `Order confirmation #${number}`]),
              paras: [
                'Thank you for your order. We have received the following order:',
                `Order #: ${number}\nItem: ${product.en}\nOrder Total: ${total}`,
                'If you did not place this order, cancel it within 24 hours using the link below.',
              ],
              button: 'Cancel order',
              path,
            };
      return ja
        ? {
            subject: r.pick(['ご注文の商品を発送できませんでした', `${b}: お支払い方法の更新が必要です`]),
            paras: [
              `ご注文(注文番号: ${number})のお支払いが承認されなかったため、商品を発送できませんでした。`,
              `商品: ${product.ja}\n注文合計(税込): ${total}`,
              '24時間以内に下記よりお支払い方法を更新してください。更新が確認できない場合、ご注文はキャンセルされ、アカウントが一時停止されます。',
            ],
            button: 'お支払い方法を更新',
            path,
          }
        : {
            subject: r.pick(['We could not ship your order', `${b}: update your payment method`]),
            paras: [
              `Your payment for order ${number} was declined, so we could not ship your item.`,
              `Item: ${product.en}\nOrder Total: ${total}`,
              'Update your payment method within 24 hours using the link below, or your order will be cancelled and your account placed on hold.',
            ],
            button: 'Update payment method',
            path,
          };
    }
    case 'marketplace-security':
      return ja
        ? {
            subject: r.pick([
              `${b}アラート サービス番号: ${r.digits(8)}`,
              'あなたのアカウントはブロックされています',
              '異常な活動 - アカウントを保護して下さい。',
              `お客様の${b}アカウントに対する最近の変更`,
            ]),
            paras: [
              'お客様のアカウントで異常なログインが検出されたため、アカウントを一時的に停止しました。',
              '引き続きご利用いただくには、24時間以内に下記リンクからアカウント情報の確認を完了して下さい。確認が完了しない場合、アカウントは永久に停止されます。',
            ],
            button: 'アカウントを確認する',
            path: `ap/signin?ref=${token(ctx, 12)}`,
          }
        : {
            subject: r.pick([
              `${b} alert: service number ${r.digits(8)}`,
              'Your account has been locked',
              'Unusual activity - secure your account',
              `Recent changes to your ${b} account`,
            ]),
            paras: [
              'We detected unusual sign-in activity and have temporarily locked your account.',
              'To keep using your account, verify your information within 24 hours using the link below, or it will be permanently suspended.',
            ],
            button: 'Verify account',
            path: `ap/signin?ref=${token(ctx, 12)}`,
          };
    case 'password-reset': {
      const path = `account/reset/cancel?t=${token(ctx, 20)}`;
      if (r.bool(0.65))
        return ja
          ? {
              subject: r.pick([`${b}: パスワード再設定のリクエストを受け付けました`, `【${b}】パスワード変更のお知らせ`]),
              paras: [
                `お客様の${b}アカウントで、パスワード再設定のリクエストを受け付けました。`,
                'このリクエストに心当たりがない場合は、第三者がアカウントにアクセスしようとしている可能性があります。下記リンクからリクエストを取り消し、アカウントを保護してください。',
              ],
              button: 'リクエストを取り消す',
              path,
            }
          : {
              subject: r.pick(['Password reset request', `Did you request a password reset for ${b}?`]),
              paras: [
                `We received a request to reset the password for your ${b} account.`,
                "If this wasn't you, someone may be trying to access your account. Cancel the request and secure your account using the link below.",
              ],
              button: 'Cancel request',
              path,
            };
      return ja
        ? {
            subject: r.pick(['パスワードの有効期限が切れました', `【${b}】パスワード更新のお願い`]),
            paras: [
              `お客様の${b}アカウントのパスワードは有効期限が切れています。`,
              'セキュリティ保護のため、48時間以内に下記リンクから新しいパスワードを設定してください。設定されない場合、アカウントはロックされます。',
            ],
            button: 'パスワードを更新する',
            path: `account/password/update?t=${token(ctx, 20)}`,
          }
        : {
            subject: r.pick([`${b}: Your password has expired`, 'Your password expires today']),
            paras: [
              `The password for your ${b} account has expired.`,
              'For your security, set a new password within 48 hours using the link below, or your account will be locked.',
            ],
            button: 'Update password',
            path: `account/password/update?t=${token(ctx, 20)}`,
          };
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
    const greet =
      loc === 'ja'
        ? ctx.rng.pick([`${ctx.persona.family} 様`, 'お客様各位', `${ctx.persona.address} 様`])
        : ctx.rng.pick([`Dear ${ctx.persona.given},`, 'Dear Customer,', `Hello ${ctx.persona.address},`]);
    const sign = loc === 'ja' ? `${b} カスタマーサービス` : `${b} Customer Service`;
    const text = [greet, '', ...lure.paras.flatMap((p) => [p, '']), url, '', sign].join('\n');
    const html = htmlMail({
      lang: loc,
      title: lure.subject,
      brand: b,
      blocks: [{ p: greet }, ...lure.paras.map((p) => ({ p })), { button: lure.button, href: url }],
      footer: [sign],
    });
    return phishSpec(ctx, inf, lure.subject, text, html, imitationDisplayName(ctx, inf, b));
  },
});

export const PHISHING_TYPES = [fakeOrder, fakeSecurity, imitation];

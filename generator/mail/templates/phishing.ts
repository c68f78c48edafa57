/**
 * Phishing that imitates the marketplace's own mail: a fake order confirmation ("if you did not
 * place this order, cancel here") and a fake security notice (account locked, unusual activity).
 * How it differs from the real thing is what mailbox providers see (shared docs mail-formats.md):
 * a spoofed brand domain failing SPF/DKIM/DMARC, or a look-alike domain passing them for itself,
 * or display-name abuse from a freemail account; an unusual Date zone; a Reply-To mismatch.
 */
import { z } from 'zod';
import type { Stream } from '../../core/rng.js';
import type { ZoneName } from '../../core/time.js';
import type { Locale } from '../../vocab/types.js';
import { MARKETPLACE } from '../../world/brands.js';
import type { SendingProfile } from '../../world/brands.js';
import { marketplaceOrderNumber } from '../tracking.js';
import type { Auth, MailSpec } from '../compose.js';
import { clip, dateTime, htmlMail, money } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

export type PhishStyle = 'spoof' | 'lookalike' | 'display-name';

/** The sending infrastructure of one campaign, shared by every mail of it. */
export interface PhishInfra {
  style: PhishStyle;
  /** From domain: the brand's own (spoof), a look-alike, or a freemail provider. */
  fromDomain: string;
  /** Domain the links point to. */
  linkDomain: string;
  relayHost: string;
  relayIp: string;
  zone: ZoneName;
  fromLocal: string;
}

const LOOKALIKE_PATTERNS = [
  (w: string) => `hanamart.co.jp.${w}.example`,
  (w: string) => `hanamart-jp-${w}.example`,
  () => `hanarnart.example`,
  (w: string) => `hanamart.account-${w}.example`,
  (w: string) => `secure-hanamart-${w}.example`,
] as const;

/** Draw a campaign's infrastructure. */
export function phishInfra(rng: Stream, style: PhishStyle, locale: Locale): PhishInfra {
  const word = rng.chars(rng.int(4, 7), 'abcdefghijklmnopqrstuvwxyz') + (rng.bool(0.5) ? rng.digits(2) : '');
  const linkDomain = rng.pick(LOOKALIKE_PATTERNS)(word);
  const fromDomain =
    style === 'spoof' ? MARKETPLACE.site[locale] : style === 'lookalike' ? linkDomain : rng.pick(['example.com', 'example.net', 'mail.example']);
  return {
    style,
    fromDomain,
    linkDomain,
    relayHost: `${rng.pick(['vps', 'srv', 'mx', 'smtp'])}${rng.int(1, 999)}.${rng.chars(6, 'abcdefghijklmnopqrstuvwxyz')}-host.example`,
    relayIp: `198.51.100.${rng.int(150, 254)}`,
    // An unusual zone (+0800) for a Japanese brand is one of the tells.
    zone: rng.pick(['Asia/Shanghai', 'Asia/Shanghai', 'UTC', 'America/Los_Angeles'] as ZoneName[]),
    fromLocal:
      style === 'display-name'
        ? rng.chars(8, 'abcdefghijklmnopqrstuvwxyz') + rng.digits(3)
        : rng.pick(['auto-confirm', 'account-update', 'no-reply', 'security', 'support']),
  };
}

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

export const PHISHING_TYPES = [fakeOrder, fakeSecurity];

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
import { htmlMail } from './common.js';
import type { HtmlBlock } from './common.js';
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

function bodySpec(ctx: TemplateContext, svc: Service, subject: string, paras: string[], button: { label: string; url: string } | null): MailSpec {
  const loc = ctx.persona.locale;
  const foot =
    loc === 'ja'
      ? ['このメールは送信専用アドレスから送信されています。ご返信いただいてもお答えできません。', svc.name]
      : ['This message was sent from an address that cannot accept replies.', svc.name];
  const text = [...paras.flatMap((p) => [p, '']), ...(button ? [button.url, ''] : []), ...foot].join('\n');
  const blocks: HtmlBlock[] = [...paras.map((p) => ({ p })), ...(button ? [{ button: button.label, href: button.url }] : [])];
  return {
    profile: svc.profile,
    from: { name: svc.name, address: `${svc.fromLocal}@${svc.domain}` },
    subject,
    text,
    html: svc.textOnly ? null : htmlMail({ lang: loc, title: subject, brand: svc.name, blocks, footer: foot }),
    charset: svc.textOnly?.charset ?? 'UTF-8',
  };
}

export const servicePasswordReset = mailType({
  id: 'service.password-reset',
  category: 'security',
  machine: true,
  description: "A password-reset request from a social network or web shop the owner has an account with (the network or shop defaults to one of the owner's).",
  params: z.object({ service: z.enum(['social', 'shop']), network: networkEntity.optional(), shop: shopEntity.optional() }).strict(),
  render(ctx, { service, network, shop }) {
    const loc = ctx.persona.locale;
    const token = ctx.rng.chars(32, ALNUM);
    if (service === 'social') {
      const net = ownerNetwork(ctx, network);
      const svc: Service = { name: net.name, domain: net.domain, profile: socialSending(net), fromLocal: 'security' };
      const url = `https://${net.domain}/accounts/password/reset/confirm?uid=${ctx.rng.chars(6, ALNUM)}&token=${token}`;
      const code = ctx.rng.digits(6);
      if (loc === 'ja') {
        return bodySpec(
          ctx,
          svc,
          ctx.rng.pick([`${net.name}のパスワードを再設定`, `${code}は${net.name}のパスワード再設定コードです`, `${net.name}: パスワードの再設定リクエスト`]),
          [
            `${ctx.persona.given}さん`,
            `${net.name}アカウントのパスワード再設定のリクエストを受け付けました。`,
            `下のボタンから新しいパスワードを設定するか、次のコードを入力してください: ${code}`,
            'このリンクの有効期限は1時間です。',
            'パスワードの再設定をリクエストしていない場合は、このメールを無視してください。お客様のパスワードは変更されません。',
          ],
          { label: 'パスワードを再設定', url },
        );
      }
      return bodySpec(
        ctx,
        svc,
        ctx.rng.pick([`Reset your ${net.name} password`, `${code} is your ${net.name} password reset code`, `${net.name} password reset request`]),
        [
          `Hi ${ctx.persona.given},`,
          `We received a request to reset the password for your ${net.name} account.`,
          `Use the button below to choose a new password, or enter this code: ${code}`,
          'This link expires in 1 hour.',
          "If you didn't request a password reset, you can ignore this email. Your password won't be changed.",
        ],
        { label: 'Reset password', url },
      );
    }
    const s = ownerShop(ctx, shop);
    const svc: Service = { name: s.name, domain: s.domain, profile: webShopSending(s), fromLocal: 'no-reply' };
    const url = `https://${s.domain}/mypage/password/reset?key=${token}`;
    if (s.locale === 'ja') {
      return bodySpec(
        ctx,
        svc,
        ctx.rng.pick([`【${s.name}】パスワード再設定のご案内`, `【${s.name}】パスワード再設定手続きのお知らせ`]),
        [
          `${ctx.persona.displayName} 様`,
          `いつも${s.name}をご利用いただき、誠にありがとうございます。`,
          'パスワード再設定のお申し込みを受け付けました。以下のURLにアクセスし、24時間以内に新しいパスワードを設定してください。',
          '※お心当たりのない場合は、本メールを破棄してください。第三者がお客様のメールアドレスを誤って入力した可能性があります。',
        ],
        { label: 'パスワードを再設定する', url },
      );
    }
    return bodySpec(
      ctx,
      svc,
      ctx.rng.pick([`${s.name}: Password reset instructions`, `Reset your ${s.name} password`]),
      [
        `Hi ${ctx.persona.given},`,
        `Someone asked to reset the password for your ${s.name} account. Click the link below within 24 hours to choose a new one.`,
        "If it wasn't you, ignore this email and your password will stay the same.",
      ],
      { label: 'Reset my password', url },
    );
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
    const code = ctx.rng.digits(6);
    const minutes = ctx.rng.pick([5, 10, 15, 30]);
    if (loc === 'ja') {
      return bodySpec(
        ctx,
        svc,
        ctx.rng.pick(['認証コードのお知らせ', `【${service}】認証コードのお知らせ`, `${service} 確認コード: ${code}`]),
        [
          `${ctx.persona.displayName} 様`,
          `${service}をご利用いただきありがとうございます。`,
          `認証コードは次のとおりです。画面に入力して手続きを完了してください。\n\n${code}\n\n有効期限: ${minutes}分`,
          `このコードは誰にも教えないでください。${service}の担当者が電話やメールで認証コードをお尋ねすることはありません。`,
          'お心当たりのない場合は、このメールを破棄してください。',
        ],
        null,
      );
    }
    return bodySpec(
      ctx,
      svc,
      ctx.rng.pick(['Your verification code', `${code} is your ${service} verification code`, `${service}: your one-time code`]),
      [
        `Hi ${ctx.persona.given},`,
        `Your ${service} verification code is:\n\n${code}\n\nIt expires in ${minutes} minutes.`,
        `Don't share this code with anyone. ${service} will never call or email you to ask for it.`,
        "If you didn't request a code, you can ignore this email.",
      ],
      null,
    );
  },
});

export const SERVICE_TYPES = [servicePasswordReset, serviceOneTimeCode];

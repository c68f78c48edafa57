/**
 * Mobile carriers' account notices: SIM reissued or eSIM moved to a new device, a number-transfer
 * (MNP) reservation issued, contract details changed. A SIM swap or port-out hands the attacker
 * the owner's SMS codes, so these belong with the security mail. Japanese carriers send plain
 * text from their own MTA in +0900 (one in ISO-2022-JP); the others send multipart via an ESP.
 *
 * `carrier` is a MobileCarrier or its id; without it, the owner's carrier (one per mailbox,
 * derived from the mailbox id, of the owner's locale).
 */
import { z } from 'zod';
import { hashHex } from '../../core/rng.js';
import { DAY } from '../../core/time.js';
import { MOBILE_CARRIERS } from '../../world/brands.js';
import type { MobileCarrier } from '../../world/brands.js';
import type { Persona } from '../../world/persona.js';
import type { MailSpec } from '../compose.js';
import { dateTime, htmlMail, shortDate, textRows } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

const carrierParam = z
  .union([
    z.custom<MobileCarrier>((v) => typeof v === 'object' && v !== null && 'sending' in v && 'domain' in v && 'charset' in v, 'a mobile carrier'),
    z.string().refine((id) => MOBILE_CARRIERS.some((c) => c.id === id), 'the id of a carrier in MOBILE_CARRIERS'),
  ])
  .optional();

/**
 * The owner's carrier: the persona's own when it records one, else fixed per mailbox (a hash of
 * its id) among the carriers of its locale.
 */
export function carrierOf(persona: Persona): MobileCarrier {
  const own = (persona as unknown as { mobile?: MobileCarrier }).mobile;
  if (own) return own;
  const local = MOBILE_CARRIERS.filter((c) => c.locale === persona.locale);
  return local[parseInt(hashHex(`carrier|${persona.id}`, 32), 16) % local.length]!;
}

function resolveCarrier(persona: Persona, carrier: MobileCarrier | string | undefined): MobileCarrier {
  if (typeof carrier === 'object') return carrier;
  if (typeof carrier === 'string') return MOBILE_CARRIERS.find((c) => c.id === carrier) ?? carrierOf(persona);
  return carrierOf(persona);
}

/** The owner's number as carriers print it, masked but for the last four digits (fixed per mailbox). */
export function maskedNumber(persona: Persona, carrier: MobileCarrier): string {
  const h = parseInt(hashHex(`phone|${persona.id}`, 32), 16);
  const last4 = String(h % 10000).padStart(4, '0');
  if (carrier.locale === 'ja') return `${['090', '080', '070'][h % 3]}-****-${last4}`;
  return `(***) ***-${last4}`;
}

function carrierMail(ctx: TemplateContext, carrier: MobileCarrier, subject: string, paras: string[], rows: Array<[string, string]>, after: string[]): MailSpec {
  const ja = carrier.locale === 'ja';
  const greet = ja ? `${ctx.persona.displayName} 様` : `Hi ${ctx.persona.given},`;
  const site = `https://www.${carrier.domain}/`;
  const foot = ja
    ? ['※本メールは送信専用アドレスからお送りしています。ご返信いただいてもお答えできません。', '――――――――――――――――――――', carrier.name, site]
    : ['This is an automated message. Please do not reply.', `${carrier.name} | ${site}`];
  const text = [greet, '', ...paras, '', textRows(rows), '', ...after, '', ...foot].join('\n');
  const html = ja
    ? null
    : htmlMail({
        lang: 'en',
        title: subject,
        brand: carrier.name,
        blocks: [{ p: greet }, ...paras.map((p) => ({ p })), { rows }, ...after.map((p) => ({ p })), { button: 'Go to My Account', href: `${site}myaccount` }],
        footer: foot,
      });
  return {
    profile: carrier.sending,
    from: { name: carrier.name, address: `${carrier.fromLocal}@${carrier.domain}` },
    subject,
    text,
    html,
    charset: carrier.charset,
  };
}

function when(ctx: TemplateContext, carrier: MobileCarrier): string {
  return dateTime(ctx.at - ctx.rng.int(60, 900), carrier.locale, ctx.persona.zone);
}

export const mobileSimChanged = mailType({
  id: 'mobile.sim-changed',
  category: 'security',
  machine: true,
  description: "The owner's SIM card was reissued, or the eSIM profile moved to a new device (a SIM swap when it was not the owner).",
  params: z.object({ carrier: carrierParam }).strict(),
  render(ctx, { carrier: c }) {
    const carrier = resolveCarrier(ctx.persona, c);
    const number = maskedNumber(ctx.persona, carrier);
    const esim = ctx.rng.bool(0.5);
    const at = when(ctx, carrier);
    if (carrier.locale === 'ja') {
      const online = ctx.rng.bool(0.7);
      return carrierMail(
        ctx,
        carrier,
        esim ? `【${carrier.name}】eSIM再発行(機種変更)お手続き完了のお知らせ` : `【${carrier.name}】SIMカード再発行お手続き完了のお知らせ`,
        [`いつも${carrier.name}をご利用いただきありがとうございます。`, 'お客様のご契約で、以下のお手続きが完了しましたのでお知らせいたします。'],
        [
          ['受付日時', at],
          ['お手続き内容', esim ? 'eSIM再発行(新しい機種へのプロファイル転送)' : 'SIMカード再発行'],
          ['対象電話番号', number],
          ['受付方法', online ? 'オンライン(マイページ)' : 'ショップ店頭'],
        ],
        [
          `お手続きの完了後、これまでお使いの${esim ? 'eSIM' : 'SIMカード'}はご利用いただけなくなります。`,
          `このお手続きにお心当たりのない場合は、第三者による不正なお手続きの可能性があります。至急、他の電話から${carrier.name}お客様センターまでご連絡ください。`,
        ],
      );
    }
    return carrierMail(
      ctx,
      carrier,
      esim ? `${carrier.name}: Your eSIM was transferred to a new device` : 'Your SIM card was changed',
      [`The ${esim ? 'eSIM' : 'SIM card'} for your line ${number} was changed. Your previous ${esim ? 'device' : 'SIM card'} no longer works on our network.`],
      [
        ['Line', number],
        ['Change', esim ? 'eSIM transferred to a new device' : 'New SIM card activated'],
        ['When', at],
      ],
      [
        "If you made this change, you're all set.",
        "If you didn't, someone may be trying to take over your phone number. Call us right away from another phone or visit a store.",
      ],
    );
  },
});

export const mobileNumberTransfer = mailType({
  id: 'mobile.number-transfer',
  category: 'security',
  machine: true,
  description: "A number-portability (MNP) reservation number was issued / a port-out of the owner's number was requested.",
  params: z.object({ carrier: carrierParam }).strict(),
  render(ctx, { carrier: c }) {
    const carrier = resolveCarrier(ctx.persona, c);
    const number = maskedNumber(ctx.persona, carrier);
    const at = when(ctx, carrier);
    if (carrier.locale === 'ja') {
      return carrierMail(
        ctx,
        carrier,
        ctx.rng.pick([`【${carrier.name}】MNP予約番号発行のお知らせ`, `【${carrier.name}】携帯電話番号ポータビリティ(MNP)予約番号のお知らせ`]),
        [`いつも${carrier.name}をご利用いただきありがとうございます。`, 'ご契約中の電話番号を他社へお乗り換え(MNP)いただくための予約番号を発行いたしました。'],
        [
          ['受付日時', at],
          ['対象電話番号', number],
          ['MNP予約番号', ctx.rng.digits(10)],
          ['有効期限', shortDate(ctx.at + 15 * DAY, 'ja', ctx.persona.zone)],
        ],
        [
          '有効期限内に転入先でのお手続きがない場合、予約番号は無効となります。転入先でのお手続きが完了すると、当社でのご契約は自動的に解約となります。',
          'お心当たりのない場合は、至急お客様センターまでご連絡ください。',
        ],
      );
    }
    return carrierMail(
      ctx,
      carrier,
      ctx.rng.pick([`${carrier.name}: Your Number Transfer PIN`, 'Request to transfer your number to another carrier']),
      [`A request was made to transfer your number ${number} to another carrier. Here is the Number Transfer PIN for it.`],
      [
        ['Number Transfer PIN', ctx.rng.digits(6)],
        ['Account number', ctx.rng.digits(9)],
        ['Requested', at],
        ['Valid until', shortDate(ctx.at + 7 * DAY, 'en', ctx.persona.zone)],
      ],
      ['Once the transfer completes, your service with us ends.', "If you didn't request this, call us right away: your number may be at risk."],
    );
  },
});

const PLANS = {
  ja: ['ライトプラン 3GB', 'スタンダードプラン 20GB', 'データ使い放題プラン', 'シンプルプラン 5GB'],
  en: ['Basic 5GB', 'Unlimited Plus', 'Unlimited Premium', 'Prepaid 15GB'],
} as const;

export const mobileAccountChanged = mailType({
  id: 'mobile.account-changed',
  category: 'security',
  machine: true,
  description: 'Carrier account details changed: contact e-mail, account password, or plan.',
  params: z.object({ carrier: carrierParam, what: z.enum(['contact', 'password', 'plan']) }).strict(),
  render(ctx, { carrier: c, what }) {
    const carrier = resolveCarrier(ctx.persona, c);
    const number = maskedNumber(ctx.persona, carrier);
    const at = when(ctx, carrier);
    const masked = `${ctx.rng.chars(1, 'abcdefghijklmnopqrstuvwxyz')}*****@${ctx.rng.pick(['mail.example', 'postbox.example', 'example.com', 'inbox.example'])}`;
    const plans = carrier.locale === 'ja' ? PLANS.ja : PLANS.en;
    const [from, to] = ctx.rng.shuffle(plans);
    if (carrier.locale === 'ja') {
      const [title, rows]: [string, Array<[string, string]>] =
        what === 'contact'
          ? [
              'ご登録連絡先変更のお知らせ',
              [
                ['変更日時', at],
                ['変更内容', '連絡先メールアドレス'],
                ['変更後', masked],
              ],
            ]
          : what === 'password'
            ? [
                `${carrier.name} ID パスワード変更のお知らせ`,
                [
                  ['変更日時', at],
                  ['変更内容', `${carrier.name} ID のパスワード`],
                ],
              ]
            : [
                '料金プラン変更受付のお知らせ',
                [
                  ['受付日時', at],
                  ['変更前', from!],
                  ['変更後', to!],
                  ['適用開始', '翌月1日'],
                ],
              ];
      return carrierMail(
        ctx,
        carrier,
        `【${carrier.name}】${title}`,
        [`いつも${carrier.name}をご利用いただきありがとうございます。`, `ご契約(${number})の登録内容が変更されましたのでお知らせいたします。`],
        rows,
        ['お客様ご自身による変更でない場合は、至急お客様センターまでご連絡ください。'],
      );
    }
    const [subject, rows]: [string, Array<[string, string]>] =
      what === 'contact'
        ? [
            `${carrier.name}: Your contact email was updated`,
            [
              ['New contact email', masked],
              ['When', at],
            ],
          ]
        : what === 'password'
          ? [`${carrier.name}: Your account password was changed`, [['When', at]]]
          : [
              `${carrier.name}: Your plan change is confirmed`,
              [
                ['Previous plan', from!],
                ['New plan', to!],
                ['Effective', 'Next bill cycle'],
              ],
            ];
    return carrierMail(ctx, carrier, subject, [`We made a change to the account for your line ${number}.`], rows, [
      "If you didn't make this change, call us right away or visit a store.",
    ]);
  },
});

export const MOBILE_TYPES = [mobileSimChanged, mobileNumberTransfer, mobileAccountChanged];

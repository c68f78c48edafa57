/**
 * Notices from the owner's own mailbox provider about the mailbox account: a new sign-in, the
 * recovery address or phone changed, forwarding or an inbox rule added, 2-step verification
 * turned off, the password changed. These are the changes an attacker makes to keep a mailbox
 * (Microsoft Entra ID Protection's risk types: suspicious inbox forwarding, inbox manipulation
 * rules; shared docs calibration.md); the owner makes the same changes now and then.
 * Sent as `no-reply@accounts.<provider>` from the provider's own relay, Date in UTC.
 */
import { z } from 'zod';
import type { Locale } from '../../vocab/types.js';
import { isReservedDomain, providerName, providerSending } from '../../world/brands.js';
import type { MailProvider } from '../../world/brands.js';
import type { Persona } from '../../world/persona.js';
import { domainOf } from '../compose.js';
import type { MailSpec } from '../compose.js';
import { dateTime, htmlMail, textRows } from './common.js';
import type { HtmlBlock } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** IPv4 in the documentation ranges of RFC 5737 only. */
export const DOC_IP = /^(192\.0\.2|198\.51\.100|203\.0\.113)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** A documentation-range IPv4 address. */
export function docIp(ctx: TemplateContext): string {
  return `${ctx.rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${ctx.rng.int(1, 254)}`;
}

/** Devices as account notices print them. */
export const SIGN_IN_DEVICES: Record<Locale, readonly string[]> = {
  ja: ['Windows パソコン(Chrome)', 'iPhone(Safari)', 'Android 端末', 'Mac(Safari)', 'Windows パソコン(Edge)', 'iPad'],
  en: ['Windows (Chrome)', 'iPhone (Safari)', 'Android phone', 'Mac (Safari)', 'Windows (Edge)', 'Linux (Firefox)'],
};

const COUNTRY_BY_ZONE: Record<string, string> = {
  'Europe/London': 'United Kingdom',
  'Australia/Sydney': 'Australia',
};

/** Where the owner usually signs in from: their own region, as IP geolocation shows it. */
export function homePlace(persona: Persona): string {
  if (persona.locale === 'ja') return `日本 ${persona.home.region}`;
  return `${persona.home.city}, ${persona.home.region}, ${COUNTRY_BY_ZONE[persona.zone] ?? 'United States'}`;
}

function sender(provider: MailProvider, locale: Locale): { name: string; address: string } {
  const name = providerName(provider, locale);
  return { name: locale === 'ja' ? name : `${name} Accounts`, address: `no-reply@accounts.${provider.domain}` };
}

function footer(provider: MailProvider, locale: Locale): string[] {
  const name = providerName(provider, locale);
  return locale === 'ja'
    ? [`このメールは、${name}アカウントとサービスに関する重要な変更をお知らせするために送信されています。`, 'このメールは送信専用です。', name]
    : [`You received this email to let you know about important changes to your ${name} account and services.`, 'This mailbox is not monitored.', name];
}

function activityUrl(ctx: TemplateContext): string {
  return `https://myaccount.${ctx.persona.provider.domain}/notifications?n=${ctx.rng.chars(16, ALNUM)}`;
}

interface Notice {
  subject: string;
  /** Opening paragraph(s). */
  intro: string[];
  rows: Array<[string, string]>;
  /** What to do if it was not the owner. */
  advice: string[];
  button: string;
  url: string;
}

function providerSpec(ctx: TemplateContext, n: Notice): MailSpec {
  const provider = ctx.persona.provider;
  const loc = ctx.persona.locale;
  const name = providerName(provider, loc);
  const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hello ${ctx.persona.given},`;
  const account = ctx.persona.address;
  const foot = footer(provider, loc);
  const text = [
    name,
    account,
    '',
    greet,
    '',
    ...n.intro.flatMap((p) => [p, '']),
    ...(n.rows.length ? [textRows(n.rows), ''] : []),
    ...n.advice.flatMap((p) => [p, '']),
    `${n.button}: ${n.url}`,
    '',
    ...foot,
  ].join('\n');
  const blocks: HtmlBlock[] = [
    { small: account },
    { p: greet },
    ...n.intro.map((p) => ({ p })),
    ...(n.rows.length ? [{ rows: n.rows }] : []),
    ...n.advice.map((p) => ({ p })),
    { button: n.button, href: n.url },
  ];
  return {
    profile: providerSending(provider),
    from: sender(provider, loc),
    subject: n.subject,
    text,
    html: htmlMail({ lang: loc, title: n.subject, brand: name, blocks, footer: foot }),
    charset: 'UTF-8',
  };
}

/** When it happened, a little before the notice. */
function when(ctx: TemplateContext, maxSeconds = 240): string {
  return dateTime(ctx.at - ctx.rng.int(20, maxSeconds), ctx.persona.locale, ctx.persona.zone);
}

export const providerNewSignIn = mailType({
  id: 'provider.new-sign-in',
  category: 'security',
  machine: true,
  description:
    "The mailbox provider reports a sign-in to the mailbox from a new device, with the place and IP it saw (the owner's home region unless a scenario sets a place).",
  params: z
    .object({
      place: z.string().min(1).optional(),
      device: z.string().min(1).optional(),
      ip: z.string().regex(DOC_IP, 'an IPv4 address in 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24').optional(),
    })
    .strict(),
  render(ctx, { place, device, ip }) {
    const loc = ctx.persona.locale;
    const name = providerName(ctx.persona.provider, loc);
    const dev = device ?? ctx.rng.pick(SIGN_IN_DEVICES[loc]);
    const addr = ip ?? docIp(ctx);
    const where = place ?? homePlace(ctx.persona);
    const at = when(ctx, 300);
    if (loc === 'ja') {
      return providerSpec(ctx, {
        subject: ctx.rng.pick(['新しいデバイスからのログイン', `${name}: 新しいデバイスからのログインがありました`, 'セキュリティ通知']),
        intro: [`お使いの${name}アカウントに、新しいデバイスからのログインがありました。`],
        rows: [
          ['日時', at],
          ['デバイス', dev],
          ['場所(IP アドレスから推定)', where],
          ['IP アドレス', addr],
        ],
        advice: [
          'ご本人によるログインであれば、対応は不要です。',
          'お心当たりのない場合は、第三者がお客様のアカウントにアクセスした可能性があります。すぐにパスワードを変更し、最近のアクティビティを確認してください。',
        ],
        button: 'アクティビティを確認',
        url: activityUrl(ctx),
      });
    }
    return providerSpec(ctx, {
      subject: ctx.rng.pick(['New sign-in to your account', `Security alert: new sign-in on ${dev}`, `New sign-in to your ${name} account`]),
      intro: [`Your ${name} account was just signed in to from a new device.`],
      rows: [
        ['When', at],
        ['Device', dev],
        ['Location (approximate, based on IP)', where],
        ['IP address', addr],
      ],
      advice: [
        "If this was you, you don't need to do anything.",
        "If you don't recognize this activity, someone else may have your password. Change it now and review your recent activity.",
      ],
      button: 'Check activity',
      url: activityUrl(ctx),
    });
  },
});

/** Mailbox domains a recovery address might be at (reserved names only). */
const RECOVERY_DOMAINS = ['mail.example', 'kumo-mail.example', 'postbox.example', 'inbox.example', 'example.net', 'example.com'] as const;

/** A masked recovery address as notices show it: `k*******@postbox.example`. */
function maskedEmail(ctx: TemplateContext): string {
  return `${ctx.rng.chars(1, LOWER)}${'*'.repeat(ctx.rng.int(5, 9))}@${ctx.rng.pick(RECOVERY_DOMAINS)}`;
}

/** A masked phone number: `090-****-**12` / `+1 ***-***-**34` (the last two digits only). */
function maskedPhone(ctx: TemplateContext): string {
  if (ctx.persona.locale === 'ja') return `${ctx.rng.pick(['090', '080', '070'])}-****-**${ctx.rng.digits(2)}`;
  return `+${ctx.persona.zone === 'Europe/London' ? '44' : ctx.persona.zone === 'Australia/Sydney' ? '61' : '1'} ***-***-**${ctx.rng.digits(2)}`;
}

export const providerRecoveryChanged = mailType({
  id: 'provider.recovery-changed',
  category: 'security',
  machine: true,
  description: 'The recovery e-mail address or phone number of the mailbox account was added or changed (shown masked).',
  params: z.object({ kind: z.enum(['email', 'phone']) }).strict(),
  render(ctx, { kind }) {
    const loc = ctx.persona.locale;
    const name = providerName(ctx.persona.provider, loc);
    const value = kind === 'email' ? maskedEmail(ctx) : maskedPhone(ctx);
    const at = when(ctx);
    if (loc === 'ja') {
      const what = kind === 'email' ? '再設定用メールアドレス' : '再設定用の電話番号';
      return providerSpec(ctx, {
        subject: ctx.rng.pick([`${what}が変更されました`, `${name}: ${what}が変更されました`, 'アカウントのセキュリティ情報が変更されました']),
        intro: [`お使いの${name}アカウント ${ctx.persona.address} の${what}が変更されました。`],
        rows: [
          ['変更日時', at],
          [kind === 'email' ? '新しい再設定用メールアドレス' : '新しい再設定用の電話番号', value],
        ],
        advice: [
          'この変更を行ったのがご本人であれば、対応は不要です。',
          `お心当たりのない場合は、第三者がお客様のアカウントを使用している可能性があります。${what}は、パスワードを忘れたときのアカウントの再設定に使われます。今すぐアカウントを確認し、保護してください。`,
        ],
        button: 'アカウントを確認',
        url: activityUrl(ctx),
      });
    }
    const what = kind === 'email' ? 'recovery email' : 'recovery phone number';
    return providerSpec(ctx, {
      subject: ctx.rng.pick([`Your ${what} was changed`, `${name}: ${what} updated`, 'Security info was changed on your account']),
      intro: [`The ${what} for your ${name} account ${ctx.persona.address} was changed.`],
      rows: [
        ['When', at],
        [kind === 'email' ? 'New recovery email' : 'New recovery phone', value],
      ],
      advice: [
        "If you made this change, you don't need to do anything.",
        `If you didn't, someone might be using your account. Your ${what} is used to get back into your account if you forget your password. Check and secure your account now.`,
      ],
      button: 'Secure your account',
      url: activityUrl(ctx),
    });
  },
});

/** A plausible forwarding address under a reserved domain. */
function randomForwardingAddress(ctx: TemplateContext): string {
  const local = ctx.rng.chars(ctx.rng.int(5, 9), LOWER) + (ctx.rng.bool(0.6) ? ctx.rng.digits(ctx.rng.int(2, 4)) : '');
  const domain = ctx.rng.bool(0.5) ? ctx.rng.pick(RECOVERY_DOMAINS) : `${ctx.rng.chars(ctx.rng.int(4, 8), LOWER)}mail.example`;
  return `${local}@${domain}`;
}

export const providerForwardingAdded = mailType({
  id: 'provider.forwarding-added',
  category: 'security',
  machine: true,
  description: 'Automatic forwarding of all incoming mail to another address was turned on (Entra: suspicious inbox forwarding).',
  params: z
    .object({
      to: z
        .email()
        .refine((v) => isReservedDomain(domainOf(v)), 'an address under a reserved domain (.example, .test, .invalid, example.com/net/org)')
        .optional(),
    })
    .strict(),
  render(ctx, { to }) {
    const loc = ctx.persona.locale;
    const name = providerName(ctx.persona.provider, loc);
    const target = to ?? randomForwardingAddress(ctx);
    const at = when(ctx);
    if (loc === 'ja') {
      return providerSpec(ctx, {
        subject: ctx.rng.pick(['メールの自動転送が設定されました', `${name}: 転送先アドレスが追加されました`]),
        intro: [`${ctx.persona.address} 宛てに届くメールを、次のアドレスへ自動転送する設定が追加されました。`],
        rows: [
          ['設定日時', at],
          ['転送先', target],
        ],
        advice: [
          'この設定を行ったのがご本人であれば、対応は不要です。',
          'お心当たりのない場合は、第三者がお客様のメールを読み取ろうとしている可能性があります。すぐに[設定]の[転送]から自動転送を停止し、パスワードを変更してください。',
        ],
        button: '転送設定を確認',
        url: `https://mail.${ctx.persona.provider.domain}/settings/forwarding`,
      });
    }
    return providerSpec(ctx, {
      subject: ctx.rng.pick(['Mail forwarding was turned on for your account', `${name}: a forwarding address was added`]),
      intro: [`Mail sent to ${ctx.persona.address} is now automatically forwarded to another address.`],
      rows: [
        ['When', at],
        ['Forwarding to', target],
      ],
      advice: [
        "If you set this up, you don't need to do anything.",
        "If you didn't, someone may be trying to read your mail. Turn off forwarding in Settings > Forwarding and change your password right away.",
      ],
      button: 'Review forwarding',
      url: `https://mail.${ctx.persona.provider.domain}/settings/forwarding`,
    });
  },
});

/**
 * Inbox rules as a provider's notice describes them. Attackers name rules "." and hide mail
 * from the platforms they abuse; owners file newsletters. Both come from the same lists, so the
 * rule text alone does not give the label away.
 */
const RULES: Record<Locale, { names: readonly string[]; conditions: readonly string[]; actions: readonly string[] }> = {
  ja: {
    names: ['.', '..', ',', 'a', '整理', 'メルマガ', 'ルール 1'],
    conditions: [
      '差出人に「hanamart」を含む',
      '件名に「注文」または「発送」を含む',
      '件名に「セキュリティ」または「パスワード」を含む',
      'すべての受信メール',
      '差出人に「news」を含む',
      '件名に「ご利用のお知らせ」を含む',
    ],
    actions: ['ごみ箱に移動する', '既読にしてアーカイブする', '「RSS フィード」フォルダに移動する', '完全に削除する', '「メルマガ」フォルダに移動する'],
  },
  en: {
    names: ['.', '..', ',', 'a', 'cleanup', 'Newsletters', 'Rule 1'],
    conditions: [
      'From contains "hanamart"',
      'Subject contains "order" or "shipped"',
      'Subject contains "security" or "password"',
      'All incoming messages',
      'From contains "news"',
      'Subject contains "transaction alert"',
    ],
    actions: ['Move to Trash', 'Mark as read and archive', 'Move to folder "RSS Feeds"', 'Delete permanently', 'Move to folder "Newsletters"'],
  },
};

export const providerFilterAdded = mailType({
  id: 'provider.filter-added',
  category: 'security',
  machine: true,
  description: 'A new inbox rule that moves or deletes incoming mail was created (Entra: inbox manipulation rules).',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const name = providerName(ctx.persona.provider, loc);
    const r = RULES[loc];
    const rule = ctx.rng.pick(r.names);
    const cond = ctx.rng.pick(r.conditions);
    const action = ctx.rng.pick(r.actions);
    const at = when(ctx);
    if (loc === 'ja') {
      return providerSpec(ctx, {
        subject: ctx.rng.pick(['新しい受信ルールが作成されました', `${name}: メールフィルタが追加されました`]),
        intro: [`お使いの${name}アカウントに、受信メールを自動で処理する新しいルールが作成されました。`],
        rows: [
          ['作成日時', at],
          ['ルール名', rule],
          ['条件', cond],
          ['処理', action],
        ],
        advice: [
          'ご本人が作成したルールであれば、対応は不要です。',
          'お心当たりのない場合は、第三者が通知メールを隠そうとしている可能性があります。ルールを削除し、パスワードを変更してください。',
        ],
        button: 'ルールを確認',
        url: `https://mail.${ctx.persona.provider.domain}/settings/filters`,
      });
    }
    return providerSpec(ctx, {
      subject: ctx.rng.pick(['A new inbox rule was created', `${name}: new mail filter added to your account`]),
      intro: [`A new rule that automatically handles incoming mail was created in your ${name} account.`],
      rows: [
        ['When', at],
        ['Rule name', rule],
        ['Condition', cond],
        ['Action', action],
      ],
      advice: [
        "If you created this rule, you don't need to do anything.",
        "If you didn't, someone may be trying to hide messages from you. Delete the rule and change your password.",
      ],
      button: 'Review rules',
      url: `https://mail.${ctx.persona.provider.domain}/settings/filters`,
    });
  },
});

export const provider2faDisabled = mailType({
  id: 'provider.2fa-disabled',
  category: 'security',
  machine: true,
  description: '2-step verification of the mailbox account was turned off.',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const name = providerName(ctx.persona.provider, loc);
    const at = when(ctx);
    if (loc === 'ja') {
      return providerSpec(ctx, {
        subject: ctx.rng.pick(['2段階認証プロセスがオフになりました', `${name}: 2段階認証が無効になりました`]),
        intro: [`お使いの${name}アカウント ${ctx.persona.address} で、2段階認証プロセスがオフになりました。今後のログインでは、パスワードのみが求められます。`],
        rows: [['変更日時', at]],
        advice: ['ご本人による変更であれば、対応は不要です。', 'お心当たりのない場合は、すぐにパスワードを変更し、2段階認証プロセスを再度オンにしてください。'],
        button: 'セキュリティ設定を確認',
        url: `https://myaccount.${ctx.persona.provider.domain}/security`,
      });
    }
    return providerSpec(ctx, {
      subject: ctx.rng.pick(['2-Step Verification turned off', `${name}: 2-Step Verification was turned off`]),
      intro: [`2-Step Verification was turned off for your ${name} account ${ctx.persona.address}. Signing in now only needs your password.`],
      rows: [['When', at]],
      advice: ["If you did this, you don't need to do anything.", "If you didn't, change your password right away and turn 2-Step Verification back on."],
      button: 'Review security settings',
      url: `https://myaccount.${ctx.persona.provider.domain}/security`,
    });
  },
});

export const providerPasswordChanged = mailType({
  id: 'provider.password-changed',
  category: 'security',
  machine: true,
  description: 'The password of the mailbox account was changed.',
  params: z.object({}).strict(),
  render(ctx) {
    const loc = ctx.persona.locale;
    const name = providerName(ctx.persona.provider, loc);
    const at = when(ctx, 120);
    if (loc === 'ja') {
      return providerSpec(ctx, {
        subject: ctx.rng.pick(['パスワードが変更されました', `${name}: パスワード変更のお知らせ`]),
        intro: [`お使いの${name}アカウント ${ctx.persona.address} のパスワードが変更されました。`],
        rows: [['変更日時', at]],
        advice: [
          'ご本人による変更であれば、このメールは破棄してください。',
          'パスワードを変更した覚えがない場合は、アカウントが第三者に使用されている可能性があります。今すぐアカウントを再設定してください。',
        ],
        button: 'アカウントを再設定',
        url: `https://accounts.${ctx.persona.provider.domain}/recovery?r=${ctx.rng.chars(12, ALNUM)}`,
      });
    }
    return providerSpec(ctx, {
      subject: ctx.rng.pick(['Your password was changed', `${name}: your password was changed`]),
      intro: [`The password for your ${name} account ${ctx.persona.address} was changed.`],
      rows: [['When', at]],
      advice: ['If you changed your password, you can disregard this email.', "If you didn't, your account may be in use by someone else. Recover it now."],
      button: 'Recover account',
      url: `https://accounts.${ctx.persona.provider.domain}/recovery?r=${ctx.rng.chars(12, ALNUM)}`,
    });
  },
});

export const PROVIDER_TYPES = [
  providerNewSignIn,
  providerRecoveryChanged,
  providerForwardingAdded,
  providerFilterAdded,
  provider2faDisabled,
  providerPasswordChanged,
];

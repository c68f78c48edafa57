/**
 * Bank and card-issuer mail beyond the everyday notices of finance.ts: a payee added, a transfer
 * to a named payee completed, sign-in settings changed, a card used online or abroad, reward
 * points exchanged for gift codes. Japanese issuers send plain text from their own MTA in +0900
 * (some in ISO-2022-JP, so the text stays within JIS X 0208); US ones send multipart.
 *
 * `brand` is a FinanceBrand or its id; without it the owner's own bank or card is used (the
 * first of the persona's), and `applies` is false when the owner has none of that kind.
 */
import { z } from 'zod';
import { FINANCE } from '../../world/brands.js';
import type { FinanceBrand } from '../../world/brands.js';
import type { Persona } from '../../world/persona.js';
import type { Locale } from '../../vocab/types.js';
import { dateTime, money, textRows, thousands } from './common.js';
import { financeSpec, jaFooter } from './finance.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

type Kind = FinanceBrand['kind'];

function brandParam(kind: Kind) {
  return z
    .union([
      z.custom<FinanceBrand>((v) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind, `a ${kind} (FinanceBrand of kind ${kind})`),
      z.string().refine((id) => FINANCE.some((b) => b.id === id && b.kind === kind), `the id of a ${kind} in FINANCE`),
    ])
    .optional();
}

/** The brand a mail is from: the given one (object or id), else the owner's first of that kind. */
export function financeBrandFor(persona: Persona, brand: FinanceBrand | string | undefined, kind: Kind): FinanceBrand | undefined {
  if (typeof brand === 'object') return brand;
  if (typeof brand === 'string') return FINANCE.find((b) => b.id === brand && b.kind === kind);
  return kind === 'bank' ? persona.banks[0] : persona.cards[0]?.brand;
}

/** Like {@link financeBrandFor}, never undefined: falls back to the first brand of the owner's locale. */
function brandOf(persona: Persona, brand: FinanceBrand | string | undefined, kind: Kind): FinanceBrand {
  return financeBrandFor(persona, brand, kind) ?? FINANCE.find((b) => b.kind === kind && b.locale === persona.locale) ?? FINANCE.find((b) => b.kind === kind)!;
}

function currency(brand: FinanceBrand): 'JPY' | 'USD' {
  return brand.locale === 'ja' ? 'JPY' : 'USD';
}

function enFooter(brand: FinanceBrand): string[] {
  return ['', 'Please do not reply to this email. This mailbox is not monitored.', `${brand.name} | https://www.${brand.sending.domain}/`];
}

function greet(ctx: TemplateContext, brand: FinanceBrand): string {
  return brand.locale === 'ja' ? `${ctx.persona.displayName} 様` : `Hi ${ctx.persona.given},`;
}

// ---------------------------------------------------------------------------------------------
// Payees

/** Fictional payees and banks (account holders written in full-width katakana, as notices show them). */
const PAYEES: Record<Locale, { holders: readonly string[]; banks: readonly string[]; branches: readonly string[] }> = {
  ja: {
    holders: [
      'カ)ハナトレーディング',
      'ド)サクラコウエキ',
      'グエン ヴァン ナム',
      'タナカ ユウキ',
      'チン シュンエイ',
      'カ)ミライネットサービス',
      'ヤマモト ケンジ',
      'ユ)アオゾラショウカイ',
    ],
    banks: ['あさなぎ銀行', 'かざぐるま銀行', 'ことぶきネット銀行', 'ひなた信用金庫', 'はやて銀行', '桜並木銀行'],
    branches: ['本店営業部', '第一営業部', 'いちょう支店', 'すずらん支店', 'ソナタ支店', '駅前支店', '中央支店'],
  },
  en: {
    holders: ['Jordan Reyes', 'Apex Trade Solutions LLC', 'M. Okafor', 'Bright Harbor Imports', 'Casey Lin', 'Redline Logistics Inc'],
    banks: ['Aldergate Bank', 'Pinecrest Savings', 'Summit Valley Credit Union', 'Northfield Bank', 'Bluestone Credit Union'],
    branches: [],
  },
};

interface Payee {
  holder: string;
  bank: string;
  branch: string;
  account: string;
}

/**
 * The payee of a mail. Without a name, each owner has one usual payee per bank (drawn from a
 * stream of the world keyed by mailbox and bank, so "payee added" and "transfer done" agree).
 */
function payeeOf(ctx: TemplateContext, brand: FinanceBrand, holder: string | undefined): Payee {
  const r = ctx.world.root.child('payee', ctx.persona.id, brand.id);
  const d = PAYEES[brand.locale];
  const name = holder ?? r.pick(d.holders);
  const bank = r.pick(d.banks);
  if (brand.locale === 'ja') return { holder: name, bank, branch: r.pick(d.branches), account: `普通 ****${r.digits(3)}` };
  return { holder: name, bank, branch: '', account: `****${r.digits(4)}` };
}

export const bankPayeeAdded = mailType({
  id: 'bank.payee-added',
  category: 'security',
  machine: true,
  description: 'Online banking: a new transfer payee was registered ("振込先登録のお知らせ" / "New payee added").',
  params: z.object({ brand: brandParam('bank'), payee: z.string().min(1).optional() }).strict(),
  applies: (persona, { brand }) => financeBrandFor(persona, brand, 'bank') !== undefined,
  render(ctx, { brand: b, payee }) {
    const brand = brandOf(ctx.persona, b, 'bank');
    const p = payeeOf(ctx, brand, payee);
    const when = dateTime(ctx.at - ctx.rng.int(30, 600), brand.locale, ctx.persona.zone);
    if (brand.locale === 'ja') {
      return financeSpec(brand, `【${brand.name}】振込先登録のお知らせ`, [
        greet(ctx, brand),
        '',
        `${brand.name}をご利用いただきありがとうございます。`,
        'インターネットバンキングで、以下の振込先が登録されましたのでお知らせいたします。',
        '',
        textRows([
          ['登録日時', when],
          ['金融機関', p.bank],
          ['支店', p.branch],
          ['口座', p.account],
          ['受取人名', p.holder],
        ]),
        '',
        'お客様ご自身による登録でない場合は、第三者による不正な操作の可能性があります。至急、当行までご連絡ください。',
        ...jaFooter(brand),
      ]);
    }
    return financeSpec(brand, ctx.rng.pick([`${brand.name}: New payee added`, 'A new payee was added to your account']), [
      greet(ctx, brand),
      '',
      `A new payee was added to your ${brand.name} online banking on ${when}.`,
      '',
      textRows([
        ['Payee', p.holder],
        ['Bank', p.bank],
        ['Account', p.account],
      ]),
      '',
      "If you didn't add this payee, call us right away using the number on our website or on the back of your card.",
      ...enFooter(brand),
    ]);
  },
});

export const bankTransferDone = mailType({
  id: 'bank.transfer-done',
  category: 'finance',
  machine: true,
  description: 'Online banking: a transfer to a named payee was completed ("振込完了のお知らせ"); amount in yen or cents.',
  params: z.object({ brand: brandParam('bank'), amount: z.number().int().positive(), payee: z.string().min(1).optional() }).strict(),
  applies: (persona, { brand }) => financeBrandFor(persona, brand, 'bank') !== undefined,
  render(ctx, { brand: b, amount, payee }) {
    const brand = brandOf(ctx.persona, b, 'bank');
    const p = payeeOf(ctx, brand, payee);
    const when = dateTime(ctx.at - ctx.rng.int(30, 300), brand.locale, ctx.persona.zone);
    const ref = ctx.rng.digits(brand.locale === 'ja' ? 10 : 9);
    if (brand.locale === 'ja') {
      const fee = ctx.rng.pick([0, 0, 145, 165, 220]);
      const source = `普通 ****${ctx.rng.digits(3)}`;
      return financeSpec(brand, ctx.rng.pick([`【${brand.name}】振込完了のお知らせ`, `【${brand.name}】お振込手続き完了のお知らせ`]), [
        greet(ctx, brand),
        '',
        `${brand.name}をご利用いただきありがとうございます。`,
        '以下の内容でお振込が完了しました。',
        '',
        textRows([
          ['受付番号', ref],
          ['振込日時', when],
          ['出金口座', source],
          ['振込先金融機関', `${p.bank} ${p.branch}`],
          ['振込先口座', p.account],
          ['受取人名', p.holder],
          ['振込金額', money(amount, 'JPY')],
          ['振込手数料', money(fee, 'JPY')],
        ]),
        '',
        'このお取引にお心当たりのない場合は、至急当行までご連絡ください。',
        ...jaFooter(brand),
      ]);
    }
    return financeSpec(brand, ctx.rng.pick([`Your transfer to ${p.holder} is complete`, `${brand.name}: Transfer sent`]), [
      greet(ctx, brand),
      '',
      `You sent ${money(amount, currency(brand))} to ${p.holder}.`,
      '',
      textRows([
        ['Amount', money(amount, currency(brand))],
        ['To', `${p.holder} (${p.bank}, account ${p.account})`],
        ['Date', when],
        ['Confirmation number', ref],
      ]),
      '',
      "If you didn't make this transfer, call us right away.",
      ...enFooter(brand),
    ]);
  },
});

export const bankSettingsChanged = mailType({
  id: 'bank.settings-changed',
  category: 'security',
  machine: true,
  description: 'Online banking settings changed: the registered e-mail address, the transfer limit or the sign-in password.',
  params: z.object({ brand: brandParam('bank'), what: z.enum(['email', 'limit', 'password']) }).strict(),
  applies: (persona, { brand }) => financeBrandFor(persona, brand, 'bank') !== undefined,
  render(ctx, { brand: b, what }) {
    const brand = brandOf(ctx.persona, b, 'bank');
    const when = dateTime(ctx.at - ctx.rng.int(30, 600), brand.locale, ctx.persona.zone);
    const masked = `${ctx.rng.chars(1, 'abcdefghijklmnopqrstuvwxyz')}*****@${ctx.rng.pick(['mail.example', 'postbox.example', 'example.net', 'inbox.example'])}`;
    if (brand.locale === 'ja') {
      const [title, rows, note]: [string, Array<[string, string]>, string] =
        what === 'email'
          ? [
              'メールアドレス変更のお知らせ',
              [
                ['変更日時', when],
                ['変更後のメールアドレス', masked],
              ],
              '本メールは変更前のメールアドレスにお送りしています。今後のお知らせは変更後のメールアドレスにお送りします。',
            ]
          : what === 'limit'
            ? (() => {
                const before = ctx.rng.pick([500000, 1000000, 2000000]);
                const after = before * ctx.rng.pick([2, 3, 5, 10]);
                return [
                  '振込限度額変更のお知らせ',
                  [
                    ['変更日時', when],
                    ['変更前(1日あたり)', money(before, 'JPY')],
                    ['変更後(1日あたり)', money(after, 'JPY')],
                  ],
                  '変更後の限度額は、本日から適用されます。',
                ] as [string, Array<[string, string]>, string];
              })()
            : ['ログインパスワード変更のお知らせ', [['変更日時', when]], 'インターネットバンキングのログインパスワードが変更されました。'];
      return financeSpec(brand, `【${brand.name}】${title}`, [
        greet(ctx, brand),
        '',
        `${brand.name}をご利用いただきありがとうございます。`,
        'インターネットバンキングで、お客様の登録内容が変更されましたのでお知らせいたします。',
        '',
        textRows(rows),
        '',
        note,
        'お客様ご自身による変更でない場合は、第三者による不正な操作の可能性があります。至急、当行までご連絡ください。',
        ...jaFooter(brand),
      ]);
    }
    const [subject, body]: [string, string] =
      what === 'email'
        ? [`${brand.name}: Your email address was changed`, `The email address on your online banking profile was changed to ${masked} on ${when}.`]
        : what === 'limit'
          ? (() => {
              const before = ctx.rng.pick([250000, 500000, 1000000]);
              const after = before * ctx.rng.pick([2, 4, 10]);
              return [
                `${brand.name}: Your transfer limit was changed`,
                `Your daily transfer limit was changed from ${money(before, 'USD')} to ${money(after, 'USD')} on ${when}.`,
              ] as [string, string];
            })()
          : [`${brand.name}: Your password was changed`, `The password for your online banking was changed on ${when}.`];
    return financeSpec(brand, subject, [
      greet(ctx, brand),
      '',
      body,
      '',
      "If you didn't make this change, call us right away using the number on our website or on the back of your card.",
      ...enFooter(brand),
    ]);
  },
});

// ---------------------------------------------------------------------------------------------
// Cards

/** Online merchants as card statements print them: payment processors and foreign digital stores. */
export const ONLINE_MERCHANTS: readonly string[] = [
  'GLOBALPAY*DIGITALSTORE',
  'PAYSHOP*GAMECREDITS',
  'APPMKT*ONLINE SERVICES',
  'DIGIGIFT*CODES',
  'SKYTRIP*BOOKING',
  'LUXEWATCH ONLINE',
  'STREAMPLUS*SUBSCRIPTION',
  'XCHG*WALLET TOPUP',
];

function cardLast4(ctx: TemplateContext, brand: FinanceBrand, last4: string | undefined): string {
  return last4 ?? ctx.persona.cards.find((c) => c.brand.id === brand.id)?.last4 ?? ctx.rng.digits(4);
}

export const cardOnlineUse = mailType({
  id: 'card.online-use',
  category: 'finance',
  machine: true,
  description: 'Card used online or abroad ("海外でのご利用" / "International transaction alert"); merchant defaults to a foreign online merchant.',
  params: z
    .object({
      brand: brandParam('card'),
      last4: z
        .string()
        .regex(/^\d{4}$/)
        .optional(),
      amount: z.number().int().positive(),
      merchant: z.string().min(1).optional(),
    })
    .strict(),
  applies: (persona, { brand }) => financeBrandFor(persona, brand, 'card') !== undefined,
  render(ctx, { brand: b, last4, amount, merchant }) {
    const brand = brandOf(ctx.persona, b, 'card');
    const l4 = cardLast4(ctx, brand, last4);
    const shop = merchant ?? ctx.rng.pick(ONLINE_MERCHANTS);
    const when = dateTime(ctx.at - ctx.rng.int(60, 900), brand.locale, ctx.persona.zone);
    if (brand.locale === 'ja') {
      return financeSpec(
        brand,
        ctx.rng.pick([`【${brand.name}】海外でのカードご利用のお知らせ`, `【${brand.name}】インターネットでのカードご利用のお知らせ`]),
        [
          greet(ctx, brand),
          '',
          `いつも${brand.name}をご利用いただきありがとうございます。`,
          'お客様のカードで、インターネットまたは海外でのご利用がありましたのでお知らせいたします。',
          '',
          textRows([
            ['ご利用カード', `${brand.name}(末尾${l4})`],
            ['ご利用日時', when],
            ['ご利用先', shop],
            ['ご利用金額', `${money(amount, 'JPY')}(円換算額)`],
          ]),
          '',
          '※海外でのご利用分は、換算日のレートにより確定金額が異なる場合があります。',
          'ご利用内容に心当たりがない場合は、カード裏面記載のお問い合わせ先までご連絡ください。カードのご利用を停止いたします。',
          ...jaFooter(brand),
        ],
      );
    }
    return financeSpec(
      brand,
      ctx.rng.pick([`International transaction alert: ${money(amount, 'USD')} at ${shop}`, `${brand.name}: Online purchase on card ending in ${l4}`]),
      [
        greet(ctx, brand),
        '',
        `Your ${brand.name} ending in ${l4} was used for an online or international purchase.`,
        '',
        textRows([
          ['Merchant', shop],
          ['Amount', money(amount, 'USD')],
          ['Date', when],
        ]),
        '',
        "Don't recognize this transaction? Call the number on the back of your card and we'll lock your card right away.",
        ...enFooter(brand),
      ],
    );
  },
});

const REWARD_ITEMS: Record<Locale, readonly string[]> = {
  ja: ['ハナマートギフトコード', 'デジタルギフトコード', 'ゲーム用プリペイドコード', '電子マネーギフト'],
  en: ['Hanamart gift card (e-code)', 'digital gift code', 'game store e-gift card', 'travel voucher e-code'],
};

export const cardPointsRedeemed = mailType({
  id: 'card.points-redeemed',
  category: 'finance',
  machine: true,
  description: "The card's reward points were exchanged, usually for gift codes (ja: 1 point = 1 yen; en: 100 points = $1).",
  params: z.object({ brand: brandParam('card'), points: z.number().int().positive(), item: z.string().min(1).optional() }).strict(),
  applies: (persona, { brand }) => financeBrandFor(persona, brand, 'card') !== undefined,
  render(ctx, { brand: b, points, item }) {
    const brand = brandOf(ctx.persona, b, 'card');
    const when = dateTime(ctx.at - ctx.rng.int(60, 900), brand.locale, ctx.persona.zone);
    const left = ctx.rng.int(0, Math.max(1, Math.round(points / 4)));
    const ref = ctx.rng.digits(12);
    if (brand.locale === 'ja') {
      const what = item ?? `${ctx.rng.pick(REWARD_ITEMS.ja)} ${thousands(points)}円分`;
      return financeSpec(brand, ctx.rng.pick([`【${brand.name}】ポイント交換受付のお知らせ`, `【${brand.name}】ポイント交換完了のお知らせ`]), [
        greet(ctx, brand),
        '',
        `いつも${brand.name}をご利用いただきありがとうございます。`,
        '以下の内容でポイント交換のお申し込みを受け付けました。',
        '',
        textRows([
          ['受付番号', ref],
          ['受付日時', when],
          ['交換商品', what],
          ['交換ポイント', `${thousands(points)}ポイント`],
          ['交換後の残りポイント', `${thousands(left)}ポイント`],
        ]),
        '',
        'ギフトコードは、会員サイトの「ポイント交換履歴」からご確認いただけます。',
        'お心当たりのない場合は、至急カード裏面記載のお問い合わせ先までご連絡ください。',
        ...jaFooter(brand),
      ]);
    }
    const what = item ?? `a ${money(points, 'USD')} ${ctx.rng.pick(REWARD_ITEMS.en)}`;
    return financeSpec(brand, ctx.rng.pick([`${brand.name}: Your rewards redemption confirmation`, 'You redeemed your rewards points']), [
      greet(ctx, brand),
      '',
      `You redeemed ${thousands(points)} points for ${what} on ${when}.`,
      '',
      textRows([
        ['Order number', ref],
        ['Points redeemed', thousands(points)],
        ['Remaining balance', `${thousands(left)} points`],
      ]),
      '',
      'Your code is available in your account under Rewards > Order history.',
      "If you didn't redeem these points, call us right away.",
      ...enFooter(brand),
    ]);
  },
});

export const BANKING_TYPES = [bankPayeeAdded, bankTransferDone, bankSettingsChanged, cardOnlineUse, cardPointsRedeemed];

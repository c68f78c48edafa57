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
import { FINANCE, MARKETPLACE } from '../../world/brands.js';
import type { FinanceBrand } from '../../world/brands.js';
import type { Persona } from '../../world/persona.js';
import type { LinesNotice } from '../../vocab/mail/banking.js';
import { wording } from '../../vocab/mail/index.js';
import type { MailSpec } from '../compose.js';
import { dateTime, fill, localCurrency, money, thousands } from './common.js';
import { financeLines, financeSpec } from './finance.js';
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

/** One wording needs no draw; of several, one is drawn. */
function oneOf<T>(ctx: TemplateContext, list: readonly T[]): T {
  return list.length === 1 ? list[0]! : ctx.rng.pick(list);
}

/** A notice of this family: its subject and lines filled with the values, the family's footer under them. */
function bankingSpec(
  ctx: TemplateContext,
  brand: FinanceBrand,
  subject: string,
  lines: LinesNotice['lines'],
  values: Record<string, string | number>,
): MailSpec {
  const all = { brand: brand.name, ...values };
  return financeSpec(brand, fill(subject, all), financeLines(ctx, brand, lines, values, wording(brand.locale).banking.footer));
}

// ---------------------------------------------------------------------------------------------
// Payees

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
  const d = wording(brand.locale).banking.payees;
  const name = holder ?? r.pick(d.holders);
  const bank = r.pick(d.banks);
  // Where notices name the branch (ja), it is drawn before the account number.
  const branch = d.branches.length ? r.pick(d.branches) : '';
  return { holder: name, bank, branch, account: fill(d.account, { digits: r.digits(d.accountDigits) }) };
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
    const w = wording(brand.locale).banking.payeeAdded;
    const p = payeeOf(ctx, brand, payee);
    const when = dateTime(ctx.at - ctx.rng.int(30, 600), brand.locale, ctx.persona.zone);
    return bankingSpec(ctx, brand, oneOf(ctx, w.subjects), w.lines, { when, ...p });
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
    const w = wording(brand.locale).banking.transferDone;
    const p = payeeOf(ctx, brand, payee);
    const when = dateTime(ctx.at - ctx.rng.int(30, 300), brand.locale, ctx.persona.zone);
    const ref = ctx.rng.digits(w.refDigits);
    // A fee and the account it left from, where the bank's notices show them.
    const fee = w.fees.length ? ctx.rng.pick(w.fees) : 0;
    const source = w.sourceAccount === null ? '' : fill(w.sourceAccount, { digits: ctx.rng.digits(3) });
    const values = { ...p, when, ref, source, amount: money(amount, localCurrency(brand.locale)), fee: money(fee, localCurrency(brand.locale)) };
    return bankingSpec(ctx, brand, oneOf(ctx, w.subjects), w.lines, values);
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
    const w = wording(brand.locale).banking.settingsChanged;
    const when = dateTime(ctx.at - ctx.rng.int(30, 600), brand.locale, ctx.persona.zone);
    const masked = `${ctx.rng.chars(1, 'abcdefghijklmnopqrstuvwxyz')}*****@${ctx.rng.pick(['mail.example', 'postbox.example', 'example.net', 'inbox.example'])}`;
    const values: Record<string, string> = { when, masked };
    if (what === 'limit') {
      const before = ctx.rng.pick(w.limits.before);
      const after = before * ctx.rng.pick(w.limits.factor);
      values.before = money(before, localCurrency(brand.locale));
      values.after = money(after, localCurrency(brand.locale));
    }
    return bankingSpec(ctx, brand, oneOf(ctx, w[what].subjects), w[what].lines, values);
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
    const w = wording(brand.locale).banking.onlineUse;
    const l4 = cardLast4(ctx, brand, last4);
    const shop = merchant ?? ctx.rng.pick(ONLINE_MERCHANTS);
    const when = dateTime(ctx.at - ctx.rng.int(60, 900), brand.locale, ctx.persona.zone);
    return bankingSpec(ctx, brand, oneOf(ctx, w.subjects), w.lines, { last4: l4, merchant: shop, when, amount: money(amount, localCurrency(brand.locale)) });
  },
});

export const cardPointsRedeemed = mailType({
  id: 'card.points-redeemed',
  category: 'finance',
  machine: true,
  description: "The card's reward points were exchanged, usually for gift codes (ja: 1 point = 1 yen; en: 100 points = $1).",
  params: z.object({ brand: brandParam('card'), points: z.number().int().positive(), item: z.string().min(1).optional() }).strict(),
  applies: (persona, { brand }) => financeBrandFor(persona, brand, 'card') !== undefined,
  render(ctx, { brand: b, points, item }) {
    const brand = brandOf(ctx.persona, b, 'card');
    const w = wording(brand.locale).banking.pointsRedeemed;
    const when = dateTime(ctx.at - ctx.rng.int(60, 900), brand.locale, ctx.persona.zone);
    const left = ctx.rng.int(0, Math.max(1, Math.round(points / 4)));
    const ref = ctx.rng.digits(12);
    const amounts = { points: thousands(points), usd: money(points, 'USD') };
    const reward = () => fill(ctx.rng.pick(w.rewards), { marketplace: MARKETPLACE.name[brand.locale] });
    const what = item ?? fill(w.item, { ...amounts, reward: reward() });
    return bankingSpec(ctx, brand, oneOf(ctx, w.subjects), w.lines, { ...amounts, ref, when, item: what, left: thousands(left) });
  },
});

export const BANKING_TYPES = [bankPayeeAdded, bankTransferDone, bankSettingsChanged, cardOnlineUse, cardPointsRedeemed];

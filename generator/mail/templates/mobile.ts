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
import type { Notice } from '../../vocab/mail/mobile.js';
import { wording } from '../../vocab/mail/index.js';
import { renderMail } from './blocks.js';
import { dateTime, fill, shortDate } from './common.js';
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

/** A carrier's notice: greeting, paragraphs, the table, paragraphs, and (multipart senders only) a button to the account. */
function carrierMail(ctx: TemplateContext, carrier: MobileCarrier, notice: Notice, values: Record<string, string>): MailSpec {
  const w = wording(carrier.locale).mobile;
  const site = `https://www.${carrier.domain}/`;
  const all = { ...values, carrier: carrier.name, site, name: ctx.persona.displayName, given: ctx.persona.given };
  const say = (s: string): string => fill(s, all);
  // One wording needs no draw; of several, one is drawn.
  const subject = say(notice.subjects.length === 1 ? notice.subjects[0]! : ctx.rng.pick(notice.subjects));
  const paras = notice.paragraphs.map(say);
  const after = notice.after.map(say);
  const { text, html } = renderMail({
    lang: carrier.locale,
    title: subject,
    brand: carrier.name,
    blocks: [
      { p: say(w.greeting) },
      { text: paras, html: paras.map((p) => ({ p })) },
      { rows: notice.rows.map(([k, v]) => [say(k), say(v)] as const) },
      { text: after, html: after.map((p) => ({ p })) },
      { text: [], html: [{ button: w.button, href: `${site}myaccount` }], gap: false },
    ],
    footer: w.footer.map(say),
  });
  return {
    profile: carrier.sending,
    from: { name: carrier.name, address: `${carrier.fromLocal}@${carrier.domain}` },
    subject,
    text,
    // Japanese carriers send plain text from their own MTA.
    html: carrier.locale === 'ja' ? null : html,
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
    const w = wording(carrier.locale).mobile.simChanged;
    const number = maskedNumber(ctx.persona, carrier);
    const esim = ctx.rng.bool(0.5);
    const at = when(ctx, carrier);
    const via = w.via === null ? '' : ctx.rng.bool(w.via.onlineShare) ? w.via.online : w.via.store;
    return carrierMail(ctx, carrier, esim ? w.esim : w.sim, { number, at, via });
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
    const w = wording(carrier.locale).mobile.numberTransfer;
    const number = maskedNumber(ctx.persona, carrier);
    const at = when(ctx, carrier);
    // The subject is drawn before the numbers, as the notice is written top down.
    const subject = ctx.rng.pick(w.subjects);
    const pin = ctx.rng.digits(w.pinDigits);
    const account = w.accountDigits === null ? '' : ctx.rng.digits(w.accountDigits);
    const until = shortDate(ctx.at + w.validDays * DAY, carrier.locale, ctx.persona.zone);
    return carrierMail(ctx, carrier, { ...w, subjects: [subject] }, { number, at, pin, account, until });
  },
});

export const mobileAccountChanged = mailType({
  id: 'mobile.account-changed',
  category: 'security',
  machine: true,
  description: 'Carrier account details changed: contact e-mail, account password, or plan.',
  params: z.object({ carrier: carrierParam, what: z.enum(['contact', 'password', 'plan']) }).strict(),
  render(ctx, { carrier: c, what }) {
    const carrier = resolveCarrier(ctx.persona, c);
    const w = wording(carrier.locale).mobile.accountChanged;
    const number = maskedNumber(ctx.persona, carrier);
    const at = when(ctx, carrier);
    const masked = `${ctx.rng.chars(1, 'abcdefghijklmnopqrstuvwxyz')}*****@${ctx.rng.pick(['mail.example', 'postbox.example', 'example.com', 'inbox.example'])}`;
    const [from, to] = ctx.rng.shuffle(w.plans);
    return carrierMail(ctx, carrier, w[what], { number, at, masked, from: from!, to: to! });
  },
});

export const MOBILE_TYPES = [mobileSimChanged, mobileNumberTransfer, mobileAccountChanged];

/**
 * Notices from the owner's own mailbox provider about the mailbox account: a new sign-in, the
 * recovery address or phone changed, forwarding or an inbox rule added, 2-step verification
 * turned off, the password changed. These are the changes an attacker makes to keep a mailbox
 * (Microsoft Entra ID Protection's risk types: suspicious inbox forwarding, inbox manipulation
 * rules; shared docs calibration.md); the owner makes the same changes now and then.
 * Sent as `no-reply@accounts.<provider>` from the provider's own relay, Date in UTC.
 */
import { z } from 'zod';
import { isReservedDomain, providerName, providerSending } from '../../world/brands.js';
import type { Persona } from '../../world/persona.js';
import { domainOf } from '../compose.js';
import type { MailSpec } from '../compose.js';
import type { ProviderNotice } from '../../vocab/mail/provider.js';
import { wording } from '../../vocab/mail/index.js';
import { renderMail } from './blocks.js';
import { dateTime, fill } from './common.js';
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

const COUNTRY_BY_ZONE: Record<string, string> = {
  'Europe/London': 'United Kingdom',
  'Australia/Sydney': 'Australia',
};

/** Where the owner usually signs in from: their own region, as IP geolocation shows it. */
export function homePlace(persona: Persona): string {
  const country = COUNTRY_BY_ZONE[persona.zone] ?? 'United States';
  return fill(wording(persona.locale).provider.homePlace, { city: persona.home.city, region: persona.home.region, country });
}

function activityUrl(ctx: TemplateContext): string {
  return `https://myaccount.${ctx.persona.provider.domain}/notifications?n=${ctx.rng.chars(16, ALNUM)}`;
}

/**
 * A notice from the provider: its subject drawn first, then the link (which may draw too), the
 * values filled into every line.
 */
function providerSpec(ctx: TemplateContext, n: ProviderNotice, values: Record<string, string>, url: () => string): MailSpec {
  const provider = ctx.persona.provider;
  const loc = ctx.persona.locale;
  const w = wording(loc).provider;
  const name = providerName(provider, loc);
  const all = { ...values, provider: name, address: ctx.persona.address, name: ctx.persona.displayName, given: ctx.persona.given };
  const say = (line: string): string => fill(line, all);
  const subject = say(ctx.rng.pick(n.subjects));
  const href = url();
  const account = ctx.persona.address;
  const { text, html } = renderMail({
    lang: loc,
    title: subject,
    brand: name,
    blocks: [
      { text: [name, account], html: [{ small: account }] },
      { p: say(w.greeting) },
      ...n.intro.map((p) => ({ p: say(p) })),
      ...(n.rows.length ? [{ rows: n.rows.map(([k, v]) => [say(k), say(v)] as const) }] : []),
      ...n.advice.map((p) => ({ p: say(p) })),
      { text: [`${n.button}: ${href}`], html: [{ button: n.button, href }] },
    ],
    footer: w.footer.map(say),
  });
  return {
    profile: providerSending(provider),
    from: { name: say(w.sender), address: `no-reply@accounts.${provider.domain}` },
    subject,
    text,
    html,
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
    const w = wording(ctx.persona.locale).provider;
    const dev = device ?? ctx.rng.pick(w.devices);
    const addr = ip ?? docIp(ctx);
    const where = place ?? homePlace(ctx.persona);
    const at = when(ctx, 300);
    return providerSpec(ctx, w.newSignIn, { device: dev, ip: addr, place: where, at }, () => activityUrl(ctx));
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
    const w = wording(ctx.persona.locale).provider.recoveryChanged;
    const value = kind === 'email' ? maskedEmail(ctx) : maskedPhone(ctx);
    const at = when(ctx);
    return providerSpec(ctx, w, { ...w.kinds[kind], value, at }, () => activityUrl(ctx));
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
    const w = wording(ctx.persona.locale).provider.forwardingAdded;
    const target = to ?? randomForwardingAddress(ctx);
    const at = when(ctx);
    return providerSpec(ctx, w, { target, at }, () => `https://mail.${ctx.persona.provider.domain}/settings/forwarding`);
  },
});

export const providerFilterAdded = mailType({
  id: 'provider.filter-added',
  category: 'security',
  machine: true,
  description: 'A new inbox rule that moves or deletes incoming mail was created (Entra: inbox manipulation rules).',
  params: z.object({}).strict(),
  render(ctx) {
    // Attackers name rules "." and hide the mail of the platforms they abuse; owners file
    // newsletters. Both draw from the same lists, so the rule text alone does not give the label away.
    const w = wording(ctx.persona.locale).provider.filterAdded;
    const rule = ctx.rng.pick(w.rules.names);
    const condition = ctx.rng.pick(w.rules.conditions);
    const action = ctx.rng.pick(w.rules.actions);
    const at = when(ctx);
    return providerSpec(ctx, w, { rule, condition, action, at }, () => `https://mail.${ctx.persona.provider.domain}/settings/filters`);
  },
});

export const provider2faDisabled = mailType({
  id: 'provider.2fa-disabled',
  category: 'security',
  machine: true,
  description: '2-step verification of the mailbox account was turned off.',
  params: z.object({}).strict(),
  render(ctx) {
    const w = wording(ctx.persona.locale).provider.twoFactorDisabled;
    const at = when(ctx);
    return providerSpec(ctx, w, { at }, () => `https://myaccount.${ctx.persona.provider.domain}/security`);
  },
});

export const providerPasswordChanged = mailType({
  id: 'provider.password-changed',
  category: 'security',
  machine: true,
  description: 'The password of the mailbox account was changed.',
  params: z.object({}).strict(),
  render(ctx) {
    const w = wording(ctx.persona.locale).provider.passwordChanged;
    const at = when(ctx, 120);
    return providerSpec(ctx, w, { at }, () => `https://accounts.${ctx.persona.provider.domain}/recovery?r=${ctx.rng.chars(12, ALNUM)}`);
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

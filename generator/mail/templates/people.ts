/**
 * Mail written by people: personal threads with replies (In-Reply-To/References, a User-Agent,
 * usually text/plain only; some Japanese correspondents still send ISO-2022-JP), and spam.
 */
import { z } from 'zod';
import type { Stream } from '../../core/rng.js';
import type { ZoneName } from '../../core/time.js';
import type { Contact } from '../../world/persona.js';
import { FINANCE, MAIL_PROVIDERS, MARKETPLACE, URL_SHORTENERS } from '../../world/brands.js';
import type { SendingProfile } from '../../world/brands.js';
import { topics as jaTopics, greetings as jaGreetings } from '../../vocab/ja/personal.js';
import { topics as enTopics, greetings as enGreetings } from '../../vocab/en/personal.js';
import jaSpam from '../../vocab/ja/spam.js';
import enSpam from '../../vocab/en/spam.js';
import type { Greetings, Locale, PersonalTopic, SpamTheme } from '../../vocab/types.js';
import type { Auth } from '../compose.js';
import type { Header } from '../types.js';
import { wording } from '../../vocab/mail/index.js';
import { esc, fill, localCurrency, money } from './common.js';
import { mailType } from './types.js';

export const PERSONAL_TOPICS: Record<Locale, readonly PersonalTopic[]> = { ja: jaTopics, en: enTopics };
const GREETINGS: Record<Locale, Greetings> = { ja: jaGreetings, en: enGreetings };
export const SPAM_THEMES: Record<Locale, readonly SpamTheme[]> = { ja: jaSpam, en: enSpam };

export function personalProfile(contact: Contact): SendingProfile {
  return {
    domain: contact.provider.domain,
    bounceDomain: contact.provider.domain,
    relayHost: contact.provider.smtp,
    relayIp: contact.provider.ip,
    zone: contact.zone,
    messageIdDomain: contact.provider.domain,
    selector: 'mail2025',
    messageIdStyle: 'webmail',
    dmarcPolicy: 'NONE',
  };
}

/** A personal thread as the inbox sees it: the contact's messages, and the owner's replies only as ids. */
export interface Thread {
  contact: Contact;
  topic: PersonalTopic;
  /** Message-IDs so far, oldest first (the owner's replies included). */
  references: string[];
}

const contactEntity = z.custom<Contact>((v) => typeof v === 'object' && v !== null && 'provider' in v, 'a contact');
const threadEntity = z.custom<Thread>((v) => typeof v === 'object' && v !== null && 'references' in v, 'a thread');

export const personalMessage = mailType({
  id: 'personal.message',
  category: 'personal',
  machine: false,
  description: 'A message from a personal contact: the first of a thread, or a reply.',
  params: z.object({ contact: contactEntity, thread: threadEntity, reply: z.boolean() }).strict(),
  render(ctx, { contact, thread, reply }) {
    const loc = contact.locale;
    const g = GREETINGS[loc];
    const values = { owner: ctx.persona.given, me: contact.given };
    const body = reply ? ctx.rng.shuffle(thread.topic.replies).slice(0, ctx.rng.int(1, 2)) : [ctx.rng.pick(thread.topic.openers)];
    if (ctx.rng.bool(0.35)) body.push(ctx.rng.pick(g.smalltalk));
    const w = wording(loc).people.personal;
    const salutation = fill(w.salutation, { given: ctx.persona.given });
    const lines = [salutation, '', ...body.map((l) => fill(l, values)), '', fill(ctx.rng.pick(g.signoffs), values), contact.given];
    if (reply && ctx.rng.bool(0.5)) lines.push('', w.quoted);
    const text = lines.join('\n');
    const extra: Header[] = [['User-Agent', contact.userAgent]];
    if (reply && thread.references.length > 0) {
      extra.push(['In-Reply-To', thread.references[thread.references.length - 1]!]);
      extra.push(['References', thread.references.join(' ')]);
    }
    const subject = reply ? `Re: ${thread.topic.subject}` : thread.topic.subject;
    const html = contact.iso2022jp || ctx.rng.bool(0.7) ? null : `<div dir="ltr">${lines.map((l) => (l ? esc(l) : '<br>')).join('<br>\n')}</div>`;
    return {
      profile: personalProfile(contact),
      from: { name: contact.name, address: contact.address },
      subject,
      text,
      html,
      charset: contact.iso2022jp ? 'ISO-2022-JP' : 'UTF-8',
      extraHeaders: extra,
    };
  },
});

const SPAM_TLDS = ['example'] as const;
const SPAM_ZONES: ZoneName[] = ['Asia/Shanghai', 'America/Los_Angeles', 'Europe/Berlin', 'UTC', 'Asia/Tokyo'];

/** A throwaway domain of a spam run; RFC 2606 reserved like everything else. */
export function spamDomain(rng: Stream): string {
  const word = rng.chars(rng.int(5, 9), 'abcdefghijklmnopqrstuvwxyz');
  return `${word}${rng.bool(0.4) ? rng.digits(2) : ''}.${rng.pick(SPAM_TLDS)}`;
}

const spamTheme = z.custom<SpamTheme>((v) => typeof v === 'object' && v !== null && 'subjects' in v, 'a spam theme');

/**
 * How a spam run is built. Each is a toolkit real spam comes out of, with the traits filters
 * know it by:
 * - mass-mailer: a bulk tool that claims to be Outlook (an X-Mailer the Message-ID does not
 *   match), marks itself urgent, runs on a host whose clock is hours off;
 * - image: the pitch is one linked picture, the text part only says where to see it;
 * - web-form: a plain letter to "Dear Friend" asking for a reply to a free-mail address;
 * - obfuscated: HTML whose letters are written as character references, to slip past word filters.
 */
const SPAM_KITS = { 'mass-mailer': 0.35, image: 0.3, 'web-form': 0.2, obfuscated: 0.15 } as const;
type SpamKit = keyof typeof SPAM_KITS;
const FORGED_MAILERS = ['Microsoft Outlook Express 6.00.2900.5512', 'Microsoft Office Outlook 12.0', 'Microsoft Outlook 16.0'] as const;
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Letters as numeric character references, about `share` of them: what word filters do not read. */
function obfuscate(s: string, r: Stream, share: number): string {
  let out = '';
  for (const ch of s) out += /[\p{L}\p{N}]/u.test(ch) && r.bool(share) ? `&#${ch.codePointAt(0)};` : esc(ch);
  return out;
}

export const spam = mailType({
  id: 'spam.generic',
  category: 'spam',
  machine: true,
  description:
    'Unsolicited bulk mail from throwaway domains, built with one of the toolkits real spam comes from (a forged mass mailer, image-only HTML, a web-form letter with a free-mail reply address, obfuscated HTML); links often behind a URL shortener or under text showing another address.',
  params: z.object({ theme: spamTheme, locale: z.enum(['ja', 'en']) }).strict(),
  render(ctx, { theme, locale }) {
    const r = ctx.rng;
    const domain = spamDomain(r);
    const w = wording(locale).people.spam;
    const amount = r.pick(w.amounts);
    const values = {
      amount: money(amount, localCurrency(locale)),
      n: r.int(2, 97),
      name: fill(w.addressee, { given: ctx.persona.given, family: ctx.persona.family }),
    };
    const subject = fill(r.pick(theme.subjects), values);
    const paras = r
      .shuffle(theme.paragraphs)
      .slice(0, r.int(2, 3))
      .map((p) => fill(p, values));
    const kit = r.weighted(Object.keys(SPAM_KITS) as SpamKit[], Object.values(SPAM_KITS)) as SpamKit;
    // The link: behind a shortener now and then, else on the run's own domain; in HTML its text
    // often shows another, respectable address.
    const url = r.bool(0.35) ? `https://${r.pick(URL_SHORTENERS)}/${r.chars(6, ALNUM)}` : `http://${domain}/${r.chars(8, ALNUM)}`;
    const shown = r.bool(0.5)
      ? `https://www.${r.pick([MARKETPLACE.site[locale], ...FINANCE.filter((b) => b.locale === locale).map((b) => b.sending.domain)])}/`
      : url;
    const anchor = `<a href="${esc(url)}">${esc(shown)}</a>`;
    const optOut = fill(w.optOut, { url: `http://${domain}/u/${r.chars(10, ALNUM)}` });
    const extra: Header[] = [];
    let text: string;
    let html: string | null;
    let transitSeconds: number | undefined;
    let replyTo: { address: string } | undefined;
    switch (kit) {
      case 'mass-mailer':
        extra.push(['X-Mailer', r.pick(FORGED_MAILERS)], ['X-Priority', '1 (Highest)'], ['X-MSMail-Priority', 'High'], ['Precedence', 'bulk']);
        transitSeconds = r.int(3 * 3600, 12 * 3600);
        text = [...paras, url, optOut].join('\n\n');
        html = r.bool(0.5)
          ? `<html><body>${paras.map((p) => `<p>${esc(p)}</p>`).join('\n')}\n<p>${anchor}</p>\n<p><small>${esc(optOut)}</small></p></body></html>`
          : null;
        break;
      case 'image': {
        const img = `http://${domain}/img/${r.chars(8, ALNUM)}.jpg`;
        text = fill(w.imageFallback, { url });
        html = `<html><body><center><a href="${esc(url)}"><img src="${esc(img)}" width="600" height="${r.int(700, 1100)}" border="0" alt=""></a></center></body></html>`;
        break;
      }
      case 'web-form': {
        const provider = r.pick(MAIL_PROVIDERS).domain;
        const address = `${r.chars(r.int(5, 9), 'abcdefghijklmnopqrstuvwxyz')}${r.digits(r.int(2, 4))}@${provider}`;
        replyTo = { address };
        text = [w.dearFriend, ...paras, fill(w.replyTo, { address })].join('\n\n');
        html = null;
        break;
      }
      case 'obfuscated':
        text = [...paras, url].join('\n\n');
        html = `<html><body>${paras.map((p) => `<p>${obfuscate(p, r, 0.3)}</p>`).join('\n')}\n<p>${anchor}</p></body></html>`;
        break;
    }
    const auth: Auth = r.bool(0.45)
      ? { spf: 'pass', dkim: 'pass', dmarc: 'pass' }
      : { spf: r.pick(['softfail', 'none', 'neutral'] as const), dkim: 'none', dmarc: 'none' };
    const profile: SendingProfile = {
      domain,
      bounceDomain: domain,
      relayHost: `mail${r.int(1, 40)}.${domain}`,
      relayIp: `203.0.113.${r.int(150, 250)}`,
      zone: r.pick(SPAM_ZONES),
      messageIdDomain: domain,
      selector: 'default',
      // A mass mailer writes its own Message-IDs, not Outlook's.
      messageIdStyle: kit === 'mass-mailer' || r.bool(0.5) ? 'mta' : 'esp',
      dmarcPolicy: 'NONE',
    };
    return {
      profile,
      from: {
        name: r.pick(theme.senderNames),
        address: `${r.pick(['info', 'news', 'support', 'noreply', 'service', r.chars(6, 'abcdefghijklmnopqrstuvwxyz')])}@${domain}`,
      },
      ...(replyTo ? { replyTo } : {}),
      subject,
      text,
      html,
      charset: 'UTF-8',
      auth,
      envelopeFrom: `bounce-${r.digits(6)}@${domain}`,
      ...(extra.length ? { extraHeaders: extra } : {}),
      ...(transitSeconds === undefined ? {} : { transitSeconds }),
    };
  },
});

export const PEOPLE_TYPES = [personalMessage, spam];

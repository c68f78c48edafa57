/**
 * Bulk mail the owner signed up for: newsletters and social-network notifications. Both carry
 * List-Unsubscribe with One-Click (RFC 8058), required of bulk senders by large providers since 2024.
 */
import { z } from 'zod';
import { hashHex } from '../../core/rng.js';
import type { ZoneName } from '../../core/time.js';
import { localTime } from '../../core/time.js';
import { newsletterSending, socialSending } from '../../world/brands.js';
import type { SocialNetwork } from '../../world/brands.js';
import jaSocial from '../../vocab/ja/social.js';
import enSocial from '../../vocab/en/social.js';
import type { Locale, NewsletterList, SocialPhrases } from '../../vocab/types.js';
import type { Header } from '../types.js';
import { wording } from '../../vocab/mail/index.js';
import { renderMail } from './blocks.js';
import { fill } from './common.js';
import { mailType } from './types.js';

/** Zone a list sends from: Japanese lists from Tokyo, English ones from one of three, fixed per list. */
export function listZone(list: NewsletterList, locale: Locale): ZoneName {
  if (locale === 'ja') return 'Asia/Tokyo';
  const zones: ZoneName[] = ['America/New_York', 'America/Los_Angeles', 'Europe/London'];
  return zones[parseInt(hashHex(list.id, 32).slice(0, 6), 16) % zones.length]!;
}

function unsubscribeHeaders(url: string, mailto: string): Header[] {
  return [
    ['List-Unsubscribe', `<${url}>, <mailto:${mailto}>`],
    ['List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'],
  ];
}

/** About one list in four sends HTML only, with no text part (fixed per list). */
export function htmlOnlyList(list: NewsletterList): boolean {
  return parseInt(hashHex(`html-only:${list.id}`, 32).slice(0, 6), 16) % 4 === 0;
}

const listEntity = z.custom<NewsletterList>((v) => typeof v === 'object' && v !== null && 'cadence' in v, 'a newsletter list');

export const newsletterIssue = mailType({
  id: 'newsletter.issue',
  category: 'newsletter',
  machine: true,
  description: 'One issue of a newsletter the owner subscribed to; the same issue reaches every subscriber.',
  params: z.object({ list: listEntity, issue: z.number().int(), locale: z.enum(['ja', 'en']), sentAt: z.number() }).strict(),
  render(ctx, { list, issue, locale, sentAt }) {
    // Content depends on the list and issue only, so all subscribers get the same issue.
    const r = ctx.world.root.child('newsletter', list.id, issue);
    const lt = localTime(listZone(list, locale), sentAt);
    const values = { n: issue, month: lt.month, day: lt.day, item: r.pick(list.items) };
    const subject = fill(r.pick(list.subjects), values);
    const paras = r
      .shuffle(list.paragraphs)
      .slice(0, r.int(2, Math.min(4, list.paragraphs.length)))
      .map((p) => fill(p, { ...values, item: r.pick(list.items) }));
    const token = ctx.rng.chars(20, 'abcdefghijklmnopqrstuvwxyz0123456789');
    const url = `https://${list.domain}/u/${token}`;
    const web = `https://${list.domain}/issues/${issue}`;
    const w = wording(locale).lists.newsletter;
    const { text, html } = renderMail({
      lang: locale,
      title: subject,
      brand: list.name,
      blocks: [{ text: [subject], html: [{ h: subject }] }, ...paras.map((p) => ({ p })), { text: [], html: [{ button: w.readMore, href: web }], gap: false }],
      footer: {
        text: [fill(w.viewInBrowser, { url: web }), fill(w.unsubscribe, { url }), `${list.name} <${list.fromLocal}@${list.domain}>`],
        html: [w.unsubscribeLabel, url],
      },
    });
    const htmlOnly = htmlOnlyList(list);
    return {
      profile: newsletterSending(list.domain, listZone(list, locale)),
      from: { name: list.name, address: `${list.fromLocal}@${list.domain}` },
      subject,
      text,
      html,
      ...(htmlOnly ? { htmlOnly } : {}),
      template: `standard/${htmlOnly ? 'html-only' : 'multipart'}`,
      charset: 'UTF-8',
      extraHeaders: [...unsubscribeHeaders(url, `unsubscribe+${token}@${list.domain}`), ['Precedence', 'bulk'], ['X-Campaign-Id', `${list.id}-${issue}`]],
      transitSeconds: Math.max(1, ctx.at - sentAt),
    };
  },
});

const PHRASES: Record<Locale, SocialPhrases> = { ja: jaSocial, en: enSocial };
const SocialKind = z.enum(['like', 'comment', 'follow', 'message', 'mention', 'digest']);
const networkEntity = z.custom<SocialNetwork>((v) => typeof v === 'object' && v !== null && 'domain' in v, 'a social network');

export const socialNotification = mailType({
  id: 'social.notification',
  category: 'social',
  machine: true,
  description: 'Social-network notification: likes, comments, follows, messages, mentions, digests.',
  params: z.object({ network: networkEntity, kind: SocialKind, actor: z.string(), count: z.number().int().optional() }).strict(),
  render(ctx, { network, kind, actor, count = 1 }) {
    const loc = ctx.persona.locale;
    const ph = PHRASES[loc];
    const values = { name: actor, count };
    const subject = fill(ctx.rng.pick(ph[kind]), values);
    const lines = ctx.rng
      .shuffle(ph.bodyLines)
      .slice(0, 2)
      .map((l) => fill(l, values));
    const link = `https://${network.domain}/n/${ctx.rng.chars(16, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const unsub = `https://${network.domain}/settings/email/unsubscribe?t=${ctx.rng.chars(24, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const w = wording(loc).lists.social;
    const { text, html } = renderMail({
      lang: loc,
      title: subject,
      brand: network.name,
      blocks: [{ p: subject }, { text: lines, html: lines.map((p) => ({ p })) }, { button: w.view, href: link }],
      footer: { text: [fill(w.manage, { url: unsub }), network.name], html: [unsub] },
    });
    return {
      profile: socialSending(network),
      from: { name: network.name, address: `notify@${network.domain}` },
      subject,
      text,
      html,
      charset: 'UTF-8',
      extraHeaders: unsubscribeHeaders(unsub, `unsubscribe@${network.domain}`),
    };
  },
});

export const socialSignIn = mailType({
  id: 'social.new-sign-in',
  category: 'security',
  machine: true,
  description: 'A social network tells the owner about a new sign-in (caused by the owner unless a scenario says otherwise).',
  params: z.object({ network: networkEntity, place: z.string().optional() }).strict(),
  render(ctx, { network, place }) {
    const loc = ctx.persona.locale;
    const w = wording(loc).lists.socialSignIn;
    const subject = fill(w.subject, { network: network.name });
    const body = fill(w.body, { given: ctx.persona.given, place: place ?? w.homePlace });
    const link = `https://${network.domain}/settings/security`;
    return {
      profile: socialSending(network),
      from: { name: network.name, address: `security@${network.domain}` },
      subject,
      ...renderMail({
        lang: loc,
        title: subject,
        brand: network.name,
        blocks: [{ p: body }, { text: [link], html: [{ button: w.button, href: link }], gap: false }],
        footer: { text: [], html: [network.name] },
      }),
      charset: 'UTF-8',
    };
  },
});

export const LIST_TYPES = [newsletterIssue, socialNotification, socialSignIn];

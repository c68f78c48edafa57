/**
 * Turns what a mail template says (sender, subject, bodies) into a full `Mail`: the header block
 * a receiving mailbox provider shows, in the order real senders of that kind produce it
 * (see shared docs mail-formats.md), with hash-derived identifiers that reveal nothing.
 */
import type { Stream } from '../core/rng.js';
import { rfc5322Date } from '../core/time.js';
import type { ZoneName } from '../core/time.js';
import type { MailProvider, SendingProfile } from '../world/brands.js';
import { canEncodeIso2022Jp, transferEncodingFor } from './mime.js';
import type { Attachment, Charset, Header, Mail } from './types.js';

export interface Address {
  name?: string;
  address: string;
}

/** `Name <addr>`; the name is quoted when it holds characters RFC 5322 reserves. */
export function formatAddress(a: Address): string {
  if (!a.name) return a.address;
  const needsQuotes = /[()<>\[\]:;@\\,."]/.test(a.name);
  return needsQuotes ? `"${a.name.replace(/(["\\])/g, '\\$1')}" <${a.address}>` : `${a.name} <${a.address}>`;
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

export type AuthVerdict = 'pass' | 'fail' | 'softfail' | 'none' | 'neutral';

/** What the receiving provider concluded; brands pass everything unless a template says otherwise. */
export interface Auth {
  spf: AuthVerdict;
  dkim: AuthVerdict;
  dmarc: AuthVerdict;
}

const PASS: Auth = { spf: 'pass', dkim: 'pass', dmarc: 'pass' };

export interface MailSpec {
  profile: SendingProfile;
  from: Address;
  replyTo?: Address;
  /** Defaults to the mailbox owner. */
  to?: Address;
  subject: string;
  text: string;
  html: string | null;
  /** Send the HTML part alone (an HTML-only sender): no text part, `text` is ignored. */
  htmlOnly?: boolean;
  /** Files attached after the body (a PDF invoice, a phishing page or archive). */
  attachments?: readonly Attachment[];
  /**
   * The template version that wrote the mail (`<edition>/<variant>`, e.g. `redesign/app`), for
   * the truth only: a mailbox never shows it. Absent for senders with one way of writing.
   */
  template?: string;
  charset: Charset;
  /** Headers placed after Subject (List-Unsubscribe, In-Reply-To, References, X-Mailer, ...). */
  extraHeaders?: Header[];
  auth?: Auth;
  /** Envelope sender; defaults to a bounce address at the profile's bounce domain. */
  envelopeFrom?: string;
  /** Seconds between the Date header and arrival; drawn per profile style when absent. */
  transitSeconds?: number;
}

/** The mailbox that receives a mail. */
export interface Recipient {
  address: string;
  displayName: string;
  provider: MailProvider;
}

/** `n` bytes of the stream, as base64 (DKIM signatures, body hashes). */
function randomBase64(rng: Stream, bytes: number): string {
  const buf = Buffer.allocUnsafe(Math.ceil(bytes / 4) * 4);
  for (let i = 0; i < buf.length; i += 4) buf.writeUInt32LE(rng.nextUint32(), i);
  return buf.subarray(0, bytes).toString('base64');
}

function randomHex(rng: Stream, n: number): string {
  return rng.hex(n);
}

function messageId(rng: Stream, profile: SendingProfile, sent: number): string {
  switch (profile.messageIdStyle) {
    case 'esp':
      // SES-like: 0101 + ms epoch in hex + random uuid-ish + -000000
      return `<0101${(sent * 1000 + rng.int(0, 999)).toString(16).padStart(12, '0')}-${randomHex(rng, 8)}-${randomHex(rng, 4)}-${randomHex(rng, 4)}-${randomHex(rng, 4)}-${randomHex(rng, 12)}-000000@${profile.messageIdDomain}>`;
    case 'mta': {
      const d = new Date(sent * 1000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
      return `<${d}.${rng.chars(10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}@${profile.messageIdDomain}>`;
    }
    case 'webmail':
      return `<${randomHex(rng, 8)}-${randomHex(rng, 4)}-${randomHex(rng, 4)}-${randomHex(rng, 4)}-${randomHex(rng, 12)}@${profile.messageIdDomain}>`;
  }
}

/** A fresh Message-ID for a mail whose profile is given (used for personal threads' References). */
export function newMessageId(rng: Stream, profile: SendingProfile, sent: number): string {
  return messageId(rng, profile, sent);
}

function transit(rng: Stream, profile: SendingProfile): number {
  switch (profile.messageIdStyle) {
    case 'esp':
      return rng.int(2, 45);
    case 'mta':
      return rng.int(3, 90);
    case 'webmail':
      return rng.int(1, 12);
  }
}

function boundaryFor(rng: Stream, profile: SendingProfile, sent: number): string {
  if (profile.messageIdStyle === 'webmail') return `------------${rng.chars(24, '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`;
  return `----=_Part_${rng.int(100000, 9999999)}_${rng.int(100000000, 2147483647)}.${sent * 1000 + rng.int(0, 999)}`;
}

function authResults(recipient: Recipient, profile: SendingProfile, envelopeFrom: string, auth: Auth, rng: Stream): string {
  const parts = [recipient.provider.mx];
  const envDomain = domainOf(envelopeFrom);
  if (auth.dkim === 'pass') {
    parts.push(`dkim=pass header.i=@${profile.domain} header.s=${profile.selector} header.b=${randomBase64(rng, 6)}`);
    if (profile.esp) parts.push(`dkim=pass header.i=@${profile.esp.domain} header.s=${profile.esp.selector} header.b=${randomBase64(rng, 6)}`);
  } else {
    parts.push(`dkim=${auth.dkim}${auth.dkim === 'none' ? ' (message not signed)' : ` header.i=@${profile.domain}`}`);
  }
  const spfText =
    auth.spf === 'pass'
      ? `${recipient.provider.domain}: domain of ${envelopeFrom} designates ${profile.relayIp} as permitted sender`
      : `${recipient.provider.domain}: domain of transitioning ${envelopeFrom} does not designate ${profile.relayIp} as permitted sender`;
  parts.push(`spf=${auth.spf} (${spfText}) smtp.mailfrom=${envDomain}`);
  const policy = profile.dmarcPolicy;
  parts.push(
    `dmarc=${auth.dmarc} (p=${policy} sp=${policy} dis=${auth.dmarc === 'pass' || policy === 'NONE' ? 'NONE' : policy}) header.from=${profile.domain}`,
  );
  return parts.join('; ');
}

function dkimSignature(rng: Stream, domain: string, selector: string, sent: number, signed: string): string {
  return `v=1; a=rsa-sha256; q=dns/txt; c=relaxed/simple; s=${selector}; d=${domain}; t=${sent}; h=${signed}; bh=${randomBase64(rng, 32)}; b=${randomBase64(rng, 128)}`;
}

/**
 * Assemble a mail. `at` is the arrival time; the Date header precedes it by the transit time.
 * Header order follows the sender's style: ESP (marketplace, shops, lists, social), MTA (banks,
 * card issuers: local-zone Date, often ISO-2022-JP) and webmail (personal mail).
 */
export function compose(spec: MailSpec, recipient: Recipient, at: number, rng: Stream): Mail {
  const p = spec.profile;
  // A sender set to ISO-2022-JP writes UTF-8 when the mail holds a character JIS X 0208 lacks
  // (a name's rare kanji, an emoji), as mailers do, rather than lose it.
  if (spec.charset === 'ISO-2022-JP' && !canEncodeIso2022Jp(spec.subject + spec.text + (spec.from.name ?? '') + recipient.displayName + (spec.html ?? ''))) {
    spec = { ...spec, charset: 'UTF-8' };
  }
  const auth = spec.auth ?? PASS;
  const sent = at - (spec.transitSeconds ?? transit(rng, p));
  const date = rfc5322Date(sent, p.zone as ZoneName, { padDay: p.messageIdStyle !== 'webmail' });
  const envelopeFrom =
    spec.envelopeFrom ??
    (p.messageIdStyle === 'esp' ? `0101${randomHex(rng, 16)}@${p.bounceDomain}` : p.messageIdStyle === 'mta' ? `bounce@${p.bounceDomain}` : spec.from.address);
  const to = spec.to ? formatAddress(spec.to) : formatAddress({ name: recipient.displayName, address: recipient.address });
  const msgId = messageId(rng, p, sent);
  const rcvd = rfc5322Date(at, recipient.provider.zone, { padDay: false });
  const relayed = rfc5322Date(at - Math.min(2, at - sent), recipient.provider.zone, { padDay: false });

  const h: Header[] = [];
  h.push(['Delivered-To', recipient.address]);
  h.push(['Received', `by ${recipient.provider.mx} with LMTP id ${randomHex(rng, 16)} for <${recipient.address}>; ${rcvd}`]);
  h.push([
    'Received',
    `from ${p.relayHost} (${p.relayHost} [${p.relayIp}]) by ${recipient.provider.mx} with ESMTPS id ${rng.chars(12, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')} for <${recipient.address}> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); ${relayed}`,
  ]);
  h.push(['Return-Path', `<${envelopeFrom}>`]);
  h.push([
    'Received-SPF',
    auth.spf === 'pass'
      ? `pass (${recipient.provider.domain}: domain of ${envelopeFrom} designates ${p.relayIp} as permitted sender) client-ip=${p.relayIp};`
      : `${auth.spf} (${recipient.provider.domain}: domain of transitioning ${envelopeFrom} does not designate ${p.relayIp} as permitted sender) client-ip=${p.relayIp};`,
  ]);
  h.push(['Authentication-Results', authResults(recipient, p, envelopeFrom, auth, rng)]);

  const htmlOnly = spec.htmlOnly === true && spec.html !== null;
  const alternative = spec.html !== null && !htmlOnly;
  const boundary = alternative ? boundaryFor(rng, p, sent) : null;
  const attachments = spec.attachments ?? [];
  const mixedBoundary = attachments.length > 0 ? boundaryFor(rng, p, sent) : undefined;
  const body = htmlOnly ? (spec.html ?? '') : spec.text;
  const contentType =
    mixedBoundary !== undefined
      ? `multipart/mixed; boundary="${mixedBoundary}"`
      : alternative
        ? `multipart/alternative; boundary="${boundary}"`
        : `text/${htmlOnly ? 'html' : 'plain'}; charset=${spec.charset}${p.messageIdStyle === 'webmail' && !htmlOnly ? '; format=flowed' : ''}`;
  const mimeHeaders: Header[] = [
    ['MIME-Version', '1.0'],
    ['Content-Type', contentType],
  ];
  if (mixedBoundary === undefined && !alternative) mimeHeaders.push(['Content-Transfer-Encoding', transferEncodingFor(spec.charset, body)]);
  const from = formatAddress(spec.from);
  const extra = spec.extraHeaders ?? [];

  if (p.messageIdStyle === 'esp') {
    const signed = `Date:From:${spec.replyTo ? 'Reply-To:' : ''}To:Message-ID:Subject:MIME-Version:Content-Type`;
    if (auth.dkim === 'pass') {
      h.push(['DKIM-Signature', dkimSignature(rng, p.domain, p.selector, sent, signed)]);
      if (p.esp)
        h.push([
          'DKIM-Signature',
          dkimSignature(rng, p.esp.domain, p.esp.selector, sent, 'Date:From:To:Message-ID:Subject:MIME-Version:Content-Type:Feedback-ID'),
        ]);
    }
    h.push(['From', from]);
    if (spec.replyTo) h.push(['Reply-To', formatAddress(spec.replyTo)]);
    h.push(['To', to], ['Message-ID', msgId], ['Subject', spec.subject], ...mimeHeaders, ...extra);
    for (const v of p.vendorHeaders ?? []) h.push([v[0], v[1]]);
    if (p.esp) h.push(['Feedback-ID', `1.${p.relayIp.split('.').pop()}.${randomHex(rng, 8)}:${p.esp.domain}`]);
    h.push(['Date', date]);
  } else if (p.messageIdStyle === 'mta') {
    if (auth.dkim === 'pass')
      h.push(['DKIM-Signature', dkimSignature(rng, p.domain, p.selector, sent, 'Date:From:To:Subject:Message-ID:MIME-Version:Content-Type')]);
    h.push(['Date', date], ['From', from]);
    if (spec.replyTo) h.push(['Reply-To', formatAddress(spec.replyTo)]);
    h.push(['To', to], ['Subject', spec.subject], ['Message-ID', msgId], ...mimeHeaders, ...extra);
    for (const v of p.vendorHeaders ?? []) h.push([v[0], v[1]]);
  } else {
    if (auth.dkim === 'pass') h.push(['DKIM-Signature', dkimSignature(rng, p.domain, p.selector, sent, 'Message-ID:Date:MIME-Version:From:To:Subject')]);
    h.push(
      ['Message-ID', msgId],
      ['Date', date],
      ...mimeHeaders.slice(0, 1),
      ...extra,
      ['From', from],
      ['To', to],
      ['Subject', spec.subject],
      ...mimeHeaders.slice(1),
    );
  }

  return {
    headers: h,
    text: htmlOnly ? '' : spec.text,
    html: spec.html,
    charset: spec.charset,
    boundary,
    ...(mixedBoundary === undefined ? {} : { attachments, mixedBoundary }),
    envelopeFrom,
    receivedAt: at,
  };
}

/** The decoded value of the first header with this name (case-insensitive). */
export function headerValue(mail: { headers: readonly Header[] }, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of mail.headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

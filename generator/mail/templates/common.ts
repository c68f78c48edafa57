/**
 * Shared pieces of mail templates: money and dates printed without Intl (ICU differs between
 * Node builds), HTML escaping, and the HTML shell that transactional senders wrap content in.
 */
import { localTime } from '../../core/time.js';
import type { ZoneName } from '../../core/time.js';
import type { Locale } from '../../vocab/types.js';

/** `1234567` -> `1,234,567` */
export function thousands(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return (n < 0 ? '-' : '') + out;
}

/**
 * Money as the locale's shops print it: yen tax included, or dollars from cents.
 * @example money(12980, 'JPY') // '￥12,980'
 * @example money(8653, 'USD')  // '$86.53'
 */
export function money(amount: number, currency: 'JPY' | 'USD'): string {
  if (currency === 'JPY') return `￥${thousands(amount)}`;
  const cents = Math.abs(amount) % 100;
  return `${amount < 0 ? '-' : ''}$${thousands(Math.floor(Math.abs(amount) / 100))}.${cents < 10 ? '0' : ''}${cents}`;
}

/** The currency a locale's mail prices in: yen in ja, dollars (from cents) in en. */
export function localCurrency(locale: Locale): 'JPY' | 'USD' {
  return locale === 'ja' ? 'JPY' : 'USD';
}

const JA_WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'] as const;
const EN_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/**
 * A day as mail text shows it, in the reader's zone.
 * @example shortDate(t, 'ja', 'Asia/Tokyo') // '3月5日(木)'
 * @example shortDate(t, 'en', 'America/New_York') // 'Thursday, March 5'
 */
export function shortDate(t: number, locale: Locale, zone: ZoneName): string {
  const lt = localTime(zone, t);
  if (locale === 'ja') return `${lt.month}月${lt.day}日(${JA_WEEKDAYS[lt.weekday]})`;
  return `${EN_WEEKDAYS[lt.weekday]}, ${EN_MONTHS[lt.month - 1]} ${lt.day}`;
}

/** Date and time, e.g. `2026/03/05 21:14` or `March 5, 2026 9:14 PM`. */
export function dateTime(t: number, locale: Locale, zone: ZoneName): string {
  const lt = localTime(zone, t);
  const mm = String(lt.minute).padStart(2, '0');
  if (locale === 'ja') return `${lt.year}/${String(lt.month).padStart(2, '0')}/${String(lt.day).padStart(2, '0')} ${String(lt.hour).padStart(2, '0')}:${mm}`;
  const h12 = lt.hour % 12 === 0 ? 12 : lt.hour % 12;
  return `${EN_MONTHS[lt.month - 1]} ${lt.day}, ${lt.year} ${h12}:${mm} ${lt.hour < 12 ? 'AM' : 'PM'}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function esc(s: string): string {
  return /[&<>"]/.test(s) ? s.replace(/[&<>"]/g, (c) => ESCAPES[c]!) : s;
}

/** A block of an HTML mail: a paragraph, a key/value table, a button or a rule. */
export type HtmlBlock =
  { p: string } | { h: string } | { rows: ReadonlyArray<readonly [string, string]> } | { button: string; href: string } | { small: string } | 'hr';

/**
 * The table-based shell transactional senders use. One block per line keeps every line far
 * below RFC 5322's 998-character limit.
 */
export function htmlMail(opts: { lang: Locale; title: string; brand: string; blocks: readonly HtmlBlock[]; footer: readonly string[] }): string {
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${opts.lang}"><head><meta charset="utf-8"><title>${esc(opts.title)}</title></head>`,
    '<body style="margin:0;font-family:sans-serif">',
    '<table width="600" cellpadding="0" cellspacing="0" align="center">',
    `<tr><td style="padding:16px;font-size:20px"><b>${esc(opts.brand)}</b></td></tr>`,
    '<tr><td style="padding:0 16px;font-size:14px">',
  ];
  for (const b of opts.blocks) {
    if (b === 'hr') out.push('<hr style="border:0;border-top:1px solid #ddd">');
    else if ('p' in b) out.push(`<p>${esc(b.p).replace(/\n/g, '<br>')}</p>`);
    else if ('h' in b) out.push(`<h2 style="font-size:16px">${esc(b.h)}</h2>`);
    else if ('small' in b) out.push(`<p style="font-size:12px">${esc(b.small).replace(/\n/g, '<br>')}</p>`);
    else if ('button' in b) out.push(`<p><a href="${esc(b.href)}" style="padding:8px 16px;background:#f0a040;color:#111">${esc(b.button)}</a></p>`);
    else {
      out.push('<table cellpadding="4">');
      for (const [k, v] of b.rows) out.push(`<tr><td>${esc(k)}</td><td>${esc(v).replace(/\n/g, '<br>')}</td></tr>`);
      out.push('</table>');
    }
  }
  out.push('</td></tr>');
  out.push(`<tr><td style="padding:16px;font-size:11px;color:#888">${opts.footer.map(esc).join('<br>\n')}</td></tr>`);
  out.push('</table></body></html>');
  return out.join('\n');
}

/** Plain-text rows `key: value`, aligned as most transactional text parts are. */
export function textRows(rows: ReadonlyArray<readonly [string, string]>, sep = ': '): string {
  return rows.map(([k, v]) => `${k}${sep}${v.replace(/\n/g, '\n  ')}`).join('\n');
}

/** Fill `{name}` placeholders; unknown ones are left visible so tests can catch them. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** Shorten a product name for a subject line, as marketplaces do (`「...」`). */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 3) + '...';
}

/**
 * Lint of the vocabulary data. Each test walks every entry of one file group, collects every
 * offender and fails once with the full list, so one run shows everything that needs fixing.
 */
import { describe, it, expect } from 'vitest';
import Encoding from 'encoding-japanese';
import productsData from './products.js';
import { surnames as surnamesData, givenNames as givenNamesData } from './ja/names.js';
import jaNewslettersData from './ja/newsletters.js';
import enNewslettersData from './en/newsletters.js';
import jaSocialData from './ja/social.js';
import enSocialData from './en/social.js';
import { topics as jaTopicsData, greetings as jaGreetingsData } from './ja/personal.js';
import { topics as enTopicsData, greetings as enGreetingsData } from './en/personal.js';
import jaSpamData from './ja/spam.js';
import enSpamData from './en/spam.js';
import { allWording } from './mail/index.js';
import type { Cadence, Greetings, JaGivenName, JaSurname, Locale, NewsletterList, PersonalTopic, Product, SocialPhrases, SpamTheme } from './types.js';

// Widen the literal types of the data files to the interfaces, so the checks can walk them generically.
const products: readonly Product[] = productsData;
const surnames: readonly JaSurname[] = surnamesData;
const givenNames: readonly JaGivenName[] = givenNamesData;
const newsletters: Record<Locale, readonly NewsletterList[]> = { ja: jaNewslettersData, en: enNewslettersData };
const social: Record<Locale, SocialPhrases> = { ja: jaSocialData, en: enSocialData };
const topics: Record<Locale, readonly PersonalTopic[]> = { ja: jaTopicsData, en: enTopicsData };
const greetings: Record<Locale, Greetings> = { ja: jaGreetingsData, en: enGreetingsData };
const spam: Record<Locale, readonly SpamTheme[]> = { ja: jaSpamData, en: enSpamData };
const LOCALES: readonly Locale[] = ['ja', 'en'];

// ---------------------------------------------------------------------------------------------
// ISO-2022-JP safety

/**
 * Characters that JIS X 0208 has, but whose Unicode mapping differs between converters
 * (JIS X 0208 / iconv tables vs CP932 / WHATWG, which encoding-japanese and TextDecoder follow):
 * wave dash, minus, dashes, double vertical line, cent, pound, not, backslash. Text containing them
 * does not survive an ISO-2022-JP round trip through every mail client, so ja text avoids them.
 */
const AMBIGUOUS_JIS = new Map<string, string>([
  ['\u301C', 'WAVE DASH'],
  ['\uFF5E', 'FULLWIDTH TILDE'],
  ['\u2212', 'MINUS SIGN'],
  ['\uFF0D', 'FULLWIDTH HYPHEN-MINUS'],
  ['\u2014', 'EM DASH'],
  ['\u2015', 'HORIZONTAL BAR'],
  ['\u2016', 'DOUBLE VERTICAL LINE'],
  ['\u2225', 'PARALLEL TO'],
  ['\u00A2', 'CENT SIGN'],
  ['\uFFE0', 'FULLWIDTH CENT SIGN'],
  ['\u00A3', 'POUND SIGN'],
  ['\uFFE1', 'FULLWIDTH POUND SIGN'],
  ['\u00AC', 'NOT SIGN'],
  ['\uFFE2', 'FULLWIDTH NOT SIGN'],
  ['\uFF3C', 'FULLWIDTH REVERSE SOLIDUS'],
]);

const ESC = 0x1b;

/**
 * Why `s` cannot be sent as ISO-2022-JP (RFC 1468: ASCII + JIS X 0208 only), or null if it can.
 *
 * The round trip through encoding-japanese catches characters it cannot encode at all (emoji,
 * U+00A5, rare kanji), but that library also emits JIS X 0201 katakana (ESC ( I), JIS X 0212
 * (ESC $ ( D) and the CP932 extensions (NEC row 13 such as U+2460 and U+3231, IBM rows 89-92 such
 * as U+9AD9 and U+FA11) and reads them back unchanged. So the encoded bytes are checked too: only
 * ESC ( B and ESC $ B may appear, and two-byte codes must lie in the JIS X 0208 rows 1-8 and 16-84.
 */
export function iso2022jpProblem(s: string): string | null {
  for (const ch of s) {
    const name = AMBIGUOUS_JIS.get(ch);
    if (name) return `ambiguous JIS mapping: U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${name}`;
  }
  const codes = Encoding.stringToCode(s);
  const jis = Encoding.convert(codes, { to: 'JIS', from: 'UNICODE' });
  const back = Encoding.convert(jis, { to: 'UNICODE', from: 'JIS' });
  if (back.length !== codes.length || back.some((c, i) => c !== codes[i])) {
    const bad = [...s].filter((ch) => {
      const c = Encoding.stringToCode(ch);
      const r = Encoding.convert(Encoding.convert(c, { to: 'JIS', from: 'UNICODE' }), { to: 'UNICODE', from: 'JIS' });
      return r.length !== c.length || r.some((x, i) => x !== c[i]);
    });
    return `no ISO-2022-JP round trip for ${JSON.stringify(bad.join(''))}`;
  }
  let twoByte = false;
  for (let i = 0; i < jis.length;) {
    const b = jis[i]!;
    if (b === ESC) {
      const seq = String.fromCharCode(...jis.slice(i + 1, i + 4));
      if (seq.startsWith('(B')) {
        twoByte = false;
        i += 3;
        continue;
      }
      if (seq.startsWith('$B')) {
        twoByte = true;
        i += 3;
        continue;
      }
      if (seq.startsWith('(I')) return 'half-width katakana (JIS X 0201, ESC ( I)';
      if (seq.startsWith('$(D')) return 'character outside JIS X 0208 (JIS X 0212, ESC $ ( D)';
      return `unexpected escape sequence ESC ${JSON.stringify(seq)}`;
    }
    if (twoByte) {
      const row = b - 0x20;
      if (!((row >= 1 && row <= 8) || (row >= 16 && row <= 84))) {
        const ch = Encoding.codeToString(Encoding.convert([ESC, 0x24, 0x42, ...jis.slice(i, i + 2), ESC, 0x28, 0x42], { to: 'UNICODE', from: 'JIS' }));
        return `${JSON.stringify(ch)} is a vendor extension (row ${row}), not JIS X 0208`;
      }
      i += 2;
    } else {
      i += 1;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Text checks shared by all groups

/** Printable ASCII plus the few typographic characters allowed in English text. */
const EN_TEXT = /^[\x20-\x7E\u2018\u2019\u201C\u201D\u2013\u2014]*$/;
const URLISH = /https?:\/\/|www\.|\b[a-z0-9-]+\.(?:com|net|org|jp|co\.jp|io|info|xyz|biz)\b/i;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EXAMPLE_DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+example$/;
const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

/** Checks one string; pushes `where: problem` for every problem. `allowed` lists the placeholders. */
function checkText(out: string[], where: string, s: unknown, locale: Locale, allowed: readonly string[] = []): void {
  const bad = (why: string): void => {
    out.push(`${where}: ${why}: ${JSON.stringify(s)}`);
  };
  if (typeof s !== 'string') return bad('not a string');
  if (s.trim() === '') return bad('empty string');
  if (s !== s.trim()) bad('leading or trailing whitespace');
  if (/[\u0000-\u001F\u007F]/.test(s)) bad('control character (newline, tab...)');
  if (/\s{2,}/.test(s)) bad('double whitespace');
  for (const m of s.matchAll(/\{([^{}]*)\}/g)) {
    if (!allowed.includes(m[1]!)) bad(`placeholder {${m[1]}} not allowed here (allowed: ${allowed.map((a) => `{${a}}`).join(' ') || 'none'})`);
  }
  if (/[{}]/.test(s.replace(/\{[A-Za-z][A-Za-z0-9]*\}/g, ''))) bad('unbalanced brace');
  if (URLISH.test(s)) bad('looks like a URL or real domain');
  if (locale === 'ja') {
    const p = iso2022jpProblem(s);
    if (p) bad(p);
  } else if (!EN_TEXT.test(s)) {
    bad(`non-ASCII character ${JSON.stringify([...s].filter((c) => !EN_TEXT.test(c)).join(''))}`);
  }
}

function checkTexts(out: string[], where: string, list: readonly unknown[], min: number, locale: Locale, allowed: readonly string[] = []): void {
  if (!Array.isArray(list)) {
    out.push(`${where}: not an array`);
    return;
  }
  if (list.length < min) out.push(`${where}: ${list.length} entries, want >= ${min}`);
  const seen = new Set<unknown>();
  list.forEach((s, i) => {
    checkText(out, `${where}[${i}]`, s, locale, allowed);
    if (seen.has(s)) out.push(`${where}[${i}]: duplicate line: ${JSON.stringify(s)}`);
    seen.add(s);
  });
}

function checkIds(out: string[], where: string, ids: readonly string[], prefix = ''): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!KEBAB.test(id)) out.push(`${where}[${i}]: id not kebab-case: ${JSON.stringify(id)}`);
    if (prefix && !id.startsWith(prefix)) out.push(`${where}[${i}]: id ${JSON.stringify(id)} lacks prefix ${JSON.stringify(prefix)}`);
    if (seen.has(id)) out.push(`${where}[${i}]: duplicate id ${JSON.stringify(id)}`);
    seen.add(id);
  });
}

function report(offenders: readonly string[]): void {
  expect(offenders, `${offenders.length} offender(s):\n${offenders.join('\n')}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('ISO-2022-JP check', () => {
  it('accepts JIS X 0208 text and rejects everything else', () => {
    for (const ok of [
      'あア漢',
      '【重要】ご確認ください。',
      'ワイヤレスイヤホン Bluetooth 5.3 最大30時間再生',
      '500ml×24本 230℃ ♪ ※',
      'plain ASCII {name}',
      '',
    ]) {
      expect(iso2022jpProblem(ok), ok).toBeNull();
    }
    // emoji, half-width katakana, CP932/IBM extensions, circled digits, NEC row 13, JIS X 0212,
    // yen sign, characters with ambiguous mappings
    for (const ng of ['😀', 'ｱ', 'ﾃｽﾄ', '髙', '﨑', '①', '㈱', 'é', '¥', '〜', '～', '−', '－', '—', '―', '∥', '剝', '𠮟']) {
      expect(iso2022jpProblem(ng), ng).not.toBeNull();
      expect(iso2022jpProblem(`テスト${ng}です`), ng).not.toBeNull();
    }
    // the plain round trip alone is not enough: it lets these through
    const roundTrips = (s: string) => {
      const c = Encoding.stringToCode(s);
      const r = Encoding.convert(Encoding.convert(c, { to: 'JIS', from: 'UNICODE' }), { to: 'UNICODE', from: 'JIS' });
      return r.length === c.length && r.every((x, i) => x === c[i]);
    };
    expect(roundTrips('😀')).toBe(false);
    expect(roundTrips('あア漢')).toBe(true);
    expect(roundTrips('ｱ')).toBe(true);
    expect(roundTrips('①')).toBe(true);
  });
});

describe('vocabulary', () => {
  it('products', () => {
    const out: string[] = [];
    const CATEGORIES: readonly Product['category'][] = [
      'electronics',
      'home',
      'kitchen',
      'fashion',
      'beauty',
      'books',
      'toys',
      'sports',
      'food',
      'pet',
      'office',
      'diy',
      'gift-card',
      'digital',
    ];
    if (products.length < 150) out.push(`products: ${products.length}, want >= 150`);
    checkIds(
      out,
      'products',
      products.map((p) => p.id),
    );
    const jaNames = new Set<string>();
    const enNames = new Set<string>();
    products.forEach((p, i) => {
      const w = `products[${i}] ${p.id}`;
      checkText(out, `${w}.ja`, p.ja, 'ja');
      checkText(out, `${w}.en`, p.en, 'en');
      if (jaNames.has(p.ja)) out.push(`${w}: duplicate ja name`);
      if (enNames.has(p.en)) out.push(`${w}: duplicate en name`);
      jaNames.add(p.ja);
      enNames.add(p.en);
      if (!CATEGORIES.includes(p.category)) out.push(`${w}: unknown category ${JSON.stringify(p.category)}`);
      const [min, max] = p.priceJpy;
      if (p.priceJpy.length !== 2) out.push(`${w}: priceJpy must have 2 entries`);
      if (!Number.isInteger(min) || !Number.isInteger(max)) out.push(`${w}: non-integer price ${JSON.stringify(p.priceJpy)}`);
      if (!(min > 0) || !(max > 0)) out.push(`${w}: non-positive price ${JSON.stringify(p.priceJpy)}`);
      if (min > max) out.push(`${w}: price min > max ${JSON.stringify(p.priceJpy)}`);
      if (!(typeof p.resale === 'number' && p.resale >= 0 && p.resale <= 1)) out.push(`${w}: resale ${p.resale} outside [0,1]`);
      if (p.digital !== undefined && typeof p.digital !== 'boolean') out.push(`${w}: digital must be boolean`);
      if (p.digital && p.category !== 'digital' && p.category !== 'gift-card') out.push(`${w}: digital item in category ${p.category}`);
      if (p.category === 'digital' && !p.digital) out.push(`${w}: category digital but digital is not true`);
    });
    for (const c of CATEGORIES) if (!products.some((p) => p.category === c)) out.push(`products: no item in category ${c}`);
    const digital = products.filter((p) => p.digital).length;
    if (digital < 10) out.push(`products: ${digital} digital items, want >= 10`);
    const expensive = products.filter((p) => p.priceJpy[1] >= 30000 && p.priceJpy[0] <= 150000).length;
    if (expensive < 10) out.push(`products: ${expensive} items priced 30,000 JPY or more, want >= 10`);
    report(out);
  });

  it('ja names', () => {
    const out: string[] = [];
    if (surnames.length < 100) out.push(`surnames: ${surnames.length}, want >= 100`);
    if (givenNames.length < 120) out.push(`givenNames: ${givenNames.length}, want >= 120`);
    const seen = new Set<string>();
    surnames.forEach((n, i) => {
      const w = `surnames[${i}] ${n.kanji}`;
      checkText(out, `${w}.kanji`, n.kanji, 'ja');
      if (/[\x00-\x7F]/.test(n.kanji)) out.push(`${w}: kanji contains ASCII`);
      if (!/^[a-z]+$/.test(n.romaji)) out.push(`${w}: romaji must be lowercase a-z without macrons: ${JSON.stringify(n.romaji)}`);
      if (seen.has(n.kanji)) out.push(`${w}: duplicate surname`);
      seen.add(n.kanji);
    });
    const seenGiven = new Set<string>();
    givenNames.forEach((n, i) => {
      const w = `givenNames[${i}] ${n.kanji}`;
      checkText(out, `${w}.kanji`, n.kanji, 'ja');
      if (/[\x00-\x7F]/.test(n.kanji)) out.push(`${w}: kanji contains ASCII`);
      if (!/^[a-z]+$/.test(n.romaji)) out.push(`${w}: romaji must be lowercase a-z without macrons: ${JSON.stringify(n.romaji)}`);
      if (n.sex !== 'f' && n.sex !== 'm') out.push(`${w}: sex must be 'f' or 'm'`);
      const key = `${n.kanji}/${n.romaji}/${n.sex}`;
      if (seenGiven.has(key)) out.push(`${w}: duplicate given name`);
      seenGiven.add(key);
    });
    for (const sex of ['f', 'm'] as const) {
      const k = givenNames.filter((n) => n.sex === sex).length;
      if (k < 50) out.push(`givenNames: only ${k} with sex ${sex}, want >= 50`);
    }
    report(out);
  });

  it('newsletters', () => {
    const out: string[] = [];
    const TOPICS: readonly NewsletterList['topic'][] = ['retail', 'food', 'travel', 'tech', 'news', 'finance', 'culture', 'health', 'career', 'hobby', 'local'];
    const CADENCES: readonly Cadence[] = ['daily', 'weekdays', 'thrice-weekly', 'weekly', 'biweekly', 'monthly'];
    const PH = ['n', 'month', 'day', 'item'] as const;
    const all = LOCALES.flatMap((loc) => newsletters[loc].map((l) => ({ loc, l })));
    checkIds(
      out,
      'newsletters (ja+en)',
      all.map(({ l }) => l.id),
    );
    const domains = new Map<string, string>();
    for (const loc of LOCALES) {
      const lists = newsletters[loc];
      if (lists.length < 30) out.push(`${loc}/newsletters: ${lists.length} lists, want >= 30`);
      for (const t of TOPICS) if (!lists.some((l) => l.topic === t)) out.push(`${loc}/newsletters: no list with topic ${t}`);
      const usual = lists.filter((l) => (l.sendHour >= 7 && l.sendHour <= 10) || (l.sendHour >= 18 && l.sendHour <= 21)).length;
      if (usual < lists.length * 0.7) out.push(`${loc}/newsletters: only ${usual}/${lists.length} send at 7-10 or 18-21`);
      lists.forEach((l, i) => {
        const w = `${loc}/newsletters[${i}] ${l.id}`;
        if (!l.id.startsWith(`${loc}-`)) out.push(`${w}: id must start with ${loc}-`);
        checkText(out, `${w}.name`, l.name, loc);
        if (!EXAMPLE_DOMAIN.test(l.domain)) out.push(`${w}: domain ${JSON.stringify(l.domain)} is not a hostname under .example`);
        const other = domains.get(l.domain);
        if (other) out.push(`${w}: domain ${l.domain} already used by ${other}`);
        domains.set(l.domain, l.id);
        if (!LOCAL_PART.test(l.fromLocal)) out.push(`${w}: fromLocal ${JSON.stringify(l.fromLocal)} is not a plain local part`);
        if (!TOPICS.includes(l.topic)) out.push(`${w}: unknown topic ${JSON.stringify(l.topic)}`);
        if (!CADENCES.includes(l.cadence)) out.push(`${w}: unknown cadence ${JSON.stringify(l.cadence)}`);
        if (!Number.isInteger(l.sendHour) || l.sendHour < 0 || l.sendHour > 23) out.push(`${w}: sendHour ${l.sendHour} not an hour 0-23`);
        checkTexts(out, `${w}.subjects`, l.subjects, 6, loc, PH);
        checkTexts(out, `${w}.paragraphs`, l.paragraphs, 5, loc, PH);
        checkTexts(out, `${w}.items`, l.items, 1, loc);
        const usesItem = [...l.subjects, ...l.paragraphs].some((s) => s.includes('{item}'));
        if (usesItem && l.items.length < 3) out.push(`${w}: uses {item} but has only ${l.items.length} items`);
      });
    }
    report(out);
  });

  it('social', () => {
    const out: string[] = [];
    const FIELDS = ['like', 'comment', 'follow', 'message', 'mention', 'digest', 'bodyLines'] as const;
    for (const loc of LOCALES) {
      const s = social[loc];
      for (const f of FIELDS) checkTexts(out, `${loc}/social.${f}`, s[f], 6, loc, f === 'bodyLines' ? ['name'] : ['name', 'count']);
      for (const k of Object.keys(s)) if (!(FIELDS as readonly string[]).includes(k)) out.push(`${loc}/social: unknown field ${k}`);
    }
    report(out);
  });

  it('personal', () => {
    const out: string[] = [];
    const PH = ['owner', 'me'] as const;
    for (const loc of LOCALES) {
      const ts = topics[loc];
      if (ts.length < 30) out.push(`${loc}/personal: ${ts.length} topics, want >= 30`);
      checkIds(
        out,
        `${loc}/personal.topics`,
        ts.map((t) => t.id),
      );
      ts.forEach((t, i) => {
        const w = `${loc}/personal.topics[${i}] ${t.id}`;
        checkText(out, `${w}.subject`, t.subject, loc);
        checkTexts(out, `${w}.openers`, t.openers, 4, loc, PH);
        checkTexts(out, `${w}.replies`, t.replies, 6, loc, PH);
      });
      const g = greetings[loc];
      checkTexts(out, `${loc}/personal.greetings.signoffs`, g.signoffs, 5, loc);
      checkTexts(out, `${loc}/personal.greetings.smalltalk`, g.smalltalk, 5, loc);
    }
    report(out);
  });

  it('spam', () => {
    const out: string[] = [];
    const KINDS: readonly SpamTheme['kind'][] = [
      'pharma',
      'dating',
      'investment',
      'lottery',
      'loan',
      'seo',
      'adult-free',
      'fake-invoice',
      'crypto',
      'job',
      'shopping',
    ];
    const PH = ['amount', 'n', 'name'] as const;
    const all = LOCALES.flatMap((loc) => spam[loc]);
    checkIds(
      out,
      'spam (ja+en)',
      all.map((t) => t.id),
    );
    for (const loc of LOCALES) {
      const themes = spam[loc];
      if (themes.length < 12) out.push(`${loc}/spam: ${themes.length} themes, want >= 12`);
      for (const k of KINDS) if (!themes.some((t) => t.kind === k)) out.push(`${loc}/spam: no theme of kind ${k}`);
      themes.forEach((t, i) => {
        const w = `${loc}/spam[${i}] ${t.id}`;
        if (!t.id.startsWith(`${loc}-`)) out.push(`${w}: id must start with ${loc}-`);
        if (!KINDS.includes(t.kind)) out.push(`${w}: unknown kind ${JSON.stringify(t.kind)}`);
        checkTexts(out, `${w}.senderNames`, t.senderNames, 1, loc);
        checkTexts(out, `${w}.subjects`, t.subjects, 5, loc, PH);
        checkTexts(out, `${w}.paragraphs`, t.paragraphs, 5, loc, PH);
      });
    }
    report(out);
  });
});

describe('mail wording', () => {
  /** Every placeholder the mail templates fill; a wording string naming another has a typo. */
  const FILLED = [
    'brand',
    'site',
    'name',
    'given',
    'items',
    'first',
    'more',
    'count',
    'seller',
    'network',
    'last4',
    'carrier',
    'url',
    'when',
    'number',
    'hours',
    'device',
    'code',
    'event',
    'head',
    'family',
    'shop',
    'region',
    'city',
    'points',
    'usd',
    'left',
    'leftUsd',
    'domain',
    'merchant',
    'amount',
    'title',
    'what',
    'bank',
    'branch',
    'account',
    'holder',
    'digits',
    'ref',
    'source',
    'fee',
    'masked',
    'before',
    'after',
    'item',
    'reward',
    'marketplace',
    'network',
    'place',
    'service',
    'minutes',
    'at',
    'via',
    'pin',
    'until',
    'from',
    'to',
    'provider',
    'address',
    'ip',
    'newLabel',
    'value',
    'target',
    'rule',
    'condition',
    'action',
    'country',
    'b',
    'latin',
    'lookalike',
    'itemClip',
    'date',
    'n',
    'pct',
    'email',
    'token',
    'tracking',
    'trackingDigits',
    'op',
    'total',
  ];

  /** Lines that break a rule on purpose: a phishing display name dressed as the marketplace's domain is the lure. */
  const INTENDED = new Set(['ja.phishing.senders.other[1]']);

  /** Every string of a wording tree with its path. */
  function leaves(v: unknown, path: string): Array<[string, string]> {
    if (typeof v === 'string') return [[path, v]];
    if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, `${path}[${i}]`));
    if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => leaves(x, `${path}.${k}`));
    return [];
  }

  it('every locale has every family with the same keys, and each line is clean text with known placeholders', () => {
    const out: string[] = [];
    const locales = allWording();
    expect(locales.map(([l]) => l)).toEqual(['en', 'ja']);
    // The same keys in every locale; what a list holds (alternatives, lines, rows) is each locale's
    // own, and a part one locale leaves out (null: its notices do not say it) has no keys to match.
    const nulls = new Set<string>();
    const keys = (v: unknown, path: string): string[] => {
      if (v === null) nulls.add(path);
      if (Array.isArray(v) || typeof v !== 'object' || v === null) return [];
      return Object.entries(v).flatMap(([k, x]) => [`${path}.${k}`, ...keys(x, `${path}.${k}`)]);
    };
    const all = locales.map(([, w]) => keys(w, ''));
    const shapes = all.map((ks) => JSON.stringify([...new Set(ks.filter((k) => ![...nulls].some((n) => k.startsWith(`${n}.`))))].sort()));
    expect(new Set(shapes).size).toBe(1);
    for (const [loc, w] of locales) {
      for (const [path, s] of leaves(w, loc)) {
        // Bodies hold line breaks and blank lines; each line is checked on its own.
        for (const line of s.split('\n')) {
          if (line === '' || INTENDED.has(path)) continue;
          // A link to the sender's own site is built from its domain, which is never real.
          checkText(out, path, line.replace(/https:\/\/(www\.)?\{domain\}\S*/g, '{domain}'), loc, FILLED);
        }
      }
    }
    report(out);
  });
});

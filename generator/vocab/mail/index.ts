/**
 * The wording of every mail family, per locale: subjects, paragraphs, field labels and buttons,
 * as data (`generator/vocab/<locale>/mail/<family>.ts`), apart from the templates that lay them
 * out. `MailWording` (types.ts) lists the families; each locale's `mail/index.ts` must satisfy it and
 * `WORDING` must hold one for every `Locale`, so a locale missing a family, or a family missing a
 * key, does not compile. Adding a locale is a folder (`vocab/<locale>/mail/`) and a line here.
 */
import type { Locale } from '../types.js';
import type { MailWording } from './types.js';
import ja from '../ja/mail/index.js';
import en from '../en/mail/index.js';

export type { MailWording } from './types.js';

const WORDING: Readonly<Record<Locale, MailWording>> = { ja, en };

export function wording(locale: Locale): MailWording {
  return WORDING[locale];
}

/** Every locale's wording, for tests that compare them. */
export function allWording(): ReadonlyArray<readonly [Locale, MailWording]> {
  return (Object.keys(WORDING) as Locale[]).sort().map((l) => [l, WORDING[l]] as const);
}

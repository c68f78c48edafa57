/**
 * One builder for both parts of a transactional mail: the template lists its blocks once, and the
 * text part and the HTML part are rendered from the same list, so they cannot say different
 * things. Each block knows how it reads in text (a paragraph and a blank line; `key: value` rows;
 * a heading glued to what follows it, as `Ship to:`; a link line where HTML has a button) and in
 * HTML (the table shell of `htmlMail`).
 */
import { htmlMail, textRows } from './common.js';
import type { HtmlBlock } from './common.js';
import type { Locale } from '../../vocab/types.js';

export type Block =
  /** A paragraph. */
  | { p: string }
  /** A heading; in text `Heading:` on the line above the next block. */
  | { h: string }
  /** Key/value rows. */
  | { rows: ReadonlyArray<readonly [string, string]> }
  /** A button; in text its link, after `lead` when given (`View your order:` above the URL). */
  | { button: string; href: string; lead?: string }
  /** Small print. */
  | { small: string }
  /** A rule in HTML; nothing in text. */
  | 'hr'
  /**
   * The same content laid out differently in each part (a list of items: indented lines in text,
   * rows in HTML); either side may be empty. `gap: false` keeps the next block on the very next
   * line of the text (a note and the link it introduces).
   */
  | { text: readonly string[]; html: readonly HtmlBlock[]; gap?: boolean };

export interface BlockMail {
  lang: Locale;
  /** The HTML title (usually the subject). */
  title: string;
  /** The sender's name at the top of the HTML. */
  brand: string;
  blocks: readonly Block[];
  /** Lines closing both parts, or each its own (a text part that ends with its links, an HTML footer with a label). */
  footer: readonly string[] | { text: readonly string[]; html: readonly string[] };
}

/** A block as text lines: a paragraph (or rows, or a link) and the blank line after it; a heading glued to the next block. */
function textLines(b: Block): string[] {
  if (b === 'hr') return [];
  if ('p' in b) return [b.p, ''];
  if ('h' in b) return [`${b.h}:`];
  if ('rows' in b) return [textRows(b.rows), ''];
  if ('button' in b) return [...(b.lead === undefined ? [] : [b.lead]), b.href, ''];
  if ('small' in b) return [b.small, ''];
  return b.gap === false ? [...b.text] : [...b.text, ''];
}

function htmlBlocks(b: Block): HtmlBlock[] {
  if (b === 'hr') return ['hr'];
  if ('text' in b) return [...b.html];
  if ('button' in b) return [{ button: b.button, href: b.href }];
  return [b];
}

/** The text and HTML parts of a mail from one list of blocks. */
export function renderMail(m: BlockMail): { text: string; html: string } {
  const footer = 'text' in m.footer ? m.footer : { text: m.footer, html: m.footer };
  const text = [...m.blocks.flatMap(textLines), ...footer.text].join('\n');
  const html = htmlMail({ lang: m.lang, title: m.title, brand: m.brand, blocks: m.blocks.flatMap(htmlBlocks), footer: footer.html });
  return { text, html };
}

/**
 * The world of a dataset: everything derived from the seed and the config before any mailbox is
 * simulated — personas, sellers, list popularity, sale events. Incidents and campaigns are planned
 * on it (scenarios/plan.ts). Every worker builds the same world, so how mailboxes are split
 * between workers changes nothing. Of each mailbox the world keeps only its facts; the persona
 * is made again, from the seed alone, where the mailbox is simulated or written out.
 */
import type { Config } from '../config.js';
import { Stream } from '../core/rng.js';
import { DAY, parseDate } from '../core/time.js';
import jaLists from '../vocab/ja/newsletters.js';
import enLists from '../vocab/en/newsletters.js';
import { PRODUCTS as products } from '../vocab/catalog.js';
import type { Locale, Product } from '../vocab/types.js';
import { listPopularity, mailboxFacts, makePersona } from './persona.js';
import type { MailboxFacts, Persona } from './persona.js';
import { makeSellers } from './sellers.js';
import type { SellerCatalog } from './sellers.js';

/** A sale event of the config, in epoch seconds. */
export interface SaleWindow {
  id: string;
  start: number;
  end: number;
  locales: readonly Locale[];
  /** Factor on the owners' order rate while it runs. */
  orderMultiplier: number;
}

export interface World {
  config: Config;
  root: Stream;
  /** Window [start, end) in epoch seconds. */
  start: number;
  end: number;
  /** Every mailbox, as planning, the card and other mailboxes' mail see it (index order). */
  mailboxes: readonly MailboxFacts[];
  /**
   * The persona owning mailbox `index`, made afresh from the seed at each call: kept by whoever
   * simulates that mailbox, by nobody else.
   */
  persona(index: number): Persona;
  sellers: SellerCatalog;
  sales: SaleWindow[];
  /** Products promotions and phishing lures show (physical, priced above 1,000 yen). */
  productsForPromo: readonly Product[];
}

export function buildWorld(config: Config): World {
  const root = Stream.root(config.seed);
  const start = parseDate(config.start);
  const end = start + config.days * DAY;
  const startYear = new Date(start * 1000).getUTCFullYear();
  const popularity = {
    ja: listPopularity(root.child('list-popularity', 'ja'), jaLists, config.traffic.listPopularityAlpha),
    en: listPopularity(root.child('list-popularity', 'en'), enLists, config.traffic.listPopularityAlpha),
  };
  const ctx = { config, world: root, popularity, startYear };
  const persona = (index: number): Persona => {
    if (!Number.isInteger(index) || index < 0 || index >= config.mailboxes) throw new RangeError(`no mailbox ${index} in a world of ${config.mailboxes}`);
    return makePersona(ctx, index);
  };
  const mailboxes: MailboxFacts[] = [];
  for (let i = 0; i < config.mailboxes; i++) mailboxes.push(mailboxFacts(persona(i)));
  const sellers = makeSellers(root.child('sellers'), { domestic: 40, foreign: 60 });
  const sales: SaleWindow[] = config.saleEvents
    .map((e) => ({ id: e.id, start: parseDate(e.start), end: parseDate(e.start) + e.days * DAY, locales: e.locales, orderMultiplier: e.orderMultiplier }))
    .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  return {
    config,
    root,
    start,
    end,
    mailboxes,
    persona,
    sellers,
    sales,
    productsForPromo: products.filter((p) => !p.digital && p.priceJpy[0] >= 1000),
  };
}

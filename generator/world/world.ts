/**
 * The world of a dataset: everything derived from the seed and the config before any mailbox is
 * simulated — personas, sellers, list popularity, sale events, incidents and campaigns. Every
 * worker builds the same world, so how mailboxes are split between workers changes nothing.
 */
import type { Config } from '../config.js';
import { Stream } from '../core/rng.js';
import { DAY, parseDate } from '../core/time.js';
import { loadScenarios, planIncidents } from '../scenarios/engine.js';
import type { CampaignPlan, IncidentPlan, SaleWindow } from '../scenarios/engine.js';
import type { Scenario } from '../scenarios/schema.js';
import jaLists from '../vocab/ja/newsletters.js';
import enLists from '../vocab/en/newsletters.js';
import { PRODUCTS as products } from '../vocab/catalog.js';
import type { Product } from '../vocab/types.js';
import { listPopularity, makePersona } from './persona.js';
import type { Persona } from './persona.js';
import { makeSellers } from './sellers.js';
import type { SellerCatalog } from './sellers.js';

export interface World {
  config: Config;
  root: Stream;
  /** Window [start, end) in epoch seconds. */
  start: number;
  end: number;
  personas: Persona[];
  sellers: SellerCatalog;
  sales: SaleWindow[];
  scenarios: Scenario[];
  incidents: IncidentPlan[];
  campaigns: CampaignPlan[];
  /** Products promotions and phishing lures show (physical, priced above 1,000 yen). */
  productsForPromo: readonly Product[];
}

export function buildWorld(config: Config, scenarios: Scenario[] = loadScenarios()): World {
  const root = Stream.root(config.seed);
  const start = parseDate(config.start);
  const end = start + config.days * DAY;
  const startYear = new Date(start * 1000).getUTCFullYear();
  const popularity = {
    ja: listPopularity(root.child('list-popularity', 'ja'), jaLists, config.traffic.listPopularityAlpha),
    en: listPopularity(root.child('list-popularity', 'en'), enLists, config.traffic.listPopularityAlpha),
  };
  const personas: Persona[] = [];
  for (let i = 0; i < config.mailboxes; i++) personas.push(makePersona({ config, world: root, popularity, startYear }, i));
  const sellers = makeSellers(root.child('sellers'), { domestic: 40, foreign: 60 });
  const sales: SaleWindow[] = config.saleEvents
    .map((e) => ({ id: e.id, start: parseDate(e.start), end: parseDate(e.start) + e.days * DAY, locales: e.locales, orderMultiplier: e.orderMultiplier }))
    .sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  const { incidents, campaigns } = planIncidents({ root, config, start, end, personas, scenarios, sales });
  return {
    config,
    root,
    start,
    end,
    personas,
    sellers,
    sales,
    scenarios,
    incidents,
    campaigns,
    productsForPromo: products.filter((p) => !p.digital && p.priceJpy[0] >= 1000),
  };
}

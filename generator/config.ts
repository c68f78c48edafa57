/**
 * The one typed configuration of a dataset, validated with zod.
 *
 * Every number the generator uses is here with a documented default (the `.describe()` text is
 * what `ato-bench config --explain` prints), or in a scenario file, whose parameters can be
 * overridden under `scenarios.<id>.params`. Presets are JSON files in `datasets/presets/` that
 * override these defaults; a config file may start from a preset with `"extends": "<preset>"`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DATASET_FORMAT_VERSION } from '../datasets/format.js';
import { DistSchema } from './core/dist.js';
import { ZONE_NAMES, parseDate } from './core/time.js';
import type { ZoneName } from './core/time.js';
import { packageRoot } from './core/paths.js';
import { AtoBenchError, EXIT } from './core/errors.js';

const share = z.number().min(0).max(1);
const positive = z.number().positive();

/** A [low, high] range of whole numbers, low <= high: a reversed one is a typo, not a wish. */
const range = (max: number) =>
  z.tuple([z.number().int().min(0), z.number().int().max(max)]).refine(([lo, hi]) => lo <= hi, 'a range [low, high] needs low <= high');

/**
 * A rate per mailbox and period, capped at what a mailbox can hold: beyond it a run would not
 * finish (100,000 social mails a day per mailbox ran out of memory), so it is a config error.
 */
const rate = (max: number, per: string) => z.number().min(0).max(max, `at most ${max} per ${per} (more would not fit a mailbox)`);
const zoneWeights = z.partialRecord(z.enum(ZONE_NAMES as [ZoneName, ...ZoneName[]]), z.number().nonnegative());

const isoDate = z.string().refine((s) => {
  try {
    parseDate(s);
    return true;
  } catch {
    return false;
  }
}, 'expected a date as YYYY-MM-DD');

export const SaleEventSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.object({ ja: z.string(), en: z.string() }).describe('what the marketplace calls it in its mails'),
    start: isoDate.describe('first day (UTC date)'),
    days: z.number().int().min(1).max(31),
    locales: z
      .array(z.enum(['ja', 'en']))
      .min(1)
      .describe('which sites run it'),
    orderMultiplier: positive.describe('factor on the owner-driven order rate during the event'),
    promoPerDay: z.number().min(0).describe('extra marketplace promotion mails per mailbox-day during the event'),
  })
  .strict();

/**
 * Brands whose mail comes in several editions (a redesign), each brand's editions in order: the
 * first is what it sends until a `drift` switches it. The wording of each edition is locale data
 * (`vocab/<locale>/mail/`).
 */
export const TEMPLATE_EDITIONS = { marketplace: ['classic', 'redesign'] } as const;
export type DriftBrand = keyof typeof TEMPLATE_EDITIONS;
export type MarketplaceEdition = (typeof TEMPLATE_EDITIONS)['marketplace'][number];

export const DriftSchema = z
  .object({
    brand: z.enum(Object.keys(TEMPLATE_EDITIONS) as [DriftBrand, ...DriftBrand[]]).describe('whose mail changes'),
    on: isoDate.describe('the day (00:00 UTC) the new edition starts'),
    edition: z.string().describe("the edition sent from then on (one of the brand's editions)"),
    rolloutDays: z
      .number()
      .int()
      .min(0)
      .max(60)
      .default(0)
      .describe('days over which the share of mail in the new edition rises from 0 to 1, as a staged rollout does'),
  })
  .strict();

export type Drift = z.infer<typeof DriftSchema>;

const ScenarioSettingsSchema = z
  .object({
    count: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('instances in the dataset (incidents for mailbox scenarios, campaigns for campaign scenarios); overrides the prevalence'),
    weight: z.number().min(0).default(1).describe("share of this scenario in its kind's prevalence (0 leaves it out)"),
    params: z.record(z.string(), DistSchema).default({}).describe("overrides of the scenario file's parameter distributions"),
  })
  .strict();

const PrevalenceSchema = z
  .object({
    ato: z.number().min(0).optional().describe('takeover incidents per 1,000 mailboxes over the window, shared among the ato scenarios by weight'),
    lookalike: z.number().min(0).optional().describe('look-alike incidents per 1,000 mailboxes over the window, shared by weight'),
    phishing: z.number().min(0).optional().describe('phishing campaigns per 30 days, shared by weight'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    seed: z.number().int().min(0).max(4294967295).default(20201).describe('root of every random stream'),
    split: z
      .enum(['train', 'dev', 'test'])
      .optional()
      .describe("which split of the benchmark's protocol the dataset is (set by the train, dev and test presets; the leaderboard and the card name it)"),
    start: isoDate.default('2025-10-06').describe('first day of the window (00:00 UTC)'),
    days: z.number().int().min(14).max(730).default(91).describe('length of the window in days'),
    warmupDays: z.number().int().min(7).default(21).describe('history every mailbox has before any incident can start'),
    mailboxes: z.number().int().min(1).max(200000).default(500),
    locales: z
      .object({ ja: z.number().min(0), en: z.number().min(0) })
      .strict()
      .default({ ja: 0.6, en: 0.4 })
      .describe('weights of mailbox locales'),
    zones: z
      .object({ ja: zoneWeights, en: zoneWeights })
      .strict()
      .default({
        ja: { 'Asia/Tokyo': 1 },
        en: { 'America/New_York': 0.4, 'America/Chicago': 0.15, 'America/Los_Angeles': 0.2, 'Europe/London': 0.15, 'Australia/Sydney': 0.1 },
      })
      .describe('weights of owner time zones per locale'),
    fx: z
      .object({ usdJpy: positive.default(150) })
      .strict()
      .prefault({})
      .describe('exchange rate used to price en orders from the JPY catalog'),
    persona: z
      .object({
        activitySigma: z.number().min(0).max(3).default(1.5).describe('sigma of the log-normal per-mailbox activity multiplier (volume skew)'),
        marketplaceAccount: share.default(0.92).describe('share of mailboxes with a marketplace account'),
        dormant: share.default(0.4).describe('share of marketplace accounts unused for months before the window'),
        dormantDays: range(36500).default([240, 2200]).describe("range of days since a dormant account's last order"),
        staleAddress: share.default(0.55).describe('share of marketplace accounts with a saved address the owner no longer lives at'),
        twoFactor: share.default(0.35).describe('share of marketplace accounts with 2-step verification'),
        password: z
          .object({ numeric: share, weak: share, strong: share })
          .strict()
          .default({ numeric: 0.12, weak: 0.38, strong: 0.5 })
          .describe('password strength mix (hidden: truth and card only)'),
        expiredCards: share.default(0.3).describe('share of stored cards that have expired'),
      })
      .strict()
      .prefault({}),
    traffic: z
      .object({
        newsletters: z
          .object({ mean: positive.max(500).default(2.2), max: z.number().int().min(0).max(500).default(25) })
          .strict()
          .prefault({})
          .describe('newsletter subscriptions per mailbox (scaled by activity^0.6)'),
        listPopularityAlpha: positive.default(1.1).describe('Zipf exponent of newsletter list popularity (heavy-tailed senders)'),
        promosPerWeek: rate(200, 'account-week').default(0.5).describe('marketplace promotion mails per account-week outside sale events'),
        socialPerDay: rate(100, 'membership-day').default(0.1).describe('social notifications per membership-day at activity 1'),
        socialMemberships: range(50).default([0, 3]),
        personalThreadsPerWeek: rate(200, 'mailbox-week').default(0.35).describe('personal threads started per mailbox-week at activity 1'),
        repliesPerThread: positive.max(50).default(1.2).describe('mean further inbound messages per personal thread'),
        contacts: range(10000).default([3, 40]).describe('personal contacts per mailbox (Zipf-weighted)'),
        ordersPerMonth: z
          .object({ median: positive.max(300).default(1.6), sigma: z.number().min(0).max(3).default(0.8) })
          .strict()
          .prefault({})
          .describe('owner-driven marketplace orders per month, active accounts'),
        sessionExtraOrders: positive.max(20).default(0.35).describe('mean extra orders in one shopping session (cascade)'),
        crossBorderShare: share.default(0.06).describe("share of the owner's own orders from foreign sellers"),
        thirdPartyShare: share.default(0.45).describe("share of the owner's own orders from third-party sellers"),
        webShopOrdersPerMonth: rate(300, 'mailbox-month').default(0.5),
        bankNoticesPerMonth: rate(300, 'mailbox-month').default(2),
        cardNoticesPerMonth: rate(300, 'card-month').default(2.5).describe('card-use notices per card-month besides marketplace orders'),
        securityEventsPerMonth: z
          .number()
          .min(0)
          .max(300)
          .default(0.8)
          .describe('owner-caused security notices (own password change, own new device) per mailbox-month'),
        spamPerDay: z
          .object({ median: rate(100, 'mailbox-day').default(0.22), sigma: z.number().min(0).max(3).default(1.0) })
          .strict()
          .prefault({})
          .describe('spam reaching the mailbox per day'),
        dayActivitySigma: z
          .number()
          .min(0)
          .max(3)
          .default(1.8)
          .describe("sigma of the log-normal day-to-day activity of the owner's own doings (orders, replies, notifications): busy days and quiet ones"),
        cascadeMean: z.number().min(0).max(10).default(0.6).describe('mean secondary events per primary event in bursty sources (Malmgren et al. 2008)'),
        iso2022jpShare: share.default(0.35).describe('share of ja personal senders using ISO-2022-JP (banks always do)'),
      })
      .strict()
      .prefault({}),
    saleEvents: z.array(SaleEventSchema).default([]).describe('marketplace sale events: order and promotion boosts'),
    drift: z
      .array(DriftSchema)
      .default([])
      .describe('template redesigns: a brand switching its mail to another edition on a date (the scorer reports recall before and after)'),
    prevalence: PrevalenceSchema.prefault({}).describe('how many incidents of each kind; unset kinds take only the scenarios given a count'),
    scenarios: z.record(z.string(), ScenarioSettingsSchema).default({}).describe('scenario id -> count or weight, and parameter overrides'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
export type SaleEvent = z.infer<typeof SaleEventSchema>;

/** An invalid config: names each offending field and the value it had. */
export class ConfigError extends AtoBenchError {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message, EXIT.usage);
  }
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? 'nothing' : s.length > 60 ? s.slice(0, 57) + '...' : s;
}

export function formatIssues(error: z.ZodError, input: unknown, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const where = prefix + (path || '(root)');
    const got = issue.code === 'unrecognized_keys' ? '' : ` (got ${show(valueAt(input, issue.path))})`;
    return `${where}: ${issue.message}${got}`;
  });
}

/** Validate a raw object as a config; throws ConfigError naming every offending field. */
export function parseConfig(input: unknown, source = 'config'): Config {
  const result = ConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = formatIssues(result.error, input);
    throw new ConfigError(`invalid ${source}:\n  ${issues.join('\n  ')}`, issues);
  }
  const config = result.data;
  const semantic: string[] = [];
  if (config.warmupDays >= config.days) semantic.push(`warmupDays: must be less than days (${config.days}) (got ${config.warmupDays})`);
  if (config.locales.ja + config.locales.en <= 0) semantic.push('locales: at least one weight must be positive');
  for (const loc of ['ja', 'en'] as const) {
    const sum = Object.values(config.zones[loc]).reduce((a, b) => a + (b ?? 0), 0);
    if (config.locales[loc] > 0 && sum <= 0) semantic.push(`zones.${loc}: needs at least one zone with a positive weight`);
  }
  const p = config.persona.password;
  if (p.numeric + p.weak + p.strong <= 0) semantic.push('persona.password: weights must not all be 0');
  const lastDrift = new Map<string, number>();
  config.drift.forEach((d, i) => {
    const editions: readonly string[] = TEMPLATE_EDITIONS[d.brand];
    if (!editions.includes(d.edition))
      semantic.push(`drift.${i}.edition: ${d.brand} has the editions ${editions.join(', ')} (got ${JSON.stringify(d.edition)})`);
    const on = parseDate(d.on);
    // A drift may lie outside the window: after it, the window never reaches it (a shortened
    // preset); before it, the brand writes the new edition throughout (the test split, later in
    // time than the redesign).
    if (on <= (lastDrift.get(d.brand) ?? -Infinity)) semantic.push(`drift.${i}.on: a brand's drifts must be in date order (got ${d.on})`);
    lastDrift.set(d.brand, on);
  });
  if (semantic.length) throw new ConfigError(`invalid ${source}:\n  ${semantic.join('\n  ')}`, semantic);
  return config;
}

/** The presets' folder (a function: modules loaded in a detector's sandbox must not touch the file system on import). */
export function presetsDir(): string {
  return join(packageRoot(), 'datasets', 'presets');
}

/** Names of the bundled presets, sorted. */
export function presetNames(): string[] {
  return ['default', 'dev', 'test', 'tiny', 'train'];
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${what} ${file}: ${(e as Error).message}`, []);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${what} ${file} is not valid JSON: ${(e as Error).message}`, []);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge: objects merge key by key, everything else (arrays included) is replaced. */
export function mergeConfig(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeConfig(b, v) : v;
  }
  return out;
}

/** The raw (unvalidated) object of a preset, with its own `extends` resolved. */
export function presetInput(name: string, seen: string[] = []): Record<string, unknown> {
  if (!presetNames().includes(name)) throw new ConfigError(`unknown preset "${name}"; known presets: ${presetNames().join(', ')}`, []);
  if (seen.includes(name)) throw new ConfigError(`presets extend each other in a cycle: ${[...seen, name].join(' -> ')}`, []);
  const file = join(presetsDir(), `${name}.json`);
  const raw = readJson(file, 'preset');
  if (!isPlainObject(raw)) throw new ConfigError(`preset ${file} must be a JSON object`, []);
  return resolveExtends(raw, [...seen, name]);
}

function resolveExtends(raw: Record<string, unknown>, seen: string[]): Record<string, unknown> {
  const { extends: parent, $comment: _comment, ...rest } = raw;
  if (parent === undefined) return rest;
  if (typeof parent !== 'string') throw new ConfigError(`extends: expected a preset name (got ${show(parent)})`, []);
  return mergeConfig(presetInput(parent, seen), rest);
}

/** Load a preset by name and validate it. */
export function loadPreset(name: string, overrides: Record<string, unknown> = {}): Config {
  return parseConfig(mergeConfig(presetInput(name), overrides), `preset "${name}"`);
}

/** Load a config file (JSON; may `"extends"` a preset) and validate it. */
/**
 * A config file, or a dataset's manifest.json: its resolved config, so that `generate --config
 * DIR/manifest.json` makes that dataset again, byte for byte (as Synthea users reproduce a run).
 * A manifest of another dataset format is refused: this version would not make the same bytes.
 */
export function loadConfigFile(file: string, overrides: Record<string, unknown> = {}): Config {
  if (!existsSync(file)) throw new ConfigError(`config file not found: ${file}`, []);
  const raw = readJson(file, 'config file');
  if (!isPlainObject(raw)) throw new ConfigError(`config file ${file} must be a JSON object`, []);
  if ('formatVersion' in raw && 'config' in raw && isPlainObject(raw.config)) {
    if (raw.formatVersion !== DATASET_FORMAT_VERSION)
      throw new ConfigError(
        `${file} is the manifest of a dataset of format ${String(raw.formatVersion)}; this ato-bench writes format ${DATASET_FORMAT_VERSION}, so it would not make the same bytes (use the ato-bench version named in the manifest)`,
        [],
      );
    return parseConfig(mergeConfig(raw.config, overrides), `the config of manifest ${file}`);
  }
  return parseConfig(mergeConfig(resolveExtends(raw, []), overrides), `config ${file}`);
}

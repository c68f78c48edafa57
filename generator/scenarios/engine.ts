/**
 * The scenario engine: loads scenario files, checks them, chooses victims and onsets, and
 * expands an incident into the mails it sends. It knows steps, parameters and timings; what a
 * mail says belongs to the mail types, and who is eligible to the persona predicates below.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDuration, sample, sampleSeconds } from '../core/dist.js';
import type { Dist } from '../core/dist.js';
import { packageRoot } from '../core/paths.js';
import type { Stream } from '../core/rng.js';
import { DAY, HOUR, localMidnight, MINUTE } from '../core/time.js';
import type { ZoneName } from '../core/time.js';
import { formatIssues } from '../config.js';
import type { Config } from '../config.js';
import { mailTypeById } from '../mail/templates/index.js';
import { imitationBrand, phishInfra } from '../mail/templates/phishing.js';
import type { ImitatedFamily, PhishInfra, PhishStyle } from '../mail/templates/phishing.js';
import { planOrder, withPricierItem } from '../world/orders.js';
import type { Order } from '../world/orders.js';
import { familyMember, otherRecipient } from '../world/persona.js';
import type { Persona } from '../world/persona.js';
import type { SellerCatalog } from '../world/sellers.js';
import type { Locale } from '../vocab/types.js';
import { timeInDay } from '../traffic/rhythm.js';
import { abroadPlaces, homePlaces } from '../vocab/places.js';
import type { Label, OrderSpec, Scenario, ScenarioKind, Signal } from './schema.js';
import { ScenarioSchema } from './schema.js';
import { AtoBenchError, EXIT } from '../core/errors.js';

export function scenarioDir(): string {
  return join(packageRoot(), 'generator', 'scenarios', 'library');
}

export class ScenarioError extends AtoBenchError {
  constructor(readonly problems: string[]) {
    super(`invalid scenarios:\n  ${problems.join('\n  ')}`, EXIT.usage);
  }
}

/** Fields a mail type receives from the engine rather than from a step's `set`: the incident's entities... */
const ENGINE_FIELDS = new Set(['order', 'infra', 'imitates']);
/** ...and the mailbox's own accounts, bound by bindEntities. */
const MAILBOX_FIELDS = new Set(['brand', 'last4', 'carrier']);

/**
 * Every problem of a set of scenario files, collected before anything fails (the
 * detection-rules way: one run shows the full list).
 */
export function checkScenarios(files: ReadonlyArray<{ file: string; json: unknown }>): { scenarios: Scenario[]; problems: string[] } {
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const { file, json } of files) {
    const parsed = ScenarioSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(...formatIssues(parsed.error, json, `${file}: `));
      continue;
    }
    const s = parsed.data;
    const where = `${file} (${s.id})`;
    if (seen.has(s.id)) problems.push(`${where}: duplicate id, also in ${seen.get(s.id)}`);
    seen.set(s.id, file);
    if (`${s.id}.json` !== file.split('/').pop()) problems.push(`${where}: file name must be <id>.json`);
    problems.push(...checkSteps(s).map((p) => `${where}: ${p}`));
    scenarios.push(s);
  }
  const ids = new Set(scenarios.map((s) => s.id));
  for (const s of scenarios) {
    for (const l of s.lookalikes) if (!ids.has(l)) problems.push(`${s.id}: lookalikes names unknown scenario "${l}"`);
    if (s.kind !== 'ato' && s.lookalikes.length === 0) problems.push(`${s.id}: a ${s.kind} scenario must name the scenarios it resembles in lookalikes`);
  }
  scenarios.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { scenarios, problems };
}

function checkSteps(s: Scenario): string[] {
  const out: string[] = [];
  const params = s.parameters;
  const stepIds = new Set<string>();
  const refParam = (ref: string | number | undefined, what: string, wantDuration = false): void => {
    if (typeof ref !== 'string' || ref.startsWith('order.')) return;
    const p = params[ref];
    if (!p) out.push(`${what} names unknown parameter "${ref}"`);
    else if (wantDuration && !isDuration(p)) out.push(`${what}: parameter "${ref}" must be a duration (unit min, h or d), has ${p.unit}`);
  };
  if (s.scope === 'campaign') {
    if (!s.campaign) out.push('a campaign scenario needs a "campaign" block');
    else {
      refParam(s.campaign.waves, 'campaign.waves');
      refParam(s.campaign.waveGap, 'campaign.waveGap', true);
      refParam(s.campaign.targetShare, 'campaign.targetShare');
    }
  } else if (s.campaign) out.push('only campaign scenarios take a "campaign" block');
  for (const step of s.steps) {
    const at = `step ${step.id}`;
    if (stepIds.has(step.id)) out.push(`${at}: duplicate step id`);
    if ((step.mail === undefined) === (step.silence === undefined)) out.push(`${at}: a step has either a mail or a silence`);
    const type = step.mail ? mailTypeById(step.mail) : undefined;
    if (step.mail && !type) out.push(`${at}: unknown mail type "${step.mail}"`);
    if (step.silence) {
      refParam(step.silence.for, `${at}: silence.for`, true);
      refParam(step.silence.share, `${at}: silence.share`);
      if (step.forEach || step.order || step.count !== undefined) out.push(`${at}: a silence takes no forEach, order or count`);
    }
    const after = step.when.after.replace(/\.last$/, '');
    const anchors = s.scope === 'campaign' ? ['wave'] : ['onset'];
    if (after === 'each') {
      if (!step.forEach) out.push(`${at}: when.after "each" needs forEach`);
    } else if (!anchors.includes(after) && !stepIds.has(after))
      out.push(`${at}: when.after "${step.when.after}" is not ${anchors.join('/')} or an earlier step`);
    if (step.forEach && !stepIds.has(step.forEach)) out.push(`${at}: forEach "${step.forEach}" is not an earlier step`);
    if (step.requires && !stepIds.has(step.requires)) out.push(`${at}: requires "${step.requires}" is not an earlier step`);
    const delays = Array.isArray(step.when.delay) ? step.when.delay : step.when.delay === undefined ? [] : [step.when.delay];
    for (const d of delays) refParam(d, `${at}: when.delay`, true);
    refParam(step.when.spread, `${at}: when.spread`, true);
    refParam(step.count, `${at}: count`);
    refParam(step.probability, `${at}: probability`);
    refParam(step.order?.minTotalJpy, `${at}: order.minTotalJpy`);
    for (const d of delays) if (typeof d === 'string' && d.startsWith('order.') && !step.forEach) out.push(`${at}: ${d} needs forEach`);
    if (type) {
      const set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(step.set ?? {})) {
        if (typeof v === 'string' && v.startsWith('$')) {
          const name = v.slice(1);
          if (!params[name]) out.push(`${at}: set.${k} names unknown parameter "${name}"`);
          set[k] = 1;
        } else set[k] = v;
      }
      const needsEntity = step.order !== undefined || step.forEach !== undefined || s.scope === 'campaign';
      const probe = type.params.safeParse(set);
      if (!probe.success) {
        for (const issue of probe.error.issues) {
          const key = String(issue.path[0] ?? '');
          if ((ENGINE_FIELDS.has(key) && needsEntity) || MAILBOX_FIELDS.has(key)) continue;
          if (ENGINE_FIELDS.has(key)) out.push(`${at}: mail type ${step.mail} needs an ${key} (use order or forEach)`);
          else out.push(`${at}: set.${issue.path.join('.')}: ${issue.message}`);
        }
      }
    }
    stepIds.add(step.id);
  }
  for (const [name, p] of Object.entries(params)) {
    const used =
      JSON.stringify(s.steps).includes(`"${name}"`) || JSON.stringify(s.steps).includes(`"$${name}"`) || JSON.stringify(s.campaign ?? {}).includes(`"${name}"`);
    if (!used) out.push(`parameter "${name}" is never used`);
    if (p.dist === 'bernoulli' && p.unit !== 'share') out.push(`parameter "${name}": a bernoulli parameter has unit share`);
  }
  return out;
}

/** Read and check every scenario file of a folder; throws ScenarioError listing all problems. */
export function loadScenarios(dir = scenarioDir()): Scenario[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, json: JSON.parse(text) as unknown };
      } catch (e) {
        return { file, json: { __invalidJson: (e as Error).message } };
      }
    });
  const { scenarios, problems } = checkScenarios(files);
  if (problems.length) throw new ScenarioError(problems);
  return scenarios;
}

/** The parameter distributions of a scenario with the config's overrides applied. */
export function effectiveParams(s: Scenario, config: Config): Record<string, Dist> {
  const over = config.scenarios[s.id]?.params ?? {};
  const out: Record<string, Dist> = {};
  for (const [k, v] of Object.entries(s.parameters)) out[k] = over[k] ?? v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Eligibility and victims

export function meets(p: Persona, requirement: Scenario['requires'][number]): boolean {
  const m = p.marketplace;
  switch (requirement) {
    case 'marketplace':
      return m !== null;
    case 'dormant':
      return m !== null && m.dormant;
    case 'active':
      return m !== null && !m.dormant;
    case 'stale-address':
      return m?.staleAddress != null;
    case 'notifying-card':
      return p.cards.some((c) => c.brand.noticeEveryUse === true);
  }
}

function victimWeight(s: Scenario, p: Persona): number {
  let w = s.locales[p.locale];
  const m = p.marketplace;
  const vw = s.victimWeights;
  if (m) {
    if (m.password === 'numeric' && vw['password-numeric']) w *= vw['password-numeric'];
    if (m.password === 'weak' && vw['password-weak']) w *= vw['password-weak'];
    if (m.password === 'strong' && vw['password-strong']) w *= vw['password-strong'];
    if (m.twoFactor && vw['two-factor']) w *= vw['two-factor'];
  }
  return w;
}

export interface SaleWindow {
  id: string;
  start: number;
  end: number;
  locales: readonly Locale[];
  /** Factor on the owners' order rate while it runs. */
  orderMultiplier: number;
}

/** One incident of a mailbox scenario: whose, when, with which parameters. */
export interface IncidentPlan {
  id: string;
  scenario: Scenario;
  mailbox: string;
  onset: number;
  /** Sale event the onset falls in, if the scenario asked for one. */
  sale: string | null;
}

/** One campaign of a campaign scenario, shared by the mailboxes it targets. */
export interface CampaignPlan {
  id: string;
  scenario: Scenario;
  locale: Locale;
  style: PhishStyle;
  infra: PhishInfra;
  /** The mail family the campaign imitates (phishing.imitation), if its scenario draws one. */
  imitates?: string;
  waves: Array<{ start: number; duration: number }>;
  targetShare: number;
  params: Record<string, number>;
}

export interface PlanContext {
  root: Stream;
  config: Config;
  start: number;
  end: number;
  personas: readonly Persona[];
  scenarios: readonly Scenario[];
  sales: readonly SaleWindow[];
}

/** Thrown when the world cannot host the incidents the config asks for. */
export class PlanError extends AtoBenchError {}

function onsetTime(
  rng: Stream,
  s: Scenario,
  zone: ZoneName,
  lo: number,
  hi: number,
  sales: readonly SaleWindow[],
  locale: Locale,
): { t: number; sale: string | null } {
  let days: number[] = [];
  let sale: string | null = null;
  if (s.onset.during === 'sale-event') {
    const open = sales.filter((w) => w.locales.includes(locale) && w.end > lo && w.start < hi);
    if (open.length) {
      const w = rng.pick(open);
      sale = w.id;
      for (let d = Math.max(lo, w.start); d < Math.min(hi, w.end); d += DAY) days.push(d);
    }
  }
  if (days.length === 0) for (let d = lo; d < hi; d += DAY) days.push(d);
  // Seasonal onsets: a day's weight is the order-volume multiplier of the sale running then.
  const weights = days.map((d) =>
    s.onset.season === 'orders' ? (sales.find((w) => w.locales.includes(locale) && d >= w.start && d < w.end)?.orderMultiplier ?? 1) : 1,
  );
  // Draw a day and a time of day; redraw when the local time falls outside the window (clamping
  // would pile onsets up on the window's first second, an artefact a detector could learn).
  let t = NaN;
  for (let attempt = 0; attempt < 20 && !(t >= lo && t < hi); attempt++) {
    const r = attempt === 0 ? rng : rng.child('redraw', attempt);
    const day = r.weighted(days, weights);
    switch (s.onset.clock) {
      case 'any':
        t = day + r.int(0, DAY - 1);
        break;
      case 'owner':
        t = timeInDay(r, localMidnight(zone, day), 'shopping');
        break;
      case 'attacker':
        t = timeInDay(r, localMidnight('Asia/Shanghai', day), 'attacker');
        break;
      case 'night':
        t = localMidnight(zone, day) + r.int(0, 5 * HOUR - 1);
        break;
    }
  }
  return { t: Math.min(Math.max(t, lo), hi - 1), sale };
}

/**
 * How many instances each scenario gets: its own `count` if the config gives one; otherwise its
 * kind's prevalence (per 1,000 mailboxes for incidents, per 30 days for phishing campaigns)
 * shared among the kind's scenarios by weight, rounding by largest remainder (ties by id).
 */
export function scenarioCounts(config: Config, scenarios: readonly Scenario[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of ['ato', 'lookalike', 'phishing'] as const) {
    const ofKind = scenarios.filter((s) => s.kind === kind);
    const rate = config.prevalence[kind];
    const open: Array<{ id: string; weight: number }> = [];
    for (const s of ofKind) {
      const set = config.scenarios[s.id];
      if (set?.count !== undefined) counts.set(s.id, set.count);
      else if (rate !== undefined) open.push({ id: s.id, weight: set?.weight ?? 1 });
      else counts.set(s.id, 0);
    }
    if (rate === undefined) continue;
    const total = Math.round(kind === 'phishing' ? (rate * config.days) / 30 : (rate * config.mailboxes) / 1000);
    const weights = open.reduce((a, o) => a + o.weight, 0);
    const shares = open.map((o) => ({ id: o.id, exact: weights > 0 ? (total * o.weight) / weights : 0 }));
    let left = total - shares.reduce((a, x) => a + Math.floor(x.exact), 0);
    const byRemainder = [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || (a.id < b.id ? -1 : 1));
    for (const x of shares) counts.set(x.id, Math.floor(x.exact));
    for (const x of byRemainder) {
      if (left <= 0) break;
      if (x.exact === 0) continue;
      counts.set(x.id, counts.get(x.id)! + 1);
      left--;
    }
  }
  return counts;
}

/**
 * Choose the victims and onsets of every mailbox scenario, and draw every campaign. A mailbox
 * hosts at most one mailbox incident, so incidents never overlap in one mailbox's truth.
 * Derived from the seed and the config alone: every worker computes the same plan.
 */
export function planIncidents(ctx: PlanContext): { incidents: IncidentPlan[]; campaigns: CampaignPlan[] } {
  const { root, config } = ctx;
  const taken = new Set<string>();
  const incidents: IncidentPlan[] = [];
  const campaigns: CampaignPlan[] = [];
  const known = new Set(ctx.scenarios.map((s) => s.id));
  for (const id of Object.keys(config.scenarios).sort()) {
    if (!known.has(id)) throw new PlanError(`config scenarios.${id}: no such scenario; known: ${[...known].join(', ')}`);
  }
  const lo = ctx.start + config.warmupDays * DAY;
  const counts = scenarioCounts(config, ctx.scenarios);
  for (const s of ctx.scenarios) {
    const count = counts.get(s.id) ?? 0;
    if (count === 0) continue;
    const rng = root.child('plan', s.id);
    const hi = ctx.end - Math.ceil(s.onset.latestBeforeEnd * DAY);
    if (hi <= lo)
      throw new PlanError(
        `scenario ${s.id}: the window (${config.days} days, ${config.warmupDays} of warm-up) leaves no room for its timeline (${s.onset.latestBeforeEnd} days before the end)`,
      );
    if (s.scope === 'campaign') {
      const params = effectiveParams(s, config);
      for (let k = 0; k < count; k++) {
        const c = rng.child('campaign', k);
        const locale = c.child('locale').weightedKey(s.locales);
        const style = c.child('style').weightedKey(s.campaign!.styles as Record<PhishStyle, number>);
        const value = (ref: string | number): number => (typeof ref === 'number' ? ref : sample(params[ref]!, c.child('param', ref)));
        const nWaves = Math.max(1, Math.round(value(s.campaign!.waves)));
        const first = c.child('start').int(ctx.start, hi - 1);
        const waves: CampaignPlan['waves'] = [];
        let t = first;
        for (let w = 0; w < nWaves && t < hi; w++) {
          const duration = params.waveDuration ? sampleSeconds(params.waveDuration, c.child('wave-duration', w)) : 3 * HOUR;
          waves.push({ start: t, duration });
          const gap = s.campaign!.waveGap;
          t += typeof gap === 'number' ? gap * DAY : sampleSeconds(params[gap]!, c.child('wave-gap', w));
        }
        const drawn: Record<string, number> = {};
        for (const name of Object.keys(params).sort()) drawn[name] = sample(params[name]!, c.child('param', name));
        // A campaign imitating a family (a bank, a carrier...) spoofs or mimics a brand of that family.
        const imitates = s.campaign!.imitates ? c.child('imitates').weightedKey(s.campaign!.imitates as Record<string, number>) : undefined;
        const brand = imitates ? imitationBrand(imitates as ImitatedFamily, locale, c.child('brand')) : undefined;
        campaigns.push({
          id: 'cmp-' + root.id('campaign', s.id, k).slice(0, 10),
          scenario: s,
          locale,
          style,
          infra: phishInfra(c.child('infra'), style, locale, brand),
          ...(imitates ? { imitates } : {}),
          waves,
          targetShare: value(s.campaign!.targetShare),
          params: drawn,
        });
      }
      continue;
    }
    const eligible = ctx.personas.filter((p) => !taken.has(p.id) && s.requires.every((r) => meets(p, r)) && s.locales[p.locale] > 0);
    if (eligible.length < count) {
      throw new PlanError(
        `scenario ${s.id} asks for ${count} incidents but only ${eligible.length} mailboxes qualify (requires ${s.requires.join(', ') || 'nothing'}, one incident per mailbox); raise mailboxes or lower scenarios.${s.id}.count`,
      );
    }
    // Weighted sampling without replacement (Efraimidis & Spirakis): key = u^(1/w), keep the largest.
    const keyed = eligible.map((p) => ({ p, key: Math.pow(rng.child('victim', p.id).float(), 1 / victimWeight(s, p)) }));
    keyed.sort((a, b) => b.key - a.key || (a.p.id < b.p.id ? -1 : 1));
    const victims = keyed.slice(0, count).map((k) => k.p);
    victims.sort((a, b) => a.index - b.index);
    for (const p of victims) {
      taken.add(p.id);
      const { t, sale } = onsetTime(rng.child('onset', p.id), s, p.zone, lo, hi, ctx.sales, p.locale);
      incidents.push({ id: 'inc-' + root.id('incident', s.id, p.id).slice(0, 10), scenario: s, mailbox: p.id, onset: t, sale });
    }
  }
  incidents.sort((a, b) => a.onset - b.onset || (a.id < b.id ? -1 : 1));
  return { incidents, campaigns };
}

// ---------------------------------------------------------------------------------------------
// Expansion into mails

/** A mail an incident will send, before rendering. */
export interface PlannedMail {
  at: number;
  mailType: string;
  params: Record<string, unknown>;
  label: Label;
  role: string;
  step: string;
}

/** A stretch during which the intruder deletes or forwards this share of the mailbox's mail. */
export interface Silence {
  from: number;
  to: number;
  share: number;
}

export type Difficulty = 'easy' | 'medium' | 'hard';

/** What an expanded incident records in the truth besides its mails. */
export interface ExpandedIncident {
  mails: PlannedMail[];
  /** Drawn parameter values (in their own units) and derived facts. */
  params: Record<string, number | string | null>;
  platformNoticeAt: number | null;
  silences: Silence[];
  /** Signals the incident shows, sorted. */
  signals: Signal[];
  difficulty: Difficulty;
}

export interface ExpandContext {
  rng: Stream;
  config: Config;
  persona: Persona;
  sellers: SellerCatalog;
}

interface Emitted {
  at: number;
  order?: Order;
}

function sortedSpread(rng: Stream, n: number, base: number, spread: number): number[] {
  if (n <= 0) return [];
  const out = [base];
  for (let i = 1; i < n; i++) out.push(base + Math.round(rng.float() * spread));
  return out.sort((a, b) => a - b);
}

/** Steps whose declared signal needs several mails to count (one order is not a burst). */
const PLURAL_SIGNALS: ReadonlySet<Signal> = new Set(['order-burst', 'shipping-burst', 'one-time-codes', 'password-resets']);
const BURST = 5;

/**
 * How hard an incident is. A takeover is hard when it shows few of the usual signals; a
 * look-alike is hard when it shows many (the more it looks like a takeover, the harder it is not
 * to flag it). Phishing is judged by its sending style: a spoof fails authentication (easy), a
 * look-alike domain passes it (hard).
 */
export function difficultyOf(kind: ScenarioKind, signals: number, style?: string): Difficulty {
  if (kind === 'phishing') return style === 'spoof' ? 'easy' : style === 'lookalike' ? 'hard' : 'medium';
  if (kind === 'ato') return signals >= 5 ? 'easy' : signals >= 3 ? 'medium' : 'hard';
  return signals >= 4 ? 'hard' : signals >= 2 ? 'medium' : 'easy';
}

/** Signals that orders show by themselves: a burst, a high total, foreign sellers, a new address, a card never seen, digital goods. */
function orderSignals(spec: OrderSpec, orders: readonly Order[]): Signal[] {
  const out: Signal[] = [];
  if (orders.length === 0) return out;
  const first = orders[0]!.placedAt;
  if (orders.filter((o) => o.placedAt - first < DAY).length >= BURST) out.push('order-burst');
  if (orders.reduce((a, o) => a + o.totalJpy, 0) >= 100_000) out.push('high-value');
  if (orders.every((o) => o.seller.kind === 'foreign')) out.push('foreign-sellers');
  if (spec.shipTo === 'stale' || spec.shipTo === 'other') out.push('new-ship-to');
  if (spec.payment === 'unknown-card') out.push('unseen-card');
  if (orders.some((o) => o.digital)) out.push('digital-goods');
  return out;
}

/**
 * Fill what a step cannot say in its data: the mailbox's own bank, card or mobile carrier, a
 * place abroad or at home for sign-in notices, amounts in the owner's currency (scenario files
 * state money in JPY). Returns false when the mailbox has no such account (the mail is not sent).
 */
function bindEntities(ctx: ExpandContext, mailType: string, p: Record<string, unknown>, rng: Stream): boolean {
  const persona = ctx.persona;
  const loc = persona.locale;
  if (p.place === 'abroad') p.place = rng.pick(abroadPlaces(loc));
  else if (p.place === 'home') p.place = rng.pick(homePlaces(persona.zone));
  if (typeof p.amount === 'number' && loc === 'en') p.amount = Math.max(100, Math.round((p.amount / ctx.config.fx.usdJpy) * 100));
  else if (typeof p.amount === 'number') p.amount = Math.round(p.amount / 10) * 10;
  if (mailType.startsWith('bank.')) {
    const bank = persona.banks[0];
    if (!bank) return false;
    p.brand ??= bank;
  }
  if (mailType === 'card.online-use' || mailType === 'card.points-redeemed' || mailType === 'card.use-notice') {
    const card = persona.cards[0];
    if (!card) return false;
    p.brand ??= card.brand;
    if (mailType !== 'card.points-redeemed') p.last4 ??= card.last4;
  }
  if (mailType.startsWith('mobile.')) p.carrier ??= persona.mobile;
  if (mailType === 'service.one-time-code' && p.service === 'bank') {
    const bank = persona.banks[0];
    p.service = bank ? bank.name : loc === 'ja' ? 'ハナマート' : 'Hanamart';
    if (bank) p.domain = bank.sending.domain;
  }
  if (mailType === 'service.password-reset' && p.service === 'social' && persona.social.length === 0) p.service = 'shop';
  return true;
}

/** Expand one incident (mailbox scope) or one campaign hit (campaign scope, `wave` given). */
export function expand(
  ctx: ExpandContext,
  s: Scenario,
  anchor: { onset: number } | { wave: { start: number; duration: number }; infra: PhishInfra; imitates?: string; style?: string },
): ExpandedIncident {
  const { rng, config } = ctx;
  const params = effectiveParams(s, config);
  const drawn: Record<string, number> = {};
  // Every parameter is drawn once per incident, in name order, each from its own stream.
  for (const name of Object.keys(params).sort()) drawn[name] = sample(params[name]!, rng.child('param', name));
  const seconds = (ref: string | number): number => {
    if (typeof ref === 'number') return Math.round(ref * HOUR);
    const d = params[ref]!;
    const k = d.unit === 'min' ? MINUTE : d.unit === 'd' ? DAY : HOUR;
    return Math.round(drawn[ref]! * k);
  };
  const value = (ref: string | number | undefined, dflt: number): number => (ref === undefined ? dflt : typeof ref === 'number' ? ref : drawn[ref]!);

  const emitted = new Map<string, Emitted[]>();
  const mails: PlannedMail[] = [];
  const facts: Record<string, number | string | null> = {};
  const silences: Silence[] = [];
  const signals = new Set<Signal>();
  if (ctx.persona.marketplace?.dormant && s.requires.includes('dormant')) signals.add('dormant-account');
  let platformNoticeAt: number | null = null;
  const base = 'onset' in anchor ? anchor.onset : anchor.wave.start;

  for (const step of s.steps) {
    const srng = rng.child('step', step.id);
    const out: Emitted[] = [];
    emitted.set(step.id, out);
    if (step.requires && (emitted.get(step.requires)?.length ?? 0) === 0) continue;
    if (step.probability !== undefined && !srng.child('probability').bool(value(step.probability, 1))) continue;
    const type = step.mail ? mailTypeById(step.mail) : undefined;

    const anchorTime = (after: string, each?: Emitted): number => {
      if (after === 'onset') return base;
      if (after === 'wave' && 'wave' in anchor) return anchor.wave.start + Math.round(srng.child('wave-offset').float() * anchor.wave.duration);
      if (after === 'each') return each!.at;
      const last = after.endsWith('.last');
      const list = emitted.get(after.replace(/\.last$/, '')) ?? [];
      if (list.length === 0) return NaN;
      return last ? list[list.length - 1]!.at : list[0]!.at;
    };
    const delayOf = (each?: Emitted): number => {
      const refs = step.when.delay === undefined ? [] : Array.isArray(step.when.delay) ? step.when.delay : [step.when.delay];
      let sum = 0;
      for (const r of refs) {
        if (r === 'order.shipAfter') sum += each?.order?.shipAfter ?? 0;
        else if (r === 'order.deliverAfter') sum += each?.order?.deliverAfter ?? 0;
        else sum += seconds(r);
      }
      return sum;
    };

    if (step.silence) {
      const from = anchorTime(step.when.after) + delayOf();
      if (Number.isFinite(from)) {
        silences.push({ from, to: from + seconds(step.silence.for), share: Math.min(1, Math.max(0, value(step.silence.share, 1))) });
        out.push({ at: from });
        for (const sig of step.signals ?? []) signals.add(sig);
      }
      continue;
    }

    let targets: Array<{ at: number; parent?: Emitted }> = [];
    if (step.forEach) {
      let parents = emitted.get(step.forEach) ?? [];
      if (step.count !== undefined) {
        const n = Math.min(parents.length, Math.max(0, Math.round(value(step.count, parents.length))));
        parents = srng
          .child('subset')
          .shuffle(parents)
          .slice(0, n)
          .sort((a, b) => a.at - b.at);
      }
      if (step.when.after === 'each') {
        targets = parents.map((p, i) => ({
          at: p.at + delayOf(p) + (step.when.spread !== undefined ? Math.round(srng.child('jitter', i).float() * seconds(step.when.spread)) : 0),
          parent: p,
        }));
      } else {
        const start = anchorTime(step.when.after) + delayOf();
        const spread = step.when.spread !== undefined ? seconds(step.when.spread) : 0;
        const times = sortedSpread(srng.child('spread'), parents.length, start, spread);
        targets = parents.map((p, i) => ({ at: times[i]!, parent: p }));
      }
    } else {
      const n = Math.max(0, Math.round(value(step.count, 1)));
      const start = anchorTime(step.when.after) + delayOf();
      const spread = step.when.spread !== undefined ? seconds(step.when.spread) : 0;
      targets = sortedSpread(srng.child('spread'), n, start, spread).map((at) => ({ at }));
    }

    // Orders are planned before rendering, so a step's total can be raised to its minimum.
    let orders: Order[] = [];
    if (step.order) {
      const spec = step.order;
      const orderCtx = (i: number) => ({ rng: srng.child('order', i), sellers: ctx.sellers, persona: ctx.persona, usdJpy: config.fx.usdJpy });
      // One drop address for the whole step (an intruder's, a family member's); gifts go to several people.
      const recipientFor = (i: number) =>
        spec.shipTo === 'family'
          ? familyMember(srng.child('recipient'), ctx.persona)
          : spec.shipTo === 'other'
            ? otherRecipient(srng.child('recipient', spec.sameRecipient === false ? i : 0), ctx.persona)
            : undefined;
      orders = targets.map((t, i) => {
        const recipient = recipientFor(i);
        return planOrder(orderCtx(i), t.at, {
          seller: spec.seller,
          products: spec.products,
          shipTo: spec.shipTo,
          payment: spec.payment,
          thirdPartyShare: config.traffic.thirdPartyShare,
          crossBorderShare: config.traffic.crossBorderShare,
          ...(recipient ? { recipient } : {}),
        });
      });
      if (spec.minTotalJpy !== undefined) {
        const min = value(spec.minTotalJpy, 0);
        // Swap the cheapest order for a pricier item until the burst reaches its total.
        for (let round = 0; round < orders.length * 2 && orders.reduce((a, o) => a + o.totalJpy, 0) < min; round++) {
          let cheapest = 0;
          orders.forEach((o, i) => (o.totalJpy < orders[cheapest]!.totalJpy ? (cheapest = i) : 0));
          orders[cheapest] = withPricierItem({ ...orderCtx(cheapest), rng: srng.child('order', cheapest, 'up', round) }, orders[cheapest]!);
        }
      }
      facts[`${step.id}.count`] = orders.length;
      facts[`${step.id}.totalJpy`] = orders.reduce((a, o) => a + o.totalJpy, 0);
      for (const sig of orderSignals(spec, orders)) signals.add(sig);
    }

    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(step.set ?? {})) set[k] = typeof v === 'string' && v.startsWith('$') ? drawn[v.slice(1)] : v;

    targets.forEach((t, i) => {
      if (!Number.isFinite(t.at)) return;
      const order = orders[i] ?? t.parent?.order;
      const p: Record<string, unknown> = { ...set };
      if (order) p.order = order;
      if ('infra' in anchor) {
        p.infra = anchor.infra;
        if (anchor.imitates !== undefined) p.imitates = anchor.imitates;
      }
      if (!bindEntities(ctx, step.mail!, p, srng.child('bind', i))) return;
      if (type?.applies && !type.applies(ctx.persona, p)) return;
      out.push({ at: t.at, ...(order ? { order } : {}) });
      mails.push({ at: t.at, mailType: step.mail!, params: p, label: step.label ?? s.kind, role: step.role, step: step.id });
      if (step.marks === 'platformNoticeAt' && platformNoticeAt === null) platformNoticeAt = t.at;
    });
    if (!step.order) facts[`${step.id}.count`] = out.length;
    for (const sig of step.signals ?? [])
      if (out.length >= (PLURAL_SIGNALS.has(sig) ? (sig === 'order-burst' || sig === 'shipping-burst' ? BURST : 2) : 1)) signals.add(sig);
  }
  mails.sort((a, b) => a.at - b.at);
  const sorted = [...signals].sort();
  const style = 'style' in anchor ? anchor.style : undefined;
  return { mails, params: { ...drawn, ...facts }, platformNoticeAt, silences, signals: sorted, difficulty: difficultyOf(s.kind, sorted.length, style) };
}

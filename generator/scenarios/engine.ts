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
import { phishInfra } from '../mail/templates/phishing.js';
import type { PhishInfra, PhishStyle } from '../mail/templates/phishing.js';
import { planOrder, withPricierItem } from '../world/orders.js';
import type { Order } from '../world/orders.js';
import type { Persona } from '../world/persona.js';
import type { SellerCatalog } from '../world/sellers.js';
import type { Locale } from '../vocab/types.js';
import { timeInDay } from '../traffic/rhythm.js';
import type { Label, Scenario } from './schema.js';
import { ScenarioSchema } from './schema.js';

export const SCENARIO_DIR = join(packageRoot(), 'generator', 'scenarios', 'library');

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenarios:\n  ${problems.join('\n  ')}`);
    this.name = 'ScenarioError';
  }
}

/** Fields a mail type receives from the engine rather than from a step's `set`. */
const ENGINE_FIELDS = new Set(['order', 'infra']);

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
    const type = mailTypeById(step.mail);
    if (!type) out.push(`${at}: unknown mail type "${step.mail}"`);
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
          if (ENGINE_FIELDS.has(key) && needsEntity) continue;
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
export function loadScenarios(dir = SCENARIO_DIR): Scenario[] {
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
export class PlanError extends Error {}

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
  const day = rng.pick(days);
  let t: number;
  switch (s.onset.clock) {
    case 'any':
      t = day + rng.int(0, DAY - 1);
      break;
    case 'owner':
      t = timeInDay(rng, localMidnight(zone, day), 'shopping');
      break;
    case 'attacker':
      t = timeInDay(rng, localMidnight('Asia/Shanghai', day), 'attacker');
      break;
  }
  return { t: Math.min(Math.max(t, lo), hi - 1), sale };
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
  for (const s of ctx.scenarios) {
    const count = config.scenarios[s.id]?.count ?? 0;
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
        campaigns.push({
          id: 'cmp-' + root.id('campaign', s.id, k).slice(0, 10),
          scenario: s,
          locale,
          style,
          infra: phishInfra(c.child('infra'), style, locale),
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

/** What an expanded incident records in the truth besides its mails. */
export interface ExpandedIncident {
  mails: PlannedMail[];
  /** Drawn parameter values (in their own units) and derived facts. */
  params: Record<string, number | string | null>;
  platformNoticeAt: number | null;
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

/** Expand one incident (mailbox scope) or one campaign hit (campaign scope, `wave` given). */
export function expand(
  ctx: ExpandContext,
  s: Scenario,
  anchor: { onset: number } | { wave: { start: number; duration: number }; infra: PhishInfra },
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
  let platformNoticeAt: number | null = null;
  const base = 'onset' in anchor ? anchor.onset : anchor.wave.start;

  for (const step of s.steps) {
    const srng = rng.child('step', step.id);
    const out: Emitted[] = [];
    emitted.set(step.id, out);
    if (step.requires && (emitted.get(step.requires)?.length ?? 0) === 0) continue;
    if (step.probability !== undefined && !srng.child('probability').bool(value(step.probability, 1))) continue;
    const type = mailTypeById(step.mail);

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
      orders = targets.map((t, i) =>
        planOrder(orderCtx(i), t.at, {
          seller: spec.seller,
          products: spec.products,
          shipTo: spec.shipTo,
          payment: spec.payment,
          thirdPartyShare: config.traffic.thirdPartyShare,
          crossBorderShare: config.traffic.crossBorderShare,
        }),
      );
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
    }

    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(step.set ?? {})) set[k] = typeof v === 'string' && v.startsWith('$') ? drawn[v.slice(1)] : v;

    targets.forEach((t, i) => {
      if (!Number.isFinite(t.at)) return;
      const order = orders[i] ?? t.parent?.order;
      const p: Record<string, unknown> = { ...set };
      if (order) p.order = order;
      if ('infra' in anchor) p.infra = anchor.infra;
      if (type?.applies && !type.applies(ctx.persona, p)) return;
      out.push({ at: t.at, ...(order ? { order } : {}) });
      mails.push({ at: t.at, mailType: step.mail, params: p, label: step.label ?? s.kind, role: step.role, step: step.id });
      if (step.marks === 'platformNoticeAt' && platformNoticeAt === null) platformNoticeAt = t.at;
    });
    if (!step.order) facts[`${step.id}.count`] = out.length;
  }
  mails.sort((a, b) => a.at - b.at);
  return { mails, params: { ...drawn, ...facts }, platformNoticeAt };
}

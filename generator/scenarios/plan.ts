/**
 * Planning incidents: which scenario strikes which mailbox when, and which phishing campaigns run,
 * all drawn from the seed and the world before any mailbox is simulated. The pipeline calls it
 * once per worker (every worker plans the same incidents); the mailboxes then expand their own
 * incidents into mails (expand.ts).
 */
import { sample, sampleSeconds } from '../core/dist.js';
import type { Stream } from '../core/rng.js';
import { DAY, HOUR, localMidnight } from '../core/time.js';
import type { ZoneName } from '../core/time.js';
import { timeInDay } from '../core/rhythm.js';
import { AtoBenchError } from '../core/errors.js';
import type { Config } from '../config.js';
import type { Locale } from '../vocab/types.js';
import type { MailboxFacts } from '../world/persona.js';
import { imitationBrand, phishInfra } from '../world/phishing.js';
import type { ImitatedFamily, PhishInfra, PhishStyle } from '../world/phishing.js';
import type { SaleWindow, World } from '../world/world.js';
import { effectiveParams, loadScenarios } from './load.js';
import type { Scenario } from './schema.js';

/** The incidents and campaigns of a dataset, and the scenarios they came from. */
export interface Plan {
  scenarios: Scenario[];
  incidents: IncidentPlan[];
  campaigns: CampaignPlan[];
}

/** Plan the incidents of a world (the scenario library by default). */
export function planWorld(world: World, scenarios: Scenario[] = loadScenarios()): Plan {
  const { root, config, start, end, mailboxes, sales } = world;
  return { scenarios, ...planIncidents({ root, config, start, end, mailboxes, scenarios, sales }) };
}

// ---------------------------------------------------------------------------------------------
// Eligibility and victims

export function meets(p: MailboxFacts, requirement: Scenario['requires'][number]): boolean {
  const m = p.marketplace;
  switch (requirement) {
    case 'marketplace':
      return m !== null;
    case 'dormant':
      return m !== null && m.dormant;
    case 'active':
      return m !== null && !m.dormant;
    case 'stale-address':
      return m !== null && m.staleAddress;
    case 'notifying-card':
      return p.notifyingCard;
  }
}

function victimWeight(s: Scenario, p: MailboxFacts): number {
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
  mailboxes: readonly MailboxFacts[];
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
    const eligible = ctx.mailboxes.filter((p) => !taken.has(p.id) && s.requires.every((r) => meets(p, r)) && s.locales[p.locale] > 0);
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

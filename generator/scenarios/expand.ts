/**
 * Expanding an incident into the mails it sends: steps, parameters and timings. What a mail says
 * belongs to the mail types, who is eligible to the persona predicates (plan.ts), and which
 * scenarios exist to load.ts.
 */
import { sample } from '../core/dist.js';
import type { Stream } from '../core/rng.js';
import { DAY, HOUR, MINUTE } from '../core/time.js';
import type { Config } from '../config.js';
import { mailTypeById } from '../mail/templates/index.js';
import type { PhishInfra } from '../world/phishing.js';
import { planOrder, withPricierItem } from '../world/orders.js';
import type { Order } from '../world/orders.js';
import { familyMember, otherRecipient } from '../world/persona.js';
import type { Persona } from '../world/persona.js';
import type { SellerCatalog } from '../world/sellers.js';
import { abroadPlaces, homePlaces } from '../vocab/places.js';
import type { Label, OrderSpec, Scenario, ScenarioKind, Signal } from './schema.js';
import { effectiveParams } from './load.js';

/** A mail an incident will send, before rendering. */
export interface PlannedMail {
  at: number;
  mailType: string;
  params: Record<string, unknown>;
  label: Label;
  role: string;
  step: string;
}

/** A stretch during which this share of the mailbox's mail (or of the mail of some types) never arrives. */
export interface Silence {
  from: number;
  to: number;
  share: number;
  /** Mail type ids or family prefixes (`marketplace.`) it applies to; all mail when absent. */
  only?: readonly string[];
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
        const share = Math.min(1, Math.max(0, value(step.silence.share, 1)));
        silences.push({ from, to: from + seconds(step.silence.for), share, ...(step.silence.only ? { only: step.silence.only } : {}) });
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
          placedBy: s.kind === 'ato' ? 'intruder' : 'owner',
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

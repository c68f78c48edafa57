/**
 * One mailbox's stream, simulated as a discrete-event process: every source (newsletters,
 * shopping, finance, social, personal threads, security, spam, phishing campaigns, incidents)
 * schedules its next event in a heap; firing an event renders its mail and may schedule
 * follow-ups (an order's shipping notice, a thread's reply). Memory holds pending events only,
 * so it stays flat however many days are simulated; `advance(until)` yields mail in time order.
 */
import type { Stream } from '../core/rng.js';
import { DAY, HOUR, MINUTE, localMidnight, localTime, offsetMinutes } from '../core/time.js';
import type { ZoneName } from '../core/time.js';
import { compose, headerValue, newMessageId } from '../mail/compose.js';
import type { Recipient } from '../mail/compose.js';
import { mailTypeById } from '../mail/templates/index.js';
import type { AnyMailType } from '../mail/templates/index.js';
import { mailWorld } from '../mail/templates/types.js';
import type { Category, MailWorld } from '../mail/templates/types.js';
import { listZone } from '../mail/templates/lists.js';
import { PERSONAL_TOPICS, SPAM_THEMES, personalProfile } from '../mail/templates/people.js';
import type { Thread } from '../mail/templates/people.js';
import { trackingNumber } from '../world/carriers.js';
import type { Mail } from '../mail/types.js';
import { expand } from '../scenarios/expand.js';
import type { Difficulty, ExpandedIncident, Silence } from '../scenarios/expand.js';
import type { Plan } from '../scenarios/plan.js';
import type { Label, Scenario, ScenarioKind } from '../scenarios/schema.js';
import { MERCHANTS } from '../vocab/merchants.js';
import { homePlaces } from '../vocab/places.js';
import { MARKETPLACE } from '../world/brands.js';
import { PRODUCTS as products } from '../vocab/catalog.js';
import type { Locale, NewsletterList } from '../vocab/types.js';
import { planOrder, shopPrice, usdCents } from '../world/orders.js';
import type { Order } from '../world/orders.js';
import type { Persona } from '../world/persona.js';
import type { World } from '../world/world.js';
import { cascade, nextArrival, nextArrivalInStretches } from '../core/rhythm.js';
import type { Rhythm, Stretch } from '../core/rhythm.js';

/** What drives a source's day-to-day activity: the owner's doings, or spam's own waves. */
type Driver = 'owner' | 'spam';

/** One generated email with its truth. */
export interface SimEmail {
  id: string;
  mailbox: string;
  at: number;
  zone: ZoneName;
  mail: Mail;
  subject: string;
  label: Label;
  category: Category;
  type: string;
  /** The template version that wrote it, for senders with several (`<edition>/<variant>`). */
  template?: string;
  incident?: string;
  role?: string;
}

export interface IncidentTruth {
  id: string;
  mailbox: string;
  scenario: string;
  kind: ScenarioKind;
  onset: number;
  end: number;
  platformNoticeAt: number | null;
  difficulty: Difficulty;
  signals: string[];
  emailIds: string[];
  params: Record<string, unknown>;
}

interface Event {
  at: number;
  seq: number;
  fire: () => void;
}

/** Binary min-heap on (at, seq): ties fire in scheduling order, so the run is deterministic. */
class EventHeap {
  private items: Event[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Event | undefined {
    return this.items[0];
  }
  private less(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  push(e: Event): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Event | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const SOCIAL_KINDS = ['like', 'comment', 'follow', 'message', 'mention'] as const;

function type(id: string): AnyMailType {
  const t = mailTypeById(id);
  if (!t) throw new Error(`unknown mail type ${id}`);
  return t;
}

export class MailboxSim {
  private readonly heap = new EventHeap();
  private seq = 0;
  private now: number;
  private readonly counters = new Map<string, number>();
  private readonly rng: Stream;
  private readonly recipient: Recipient;
  private out: SimEmail[] = [];
  private readonly incidents = new Map<string, IncidentTruth>();
  /** Stretches during which an intruder deletes or forwards part of this mailbox's mail. */
  private readonly silences: Silence[] = [];

  private readonly mailWorld: MailWorld;

  constructor(
    private readonly world: World,
    private readonly plan: Plan,
    readonly persona: Persona,
  ) {
    this.mailWorld = mailWorld(world);
    this.rng = world.root.child('sim', persona.id);
    this.now = world.start;
    this.recipient = { address: persona.address, displayName: persona.displayName, provider: persona.provider };
    this.newsletters();
    this.promotions();
    this.social();
    this.personal();
    this.shopping();
    this.webShops();
    this.finance();
    this.security();
    this.spam();
    this.campaigns();
    this.scenarioIncidents();
  }

  /** Fire every event before `until`; returns the mail they produced, in time order. */
  advance(until: number): SimEmail[] {
    for (let e = this.heap.peek(); e && e.at < until; e = this.heap.peek()) {
      this.heap.pop();
      this.now = e.at;
      e.fire();
    }
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Truth of the incidents that produced at least one mail (call after the last advance). */
  incidentTruth(): IncidentTruth[] {
    return [...this.incidents.values()].filter((i) => i.emailIds.length > 0);
  }

  private schedule(at: number, fire: () => void): void {
    const t = Math.max(Math.round(at), this.now);
    if (t >= this.world.end || !Number.isFinite(t)) return;
    this.heap.push({ at: t, seq: this.seq++, fire });
  }

  private emit(
    source: string,
    mailType: AnyMailType,
    params: Record<string, unknown>,
    at: number,
    meta: { label: Label; incident?: string; role?: string } = { label: 'benign' },
  ): SimEmail | null {
    const n = this.counters.get(source) ?? 0;
    this.counters.set(source, n + 1);
    const key = `${source}#${n}`;
    // Mail an intruder deletes or forwards never reaches the inbox (the incident's own mail does).
    if (!meta.incident && this.silences.length && this.silenced(at, key, mailType.id)) return null;
    const rng = this.rng.child('mail', key);
    const spec = mailType.render({ rng, persona: this.persona, world: this.mailWorld, at }, params);
    const mail = compose(spec, this.recipient, at, rng);
    const email: SimEmail = {
      id: this.world.root.id('email', this.persona.id, key),
      mailbox: this.persona.id,
      at,
      zone: this.persona.zone,
      mail,
      subject: spec.subject,
      label: meta.label,
      category: mailType.category,
      type: mailType.id,
      ...(spec.template ? { template: spec.template } : {}),
      ...(meta.incident ? { incident: meta.incident } : {}),
      ...(meta.role ? { role: meta.role } : {}),
    };
    this.out.push(email);
    if (meta.incident) {
      const inc = this.incidents.get(meta.incident);
      if (inc) {
        if (inc.emailIds.length === 0) inc.onset = at;
        inc.end = at;
        inc.emailIds.push(email.id);
      }
    }
    return email;
  }

  private silenced(at: number, key: string, type: string): boolean {
    for (const s of this.silences) {
      if (at < s.from || at >= s.to) continue;
      if (s.only && !s.only.some((o) => (o.endsWith('.') ? type.startsWith(o) : type === o))) continue;
      if (this.rng.child('silence', key).bool(s.share)) return true;
    }
    return false;
  }

  private rhythm(daily: Rhythm['daily'], weekly: Rhythm['weekly'] = 'personal', zone: ZoneName = this.persona.zone): Rhythm {
    return { daily, weekly, zone };
  }

  /**
   * Day-to-day activity (log-normal, mean 1, drawn once per mailbox and driver): busy days and
   * quiet ones. The owner's is shared by every source the owner's doings drive, so a busy day
   * brings orders, notifications, recommendations and replies together and a quiet stretch none
   * of them; spam comes in its own waves (a list sold on, a campaign's run). Days run from the
   * owner's local midnight at the window's start (a later DST shift moves the boundary by an hour,
   * which does not matter here).
   */
  private dayFactors(driver: Driver): Float64Array {
    const have = this.days.get(driver);
    if (have) return have;
    const sigma = this.world.config.traffic.dayActivitySigma;
    const r = this.rng.child('day-activity', driver);
    const n = Math.ceil((this.world.end - this.world.start) / DAY) + 2;
    const days = Float64Array.from({ length: n }, () => r.lognormal(Math.exp((-sigma * sigma) / 2), sigma));
    this.days.set(driver, days);
    return days;
  }

  private readonly days = new Map<Driver, Float64Array>();

  private readonly stretches = new Map<Driver, (t: number) => Stretch>();

  /** The day a time falls in, and that day's factor, for a driver (made once per driver: it runs for every arrival). */
  private stretch(driver: Driver): (t: number) => Stretch {
    let f = this.stretches.get(driver);
    if (f) return f;
    const origin = this.world.start - offsetMinutes(this.persona.zone, this.world.start) * 60 - DAY;
    const days = this.dayFactors(driver);
    f = (t) => {
      const d = Math.floor((t - origin) / DAY);
      return { factor: days[d] ?? 1, end: origin + (d + 1) * DAY };
    };
    this.stretches.set(driver, f);
    return f;
  }

  /**
   * A self-rescheduling Poisson source; with a `driver`, its rate follows that driver's day-to-day
   * activity.
   */
  private poissonSource(
    name: string,
    perDay: number,
    r: Rhythm,
    fire: (t: number, rng: Stream) => void,
    boost?: (t: number) => number,
    boostMax = 1,
    driver?: Driver,
  ): void {
    if (perDay <= 0) return;
    const rng = this.rng.child('source', name);
    const next = (after: number): void => {
      const t = driver
        ? nextArrivalInStretches(rng, after, this.world.end, perDay, r, this.stretch(driver), boost, boostMax)
        : nextArrival(rng, after, perDay, r, boost, boostMax);
      this.schedule(t, () => {
        fire(t, rng);
        next(t);
      });
    };
    next(this.world.start);
  }

  /** A Poisson source the owner's doings drive: its rate follows the owner's day-to-day activity. */
  private ownerSource(name: string, perDay: number, r: Rhythm, fire: (t: number, rng: Stream) => void, boost?: (t: number) => number, boostMax = 1): void {
    this.poissonSource(name, perDay, r, fire, boost, boostMax, 'owner');
  }

  private saleAt(t: number): { id: string; orderMultiplier: number; promoPerDay: number } | undefined {
    for (const s of this.world.sales) {
      if (t >= s.start && t < s.end && s.locales.includes(this.persona.locale)) {
        const e = this.world.config.saleEvents.find((x) => x.id === s.id)!;
        return { id: s.id, orderMultiplier: e.orderMultiplier, promoPerDay: e.promoPerDay };
      }
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Sources

  private newsletters(): void {
    for (const sub of this.persona.subscriptions) {
      const list = sub.list;
      const zone = listZone(list, sub.locale);
      const from = this.world.start + Math.max(0, sub.sinceOffsetDays) * DAY;
      const rng = this.rng.child('list', list.id);
      const next = (after: number): void => {
        const issue = nextIssue(this.world.root, list, zone, after);
        if (!issue) return;
        // Bulk sends reach each subscriber seconds to minutes apart.
        const at = issue.sentAt + Math.round(rng.exp(4 * MINUTE)) + 1;
        this.schedule(at, () => {
          this.emit(`list:${list.id}`, type('newsletter.issue'), { list, issue: issue.number, locale: sub.locale, sentAt: issue.sentAt }, at);
          next(issue.sentAt + HOUR);
        });
      };
      next(from);
    }
  }

  private promotions(): void {
    const m = this.persona.marketplace;
    if (!m) return;
    // Busier mailboxes get more of everything, promotions included (one volume factor per mailbox).
    const base = (this.world.config.traffic.promosPerWeek / 7) * Math.sqrt(this.persona.activity);
    const maxPromo = Math.max(0, ...this.world.config.saleEvents.map((e) => e.promoPerDay));
    const boost = (t: number): number => 1 + (this.saleAt(t)?.promoPerDay ?? 0) / Math.max(base, 1e-6);
    this.poissonSource(
      'promo',
      base,
      this.rhythm('business', 'flat'),
      (t) => this.emit('promo', type('marketplace.promo'), this.saleAt(t) ? { sale: this.saleAt(t)!.id } : {}, t),
      boost,
      1 + maxPromo / Math.max(base, 1e-6),
      // Recommendations follow what the owner browses: busy days bring more.
      'owner',
    );
  }

  private social(): void {
    const t = this.world.config.traffic;
    for (const { network, perDay } of this.persona.social) {
      const contacts = this.persona.contacts;
      this.ownerSource(`social:${network.id}`, perDay / (1 + t.cascadeMean), this.rhythm('social'), (at, rng) => {
        const kind = rng.bool(0.12) ? 'digest' : rng.pick(SOCIAL_KINDS);
        const actor = contacts.length && rng.bool(0.7) ? rng.pick(contacts).name : rng.pick(this.world.mailboxes).displayName;
        this.emit(`social:${network.id}`, type('social.notification'), { network, kind, actor, count: rng.int(2, 30) }, at);
        if (kind === 'digest') return;
        // Activity on a post draws more reactions shortly after: a cascade.
        for (const dt of cascade(rng, t.cascadeMean, 10 * MINUTE)) {
          const k = rng.pick(['like', 'comment'] as const);
          const who = contacts.length ? rng.pick(contacts).name : actor;
          this.schedule(at + dt, () =>
            this.emit(`social:${network.id}`, type('social.notification'), { network, kind: k, actor: who, count: rng.int(2, 30) }, at + dt),
          );
        }
      });
    }
  }

  private personal(): void {
    const { contacts } = this.persona;
    if (contacts.length === 0) return;
    const t = this.world.config.traffic;
    const weights = contacts.map((c) => c.weight);
    // Personal mail comes from other people's doings, not the owner's: it keeps its own rhythm.
    this.poissonSource('threads', (t.personalThreadsPerWeek / 7) * Math.pow(this.persona.activity, 0.8), this.rhythm('personal'), (at, rng) => {
      const contact = rng.weighted(contacts, weights);
      const topic = rng.pick(PERSONAL_TOPICS[contact.locale]);
      const thread: Thread = { contact, topic, references: [] };
      const replies = rng.geometric(1 / (1 + t.repliesPerThread));
      const ownerProfile = personalProfile({ ...contact, provider: this.persona.provider, zone: this.persona.zone });
      const send = (when: number, k: number): void => {
        this.schedule(when, () => {
          const e = this.emit('personal', type('personal.message'), { contact, thread, reply: k > 0 }, when);
          if (e) thread.references.push(headerValue(e.mail, 'Message-ID')!);
          if (k >= replies) return;
          // The owner answers (their mail is in Sent, not here); the contact answers back later.
          const ownerReply = when + Math.round(rng.lognormal(2 * HOUR, 1.3));
          thread.references.push(newMessageId(rng, ownerProfile, ownerReply));
          send(ownerReply + Math.round(rng.lognormal(3 * HOUR, 1.3)), k + 1);
        });
      };
      send(at, 0);
    });
  }

  private shopping(): void {
    const m = this.persona.marketplace;
    if (!m || m.dormant || m.ordersPerMonth <= 0) return;
    const t = this.world.config.traffic;
    const maxMult = Math.max(1, ...this.world.config.saleEvents.map((e) => e.orderMultiplier));
    const boost = (at: number): number => this.saleAt(at)?.orderMultiplier ?? 1;
    this.ownerSource(
      'orders',
      m.ordersPerMonth / 30 / (1 + t.sessionExtraOrders),
      this.rhythm('shopping', 'shopping'),
      (at, rng) => {
        const n = 1 + rng.poisson(t.sessionExtraOrders);
        let when = at;
        for (let i = 0; i < n; i++) {
          const placed = when;
          this.schedule(placed, () => this.ownOrder(placed, rng));
          when += Math.round(rng.exp(8 * MINUTE)) + 30;
        }
      },
      boost,
      maxMult,
    );
  }

  private ownOrder(at: number, rng: Stream): void {
    const t = this.world.config.traffic;
    const n = this.counters.get('own-order') ?? 0;
    this.counters.set('own-order', n + 1);
    const order: Order = planOrder(
      { rng: this.rng.child('own-order', n), sellers: this.world.sellers, persona: this.persona, usdJpy: this.world.config.fx.usdJpy },
      at,
      { seller: 'owner-mix', products: 'any', shipTo: 'home', payment: 'stored', thirdPartyShare: t.thirdPartyShare, crossBorderShare: t.crossBorderShare },
    );
    this.emit('orders', type('marketplace.order-confirmation'), { order }, at);
    const cardNotice = type('card.order-notice');
    if (cardNotice.applies?.(this.persona, { order }) !== false) {
      const when = at + Math.round(rng.exp(6 * MINUTE)) + 20;
      this.schedule(when, () => this.emit('card', cardNotice, { order }, when));
    }
    // Some owners pay at a convenience store or by bank transfer (a payment-completed mail
    // follows), redeem points, or cancel now and then: the same mails a takeover variant sends.
    const extra = this.rng.child('own-order-extra', n);
    if (extra.bool(0.15)) {
      const when = at + Math.round(extra.uniform(0.2, 30) * HOUR);
      this.schedule(when, () => this.emit('orders', type('marketplace.payment-confirmed'), { order }, when));
    }
    if (extra.bool(0.08)) {
      const when = at + Math.round(extra.uniform(1, 10) * MINUTE);
      const points = Math.min(order.totalJpy, Math.round(extra.lognormal(800, 0.8)));
      this.schedule(when, () => this.emit('orders', type('marketplace.points-used'), { points }, when));
    }
    if (extra.bool(0.03)) {
      const when = at + Math.round(extra.uniform(0.1, 6) * HOUR);
      this.schedule(when, () => this.emit('orders', type('marketplace.order-cancelled'), { order }, when));
      return;
    }
    if (order.digital) return;
    const shippedAt = at + order.shipAfter;
    this.schedule(shippedAt, () => {
      this.emit('orders', type('marketplace.shipped'), { order }, shippedAt);
      const foreign = order.seller.kind === 'foreign';
      if (rng.bool(foreign ? 0.6 : 0.85)) {
        const deliveredAt = shippedAt + order.deliverAfter;
        this.schedule(deliveredAt, () => this.emit('orders', type('marketplace.delivered'), { order }, deliveredAt));
      }
    });
  }

  private webShops(): void {
    const shops = this.persona.webShops;
    if (shops.length === 0) return;
    const loc = this.persona.locale;
    this.ownerSource(
      'shops',
      (this.world.config.traffic.webShopOrdersPerMonth / 30) * Math.sqrt(this.persona.activity),
      this.rhythm('shopping', 'shopping'),
      (at, rng) => {
        const shop = rng.pick(shops);
        const pool = products.filter((p) => shop.categories.includes(p.category) && !p.digital);
        const product = rng.pick(pool.length ? pool : products);
        const jpy = shopPrice(rng, product.priceJpy);
        const carrier = loc === 'ja' ? rng.pick(['yamato', 'sagawa', 'japanpost-yupack'] as const) : rng.pick(['usps', 'ups'] as const);
        const order = {
          shop,
          number: `${shop.id.slice(0, 2).toUpperCase()}${rng.digits(8)}`,
          product,
          price: loc === 'ja' ? jpy : usdCents(jpy, this.world.config.fx.usdJpy, rng),
          currency: loc === 'ja' ? ('JPY' as const) : ('USD' as const),
          carrier,
          tracking: trackingNumber(rng, carrier),
        };
        this.emit('shops', type('shop.order-confirmation'), { order }, at);
        const shippedAt = at + Math.round(rng.uniform(0.8, 3) * DAY);
        this.schedule(shippedAt, () => this.emit('shops', type('shop.shipped'), { order }, shippedAt));
      },
    );
  }

  private finance(): void {
    const t = this.world.config.traffic;
    const loc = this.persona.locale;
    for (const bank of this.persona.banks) {
      this.ownerSource(`bank:${bank.id}`, (t.bankNoticesPerMonth / 30) * Math.sqrt(this.persona.activity), this.rhythm('business', 'business'), (at, rng) => {
        const kind = rng.weighted(['deposit', 'withdrawal', 'transfer', 'sign-in'] as const, [0.3, 0.3, 0.2, 0.2]);
        const jpy = Math.round(rng.lognormal(25000, 1.1) / 100) * 100;
        const amount = loc === 'ja' ? jpy : Math.round((jpy / this.world.config.fx.usdJpy) * 100);
        this.emit(`bank:${bank.id}`, type('bank.notice'), { brand: bank, kind, amount }, at);
      });
    }
    for (const card of this.persona.cards) {
      const day = 3 + (parseInt(card.last4, 10) % 20);
      const rng = this.rng.child('statement', card.brand.id);
      const next = (after: number): void => {
        const at = nextMonthlyDay(this.persona.zone, after, day) + 10 * HOUR + rng.int(0, 2 * HOUR);
        this.schedule(at, () => {
          const jpy = Math.round(rng.lognormal(60000, 0.7));
          this.emit(
            `card:${card.brand.id}`,
            type('card.statement'),
            { brand: card.brand, amount: loc === 'ja' ? jpy : Math.round((jpy / this.world.config.fx.usdJpy) * 100) },
            at,
          );
          next(at + DAY);
        });
      };
      next(this.world.start);
      if (card.brand.noticeEveryUse) {
        this.ownerSource(
          `card-use:${card.brand.id}`,
          (t.cardNoticesPerMonth / 30) * Math.sqrt(this.persona.activity),
          this.rhythm('shopping', 'shopping'),
          (at, r) => {
            const jpy = Math.round(r.lognormal(2500, 1.0));
            this.emit(
              `card:${card.brand.id}`,
              type('card.use-notice'),
              {
                brand: card.brand,
                last4: card.last4,
                amount: loc === 'ja' ? jpy : Math.round((jpy / this.world.config.fx.usdJpy) * 100),
                merchant: r.pick(MERCHANTS[loc]),
              },
              at,
            );
          },
        );
      }
    }
  }

  /**
   * Security and account notices the owner causes: their own sign-ins on new devices, password
   * resets and changes, recovery and filter settings, new payees and transfers, a new phone,
   * one-time codes, a saved card or address. Every notice a takeover scenario sends also arrives
   * for benign reasons at its own rate, so the kind of notice alone gives no label away.
   */
  private security(): void {
    const p = this.persona;
    const m = p.marketplace;
    const active = m !== null && !m.dormant;
    const kinds: Array<[string, number, boolean]> = [
      ['market-password', 0.12, m !== null],
      ['market-sign-in', 0.2, m !== null],
      ['market-update', 0.06, m !== null],
      ['market-email', 0.01, m !== null],
      ['market-address', 0.03, active],
      ['market-card', 0.04, active],
      ['social-sign-in', 0.12, p.social.length > 0],
      ['bank-sign-in', 0.1, p.banks.length > 0],
      ['bank-settings', 0.03, p.banks.length > 0],
      ['bank-payee', 0.05, p.banks.length > 0],
      ['provider-sign-in', 0.15, true],
      ['provider-password', 0.04, true],
      ['provider-recovery', 0.02, true],
      ['provider-filter', 0.02, true],
      ['provider-forwarding', 0.005, true],
      ['provider-2fa-off', 0.005, true],
      ['service-reset', 0.08, true],
      ['one-time-code', 0.1, true],
      ['mobile-account', 0.03, true],
      ['mobile-sim', 0.008, true],
      ['card-points', 0.02, p.cards.length > 0],
    ];
    const options = kinds.filter((k) => k[2]);
    this.ownerSource('security', p.securityPerMonth / 30, this.rhythm('personal'), (at, rng) => {
      const what = rng.weighted(
        options.map((o) => o[0]),
        options.map((o) => o[1]),
      );
      const later = (minutes: number): number => at + Math.round(rng.uniform(0.5, minutes) * MINUTE);
      const send = (id: string, params: Record<string, unknown> = {}, when = at): void => {
        if (when === at) this.emit('security', type(id), params, at);
        else this.schedule(when, () => this.emit('security', type(id), params, when));
      };
      switch (what) {
        case 'market-password':
          // Forgot it: ask for a reset, then set a new one a few minutes later.
          if (rng.bool(0.5)) {
            send('marketplace.password-reset');
            send('marketplace.password-changed', {}, later(8));
          } else send('marketplace.password-changed');
          break;
        case 'market-sign-in':
          if (m?.twoFactor) {
            send('marketplace.sign-in-code');
            send('marketplace.new-sign-in', { place: rng.pick(homePlaces(p.zone)) }, later(2));
          } else send('marketplace.new-sign-in', { place: rng.pick(homePlaces(p.zone)) });
          break;
        case 'market-update':
          send('marketplace.account-change', { variant: 'owner-updated' });
          break;
        case 'market-address':
          send('marketplace.address-added');
          break;
        case 'market-email':
          // The owner fixes or updates the address (and changes it back, or keeps both mailboxes).
          send('marketplace.email-changed');
          break;
        case 'market-card': {
          const card = p.cards[0];
          send('marketplace.payment-added', card ? { network: card.brand.network ?? 'VISA', last4: card.last4 } : {});
          break;
        }
        case 'social-sign-in':
          send('social.new-sign-in', { network: rng.pick(p.social).network });
          break;
        case 'bank-sign-in':
          send('bank.notice', { brand: rng.pick(p.banks), kind: 'sign-in' });
          break;
        case 'bank-settings':
          send('bank.settings-changed', { brand: rng.pick(p.banks), what: rng.pick(['email', 'limit', 'password'] as const) });
          break;
        case 'bank-payee': {
          // Paying someone new (rent, a friend): register the payee, then transfer.
          const brand = rng.pick(p.banks);
          const jpy = Math.round(rng.lognormal(40000, 0.8) / 100) * 100;
          send('bank.payee-added', { brand });
          send('bank.transfer-done', { brand, amount: p.locale === 'ja' ? jpy : Math.round((jpy / this.world.config.fx.usdJpy) * 100) }, later(20));
          break;
        }
        case 'provider-sign-in':
          send('provider.new-sign-in', { place: rng.pick(homePlaces(p.zone)) });
          break;
        case 'provider-password':
          send('provider.password-changed');
          break;
        case 'provider-recovery':
          send('provider.recovery-changed', { kind: rng.pick(['email', 'phone'] as const) });
          break;
        case 'provider-filter':
          send('provider.filter-added');
          break;
        case 'provider-forwarding':
          send('provider.forwarding-added');
          break;
        case 'provider-2fa-off':
          send('provider.2fa-disabled');
          break;
        case 'service-reset':
          send('service.password-reset', { service: p.social.length && rng.bool(0.5) ? 'social' : 'shop' });
          break;
        case 'one-time-code': {
          const bank = p.banks.length && rng.bool(0.5) ? rng.pick(p.banks) : null;
          send(
            'service.one-time-code',
            bank
              ? { service: bank.name, domain: bank.sending.domain }
              : { service: p.locale === 'ja' ? 'ハナマート' : 'Hanamart', domain: MARKETPLACE.site[p.locale] },
          );
          break;
        }
        case 'mobile-account':
          send('mobile.account-changed', { carrier: p.mobile, what: rng.pick(['contact', 'password', 'plan'] as const) });
          break;
        case 'mobile-sim':
          send('mobile.sim-changed', { carrier: p.mobile });
          break;
        case 'card-points': {
          const card = rng.pick(p.cards);
          send('card.points-redeemed', { brand: card.brand, points: Math.round(rng.lognormal(3000, 0.7)) });
          break;
        }
      }
    });
    if (m?.twoFactor && !m.dormant) {
      this.ownerSource('sign-in-code', 1.5 / 30, this.rhythm('personal'), (at) => this.emit('security', type('marketplace.sign-in-code'), {}, at));
    }
    // Subscriptions and online shops abroad charge the card now and then.
    for (const card of p.cards) {
      this.ownerSource(`card-online:${card.brand.id}`, 0.8 / 30, this.rhythm('shopping', 'shopping'), (at, r) => {
        const jpy = Math.round(r.lognormal(1500, 0.9));
        this.emit(
          `card:${card.brand.id}`,
          type('card.online-use'),
          { brand: card.brand, last4: card.last4, amount: p.locale === 'ja' ? jpy : Math.round((jpy / this.world.config.fx.usdJpy) * 100) },
          at,
        );
      });
    }
  }

  private spam(): void {
    const p = this.persona;
    const t = this.world.config.traffic;
    this.poissonSource(
      'spam',
      p.spamPerDay / (1 + t.cascadeMean),
      this.rhythm('spam', 'flat', 'UTC'),
      (at, rng) => {
        const locale: Locale = p.locale === 'ja' ? (rng.bool(0.75) ? 'ja' : 'en') : rng.bool(0.95) ? 'en' : 'ja';
        const theme = rng.pick(SPAM_THEMES[locale]);
        this.emit('spam', type('spam.generic'), { theme, locale }, at, { label: 'spam' });
        // Spam runs come in bursts: the same run hits again within the hour.
        for (const dt of cascade(rng, t.cascadeMean, 15 * MINUTE)) {
          this.schedule(at + dt, () => this.emit('spam', type('spam.generic'), { theme, locale }, at + dt, { label: 'spam' }));
        }
      },
      undefined,
      1,
      'spam',
    );
  }

  private startIncident(id: string, scenario: Scenario, x: ExpandedIncident, extra: Record<string, unknown> = {}): void {
    this.incidents.set(id, {
      id,
      mailbox: this.persona.id,
      scenario: scenario.id,
      kind: scenario.kind,
      onset: NaN,
      end: NaN,
      platformNoticeAt: x.platformNoticeAt,
      difficulty: x.difficulty,
      signals: x.signals,
      emailIds: [],
      params: { ...extra, ...x.params },
    });
    for (const s of x.silences) this.silences.push(s);
    for (const pm of x.mails) {
      const mailType = type(pm.mailType);
      this.schedule(pm.at, () => this.emit(`incident:${id}`, mailType, pm.params, pm.at, { label: pm.label, incident: id, role: pm.role }));
    }
  }

  private campaigns(): void {
    const p = this.persona;
    for (const c of this.plan.campaigns) {
      if (c.locale !== p.locale) continue;
      const rng = this.rng.child('campaign', c.id);
      if (!rng.bool(Math.min(1, c.targetShare * p.exposure))) continue;
      const wave = rng.pick(c.waves);
      const id = 'inc-' + this.world.root.id('campaign-hit', c.id, p.id).slice(0, 10);
      const x = expand({ rng: rng.child('expand'), config: this.world.config, persona: p, sellers: this.world.sellers }, c.scenario, {
        wave,
        infra: c.infra,
        style: c.style,
        ...(c.imitates ? { imitates: c.imitates } : {}),
      });
      this.startIncident(id, c.scenario, x, { campaign: c.id, style: c.style, ...(c.imitates ? { imitates: c.imitates } : {}) });
    }
  }

  private scenarioIncidents(): void {
    for (const inc of this.plan.incidents) {
      if (inc.mailbox !== this.persona.id) continue;
      const x = expand(
        { rng: this.rng.child('incident', inc.id), config: this.world.config, persona: this.persona, sellers: this.world.sellers },
        inc.scenario,
        { onset: inc.onset },
      );
      this.startIncident(inc.id, inc.scenario, x, inc.sale ? { saleEvent: inc.sale } : {});
    }
  }
}

/** The next `day`-of-month (local) midnight strictly after `after`. */
function nextMonthlyDay(zone: ZoneName, after: number, day: number): number {
  let d = localMidnight(zone, after);
  for (let i = 0; i < 40; i++, d += DAY) {
    const lt = localTime(zone, d + HOUR);
    if (lt.day === day && d + 10 * HOUR > after) return localMidnight(zone, d + HOUR);
  }
  return Infinity;
}

/** Stable per-list numbers from its id (send weekday, day of month). */
function listHash(list: NewsletterList, salt: string): number {
  let h = 2166136261;
  const s = list.id + '/' + salt;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function sendsOn(list: NewsletterList, weekday: number, dayOfMonth: number, weekNumber: number): boolean {
  switch (list.cadence) {
    case 'daily':
      return true;
    case 'weekdays':
      return weekday >= 1 && weekday <= 5;
    case 'thrice-weekly':
      return weekday === 1 || weekday === 3 || weekday === 5;
    case 'weekly':
      return weekday === listHash(list, 'weekday') % 7;
    case 'biweekly':
      return weekday === listHash(list, 'weekday') % 7 && weekNumber % 2 === listHash(list, 'parity') % 2;
    case 'monthly':
      return dayOfMonth === 1 + (listHash(list, 'day') % 28);
  }
}

/**
 * The first issue of a list sent after `after`: issues are numbered by day, sent at the list's
 * hour plus a per-issue jitter, and now and then skipped. Same for every subscriber.
 */
export function nextIssue(root: Stream, list: NewsletterList, zone: ZoneName, after: number): { number: number; sentAt: number } | null {
  let day = localMidnight(zone, after);
  for (let i = 0; i < 62; i++, day = localMidnight(zone, day + DAY + HOUR)) {
    const lt = localTime(zone, day + HOUR);
    const dayNumber = Math.floor((day + 12 * HOUR) / DAY);
    if (!sendsOn(list, lt.weekday, lt.day, Math.floor((dayNumber + 3) / 7))) continue;
    const r = root.child('newsletter', list.id, dayNumber, 'send');
    if (r.bool(0.06)) continue;
    const sentAt = day + list.sendHour * HOUR + r.int(0, 45 * MINUTE);
    if (sentAt <= after) continue;
    return { number: dayNumber - 16000, sentAt };
  }
  return null;
}

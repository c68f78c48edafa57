/**
 * The mail template contract. A mail type turns an entity (an order, a newsletter issue, a
 * thread message...) into a `MailSpec`; `compose` adds the headers. Benign traffic and
 * scenarios render through the same types, so attack mail and genuine mail share templates.
 */
import type { z } from 'zod';
import type { Stream } from '../../core/rng.js';
import type { Persona } from '../../world/persona.js';
import type { MailSpec } from '../compose.js';
import type { Config, DriftBrand } from '../../config.js';
import { DAY, parseDate } from '../../core/time.js';
import type { Product } from '../../vocab/types.js';
import type { World } from '../../world/world.js';

/** The coarse category a mail belongs to (for inspect, calibration and the card; never shown to detectors). */
export type Category = 'shopping' | 'shipping' | 'finance' | 'security' | 'newsletter' | 'promotion' | 'social' | 'personal' | 'spam' | 'phishing';

/**
 * What of the world a template may read besides its mailbox's persona: narrow on purpose, so a
 * template cannot reach the incidents, the other mailboxes or the config at large.
 */
export interface MailWorld {
  /** The world's root stream, for draws shared across mailboxes (a newsletter issue, a payee). */
  root: Stream;
  /** Products promotions and phishing lures show. */
  productsForPromo: readonly Product[];
  /** Yen per US dollar, for prices shown in dollars. */
  usdJpy: number;
  saleEvents: Config['saleEvents'];
  /** Template redesigns, in date order per brand, their dates parsed once (editions.ts reads them for every mail). */
  drift: readonly DriftAt[];
}

/** A drift of the config with its instants: the day it starts and how long its rollout lasts, in seconds. */
export interface DriftAt {
  brand: DriftBrand;
  edition: string;
  /** The config's date, YYYY-MM-DD (it keys each mailbox's place in the rollout). */
  on: string;
  at: number;
  rollout: number;
}

export function mailWorld(w: World): MailWorld {
  const drift = w.config.drift.map((d) => ({ brand: d.brand, edition: d.edition, on: d.on, at: parseDate(d.on), rollout: d.rolloutDays * DAY }));
  return { root: w.root, productsForPromo: w.productsForPromo, usdJpy: w.config.fx.usdJpy, saleEvents: w.config.saleEvents, drift };
}

export interface TemplateContext {
  /** A stream of this mail's own (derived from mailbox, source and sequence). */
  rng: Stream;
  persona: Persona;
  world: MailWorld;
  /** Arrival time, epoch seconds. */
  at: number;
}

export interface MailType<P = Record<string, unknown>> {
  /** Stable id, `<family>.<name>`. */
  id: string;
  category: Category;
  /** Machine-generated (true for all but personal mail), per the calibration targets. */
  machine: boolean;
  description: string;
  /** Schema of the parameters a scenario step may `set`; unknown keys are errors. */
  params: z.ZodType<P>;
  /** Whether this mail is sent at all (e.g. a card notice needs the order paid with a card whose issuer writes). */
  applies?(persona: Persona, params: P): boolean;
  render(ctx: TemplateContext, params: P): MailSpec;
}

/** Helper keeping each template's parameter type while registering it in a heterogeneous list. */
export function mailType<P>(t: MailType<P>): MailType<P> {
  return t;
}

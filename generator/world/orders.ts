/**
 * Marketplace orders: the entity behind order confirmations, shipping and delivery notices.
 * The owner's own orders and a takeover's fraudulent orders are planned by the same function
 * with different options, so both are rendered by the same templates.
 */
import type { Stream } from '../core/rng.js';
import { DAY, HOUR } from '../core/time.js';
import { CARRIERS, digitalOrderNumber, marketplaceOrderNumber, trackingNumber } from './carriers.js';
import type { CarrierId } from './carriers.js';
import { PRODUCTS as products } from '../vocab/catalog.js';
import type { Locale, Product } from '../vocab/types.js';
import type { Persona, PostalAddress, StoredCard } from './persona.js';
import type { Seller, SellerCatalog } from './sellers.js';

export interface OrderItem {
  product: Product;
  quantity: number;
  /** Tax-included unit price in the order's currency (JPY yen, or USD cents). */
  unitPrice: number;
  /** Who sells it: the order's seller, or another one in an order from several. */
  seller: Seller;
}

export interface Order {
  number: string;
  placedAt: number;
  locale: Locale;
  currency: 'JPY' | 'USD';
  items: OrderItem[];
  /** Tax-included total incl. shipping, in yen or cents. */
  total: number;
  shipping: number;
  /** Total in JPY whatever the currency (for truth and calibration). */
  totalJpy: number;
  /** The order's (first item's) seller. */
  seller: Seller;
  /** Where it was placed: the website or the app (the app's confirmation is shorter). */
  channel: 'web' | 'app';
  /** Sent as a gift: its own confirmation, a gift message, no prices on the slip. */
  gift: boolean;
  digital: boolean;
  /** Where it ships; null for digital orders. */
  shipTo: PostalAddress | null;
  shipToName: string;
  payment: { network: StoredCard['network']; last4: string };
  carrier: CarrierId;
  tracking: string;
  /** Delay from order to shipping notice and from shipping to delivery, seconds. */
  shipAfter: number;
  deliverAfter: number;
}

export type SellerChoice = 'platform' | 'domestic' | 'foreign' | 'owner-mix';
export type ProductPool = 'any' | 'resale' | 'digital' | 'physical';
export type ShipTo = 'home' | 'stale' | 'other' | 'family';
export type Payment = 'stored' | 'unknown-card';

export interface OrderOptions {
  seller: SellerChoice;
  products: ProductPool;
  shipTo: ShipTo;
  payment: Payment;
  /** Who receives it for shipTo 'other' (address and name) and 'family' (name only). */
  recipient?: { address: PostalAddress; name: string };
  /** Who places it: the owner (web or app, gifts, several sellers in one order) or an intruder (the website). */
  placedBy?: 'owner' | 'intruder';
  /** Shares used when seller is 'owner-mix'. */
  thirdPartyShare?: number;
  crossBorderShare?: number;
}

const PHYSICAL = products.filter((p) => !p.digital);
const DIGITAL = products.filter((p) => p.digital);
const RESALE = PHYSICAL.filter((p) => p.resale >= 0.7);

/** Shop-like price inside a range: ends in 0 below 1,000 yen, in 80 or 00 above. */
export function shopPrice(rng: Stream, [min, max]: readonly [number, number]): number {
  const raw = rng.uniform(min, max);
  if (raw < 1000) return Math.max(min, Math.round(raw / 10) * 10);
  const hundreds = Math.round(raw / 100) * 100;
  return rng.bool(0.65) ? hundreds - 20 : hundreds;
}

/** USD cents from a yen price: x.99 or x.49, as US shops price. */
export function usdCents(jpy: number, usdJpy: number, rng: Stream): number {
  const dollars = Math.max(1, Math.floor(jpy / usdJpy));
  return dollars * 100 + (rng.bool(0.75) ? 99 : 49);
}

function pickProduct(rng: Stream, pool: ProductPool): Product {
  switch (pool) {
    case 'digital':
      return rng.pick(DIGITAL);
    case 'resale':
      return rng.pick(RESALE);
    case 'physical':
      return rng.pick(PHYSICAL);
    case 'any':
      return rng.bool(0.06) ? rng.pick(DIGITAL) : rng.pick(PHYSICAL);
  }
}

function pickSeller(rng: Stream, sellers: SellerCatalog, locale: Locale, opts: OrderOptions): Seller {
  let choice = opts.seller;
  if (choice === 'owner-mix') {
    const r = rng.float();
    const cross = opts.crossBorderShare ?? 0.05;
    const third = opts.thirdPartyShare ?? 0.45;
    choice = r < cross ? 'foreign' : r < cross + third ? 'domestic' : 'platform';
  }
  if (choice === 'platform') return sellers.platform;
  if (choice === 'foreign') return rng.pick(sellers.foreign);
  return rng.pick(sellers.domestic[locale]);
}

function shippingDelays(rng: Stream, seller: Seller, carrier: CarrierId): { shipAfter: number; deliverAfter: number } {
  const kind = CARRIERS[carrier].kind;
  if (seller.kind === 'platform') return { shipAfter: Math.round(rng.uniform(3, 30) * HOUR), deliverAfter: Math.round(rng.uniform(14, 50) * HOUR) };
  if (seller.kind === 'domestic') return { shipAfter: Math.round(rng.uniform(0.6, 3.5) * DAY), deliverAfter: Math.round(rng.uniform(1, 3) * DAY) };
  // Foreign sellers: a few days to dispatch, one to three weeks by post, a few days by courier.
  return {
    shipAfter: Math.round(rng.uniform(1.5, 5) * DAY),
    deliverAfter: Math.round((kind === 'courier' ? rng.uniform(3, 7) : rng.uniform(7, 21)) * DAY),
  };
}

export interface OrderContext {
  rng: Stream;
  sellers: SellerCatalog;
  persona: Persona;
  usdJpy: number;
}

/** Plan one order placed at `placedAt`. */
export function planOrder(ctx: OrderContext, placedAt: number, opts: OrderOptions): Order {
  const { rng, persona } = ctx;
  const locale = persona.locale;
  const seller = pickSeller(rng.child('seller'), ctx.sellers, locale, opts);
  const pr = rng.child('items');
  const nItems = opts.products === 'digital' ? 1 : pr.bool(0.8) ? 1 : pr.int(2, 3);
  const items: OrderItem[] = [];
  let digital = true;
  const owner = opts.placedBy !== 'intruder';
  // An owner's basket of several items holds another seller's item half the time.
  const mixedSellers = owner && opts.seller === 'owner-mix' && nItems > 1 && rng.child('mixed-sellers').bool(0.5);
  for (let i = 0; i < nItems; i++) {
    const product = pickProduct(pr, opts.products);
    digital &&= product.digital === true;
    const jpy = shopPrice(pr, product.priceJpy);
    const quantity = product.priceJpy[1] < 3000 && pr.bool(0.2) ? 2 : 1;
    const itemSeller = mixedSellers && i > 0 ? pickSeller(rng.child('item-seller', i), ctx.sellers, locale, opts) : seller;
    items.push({ product, quantity, unitPrice: locale === 'ja' ? jpy : usdCents(jpy, ctx.usdJpy, pr), seller: itemSeller });
  }
  // Shares of app orders and gifts (see docs/calibration.md): about 45 % of orders come from the
  // app, whoever places them (no source says intruders prefer either, and a share of our own making
  // would make the mail's length give the label away); owners send a gift to another address most
  // of the time.
  const channel = rng.child('channel').bool(0.45) ? 'app' : 'web';
  const giftShare = !owner || digital ? 0 : opts.shipTo === 'other' ? 0.75 : opts.shipTo === 'family' ? 0.3 : 0.02;
  const gift = rng.child('gift').bool(giftShare);
  const subtotal = items.reduce((s, it) => s + it.unitPrice * it.quantity, 0);
  const freeShipping = seller.kind === 'platform' || digital || subtotal >= (locale === 'ja' ? 2000 : 3500);
  const shipping = freeShipping ? 0 : locale === 'ja' ? pr.pick([350, 410, 500, 600]) : pr.pick([499, 599, 699]);
  const total = subtotal + shipping;
  const totalJpy = locale === 'ja' ? total : Math.round((total / 100) * ctx.usdJpy);

  const m = persona.marketplace;
  const pay = rng.child('payment');
  let payment: Order['payment'];
  const usable = m?.cards.filter((c) => !c.expired) ?? [];
  if (opts.payment === 'stored' && usable.length > 0) {
    const card = pay.pick(usable);
    payment = { network: card.network, last4: card.last4 };
  } else {
    payment = { network: pay.pick(['VISA', 'Mastercard', 'JCB', 'AMEX'] as const), last4: pay.digits(4) };
  }

  let shipTo: PostalAddress | null = null;
  let shipToName = persona.displayName;
  if (!digital) {
    if (opts.shipTo === 'stale' && m?.staleAddress) shipTo = m.staleAddress;
    else if (opts.shipTo === 'other' && opts.recipient) ({ address: shipTo, name: shipToName } = opts.recipient);
    else if (opts.shipTo === 'family' && opts.recipient) ({ address: shipTo, name: shipToName } = { address: persona.home, name: opts.recipient.name });
    else shipTo = persona.home;
  }

  const cr = rng.child('carrier');
  const carrier = cr.weighted(seller.carriers, seller.carrierWeights);
  const tracking = trackingNumber(cr, carrier);
  const { shipAfter, deliverAfter } = shippingDelays(cr, seller, carrier);
  const number = digital ? digitalOrderNumber(rng.child('number')) : marketplaceOrderNumber(rng.child('number'));
  return {
    number,
    placedAt,
    locale,
    currency: locale === 'ja' ? 'JPY' : 'USD',
    items,
    total,
    shipping,
    totalJpy,
    seller,
    channel,
    gift,
    digital,
    shipTo,
    shipToName,
    payment,
    carrier,
    tracking,
    shipAfter,
    deliverAfter,
  };
}

/** A copy of `order` whose single item is replaced, for raising a burst's total. */
export function withPricierItem(ctx: OrderContext, order: Order): Order {
  const pr = ctx.rng.child('upgrade');
  const pool = RESALE.filter((p) => p.priceJpy[1] > 20000);
  const product = pr.pick(pool.length ? pool : RESALE);
  const jpy = shopPrice(pr, [Math.max(product.priceJpy[0], Math.round(product.priceJpy[1] * 0.6)), product.priceJpy[1]]);
  const unitPrice = order.locale === 'ja' ? jpy : usdCents(jpy, ctx.usdJpy, pr);
  const items = [{ product, quantity: 1, unitPrice, seller: order.seller }];
  const total = unitPrice + order.shipping;
  return { ...order, items, total, totalJpy: order.locale === 'ja' ? total : Math.round((total / 100) * ctx.usdJpy) };
}

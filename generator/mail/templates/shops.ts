/**
 * Independent web shops (not the marketplace): an order confirmation and a shipping notice
 * through a bulk transactional service.
 */
import { z } from 'zod';
import { webShopSending } from '../../world/brands.js';
import type { WebShop } from '../../world/brands.js';
import { CARRIERS, formatJpDomestic } from '../../world/carriers.js';
import type { CarrierId } from '../../world/carriers.js';
import type { Product } from '../../vocab/types.js';
import type { MailSpec } from '../compose.js';
import { wording } from '../../vocab/mail/index.js';
import { renderMail } from './blocks.js';
import { fill, money } from './common.js';
import { mailType } from './types.js';
import type { TemplateContext } from './types.js';

export interface ShopOrder {
  shop: WebShop;
  number: string;
  product: Product;
  price: number;
  currency: 'JPY' | 'USD';
  carrier: CarrierId;
  tracking: string;
}

const shopOrder = z.custom<ShopOrder>((v) => typeof v === 'object' && v !== null && 'shop' in v, 'a web-shop order');

function shopSpec(ctx: TemplateContext, o: ShopOrder, subject: string, rows: Array<[string, string]>, intro: string): MailSpec {
  const w = wording(o.shop.locale).shops;
  const url = `https://${o.shop.domain}/mypage/orders/${o.number}`;
  const greet = fill(w.greeting, { name: ctx.persona.displayName, given: ctx.persona.given });
  return {
    profile: webShopSending(o.shop),
    from: { name: o.shop.name, address: `order@${o.shop.domain}` },
    subject,
    ...renderMail({
      lang: o.shop.locale,
      title: subject,
      brand: o.shop.name,
      blocks: [{ p: greet }, { p: intro }, { rows }, { button: w.viewOrder, href: url }],
      footer: [o.shop.name],
    }),
    charset: 'UTF-8',
  };
}

export const shopOrderConfirmation = mailType({
  id: 'shop.order-confirmation',
  category: 'shopping',
  machine: true,
  description: 'Order confirmation from an independent web shop.',
  params: z.object({ order: shopOrder }).strict(),
  render(ctx, { order: o }) {
    const w = wording(o.shop.locale).shops.orderConfirmation;
    const rows: Array<[string, string]> = [
      [w.labels.order, o.number],
      [w.labels.item, o.product[o.shop.locale]],
      [w.labels.total, money(o.price, o.currency)],
    ];
    return shopSpec(ctx, o, fill(w.subject, { shop: o.shop.name, number: o.number }), rows, w.intro);
  },
});

export const shopShipped = mailType({
  id: 'shop.shipped',
  category: 'shipping',
  machine: true,
  description: 'Shipping notice from an independent web shop.',
  params: z.object({ order: shopOrder }).strict(),
  render(ctx, { order: o }) {
    const w = wording(o.shop.locale).shops.shipped;
    const carrier = CARRIERS[o.carrier];
    const tracking = carrier.scheme === 'jp-mod7-12' ? formatJpDomestic(o.tracking) : o.tracking;
    const rows: Array<[string, string]> = [
      [w.labels.order, o.number],
      [w.labels.carrier, carrier.name[o.shop.locale]],
      [w.labels.tracking, tracking],
    ];
    return shopSpec(ctx, o, fill(w.subject, { shop: o.shop.name }), rows, w.intro);
  },
});

export const SHOP_TYPES = [shopOrderConfirmation, shopShipped];

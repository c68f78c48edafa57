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
import { dateTime, fill, money } from './common.js';
import { hashHex } from '../../core/rng.js';
import { pdfDocument } from '../attachments.js';
import type { Attachment } from '../types.js';
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

/** About two shops in five attach a PDF invoice to their order confirmation (fixed per shop). */
export function attachesInvoice(shop: WebShop): boolean {
  return parseInt(hashHex(`invoice:${shop.domain}`, 32).slice(0, 6), 16) % 5 < 2;
}

function invoice(ctx: TemplateContext, o: ShopOrder): Attachment {
  const loc = o.shop.locale;
  const w = wording(loc).shops.invoice;
  const values = {
    shop: o.shop.name,
    number: o.number,
    date: dateTime(ctx.at, loc, ctx.persona.zone),
    item: o.product[loc],
    total: money(o.price, o.currency),
  };
  return {
    filename: `${fill(w.filename, values)}.pdf`,
    contentType: 'application/pdf',
    content: pdfDocument(
      w.title,
      w.lines.map((l) => fill(l, values)),
      ctx.at,
    ),
  };
}

function shopSpec(ctx: TemplateContext, o: ShopOrder, subject: string, rows: Array<[string, string]>, intro: string, attach?: Attachment): MailSpec {
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
      blocks: [{ p: greet }, { p: intro }, { rows }, ...(attach ? [{ p: w.invoice.note }] : []), { button: w.viewOrder, href: url }],
      footer: [o.shop.name],
    }),
    charset: 'UTF-8',
    ...(attach ? { attachments: [attach] } : {}),
    template: `standard/${attach ? 'pdf-invoice' : 'plain'}`,
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
    const attach = attachesInvoice(o.shop) ? invoice(ctx, o) : undefined;
    return shopSpec(ctx, o, fill(w.subject, { shop: o.shop.name, number: o.number }), rows, w.intro, attach);
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

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
import { htmlMail, money, textRows } from './common.js';
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
  const loc = o.shop.locale;
  const url = `https://${o.shop.domain}/mypage/orders/${o.number}`;
  const greet = loc === 'ja' ? `${ctx.persona.displayName} 様` : `Hi ${ctx.persona.given},`;
  const text = [greet, '', intro, '', textRows(rows), '', url, '', o.shop.name].join('\n');
  return {
    profile: webShopSending(o.shop),
    from: { name: o.shop.name, address: `order@${o.shop.domain}` },
    subject,
    text,
    html: htmlMail({
      lang: loc,
      title: subject,
      brand: o.shop.name,
      blocks: [{ p: greet }, { p: intro }, { rows }, { button: loc === 'ja' ? '注文履歴' : 'View order', href: url }],
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
    const loc = o.shop.locale;
    const subject = loc === 'ja' ? `【${o.shop.name}】ご注文ありがとうございます(注文番号: ${o.number})` : `${o.shop.name}: Order ${o.number} confirmed`;
    const rows: Array<[string, string]> =
      loc === 'ja'
        ? [
            ['注文番号', o.number],
            ['商品', o.product.ja],
            ['合計(税込)', money(o.price, o.currency)],
          ]
        : [
            ['Order', o.number],
            ['Item', o.product.en],
            ['Total', money(o.price, o.currency)],
          ];
    return shopSpec(
      ctx,
      o,
      subject,
      rows,
      loc === 'ja' ? 'ご注文を承りました。発送まで今しばらくお待ちください。' : "Thanks for your order! We'll let you know when it ships.",
    );
  },
});

export const shopShipped = mailType({
  id: 'shop.shipped',
  category: 'shipping',
  machine: true,
  description: 'Shipping notice from an independent web shop.',
  params: z.object({ order: shopOrder }).strict(),
  render(ctx, { order: o }) {
    const loc = o.shop.locale;
    const carrier = CARRIERS[o.carrier];
    const tracking = carrier.scheme === 'jp-mod7-12' ? formatJpDomestic(o.tracking) : o.tracking;
    const subject = loc === 'ja' ? `【${o.shop.name}】商品発送のお知らせ` : `${o.shop.name}: Your order has shipped`;
    const rows: Array<[string, string]> =
      loc === 'ja'
        ? [
            ['注文番号', o.number],
            ['配送業者', carrier.name.ja],
            ['伝票番号', tracking],
          ]
        : [
            ['Order', o.number],
            ['Carrier', carrier.name.en],
            ['Tracking number', tracking],
          ];
    return shopSpec(ctx, o, subject, rows, loc === 'ja' ? 'ご注文の商品を発送いたしました。' : 'Good news: your order is on its way.');
  },
});

export const SHOP_TYPES = [shopOrderConfirmation, shopShipped];

import type { ShopWording } from '../../mail/shops.js';

export default {
  greeting: 'Hi {given},',
  viewOrder: 'View order',
  orderConfirmation: {
    subject: '{shop}: Order {number} confirmed',
    intro: "Thanks for your order! We'll let you know when it ships.",
    labels: { order: 'Order', item: 'Item', total: 'Total' },
  },
  invoice: {
    note: 'Your invoice is attached as a PDF.',
    title: 'Invoice',
    filename: 'invoice-{number}',
    lines: ['{shop}', 'INVOICE', 'Order number: {number}', 'Date: {date}', 'Item: {item}', 'Total: {total}', 'Thank you for your order.'],
  },
  shipped: {
    subject: '{shop}: Your order has shipped',
    intro: 'Good news: your order is on its way.',
    labels: { order: 'Order', carrier: 'Carrier', tracking: 'Tracking number' },
  },
} satisfies ShopWording;

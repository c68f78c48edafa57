import type { ShopWording } from '../../mail/shops.js';

export default {
  greeting: 'Hi {given},',
  viewOrder: 'View order',
  orderConfirmation: {
    subject: '{shop}: Order {number} confirmed',
    intro: "Thanks for your order! We'll let you know when it ships.",
    labels: { order: 'Order', item: 'Item', total: 'Total' },
  },
  shipped: {
    subject: '{shop}: Your order has shipped',
    intro: 'Good news: your order is on its way.',
    labels: { order: 'Order', carrier: 'Carrier', tracking: 'Tracking number' },
  },
} satisfies ShopWording;

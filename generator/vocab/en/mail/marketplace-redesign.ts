import type { MarketplaceWording } from '../../mail/marketplace.js';
import classic from './marketplace.js';

/**
 * The marketplace's redesigned mail, sent from a config `drift` date on: new subjects, field
 * labels, sender names and footer, as a real redesign brings. What the redesign did not touch (the
 * takeover notice, codes, promotions) keeps the classic wording.
 */
export default {
  ...classic,
  greeting: 'Hi {given},',
  senders: { orders: '{brand} Orders', shipping: '{brand} Delivery', account: '{brand} Account', promo: '{brand} Deals', security: '{brand} Account' },
  footer: [
    'You received this email because of activity on your {brand} account. Replies to this address are not read.',
    'Copyright (C) {brand}, 410 Example Ave, Example City',
  ],
  labels: {
    orderNumber: 'Order number',
    placedOn: 'Order date',
    arriving: 'Estimated delivery',
    carrier: 'Shipped with',
    trackingId: 'Tracking number',
    quantity: 'Qty',
    price: 'Item price',
  },
  orderConfirmation: {
    ...classic.orderConfirmation,
    subject: { text: 'Order confirmed: {items}', clip: 48 },
    payment: '{network} ****{last4}',
    totals: { subtotal: 'Items', shipping: 'Shipping', total: 'Grand total', paymentMethod: 'Paid with' },
    shipTo: 'Delivery address',
    details: 'Items in this order',
    manage: 'Track, change or cancel your order in Your Account.',
    button: 'View order',
    gift: { ...classic.orderConfirmation.gift, subject: { text: 'Gift order confirmed: {items}', clip: 40 } },
  },
  shipped: {
    ...classic.shipped,
    subjects: [
      { text: 'On the way: {items}', clip: 48 },
      { text: 'Your package with {items} is on the way', clip: 40 },
    ],
    intro: 'Good news: your package is on its way.',
    items: 'In this package',
    shipTo: 'Delivery address',
    track: 'Follow your package',
    button: 'Track your package',
  },
  delivered: {
    ...classic.delivered,
    subject: { text: 'Arrived: {items}', clip: 48 },
    body: 'Your package has arrived.\nDelivered on: {when}\nOrder number: {number}',
  },
  newSignIn: {
    ...classic.newSignIn,
    subject: '{brand}: We noticed a new login on {device}',
    lead: 'Someone just logged in to your account from a new device.',
    labels: { when: 'Time', device: 'Device', near: 'Approximate location' },
  },
  passwordChanged: { ...classic.passwordChanged, subject: '{brand}: your password has been updated' },
} satisfies MarketplaceWording;

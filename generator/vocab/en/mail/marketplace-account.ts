import type { MarketplaceAccountWording } from '../../mail/marketplace-account.js';

export default {
  addressAdded: {
    subjects: ['A new shipping address was added to your {brand} account', '{brand}: new address added'],
    paragraphs: ['A new shipping address was added to your {brand} account.'],
    rows: { when: 'When', address: 'Address (partial)' },
    after: ["If you didn't add this address, change your password right away and remove it from Your Addresses."],
    button: 'Review your addresses',
    masked: '****, {city}, {region}',
  },
  paymentAdded: {
    subjects: ['A payment method was added to your {brand} account', '{brand}: new payment method added'],
    paragraphs: ['The {network} card ending in {last4} was added to your {brand} wallet.'],
    rows: { when: 'When' },
    after: ["If you didn't add this card, change your password right away and contact Customer Service."],
    button: 'Review your payments',
  },
  emailChanged: {
    subjects: ['Your {brand} email address was changed', '{brand}: email address updated'],
    paragraphs: [
      'The email address on your {brand} account was changed. We are sending this notice to your previous address; from now on, we will write to the new one.',
    ],
    rows: { when: 'When', address: 'New email address' },
    after: ["If you didn't make this change, contact Customer Service right away."],
    button: 'Review your account',
  },
  paymentConfirmed: {
    subjects: ['Your payment for order {number} is complete', 'Payment received for {items}'],
    subjectClip: 40,
    rowsClip: 48,
    paragraphs: ['Thanks for your order. We received your payment for the order below.'],
    rows: { number: 'Order #', items: 'Items', paidOn: 'Paid on', method: 'Payment method', amount: 'Amount' },
    after: ["We'll let you know when your items ship."],
    button: 'View order',
  },
  orderCancelled: {
    subjects: ['Your order has been cancelled', 'Your {brand} order {number} has been cancelled'],
    subjectClip: 30,
    rowsClip: 48,
    paragraphs: ['Your order below has been cancelled.'],
    rows: { number: 'Order #', items: 'Cancelled items', amount: 'Amount' },
    after: ["You won't be charged for this order. If a charge was already made, it will be refunded."],
    button: 'View your orders',
  },
  pointsUsed: {
    subjects: ['Your {brand} gift card balance was used', 'Gift card balance applied to your order'],
    paragraphs: ['{usd} of your {brand} gift card balance was applied to an order.'],
    rows: { when: 'When', number: 'Order #', used: 'Amount used', left: 'Remaining balance' },
    used: '{usd}',
    left: '{leftUsd}',
    after: ["If you don't recognize this, change your password and contact Customer Service."],
    button: 'View balance',
  },
} satisfies MarketplaceAccountWording;

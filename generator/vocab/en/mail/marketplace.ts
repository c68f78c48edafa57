import type { MarketplaceWording } from '../../mail/marketplace.js';

export default {
  greeting: 'Hello {given},',
  senders: { orders: '{brand}.com', shipping: '{brand} Shipping', account: '{brand}', promo: '{brand} Deals', security: '{brand}' },
  footer: [
    'This email was sent from a notification-only address that cannot accept incoming email. Please do not reply to this message.',
    '{brand}, 410 Example Ave, Example City',
  ],
  addressee: '{name}',
  items: { one: '"{first}"', more: { one: '"{first}" and {more} more item', other: '"{first}" and {more} more items' } },
  soldBy: { platform: 'Sold by: {brand}', seller: 'Sold by: {seller}' },
  labels: {
    orderNumber: 'Order #',
    placedOn: 'Placed on',
    arriving: 'Arriving',
    carrier: 'Carrier',
    trackingId: 'Tracking ID',
    quantity: 'Quantity',
    price: 'Price',
  },
  orderConfirmation: {
    subject: { text: 'Your {brand} order of {items}', clip: 48 },
    payment: '{network} ending in {last4}',
    totals: { subtotal: 'Item Subtotal', shipping: 'Shipping & Handling', total: 'Order Total', paymentMethod: 'Payment method' },
    digitalShipTo: 'Digital item (no shipping)',
    intro: "Thank you for shopping with us. We'll send a confirmation when your item ships.",
    shipTo: 'Ship to',
    details: 'Order details',
    manage: 'You can view or manage your order in Your Orders.',
    button: 'View or manage order',
  },
  shipped: {
    subjects: [
      { text: 'Shipped: {items}', clip: 48 },
      { text: 'Your {brand} order of {items} has shipped', clip: 40 },
    ],
    intro: 'Your package is on its way. You can track it below.',
    items: 'Shipped items',
    shipTo: 'Shipping to',
    track: 'Track your package',
    carrierTracking: '{carrier} tracking: {url}',
    button: 'Track package',
  },
  delivered: {
    subject: { text: 'Delivered: {items}', clip: 48 },
    body: 'Your package was delivered.\nDelivered: {when}\nOrder # {number}',
    ask: "Didn't receive your package? Let us know from Your Orders.",
    button: 'Order details',
  },
  accountChange: {
    subject: 'Recent changes to your {brand} account',
    takeoverReverted: [
      'We detected unusual activity on your {brand} account.',
      'To protect your account, we have reset your password, reverted changes made by an unauthorized party, and cancelled all orders that had not yet shipped.',
      'Please disregard any order confirmations for the cancelled orders. Your payment methods on file will not be charged.',
      'You will be able to reset your password in about {hours} hours. Sign in to {brand} and follow the instructions to create a new password.',
    ],
    ownerUpdated: ['Your account information was updated.', "If you didn't make this change, change your password right away and contact Customer Service."],
    button: 'Sign in',
  },
  supportFollowup: {
    subject: '[Important] A message from {brand} about your account',
    paragraphs: [
      'Thank you for contacting us.',
      'All orders placed on your account by an unauthorized party have been cancelled. If a package shipped by a seller reaches you anyway, you may refuse or discard it.',
      'You will not be charged. We apologize for the inconvenience.',
    ],
  },
  newSignIn: {
    subject: '{brand}: New sign-in on {device}',
    lead: 'We noticed a new sign-in to your account.',
    labels: { when: 'When', device: 'Device', near: 'Near' },
    note: "If this was you, there's nothing else you need to do. If not, change your password.",
    button: 'Review security',
  },
  passwordChanged: {
    subject: 'Your {brand} password was changed',
    body: "The password for your {brand} account was changed on {when}.\nIf you didn't make this change, contact Customer Service right away.",
  },
  passwordReset: {
    subject: '{brand} password assistance',
    body: 'To reset your password, enter this verification code:\n\n{code}\n\nThe code expires in 10 minutes. If you did not request this, ignore this email.',
  },
  signInCode: {
    subject: 'hanamart: Sign-in attempt',
    body: "To finish signing in, enter this one-time password:\n\n{code}\n\nDon't share this code with anyone.",
  },
  promo: {
    saleSubjects: ['{event} is on: {head} and more', '{event} ends soon', 'Top deals for {event}'],
    subjects: ['Recommended for you: {head}', 'New deals picked for you', 'Customers who viewed items like yours also viewed "{head}"'],
    headClip: 28,
    intro: 'Here are some picks we think you might like.',
    unsubscribe: 'Unsubscribe: {url}',
    button: 'Shop deals',
  },
} satisfies MarketplaceWording;

import type { FinanceWording } from '../../mail/finance.js';

export default {
  footer: [],
  cardUse: {
    subjects: ['Transaction alert: {amount} at {merchant}'],
    lines: [
      'Hi {given},',
      '',
      'A charge of {amount} was made on your {brand} ending in {last4}.',
      '',
      {
        rows: [
          ['Merchant', '{merchant}'],
          ['Date', '{when}'],
        ],
      },
      '',
      "If you don't recognize this transaction, call the number on the back of your card.",
    ],
  },
  cardStatement: {
    subject: 'Your {brand} statement is ready',
    lines: ['Hi {given},', '', 'Your statement balance is {amount}. Sign in to view your statement and make a payment.', 'https://www.{domain}/statements'],
  },
  bankNotice: {
    kinds: {
      deposit: { title: 'Deposit received', what: 'Deposit' },
      withdrawal: { title: 'Withdrawal notice', what: 'Withdrawal' },
      transfer: { title: 'Transfer confirmation', what: 'Transfer' },
      'sign-in': { title: 'New sign-in to online banking', what: 'Sign-in' },
    },
    subject: '{brand}: {title}',
    signIn: ['Hi {given},', '', 'You signed in to online banking on {when}.', '', "If this wasn't you, call us right away."],
    transaction: ['Hi {given},', '', '{title}: {amount} on {when}.', '', "If this wasn't you, call us right away."],
  },
  marketplaceMerchant: 'HANAMART*MKTP',
} satisfies FinanceWording;

import type { BankingWording } from '../../mail/banking.js';
import type { FinanceLine } from '../../mail/finance.js';

const CALL_US = "If you didn't make this change, call us right away using the number on our website or on the back of your card.";
const settings = (subject: string, body: string) => ({ subjects: [subject], lines: ['Hi {given},', '', body, '', CALL_US] as readonly FinanceLine[] });

export default {
  footer: ['', 'Please do not reply to this email. This mailbox is not monitored.', '{brand} | https://www.{domain}/'],
  payees: {
    holders: ['Jordan Reyes', 'Apex Trade Solutions LLC', 'M. Okafor', 'Bright Harbor Imports', 'Casey Lin', 'Redline Logistics Inc'],
    banks: ['Aldergate Bank', 'Pinecrest Savings', 'Summit Valley Credit Union', 'Northfield Bank', 'Bluestone Credit Union'],
    branches: [],
    account: '****{digits}',
    accountDigits: 4,
  },
  payeeAdded: {
    subjects: ['{brand}: New payee added', 'A new payee was added to your account'],
    lines: [
      'Hi {given},',
      '',
      'A new payee was added to your {brand} online banking on {when}.',
      '',
      {
        rows: [
          ['Payee', '{holder}'],
          ['Bank', '{bank}'],
          ['Account', '{account}'],
        ],
      },
      '',
      "If you didn't add this payee, call us right away using the number on our website or on the back of your card.",
    ],
  },
  transferDone: {
    refDigits: 9,
    fees: [],
    sourceAccount: null,
    subjects: ['Your transfer to {holder} is complete', '{brand}: Transfer sent'],
    lines: [
      'Hi {given},',
      '',
      'You sent {amount} to {holder}.',
      '',
      {
        rows: [
          ['Amount', '{amount}'],
          ['To', '{holder} ({bank}, account {account})'],
          ['Date', '{when}'],
          ['Confirmation number', '{ref}'],
        ],
      },
      '',
      "If you didn't make this transfer, call us right away.",
    ],
  },
  settingsChanged: {
    email: settings('{brand}: Your email address was changed', 'The email address on your online banking profile was changed to {masked} on {when}.'),
    limit: settings('{brand}: Your transfer limit was changed', 'Your daily transfer limit was changed from {before} to {after} on {when}.'),
    password: settings('{brand}: Your password was changed', 'The password for your online banking was changed on {when}.'),
    limits: { before: [250000, 500000, 1000000], factor: [2, 4, 10] },
  },
  onlineUse: {
    subjects: ['International transaction alert: {amount} at {merchant}', '{brand}: Online purchase on card ending in {last4}'],
    lines: [
      'Hi {given},',
      '',
      'Your {brand} ending in {last4} was used for an online or international purchase.',
      '',
      {
        rows: [
          ['Merchant', '{merchant}'],
          ['Amount', '{amount}'],
          ['Date', '{when}'],
        ],
      },
      '',
      "Don't recognize this transaction? Call the number on the back of your card and we'll lock your card right away.",
    ],
  },
  pointsRedeemed: {
    item: 'a {usd} {reward}',
    rewards: ['{marketplace} gift card (e-code)', 'digital gift code', 'game store e-gift card', 'travel voucher e-code'],
    subjects: ['{brand}: Your rewards redemption confirmation', 'You redeemed your rewards points'],
    lines: [
      'Hi {given},',
      '',
      'You redeemed {points} points for {item} on {when}.',
      '',
      {
        rows: [
          ['Order number', '{ref}'],
          ['Points redeemed', '{points}'],
          ['Remaining balance', '{left} points'],
        ],
      },
      '',
      'Your code is available in your account under Rewards > Order history.',
      "If you didn't redeem these points, call us right away.",
    ],
  },
} satisfies BankingWording;

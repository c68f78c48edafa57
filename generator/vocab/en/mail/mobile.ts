import type { MobileWording } from '../../mail/mobile.js';

const CHANGED = ['We made a change to the account for your line {number}.'];
const CALL = ["If you didn't make this change, call us right away or visit a store."];

export default {
  greeting: 'Hi {given},',
  footer: ['This is an automated message. Please do not reply.', '{carrier} | {site}'],
  button: 'Go to My Account',
  simChanged: {
    esim: {
      subjects: ['{carrier}: Your eSIM was transferred to a new device'],
      paragraphs: ['The eSIM for your line {number} was changed. Your previous device no longer works on our network.'],
      rows: [
        ['Line', '{number}'],
        ['Change', 'eSIM transferred to a new device'],
        ['When', '{at}'],
      ],
      after: [
        "If you made this change, you're all set.",
        "If you didn't, someone may be trying to take over your phone number. Call us right away from another phone or visit a store.",
      ],
    },
    sim: {
      subjects: ['Your SIM card was changed'],
      paragraphs: ['The SIM card for your line {number} was changed. Your previous SIM card no longer works on our network.'],
      rows: [
        ['Line', '{number}'],
        ['Change', 'New SIM card activated'],
        ['When', '{at}'],
      ],
      after: [
        "If you made this change, you're all set.",
        "If you didn't, someone may be trying to take over your phone number. Call us right away from another phone or visit a store.",
      ],
    },
    via: null,
  },
  numberTransfer: {
    subjects: ['{carrier}: Your Number Transfer PIN', 'Request to transfer your number to another carrier'],
    paragraphs: ['A request was made to transfer your number {number} to another carrier. Here is the Number Transfer PIN for it.'],
    rows: [
      ['Number Transfer PIN', '{pin}'],
      ['Account number', '{account}'],
      ['Requested', '{at}'],
      ['Valid until', '{until}'],
    ],
    after: ['Once the transfer completes, your service with us ends.', "If you didn't request this, call us right away: your number may be at risk."],
    pinDigits: 6,
    accountDigits: 9,
    validDays: 7,
  },
  accountChanged: {
    contact: {
      subjects: ['{carrier}: Your contact email was updated'],
      paragraphs: CHANGED,
      rows: [
        ['New contact email', '{masked}'],
        ['When', '{at}'],
      ],
      after: CALL,
    },
    password: { subjects: ['{carrier}: Your account password was changed'], paragraphs: CHANGED, rows: [['When', '{at}']], after: CALL },
    plan: {
      subjects: ['{carrier}: Your plan change is confirmed'],
      paragraphs: CHANGED,
      rows: [
        ['Previous plan', '{from}'],
        ['New plan', '{to}'],
        ['Effective', 'Next bill cycle'],
      ],
      after: CALL,
    },
    plans: ['Basic 5GB', 'Unlimited Plus', 'Unlimited Premium', 'Prepaid 15GB'],
  },
} satisfies MobileWording;

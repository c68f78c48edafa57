import type { PeopleWording } from '../../mail/people.js';

export default {
  personal: { salutation: '{given}さん', quoted: '> (以前のメッセージ)' },
  spam: { addressee: '{family}様', amounts: [30000, 50000, 100000, 300000, 1000000] },
} satisfies PeopleWording;

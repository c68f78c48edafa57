import type { PeopleWording } from '../../mail/people.js';

export default {
  personal: { salutation: 'Hi {given},', quoted: '> (previous message)' },
  spam: { addressee: '{given}', amounts: [5000000, 10000000, 25000000, 100000000] },
} satisfies PeopleWording;

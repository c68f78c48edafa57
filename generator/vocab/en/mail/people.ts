import type { PeopleWording } from '../../mail/people.js';

export default {
  personal: { salutation: 'Hi {given},', quoted: '> (previous message)' },
  spam: {
    addressee: '{given}',
    amounts: [5000000, 10000000, 25000000, 100000000],
    dearFriend: 'Dear Friend,',
    imageFallback: "Can't see the images? View this message online: {url}",
    optOut: 'To stop receiving these messages, click here: {url}',
    replyTo: 'Reply directly to our agent at {address} to claim.',
  },
} satisfies PeopleWording;

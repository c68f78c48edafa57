import type { PeopleWording } from '../../mail/people.js';

export default {
  personal: { salutation: '{given}さん', quoted: '> (以前のメッセージ)' },
  spam: {
    addressee: '{family}様',
    amounts: [30000, 50000, 100000, 300000, 1000000],
    dearFriend: 'お客様各位',
    imageFallback: '画像が表示されない場合はこちらからご覧ください: {url}',
    optOut: '※配信停止をご希望の方はこちら: {url}',
    replyTo: 'お問い合わせは担当者まで直接ご返信ください: {address}',
  },
} satisfies PeopleWording;

import type { MobileWording } from '../../mail/mobile.js';

const THANKS = 'いつも{carrier}をご利用いただきありがとうございます。';
const sim = (subject: string, what: string, device: string) => ({
  subjects: [subject],
  paragraphs: [THANKS, 'お客様のご契約で、以下のお手続きが完了しましたのでお知らせいたします。'],
  rows: [
    ['受付日時', '{at}'],
    ['お手続き内容', what],
    ['対象電話番号', '{number}'],
    ['受付方法', '{via}'],
  ] as const,
  after: [
    `お手続きの完了後、これまでお使いの${device}はご利用いただけなくなります。`,
    'このお手続きにお心当たりのない場合は、第三者による不正なお手続きの可能性があります。至急、他の電話から{carrier}お客様センターまでご連絡ください。',
  ],
});
const changed = (title: string, rows: ReadonlyArray<readonly [string, string]>) => ({
  subjects: [`【{carrier}】${title}`],
  paragraphs: [THANKS, 'ご契約({number})の登録内容が変更されましたのでお知らせいたします。'],
  rows,
  after: ['お客様ご自身による変更でない場合は、至急お客様センターまでご連絡ください。'],
});

export default {
  greeting: '{name} 様',
  footer: ['※本メールは送信専用アドレスからお送りしています。ご返信いただいてもお答えできません。', '━━━━━━━━━━━━━━━━━━━━', '{carrier}', '{site}'],
  button: 'マイページへ',
  simChanged: {
    esim: sim('【{carrier}】eSIM再発行(機種変更)お手続き完了のお知らせ', 'eSIM再発行(新しい機種へのプロファイル転送)', 'eSIM'),
    sim: sim('【{carrier}】SIMカード再発行お手続き完了のお知らせ', 'SIMカード再発行', 'SIMカード'),
    via: { online: 'オンライン(マイページ)', store: 'ショップ店頭', onlineShare: 0.7 },
  },
  numberTransfer: {
    subjects: ['【{carrier}】MNP予約番号発行のお知らせ', '【{carrier}】携帯電話番号ポータビリティ(MNP)予約番号のお知らせ'],
    paragraphs: [THANKS, 'ご契約中の電話番号を他社へお乗り換え(MNP)いただくための予約番号を発行いたしました。'],
    rows: [
      ['受付日時', '{at}'],
      ['対象電話番号', '{number}'],
      ['MNP予約番号', '{pin}'],
      ['有効期限', '{until}'],
    ],
    after: [
      '有効期限内に転入先でのお手続きがない場合、予約番号は無効となります。転入先でのお手続きが完了すると、当社でのご契約は自動的に解約となります。',
      'お心当たりのない場合は、至急お客様センターまでご連絡ください。',
    ],
    pinDigits: 10,
    accountDigits: null,
    validDays: 15,
  },
  accountChanged: {
    contact: changed('ご登録連絡先変更のお知らせ', [
      ['変更日時', '{at}'],
      ['変更内容', '連絡先メールアドレス'],
      ['変更後', '{masked}'],
    ]),
    password: changed('{carrier} ID パスワード変更のお知らせ', [
      ['変更日時', '{at}'],
      ['変更内容', '{carrier} ID のパスワード'],
    ]),
    plan: changed('料金プラン変更受付のお知らせ', [
      ['受付日時', '{at}'],
      ['変更前', '{from}'],
      ['変更後', '{to}'],
      ['適用開始', '翌月1日'],
    ]),
    plans: ['ライトプラン 3GB', 'スタンダードプラン 20GB', 'データ使い放題プラン', 'シンプルプラン 5GB'],
  },
} satisfies MobileWording;

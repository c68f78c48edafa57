import type { FinanceWording } from '../../mail/finance.js';

/** The closing block Japanese banks and issuers put under every notice. */
export const ISSUER_FOOTER = [
  '',
  '※本メールは送信専用アドレスから配信しています。ご返信いただいてもお答えできませんのでご了承ください。',
  '━━━━━━━━━━━━━━━━━━━━',
  '{brand}',
  'https://www.{domain}/',
  '━━━━━━━━━━━━━━━━━━━━',
] as const;

export default {
  footer: ISSUER_FOOTER,
  cardUse: {
    subjects: ['ご利用のお知らせ【{brand}】', 'カード利用のお知らせ(本人ご利用分)'],
    lines: [
      '{name} 様',
      '',
      'いつも{brand}をご利用いただきありがとうございます。',
      'お客様のカードご利用内容をお知らせいたします。',
      '',
      {
        rows: [
          ['ご利用カード', '{brand}(末尾{last4})'],
          ['ご利用日時', '{when}'],
          ['ご利用先', '{merchant}'],
          ['ご利用金額', '{amount}'],
        ],
      },
      '',
      'ご利用内容に心当たりがない場合は、裏面記載のお問い合わせ先までご連絡ください。',
    ],
  },
  cardStatement: {
    subject: '【{brand}】ご請求金額確定のお知らせ',
    lines: [
      '{name} 様',
      '',
      '{brand}をご利用いただきありがとうございます。今月のご請求金額が確定しましたのでお知らせいたします。',
      '',
      {
        rows: [
          ['ご請求金額', '{amount}'],
          ['お支払日', '27日(金融機関休業日の場合は翌営業日)'],
        ],
      },
      '',
      'ご利用明細は会員サイトでご確認ください。\nhttps://www.{domain}/member/',
    ],
  },
  bankNotice: {
    kinds: {
      deposit: { title: '入金のお知らせ', what: '入金' },
      withdrawal: { title: '出金のお知らせ', what: '出金' },
      transfer: { title: 'お振込受付のお知らせ', what: 'お振込受付' },
      'sign-in': { title: 'ログインのお知らせ', what: 'ログイン' },
    },
    subject: '【{brand}】{title}',
    signIn: [
      '{name} 様',
      '',
      '{brand}をご利用いただきありがとうございます。',
      'インターネットバンキングにログインがありました。',
      '',
      { rows: [['ログイン日時', '{when}']] },
      '',
      'お心当たりのない場合は、至急当行までご連絡ください。',
    ],
    transaction: [
      '{name} 様',
      '',
      '{brand}をご利用いただきありがとうございます。',
      'お客様の口座で以下のお取引がありました。',
      '',
      {
        rows: [
          ['お取引日時', '{when}'],
          ['お取引金額', '{amount}'],
          ['お取引内容', '{what}'],
        ],
      },
      '',
      'お心当たりのない場合は、至急当行までご連絡ください。',
    ],
  },
  marketplaceMerchant: '{brand}',
} satisfies FinanceWording;

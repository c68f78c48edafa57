import type { MarketplaceAccountWording } from '../../mail/marketplace-account.js';

export default {
  addressAdded: {
    subjects: ['{brand}: お届け先住所が追加されました', 'お客様の{brand}アカウントに新しいお届け先が追加されました'],
    paragraphs: ['お客様の{brand}アカウントに、新しいお届け先住所が追加されました。'],
    rows: { when: '追加日時', address: 'お届け先(一部を表示)' },
    after: ['この変更に心当たりがない場合は、直ちにパスワードを変更し、アドレス帳から住所を削除してください。'],
    button: 'アドレス帳を確認',
    masked: '{region}{city} ****',
  },
  paymentAdded: {
    subjects: ['{brand}: お支払い方法が追加されました', 'お客様の{brand}アカウントに新しいお支払い方法が追加されました'],
    paragraphs: ['{network} 末尾 {last4} のカードが、お客様の{brand}アカウントのお支払い方法に追加されました。'],
    rows: { when: '追加日時' },
    after: ['この変更に心当たりがない場合は、直ちにパスワードを変更し、カスタマーサービスにご連絡ください。'],
    button: 'お支払い方法を確認',
  },
  emailChanged: {
    subjects: ['{brand}: Eメールアドレスが変更されました', 'お客様の{brand}アカウントのEメールアドレスが変更されました'],
    paragraphs: [
      'お客様の{brand}アカウントに登録されているEメールアドレスが変更されました。このメールは変更前のアドレスにお送りしています。今後のお知らせは新しいアドレスにお送りします。',
    ],
    rows: { when: '変更日時', address: '新しいEメールアドレス' },
    after: ['この変更に心当たりがない場合は、直ちにカスタマーサービスにご連絡ください。'],
    button: 'アカウントサービスを確認',
  },
  paymentConfirmed: {
    subjects: ['{brand}: ご注文 {number} のお支払いが完了しました', 'お支払い完了のお知らせ {items}'],
    subjectClip: 30,
    rowsClip: 40,
    paragraphs: ['{brand}をご利用いただき、ありがとうございます。以下のご注文のお支払い手続きが完了しました。'],
    rows: { number: '注文番号', items: '商品', paidOn: 'お支払い日時', method: 'お支払い方法', amount: 'お支払い金額(税込)' },
    after: ['商品の発送準備が整い次第、Eメールでお知らせいたします。'],
    button: '注文の詳細',
  },
  orderCancelled: {
    subjects: ['{brand} ご注文のキャンセル {items}', 'ご注文のキャンセル (注文番号 {number})'],
    subjectClip: 30,
    rowsClip: 40,
    paragraphs: ['{brand}をご利用いただき、ありがとうございます。以下のご注文はキャンセルされました。'],
    rows: { number: '注文番号', items: 'キャンセルされた商品', amount: '金額(税込)' },
    after: ['このご注文について、お支払い方法に請求されることはありません。既に請求が行われている場合は、返金の手続きをいたします。'],
    button: '注文履歴を表示',
  },
  pointsUsed: {
    subjects: ['【{brand}】ポイント利用のお知らせ', '{brand}ポイントご利用のお知らせ'],
    paragraphs: ['お客様の{brand}ポイントがご注文に利用されました。'],
    rows: { when: 'ご利用日時', number: '注文番号', used: 'ご利用ポイント', left: '残りのポイント' },
    used: '{points}ポイント',
    left: '{left}ポイント',
    after: ['お心当たりのない場合は、直ちにパスワードを変更し、カスタマーサービスにご連絡ください。'],
    button: 'ポイント履歴を確認',
  },
} satisfies MarketplaceAccountWording;

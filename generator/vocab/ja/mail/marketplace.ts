import type { MarketplaceWording } from '../../mail/marketplace.js';

export default {
  greeting: '{name} 様',
  senders: { orders: '{brand}', shipping: '{brand}', account: '{brand}', promo: '{brand}', security: '{brand}' },
  footer: ['このメールアドレスは配信専用です。このメッセージに返信しないようお願いいたします。', '{brand} ({site})'],
  addressee: '{name} 様',
  items: { one: '「{first}」', more: { one: '「{first}」ほか{more}点', other: '「{first}」ほか{more}点' } },
  soldBy: { platform: '販売: {brand}', seller: '出品者: {seller}' },
  labels: {
    orderNumber: '注文番号',
    placedOn: '注文日',
    arriving: 'お届け予定日',
    carrier: '配送業者',
    trackingId: 'お問い合わせ伝票番号',
    quantity: '数量',
    price: '価格',
  },
  orderConfirmation: {
    subject: { text: '{brand} ご注文の確認 {items}', clip: 40 },
    payment: '{network} 末尾 {last4}',
    totals: { subtotal: '商品の小計', shipping: '配送料・手数料', total: '注文合計(税込)', paymentMethod: 'お支払い方法' },
    digitalShipTo: 'デジタルコンテンツ(配送なし)',
    intro: '{brand}をご利用いただき、ありがとうございます。ご注文を承りました。商品の発送準備が整い次第、Eメールでお知らせいたします。',
    shipTo: 'お届け先',
    details: 'ご注文内容',
    manage: 'ご注文の確認・変更は「注文履歴」から行えます。',
    button: '注文履歴を表示',
  },
  shipped: {
    subjects: [
      { text: '{items}の発送', clip: 40 },
      { text: '発送済み: {items}', clip: 40 },
    ],
    intro: 'ご注文の商品を発送しました。配送状況は以下からご確認いただけます。',
    items: '発送した商品',
    shipTo: 'お届け先',
    track: '配送状況の確認',
    carrierTracking: '{carrier}の追跡ページ: {url}',
    button: '配送状況を確認',
  },
  delivered: {
    subject: { text: '配達済み: {items}', clip: 40 },
    body: 'ご注文の商品をお届けしました。\n配達日時: {when}\n注文番号: {number}',
    ask: '商品を受け取っていない場合は、注文履歴からお問い合わせください。',
    button: '注文の詳細',
  },
  accountChange: {
    subject: 'お客様の{brand}アカウントに対する最近の変更',
    takeoverReverted: [
      '{brand}では、お客様のアカウントで通常とは異なる操作が行われたことを確認いたしました。',
      'お客様のアカウントを保護するため、パスワードを無効にし、第三者によって行われた変更を元に戻しました。また、未発送のご注文はすべてキャンセルいたしました。',
      'キャンセルされたご注文に関する確認メールは無視してください。登録されているお支払い方法に請求されることはありません。',
      'パスワードの再設定は、約{hours}時間後から行うことができます。{brand}にサインインし、画面の案内に従って新しいパスワードを設定してください。',
    ],
    ownerUpdated: [
      'お客様のアカウント情報が更新されました。',
      'この変更に心当たりがない場合は、直ちにパスワードを変更し、カスタマーサービスにご連絡ください。',
    ],
    button: 'サインイン',
  },
  supportFollowup: {
    subject: '[重要] {brand}よりお客様のアカウントについてのお知らせ',
    paragraphs: [
      '先日はお問い合わせいただき、ありがとうございました。',
      'お客様のアカウントで第三者により行われたご注文は、すべてキャンセル済みです。出品者から発送された商品がお手元に届いた場合は、受け取りを辞退いただくか、破棄していただいて差し支えありません。',
      'お客様にご負担が生じることはございません。ご不便をおかけし申し訳ございません。',
    ],
  },
  newSignIn: {
    subject: '{brand}: 新しいデバイスからのサインイン',
    lead: 'お客様のアカウントへの新しいサインインがありました。',
    labels: { when: '日時', device: 'デバイス', near: '場所(おおよそ)' },
    note: 'ご本人によるサインインであれば、対応は不要です。お心当たりのない場合は、パスワードを変更してください。',
    button: 'セキュリティ設定',
  },
  passwordChanged: {
    subject: '{brand} パスワードの変更',
    body: 'お客様の{brand}アカウントのパスワードが {when} に変更されました。\nこの変更に心当たりがない場合は、直ちにカスタマーサービスまでご連絡ください。',
  },
  passwordReset: {
    subject: '{brand}パスワードの支援',
    body: 'パスワードの再設定を行うには、次の確認コードを入力してください。\n\n{code}\n\nこのコードの有効期限は10分です。ご本人が要求されていない場合は、このメールを無視してください。',
  },
  signInCode: {
    subject: 'hanamart: サインイン試行',
    body: 'サインインを完了するには、次のワンタイムパスワードを入力してください。\n\n{code}\n\nこのコードを他人に教えないでください。',
  },
  promo: {
    saleSubjects: ['【{event}】開催中: {head} など', '{event} まもなく終了', '{event}のおすすめ商品'],
    subjects: ['{family}様へのおすすめ: {head}', '{brand}: 新着のおすすめ商品', '「{head}」など、チェックした商品に関連するおすすめ'],
    headClip: 28,
    intro: '{brand}からのおすすめ商品のお知らせです。',
    unsubscribe: '配信停止: {url}',
    button: 'セール会場へ',
  },
} satisfies MarketplaceWording;

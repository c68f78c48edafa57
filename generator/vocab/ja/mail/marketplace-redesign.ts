import type { MarketplaceWording } from '../../mail/marketplace.js';
import classic from './marketplace.js';

/**
 * The marketplace's redesigned mail, sent from a config `drift` date on: new subjects, field
 * labels, sender names and footer, as a real redesign brings. What the redesign did not touch (the
 * takeover notice, codes, promotions) keeps the classic wording.
 */
export default {
  ...classic,
  greeting: 'こんにちは、{name} 様',
  senders: { orders: '{brand} ご注文', shipping: '{brand} 配送', account: '{brand} アカウント', promo: '{brand}', security: '{brand} アカウント' },
  footer: ['本メールは送信専用です。ご不明な点はヘルプページをご覧ください。', 'Copyright (C) {brand} ({site})'],
  labels: {
    orderNumber: 'ご注文番号',
    placedOn: 'ご注文日時',
    arriving: 'お届け予定',
    carrier: '配送会社',
    trackingId: '追跡番号',
    quantity: '個数',
    price: '単価',
  },
  orderConfirmation: {
    ...classic.orderConfirmation,
    subject: { text: 'ご注文を承りました: {items}', clip: 40 },
    payment: '{network} (下4桁 {last4})',
    totals: { subtotal: '小計', shipping: '送料', total: 'お支払い金額(税込)', paymentMethod: 'お支払い' },
    shipTo: 'お届け先住所',
    details: 'ご注文の商品',
    manage: 'ご注文の状況はアカウントサービスからご確認いただけます。',
    button: 'ご注文の詳細を見る',
    gift: { ...classic.orderConfirmation.gift, subject: { text: 'ギフトのご注文を承りました: {items}', clip: 36 } },
  },
  shipped: {
    ...classic.shipped,
    subjects: [
      { text: '発送のお知らせ: {items}', clip: 40 },
      { text: 'お荷物を発送しました: {items}', clip: 36 },
    ],
    intro: 'ご注文の商品が発送されました。',
    items: '発送商品',
    shipTo: 'お届け先住所',
    track: '配送状況',
    button: '荷物を追跡',
  },
  delivered: {
    ...classic.delivered,
    subject: { text: 'お届け完了: {items}', clip: 40 },
    body: 'ご注文の商品をお届けしました。\nお届け日時: {when}\nご注文番号: {number}',
  },
  newSignIn: {
    ...classic.newSignIn,
    subject: '{brand}: 新しいログインがありました({device})',
    lead: '新しい端末からアカウントへのログインがありました。',
    labels: { when: 'ログイン日時', device: '端末', near: 'おおよその場所' },
  },
  passwordChanged: { ...classic.passwordChanged, subject: '{brand}のパスワードが変更されました' },
} satisfies MarketplaceWording;

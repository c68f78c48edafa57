import type { ShopWording } from '../../mail/shops.js';

export default {
  greeting: '{name} 様',
  viewOrder: '注文履歴',
  orderConfirmation: {
    subject: '【{shop}】ご注文ありがとうございます(注文番号: {number})',
    intro: 'ご注文を承りました。発送まで今しばらくお待ちください。',
    labels: { order: '注文番号', item: '商品', total: '合計(税込)' },
  },
  invoice: {
    note: '領収書(PDF)を添付しております。',
    title: '領収書',
    filename: 'receipt-{number}',
    lines: ['{shop}', '領収書', 'ご注文番号: {number}', 'ご注文日: {date}', '商品: {item}', '合計(税込): {total}', 'ご利用ありがとうございました。'],
  },
  shipped: {
    subject: '【{shop}】商品発送のお知らせ',
    intro: 'ご注文の商品を発送いたしました。',
    labels: { order: '注文番号', carrier: '配送業者', tracking: '伝票番号' },
  },
} satisfies ShopWording;

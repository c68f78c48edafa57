import type { ShopWording } from '../../mail/shops.js';

export default {
  greeting: '{name} 様',
  viewOrder: '注文履歴',
  orderConfirmation: {
    subject: '【{shop}】ご注文ありがとうございます(注文番号: {number})',
    intro: 'ご注文を承りました。発送まで今しばらくお待ちください。',
    labels: { order: '注文番号', item: '商品', total: '合計(税込)' },
  },
  shipped: {
    subject: '【{shop}】商品発送のお知らせ',
    intro: 'ご注文の商品を発送いたしました。',
    labels: { order: '注文番号', carrier: '配送業者', tracking: '伝票番号' },
  },
} satisfies ShopWording;

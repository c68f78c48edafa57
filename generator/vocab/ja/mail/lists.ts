import type { ListsWording } from '../../mail/lists.js';

export default {
  newsletter: { viewInBrowser: 'ブラウザで見る: {url}', unsubscribe: '配信停止: {url}', unsubscribeLabel: '配信停止はこちら', readMore: '続きを読む' },
  social: { manage: 'メール通知の設定: {url}', view: '表示する' },
  socialSignIn: {
    homePlace: '日本',
    subject: '{network}: 新しいログインがありました',
    body: '{given}さん、{place}から新しいログインがありました。ご本人の場合は対応は不要です。心当たりがない場合はパスワードを変更してください。',
    button: '確認する',
  },
} satisfies ListsWording;

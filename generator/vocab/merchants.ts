/**
 * Merchants printed on card-use notices. Fictional names in the style of card statements
 * (upper-case Latin for US statements, Japanese shop names for Japanese issuers).
 */
import type { Locale } from './types.js';

export const MERCHANTS: Record<Locale, readonly string[]> = {
  ja: [
    'ハナマート',
    'まちかどマート',
    'スーパーあおば',
    'ドラッグストアみどり',
    'カフェ・こもれび',
    'ガソリンスタンド東西',
    'ひかり電力',
    'つばさ交通 ICチャージ',
    'そよかぜ書店',
    'レストラン山ぶどう',
    'ファミリー食堂はなまる',
    'コンビニエンスストアいろは',
    'ネットスーパーくらし',
    'ほしぞら映画館',
    'ゆうやけ薬局',
  ],
  en: [
    'HANAMART*MKTP',
    'CORNER MARKET #214',
    'BLUE LANTERN CAFE',
    'QUICKFUEL 0441',
    'GREENWAY GROCERY',
    'CITYLINE TRANSIT',
    'PAGEHAVEN BOOKS',
    'MAPLE STREET DINER',
    'NORTHSIDE PHARMACY',
    'STREAMBOX SUBSCRIPTION',
    'HARBOR CINEMA',
    'FRESHCART DELIVERY',
    'OAKLINE OUTFITTERS',
    'SUNRISE BAKERY',
    'METRO PARKING 12',
  ],
};

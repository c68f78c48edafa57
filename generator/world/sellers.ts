/**
 * Marketplace sellers: the platform itself, domestic third-party shops and foreign third-party
 * sellers. Derived from the seed alone and shared by every mailbox, so the same foreign seller
 * shows up in a genuine cross-border order and in a takeover burst alike.
 */
import type { Stream } from '../core/rng.js';
import type { CarrierId } from './carriers.js';
import type { Locale } from '../vocab/types.js';

export type SellerKind = 'platform' | 'domestic' | 'foreign';

export interface Seller {
  id: string;
  kind: SellerKind;
  /** Name as the marketplace prints it ("出品者: ..." / "Sold by ..."). */
  name: Record<Locale, string>;
  /** ISO country the seller ships from. */
  country: string;
  /** Carriers it ships with, most used first (weights in `carrierWeights`). */
  carriers: readonly CarrierId[];
  carrierWeights: readonly number[];
}

const PINYIN = [
  'xin',
  'yue',
  'jia',
  'long',
  'hua',
  'mei',
  'feng',
  'tian',
  'hao',
  'sheng',
  'kai',
  'rui',
  'yang',
  'zhi',
  'bo',
  'chen',
  'da',
  'fu',
  'guang',
  'hong',
  'jin',
  'le',
  'ming',
  'ning',
  'qi',
  'shun',
  'tai',
  'wei',
  'xing',
  'yu',
  'zhong',
  'an',
  'heng',
  'lan',
  'peng',
  'sen',
];
const CN_CITIES = ['Shenzhen', 'Guangzhou', 'Yiwu', 'Dongguan', 'Hangzhou', 'Xiamen', 'Ningbo', 'Foshan'];
const CN_SUFFIX = ['Trading Co., Ltd', 'Technology Co., Ltd', 'E-commerce Co., Ltd', 'Industrial Co., Ltd', 'Import & Export Co., Ltd'];
const KR_WORDS = ['Hana', 'Sori', 'Dami', 'Bom', 'Nuri', 'Saeby', 'Haneul', 'Gaon'];
const JA_SHOP_WORDS = [
  'さくら',
  'ひまわり',
  'ことぶき',
  'やまびこ',
  'はなみずき',
  'あおぞら',
  'こはる',
  'ふくろう',
  'つむぎ',
  'みなも',
  'かえで',
  'すずらん',
  'いろは',
  'まほろば',
  'ひなた',
  'わかば',
];
const JA_SHOP_SUFFIX = ['雑貨店', 'ストア', '商店', 'ショップ', '本舗', '堂', 'マーケット', '商会', 'セレクト'];
const EN_SHOP_A = ['Maple', 'Brightway', 'Harbor', 'Cedar', 'Northstar', 'Willow', 'Summit', 'Bluebird', 'Copper', 'Meadow', 'Ironwood', 'Lakeside'];
const EN_SHOP_B = ['Goods', 'Supply', 'Outlet', 'Direct', 'Trading', 'Store', 'Depot', 'Mercantile'];

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function foreignName(rng: Stream): { name: string; country: string } {
  const r = rng.float();
  if (r < 0.12) return { name: `${rng.pick(KR_WORDS)}${rng.pick(KR_WORDS).toLowerCase()} Global`, country: 'KR' };
  if (r < 0.2) return { name: `${cap(rng.pick(PINYIN))}${rng.pick(PINYIN)} SG Store`, country: 'SG' };
  const a = rng.pick(PINYIN);
  const b = rng.pick(PINYIN);
  const c = rng.pick(PINYIN);
  switch (rng.int(0, 3)) {
    case 0:
      return { name: (a + b + c).toUpperCase(), country: 'CN' };
    case 1:
      return { name: `${rng.pick(CN_CITIES)} ${cap(a)}${b} ${rng.pick(CN_SUFFIX)}`, country: 'CN' };
    case 2:
      return { name: `${cap(a)}${cap(b)}-JP`, country: 'CN' };
    default:
      return { name: `${cap(a)}${b}${cap(c)} Direct`, country: 'CN' };
  }
}

const FOREIGN_CARRIERS: Record<string, { carriers: CarrierId[]; weights: number[] }> = {
  CN: { carriers: ['china-post', 'ups'], weights: [0.9, 0.1] },
  KR: { carriers: ['korea-post', 'ups'], weights: [0.85, 0.15] },
  SG: { carriers: ['singapore-post', 'china-post'], weights: [0.8, 0.2] },
};

export interface SellerCatalog {
  platform: Seller;
  domestic: Record<Locale, Seller[]>;
  foreign: Seller[];
}

export function makeSellers(rng: Stream, counts: { domestic: number; foreign: number }): SellerCatalog {
  const platform: Seller = {
    id: 'platform',
    kind: 'platform',
    name: { ja: 'ハナマート', en: 'Hanamart' },
    country: 'JP',
    carriers: ['hanamart', 'yamato', 'japanpost-yupack'],
    carrierWeights: [0.7, 0.2, 0.1],
  };
  const domestic: Record<Locale, Seller[]> = { ja: [], en: [] };
  for (let i = 0; i < counts.domestic; i++) {
    const r = rng.child('domestic-ja', i);
    domestic.ja.push({
      id: `dj${i}`,
      kind: 'domestic',
      name: { ja: `${r.pick(JA_SHOP_WORDS)}${r.pick(JA_SHOP_SUFFIX)}`, en: '' },
      country: 'JP',
      carriers: ['yamato', 'sagawa', 'japanpost-yupack', 'japanpost-registered'],
      carrierWeights: [0.45, 0.25, 0.2, 0.1],
    });
    const e = rng.child('domestic-en', i);
    domestic.en.push({
      id: `de${i}`,
      kind: 'domestic',
      name: { ja: '', en: `${e.pick(EN_SHOP_A)} ${e.pick(EN_SHOP_B)}` },
      country: 'US',
      carriers: ['usps', 'ups'],
      carrierWeights: [0.6, 0.4],
    });
  }
  const foreign: Seller[] = [];
  for (let i = 0; i < counts.foreign; i++) {
    const r = rng.child('foreign', i);
    const { name, country } = foreignName(r);
    const c = FOREIGN_CARRIERS[country]!;
    foreign.push({ id: `f${i}`, kind: 'foreign', name: { ja: name, en: name }, country, carriers: c.carriers, carrierWeights: c.weights });
  }
  return { platform, domestic, foreign };
}

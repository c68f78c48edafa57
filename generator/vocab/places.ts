/**
 * Places a sign-in notice reports ("near ..."), as providers print them: in the owner's country
 * (home) or abroad. Real place names are public facts; no address or person is implied.
 */
import type { ZoneName } from '../core/time.js';
import type { Locale } from './types.js';

type Country = 'JP' | 'US' | 'GB' | 'AU';

/** The country an owner lives in, from their zone (the zones personas are given). */
export function countryOf(zone: ZoneName): Country {
  if (zone === 'Asia/Tokyo') return 'JP';
  if (zone === 'Europe/London') return 'GB';
  if (zone === 'Australia/Sydney') return 'AU';
  return 'US';
}

const HOME: Record<Country, readonly string[]> = {
  JP: ['東京都, 日本', '大阪府, 日本', '神奈川県, 日本', '福岡県, 日本', '愛知県, 日本', '北海道, 日本', '埼玉県, 日本', '京都府, 日本'],
  US: [
    'New York, United States',
    'California, United States',
    'Illinois, United States',
    'Texas, United States',
    'Washington, United States',
    'Florida, United States',
  ],
  GB: ['London, United Kingdom', 'Manchester, United Kingdom', 'Bristol, United Kingdom', 'Leeds, United Kingdom'],
  AU: ['New South Wales, Australia', 'Victoria, Australia', 'Queensland, Australia'],
};

const ABROAD: Record<Locale, readonly string[]> = {
  ja: [
    'ホーチミン, ベトナム',
    'サンパウロ, ブラジル',
    'ラゴス, ナイジェリア',
    'モスクワ, ロシア',
    'ジャカルタ, インドネシア',
    'マニラ, フィリピン',
    '上海, 中国',
    'ハワイ, アメリカ合衆国',
    'ソウル, 韓国',
    'バンコク, タイ',
  ],
  en: [
    'Ho Chi Minh City, Vietnam',
    'Sao Paulo, Brazil',
    'Lagos, Nigeria',
    'Moscow, Russia',
    'Jakarta, Indonesia',
    'Bucharest, Romania',
    'Shanghai, China',
    'Cancun, Mexico',
    'Paris, France',
    'Bangkok, Thailand',
  ],
};

/** Places in the owner's own country. */
export function homePlaces(zone: ZoneName): readonly string[] {
  return HOME[countryOf(zone)];
}

/** Places outside the owner's country, written in the owner's language. */
export function abroadPlaces(locale: Locale): readonly string[] {
  return ABROAD[locale];
}

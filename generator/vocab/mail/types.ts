/** The families of mail wording: every locale's `vocab/<locale>/mail/index.ts` satisfies this. */
import type { MarketplaceAccountWording } from './marketplace-account.js';
import type { MarketplaceWording } from './marketplace.js';
import type { ShopWording } from './shops.js';

export interface MailWording {
  marketplace: MarketplaceWording;
  marketplaceAccount: MarketplaceAccountWording;
  shops: ShopWording;
}

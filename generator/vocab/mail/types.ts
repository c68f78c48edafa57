/** The families of mail wording: every locale's `vocab/<locale>/mail/index.ts` satisfies this. */
import type { BankingWording } from './banking.js';
import type { FinanceWording } from './finance.js';
import type { ListsWording } from './lists.js';
import type { MarketplaceAccountWording } from './marketplace-account.js';
import type { MarketplaceWording } from './marketplace.js';
import type { MarketplaceEdition } from '../../config.js';
import type { MobileWording } from './mobile.js';
import type { PeopleWording } from './people.js';
import type { PhishingWording } from './phishing.js';
import type { ProviderWording } from './provider.js';
import type { ServicesWording } from './services.js';
import type { ShopWording } from './shops.js';

export interface MailWording {
  banking: BankingWording;
  finance: FinanceWording;
  lists: ListsWording;
  /** One wording per edition of the marketplace's mail (see `TEMPLATE_EDITIONS`). */
  marketplace: Readonly<Record<MarketplaceEdition, MarketplaceWording>>;
  marketplaceAccount: MarketplaceAccountWording;
  mobile: MobileWording;
  people: PeopleWording;
  phishing: PhishingWording;
  provider: ProviderWording;
  services: ServicesWording;
  shops: ShopWording;
}

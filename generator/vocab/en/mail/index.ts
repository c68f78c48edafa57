/** Every mail family's wording in this locale. */
import type { MailWording } from '../../mail/types.js';
import banking from './banking.js';
import finance from './finance.js';
import lists from './lists.js';
import marketplace from './marketplace.js';
import marketplaceRedesign from './marketplace-redesign.js';
import marketplaceAccount from './marketplace-account.js';
import mobile from './mobile.js';
import people from './people.js';
import phishing from './phishing.js';
import provider from './provider.js';
import services from './services.js';
import shops from './shops.js';

export default {
  banking,
  finance,
  lists,
  marketplace: { classic: marketplace, redesign: marketplaceRedesign },
  marketplaceAccount,
  mobile,
  people,
  phishing,
  provider,
  services,
  shops,
} satisfies MailWording;

/** Every mail family's wording in this locale. */
import type { MailWording } from '../../mail/types.js';
import marketplace from './marketplace.js';
import marketplaceAccount from './marketplace-account.js';
import shops from './shops.js';

export default { marketplace, marketplaceAccount, shops } satisfies MailWording;

/**
 * The registry of mail types. Scenario files name mail types by id; the registry refuses
 * duplicates so that an id always means one template.
 */
import type { MailType } from './types.js';
import { MARKETPLACE_TYPES } from './marketplace.js';
import { FINANCE_TYPES } from './finance.js';
import { LIST_TYPES } from './lists.js';
import { PEOPLE_TYPES } from './people.js';
import { PHISHING_TYPES } from './phishing.js';
import { SHOP_TYPES } from './shops.js';
import { PROVIDER_TYPES } from './provider.js';
import { SERVICE_TYPES } from './services.js';
import { BANKING_TYPES } from './banking.js';
import { MOBILE_TYPES } from './mobile.js';
import { MARKETPLACE_ACCOUNT_TYPES } from './marketplace-account.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMailType = MailType<any>;

const registry = new Map<string, AnyMailType>();

export function registerMailType(t: AnyMailType): void {
  if (registry.has(t.id)) throw new Error(`mail type "${t.id}" is already registered`);
  registry.set(t.id, t);
}

for (const t of [
  ...MARKETPLACE_TYPES,
  ...MARKETPLACE_ACCOUNT_TYPES,
  ...FINANCE_TYPES,
  ...BANKING_TYPES,
  ...LIST_TYPES,
  ...PEOPLE_TYPES,
  ...PHISHING_TYPES,
  ...SHOP_TYPES,
  ...PROVIDER_TYPES,
  ...SERVICE_TYPES,
  ...MOBILE_TYPES,
] as AnyMailType[])
  registerMailType(t);

export function mailTypeById(id: string): AnyMailType | undefined {
  return registry.get(id);
}

/** All mail type ids, sorted. */
export function mailTypeIds(): string[] {
  return [...registry.keys()].sort();
}

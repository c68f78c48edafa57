/**
 * The owner's mailbox provider's notices about the mailbox account. Placeholders: `{provider}`
 * (its name in the locale), `{address}` (the mailbox), `{name}`, `{given}`, `{at}`, and those
 * listed per key. Subjects are lists, one drawn per mail. Rows are `[label, value]` with
 * placeholders in the value.
 */
type Rows = ReadonlyArray<readonly [string, string]>;

export interface ProviderNotice {
  subjects: readonly string[];
  intro: readonly string[];
  rows: Rows;
  /** What to do if it was not the owner. */
  advice: readonly string[];
  button: string;
}

export interface ProviderWording {
  /** The sender's display name; `{provider}`. */
  sender: string;
  greeting: string;
  footer: readonly string[];
  /** Devices as notices print them. */
  devices: readonly string[];
  /** Where the owner usually signs in from, as IP geolocation shows it; `{city}`, `{region}`, `{country}`. */
  homePlace: string;
  /** `{device}`, `{place}`, `{ip}`. */
  newSignIn: ProviderNotice;
  /** Per kind, what is changed (`{what}`) and the new value's label; `{value}`. */
  recoveryChanged: ProviderNotice & { kinds: Record<'email' | 'phone', { what: string; newLabel: string }> };
  /** `{target}`. */
  forwardingAdded: ProviderNotice;
  /** `{rule}`, `{condition}`, `{action}`, drawn from `rules`. Owners' and attackers' rules come from the same lists. */
  filterAdded: ProviderNotice & { rules: { names: readonly string[]; conditions: readonly string[]; actions: readonly string[] } };
  twoFactorDisabled: ProviderNotice;
  passwordChanged: ProviderNotice;
}

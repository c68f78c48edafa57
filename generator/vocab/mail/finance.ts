/**
 * What banks' and card issuers' notices say. They are written as lines, as these senders write
 * them (plain text first; the HTML part, where there is one, has a paragraph per line). A line is
 * a string or a table of `label: value` rows. Placeholders: `{brand}` (the bank or issuer),
 * `{domain}` (its site), `{name}`, `{given}`, and those listed per key.
 */

export type FinanceLine = string | { rows: ReadonlyArray<readonly [string, string]> };

export type BankNoticeKind = 'deposit' | 'withdrawal' | 'transfer' | 'sign-in';

export interface FinanceWording {
  /** Closing lines under every notice (the ja block of a no-reply note and the sender; none in en). */
  footer: readonly string[];
  cardUse: {
    /** One wording, or two drawn half and half; `{amount}`, `{merchant}`. */
    subjects: readonly string[];
    /** `{last4}`, `{when}`, `{merchant}`, `{amount}`. */
    lines: readonly FinanceLine[];
  };
  cardStatement: {
    subject: string;
    /** `{amount}`. */
    lines: readonly FinanceLine[];
  };
  bankNotice: {
    /** Per kind: the notice's title, and what the transaction table calls it. */
    kinds: Record<BankNoticeKind, { title: string; what: string }>;
    /** `{title}`. */
    subject: string;
    /** `{when}`. */
    signIn: readonly FinanceLine[];
    /** `{when}`, `{amount}`, `{title}`, `{what}`. */
    transaction: readonly FinanceLine[];
  };
  /** How a card statement names a marketplace purchase; `{brand}` (the marketplace). */
  marketplaceMerchant: string;
}

/**
 * What banks and card issuers say beyond their everyday notices (banking.ts), as lines (see
 * finance.ts). Placeholders: `{brand}`, `{domain}`, `{name}`, `{given}`, and those listed per key.
 */
import type { FinanceLine } from './finance.js';

/** A notice: one subject (no draw) or several (one drawn), and its lines. */
export interface LinesNotice {
  subjects: readonly string[];
  lines: readonly FinanceLine[];
}

export interface BankingWording {
  /** Closing lines under every notice of this family. */
  footer: readonly string[];
  /** Fictional payees as notices show them; an account is `account` with `accountDigits` random digits for `{digits}`. */
  payees: { holders: readonly string[]; banks: readonly string[]; branches: readonly string[]; account: string; accountDigits: number };
  /** `{when}`, `{bank}`, `{branch}`, `{account}`, `{holder}`. */
  payeeAdded: LinesNotice;
  /**
   * `{ref}` (a reference of `refDigits` digits), `{when}`, `{amount}`, `{fee}` (one of `fees`, none
   * drawn when empty), `{source}` (`sourceAccount` with three random digits; none when null),
   * `{bank}`, `{branch}`, `{account}`, `{holder}`.
   */
  transferDone: LinesNotice & { refDigits: number; fees: readonly number[]; sourceAccount: string | null };
  /** Per setting; `{when}`, `{masked}` (the new address), `{before}`, `{after}` (limits drawn from `limits`). */
  settingsChanged: {
    email: LinesNotice;
    limit: LinesNotice;
    password: LinesNotice;
    limits: { before: readonly number[]; factor: readonly number[] };
  };
  /** `{last4}`, `{when}`, `{merchant}`, `{amount}`. */
  onlineUse: LinesNotice;
  /**
   * `{ref}`, `{when}`, `{item}` (`item` with `{reward}`, one of `rewards`, unless given),
   * `{points}`, `{left}`, `{usd}`. Rewards may name `{marketplace}`.
   */
  pointsRedeemed: LinesNotice & { item: string; rewards: readonly string[] };
}

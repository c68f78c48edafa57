/**
 * The marketplace's account and per-order notices (marketplace-account.ts). Placeholders:
 * `{brand}`, and those listed per key. Subjects are lists: one is drawn per mail.
 */

/** A notice: subject wordings, paragraphs above the table, row labels, paragraphs below it, the button. */
interface Notice<Rows extends string> {
  subjects: readonly string[];
  paragraphs: readonly string[];
  rows: Record<Rows, string>;
  after: readonly string[];
  button: string;
}

export interface MarketplaceAccountWording {
  addressAdded: Notice<'when' | 'address'> & {
    /** The address as the notice masks it; `{region}`, `{city}`. */
    masked: string;
  };
  /** Paragraphs: `{network}`, `{last4}`. */
  paymentAdded: Notice<'when'>;
  /** Sent to the previous address; `{address}` is the new one, masked. */
  emailChanged: Notice<'when' | 'address'>;
  /** Subjects: `{number}`, `{items}`; `{itemsClip}` is how long the first item may be in a subject, `rowsClip` in the table. */
  paymentConfirmed: Notice<'number' | 'items' | 'paidOn' | 'method' | 'amount'> & { subjectClip: number; rowsClip: number };
  orderCancelled: Notice<'number' | 'items' | 'amount'> & { subjectClip: number; rowsClip: number };
  /** Rows and paragraphs: `{points}` (a count, ja) or `{usd}` (a balance in dollars, en); `{left}` / `{leftUsd}`. */
  pointsUsed: Notice<'when' | 'number' | 'used' | 'left'> & { used: string; left: string };
}

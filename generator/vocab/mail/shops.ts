/** What an independent web shop's order mail says. Placeholders: `{name}` (the customer's display name), `{given}`, `{shop}`, `{number}`. */
export interface ShopWording {
  /** `{name}`, `{given}`. */
  greeting: string;
  /** The button to the order page. */
  viewOrder: string;
  orderConfirmation: {
    /** `{shop}`, `{number}`. */
    subject: string;
    intro: string;
    labels: { order: string; item: string; total: string };
  };
  /** The PDF invoice some shops attach to the confirmation. */
  invoice: {
    /** In the mail, above the button. */
    note: string;
    /** The document's title. */
    title: string;
    /** ASCII file name without `.pdf`; `{number}`. */
    filename: string;
    /** The page, line by line; `{shop}`, `{number}`, `{date}`, `{item}`, `{total}`. */
    lines: readonly string[];
  };
  shipped: {
    /** `{shop}`. */
    subject: string;
    intro: string;
    labels: { order: string; carrier: string; tracking: string };
  };
}

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
  shipped: {
    /** `{shop}`. */
    subject: string;
    intro: string;
    labels: { order: string; carrier: string; tracking: string };
  };
}

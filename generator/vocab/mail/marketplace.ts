/**
 * What the marketplace's own mail says. Placeholders: `{brand}` (the marketplace's name in the
 * locale), `{name}` (the owner's display name), `{given}`, and those listed per key.
 */

/** A subject that names the order's items, and how long the first item's name may be there. */
export interface ItemsSubject {
  /** `{brand}`, `{items}`. */
  text: string;
  clip: number;
}

export interface MarketplaceWording {
  /** `{name}`, `{given}`. */
  greeting: string;
  /** The sender's display name per purpose; `{brand}`. */
  senders: { orders: string; shipping: string; account: string; promo: string; security: string };
  /** Closing lines of every mail; `{brand}`, `{site}`. */
  footer: readonly string[];
  /** The first line of an address block; `{name}`. */
  addressee: string;
  items: {
    /** `{first}`. */
    one: string;
    /** `{first}`, `{more}`: one more item, and several. */
    more: { one: string; other: string };
  };
  soldBy: {
    /** `{brand}`. */
    platform: string;
    /** `{seller}`. */
    seller: string;
  };
  labels: {
    orderNumber: string;
    placedOn: string;
    arriving: string;
    carrier: string;
    trackingId: string;
    quantity: string;
    price: string;
  };
  orderConfirmation: {
    subject: ItemsSubject;
    /** `{network}`, `{last4}`. */
    payment: string;
    totals: { subtotal: string; shipping: string; total: string; paymentMethod: string };
    digitalShipTo: string;
    /** `{brand}`. */
    intro: string;
    shipTo: string;
    details: string;
    manage: string;
    button: string;
    /** An order placed in the app gets a shorter mail; `{brand}`. */
    app: { intro: string };
    /** A gift order: its own subject, the gift message, and the prices kept off the packing slip. */
    gift: {
      subject: ItemsSubject;
      intro: string;
      messageLabel: string;
      /** The message the owner wrote, one drawn. */
      messages: readonly string[];
      pricesHidden: string;
    };
    /** Items from several sellers, each in its own package. */
    multiSeller: {
      /** `{count}`: how many packages. */
      note: string;
      /** `{seller}`: above that seller's items. */
      heading: string;
    };
  };
  shipped: {
    /** Two wordings, drawn half and half. */
    subjects: readonly [ItemsSubject, ItemsSubject];
    intro: string;
    items: string;
    shipTo: string;
    track: string;
    /** `{carrier}`, `{url}`. */
    carrierTracking: string;
    button: string;
  };
  delivered: {
    subject: ItemsSubject;
    /** `{when}`, `{number}`. */
    body: string;
    ask: string;
    button: string;
  };
  accountChange: {
    subject: string;
    /** Paragraphs; `{hours}`. */
    takeoverReverted: readonly string[];
    ownerUpdated: readonly string[];
    button: string;
  };
  supportFollowup: { subject: string; paragraphs: readonly string[] };
  newSignIn: {
    /** `{brand}`, `{device}`. */
    subject: string;
    lead: string;
    labels: { when: string; device: string; near: string };
    note: string;
    button: string;
  };
  passwordChanged: {
    /** `{brand}`. */
    subject: string;
    /** `{brand}`, `{when}`. */
    body: string;
  };
  passwordReset: {
    /** `{brand}`. */
    subject: string;
    /** `{code}`. */
    body: string;
  };
  signInCode: {
    subject: string;
    /** `{code}`. */
    body: string;
  };
  promo: {
    /** During a sale event, one of these; `{event}`, `{head}` (a product). */
    saleSubjects: readonly string[];
    /** Otherwise one of these; `{brand}`, `{family}` (the owner's family name), `{head}`. */
    subjects: readonly string[];
    /** How long the product in a subject may be. */
    headClip: number;
    intro: string;
    /** `{url}`. */
    unsubscribe: string;
    button: string;
  };
}

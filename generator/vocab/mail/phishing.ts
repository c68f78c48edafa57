/**
 * What phishing says: the imitations of the marketplace's own mail, and a lure for each family
 * of genuine mail it imitates, in the words real campaigns use. Placeholders: `{brand}` (the
 * marketplace), `{b}` (the imitated brand), `{family}`, `{given}`, `{address}` (the recipient),
 * and those listed per key. A lure's `path` is where its link points on the look-alike site.
 */

export interface Lure {
  subjects: readonly string[];
  paragraphs: readonly string[];
  button: string;
  path: string;
}

export interface PhishingWording {
  /** The marketplace's fakes: a display name per sending style; `{brand}`, `{latin}` (its Latin name), `{lookalike}` (that with a Cyrillic letter). */
  senders: { displayName: readonly string[]; other: readonly string[] };
  /** `{number}`, `{item}`, `{itemClip}`, `{total}`, `{date}`, `{service}` (a service number, drawn only where a subject shows one). Prices in the locale's money. */
  fakeOrder: { prices: readonly number[]; itemClip: number; subjects: readonly string[]; lines: readonly string[]; button: string };
  fakeSecurity: { subjects: readonly string[]; lines: readonly string[]; button: string };
  /** A campaign that attaches its page (or an archive of it) instead of linking it. */
  attachment: {
    /** What the mail says where the link would be. */
    note: string;
    /** The attached sign-in page; `{b}` in the title. */
    page: { title: string; email: string; password: string; button: string };
    /** File names without extension, ASCII as kits name them; `{n}`: digits. */
    filenames: readonly string[];
  };
  imitation: {
    /** Display names of the display-name style; `{b}`. */
    displayNames: readonly string[];
    greetings: readonly string[];
    /** `{b}`. */
    signature: string;
    lures: {
      /** `{n}` (messages held), `{pct}`; path: `{domain}` (the recipient's provider), `{action}`, `{email}`. */
      providerSecurity: { storage: Lure; expiry: Lure };
      /** Path: `{token}`. */
      bank: Lure;
      /** Path: `{digits}`. */
      card: Lure;
      /** Path: `{token}`. */
      mobile: Lure;
      /** `{tracking}` (with dashes), `{trackingDigits}` (without). */
      delivery: Lure;
      /** `{points}`; path: `{token}`. */
      points: Lure;
      /** `{number}`, `{item}`, `{itemClip}`, `{total}`; path: `{op}`, `{number}`. */
      marketplaceOrder: { confirmation: Lure; declined: Lure; itemClip: number };
      /** `{service}`; path: `{token}`. */
      marketplaceSecurity: Lure;
      /** Path: `{token}`. */
      passwordReset: { request: Lure; expired: Lure };
    };
  };
}

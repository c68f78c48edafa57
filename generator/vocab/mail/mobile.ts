/**
 * Mobile carriers' account notices. Placeholders: `{carrier}` (its name), `{site}`, `{name}`,
 * `{given}`, `{number}` (the owner's masked number), `{at}`, and those listed per key.
 */
type Rows = ReadonlyArray<readonly [string, string]>;

/** A notice: its subject(s), paragraphs above the table, rows, paragraphs below it. */
export interface Notice {
  subjects: readonly string[];
  paragraphs: readonly string[];
  rows: Rows;
  after: readonly string[];
}

export interface MobileWording {
  greeting: string;
  footer: readonly string[];
  /** The HTML part's button to the account page. */
  button: string;
  /** Per kind of SIM change; `{via}` is how the change was made, where the notice says it. */
  simChanged: {
    esim: Notice;
    sim: Notice;
    /** How a change was received: online with this share, else in a store; null where notices do not say (no draw). */
    via: { online: string; store: string; onlineShare: number } | null;
  };
  /** `{pin}` (`pinDigits` digits), `{account}` (`accountDigits` digits, none when null), `{until}` (`validDays` later). */
  numberTransfer: Notice & { pinDigits: number; accountDigits: number | null; validDays: number };
  /** Per setting; `{masked}` (the new contact address), `{from}`, `{to}` (plans, drawn from `plans`). */
  accountChanged: { contact: Notice; password: Notice; plan: Notice; plans: readonly string[] };
}

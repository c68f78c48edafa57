/**
 * The frame of mail written by people (the content is in `vocab/<locale>/personal.ts` and
 * `spam.ts`). Placeholders: `{given}` and `{family}` (the owner's names).
 */
export interface PeopleWording {
  personal: {
    /** How a contact greets the owner; `{given}`. */
    salutation: string;
    /** The line that stands for the quoted earlier message under a reply. */
    quoted: string;
  };
  spam: {
    /** How spam addresses the owner; `{given}`, `{family}`. */
    addressee: string;
    /** Sums spam promises, in the locale's money (yen; cents of a dollar). */
    amounts: readonly number[];
    /** The web-form kit's greeting (no name: the list has none). */
    dearFriend: string;
    /** The text part of image-only spam; `{url}`. */
    imageFallback: string;
    /** The line under spam that pretends to offer an opt-out; `{url}`. */
    optOut: string;
    /** Reply to a free-mail address, the web-form kit says; `{address}`. */
    replyTo: string;
  };
}

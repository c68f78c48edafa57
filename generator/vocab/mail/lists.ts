/**
 * The frame around newsletters and social-network notifications (their content is in
 * `vocab/<locale>/newsletters.ts` and `social.ts`). Placeholders: `{url}`, `{network}`,
 * `{given}`, `{place}`.
 */
export interface ListsWording {
  newsletter: {
    /** `{url}`. */
    viewInBrowser: string;
    /** `{url}`. */
    unsubscribe: string;
    unsubscribeLabel: string;
    readMore: string;
  };
  social: {
    /** `{url}`. */
    manage: string;
    view: string;
  };
  socialSignIn: {
    /** Where a sign-in is from when a scenario does not say. */
    homePlace: string;
    /** `{network}`. */
    subject: string;
    /** `{given}`, `{place}`. */
    body: string;
    button: string;
  };
}

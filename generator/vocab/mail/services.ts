/**
 * Account mail of other services: password resets and one-time codes. Placeholders: `{name}`
 * (the owner's display name), `{given}`, `{service}`, `{network}`, `{shop}`, `{code}`, `{minutes}`.
 * Subjects are lists, one drawn per mail.
 */
interface Paragraphs {
  subjects: readonly string[];
  paragraphs: readonly string[];
}

export interface ServicesWording {
  /** Under every such mail; `{service}`. */
  footer: readonly string[];
  /** A social network's reset: `{network}`, `{code}`, `{given}`. */
  socialReset: Paragraphs & { button: string };
  /** A web shop's reset: `{shop}`, `{name}`, `{given}`. */
  shopReset: Paragraphs & { button: string };
  /** `{service}`, `{code}`, `{minutes}`, `{name}`, `{given}`. */
  oneTimeCode: Paragraphs;
}

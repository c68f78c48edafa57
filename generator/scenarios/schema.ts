/**
 * The schema of a scenario file (`generator/scenarios/*.json`). A scenario is data: its
 * parameters are distributions with units, its timeline is a list of steps that emit mails of
 * registered mail types. Adding a scenario means adding a file; the engine stays as it is.
 * Synthea's modules (with their `remarks`) and elastic/detection-rules' rule files are the models.
 */
import { z } from 'zod';
import { DistSchema } from '../core/dist.js';

export const KINDS = ['ato', 'lookalike', 'phishing'] as const;
export type ScenarioKind = (typeof KINDS)[number];

export const LABELS = ['benign', 'ato', 'lookalike', 'phishing', 'spam'] as const;
export type Label = (typeof LABELS)[number];

/** Persona predicates a mailbox scenario can require (see plan.ts for their meaning). */
export const REQUIREMENTS = ['marketplace', 'dormant', 'active', 'stale-address', 'notifying-card'] as const;

/** Hidden persona attributes that make an account more or less likely to be the victim. */
export const VICTIM_WEIGHTS = ['password-numeric', 'password-weak', 'password-strong', 'two-factor'] as const;

/**
 * The signals an incident can show, as a mailbox sees them. An incident's difficulty is how many
 * of them it shows (expand.ts: difficultyOf). Some are derived by the engine from what a step
 * produced (an order burst, a high total, foreign sellers, a new ship-to address, an unseen card,
 * digital goods, a dormant account); the others are declared by the steps that show them.
 */
export const SIGNALS = [
  'order-burst',
  'dormant-account',
  'unseen-card',
  'new-ship-to',
  'foreign-sellers',
  'high-value',
  'digital-goods',
  'platform-notice',
  'shipping-burst',
  'address-change',
  'payment-change',
  'foreign-sign-in',
  'new-device',
  'recovery-change',
  'forwarding-rule',
  'two-factor-off',
  'password-resets',
  'one-time-codes',
  'mail-silence',
  'email-change',
  'odd-hours',
  'new-payee',
  'large-transfer',
  'card-use',
  'sim-change',
  'points-drained',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** A number, or the name of one of the scenario's parameters. */
const Ref = z.union([z.number(), z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'a parameter name')]);

/** A duration: a parameter name, a number of hours, or an entity field (`order.shipAfter`). */
const DurationRef = z.union([
  z.number(),
  z.string().regex(/^([a-z][A-Za-z0-9]*|order\.(shipAfter|deliverAfter))$/, 'a parameter name or order.shipAfter / order.deliverAfter'),
]);

const OrderSpecSchema = z
  .object({
    seller: z.enum(['platform', 'domestic', 'foreign', 'owner-mix']),
    products: z.enum(['any', 'resale', 'digital', 'physical']),
    shipTo: z
      .enum(['home', 'stale', 'other', 'family'])
      .describe("home; a stale saved address; another address and name (a gift, a drop); home under a family member's name"),
    payment: z.enum(['stored', 'unknown-card']),
    minTotalJpy: Ref.optional().describe('the orders of this step together cost at least this much (JPY)'),
    sameRecipient: z.boolean().optional().describe("shipTo 'other': one recipient for all orders (default), or one each (gifts)"),
  })
  .strict();

export const StepSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    description: z.string().optional(),
    mail: z.string().optional().describe('id of a registered mail type (every step but a silence has one)'),
    silence: z
      .object({
        for: DurationRef,
        share: Ref,
        only: z
          .array(z.string().regex(/^[a-z][a-z0-9-]*\.([a-z][a-z0-9-]*)?$/, 'a mail type id or a family prefix such as "marketplace."'))
          .min(1)
          .optional()
          .describe('only mail of these types (ids, or family prefixes ending in ".") disappears; default: all of it'),
      })
      .strict()
      .optional()
      .describe(
        "instead of a mail: this share of the mailbox's other mail disappears for this long (deleted, filtered or forwarded by the intruder, or sent elsewhere once the account's address is changed)",
      ),
    signals: z.array(z.enum(SIGNALS)).optional().describe('signals this step shows when it happens'),
    role: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/)
      .describe('what this mail is in the incident, written to labels.jsonl'),
    label: z.enum(LABELS).optional().describe('label of the mails; defaults to the scenario kind'),
    when: z
      .object({
        after: z.string().describe('"onset", "wave" (campaigns), "each" (with forEach), a step id (its first mail) or "<step>.last"'),
        delay: z
          .union([DurationRef, z.array(DurationRef)])
          .optional()
          .describe('hours, a duration parameter, an order field, or a list summed'),
        spread: DurationRef.optional().describe('the mails of this step are spread uniformly over this duration'),
      })
      .strict(),
    count: Ref.optional().describe('number of mails (default 1; with forEach, how many of the parent mails get one)'),
    forEach: z.string().optional().describe('one mail per mail of that earlier step, passing its order on'),
    probability: Ref.optional().describe('the step happens at all with this probability'),
    requires: z.string().optional().describe('the step happens only if that earlier step emitted mail'),
    order: OrderSpecSchema.optional().describe('each mail of this step is about a new order planned like this'),
    set: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('template parameters; "$name" takes a parameter\'s value'),
    marks: z.enum(['platformNoticeAt']).optional().describe("record this mail's arrival in the incident truth"),
  })
  .strict();

export type Step = z.infer<typeof StepSchema>;
export type OrderSpec = z.infer<typeof OrderSpecSchema>;

const ParamSchema = DistSchema.and(z.object({ description: z.string().min(1, 'every parameter needs a description') }));

export const ScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    title: z.string().min(1),
    kind: z.enum(KINDS),
    description: z.string().min(1),
    scope: z.enum(['mailbox', 'campaign']).describe('mailbox: one incident in one mailbox; campaign: a wave hitting many mailboxes'),
    locales: z
      .object({ ja: z.number().min(0), en: z.number().min(0) })
      .strict()
      .describe("weights of the victim's locale"),
    requires: z.array(z.enum(REQUIREMENTS)).default([]),
    victimWeights: z.partialRecord(z.enum(VICTIM_WEIGHTS), z.number().positive()).default({}).describe("multipliers of a mailbox's chance to be chosen"),
    onset: z
      .object({
        clock: z
          .enum(['any', 'owner', 'attacker', 'night'])
          .describe("any: uniform over the day; owner: the owner's shopping hours; attacker: working hours in UTC+8; night: 00:00-05:00 in the owner's zone"),
        during: z.enum(['anytime', 'sale-event']).default('anytime'),
        season: z
          .enum(['flat', 'orders'])
          .default('flat')
          .describe("flat: every day alike; orders: days weighted like the marketplace's order volume (sale events), so attack orders blend into the season"),
        latestBeforeEnd: z.number().min(0).describe('days before the window ends that the onset must leave for the timeline'),
      })
      .strict(),
    campaign: z
      .object({
        styles: z.partialRecord(z.enum(['spoof', 'lookalike', 'display-name']), z.number().min(0)),
        waves: Ref,
        waveGap: Ref,
        targetShare: Ref,
        imitates: z
          .partialRecord(
            z.enum(['provider-security', 'bank', 'card', 'mobile', 'delivery', 'points', 'marketplace-order', 'marketplace-security', 'password-reset']),
            z.number().min(0),
          )
          .optional()
          .describe('weights of the mail families a campaign imitates (phishing.imitation); each campaign draws one'),
      })
      .strict()
      .optional()
      .describe('campaign scope only: how waves and targets are drawn'),
    parameters: z.record(z.string().regex(/^[a-z][A-Za-z0-9]*$/), ParamSchema),
    steps: z.array(StepSchema).min(1),
    lookalikes: z.array(z.string()).default([]).describe('ato: benign scenarios that look like it; lookalike/phishing: the scenarios it imitates'),
    references: z
      .array(z.object({ title: z.string().min(1), url: z.string().optional(), note: z.string().optional() }).strict())
      .min(1, 'cite at least one source'),
    remarks: z.array(z.string().min(1)).min(1, 'say where the numbers come from'),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;

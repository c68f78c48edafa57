/**
 * The rule file format (detectors/rules/<set>/*.yaml): detection as data, in the manner of Sigma
 * and elastic/detection-rules. A rule has a stable id, a severity, references and known false
 * positives, the event that triggers it, conditions over what the mailbox has shown (counts,
 * sums and novelty within windows, sequences, quiet periods) and the score of its alert.
 *
 * Windows are durations like `90min`, `24h`, `30d`. "Within 24h" means strictly less than 24 h
 * before the triggering mail; the triggering mail itself counts in count/every/sum/distinct but
 * never in `after` (a sequence needs an earlier mail).
 */
import { z } from 'zod';
import { EVENTS } from '../lib/events.js';
import type { EventName } from '../lib/events.js';

const DURATION = /^(\d+(?:\.\d+)?)(min|h|d)$/;

export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  const k = m[2] === 'min' ? 60_000 : m[2] === 'h' ? 3_600_000 : 86_400_000;
  return Number(m[1]) * k;
}

const Duration = z.string().regex(DURATION, 'a duration such as 90min, 24h or 30d');
const RegexText = z.string().refine((s) => {
  try {
    new RegExp(s, 'u');
    return true;
  } catch {
    return false;
  }
}, 'a valid regular expression');
const EventNameSchema = z.enum(Object.keys(EVENTS) as [EventName, ...EventName[]]);
const Events = z.union([EventNameSchema, z.array(EventNameSchema).min(1)]);
const Where = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('fields that must equal these values');

/** Past events of some names, optionally filtered and limited to a window. */
const Source = z
  .object({
    event: Events,
    field: z.string().optional(),
    where: Where.optional(),
    within: Duration.optional().describe('strictly less than this long before the triggering mail'),
    olderThan: Duration.optional().describe('at least this long before the triggering mail'),
  })
  .strict();

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: { name: string; is?: string | number | boolean; atLeast?: number } }
  | { count: z.infer<typeof Source> & { atLeast?: number; atMost?: number } }
  | { every: z.infer<typeof Source> & { field: string } }
  | { sum: z.infer<typeof Source> & { field: string; atLeast: number } }
  | { distinct: z.infer<typeof Source> & { field: string; atMost?: number; atLeast?: number } }
  | { after: z.infer<typeof Source> }
  | { unseen: { field: string; in: Array<z.infer<typeof Source> & { field: string }>; history?: 'required' } }
  | { quiet: { event: EventName | EventName[]; olderThan: string; for: string } }
  | { match: { subject?: string; from?: string; text?: string; header?: { name: string; pattern: string } } };

export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(ConditionSchema).min(1) }).strict(),
    z.object({ not: ConditionSchema }).strict(),
    z
      .object({ field: z.object({ name: z.string(), is: z.union([z.string(), z.number(), z.boolean()]).optional(), atLeast: z.number().optional() }).strict() })
      .strict()
      .describe("a field of the triggering mail's event"),
    z.object({ count: Source.extend({ atLeast: z.number().int().min(0).optional(), atMost: z.number().int().min(0).optional() }) }).strict(),
    z.object({ every: Source.extend({ field: z.string() }) }).strict(),
    z.object({ sum: Source.extend({ field: z.string(), atLeast: z.number() }) }).strict(),
    z.object({ distinct: Source.extend({ field: z.string(), atMost: z.number().int().optional(), atLeast: z.number().int().optional() }) }).strict(),
    z.object({ after: Source }).strict().describe('an earlier event (a sequence)'),
    z
      .object({
        unseen: z.object({ field: z.string(), in: z.array(Source.extend({ field: z.string() })).min(1), history: z.literal('required').optional() }).strict(),
      })
      .strict()
      .describe("the triggering event's field has a value none of these past events had"),
    z
      .object({
        match: z
          .object({
            subject: RegexText.optional(),
            from: RegexText.optional(),
            text: RegexText.optional(),
            header: z
              .object({ name: z.string().min(1), pattern: RegexText })
              .strict()
              .optional(),
          })
          .strict(),
      })
      .strict()
      .describe('regular expressions the triggering mail must match (subject, From, text, a header)'),
    z
      .object({ quiet: z.object({ event: Events, olderThan: Duration, for: Duration }).strict() })
      .strict()
      .describe("no such event for this long before (olderThan) the triggering mail, counting from the mailbox's first mail"),
  ]),
);

export const RuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a stable kebab-case id'),
    title: z.string().min(1),
    description: z.string().min(1),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    status: z.enum(['experimental', 'stable', 'deprecated']).default('stable'),
    references: z.array(z.string().min(1)).min(1, 'cite at least one reference'),
    falsePositives: z.array(z.string().min(1)).min(1, 'say what it may fire on by mistake ("none known" is an answer)'),
    on: Events.describe('the event of the mail that triggers the rule'),
    when: z.array(ConditionSchema).default([]).describe('all must hold'),
    score: z.number().min(0).max(1),
    bonus: z
      .array(z.object({ add: z.number(), when: z.array(ConditionSchema).min(1) }).strict())
      .default([])
      .describe('added to the score when their conditions hold (capped at 1)'),
    group: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .default('default')
      .describe('rules of a group share one quiet period per mailbox'),
    suppress: Duration.default('72h').describe('after an alert, the group stays quiet this long in that mailbox'),
    order: z.number().int().default(100).describe('within a group, rules are tried in this order; the first that fires wins'),
    tests: z
      .object({
        mustFire: z.array(z.string().min(1)).default([]).describe('scenarios every incident of which this rule must alert on, in its window'),
        mustNotFire: z.array(z.string().min(1)).default([]).describe('scenarios no incident of which this rule may alert on'),
      })
      .strict()
      .optional()
      .describe('regression data kept with the rule, as Sigma and contentctl keep theirs: checked by ato-bench gate'),
  })
  .strict();

export type Rule = z.infer<typeof RuleSchema>;

/** The JSON Schema of a rule file, for editors (docs/rule.schema.json; a test keeps it equal). */
export function ruleJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(RuleSchema, { target: 'draft-2020-12', io: 'input' });
  return {
    $schema,
    $id: 'https://ato-bench.example/schemas/rule.json',
    title: 'ato-bench rule file',
    description: 'A detection rule as data (detectors/rules/<set>/<id>.yaml). Events: ato-bench rules events. Check: ato-bench rules validate DIR.',
    ...body,
  };
}

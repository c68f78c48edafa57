/**
 * The detector protocol, version 1 (docs/detector-protocol.md): the messages the harness and a
 * detector process exchange as NDJSON over the detector's stdin and stdout. The shapes are
 * defined once here; docs/detector-protocol.schema.json is generated from them
 * (`UPDATE_SCHEMA=1 npx vitest run bench/protocol.test.ts`), and that test keeps the two equal.
 *
 * Only the shapes live here, and the limits the harness holds a detector to (each listed in the
 * doc's Limits tables; bench/protocol.test.ts reads them from here). What a message may say in
 * context (the seq it answers, mailboxes and evidence already delivered, the caps) is the
 * harness's business (bench/session.ts).
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** Limits a detector is held to; sent in `hello` so it can check itself. */
export interface Limits {
  alertsPerEmail: number;
  alertsPerRun: number;
  /** Longest line a detector may write, in bytes (the newline not counted). */
  replyBytes: number;
  reasonChars: number;
  evidenceIds: number;
}

export const DEFAULT_LIMITS: Limits = {
  alertsPerEmail: 100,
  alertsPerRun: 500_000,
  replyBytes: 1 << 20,
  reasonChars: 500,
  evidenceIds: 100,
};

/**
 * Limits of the harness's own, not sent in `hello`: defaults of the bench command's flags, and the
 * sizes of what is kept of a detector. docs/detector-protocol.md's tables list each (a test reads
 * them from here).
 */
export const HARNESS_LIMITS = {
  /** Seconds from the start of the process to its `ready` (`--ready-timeout`). */
  readyTimeoutSeconds: 30,
  /** Seconds for the whole run, start to exit (`--time-limit`). */
  timeLimitSeconds: 300,
  /** MiB a detector process may use (`--memory-limit`). */
  memoryLimitMb: 2048,
  /** Seconds the harness waits for the exit after `end`. */
  exitGraceSeconds: 5,
  /** Bytes of stderr kept from its start, and as many from its end. */
  stderrKeepBytes: 4096,
  /** Characters of an `error` message kept. */
  errorChars: 500,
} as const;

/** Longest mailbox name an alert may carry, in characters. */
export const MAILBOX_MAX_CHARS = 200;
/** A rule id, as alerts carry it: kebab-case, at most 64 characters. */
export const RULE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** An email id, as in the dataset. */
export const EMAIL_ID_PATTERN = /^[0-9a-f]{16}$/;

export const EmailId = z.string().regex(EMAIL_ID_PATTERN, 'an email id (16 hex digits)');
export const RuleId = z.string().regex(RULE_ID_PATTERN, 'a rule id (kebab-case, at most 64 characters)');

export const AlertSchema = z
  .object({
    mailbox: z.string().min(1).max(MAILBOX_MAX_CHARS),
    score: z.number().min(0).max(1),
    reason: z.string().min(1).max(DEFAULT_LIMITS.reasonChars),
    evidence: z.array(EmailId).max(DEFAULT_LIMITS.evidenceIds).optional(),
    rule: RuleId.optional().meta({ description: 'which of its rules raised it, for per-rule results' }),
  })
  .strict()
  .meta({ description: 'An alert raised on the email being answered; its time is that email’s arrival.' });

export const ReadySchema = z.object({ type: z.literal('ready'), protocol: z.number().int() }).strict();
export const AlertsSchema = z
  .object({ type: z.literal('alerts'), seq: z.number().int().min(0), alerts: z.array(AlertSchema).max(DEFAULT_LIMITS.alertsPerEmail) })
  .strict();
export const ErrorSchema = z.object({ type: z.literal('error'), message: z.string() }).strict();

/** Anything a detector may write. */
export const DetectorMessageSchema = z.discriminatedUnion('type', [ReadySchema, AlertsSchema, ErrorSchema]);
export type DetectorMessage = z.infer<typeof DetectorMessageSchema>;
export type WireAlert = z.infer<typeof AlertSchema>;

const LimitsSchema = z
  .object({
    alertsPerEmail: z.number().int(),
    alertsPerRun: z.number().int(),
    replyBytes: z.number().int(),
    reasonChars: z.number().int(),
    evidenceIds: z.number().int(),
  })
  .strict();

export const HelloSchema = z
  .object({
    type: z.literal('hello'),
    protocol: z.number().int(),
    params: z.record(z.string(), z.string()),
    seed: z.number().int(),
    limits: LimitsSchema,
  })
  .strict();
export const EmailMessageSchema = z
  .object({
    type: z.literal('email'),
    seq: z.number().int().min(0),
    email: z.record(z.string(), z.unknown()).meta({ description: 'One record of emails.jsonl, as it is in the file.' }),
  })
  .strict();
export const EndSchema = z.object({ type: z.literal('end'), emails: z.number().int().min(0) }).strict();

/** Anything the harness writes. */
export const HarnessMessageSchema = z.discriminatedUnion('type', [HelloSchema, EmailMessageSchema, EndSchema]);
export type HarnessMessage = z.infer<typeof HarnessMessageSchema>;
export type Hello = z.infer<typeof HelloSchema>;

/** The JSON Schema of both directions, as committed in docs/. */
export function protocolJsonSchema(): Record<string, unknown> {
  const harness = z.toJSONSchema(HarnessMessageSchema, { target: 'draft-2020-12' });
  const detector = z.toJSONSchema(DetectorMessageSchema, { target: 'draft-2020-12' });
  const { $schema, ...harnessBody } = harness;
  const { $schema: _s, ...detectorBody } = detector;
  return {
    $schema,
    $id: 'https://ato-bench.example/schemas/detector-protocol-1.json',
    title: `ato-bench detector protocol, version ${PROTOCOL_VERSION}`,
    description:
      'One JSON object per line. "harness" is what the harness writes to a detector\'s stdin; "detector" is what a detector writes to its stdout. See detector-protocol.md.',
    $defs: { harness: harnessBody, detector: detectorBody },
    oneOf: [{ $ref: '#/$defs/harness' }, { $ref: '#/$defs/detector' }],
  };
}

/** Strip control characters (terminal escape sequences whole) from text a detector wrote. */
export function stripControl(text: string): string {
  return (
    text
      // CSI and OSC sequences, then any other escape with its next character
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[\s\S]?/g, '')
      // C0 controls but tab and newline, DEL, C1 controls
      .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
  );
}

/** Cap a detector's message for showing: one line, no control characters, at most `max` characters. */
export function cleanMessage(text: string, max: number = HARNESS_LIMITS.errorChars): string {
  const one = stripControl(text).replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/**
 * The dataset format: the contract between the generator and everything that reads a dataset
 * (the CLI's inspect and verify, the benchmark runner, the scorer). Documented in README.md.
 *
 *   DIR/manifest.json          format version, generator version, seed, resolved config, counts,
 *                              sha256 and size of every other file
 *   DIR/emails.jsonl           what detectors see, in global arrival order
 *   DIR/mbox/<mailbox>.mbox    (optional) the same mails as raw RFC 5322, mboxrd
 *   DIR/emails/*.parquet, DIR/truth/**.parquet   (optional) the same records, typed (generator/output/parquet.ts)
 *   DIR/truth/incidents.jsonl  incidents (never shown to detectors)
 *   DIR/truth/labels.jsonl     one label per email, in the order of emails.jsonl
 *   DIR/truth/mailboxes.jsonl  hidden persona attributes
 *   DIR/README.md              the dataset card, with the front matter data hubs read
 *   DIR/croissant.json         the dataset in Croissant 1.1 with its Responsible AI fields
 */
import { z } from 'zod';

/** Bump when the bytes of a dataset generated from the same seed and config change. */
export const DATASET_FORMAT_VERSION = 8;

export const FILES = {
  manifest: 'manifest.json',
  emails: 'emails.jsonl',
  mboxDir: 'mbox',
  incidents: 'truth/incidents.jsonl',
  labels: 'truth/labels.jsonl',
  mailboxes: 'truth/mailboxes.jsonl',
  /** The card is README.md because data hubs (Hugging Face `datasets`) read that file's front matter. */
  card: 'README.md',
  croissant: 'croissant.json',
  /** In a machine shard's folder (`generate --shard I/N`) instead of manifest.json. */
  shardManifest: 'shard.json',
} as const;

/** A file attached to a mail, as a mailbox lists it (the bytes are in the mbox export). */
export const AttachmentRecordSchema = z
  .object({
    filename: z.string(),
    contentType: z.string(),
    /** Decoded size in bytes. */
    size: z.number().int().nonnegative(),
    /** sha256 of the decoded bytes, hex. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export type AttachmentRecord = z.infer<typeof AttachmentRecordSchema>;

/** One line of emails.jsonl: exactly what a mailbox shows. */
export const EmailRecordSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{16}$/),
    mailbox: z.string().min(1),
    receivedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/, 'RFC 3339 with offset'),
    headers: z.array(z.tuple([z.string(), z.string()])),
    from: z.string(),
    to: z.string(),
    subject: z.string(),
    /** The text/plain part; '' when the mail has only an HTML part. */
    text: z.string(),
    html: z.string().nullable(),
    /** Present only when the mail has attachments. */
    attachments: z.array(AttachmentRecordSchema).min(1).optional(),
  })
  .strict();

export type EmailRecord = z.infer<typeof EmailRecordSchema>;

export const LabelRecordSchema = z
  .object({
    emailId: z.string(),
    label: z.enum(['benign', 'ato', 'lookalike', 'phishing', 'spam']),
    incident: z.string().optional(),
    role: z.string().optional(),
    category: z.string(),
    type: z.string(),
    /** The template version that wrote the mail (`<edition>/<variant>`), for senders with several. */
    template: z.string().optional(),
  })
  .strict();

export type LabelRecord = z.infer<typeof LabelRecordSchema>;

export const IncidentRecordSchema = z
  .object({
    id: z.string(),
    mailbox: z.string(),
    scenario: z.string(),
    kind: z.enum(['ato', 'lookalike', 'phishing']),
    onset: z.string(),
    end: z.string(),
    platformNoticeAt: z.string().optional(),
    /** How hard it is to tell: a takeover showing few usual signals is hard, a look-alike showing many is hard. */
    difficulty: z.enum(['easy', 'medium', 'hard']),
    /** The usual takeover signals it shows (an order burst, an unseen card, a sign-in from abroad, ...). */
    signals: z.array(z.string()),
    emailIds: z.array(z.string()).min(1),
    params: z.record(z.string(), z.unknown()),
  })
  .strict();

export type IncidentRecord = z.infer<typeof IncidentRecordSchema>;

export interface FileEntry {
  sha256: string;
  bytes: number;
}

export interface Manifest {
  formatVersion: number;
  generator: { name: string; version: string };
  seed: number;
  configHash: string;
  config: unknown;
  window: { start: string; end: string; days: number };
  counts: {
    mailboxes: number;
    emails: number;
    labels: Record<string, number>;
    incidents: Record<string, number>;
    mailboxDays: number;
  };
  formats: string[];
  files: Record<string, FileEntry>;
}

/**
 * shard.json: a machine shard of a dataset (`generate --shard I/N`), which `assemble` merges with
 * the other N-1 into the dataset one machine would have written. A shard holds the JSONL of its
 * own mailboxes (in the global order), their incidents and per-mailbox files; no card, no
 * mailboxes.jsonl and no derived format: those are made at assembly.
 */
export const ShardManifestSchema = z
  .object({
    kind: z.literal('ato-bench-shard'),
    formatVersion: z.number().int(),
    generator: z.object({ name: z.string(), version: z.string() }),
    seed: z.number().int(),
    configHash: z.string().regex(/^[0-9a-f]{64}$/),
    config: z.unknown(),
    shard: z.object({ index: z.number().int().min(0), count: z.number().int().min(2) }),
    formats: z.array(z.string()),
    counts: z.object({
      mailboxes: z.number().int().min(0),
      emails: z.number().int().min(0),
      labels: z.record(z.string(), z.number().int().min(0)),
      incidents: z.number().int().min(0),
    }),
    files: z.record(z.string(), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0) })),
  })
  .strict();

export type ShardManifest = z.infer<typeof ShardManifestSchema>;

/** Stable JSON: object keys sorted at every level, so equal values give equal bytes. */
export function canonicalJson(value: unknown, indent?: number): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, indent);
}

/** A template redesign: `brand` sends `edition` from `on` (00:00 UTC, `at` in epoch seconds). */
export interface DriftPoint {
  brand: string;
  edition: string;
  on: string;
  at: number;
}

/** An id as the config writes brands and editions; anything else in a manifest is not one of ours. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * The template redesigns a dataset's config lists (none in a dataset older than them). The
 * manifest is data from disk and its strings reach terminals and reports: an entry whose brand or
 * edition is not an id, or whose date is not a real date, is left out.
 */
export function driftsOf(config: unknown): DriftPoint[] {
  const list = (config as { drift?: unknown } | null)?.drift;
  if (!Array.isArray(list)) return [];
  return list.flatMap((d: unknown) => {
    const { brand, edition, on } = (d ?? {}) as Record<string, unknown>;
    if (typeof brand !== 'string' || typeof edition !== 'string' || typeof on !== 'string') return [];
    if (!SLUG.test(brand) || !SLUG.test(edition) || !/^\d{4}-\d{2}-\d{2}$/.test(on)) return [];
    const at = Date.parse(`${on}T00:00:00Z`) / 1000;
    return Number.isFinite(at) && new Date(at * 1000).toISOString().startsWith(on) ? [{ brand, edition, on, at }] : [];
  });
}

/** The protocol split a dataset's config names (train, dev or test), or null. */
export function splitOf(config: unknown): 'train' | 'dev' | 'test' | null {
  const split = (config as { split?: unknown } | null)?.split;
  return split === 'train' || split === 'dev' || split === 'test' ? split : null;
}

/**
 * What an output format is: how the simulated mail is written beside the truth. The pipeline
 * offers the mail these ways, and a format takes one (or more):
 * - as one stream, on the coordinator: the records of every mailbox a slice of simulated time (a
 *   few hours) at a time, encoded and in the global order (arrival, id): emails.jsonl;
 * - per mailbox, in each shard (a worker thread, in parallel): each mailbox's new mail, in its
 *   arrival order: one mbox file per mailbox;
 * - derived, once the JSONL files (emails and truth) are complete: Parquet, converted from them.
 *   `ato-bench export` runs the same step on a dataset written without it, so both give the
 *   same bytes.
 * Whatever a format writes goes in the manifest with its sha256 and size, so verify covers it.
 * A per-mailbox format runs in the shards' worker threads, which load the registry afresh: it must
 * be registered in formats.ts itself, not from the caller's code.
 */
import type { FileEntry } from '../../datasets/format.js';
import type { SimEmail } from '../traffic/mailbox.js';

/** The next records of every mailbox (one slice of simulated time), in global order. */
export interface RecordChunk {
  /** emails.jsonl lines, UTF-8, each ending in a newline. */
  emails: Uint8Array;
  count: number;
}

export interface StreamWriter {
  write(chunk: RecordChunk): void;
  /** Close the files; their manifest entries, keyed by path relative to the dataset. */
  close(): Record<string, FileEntry>;
}

export interface MailboxWriter {
  /** A mailbox's new mail (one shard's simulated slice), in any order; written in (arrival, id) order. */
  append(mailbox: string, mails: readonly SimEmail[]): void;
  /** Flush what is buffered (the shard is done). */
  finish(): void;
}

export interface OutputFormat {
  /** What `--formats` names. */
  id: string;
  description: string;
  /** Written whatever `--formats` says (emails.jsonl is the contract every reader relies on). */
  always?: boolean;
  /** The folder (relative to the dataset) a per-mailbox format writes into; hashed whole afterwards. */
  folder?: string;
  /** Stream writer, opened on the dataset's folder being written. */
  stream?: (dir: string) => StreamWriter;
  /** Per-mailbox writer, opened in each shard on the format's folder. */
  perMailbox?: (folder: string) => MailboxWriter;
  /**
   * Derived from the complete JSONL files of the dataset in `from`, written into `into` (the same
   * folder, or the next version of it); their manifest entries, keyed by path relative to `into`.
   */
  derive?: (from: string, into: string, dataset: DatasetIdentity) => Promise<Record<string, FileEntry>>;
}

/** What names a dataset, for a derived format to record in its files. */
export interface DatasetIdentity {
  formatVersion: number;
  seed: number;
  configHash: string;
}

/**
 * Parquet: the dataset as the tools of data science read it (DuckDB, pandas, Spark, Hugging Face
 * datasets), derived from the finished JSONL files:
 *
 *   emails/part-NNNNN.parquet          the mail, typed, in the order of emails.jsonl
 *   truth/labels/part-NNNNN.parquet    the labels, row for row beside the emails' parts
 *   truth/incidents.parquet
 *   truth/mailboxes.parquet
 *
 * The writer is DuckDB's own COPY ... TO (chosen by measurement over the pure-JS hyparquet-writer
 * on the default dataset: 1.7 s against 10 s, 63 MB with zstd against 113 MB with snappy, the only
 * codec hyparquet-writer brings without a native library). DuckDB is an optional dependency,
 * loaded only when Parquet is asked for. Its bytes are the same on every run with one thread (two
 * threads cut row groups where the threads met), a fixed row-group size and the pinned version.
 *
 * The columns are declared once, below: the SQL casts every column to its declared type, the
 * dataset card's front matter lists the same types for data hubs, and a test reads the files back.
 */
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FILES } from '../../datasets/format.js';
import type { FileEntry } from '../../datasets/format.js';
import { AtoBenchError } from '../core/errors.js';
import { hashFile, hashTree } from './files.js';
import type { OutputFormat } from './format-types.js';

/** A column's type, as declared to DuckDB, to Parquet readers and to data hubs. */
export type ColumnType =
  | 'string'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float64'
  | 'bool'
  /** A JSON document, as a string with Parquet's JSON annotation. */
  | 'json'
  /** An instant: Parquet TIMESTAMP(isAdjustedToUTC=true, MICROS); a tz-aware UTC time in every tool. */
  | 'instant'
  /** A wall-clock time with no zone: Parquet TIMESTAMP(isAdjustedToUTC=false, MICROS). */
  | 'local-time'
  | { list: ColumnType }
  | { struct: ReadonlyArray<{ name: string; type: ColumnType }> };

export interface Column {
  name: string;
  type: ColumnType;
  /** The DuckDB expression over the JSONL record's fields (as `read` names them). */
  sql: string;
  /** What it holds, for the card. */
  doc: string;
}

export interface ParquetTable {
  /** The Hugging Face config name and the table's name in the card. */
  name: string;
  /** The JSONL file it is derived from. */
  source: string;
  /** Where it goes: a folder of part files (row-aligned with the other parted tables), or one file. */
  target: { parts: string } | { file: string };
  /**
   * The JSONL record's fields as written, with their types: what DuckDB reads (explicit: no
   * sampling, no guessing) and what the card declares to data hubs for a copy without Parquet.
   */
  read: Record<string, ColumnType>;
  columns: readonly Column[];
}

const ATTACHMENT = {
  struct: [
    { name: 'filename', type: 'string' },
    { name: 'content_type', type: 'string' },
    { name: 'size', type: 'int64' },
    { name: 'sha256', type: 'string' },
  ],
} as const satisfies ColumnType;

/** The offset of an RFC 3339 time with offset (`...T12:34:56+09:00`), in minutes: its last six characters. */
const offsetMinutes = (field: string): string =>
  `(CASE WHEN substr(${field}, -6, 1) = '-' THEN -1 ELSE 1 END) * (CAST(substr(${field}, -5, 2) AS INTEGER) * 60 + CAST(substr(${field}, -2, 2) AS INTEGER))`;

export const PARQUET_TABLES: readonly ParquetTable[] = [
  {
    name: 'emails',
    source: FILES.emails,
    target: { parts: 'emails' },
    read: {
      id: 'string',
      mailbox: 'string',
      // RFC 3339 with the owner's offset: a string, so that no reader converts it to UTC.
      receivedAt: 'string',
      headers: { list: { list: 'string' } },
      from: 'string',
      to: 'string',
      subject: 'string',
      text: 'string',
      html: 'string',
      attachments: {
        list: {
          struct: [
            { name: 'filename', type: 'string' },
            { name: 'contentType', type: 'string' },
            { name: 'size', type: 'int64' },
            { name: 'sha256', type: 'string' },
          ],
        },
      },
    },
    columns: [
      { name: 'id', type: 'string', sql: 'id', doc: '16 hex digits; the key of the labels' },
      { name: 'mailbox', type: 'string', sql: 'mailbox', doc: 'the mailbox that received it' },
      { name: 'received_at', type: 'instant', sql: 'receivedAt', doc: 'arrival, an instant in UTC' },
      { name: 'utc_offset_minutes', type: 'int16', sql: offsetMinutes('receivedAt'), doc: "the owner's offset from UTC at that instant" },
      { name: 'local_time', type: 'local-time', sql: 'substr(receivedAt, 1, 19)', doc: "arrival on the owner's wall clock (no zone)" },
      {
        name: 'headers',
        type: {
          list: {
            struct: [
              { name: 'name', type: 'string' },
              { name: 'value', type: 'string' },
            ],
          },
        },
        sql: "[{'name': h[1], 'value': h[2]} for h in headers]",
        doc: 'every header, decoded and unfolded, in wire order',
      },
      { name: 'from_header', type: 'string', sql: '"from"', doc: 'the decoded From header' },
      { name: 'to_header', type: 'string', sql: '"to"', doc: 'the decoded To header' },
      { name: 'subject', type: 'string', sql: 'subject', doc: 'the decoded Subject' },
      { name: 'text', type: 'string', sql: 'text', doc: 'the text/plain part; empty for HTML-only mail' },
      { name: 'html', type: 'string', sql: 'html', doc: 'the text/html part; null for text-only mail' },
      {
        name: 'attachments',
        type: { list: ATTACHMENT },
        sql: "[{'filename': a.filename, 'content_type': a.contentType, 'size': a.size, 'sha256': a.sha256} for a in attachments]",
        doc: 'files attached (null when none): name, type, decoded size, sha256',
      },
    ],
  },
  {
    name: 'labels',
    source: FILES.labels,
    target: { parts: 'truth/labels' },
    read: { emailId: 'string', label: 'string', incident: 'string', role: 'string', category: 'string', type: 'string', template: 'string' },
    columns: [
      { name: 'email_id', type: 'string', sql: 'emailId', doc: 'the id of the mail' },
      { name: 'label', type: 'string', sql: 'label', doc: 'benign, ato, lookalike, phishing or spam' },
      { name: 'incident', type: 'string', sql: 'incident', doc: 'the incident it belongs to, if any' },
      { name: 'role', type: 'string', sql: 'role', doc: 'what the mail is in its incident (fraud-order, platform-notice, ...)' },
      { name: 'category', type: 'string', sql: 'category', doc: 'the kind of sender (marketplace, bank, newsletter, ...)' },
      { name: 'type', type: 'string', sql: 'type', doc: 'the kind of mail (order-confirmation, ...)' },
      { name: 'template', type: 'string', sql: 'template', doc: 'the template version, <edition>/<variant>, for senders with several' },
    ],
  },
  {
    name: 'incidents',
    source: FILES.incidents,
    target: { file: 'truth/incidents.parquet' },
    read: {
      id: 'string',
      mailbox: 'string',
      scenario: 'string',
      kind: 'string',
      onset: 'string',
      end: 'string',
      platformNoticeAt: 'string',
      difficulty: 'string',
      signals: { list: 'string' },
      emailIds: { list: 'string' },
      params: 'json',
    },
    columns: [
      { name: 'id', type: 'string', sql: 'id', doc: 'the incident' },
      { name: 'mailbox', type: 'string', sql: 'mailbox', doc: 'the mailbox it happens in' },
      { name: 'scenario', type: 'string', sql: 'scenario', doc: 'the scenario that made it' },
      { name: 'kind', type: 'string', sql: 'kind', doc: 'ato, lookalike or phishing' },
      { name: 'onset_at', type: 'instant', sql: 'onset', doc: 'arrival of its first mail' },
      { name: 'end_at', type: 'instant', sql: '"end"', doc: 'arrival of its last mail' },
      { name: 'platform_notice_at', type: 'instant', sql: 'platformNoticeAt', doc: "arrival of the platform's notice, if it sent one" },
      { name: 'difficulty', type: 'string', sql: 'difficulty', doc: 'easy, medium or hard' },
      { name: 'signals', type: { list: 'string' }, sql: 'signals', doc: 'the usual takeover signals it shows' },
      { name: 'email_ids', type: { list: 'string' }, sql: 'emailIds', doc: 'its mail' },
      { name: 'params', type: 'json', sql: 'params', doc: 'the values drawn for it' },
    ],
  },
  {
    name: 'mailboxes',
    source: FILES.mailboxes,
    target: { file: 'truth/mailboxes.parquet' },
    read: {
      mailbox: 'string',
      locale: 'string',
      zone: 'string',
      activity: 'float64',
      marketplace: {
        struct: [
          { name: 'dormant', type: 'bool' },
          { name: 'lastOrderDaysBefore', type: 'int32' },
          { name: 'ordersPerMonth', type: 'float64' },
          { name: 'password', type: 'string' },
          { name: 'twoFactor', type: 'bool' },
          { name: 'storedCards', type: 'int32' },
          { name: 'expiredCards', type: 'int32' },
          { name: 'staleAddress', type: 'bool' },
        ],
      },
      subscriptions: 'int32',
      contacts: 'int32',
      spamPerDay: 'float64',
      exposure: 'float64',
    },
    columns: [
      { name: 'mailbox', type: 'string', sql: 'mailbox', doc: 'the mailbox' },
      { name: 'locale', type: 'string', sql: 'locale', doc: 'ja or en' },
      { name: 'zone', type: 'string', sql: 'zone', doc: "the owner's IANA time zone" },
      { name: 'activity', type: 'float64', sql: 'activity', doc: 'volume multiplier' },
      {
        name: 'marketplace',
        type: {
          struct: [
            { name: 'dormant', type: 'bool' },
            { name: 'last_order_days_before', type: 'int32' },
            { name: 'orders_per_month', type: 'float64' },
            { name: 'password', type: 'string' },
            { name: 'two_factor', type: 'bool' },
            { name: 'stored_cards', type: 'int32' },
            { name: 'expired_cards', type: 'int32' },
            { name: 'stale_address', type: 'bool' },
          ],
        },
        sql:
          'CASE WHEN marketplace IS NULL THEN NULL ELSE {' +
          "'dormant': marketplace.dormant, 'last_order_days_before': marketplace.lastOrderDaysBefore, 'orders_per_month': marketplace.ordersPerMonth, " +
          "'password': marketplace.password, 'two_factor': marketplace.twoFactor, 'stored_cards': marketplace.storedCards, " +
          "'expired_cards': marketplace.expiredCards, 'stale_address': marketplace.staleAddress} END",
        doc: 'the marketplace account, null for none',
      },
      { name: 'subscriptions', type: 'int32', sql: 'subscriptions', doc: 'newsletter lists it is on' },
      { name: 'contacts', type: 'int32', sql: 'contacts', doc: 'people who write to it' },
      { name: 'spam_per_day', type: 'float64', sql: 'spamPerDay', doc: 'mean spam a day' },
      { name: 'exposure', type: 'float64', sql: 'exposure', doc: 'how exposed to phishing' },
    ],
  },
];

/**
 * Rows per row group: big enough for column scans (DuckDB reads the default dataset's mailbox and
 * arrival columns in 15 ms at 16 k, 32 k or 123 k rows a group), small enough that writing holds
 * about 0.5 GB (1.2 GB at 123 k), whatever the dataset's size.
 */
export const ROW_GROUP_ROWS = 32_768;
/** Row groups per part file: parts of 262,144 rows, about 140 MB of the default dataset's mail. */
export const ROW_GROUPS_PER_PART = 8;

/** The DuckDB type of a column type. */
export function duckType(t: ColumnType): string {
  if (typeof t === 'object') {
    if ('list' in t) return `${duckType(t.list)}[]`;
    return `STRUCT(${t.struct.map((f) => `"${f.name}" ${duckType(f.type)}`).join(', ')})`;
  }
  const scalar: Record<typeof t, string> = {
    string: 'VARCHAR',
    int16: 'SMALLINT',
    int32: 'INTEGER',
    int64: 'BIGINT',
    float64: 'DOUBLE',
    bool: 'BOOLEAN',
    json: 'JSON',
    instant: 'TIMESTAMPTZ',
    'local-time': 'TIMESTAMP',
  };
  return scalar[t];
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The COPY statement that writes `table` from the dataset at `dir` into `into` (a fresh folder). */
export function copyStatement(table: ParquetTable, dir: string, into: string, metadata: Record<string, string>): string {
  const read = `{${Object.entries(table.read)
    .map(([k, v]) => `"${k}": ${sqlString(duckType(v))}`)
    .join(', ')}}`;
  const select = table.columns.map((c) => `CAST(${c.sql} AS ${duckType(c.type)}) AS "${c.name}"`).join(',\n  ');
  const kv = `{${Object.entries(metadata)
    .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
    .join(', ')}}`;
  const target = 'parts' in table.target ? join(into, table.target.parts) : join(into, table.target.file);
  const options = [
    'FORMAT parquet',
    'COMPRESSION zstd',
    `ROW_GROUP_SIZE ${ROW_GROUP_ROWS}`,
    `KV_METADATA ${kv}`,
    ...('parts' in table.target ? [`ROW_GROUPS_PER_FILE ${ROW_GROUPS_PER_PART}`, `FILENAME_PATTERN 'part-{i}'`] : []),
  ];
  return (
    `COPY (SELECT\n  ${select}\nFROM read_json(${sqlString(join(dir, table.source))}, format = 'newline_delimited', columns = ${read}))\n` +
    `TO ${sqlString(target)} (${options.join(', ')})`
  );
}

/** What the optional dependency exports that we use. */
interface DuckDb {
  DuckDBInstance: {
    create(
      path: string,
      options: Record<string, string>,
    ): Promise<{ connect(): Promise<{ run(sql: string): Promise<unknown>; closeSync(): void }>; closeSync(): void }>;
  };
}

/** The pinned DuckDB, loaded on first use: generating JSONL alone never loads the native library. */
async function loadDuckDb(): Promise<DuckDb> {
  try {
    return (await import('@duckdb/node-api')) as unknown as DuckDb;
  } catch (e) {
    throw new AtoBenchError(
      `the parquet format needs DuckDB (the optional dependency @duckdb/node-api), which is not installed here` +
        ` (${(e as Error).message.split('\n')[0]}); install it with npm install @duckdb/node-api@1.5.6-r.1, or leave parquet out of --formats`,
    );
  }
}

/** `part-0.parquet` -> `part-00000.parquet`, so that names sort in row order. */
function padParts(folder: string): void {
  for (const name of readdirSync(folder)) {
    const m = /^part-(\d+)\.parquet$/.exec(name);
    if (m) renameSync(join(folder, name), join(folder, `part-${m[1]!.padStart(5, '0')}.parquet`));
  }
}

/**
 * Write the Parquet tables of the dataset at `dir` (its JSONL files complete) into `into`, and
 * return their manifest entries. `into` is usually `dir` itself; `metadata` goes into every file's
 * key-value metadata, so that a file names the dataset it came from.
 */
export async function writeParquet(dir: string, into: string, metadata: Record<string, string>): Promise<Record<string, FileEntry>> {
  const { DuckDBInstance } = await loadDuckDb();
  const spill = join(into, '.duckdb-tmp');
  const db = await DuckDBInstance.create(':memory:', {
    // One thread: with two, row groups are cut where the threads' work met, and the bytes vary.
    threads: '1',
    // Nothing is fetched: JSON and Parquet are built into the pinned library.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    temp_directory: spill,
    // A bound on DuckDB's buffers (it spills to temp_directory beyond): about 0.6 GB of RSS in all.
    memory_limit: '1GB',
  });
  const files: Record<string, FileEntry> = {};
  try {
    const conn = await db.connect();
    try {
      for (const table of PARQUET_TABLES) {
        if ('file' in table.target) mkdirSync(dirname(join(into, table.target.file)), { recursive: true });
        try {
          await conn.run(copyStatement(table, dir, into, { ...metadata, 'ato_bench.table': table.name }));
        } catch (e) {
          throw new AtoBenchError(`parquet: writing ${table.name} from ${table.source} failed: ${(e as Error).message.split('\n')[0]}`);
        }
        if ('parts' in table.target) {
          padParts(join(into, table.target.parts));
          Object.assign(files, hashTree(into, table.target.parts));
        } else files[table.target.file] = hashFile(join(into, table.target.file));
      }
    } finally {
      conn.closeSync();
    }
  } finally {
    db.closeSync();
    rmSync(spill, { recursive: true, force: true });
  }
  return files;
}

export const PARQUET: OutputFormat = {
  id: 'parquet',
  description: "emails/part-*.parquet and truth/*.parquet: typed columns (UTC instants with the owner's offset), zstd, for DuckDB, pandas, Spark",
  derive: (from, into, dataset) =>
    writeParquet(from, into, {
      'ato_bench.format_version': String(dataset.formatVersion),
      'ato_bench.seed': String(dataset.seed),
      'ato_bench.config_hash': dataset.configHash,
    }),
};

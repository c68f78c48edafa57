/**
 * What data hubs and data tools need of a dataset card: the YAML front matter a hub reads
 * (Hugging Face's dataset card metadata: licence, languages, sizes, one config per table with its
 * files, every column with its type and the row counts) and a "Load it" section with `datasets`,
 * DuckDB, pandas and Spark. Both come from the column declarations the Parquet writer reads and
 * casts to (parquet.ts). The card is the dataset's README.md, the file hubs read.
 */
import { stringify } from 'yaml';
import type { FileEntry, Manifest } from '../../datasets/format.js';
import { PARQUET_TABLES, ROW_GROUP_ROWS, ROW_GROUPS_PER_PART } from './parquet.js';
import type { ColumnType, ParquetTable } from './parquet.js';

/** A column as a Hugging Face feature (`datasets` Features in YAML, as `datasets` itself writes them). */
type Feature = Record<string, unknown>;

const HUB_DTYPE: Record<Exclude<ColumnType, object>, string> = {
  string: 'string',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float64: 'float64',
  bool: 'bool',
  // `datasets` (4.7 and later) gives a JSON column as the value it holds, as Parquet's JSON annotation means.
  json: 'json',
  instant: 'timestamp[us, tz=UTC]',
  'local-time': 'timestamp[us]',
};

/** What a list holds: a dtype, a struct's fields, or another list. */
function listItem(t: ColumnType): unknown {
  if (typeof t !== 'object') return HUB_DTYPE[t];
  if ('struct' in t) return t.struct.map((f) => feature(f.name, f.type));
  return { list: listItem(t.list) };
}

function feature(name: string, t: ColumnType): Feature {
  if (typeof t !== 'object') return { name, dtype: HUB_DTYPE[t] };
  if ('struct' in t) return { name, struct: t.struct.map((f) => feature(f.name, f.type)) };
  return { name, list: listItem(t.list) };
}

/** Hugging Face's size buckets. */
function sizeCategory(n: number): string {
  const buckets: Array<[number, string]> = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'],
    [1e9, '100M<n<1B'],
  ];
  for (const [limit, name] of buckets) if (n < limit) return name;
  return 'n>1T';
}

/** The glob of a table's Parquet files, relative to the dataset. */
export function parquetGlob(t: ParquetTable): string {
  return 'parts' in t.target ? `${t.target.parts}/*.parquet` : t.target.file;
}

/** Rows of each table, from the manifest's counts. */
export function rowsOf(table: string, m: Omit<Manifest, 'files'>): number {
  if (table === 'emails' || table === 'labels') return m.counts.emails;
  if (table === 'mailboxes') return m.counts.mailboxes;
  return (m.counts.incidents.ato ?? 0) + (m.counts.incidents.lookalike ?? 0) + (m.counts.incidents.phishing ?? 0);
}

/** A table's column as a hub config or a Croissant record set reads it. */
export interface TableColumn {
  name: string;
  type: ColumnType;
  /** A JSONL string holding an RFC 3339 time (its Parquet column is a timestamp). */
  rfc3339?: true;
}

/** The files a table's hub config reads and their columns: its Parquet if the dataset has Parquet, else its JSONL. */
export function tableFiles(t: ParquetTable, m: Omit<Manifest, 'files'>): { path: string; parquet: boolean; columns: TableColumn[] } {
  if (m.formats.includes('parquet')) return { path: parquetGlob(t), parquet: true, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) };
  const times = new Set(t.columns.filter((c) => c.type === 'instant' || c.type === 'local-time').map((c) => c.sql.replaceAll('"', '')));
  return {
    path: t.source,
    parquet: false,
    columns: Object.entries(t.read).map(([name, type]) => ({ name, type, ...(times.has(name) ? { rfc3339: true as const } : {}) })),
  };
}

/**
 * A column's hub feature. An RFC 3339 string of the JSONL is declared a JSON value (a JSON
 * string): declared a string, pyarrow's JSON reader would still parse it into a UTC timestamp
 * first, and the owner's offset would be lost; as JSON it reaches the reader as written.
 */
function hubFeature(c: TableColumn): Feature {
  return c.rfc3339 ? { name: c.name, dtype: HUB_DTYPE.json } : feature(c.name, c.type);
}

/** Bytes of the files a path or `<folder>/*.parquet` glob names. */
export function bytesUnder(files: Record<string, FileEntry>, glob: string): number {
  const prefix = glob.endsWith('*.parquet') ? glob.slice(0, -'*.parquet'.length) : null;
  let n = 0;
  for (const [path, f] of Object.entries(files)) if (prefix ? path.startsWith(prefix) && path.endsWith('.parquet') : path === glob) n += f.bytes;
  return n;
}

/**
 * The card's YAML front matter: one hub config per table, over its Parquet files if the dataset
 * has them (typed, snake_case) or else its JSONL file (the fields as written), each with its
 * declared features, so that no reader guesses a type: guessing reads `receivedAt` as a UTC
 * timestamp without the owner's offset, and `params` (a different object in every scenario) as a
 * struct of every key any incident has. A config never mixes the two: they name their columns
 * differently. An unsplit dataset's one split is `train`, as hubs name it.
 */
export function frontMatter(m: Omit<Manifest, 'files'>, files: Record<string, FileEntry>, split: string | undefined): string {
  const splitName = split ?? 'train';
  const meta: Record<string, unknown> = {
    pretty_name: `ato-bench synthetic mailboxes (seed ${m.seed}${split ? `, ${split} split` : ''})`,
    license: 'cc0-1.0',
    language: ['en', 'ja'],
    multilinguality: 'multilingual',
    source_datasets: ['original'],
    annotations_creators: ['machine-generated'],
    language_creators: ['machine-generated'],
    task_categories: ['text-classification'],
    tags: ['synthetic', 'email', 'security', 'account-takeover', 'fraud-detection', 'anomaly-detection'],
    size_categories: [sizeCategory(m.counts.emails)],
    configs: PARQUET_TABLES.map((t) => ({
      config_name: t.name,
      ...(t.name === 'emails' ? { default: true } : {}),
      data_files: [{ split: splitName, path: tableFiles(t, m).path }],
    })),
    dataset_info: PARQUET_TABLES.map((t) => {
      const { path, columns } = tableFiles(t, m);
      return {
        config_name: t.name,
        features: columns.map(hubFeature),
        splits: [{ name: splitName, num_examples: rowsOf(t.name, m) }],
        download_size: bytesUnder(files, path),
      };
    }),
  };
  return `---\n${stringify(meta, { lineWidth: 0 })}---\n`;
}

/** The card's "Load it" section: `datasets` over the configs, and the same join (mail with its labels) in DuckDB, pandas and Spark. */
export function loadItSection(m: Omit<Manifest, 'files'>, split: string | undefined): string {
  const splitName = split ?? 'train';
  const parquet = m.formats.includes('parquet');
  const emails = PARQUET_TABLES.find((t) => t.name === 'emails')!;
  const columns = (t: ParquetTable): string => t.columns.map((c) => `- \`${c.name}\` (${typeName(c.type)}): ${c.doc}`).join('\n');
  const files = parquet
    ? 'its Parquet files'
    : 'its JSONL file, with the fields as written (the RFC 3339 times are declared JSON values so that they keep their offsets)';
  const hub = `Hugging Face \`datasets\` (4.7 or later) reads this folder, here or uploaded to the Hub, through
the front matter above: one config per table (\`emails\`, \`labels\`, \`incidents\`, \`mailboxes\`) over
${files}, typed as declared there; \`params\` is the JSON object it is.
\`croissant.json\` describes the same tables in Croissant 1.1, with its Responsible AI fields.

\`\`\`python
from datasets import load_dataset
emails = load_dataset("DIR", "emails", split="${splitName}")   # DIR: this folder, or the Hub's owner/name
labels = load_dataset("DIR", "labels", split="${splitName}")
incidents = load_dataset("DIR", "incidents", split="${splitName}")
\`\`\`
`;
  if (!parquet)
    return `## Load it

${hub}
This copy has no Parquet. \`ato-bench export DIR --to parquet\` adds it (typed columns, arrival
as a UTC instant beside the owner's offset and wall-clock time, the truth as tables), after which
DuckDB, pandas and Spark read it directly. The JSONL files read as they are, more slowly:

\`\`\`sql
-- DuckDB
SELECT l.label, count(*) FROM read_json('emails.jsonl') e
JOIN read_json('truth/labels.jsonl') l ON l.emailId = e.id GROUP BY ALL;
\`\`\`

\`receivedAt\` is RFC 3339 in the owner's zone; a tool that parses it into a UTC timestamp drops
the offset, and with it the owner's local day and hour.
`;
  return `## Load it

${hub}
The Parquet files hold the same records as the JSONL, typed: \`emails/\` in arrival order,
\`truth/labels/\` row for row beside it (part files of ${ROW_GROUP_ROWS * ROW_GROUPS_PER_PART} rows), and
\`truth/incidents.parquet\`, \`truth/mailboxes.parquet\`. Arrival is a UTC instant (\`received_at\`)
beside the owner's \`utc_offset_minutes\` and wall-clock \`local_time\`, so no tool loses the zone.

\`\`\`sql
-- DuckDB
SELECT e.mailbox, e.local_time, e.subject, l.label, l.incident
FROM 'emails/*.parquet' e JOIN 'truth/labels/*.parquet' l ON l.email_id = e.id
WHERE l.label = 'ato' ORDER BY e.received_at;
\`\`\`

\`\`\`python
# pandas (with pyarrow)
import pandas as pd
emails = pd.read_parquet("emails", columns=["id", "mailbox", "received_at", "local_time", "subject"])
labels = pd.read_parquet("truth/labels")
df = emails.merge(labels, left_on="id", right_on="email_id")
df.groupby("label").size()
\`\`\`

\`\`\`python
# Spark
emails = spark.read.parquet("emails")
labels = spark.read.parquet("truth/labels")
emails.join(labels, emails.id == labels.email_id).groupBy("label").count().show()
\`\`\`

Columns of \`emails\`:

${columns(emails)}

The other tables' columns are listed with their types in the front matter above.
`;
}

function typeName(t: ColumnType): string {
  if (typeof t !== 'object') return t;
  if ('list' in t) return `list of ${typeName(t.list)}`;
  return `struct of ${t.struct.map((f) => f.name).join(', ')}`;
}

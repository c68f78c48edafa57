/**
 * Parquet, read back by two readers that share no code with each other: DuckDB (the writer's own
 * engine, as data scientists query it) and hyparquet (a separate implementation of the spec, as a
 * check that the files are not only readable by what wrote them). Every value is compared with
 * the JSONL it came from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import type { EmailRecord, LabelRecord, Manifest } from '../../datasets/format.js';
import { verifyDataset } from '../../datasets/verify.js';
import { loadPreset } from '../config.js';
import { exportDataset } from '../pipeline/export.js';
import { generateDataset } from '../pipeline/generate.js';
import { tempDir, treeHashes } from '../testing/test-helpers.js';
import { PARQUET_TABLES, ROW_GROUP_ROWS, duckType } from './parquet.js';
import { parquetGlob } from './hub.js';

const jsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** Minutes east of UTC in an RFC 3339 time's offset. */
const offsetOf = (t: string): number => (t.at(-6) === '-' ? -1 : 1) * (Number(t.slice(-5, -3)) * 60 + Number(t.slice(-2)));

let dir: string;
let manifest: Manifest;
let db: DuckDBInstance;
let conn: DuckDBConnection;
const rows = async (sql: string): Promise<Array<Record<string, unknown>>> =>
  (await conn.runAndReadAll(sql)).getRowObjectsJson() as Array<Record<string, unknown>>;
const at = (glob: string): string => `'${join(dir, glob)}'`;

beforeAll(async () => {
  dir = join(tempDir(), 'tiny');
  // Three workers and a seed of its own: nothing here leans on the golden run.
  manifest = (await generateDataset({ config: { ...loadPreset('tiny'), seed: 11 }, out: dir, formats: ['parquet'], workers: 3 })).manifest;
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});

afterAll(() => {
  conn?.closeSync();
  db?.closeSync();
});

describe('parquet', () => {
  it('writes every table with the types it declares, zstd-compressed, in row groups of the declared size', async () => {
    expect(manifest.formats).toEqual(['jsonl', 'parquet']);
    for (const t of PARQUET_TABLES) {
      const got = await rows(`DESCRIBE SELECT * FROM ${at(parquetGlob(t))}`);
      // DuckDB quotes the struct fields that are SQL words; quotes aside, the types are the declared ones.
      const unquote = (t: string): string => t.replaceAll('"', '').replace('TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE');
      expect(
        got.map((r) => [r.column_name, unquote(r.column_type as string)]),
        t.name,
      ).toEqual(t.columns.map((c) => [c.name, unquote(duckType(c.type))]));
    }
    const meta = await rows(`SELECT DISTINCT compression, row_group_num_rows FROM parquet_metadata(${at('emails/*.parquet')})`);
    expect(new Set(meta.map((m) => m.compression))).toEqual(new Set(['ZSTD']));
    for (const m of meta) expect(Number(m.row_group_num_rows)).toBeLessThanOrEqual(ROW_GROUP_ROWS);
    // Arrival is an instant (UTC-adjusted); the wall-clock time is not.
    const schema = await rows(`SELECT name, logical_type FROM parquet_schema(${at('emails/*.parquet')}) WHERE name IN ('received_at', 'local_time')`);
    expect(String(schema.find((s) => s.name === 'received_at')!.logical_type)).toMatch(/isAdjustedToUTC=1/);
    expect(String(schema.find((s) => s.name === 'local_time')!.logical_type)).toMatch(/isAdjustedToUTC=0/);
    const kv = await rows(`SELECT DISTINCT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${at('truth/incidents.parquet')})`);
    expect(Object.fromEntries(kv.map((r) => [r.key, r.value]))).toMatchObject({
      'ato_bench.seed': '11',
      'ato_bench.config_hash': manifest.configHash,
      'ato_bench.table': 'incidents',
    });
  });

  it('holds every email of emails.jsonl, value for value, with the instant, the offset and the local time of receivedAt', async () => {
    const want = jsonl<EmailRecord>(join(dir, FILES.emails));
    const got = await rows(
      `SELECT id, mailbox, epoch_us(received_at) AS at_us, utc_offset_minutes, epoch_us(local_time) AS local_us, to_json(headers) AS headers,
        from_header, to_header, subject, text, html, to_json(attachments) AS attachments FROM ${at('emails/*.parquet')}`,
    );
    expect(got).toHaveLength(manifest.counts.emails);
    expect(got).toHaveLength(want.length);
    want.forEach((e, i) => {
      const r = got[i]!;
      const ms = Date.parse(e.receivedAt);
      expect(r.id, `row ${i}`).toBe(e.id); // in the order of emails.jsonl
      expect(r.mailbox).toBe(e.mailbox);
      expect(BigInt(r.at_us as string)).toBe(BigInt(ms) * 1000n);
      expect(r.utc_offset_minutes).toBe(offsetOf(e.receivedAt));
      // The wall clock, read as if it were UTC, is the local time written in receivedAt.
      expect(new Date(Number(BigInt(r.local_us as string) / 1000n)).toISOString().slice(0, 19)).toBe(e.receivedAt.slice(0, 19));
      expect(JSON.parse(r.headers as string)).toEqual(e.headers.map(([name, value]) => ({ name, value })));
      expect([r.from_header, r.to_header, r.subject, r.text, r.html]).toEqual([e.from, e.to, e.subject, e.text, e.html]);
      const att = e.attachments?.map((a) => ({ filename: a.filename, content_type: a.contentType, size: a.size, sha256: a.sha256 })) ?? null;
      expect(r.attachments === null ? null : JSON.parse(r.attachments as string)).toEqual(att);
    });
    // Some mail of every shape was compared.
    expect(want.some((e) => e.attachments)).toBe(true);
    expect(want.some((e) => e.html === null)).toBe(true);
    expect(new Set(want.map((e) => offsetOf(e.receivedAt))).size).toBeGreaterThan(2);
  });

  it('joins the labels one to one, with the label counts of the manifest, in part files aligned with the emails', async () => {
    const join1 = await rows(
      `SELECT l.label, count(*) AS n FROM ${at('emails/*.parquet')} e JOIN ${at('truth/labels/*.parquet')} l ON l.email_id = e.id GROUP BY ALL ORDER BY ALL`,
    );
    expect(Object.fromEntries(join1.map((r) => [r.label, Number(r.n)]))).toEqual(manifest.counts.labels);
    const want = jsonl<LabelRecord>(join(dir, FILES.labels));
    const got = await rows(`SELECT email_id, label, incident, role, category, type, template FROM ${at('truth/labels/*.parquet')}`);
    expect(got).toEqual(
      want.map((l) => ({
        email_id: l.emailId,
        label: l.label,
        incident: l.incident ?? null,
        role: l.role ?? null,
        category: l.category,
        type: l.type,
        template: l.template ?? null,
      })),
    );
    const parts = async (glob: string): Promise<unknown[]> =>
      (
        await rows(
          `SELECT parse_filename(file_name) AS f, sum(row_group_num_rows) AS n FROM (SELECT DISTINCT file_name, row_group_id, row_group_num_rows FROM parquet_metadata(${at(glob)})) GROUP BY ALL ORDER BY ALL`,
        )
      ).map((r) => [r.f, r.n]);
    expect(await parts('truth/labels/*.parquet')).toEqual(await parts('emails/*.parquet'));
  });

  it('holds the incidents and mailboxes of the truth', async () => {
    const incidents = jsonl<Record<string, unknown>>(join(dir, FILES.incidents));
    const got = await rows(
      `SELECT id, scenario, epoch_ms(onset_at) AS onset, epoch_ms(platform_notice_at) AS notice, email_ids, CAST(params AS VARCHAR) AS params FROM ${at('truth/incidents.parquet')}`,
    );
    expect(
      got.map((r) => [r.id, r.scenario, Number(r.onset), r.notice === null ? null : Number(r.notice), r.email_ids, JSON.parse(r.params as string)]),
    ).toEqual(
      incidents.map((t) => [
        t.id,
        t.scenario,
        Date.parse(t.onset as string),
        t.platformNoticeAt ? Date.parse(t.platformNoticeAt as string) : null,
        t.emailIds,
        t.params,
      ]),
    );
    const mailboxes = jsonl<{ mailbox: string; marketplace: { twoFactor: boolean } | null; spamPerDay: number }>(join(dir, FILES.mailboxes));
    const mb = await rows(`SELECT mailbox, marketplace.two_factor AS two_factor, spam_per_day FROM ${at('truth/mailboxes.parquet')}`);
    expect(mb).toEqual(mailboxes.map((m) => ({ mailbox: m.mailbox, two_factor: m.marketplace?.twoFactor ?? null, spam_per_day: m.spamPerDay })));
    expect(mailboxes.some((m) => m.marketplace === null)).toBe(true);
  });

  it('reads the same in a second, independent reader (hyparquet)', async () => {
    const want = jsonl<EmailRecord>(join(dir, FILES.emails));
    const file = await asyncBufferFromFile(join(dir, 'emails', 'part-00000.parquet'));
    const got = (await parquetReadObjects({ file, compressors, columns: ['id', 'received_at', 'utc_offset_minutes', 'subject', 'headers'] })) as Array<{
      id: string;
      received_at: Date;
      utc_offset_minutes: number;
      subject: string;
      headers: Array<{ name: string; value: string }>;
    }>;
    expect(got.map((r) => [r.id, r.received_at.getTime(), r.utc_offset_minutes, r.subject, r.headers.length])).toEqual(
      want.map((e) => [e.id, Date.parse(e.receivedAt), offsetOf(e.receivedAt), e.subject, e.headers.length]),
    );
  });

  it('the card gives data hubs the tables, their typed columns and sizes, and shows how to load them', () => {
    const card = readFileSync(join(dir, FILES.card), 'utf8');
    expect(card.startsWith('---\n')).toBe(true);
    const front = card.slice(4, card.indexOf('\n---\n'));
    expect(front).toMatch(/^license: cc0-1.0$/m);
    expect(front).toContain('path: emails/*.parquet');
    expect(front).toContain('dtype: timestamp[us, tz=UTC]');
    expect(front).toContain(`num_examples: ${manifest.counts.emails}`);
    for (const snippet of ["FROM 'emails/*.parquet' e JOIN 'truth/labels/*.parquet'", 'pd.read_parquet("emails"', 'spark.read.parquet("emails")'])
      expect(card).toContain(snippet);
  });
});

describe('export --to parquet', () => {
  it('gives, byte for byte, the dataset generated with parquet; again, it has nothing to do', async () => {
    const base = tempDir();
    const a = join(base, 'a');
    await generateDataset({ config: { ...loadPreset('tiny'), seed: 11 }, out: a, formats: ['mbox'] });
    const before = treeHashes(a);
    const r = await exportDataset({ dir: a, to: 'parquet' });
    expect(r.written).toBe(true);
    const b = join(base, 'b');
    await generateDataset({ config: { ...loadPreset('tiny'), seed: 11 }, out: b, formats: ['mbox', 'parquet'] });
    expect(treeHashes(a)).toEqual(treeHashes(b));
    // What was there is untouched but the descriptions (card, Croissant) and the manifest.
    const after = treeHashes(a);
    for (const [path, hash] of Object.entries(before))
      if (![FILES.card, FILES.croissant, FILES.manifest].includes(path as never)) expect(after[path], path).toBe(hash);
    expect(after[FILES.croissant]).not.toBe(before[FILES.croissant]);
    expect((await verifyDataset(a)).ok).toBe(true);
    expect((await exportDataset({ dir: a, to: 'parquet' })).written).toBe(false);
  });

  it('refuses a damaged dataset and a format it cannot derive, and leaves the dataset as it was', async () => {
    const a = join(tempDir(), 'a');
    await generateDataset({ config: loadPreset('tiny'), out: a });
    const labels = join(a, FILES.labels);
    writeFileSync(labels, readFileSync(labels, 'utf8').replace('"benign"', '"ato"   '));
    const before = treeHashes(a);
    await expect(exportDataset({ dir: a, to: 'parquet' })).rejects.toThrow(/truth\/labels.jsonl does not match the manifest/);
    await expect(exportDataset({ dir: a, to: 'mbox' })).rejects.toThrow(/cannot export to "mbox": export adds parquet/);
    expect(treeHashes(a)).toEqual(before);
  });
});

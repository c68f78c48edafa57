/**
 * `npm run bench:parquet -- [--preset default] [--cache-dir DIR]`: what Parquet buys a data
 * scientist, measured side by side in one run. The preset's dataset (in the dataset cache,
 * datasets/cache.ts) is linked into a temporary
 * copy and exported to Parquet there; then DuckDB runs the same queries over the JSONL and over the
 * Parquet, alternating, three times each (the median is printed):
 *
 *   join     label counts of the mail joined with its labels (every mail, every label)
 *   hours    takeover mail by the owner's local hour (needs the offset: JSONL keeps it in a string)
 *
 * The JSONL side is read as a user would first write it, read_json('emails.jsonl'), and also with
 * only the columns the query needs declared (DuckDB's fastest way over JSON).
 */
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureDataset } from '../datasets/cache.js';
import { FILES } from '../datasets/format.js';
import { loadPreset } from '../generator/config.js';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';
import { exportDataset } from '../generator/pipeline/export.js';

const USAGE = 'usage: npm run bench:parquet -- [--preset default] [--cache-dir DIR]';

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const [a, b] = [join(from, name), join(to, name)];
    if (statSync(a).isDirectory()) linkTree(a, b);
    else linkSync(a, b);
  }
}

function bytesUnder(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).size;
  return readdirSync(path).reduce((n, name) => n + bytesUnder(join(path, name)), 0);
}

const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  let values: { preset?: string; 'cache-dir'?: string };
  try {
    ({ values } = parseArgs({ options: { preset: { type: 'string' }, 'cache-dir': { type: 'string' } }, strict: true }));
  } catch (e) {
    throw new AtoBenchError(`${(e as Error).message} (${USAGE})`, EXIT.usage);
  }
  const preset = values.preset ?? 'default';
  const cached = await ensureDataset(preset, loadPreset(preset), { cacheDir: values['cache-dir'] });
  const scratch = mkdtempSync(join(cached, '..', '.bench-parquet-'));
  try {
    const dir = join(scratch, 'ds');
    linkTree(cached, dir);
    const t0 = process.hrtime.bigint();
    const exported = await exportDataset({ dir, to: 'parquet' });
    const exportSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const jsonlBytes = statSync(join(dir, FILES.emails)).size + statSync(join(dir, FILES.labels)).size;
    const parquetBytes = bytesUnder(join(dir, 'emails')) + bytesUnder(join(dir, 'truth', 'labels'));
    const q = (s: string): string => `'${join(dir, s)}'`;
    // Parquet first: the others' answers are checked against its.
    const sources = {
      Parquet: { emails: q('emails/*.parquet'), labels: q('truth/labels/*.parquet'), id: 'id', emailId: 'email_id', local: 'e.local_time' },
      'JSONL, read_json as is': {
        emails: `read_json(${q(FILES.emails)})`,
        labels: `read_json(${q(FILES.labels)})`,
        id: 'id',
        emailId: 'emailId',
        // read_json detects receivedAt as a timestamp and converts it to UTC: the owner's hour is gone.
        local: 'e.receivedAt',
      },
      'JSONL, columns declared': {
        emails: `read_json(${q(FILES.emails)}, columns = {id: 'VARCHAR', receivedAt: 'VARCHAR'})`,
        labels: `read_json(${q(FILES.labels)}, columns = {emailId: 'VARCHAR', label: 'VARCHAR'})`,
        id: 'id',
        emailId: 'emailId',
        local: 'CAST(substr(e.receivedAt, 1, 19) AS TIMESTAMP)',
      },
    };
    const queries = {
      join: (s: (typeof sources)['Parquet']) => `SELECT l.label, count(*) FROM ${s.emails} e JOIN ${s.labels} l ON l.${s.emailId} = e.${s.id} GROUP BY ALL`,
      hours: (s: (typeof sources)['Parquet']) =>
        `SELECT hour(${s.local}) AS h, count(*) FROM ${s.emails} e JOIN ${s.labels} l ON l.${s.emailId} = e.${s.id} WHERE l.label = 'ato' GROUP BY ALL`,
    };
    const db = await DuckDBInstance.create(':memory:', { threads: '2' });
    const conn = await db.connect();
    const times = new Map<string, number[]>();
    const answers = new Map<string, string>();
    const wrong = new Set<string>();
    for (let round = 0; round < 3; round++)
      for (const [qname, query] of Object.entries(queries))
        for (const [sname, source] of Object.entries(sources)) {
          const t0 = process.hrtime.bigint();
          const rows = (await conn.runAndReadAll(query(source))).getRowsJson();
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const key = `${qname}\t${sname}`;
          times.set(key, [...(times.get(key) ?? []), ms]);
          // Sources are compared on the same answer; one that answers otherwise is marked.
          const answer = JSON.stringify(rows.map((r) => r.map(String)).sort());
          if (!answers.has(qname)) answers.set(qname, answer);
          else if (answers.get(qname) !== answer) wrong.add(key);
        }
    conn.closeSync();
    db.closeSync();

    const m = exported.written ? Object.values(exported.files).reduce((n, f) => n + f.bytes, 0) : 0;
    process.stdout.write(
      `dataset: ${cached} (${preset})\n` +
        `export to Parquet: ${exportSeconds.toFixed(1)} s, ${mib(m)} written\n` +
        `emails + labels: JSONL ${mib(jsonlBytes)}, Parquet ${mib(parquetBytes)} (${((100 * parquetBytes) / jsonlBytes).toFixed(0)} %)\n\n` +
        `DuckDB, 2 threads, median of 3 (ms)\n`,
    );
    const w = Math.max(...Object.keys(sources).map((s) => s.length));
    for (const qname of Object.keys(queries)) {
      const pq = median(times.get(`${qname}\tParquet`)!);
      for (const sname of Object.keys(sources)) {
        const t = median(times.get(`${qname}\t${sname}`)!);
        const note = wrong.has(`${qname}\t${sname}`) ? '   (a different answer: the offset was lost)' : '';
        process.stdout.write(
          `  ${qname.padEnd(6)} ${sname.padEnd(w)} ${t.toFixed(0).padStart(7)}${sname === 'Parquet' ? '' : `   ${(t / pq).toFixed(1)}x Parquet's`}${note}\n`,
        );
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${systemErrorLine(e) ?? e.message}\n`);
  process.exitCode = e instanceof AtoBenchError ? e.exitCode : EXIT.failure;
});

/**
 * A generated dataset as data hubs and dataset tracks read it, with the real tools: Hugging Face
 * `datasets` loads every config of its README.md, and croissant.json passes the rules
 * mlcroissant enforces and parses as JSON-LD (hub_check.py, in a venv of hub-requirements.txt).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import type { Manifest } from '../../datasets/format.js';
import { loadPreset } from '../config.js';
import { generateDataset } from '../pipeline/generate.js';
import { run } from '../testing/debian.js';
import { pythonVenv } from '../testing/python.js';
import { tempDir } from '../testing/test-helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHECK = join(HERE, 'hub_check.py');

interface Report {
  configs?: Record<string, { rows: number; files: string; columns: string[]; rowsDiffering: number }>;
  croissant?: { triples: number; raiTriples: number; fields: number; distributions: number; recordSets: number; warnings: string[] };
  problems: string[];
}

let python: string;
let withParquet: string;
let jsonlOnly: string;

beforeAll(async () => {
  python = await pythonVenv(join(HERE, 'hub-requirements.txt'));
  const base = tempDir();
  withParquet = join(base, 'parquet');
  jsonlOnly = join(base, 'jsonl');
  await generateDataset({ config: loadPreset('tiny'), out: withParquet, formats: ['jsonl', 'parquet'] });
  await generateDataset({ config: loadPreset('tiny'), out: jsonlOnly, formats: ['jsonl'] });
}, 1_500_000);

async function check(dir: string, only?: 'load' | 'croissant'): Promise<{ code: number | null; report: Report; stderr: string }> {
  // Offline, and the hub's caches in a temporary folder: nothing is fetched, nothing left behind.
  const env = { ...process.env, HF_HUB_OFFLINE: '1', HF_HOME: join(tempDir(), 'hf') };
  const r = await run(python, [CHECK, dir, ...(only ? ['--only', only] : [])], 300_000, { env });
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`hub_check.py printed no report (exit ${r.code}): ${r.stderr.slice(-3000)}`);
  }
  return { code: r.code, report, stderr: r.stderr };
}

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8')) as Manifest;
const incidentsOf = (m: Manifest): number => (m.counts.incidents.ato ?? 0) + (m.counts.incidents.lookalike ?? 0) + (m.counts.incidents.phishing ?? 0);

// Each check starts Python and imports datasets (seconds); on a loaded machine, more.
describe('Hugging Face datasets and Croissant read a generated dataset', { timeout: 300_000 }, () => {
  it('with Parquet: datasets loads every config from the Parquet, typed as the card says; croissant.json is valid', async () => {
    const { code, report, stderr } = await check(withParquet);
    expect(code, stderr.slice(-3000)).toBe(0);
    const m = manifestOf(withParquet);
    expect(m.files[FILES.card]).toBeDefined();
    expect(m.files[FILES.croissant]).toBeDefined();
    const c = report.configs!;
    expect(Object.keys(c).sort()).toEqual(['emails', 'incidents', 'labels', 'mailboxes']);
    expect([c.emails!.rows, c.labels!.rows, c.incidents!.rows, c.mailboxes!.rows]).toEqual([
      m.counts.emails,
      m.counts.emails,
      incidentsOf(m),
      m.counts.mailboxes,
    ]);
    for (const t of Object.values(c)) {
      expect(t.files).toMatch(/\.parquet$/);
      expect(t.rowsDiffering).toBe(0);
    }
    expect(c.emails!.columns).toContain('received_at');
    expect(report.croissant!.recordSets).toBe(4);
    expect(report.croissant!.raiTriples).toBeGreaterThanOrEqual(9);
    expect(report.croissant!.warnings).toEqual(['datePublished is not set (mlcroissant warns)']);
  });

  it('without Parquet: every config loads from the JSONL with the records as written, times with their offsets', async () => {
    const { code, report, stderr } = await check(jsonlOnly);
    expect(code, stderr.slice(-3000)).toBe(0);
    const c = report.configs!;
    expect(Object.keys(c).sort()).toEqual(['emails', 'incidents', 'labels', 'mailboxes']);
    for (const t of Object.values(c)) {
      expect(t.files).toMatch(/\.jsonl$/);
      expect(t.rowsDiffering).toBe(0);
    }
    expect(c.emails!.columns).toContain('receivedAt');
    expect(c.incidents!.columns).toContain('params');
    expect(report.croissant!.distributions).toBe(4);
  });

  it('the check fails on what it checks: a type left to guessing, a wrong hash, a field from nowhere, a missing RAI field', async () => {
    const dir = join(tempDir(), 'broken');
    cpSync(jsonlOnly, dir, { recursive: true });
    // The card as it was before: receivedAt declared a string, which pyarrow parses into UTC.
    const card = join(dir, FILES.card);
    writeFileSync(card, readFileSync(card, 'utf8').replace('- name: receivedAt\n        dtype: json', '- name: receivedAt\n        dtype: string'));
    const load = await check(dir, 'load');
    expect(load.code).toBe(1);
    expect(load.report.problems.join('\n')).toMatch(/^config emails: row 0 is not the record as written: .*receivedAt/m);

    const path = join(dir, FILES.croissant);
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const dists = doc.distribution as Array<Record<string, unknown>>;
    dists.find((d) => d['@id'] === 'labels-jsonl')!.sha256 = '0'.repeat(64);
    const fields = (doc.recordSet as Array<{ '@id': string; field: Array<{ source: { fileObject: { '@id': string } } }> }>).find(
      (r) => r['@id'] === 'emails',
    )!.field;
    fields[0]!.source.fileObject['@id'] = 'nowhere';
    delete doc['rai:dataBiases'];
    doc['rai:madeUp'] = 'x';
    writeFileSync(path, JSON.stringify(doc));
    const bad = await check(dir, 'croissant');
    expect(bad.code).toBe(1);
    const problems = bad.report.problems.join('\n');
    expect(problems).toContain('FileObject labels-jsonl: sha256 of truth/labels.jsonl does not match');
    expect(problems).toContain("field emails/id: its source names the distribution 'nowhere', which does not exist");
    expect(problems).toContain('rai:dataBiases is missing or empty');
    expect(problems).toContain('rai:madeUp is not in the Croissant RAI vocabulary');
  });
});

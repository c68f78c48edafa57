/**
 * `ato-bench score`'s reading of an alerts file: every bad line is reported (each kind the
 * docs name: not JSON, a bad field, an unknown email, another mailbox, evidence not yet
 * delivered), up to a cap and then a count, with exit 2 and nothing written. And the row's
 * name: what users call a model is accepted, what would break a key is refused with the rule.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { cli, jsonl, tempDir } from '../generator/testing/test-helpers.js';
import type { EmailRecord } from '../datasets/format.js';
import { LISTED, OfflineAlertsError, ROW_ID_RULE, readOfflineRun } from './offline.js';

let tiny: string;
let emails: EmailRecord[];

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
  emails = jsonl<EmailRecord>(join(tiny, 'emails.jsonl'));
}, 120_000);

const alert = (emailId: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ emailId, score: 0.5, reason: 'r', ...extra });

/** The lines as an alerts file in a folder of its own. */
function alertsFile(lines: string[]): string {
  const file = join(tempDir(), 'alerts.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** Score the lines as a file; the exit code, stderr and whether --out was written. */
function score(
  lines: string[],
  name = 'my-model',
  extra: string[] = [],
): { status: number | null; stderr: string; stdout: string; wrote: boolean; file: string } {
  const file = alertsFile(lines);
  const out = join(file, '..', 'results.json');
  const r = cli(['score', '--data', tiny, '--alerts', file, '--name', name, '--bootstrap', '0', '--out', out, ...extra]);
  return { ...r, wrote: existsSync(out), file };
}

describe('score: the bad lines of an alerts file', () => {
  it('lists every bad line with its number and why, exit 2, nothing written', () => {
    const first = emails[0]!;
    const later = emails.find((e) => e.mailbox === first.mailbox && e.id !== first.id)!;
    const other = emails.find((e) => e.mailbox !== first.mailbox)!;
    const r = score([
      alert(first.id), // 1: good
      '{"emailId": oops', // 2: not JSON
      alert(first.id, { score: 7 }), // 3: a bad field
      '', // 4: blank, skipped
      alert('0123456789abcdef'), // 5: no such email
      alert(first.id, { mailbox: other.mailbox }), // 6: another mailbox
      alert(first.id, { evidence: [later.id] }), // 7: evidence delivered after the alert
      alert(later.id, { evidence: [first.id] }), // 8: good
    ]);
    expect(r.status, r.stderr).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`ato-bench: ${r.file}: 5 bad lines, nothing scored:`);
    expect(lines.slice(1).map((l) => l.trim())).toEqual([
      `${r.file}:2: not JSON: {"emailId": oops`,
      expect.stringMatching(new RegExp(`^${r.file}:3: score: .*(<=1|too big)`, 'i')),
      `${r.file}:5: email 0123456789abcdef is not in the dataset ${tiny}`,
      `${r.file}:6: email ${first.id} is in mailbox ${first.mailbox}, not ${other.mailbox}`,
      `${r.file}:7: evidence ${later.id} is not an email delivered before the alert`,
    ]);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(r.stdout).toBe('');
    expect(r.wrote).toBe(false);
  });

  it(`lists the first ${LISTED} in line order, then how many more`, () => {
    const extra = 7;
    // Shape errors and unknown emails interleaved: the two passes' lines come out in line order.
    const lines = Array.from({ length: LISTED + extra }, (_, i) => (i % 2 ? 'not json' : alert(`${'f'.repeat(12)}${String(i).padStart(4, '0')}`)));
    const r = score([alert(emails[0]!.id), ...lines]);
    expect(r.status).toBe(2);
    const out = r.stderr.trimEnd().split('\n');
    expect(out[0]).toBe(`ato-bench: ${r.file}: ${LISTED + extra} bad lines, nothing scored:`);
    const listed = out.slice(1, -1).map((l) => Number(new RegExp(`^  ${r.file}:(\\d+): `).exec(l)?.[1]));
    expect(listed).toEqual(Array.from({ length: LISTED }, (_, i) => i + 2));
    expect(out.at(-1)).toBe(`  and ${extra} more`);
    expect(r.wrote).toBe(false);
  });

  it('a single bad line is one line, as before', () => {
    const r = score([alert(emails[0]!.id), alert(emails[0]!.id, { reason: 3 })]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^ato-bench: ${r.file}:2: reason: `))]);
    expect(r.wrote).toBe(false);
  });

  it('a good file is scored (the same checks pass it)', () => {
    const first = emails[0]!;
    const later = emails.find((e) => e.mailbox === first.mailbox && e.id !== first.id)!;
    const r = score([alert(later.id, { evidence: [first.id] }), alert(first.id)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.wrote).toBe(true);
    const results = JSON.parse(readFileSync(join(r.file, '..', 'results.json'), 'utf8')) as { detectors: Array<{ alerts: unknown[] }> };
    expect(results.detectors[0]!.alerts).toHaveLength(2);
  });
});

describe('score --name', () => {
  const offline = (name: string, alertsPath: string) => readOfflineRun({ dataDir: tiny, alertsPath, name, maxAlerts: 10 });

  it('takes a model name as users write it (dots, digits, underscores, capitals): the row keeps it', async () => {
    // --version after the command is the model's, not ato-bench's.
    const r = score([alert(emails[0]!.id)], 'hgb-0.9', ['--version', '0.9.1']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^hgb-0\.9 .* offline$/m);
    const results = JSON.parse(readFileSync(join(r.file, '..', 'results.json'), 'utf8')) as { detectors: Array<{ id: string; version: string }> };
    expect(results.detectors.map((d) => [d.id, d.version])).toEqual([['hgb-0.9', '0.9.1']]);
    for (const name of ['XGB_v2.1', 'model_3', '2025.11-lgbm', 'a'.repeat(64)]) expect((await offline(name, r.file)).runs[0]!.id).toBe(name);
  });

  it('refuses what would break a key (whitespace, control characters, commas, slashes, colons, quotes, a leading dot, too long, empty), saying the rule in one line', async () => {
    const file = alertsFile([alert(emails[0]!.id)]);
    const bad = ['my model', 'hgb\t0.9', 'a,b', 'a/b', 'a\\b', 'rules:x', 'say"hi"', '.hidden', '_x', 'a'.repeat(65), '', '\x1b[31mred', 'x\u009b2J'];
    for (const name of bad) {
      const e = await offline(name, file).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e, JSON.stringify(name)).toBeInstanceOf(OfflineAlertsError);
      const message = (e as Error).message;
      expect(message).toContain(ROW_ID_RULE);
      expect(message.split('\n')).toHaveLength(1);
      expect(message, JSON.stringify(name)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }
    const r = cli(['score', '--data', tiny, '--alerts', file, '--name', 'my model']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`ato-bench: --name "my model": ${ROW_ID_RULE}\n`);
  });

  it("refuses a built-in detector's id, whatever its case", async () => {
    const file = alertsFile([alert(emails[0]!.id)]);
    for (const name of ['oracle', 'Rules'])
      await expect(offline(name, file)).rejects.toThrow(`--name ${name} is a built-in detector's id; give the offline row another`);
  });
});

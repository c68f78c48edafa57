import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync, cpSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPreset, mergeConfig, parseConfig, presetInput } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { tempDir } from '../generator/testing/test-helpers.js';
import { DatasetError } from '../datasets/read.js';
import { UnknownDetectorError } from '../detectors/registry.js';
import { benchmark, writeResults } from './benchmark.js';
import type { BenchResults } from './benchmark.js';
import { formatLeaderboard } from './leaderboard.js';
import { benchHtml, benchMarkdown } from './report/index.js';
import { parseDetectorSpec, runDetectors } from './runner.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let tiny: string;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
});

describe('runner: isolation', () => {
  it('a detector that throws, hangs or returns garbage ends in its own row; the others are scored', async () => {
    const r = await benchmark({
      dataDir: tiny,
      detectors: [
        { builtin: 'marketplace-rules', params: {} },
        { external: join(FIXTURES, 'throws.mjs') },
        { external: join(FIXTURES, 'hangs.mjs') },
        { external: join(FIXTURES, 'garbage.mjs') },
        { builtin: 'null', params: {} },
      ],
      timeLimitSeconds: 6,
      bootstrapSamples: 0,
    });
    const row = (id: string) => r.detectors.find((d) => d.id === id || d.spec.endsWith(`${id}.mjs`))!;
    expect(row('marketplace-rules').status).toBe('ok');
    expect(row('marketplace-rules').metrics!.detected).toBeGreaterThan(0);
    expect(row('null').status).toBe('ok');

    expect(row('throws').status).toBe('error');
    expect(row('throws').error).toMatch(/boom at email 50 \(at email 50, id [0-9a-f]{16}\)/);

    expect(row('hangs').status).toBe('timeout');
    expect(row('hangs').error).toMatch(/time limit of 6 s, waiting for its reply to email 10 \(if it answered, flush stdout after every line\)$/);

    // The first malformed alert (a score of 7) ends the detector: its alerts are not scored.
    const garbage = row('garbage');
    expect(garbage.status).toBe('error');
    expect(garbage.error).toMatch(/alert.*score.*(<=1|too big|Too big)/i);
    expect(garbage.metrics).toBeNull();
    expect(formatLeaderboard(r)).toMatch(/ERROR: .*score/);
  });

  it('the oracle alone is granted the truth, and the documented example detector runs from a path', async () => {
    const r = await benchmark({
      dataDir: tiny,
      detectors: [{ builtin: 'oracle', params: {} }, { external: join(FIXTURES, 'example.mjs') }],
      bootstrapSamples: 0,
    });
    const oracle = r.detectors.find((d) => d.id === 'oracle')!;
    expect(oracle.upperBound).toBe(true);
    expect(oracle.metrics!.recall.value).toBe(1);
    expect(oracle.metrics!.fp).toBe(0);
    const example = r.detectors.find((d) => d.id === 'many-orders')!;
    expect(example.status).toBe('ok');
    expect(example.kind).toBe('external');
    expect(example.metrics!.alerts).toBeGreaterThan(0);
  });

  it('counts alerts, hits and false alarms per rule for a detector whose alerts name their rule, and shows them in every report', async () => {
    const r = await benchmark({
      dataDir: tiny,
      detectors: [
        { builtin: 'rules', params: {} },
        { builtin: 'naive-burst', params: { n: '3' } },
      ],
      bootstrapSamples: 0,
    });
    const rules = r.detectors.find((d) => d.id === 'rules')!;
    const tallies = Object.values(rules.perRule!);
    expect(tallies.length).toBeGreaterThan(1);
    const sum = (k: 'alerts' | 'tp' | 'dup' | 'fp') => tallies.reduce((a, t) => a + t[k], 0);
    expect(sum('alerts')).toBe(rules.metrics!.alerts);
    expect(sum('tp')).toBe(rules.metrics!.tp);
    expect(sum('dup')).toBe(rules.metrics!.dup);
    expect(sum('fp')).toBe(rules.metrics!.fp);
    for (const a of rules.alerts) expect(a.reason.startsWith(`${a.rule}: `)).toBe(true);
    expect(r.detectors.find((d) => d.id === 'naive-burst')!.perRule).toBeNull();
    const id = Object.keys(rules.perRule!)[0]!;
    expect(formatLeaderboard(r)).toMatch(new RegExp(`per rule of rules:[\\s\\S]*\\n${id} +\\d+`));
    expect(benchMarkdown(r)).toMatch(new RegExp(`### Per rule: rules[\\s\\S]*\\| ${id} \\|`));
    expect(await benchHtml(r)).toMatch(new RegExp(`<section id="per-rule">[\\s\\S]*<td>${id}</td>`));
  });

  it('stamps every alert with the arrival of the email that produced it', async () => {
    const r = await runDetectors({ dataDir: tiny, detectors: [{ builtin: 'naive-burst', params: { n: '3' } }] });
    const at = new Map(
      readFileSync(join(tiny, 'emails.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string; receivedAt: string })
        .map((e) => [e.id, Date.parse(e.receivedAt) / 1000]),
    );
    const alerts = r.runs[0]!.alerts;
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) expect(a.at).toBe(at.get(a.emailId));
  });

  it('an unknown detector names the known ones', () => {
    expect(() => parseDetectorSpec('magic')).toThrow(UnknownDetectorError);
    expect(() => parseDetectorSpec('magic')).toThrow(
      /known detectors: null, random, naive-burst, oracle, marketplace-rules, security-rules, rules, mailbox-surprise/,
    );
    expect(parseDetectorSpec('random:rate=0.5')).toEqual({ builtin: 'random', params: { rate: '0.5' } });
  });
});

describe('runner: bad datasets', () => {
  function copyOfTiny(): string {
    const dir = join(tempDir(), 'copy');
    cpSync(tiny, dir, { recursive: true });
    return dir;
  }

  it('refuses emails that do not match the manifest, naming the file and the bad line', async () => {
    const dir = copyOfTiny();
    const path = join(dir, 'emails.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[9] = 'X' + lines[9]!.slice(1); // same size, not JSON any more
    writeFileSync(path, lines.join('\n'));
    await expect(runDetectors({ dataDir: dir, detectors: [] })).rejects.toThrow(DatasetError);
    await expect(runDetectors({ dataDir: dir, detectors: [] })).rejects.toThrow(
      /emails\.jsonl does not match the dataset's manifest .*emails\.jsonl:10: not valid JSON/,
    );
  });

  it('refuses a truncated file, naming its last line', async () => {
    const dir = copyOfTiny();
    const path = join(dir, 'emails.jsonl');
    const n = readFileSync(path, 'utf8').split('\n').length - 1;
    truncateSync(path, readFileSync(path).length - 40);
    await expect(runDetectors({ dataDir: dir, detectors: [] })).rejects.toThrow(new RegExp(`emails\\.jsonl:${n}: truncated`));
  });

  /** Rewrite emails.jsonl and mend its manifest entry, as a forged dataset would. */
  function forgeEmails(dir: string, edit: (lines: string[]) => void): void {
    const path = join(dir, 'emails.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    edit(lines);
    const bytes = Buffer.from(lines.join('\n'));
    writeFileSync(path, bytes);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
    manifest.files['emails.jsonl'] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  }

  it('refuses a forged stream whose hash matches: an id not of the format, a key given twice', async () => {
    const upper = copyOfTiny();
    forgeEmails(upper, (lines) => {
      lines[2] = lines[2]!.replace(/"id":"([0-9a-f]{16})"/, (_, id: string) => `"id":"${id.toUpperCase().replace(/^./, 'Z')}"`);
    });
    await expect(runDetectors({ dataDir: upper, detectors: [] })).rejects.toThrow(/emails\.jsonl:3: id "Z[0-9A-F]{15}" is not 16 lower-case hex digits/);
    // JSON keeps a key's last value; the harness's later readings look at the line's start, so
    // a line that would show them another id than the parse did is refused.
    const twice = copyOfTiny();
    forgeEmails(twice, (lines) => {
      lines[4] = lines[4]!.replace(/}$/, `,"id":"${JSON.parse(lines[1]!).id}"}`);
    });
    await expect(runDetectors({ dataDir: twice, detectors: [] })).rejects.toThrow(/emails\.jsonl:5: gives its id, mailbox or receivedAt twice/);
  });

  it('refuses changed truth', async () => {
    const dir = copyOfTiny();
    writeFileSync(join(dir, 'truth', 'incidents.jsonl'), '');
    await expect(runDetectors({ dataDir: dir, detectors: [] })).rejects.toThrow(/incidents\.jsonl does not match the dataset's manifest/);
  });
});

describe('results file', () => {
  const results = { schema: 'ato-bench/results', schemaVersion: 1 } as unknown as BenchResults;

  it('replaces an existing file atomically and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'results.json');
    writeFileSync(path, 'old');
    writeResults(path, results);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(results);
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('keeps the old file when the new one cannot be put in place', () => {
    const dir = tempDir();
    const path = join(dir, 'results.json');
    mkdirSync(path); // a directory where the file should go: the rename fails
    writeFileSync(join(path, 'keep'), 'x');
    expect(() => writeResults(path, results)).toThrow();
    expect(readdirSync(dir)).toEqual(['results.json']);
    expect(readFileSync(join(path, 'keep'), 'utf8')).toBe('x');
  });
});

describe('leaderboard on a small world', () => {
  it('ranks the oracle first, null at zero, and the real detectors above random and naive-burst', async () => {
    const dir = join(tempDir(), 'small');
    const config = parseConfig(
      mergeConfig(presetInput('default'), {
        mailboxes: 200,
        days: 63,
        prevalence: { ato: 0, lookalike: 0, phishing: 0 },
        scenarios: {
          'ato-marketplace-dormant-burst': { count: 20 },
          'lookalike-sale-spree': { count: 18 },
          'lookalike-cross-border-order': { count: 12 },
          'phishing-fake-order-confirmation': { count: 2 },
          'phishing-fake-security-notice': { count: 2 },
        },
      }),
    );
    await generateDataset({ config, out: dir, workers: 2 });
    const r = await benchmark({
      dataDir: dir,
      detectors: ['null', 'random', 'naive-burst', 'oracle', 'marketplace-rules', 'security-rules', 'mailbox-surprise'].map((builtin) => ({
        builtin,
        params: {},
      })),
      bootstrapSamples: 200,
    });
    const m = (id: string) => r.detectors.find((d) => d.id === id)!.metrics!;
    expect(r.detectors.every((d) => d.status === 'ok')).toBe(true);
    expect(m('oracle').score.value).toBe(100);
    for (const id of ['null', 'random', 'naive-burst', 'marketplace-rules', 'security-rules', 'mailbox-surprise'])
      expect(m('oracle').score.value).toBeGreaterThanOrEqual(m(id).score.value);
    expect(m('null').recall.value).toBe(0);
    expect(m('null').fp).toBe(0);
    expect(m('null').score.value).toBe(0);
    for (const id of ['marketplace-rules', 'mailbox-surprise']) {
      expect(m(id).recall.value).toBeGreaterThan(m('random').recall.value);
      expect(m(id).score.value).toBeGreaterThan(m('random').score.value);
      expect(m(id).recall.lo).toBeLessThanOrEqual(m(id).recall.value);
      expect(m(id).recall.hi).toBeGreaterThanOrEqual(m(id).recall.value);
    }
    expect(m('marketplace-rules').precision.value).toBeGreaterThan(m('naive-burst').precision.value);
    expect(m('marketplace-rules').score.value).toBeGreaterThan(m('naive-burst').score.value);
    const rules = r.detectors.find((d) => d.id === 'marketplace-rules')!;
    expect(rules.randomBaseline!.lift).toBeGreaterThan(1);
  });
});

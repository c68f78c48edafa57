/**
 * The Python example, as a user runs it: its own unit tests, then streamed through the harness
 * beside a built-in, then offline (it reads emails.jsonl itself and writes alerts) and scored with
 * `ato-bench score`: the same alerts, so the same metrics.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { cli, tempDir } from '../../generator/testing/test-helpers.js';
import type { BenchResults } from '../../bench/benchmark.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const python = spawnSync('python3', ['--version']).status === 0;
let tiny: string;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
});

describe.runIf(python)('examples/python-detector', () => {
  it('passes its own unit tests (python3 -m unittest)', () => {
    const r = spawnSync('python3', ['-m', 'unittest', '-q'], { cwd: HERE, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^OK$/m);
  });

  it('runs streamed beside a built-in, and its offline alerts scored by `ato-bench score` give the same metrics', () => {
    const dir = tempDir();
    const streamed = join(dir, 'streamed.json');
    const bench = cli(['bench', '--data', tiny, '--detectors', 'marketplace-rules', '--detector', HERE, '--bootstrap', '50', '--out', streamed]);
    expect(bench.status, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/^python-example +\d+%/m);
    const s = JSON.parse(readFileSync(streamed, 'utf8')) as BenchResults;
    const row = s.detectors.find((d) => d.id === 'python-example')!;
    expect(row.status).toBe('ok');
    expect(row.mode).toBe('streamed');
    expect(row.version).toBe('1.0.0'); // from detector.json, not from the stream
    expect(row.speed.emails).toBe(s.dataset.emails);
    expect(row.alerts.length).toBeGreaterThan(0);

    const offline = spawnSync('python3', [join(HERE, 'detector.py'), '--offline', join(tiny, 'emails.jsonl')], { encoding: 'utf8' });
    expect(offline.status, offline.stderr).toBe(0);
    const alertsFile = join(dir, 'alerts.jsonl');
    writeFileSync(alertsFile, offline.stdout);
    const scoredFile = join(dir, 'offline.json');
    const score = cli(['score', '--data', tiny, '--alerts', alertsFile, '--name', 'python-example', '--bootstrap', '50', '--out', scoredFile]);
    expect(score.status, score.stderr).toBe(0);
    expect(score.stdout).toMatch(/^python-example .* offline$/m);
    const o = (JSON.parse(readFileSync(scoredFile, 'utf8')) as BenchResults).detectors[0]!;
    expect(o.mode).toBe('offline');
    expect(o.isolation).toBeNull();
    expect(o.alerts).toEqual(row.alerts);
    expect(o.metrics).toEqual(row.metrics);
    expect(o.incidents).toEqual(row.incidents);
  });

  it('a bad offline line stops the scoring with its line number, exit 2, nothing written', () => {
    const dir = tempDir();
    const alertsFile = join(dir, 'alerts.jsonl');
    const id = JSON.parse(readFileSync(join(tiny, 'emails.jsonl'), 'utf8').split('\n')[0]!).id as string;
    writeFileSync(alertsFile, `{"emailId":"${id}","score":0.5,"reason":"ok"}\n{"emailId":"${id}","score":7,"reason":"too sure"}\n`);
    const r = cli(['score', '--data', tiny, '--alerts', alertsFile, '--name', 'my-model', '--out', join(dir, 'r.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/alerts\.jsonl:2: score: .*(<=1|too big|Too big)/i);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.trim()).toBe('alerts.jsonl');
  });
});

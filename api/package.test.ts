/**
 * ato-bench as another team adopts it: the packed tarball installed into a fresh project with
 * nothing but npm (no overrides repeated), a TypeScript detector there that imports the contract
 * from 'ato-bench', compiled with TypeScript (tsc --init's skipLibCheck, no @types/node), then
 * generate and bench from that project — the
 * built-ins (rules read from the package) and the team's detector, each in the sandbox.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bubblewrap } from '../bench/sandbox.js';
import { ROOT, tempDir } from '../generator/testing/test-helpers.js';
import { installedProject, packTarball, run } from '../generator/testing/consumer.js';
import type { BenchResults } from './index.js';

let project: string;

beforeAll(() => {
  project = installedProject(packTarball());
  const gen = run(join(project, 'node_modules', '.bin', 'ato-bench'), ['generate', '--preset', 'tiny', '--out', 'ds'], project);
  expect(gen.status, gen.stderr).toBe(0);
}, 300_000);

describe('the npm package, installed in a fresh project', () => {
  it('carries its licence, rules, presets, profiles, gate defaults and the protocol docs', () => {
    const pkg = join(project, 'node_modules', 'ato-bench');
    for (const f of [
      'LICENSE',
      'detectors/rules/marketplace/marketplace-founding-pattern.yaml',
      'detectors/fixtures.json',
      'datasets/presets/tiny.json',
      'bench/profiles/standard.json',
      'bench/gate/gate.json',
      'docs/detector-protocol.md',
      'dist/bench/adapter.js',
    ])
      expect(() => readFileSync(join(pkg, f)), f).not.toThrow();
    expect((JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { private?: boolean }).private).toBeUndefined();
  });

  it('a TypeScript detector typed by the package compiles, and generate and bench run it beside the built-ins', () => {
    writeFileSync(
      join(project, 'detector.ts'),
      [
        "import type { Detector, EmailRecord } from 'ato-bench';",
        "import { defineDetector } from 'ato-bench/detector';",
        '',
        'const detector: Detector = defineDetector({',
        "  id: 'team-orders',",
        "  version: '1.0.0',",
        "  description: 'order confirmations, typed',",
        '  create: () => ({',
        '    onEmail: (e: EmailRecord) =>',
        "      /ご注文の確認|Your Hanamart order/.test(e.subject) ? { mailbox: e.mailbox, score: 0.2, reason: 'an order', evidence: [e.id] } : undefined,",
        '  }),',
        '});',
        'export default detector;',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, skipLibCheck: true, types: [] },
        files: ['detector.ts'],
      }),
    );
    const tsc = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], project);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

    const bin = join(project, 'node_modules', '.bin', 'ato-bench');
    const bench = run(
      bin,
      ['bench', '--data', 'ds', '--detectors', 'rules,null', '--detector', './detector.js', '--bootstrap', '0', '--out', 'results.json'],
      project,
    );
    expect(bench.status, bench.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(project, 'results.json'), 'utf8')) as BenchResults;
    expect(results.detectors.map((d) => [d.id, d.status])).toEqual([
      ['rules', 'ok'],
      ['null', 'ok'],
      ['team-orders', 'ok'],
    ]);
    expect(results.detectors.find((d) => d.id === 'rules')!.metrics!.detected).toBeGreaterThan(0);
    expect(results.detectors.find((d) => d.id === 'team-orders')!.alerts.length).toBeGreaterThan(0);
  });

  it('a team owns its gate there: its rules carry their tests, its detector runs beside them, a broken rule fails the gate', () => {
    const bin = join(project, 'node_modules', '.bin', 'ato-bench');
    mkdirSync(join(project, 'team-rules'), { recursive: true });
    const rule = readFileSync(
      join(project, 'node_modules', 'ato-bench', 'detectors', 'rules', 'marketplace', 'marketplace-platform-takeover-notice.yaml'),
      'utf8',
    );
    const ruleFile = join(project, 'team-rules', 'marketplace-platform-takeover-notice.yaml');
    writeFileSync(ruleFile, rule.replace(/\ntests:[\s\S]*$/, '\ntests:\n  mustFire: [ato-marketplace-dormant-burst]\n  mustNotFire: [lookalike-sale-spree]\n'));
    writeFileSync(
      join(project, 'team-detector.mjs'),
      "export default { id: 'team-detector', version: '1', description: 'orders', create: () => ({ onEmail: (e) => (/ご注文の確認|Your Hanamart order/.test(e.subject) ? { mailbox: e.mailbox, score: 0.2, reason: 'an order', evidence: [e.id] } : undefined) }) };\n",
    );
    writeFileSync(
      join(project, 'gate.json'),
      // No speed check: on 2,000 emails on a machine shared with other tests, speed is noise (seen at 0.49x).
      JSON.stringify({
        detectors: ['rules:dir=team-rules', './team-detector.mjs'],
        mustDetect: [{ scenario: '*' }],
        bootstrapSamples: 0,
        tolerances: { speedRatio: 0 },
      }),
    );
    writeFileSync(join(project, 'known-fps.csv'), 'detector,mailbox,emailId,note\n');
    const gate = (...extra: string[]) =>
      run(
        bin,
        [
          'gate',
          '--config',
          'gate.json',
          '--data',
          'ds',
          '--baseline',
          'baseline.json',
          '--known-fps',
          'known-fps.csv',
          '--fixtures',
          'fixtures.json',
          ...extra,
        ],
        project,
      );
    writeFileSync(join(project, 'fixtures.json'), '{}');
    const update = gate('--update-baseline');
    expect(update.status, update.stderr).toBe(0);
    expect(readFileSync(join(project, 'baseline.json'), 'utf8')).not.toContain(project); // no absolute path
    const pass = gate();
    expect(pass.status, pass.stdout + pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/PASS/);
    expect(pass.stdout).toMatch(/team-detector/);
    writeFileSync(
      ruleFile,
      readFileSync(ruleFile, 'utf8').replace('score: 0.9', 'when:\n  - count: { event: marketplace.order, within: 1h, atLeast: 50 }\nscore: 0.9'),
    );
    const fail = gate();
    expect(fail.status).toBe(3);
    expect(fail.stdout).toMatch(/marketplace-platform-takeover-notice: fires on 0 of \d+ ato-marketplace-dormant-burst \(inc-[0-9a-f]+/);
  });

  // As a detector author sets them up from the package alone: the shipped Python example as a bare
  // command named by a relative path from a folder that is neither the project nor the script's,
  // and the shipped example that needs packages, in a virtual environment of its own (Debian's
  // numpy and scikit-learn through --system-site-packages, which .ci/run installs). Skipped only
  // without bubblewrap, as every test of the sandbox is.
  it.runIf(bubblewrap().path !== null)('Python detectors from the package: a command from another folder, and numpy from a virtual environment', () => {
    const pkg = join(project, 'node_modules', 'ato-bench');
    const bin = join(project, 'node_modules', '.bin', 'ato-bench');
    const py = join(project, 'detectors', 'python');
    cpSync(join(pkg, 'examples', 'python-detector'), py, { recursive: true });
    const mlFolder = join(project, 'detectors', 'ml');
    cpSync(join(pkg, 'examples', 'python-ml-detector'), mlFolder, { recursive: true });
    const venv = spawnSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '--without-pip', join(mlFolder, '.venv')], { encoding: 'utf8' });
    expect(venv.status, venv.stderr).toBe(0);

    const elsewhere = tempDir();
    const script = relative(elsewhere, join(py, 'detector.py'));
    const r = run(
      bin,
      [
        'bench',
        '--data',
        join(project, 'ds'),
        '--detector-cmd',
        `python3 ${script}`,
        '--detector',
        mlFolder,
        '--isolation',
        'bubblewrap',
        '--bootstrap',
        '0',
        '--out',
        'results.json',
      ],
      elsewhere,
    );
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(elsewhere, 'results.json'), 'utf8')) as BenchResults;
    expect(results.detectors.map((d) => [d.status, d.error ?? '', d.isolation, d.speed.emails])).toEqual([
      ['ok', '', 'bubblewrap', results.dataset.emails],
      ['ok', '', 'bubblewrap', results.dataset.emails],
    ]);
    const ml = results.detectors.find((d) => d.id === 'python-ml-example');
    expect(ml, results.detectors.map((d) => d.id).join(', ')).toBeDefined();
    expect(ml!.alerts.length).toBeGreaterThan(0);
  });

  it('its programmatic API reads, scores and compares from the consumer’s code', () => {
    const script = [
      "import { readDataset, score, compare, bench, generate, defineDetector, PROTOCOL_VERSION } from 'ato-bench';",
      "const ds = readDataset('ds');",
      'let n = 0; let first;',
      'for await (const e of ds.emails()) { n++; first ??= e; }',
      "import { writeFileSync } from 'node:fs';",
      "writeFileSync('alerts.jsonl', JSON.stringify({ emailId: first.id, score: 1, reason: 'the first email' }) + '\\n');",
      "const r = await score({ dataDir: 'ds', alertsPath: 'alerts.jsonl', name: 'team-model', bootstrapSamples: 0 });",
      'const c = compare(r, r, {});',
      'console.log(JSON.stringify({ n, emails: ds.manifest.counts.emails, mode: r.detectors[0].mode, pass: c.pass, kinds: [typeof bench, typeof generate, typeof defineDetector], PROTOCOL_VERSION }));',
    ].join('\n');
    writeFileSync(join(project, 'api.mjs'), script);
    const r = run(process.execPath, ['api.mjs'], project);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { n: number; emails: number; mode: string; pass: boolean; kinds: string[]; PROTOCOL_VERSION: number };
    expect(out.n).toBe(out.emails);
    expect(out.mode).toBe('offline');
    expect(out.pass).toBe(true);
    expect(out.kinds).toEqual(['function', 'function', 'function']);
    expect(out.PROTOCOL_VERSION).toBe(1);
  });
});

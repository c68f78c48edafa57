/**
 * A gate baseline is read in review: no absolute path, no commit, no speeds (they live beside it,
 * and the speed check gets them back); a rule set's version is its content, so changing one rule
 * changes the version of the rules detector and nothing else about its identity.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { packageRoot } from '../generator/core/paths.js';
import { tempDir } from '../generator/testing/test-helpers.js';
import { rulesDir } from '../detectors/rules/load.js';
import { benchmark, writeResults } from './benchmark.js';
import type { BenchResults } from './benchmark.js';
import { compactBaseline, readBaseline, runGate, speedsPath } from './gate.js';
import { writeJsonFile } from './json-file.js';

let tiny: string;
let results: BenchResults;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
  results = await benchmark({
    dataDir: tiny,
    detectors: [
      { builtin: 'rules', params: {} },
      { builtin: 'null', params: {} },
    ],
    bootstrapSamples: 0,
  });
});

describe("a team's own rules in the gate", () => {
  it('carry their tests: the gate passes on its own baseline, and fails naming the rule and its incidents when the rule breaks', async () => {
    const work = tempDir();
    const dir = join(work, 'team-rules');
    mkdirSync(dir);
    const file = join(dir, 'marketplace-platform-takeover-notice.yaml');
    const original = readFileSync(join(rulesDir(), 'marketplace', 'marketplace-platform-takeover-notice.yaml'), 'utf8');
    // The team's own regression data, kept in the rule file.
    writeFileSync(file, original.replace(/\ntests:[\s\S]*$/, '\ntests:\n  mustFire: [ato-marketplace-dormant-burst]\n  mustNotFire: [lookalike-sale-spree]\n'));
    // The bundled gate config without its speed check: 2,311 emails on a machine shared with other
    // test files time noise, not the rules (0.44x was seen against the 0.5x tolerance).
    const config = join(work, 'gate.json');
    const bundled = JSON.parse(readFileSync(join(packageRoot(), 'bench', 'gate', 'gate.json'), 'utf8')) as { tolerances: Record<string, number> };
    writeFileSync(config, JSON.stringify({ ...bundled, tolerances: { ...bundled.tolerances, speedRatio: 0 } }));
    const opts = { dataDir: tiny, config, detectors: [`rules:dir=${dir}`], baseline: join(work, 'baseline.json'), knownFps: join(work, 'none.csv') };
    const update = await runGate({ ...opts, updateBaseline: true });
    expect(update.exitCode).toBe(0);
    const pass = await runGate(opts);
    expect(pass.compare!.reasons, pass.compare!.reasons.join('\n')).toEqual([]);
    expect(pass.exitCode).toBe(0);
    const checks = pass.compare!.detectors[0]!.checks.map((c) => c.name);
    expect(checks).toEqual(expect.arrayContaining(['marketplace-platform-takeover-notice must-fire:ato-marketplace-dormant-burst']));

    // Break the rule: it now also wants 50 orders within the hour, which never happens.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('score: 0.9', 'when:\n  - count: { event: marketplace.order, within: 1h, atLeast: 50 }\nscore: 0.9'),
    );
    const fail = await runGate(opts);
    expect(fail.exitCode).toBe(3);
    const reasons = fail.compare!.reasons.join('\n');
    expect(reasons).toMatch(/marketplace-platform-takeover-notice: fires on 0 of \d+ ato-marketplace-dormant-burst \(inc-[0-9a-f]+/);
  });
});

describe('a reviewable baseline', () => {
  it('holds no absolute path, no commit and no speed; its speeds are kept beside it and read back', () => {
    const { baseline, speeds } = compactBaseline(results);
    const text = JSON.stringify(baseline);
    expect(text).not.toContain(tiny);
    expect(baseline.git).toBeNull();
    expect(baseline.detectors.every((d) => d.speed.replayPerSecond === 0 && d.speed.maxRssMb === null)).toBe(true);
    expect(baseline.detectors.flatMap((d) => d.incidents).every((i) => i.kind === 'ato')).toBe(true);
    const path = join(tempDir(), 'baseline.json');
    writeResults(path, baseline);
    writeJsonFile(speedsPath(path), speeds);
    const read = readBaseline(path);
    expect(read.floors).toEqual(results.floors);
    expect(read.detectors.map((d) => d.speed)).toEqual(results.detectors.map((d) => d.speed));
    expect(read.detectors.map((d) => d.alerts)).toEqual(results.detectors.map((d) => d.alerts));
  });

  it('a rule set is versioned by its content: one changed rule, another version', async () => {
    const dir = join(tempDir(), 'rules');
    cpSync(rulesDir(), dir, { recursive: true });
    const again = await benchmark({ dataDir: tiny, detectors: [{ builtin: 'rules', params: { dir } }], bootstrapSamples: 0 });
    const bundled = results.detectors.find((d) => d.id === 'rules')!.version;
    expect(bundled).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(again.detectors[0]!.version).toBe(bundled); // the same files, the same version
    const file = join(dir, 'marketplace', 'marketplace-founding-pattern.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('within: 24h, atLeast: 2', 'within: 24h, atLeast: 3'));
    const changed = await benchmark({ dataDir: tiny, detectors: [{ builtin: 'rules', params: { dir } }], bootstrapSamples: 0 });
    expect(changed.detectors[0]!.version).toMatch(/^sha256:/);
    expect(changed.detectors[0]!.version).not.toBe(bundled);
  });
});

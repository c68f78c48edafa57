/**
 * The gate, tested the way detection-as-code projects test theirs: a gate nobody has seen fail
 * has not been tested (shared docs scoring.md). A deliberately broken rule change must fail it
 * and name what it lost; the unchanged rule set must pass; a baseline from another dataset must
 * be refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPreset } from '../generator/config.js';
import { ensureDataset } from '../datasets/cache.js';
import { cli, tempDir } from '../generator/testing/test-helpers.js';
import { rulesDir } from '../detectors/rules/load.js';
import { parseKnownFps } from './compare.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let pinned: string;

beforeAll(async () => {
  // The pinned dataset of bench/gate/gate.json (the default preset), generated once and cached.
  pinned = await ensureDataset('default', loadPreset('default'), { log: () => {} });
}, 600_000);

describe('ato-bench gate', () => {
  it('passes with the committed baseline and the unchanged rule set, and writes every report', () => {
    const out = tempDir();
    const r = cli(['gate', '--data', pinned, '--out-dir', out], { timeout: 600_000 });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^PASS$/m);
    // The terminal gets plain text, not the Markdown's escapes.
    expect(r.stdout).not.toMatch(/&(#\d+|[a-z]+);|<br>/);
    for (const f of ['results.json', 'compare.json', 'report.md', 'junit.xml', 'report.html'])
      expect(readFileSync(join(out, f), 'utf8').length, f).toBeGreaterThan(100);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites/);
    expect(junit).not.toMatch(/<failure|<error/);
    expect(readFileSync(join(out, 'report.md'), 'utf8').length).toBeLessThanOrEqual(60_000);
  });

  it('fails (exit 3) on a deliberately broken rule change, naming the lost incidents', () => {
    const work = tempDir();
    const rules = join(work, 'rules');
    cpSync(rulesDir(), rules, { recursive: true, filter: (src) => !src.endsWith('.ts') });
    const baseline = join(work, 'baseline.json');
    const label = `rules:dir=${rules}`;
    const base = cli(['gate', '--data', pinned, '--detectors', label, '--baseline', baseline, '--update-baseline'], { timeout: 600_000 });
    expect(base.status, base.stderr).toBe(0);
    // The change under review: the founding rule now wants 12 orders before it fires, so the
    // shorter bursts (four mails per order, 3-9 orders) are no longer caught at all.
    writeFileSync(
      join(rules, 'marketplace', 'marketplace-founding-pattern.yaml'),
      readFileSync(join(FIXTURES, 'broken-rules', 'marketplace-founding-pattern.yaml')),
    );
    const r = cli(['gate', '--data', pinned, '--detectors', label, '--baseline', baseline], { timeout: 600_000 });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/FAIL/);
    expect(r.stdout).toMatch(/lost \d+ must-detect incident\(s\): inc-[0-9a-f]{10} \(ato-marketplace-[a-z-]+\)/);
    // Unchanged files give the same alerts: putting the rule back passes again.
    cpSync(join(rulesDir(), 'marketplace', 'marketplace-founding-pattern.yaml'), join(rules, 'marketplace', 'marketplace-founding-pattern.yaml'));
    expect(cli(['gate', '--data', pinned, '--detectors', label, '--baseline', baseline], { timeout: 600_000 }).status).toBe(0);
  });

  it('refuses a baseline scored on another dataset (exit 4) and bad input (exit 2)', () => {
    const work = tempDir();
    for (const seed of ['1', '2']) {
      expect(cli(['generate', '--preset', 'tiny', '--seed', seed, '--out', join(work, `d${seed}`)]).status).toBe(0);
      expect(
        cli(['bench', '--data', join(work, `d${seed}`), '--detectors', 'null,naive-burst', '--bootstrap', '0', '--out', join(work, `r${seed}.json`)]).status,
      ).toBe(0);
    }
    const other = cli(['compare', '--baseline', join(work, 'r1.json'), '--results', join(work, 'r2.json')]);
    expect(other.status).toBe(4);
    expect(other.stderr).toMatch(/baseline incompatible: the baseline was scored on another dataset/);
    const same = cli(['compare', '--baseline', join(work, 'r1.json'), '--results', join(work, 'r1.json'), '--markdown', join(work, 'c.md')]);
    expect(same.status, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/PASS/);
    writeFileSync(join(work, 'fps.csv'), 'who,what\n');
    const badFps = cli(['compare', '--baseline', join(work, 'r1.json'), '--results', join(work, 'r1.json'), '--known-fps', join(work, 'fps.csv')]);
    expect(badFps.status).toBe(2);
    expect(badFps.stderr).toMatch(/fps\.csv:1: the header must start with detector,mailbox,emailId/);
    const notResults = cli(['compare', '--baseline', join(work, 'fps.csv'), '--results', join(work, 'r1.json')]);
    expect(notResults.status).toBe(2);
  });
});

describe('known false positives', () => {
  it('parses the committed list and rejects malformed rows with their line', () => {
    expect(parseKnownFps(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'gate', 'known-fps.csv'), 'utf8'), 'known-fps.csv')).toEqual([]);
    expect(parseKnownFps('detector,mailbox,emailId,note\nrules,mb-1,0123456789abcdef,a gift\n', 'x')).toEqual([
      { detector: 'rules', mailbox: 'mb-1', emailId: '0123456789abcdef', note: 'a gift' },
    ]);
    expect(() => parseKnownFps('detector,mailbox,emailId\nrules,mb-1,zz\n', 'x.csv')).toThrow(/x\.csv:2: emailId must be 16 hex digits/);
  });
});

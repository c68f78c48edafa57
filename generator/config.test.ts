import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, loadPreset, parseConfig, presetNames } from './config.js';
import { buildWorld } from './world/world.js';
import { planWorld } from './scenarios/plan.js';
import { DAY, parseDate } from './core/time.js';

describe('config', () => {
  it('every preset validates and builds a world', () => {
    for (const name of presetNames()) {
      const c = loadPreset(name);
      expect(c.days).toBeGreaterThan(c.warmupDays);
      expect(() => buildWorld(c)).not.toThrow();
    }
  });

  it('the default preset is what the quick start promises: >= 500 mailboxes, >= 90 days, >= 50 takeovers, more look-alikes than that', () => {
    const c = loadPreset('default');
    expect(c.mailboxes).toBeGreaterThanOrEqual(500);
    expect(c.days).toBeGreaterThanOrEqual(90);
    const w = planWorld(buildWorld(c));
    const ato = w.incidents.filter((i) => i.scenario.kind === 'ato').length;
    const look = w.incidents.filter((i) => i.scenario.kind === 'lookalike').length;
    expect(ato).toBeGreaterThanOrEqual(50);
    expect(look).toBeGreaterThan(ato);
  });

  it('a reversed range and a rate no mailbox can hold are refused, each named with its value', () => {
    const bad = { traffic: { contacts: [40, 3], socialPerDay: 100000, spamPerDay: { median: 5000 } }, persona: { dormantDays: [2200, 240] } };
    let err: ConfigError | undefined;
    try {
      parseConfig(bad);
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issues = err!.issues.join('\n');
    expect(issues).toMatch(/traffic\.contacts: a range \[low, high\] needs low <= high \(got \[40,3\]\)/);
    expect(issues).toMatch(/persona\.dormantDays: a range .* \(got \[2200,240\]\)/);
    expect(issues).toMatch(/traffic\.socialPerDay: at most 100 per membership-day .*\(got 100000\)/);
    expect(issues).toMatch(/traffic\.spamPerDay\.median: at most 100 per mailbox-day .*\(got 5000\)/);
    // The edges are fine.
    expect(() => parseConfig({ traffic: { contacts: [5, 5], socialPerDay: 100 } })).not.toThrow();
  });

  it('fills every default, so an empty object is a valid config', () => {
    const c = parseConfig({});
    expect(c.traffic.newsletters.mean).toBeGreaterThan(0);
    expect(c.persona.password.numeric).toBeGreaterThan(0);
  });

  it('names the field and the value of every invalid setting', () => {
    try {
      parseConfig({ mailboxes: 0.5, persona: { dormant: 2 }, locales: { ja: 1, en: 1, fr: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toMatch(/mailboxes: .*\(got 0\.5\)/);
      expect(msg).toMatch(/persona\.dormant: .*\(got 2\)/);
      expect(msg).toMatch(/locales: .*fr/);
    }
  });

  it('checks relations between fields', () => {
    expect(() => parseConfig({ days: 30, warmupDays: 30 })).toThrow(/warmupDays: must be less than days/);
  });

  it('the train, dev and test presets: their own seeds, disjoint mailboxes, train before dev before test in time', () => {
    const [train, dev, test] = (['train', 'dev', 'test'] as const).map((name) => {
      const config = loadPreset(name);
      expect(config.split).toBe(name);
      const start = parseDate(config.start);
      return { config, start, end: start + config.days * DAY, ids: new Set(buildWorld(config).mailboxes.map((p) => p.id)) };
    });
    expect(new Set([train!.config.seed, dev!.config.seed, test!.config.seed]).size).toBe(3);
    expect(train!.end).toBeLessThanOrEqual(dev!.start);
    expect(dev!.end).toBeLessThanOrEqual(test!.start);
    for (const [a, b] of [
      [train!, dev!],
      [train!, test!],
      [dev!, test!],
    ] as const)
      expect([...a.ids].filter((id) => b.ids.has(id))).toEqual([]);
    // Each split has sale events inside its own window (a look-alike spree needs one).
    for (const s of [train!, dev!, test!])
      expect(s.config.saleEvents.some((e) => parseDate(e.start) >= s.start + 21 * DAY && parseDate(e.start) < s.end)).toBe(true);
  });

  it('a drift names an edition its brand has, in date order', () => {
    const drift = (list: unknown[]) => () => parseConfig({ start: '2025-10-06', drift: list });
    expect(drift([{ brand: 'marketplace', on: '2025-11-01', edition: 'redesign' }])).not.toThrow();
    expect(drift([{ brand: 'marketplace', on: '2025-11-01', edition: 'retro' }])).toThrow(
      /drift\.0\.edition: marketplace has the editions classic, redesign \(got "retro"\)/,
    );
    // Outside the window either way is allowed: before it, the new edition holds throughout.
    expect(drift([{ brand: 'marketplace', on: '2025-09-01', edition: 'redesign' }])).not.toThrow();
    expect(
      drift([
        { brand: 'marketplace', on: '2025-11-01', edition: 'redesign' },
        { brand: 'marketplace', on: '2025-10-20', edition: 'classic' },
      ]),
    ).toThrow(/drift\.1\.on: a brand's drifts must be in date order/);
    expect(drift([{ brand: 'bank', on: '2025-11-01', edition: 'redesign' }])).toThrow(/drift\.0\.brand/);
  });

  it('a config file extends a preset and overrides deeply', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ato-config-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ extends: 'tiny', mailboxes: 12, traffic: { spamPerDay: { median: 1 } } }));
    const c = loadConfigFile(file);
    const tiny = loadPreset('tiny');
    expect(c.mailboxes).toBe(12);
    expect(c.traffic.spamPerDay.median).toBe(1);
    expect(c.traffic.spamPerDay.sigma).toBe(tiny.traffic.spamPerDay.sigma);
    expect(c.days).toBe(tiny.days);
    writeFileSync(file, '{ "days": ');
    expect(() => loadConfigFile(file)).toThrow(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ extends: 'nope' }));
    expect(() => loadConfigFile(file)).toThrow(/unknown preset "nope"; known presets: default, dev, test, tiny, train/);
  });
});

import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioDir, checkScenarios } from './load.js';

function libraryFiles(): Array<{ file: string; json: unknown }> {
  return readdirSync(scenarioDir())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(join(scenarioDir(), file), 'utf8')) as unknown }));
}

describe('scenario library', () => {
  it('every scenario file is valid: one run lists every offender', () => {
    const { problems, scenarios } = checkScenarios(libraryFiles());
    expect(problems, problems.join('\n')).toEqual([]);
    expect(scenarios.map((s) => s.kind)).toEqual(expect.arrayContaining(['ato', 'lookalike', 'phishing']));
  });

  it('ships the founding takeover, two look-alikes of it and phishing imitating the marketplace', () => {
    const { scenarios } = checkScenarios(libraryFiles());
    const founding = scenarios.find((s) => s.id === 'ato-marketplace-dormant-burst')!;
    expect(founding.kind).toBe('ato');
    const lookalikes = scenarios.filter((s) => s.kind === 'lookalike' && s.lookalikes.includes(founding.id));
    expect(lookalikes.length).toBeGreaterThanOrEqual(2);
    expect(
      scenarios
        .filter((s) => s.kind === 'phishing')
        .map((s) => s.steps[0]!.mail)
        .sort(),
    ).toEqual(['phishing.fake-order', 'phishing.fake-security', 'phishing.imitation']);
  });

  it('covers at least six kinds of takeover and six benign look-alikes, each look-alike naming what it resembles', () => {
    const { scenarios } = checkScenarios(libraryFiles());
    const ato = scenarios.filter((s) => s.kind === 'ato');
    const look = scenarios.filter((s) => s.kind === 'lookalike');
    expect(ato.length).toBeGreaterThanOrEqual(6);
    expect(look.length).toBeGreaterThanOrEqual(6);
    const atoIds = new Set(ato.map((s) => s.id));
    for (const l of look)
      expect(
        l.lookalikes.some((id) => atoIds.has(id)),
        l.id,
      ).toBe(true);
    // Every takeover is resembled by at least one benign scenario or phishing campaign.
    for (const a of ato)
      expect(
        scenarios.some((s) => s.kind !== 'ato' && s.lookalikes.includes(a.id)),
        a.id,
      ).toBe(true);
  });

  it('collects every problem of broken files before failing', () => {
    const [good] = libraryFiles().filter((f) => f.file === 'ato-marketplace-dormant-burst.json');
    const copy = (): Record<string, any> => JSON.parse(JSON.stringify(good!.json)) as Record<string, any>;
    const broken = copy();
    broken.steps[0].mail = 'marketplace.no-such-mail';
    broken.steps[1].when.after = 'later';
    broken.steps[2].count = 'noSuchParam';
    broken.lookalikes = ['ghost-scenario'];
    broken.parameters.unusedThing = { dist: 'const', value: 1, unit: 'count', description: 'never used' };
    broken.steps.push({ id: 'quiet', silence: { for: 24, share: 1, only: ['bakery.'] }, role: 'mail-silence', when: { after: 'onset' } });
    const noRefs = copy();
    noRefs.id = 'other-scenario';
    delete noRefs.references;
    const { problems } = checkScenarios([
      { file: 'ato-marketplace-dormant-burst.json', json: broken },
      { file: 'copy/ato-marketplace-dormant-burst.json', json: copy() },
      { file: 'other-scenario.json', json: noRefs },
      { file: 'broken.json', json: { id: 'Bad Id' } },
    ]);
    const text = problems.join('\n');
    expect(text).toMatch(/unknown mail type "marketplace\.no-such-mail"/);
    expect(text).toMatch(/when\.after "later"/);
    expect(text).toMatch(/unknown parameter "noSuchParam"/);
    expect(text).toMatch(/unknown scenario "ghost-scenario"/);
    expect(text).toMatch(/parameter "unusedThing" is never used/);
    expect(text).toMatch(/duplicate id/);
    expect(text).toMatch(/step quiet: silence\.only "bakery\." matches no registered mail type/);
    expect(text).toMatch(/other-scenario\.json: references: .*expected array/i);
    expect(text).toMatch(/broken\.json: id: .*\(got "Bad Id"\)/);
  });
});

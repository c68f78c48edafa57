/**
 * What the gate's reports tell CI and a reviewer must agree with its verdict, at any size:
 * - junit.xml, read by two JUnit consumers from the registry that CI tools are built on
 *   (test-results-parser, behind testbeats; junit-to-ctrf, behind the CTRF GitHub test reporter):
 *   a passing gate counts no failure and no error, a failing gate one failure per cause.
 * - report.md fits a pull-request comment whatever the gate's size, leads with what changed, and
 *   its new false alarms carry the emailId known-fps.csv takes, in lines it reads back.
 * - The terminal gets plain text, not the Markdown's escapes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJUnit } from 'test-results-parser';
import { convertJUnitToCTRFReport } from 'junit-to-ctrf';
import { cli, tempDir } from '../../generator/testing/test-helpers.js';
import { RESULTS_SCHEMA_VERSION } from '../benchmark.js';
import type { BenchResults, DetectorResult } from '../benchmark.js';
import { compareResults, parseGateConfig, parseKnownFps } from '../compare.js';
import type { KnownFalsePositive } from '../compare.js';
import type { CompareResult } from '../compare-types.js';
import type { IncidentRow } from '../types.js';
import { benchHtml, compareJUnit, compareMarkdown, compareText, escapeTerminal, MD_MAX_CHARS } from './index.js';
import type { IncidentTimeline, Review } from './review.js';

// ---------------------------------------------------------------------------------------------
// Two JUnit consumers, each counting in its own way.

interface Counts {
  /** test-results-parser: the totals it reads, and its cases' statuses. */
  trp: { failed: number; errors: number; failedCases: number; skippedCases: number };
  /** junit-to-ctrf: the CTRF summary it builds from the cases. */
  ctrf: { failed: number; skipped: number; other: number };
}

async function consumers(file: string): Promise<Counts> {
  const r = parseJUnit({ type: 'junit', files: [file] });
  const cases = r.suites.flatMap((s) => s.cases);
  const ctrf = await convertJUnitToCTRFReport(file);
  if (!ctrf) throw new Error(`junit-to-ctrf found no test case in ${file}`);
  const s = ctrf.results.summary;
  return {
    trp: {
      failed: r.failed,
      errors: r.errors,
      failedCases: cases.filter((c) => c.status === 'FAIL').length,
      skippedCases: cases.filter((c) => c.status === 'SKIP').length,
    },
    ctrf: { failed: s.failed, skipped: s.skipped, other: s.other },
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic gates of any size: detectors with takeovers (every third missed), false alarms, and a
// change that loses some takeovers and raises new false alarms.

const T0 = 1_750_000_000;
const NASTY = '<b>x</b> | `y` *z* [w] -> ~v~ $1 @octocat\n\x1b[31mred';
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

interface World {
  detectors: number;
  takeovers: number;
  falseAlarms: number;
}
interface Change {
  lose: number;
  newFalseAlarms: number;
}

function detector(k: number, w: World, change: Change | null): DetectorResult {
  const incidents: IncidentRow[] = [];
  const alerts: DetectorResult['alerts'] = [];
  let lost = 0;
  for (let i = 0; i < w.takeovers; i++) {
    const id = `inc-${hex(k * 100_000 + i, 10)}`;
    const mailbox = `mb-${hex(i, 6)}`;
    const onset = T0 + i * 3600;
    let detected = i % 3 !== 0;
    if (change && detected && lost < change.lose) {
      detected = false;
      lost++;
    }
    incidents.push({
      id,
      scenario: `ato-s${i % 5}`,
      kind: 'ato',
      mailbox,
      onset,
      detected,
      firstAlertAt: detected ? onset : null,
      latencyHours: detected ? 0 : null,
      latencyMails: detected ? 0 : null,
      leadHours: null,
      credit: detected ? 1 : 0,
    });
    if (detected) alerts.push({ mailbox, score: 1, reason: 'hit', evidence: [], emailId: hex(i, 16), at: onset, verdict: `tp:${id}` });
  }
  const fps = w.falseAlarms + (change?.newFalseAlarms ?? 0);
  for (let j = 0; j < fps; j++) {
    alerts.push({
      mailbox: `mb-fp-${hex(j, 4)}`,
      score: 0.5,
      reason: `${NASTY} ${j}`,
      evidence: [],
      emailId: hex(0xf_0000_0000 + k * 100_000 + j, 16),
      at: T0 + j * 60,
      verdict: 'fp:other',
    });
  }
  return {
    id: `det-${k}`,
    version: '1.0.0',
    description: '',
    kind: 'rules',
    upperBound: false,
    spec: `det-${k}`,
    mode: 'streamed',
    isolation: 'bubblewrap',
    status: 'ok',
    speed: { emails: 1000, replayPerSecond: 0, startupSeconds: 0, maxRssMb: null },
    metrics: null,
    randomBaseline: null,
    perRule: null,
    incidents,
    alerts,
  };
}

function results(w: World, change: (k: number) => Change | null = () => null): BenchResults {
  const mailboxes = w.takeovers + w.falseAlarms + 500;
  return {
    schema: 'ato-bench/results',
    schemaVersion: RESULTS_SCHEMA_VERSION,
    benchmarkVersion: '0.0.0',
    git: null,
    dataset: {
      dir: '/home/ci/work/repo/datasets/out/default',
      manifestSha256: 'a'.repeat(64),
      formatVersion: 0,
      seed: 7,
      configHash: '',
      mailboxes,
      mailboxDays: mailboxes * 91,
      emails: mailboxes * 200,
      incidents: { ato: w.takeovers },
      split: null,
    },
    scoring: {
      profile: { name: 'standard', weights: { tp: 1, fn: 1, fp: 0.11 } },
      graceHours: 72,
      bootstrapSamples: 0,
      budgets: [],
      horizons: [],
      target: 'ato',
    },
    floors: { readParsePerSecond: 1, replayPerSecond: null },
    detectors: Array.from({ length: w.detectors }, (_, k) => detector(k, w, change(k))),
  };
}

const FILES = { baseline: '/home/ci/work/repo/bench/gate/baseline.json', head: '/home/ci/work/repo/gate-report/results.json' };

/** A comparison as the gate makes it, with `extraChecks` passing checks per detector (fixture and rule tests). */
function gate(base: BenchResults, head: BenchResults, extraChecks = 0, knownFps: KnownFalsePositive[] = []): CompareResult {
  const c = compareResults(base, head, { gate: parseGateConfig({ bootstrapSamples: 0 }, 'test'), knownFps, files: FILES });
  for (const d of c.detectors)
    for (let i = 0; i < extraChecks; i++) d.checks.push({ name: `must-not-fire:lookalike-${i}`, pass: true, message: `quiet on all 8 lookalike-${i}` });
  return c;
}

/** The review buildReview would make: a timeline per takeover a head detector missed, lost or not. */
function review(c: CompareResult, head: BenchResults, length = 40): Review {
  const timelines: IncidentTimeline[] = [];
  const entries = Array.from({ length }, (_, i) => ({
    kind: 'mail' as const,
    at: '2025-10-09T00:29:45+02:00',
    hoursFromOnset: i,
    emailId: hex(i, 16),
    from: `"${NASTY}" <a@b.example>`,
    subject: `${NASTY} subject ${i}`,
    label: 'ato',
    type: 'order-confirmation',
    ofIncident: true,
  }));
  for (const d of head.detectors) {
    const lost = new Set(c.detectors.find((x) => x.spec === d.spec)!.incidents.lost.map((i) => i.id));
    for (const r of d.incidents.filter((x) => !x.detected)) {
      timelines.push({
        id: r.id,
        scenario: r.scenario,
        mailbox: r.mailbox,
        zone: 'Europe/Berlin',
        onset: '2025-10-09T00:29:45+02:00',
        windowEnd: '2025-10-12T00:29:45+02:00',
        missedBy: lost.has(r.id) ? [] : [d.id],
        lostBy: lost.has(r.id) ? [d.id] : [],
        caughtBy: [],
        entries,
      });
    }
  }
  return { dataset: { read: true, dir: '/home/ci/work/repo/datasets/out/default' }, timelines, falseAlarms: [], lanes: head.detectors.map((d) => d.id) };
}

/** The lines of the report's known-fps.csv block. */
function csvBlock(md: string): string[] {
  const lines = md.split('\n');
  const start = lines.indexOf('```csv');
  expect(start, 'a csv block').toBeGreaterThan(0);
  return lines.slice(start + 1, lines.indexOf('```', start + 1));
}

// ---------------------------------------------------------------------------------------------

describe('report.md', () => {
  it('stays within 60,000 characters whatever the gate, leading with what changed, its HTML and code blocks closed', () => {
    fc.assert(
      fc.property(
        fc.record({ detectors: fc.integer({ min: 1, max: 40 }), takeovers: fc.integer({ min: 0, max: 240 }), falseAlarms: fc.integer({ min: 0, max: 40 }) }),
        fc.record({ lose: fc.integer({ min: 0, max: 80 }), newFalseAlarms: fc.integer({ min: 0, max: 120 }) }),
        fc.integer({ min: 0, max: 60 }),
        (w, change, extra) => {
          const base = results(w);
          const head = results(w, (k) => (k % 2 ? change : null));
          const c = gate(base, head, extra);
          const md = compareMarkdown(c, { review: review(c, head), head });
          expect(md.length).toBeLessThanOrEqual(MD_MAX_CHARS);
          const lines = md.split('\n');
          expect(lines[0]).toBe(c.pass ? '## ✅ PASS: ato-bench gate' : '## ❌ FAIL: ato-bench gate');
          // What changed comes first: the summary row and the section of the first detector that changed, before any timeline.
          const first = c.detectors.find((d) => d.incidents.lost.length || d.falseAlarms.new.length);
          if (first) {
            const row = md.indexOf(`| ${first.spec} | +0 / −${first.incidents.lost.length} | ${first.falseAlarms.new.length} |`);
            expect(row, 'summary row').toBeGreaterThan(0);
            expect(row).toBeLessThan(md.indexOf(`### ❌ ${first.spec}`));
            const timelines = md.indexOf('### Timelines');
            if (timelines >= 0) expect(md.indexOf(`### ❌ ${first.spec}`)).toBeLessThan(timelines);
          } else expect(md).toContain('**Nothing changed**');
          expect((md.match(/<details\b/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
          expect(lines.filter((l) => l.startsWith('```')).length % 2).toBe(0);
          expect(md).not.toContain('/home/ci');
        },
      ),
      { numRuns: 12 },
    );
  });

  it('a huge gate (60 detectors, 300 takeovers each, 60 lost and 200 new false alarms each, 100 checks each) is cut at 60,000 characters, saying where the rest is', () => {
    const w = { detectors: 60, takeovers: 300, falseAlarms: 100 };
    const head = results(w, () => ({ lose: 60, newFalseAlarms: 200 }));
    const c = gate(results(w), head, 100);
    const md = compareMarkdown(c, { review: review(c, head, 40), head });
    if (process.env.JR_DUMP) writeFileSync(process.env.JR_DUMP, md);
    expect(md.length).toBeLessThanOrEqual(MD_MAX_CHARS);
    expect(md.length).toBeGreaterThan(MD_MAX_CHARS - 5000);
    expect(md.split('\n')[0]).toBe('## ❌ FAIL: ato-bench gate');
    expect(md).toContain('| det-0 | +0 / −60 | 200 |');
    expect(md).toContain('### ❌ det-0');
    expect(md.trimEnd().endsWith('The whole comparison is in report.html, compare.json and junit.xml.')).toBe(true);
    expect(md).not.toMatch(/<details><summary>.*\n+<\/details>/);
    // The passing checks are counted, not listed.
    expect(md).toContain(`checks pass over 60 detectors`);
    expect(md).not.toContain('must-not-fire:lookalike-');
  });

  it('the 5-detector gate with nothing changed: one line per kind of news, no check rows, no timeline, misses counted and sent to report.html', () => {
    const w = { detectors: 5, takeovers: 60, falseAlarms: 20 };
    const base = results(w);
    const c = gate(base, base, 40);
    const md = compareMarkdown(c, { review: review(c, base, 80), head: base });
    expect(md.length).toBeLessThan(2000);
    expect(md).toContain('**Nothing changed**');
    expect(md).toContain('Detectors (nothing gained or lost, every check passing): det-0, det-1, det-2, det-3, det-4.');
    expect(md).not.toMatch(/^\| /m);
    expect(md).not.toContain('<details');
    expect(md).toContain(`**Unchanged misses**: ${5 * 20} takeovers missed by the head as by the baseline (det-0 20, det-1 20,`);
    expect(md).toContain('are in report.html');
  });

  it('keeps timelines to the lost takeovers', () => {
    const w = { detectors: 2, takeovers: 30, falseAlarms: 0 };
    const head = results(w, (k) => (k === 1 ? { lose: 2, newFalseAlarms: 0 } : null));
    const c = gate(results(w), head);
    const md = compareMarkdown(c, { review: review(c, head), head });
    const summaries = md.split('\n').filter((l) => l.startsWith('<details><summary>inc-'));
    expect(summaries.map((l) => l.slice('<details><summary>'.length, '<details><summary>'.length + 14))).toEqual(
      c.detectors[1]!.incidents.lost.map((i) => i.id),
    );
  });

  it('lists each new false alarm with its emailId, and known-fps.csv lines that, added, accept exactly them', () => {
    const w = { detectors: 2, takeovers: 12, falseAlarms: 3 };
    const base = results(w);
    const head = results(w, (k) => (k === 1 ? { lose: 0, newFalseAlarms: 4 } : null));
    const c = gate(base, head);
    expect(c.pass).toBe(false);
    const fresh = c.detectors[1]!.falseAlarms.new;
    expect(fresh.length).toBe(4);
    const md = compareMarkdown(c, { head });
    for (const f of fresh) expect(md).toContain(`| ${f.mailbox} | ${f.emailId} | ${f.at} | other |`);
    const known = parseKnownFps(['detector,mailbox,emailId,note', ...csvBlock(md)].join('\n'), 'report.md');
    expect(known.map((k) => [k.detector, k.mailbox, k.emailId])).toEqual(fresh.map((f) => ['det-1', f.mailbox, f.emailId]));
    const accepted = gate(base, head, 0, known);
    const check = (x: CompareResult) => x.detectors[1]!.checks.find((k) => k.name === 'new-false-alarms')!.pass;
    expect([check(c), check(accepted)]).toEqual([false, true]);
    expect(accepted.detectors[1]!.falseAlarms.new).toEqual([]);
    expect(accepted.detectors[1]!.falseAlarms.newKnown.length).toBe(4);
  });

  it('names the files compared by their base name, never an absolute path (report.md and report.html)', async () => {
    const w = { detectors: 1, takeovers: 6, falseAlarms: 1 };
    const head = results(w, () => ({ lose: 1, newFalseAlarms: 1 }));
    const c = gate(results(w), head);
    const md = compareMarkdown(c);
    expect(md).toContain('(baseline.json)');
    expect(md).toContain('(results.json)');
    expect(md).not.toContain('/home/ci');
    const html = await benchHtml(head, c);
    expect(html).toContain('(baseline.json)');
    expect(html).not.toContain(FILES.baseline);
  });
});

describe('junit.xml of synthetic gates', () => {
  it('one failure per reason the gate gives, and none when it passes, read by both consumers', async () => {
    const dir = tempDir();
    const w = { detectors: 3, takeovers: 30, falseAlarms: 5 };
    for (const [name, change] of [
      ['pass', () => null],
      ['lost', (k: number) => (k === 2 ? { lose: 3, newFalseAlarms: 0 } : null)],
      ['lost and new', () => ({ lose: 1, newFalseAlarms: 2 })],
    ] as const) {
      const head = results(w, change);
      const c = gate(results(w), head, 10);
      const file = join(dir, `${name}.xml`);
      writeFileSync(file, compareJUnit(c, head));
      const n = await consumers(file);
      expect(n, name).toEqual({
        trp: { failed: c.reasons.length, errors: 0, failedCases: c.reasons.length, skippedCases: n.ctrf.skipped },
        ctrf: { failed: c.reasons.length, skipped: n.trp.skippedCases, other: 0 },
      });
      // Every takeover missed is skipped, with its reason; none is vacuous.
      expect(n.ctrf.skipped).toBe(head.detectors.reduce((k, d) => k + d.incidents.filter((r) => !r.detected).length, 0));
    }
  });
});

describe('the terminal', () => {
  it('gets plain text: no HTML entity, Markdown escape or escape sequence, for the input whose Markdown has them', () => {
    const w = { detectors: 1, takeovers: 9, falseAlarms: 1 };
    const c = gate(
      results(w),
      results(w, () => ({ lose: 1, newFalseAlarms: 1 })),
    );
    c.detectors[0]!.checks.push({ name: 'odd', pass: false, message: NASTY });
    c.reasons.push(`det-0: ${NASTY}`);
    const md = compareMarkdown(c);
    // What the gate printed before: the Markdown, escaped for it.
    expect(md).toContain('-&gt;');
    expect(md).toContain('&#91;');
    const text = compareText(c);
    expect(text).not.toMatch(/&(#\d+|#x[0-9a-f]+|[a-z]+);|<br>|\x1b|\*\*/i);
    expect(text).toContain('recall 0.667 -> 0.556');
    expect(text).toContain('<b>x</b> | `y` *z* [w] -> ~v~ $1 @octocat red');
    expect(text.split('\n').at(-1)).toBe(`  - ${escapeTerminal(`det-0: ${NASTY}`, 500)}`);
    expect(text).toMatch(new RegExp(`^FAIL: ${c.reasons.length} reasons$`, 'm'));
  });

  it('escapeTerminal leaves no control character and keeps one line, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const e = escapeTerminal(s, 50);
        expect(e).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(Array.from(e).length).toBeLessThanOrEqual(50);
      }),
      { numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The real gate on the tiny preset: one detector, its baseline written by --update-baseline.

describe('ato-bench gate, read by two JUnit consumers', () => {
  let work: string;
  let args: string[];
  beforeAll(() => {
    work = tempDir();
    expect(cli(['generate', '--preset', 'tiny', '--out', join(work, 'data')]).status).toBe(0);
    // No must-fire data, so that nothing requires the misses; the tolerances are wide and the
    // speed is not checked (a shared machine's speed is noise), so a lost takeover is the one cause.
    writeFileSync(join(work, 'fixtures.json'), JSON.stringify({ 'naive-burst': { mustFire: [], mustNotFire: [] } }));
    const tolerances = { recall: 1, precision: 1, falseAlarmsPer1000MailboxDays: 1000, score: 1000, speedRatio: 0 };
    writeFileSync(join(work, 'gate.json'), JSON.stringify({ preset: 'tiny', detectors: ['naive-burst'], bootstrapSamples: 0, tolerances }));
    args = ['gate', '--data', join(work, 'data'), '--config', join(work, 'gate.json'), '--fixtures', join(work, 'fixtures.json')];
    const r = cli([...args, '--baseline', join(work, 'baseline.json'), '--update-baseline'], { timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);

  it('a passing gate: 0 failures and 0 errors in both, its misses skipped; the terminal is plain text', async () => {
    const out = join(work, 'pass');
    const r = cli([...args, '--baseline', join(work, 'baseline.json'), '--out-dir', out], { timeout: 300_000 });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const n = await consumers(join(out, 'junit.xml'));
    expect(n.trp).toMatchObject({ failed: 0, errors: 0, failedCases: 0 });
    expect(n.ctrf).toMatchObject({ failed: 0, other: 0 });
    expect(n.ctrf.skipped).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/^PASS$/m);
    expect(r.stdout).toMatch(/ -> /);
    expect(r.stdout).not.toMatch(/&(#\d+|[a-z]+);|<br>|\*\*|^\| /m);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('**Nothing changed**');
    expect(md).not.toContain(work);
  });

  it('a failing gate with one cause (a lost takeover): exactly 1 failure in both', async () => {
    // The baseline detected a takeover that naive-burst misses: the head loses it.
    const baseline = JSON.parse(readFileSync(join(work, 'baseline.json'), 'utf8')) as BenchResults;
    const missed = baseline.detectors[0]!.incidents.find((i) => i.kind === 'ato' && !i.detected)!;
    missed.detected = true;
    writeFileSync(join(work, 'lost.json'), JSON.stringify(baseline));
    const out = join(work, 'fail');
    const r = cli([...args, '--baseline', join(work, 'lost.json'), '--out-dir', out], { timeout: 300_000 });
    expect(r.status, r.stderr + r.stdout).toBe(3);
    const n = await consumers(join(out, 'junit.xml'));
    expect(n.trp).toMatchObject({ failed: 1, errors: 0, failedCases: 1 });
    expect(n.ctrf).toMatchObject({ failed: 1, other: 0 });
    expect(r.stdout).toMatch(/^FAIL: 1 reason$/m);
    expect(r.stdout).toContain(`lost    ${missed.id} ${missed.scenario} ${missed.mailbox}`);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`| ${missed.id} | ${missed.scenario} | ${missed.mailbox} |`);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPreset } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { benchmark } from '../benchmark.js';
import type { BenchResults, DetectorResult } from '../benchmark.js';
import type { CompareResult, DetectorComparison } from '../compare-types.js';
import { rankDetectors } from '../leaderboard.js';
import { recallAt } from '../score.js';
import type { IncidentRecord } from '../../datasets/format.js';
import { reportBudgets } from './budgets.js';
import { buildReview, LEAD_IN_HOURS, type Review } from './review.js';
import { benchHtml, benchJUnit, benchMarkdown, compareJUnit, compareMarkdown, escapeHtml, escapeMarkdown, escapeXml } from './index.js';

const NASTY = "<script>document.title='pwned'</script> | x";

// ---------------------------------------------------------------------------------------------
// A small strict XML parser: enough of XML 1.0 to say the JUnit output is well-formed and to
// read it back (elements, attributes, text, character and the five predefined entity references).

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(`malformed XML: ${msg} at offset ${i}: ${JSON.stringify(src.slice(i, i + 60))}`);
  };
  for (const ch of src) if (!isXmlChar(ch.codePointAt(0)!)) fail(`character U+${ch.codePointAt(0)!.toString(16)} is not allowed`);
  const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const skipSpace = (): void => {
    while (isSpace(src[i])) i++;
  };
  const isNameChar = (c: string | undefined, first: boolean): boolean => {
    if (c === undefined) return false;
    const k = c.charCodeAt(0);
    const letter = (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || c === '_' || c === ':' || k > 127;
    return first ? letter : letter || (k >= 48 && k <= 57) || c === '-' || c === '.';
  };
  const name = (): string => {
    const start = i;
    if (!isNameChar(src[i], true)) fail('expected a name');
    while (isNameChar(src[i], false)) i++;
    return src.slice(start, i);
  };
  const expectStr = (s: string): void => {
    if (!src.startsWith(s, i)) fail(`expected ${JSON.stringify(s)}`);
    i += s.length;
  };
  const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  /** Decode references in raw text; a bare '&' or '<' is an error. */
  const decode = (raw: string, inAttr: boolean): string => {
    let out = '';
    for (let k = 0; k < raw.length; k++) {
      const c = raw[k]!;
      if (c === '<') fail(`'<' in ${inAttr ? 'an attribute value' : 'text'}`);
      if (c !== '&') {
        // Attribute-value normalisation: literal whitespace becomes a space.
        out += inAttr && (c === '\n' || c === '\r' || c === '\t') ? ' ' : c;
        continue;
      }
      const end = raw.indexOf(';', k);
      if (end < 0) fail('unterminated reference');
      const ref = raw.slice(k + 1, end);
      if (ref.startsWith('#x')) {
        const cp = parseInt(ref.slice(2), 16);
        if (!/^[0-9a-fA-F]+$/.test(ref.slice(2)) || !isXmlChar(cp)) fail(`bad character reference &${ref};`);
        out += String.fromCodePoint(cp);
      } else if (ref.startsWith('#')) {
        const cp = parseInt(ref.slice(1), 10);
        if (!/^[0-9]+$/.test(ref.slice(1)) || !isXmlChar(cp)) fail(`bad character reference &${ref};`);
        out += String.fromCodePoint(cp);
      } else if (ref in PREDEFINED) out += PREDEFINED[ref];
      else fail(`unknown entity &${ref};`);
      k = end;
    }
    return out;
  };
  const element = (): XmlElement => {
    expectStr('<');
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const hadSpace = isSpace(src[i]);
      skipSpace();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (!hadSpace) fail('expected whitespace before an attribute');
      const attr = name();
      skipSpace();
      expectStr('=');
      skipSpace();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('expected a quoted attribute value');
      const end = src.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = decode(src.slice(i + 1, end), true);
      i = end + 1;
    }
    for (;;) {
      if (i >= src.length) fail(`unclosed <${el.name}>`);
      if (src.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        skipSpace();
        expectStr('>');
        return el;
      }
      if (src.startsWith('<!--', i)) {
        const end = src.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else if (src[i] === '<') el.children.push(element());
      else {
        const end = src.indexOf('<', i);
        const raw = src.slice(i, end < 0 ? src.length : end);
        if (raw.includes(']]>')) fail("']]>' in text");
        el.text += decode(raw, false);
        i += raw.length;
      }
    }
  };
  if (src.startsWith('<?xml', i)) {
    const end = src.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== src.length) fail('content after the root element');
  return root;
}

const kids = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);

/** Each suite's attributes must agree with its test cases; returns the suites by name. */
function junitSuites(xml: string): Map<string, { el: XmlElement; cases: XmlElement[]; failures: number; skipped: number; errors: number }> {
  const root = parseXml(xml);
  expect(root.name).toBe('testsuites');
  const out = new Map<string, { el: XmlElement; cases: XmlElement[]; failures: number; skipped: number; errors: number }>();
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const s of kids(root, 'testsuite')) {
    const cases = kids(s, 'testcase');
    const f = cases.filter((c) => kids(c, 'failure').length).length;
    const sk = cases.filter((c) => kids(c, 'skipped').length).length;
    const er = cases.filter((c) => kids(c, 'error').length).length;
    for (const c of cases) {
      expect(c.attrs.classname).toBeTruthy();
      expect(c.attrs.name).toBeTruthy();
      expect(Number(c.attrs.time)).toBeGreaterThanOrEqual(0);
    }
    expect(Number(s.attrs.tests)).toBe(cases.length);
    expect(Number(s.attrs.failures)).toBe(f);
    expect(Number(s.attrs.skipped)).toBe(sk);
    expect(Number(s.attrs.errors)).toBe(er);
    tests += cases.length;
    failures += f;
    skipped += sk;
    out.set(s.attrs.name!, { el: s, cases, failures: f, skipped: sk, errors: er });
  }
  expect(Number(root.attrs.tests)).toBe(tests);
  expect(Number(root.attrs.failures)).toBe(failures);
  expect(Number(root.attrs.skipped)).toBe(skipped);
  return out;
}

/** The cells of a Markdown table row: split on the pipes that delimit them (escaped data holds none). */
function cells(row: string): string[] {
  expect(row.startsWith('| ') && row.endsWith(' |')).toBe(true);
  return row.slice(2, -2).split(' | ');
}

// ---------------------------------------------------------------------------------------------
// A real tiny run, and a comparison made by hand against it.

let dataRoot: string;
let results: BenchResults;
let compare: CompareResult;
let naive: DetectorResult;
let lostId: string;

function comparison(r: BenchResults, over: Partial<DetectorComparison> = {}, pass = false): CompareResult {
  const d = r.detectors.find((x) => x.id === 'naive-burst')!;
  const missed = d.incidents.find((i) => i.kind === 'ato' && !i.detected)!;
  const detected = d.incidents.filter((i) => i.kind === 'ato' && i.detected);
  const ref = (i: (typeof d.incidents)[number]) => ({
    id: i.id,
    scenario: i.scenario,
    kind: i.kind,
    mailbox: i.mailbox,
    onset: new Date(i.onset * 1000).toISOString(),
  });
  const naiveCmp: DetectorComparison = {
    id: d.id,
    spec: d.spec,
    presence: 'both',
    versions: { baseline: '0.9.0', head: d.version },
    status: { baseline: 'ok', head: 'ok' },
    incidents: { both: detected.map(ref), gained: [], lost: [ref(missed)] },
    falseAlarms: {
      both: [],
      new: [{ mailbox: missed.mailbox, at: '2025-11-20T03:04:05Z', emailId: '0123456789abcdef', fellOn: 'other', reason: NASTY }],
      removed: [],
      newKnown: [],
    },
    deltas: [
      { metric: 'recall', baseline: 0.5, head: 1 / 3, delta: -1 / 6, lo: -0.4, hi: -0.05, tolerance: 0.02, regression: true },
      { metric: 'falseAlarmsPer1000MailboxDays', baseline: 0, head: 0.95, delta: 0.95, lo: 0, hi: 2.86, tolerance: 0.5, regression: false },
    ],
    speed: { baseline: 18000, head: 17500, ratio: 0.97 },
    checks: [
      { name: 'ran', pass: true, message: 'naive-burst ran' },
      { name: 'new-false-alarms', pass: false, message: `1 new false alarm(s) not in the known list: ${missed.mailbox} (reason ${NASTY})` },
      { name: 'tolerance:recall', pass: false, message: 'recall 0.500 -> 0.333: beyond tolerance and outside noise' },
    ],
    ...over,
  };
  const quiet = r.detectors
    .filter((x) => x.id !== 'naive-burst')
    .map((x): DetectorComparison => ({
      id: x.id,
      spec: x.spec,
      presence: 'both',
      versions: { baseline: x.version, head: x.version },
      status: { baseline: x.status, head: x.status },
      incidents: { both: [], gained: [], lost: [] },
      falseAlarms: { both: [], new: [], removed: [], newKnown: [] },
      deltas: [],
      speed: { baseline: null, head: null, ratio: null },
      checks: [{ name: 'ran', pass: true, message: `${x.id} ran` }],
    }));
  return {
    schema: 'ato-bench/compare',
    schemaVersion: 1,
    baseline: { file: 'baseline.json', manifestSha256: r.dataset.manifestSha256, git: { commit: 'a'.repeat(40), dirty: false } },
    head: { file: 'head <b>.json', manifestSha256: r.dataset.manifestSha256, git: null },
    dataset: { seed: r.dataset.seed, mailboxes: r.dataset.mailboxes, mailboxDays: r.dataset.mailboxDays, emails: r.dataset.emails },
    detectors: [naiveCmp, ...quiet],
    pass,
    reasons: pass ? [] : [`naive-burst: 1 new false alarm: ${NASTY}`, 'naive-burst: recall fell beyond tolerance'],
  };
}

beforeAll(async () => {
  dataRoot = mkdtempSync(join(tmpdir(), 'ato-bench-report-test-'));
  await generateDataset({ config: loadPreset('tiny'), out: join(dataRoot, 'tiny') });
  results = await benchmark({
    dataDir: join(dataRoot, 'tiny'),
    detectors: [
      { builtin: 'null', params: {} },
      { builtin: 'marketplace-rules', params: {} },
      { builtin: 'naive-burst', params: {} },
    ],
    bootstrapSamples: 50,
  });
  naive = results.detectors.find((d) => d.id === 'naive-burst')!;
  compare = comparison(results);
  lostId = compare.detectors[0]!.incidents.lost[0]!.id;
  // The comparison needs one takeover naive-burst detects and one it misses.
  expect(naive.incidents.some((i) => i.kind === 'ato' && i.detected)).toBe(true);
});

afterAll(() => {
  if (dataRoot) rmSync(dataRoot, { recursive: true, force: true });
});

/** The results with a failed detector and an upper bound, and data that tries to break out. */
function withTroubles(r: BenchResults): BenchResults {
  const copy = structuredClone(r);
  const nul = copy.detectors.find((d) => d.id === 'null')!;
  Object.assign(nul, {
    status: 'error',
    error: '<img src=x onerror=alert(1)>\nsecond line | with `ticks`',
    metrics: null,
    incidents: [],
    alerts: [],
    randomBaseline: null,
  });
  copy.detectors.find((d) => d.id === 'marketplace-rules')!.upperBound = true;
  return copy;
}

describe('escaping', () => {
  it('escapeMarkdown leaves no markup, pipe, backtick or line break, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const e = escapeMarkdown(s);
        // The only markup is the <br> a line break becomes.
        expect(e.replace(/<br>/g, '')).not.toMatch(/[<>|`\r\n\u2028\u2029]/);
        // Every '&' starts a character reference.
        expect(e.replace(/&(#\d+|#x[0-9a-f]+|amp|lt|gt|quot);/gi, '')).not.toContain('&');
      }),
    );
    expect(escapeMarkdown('a\r\nb')).toBe('a<br>b');
    expect(escapeMarkdown('@octocat and me@example.com')).toBe('@\u2060octocat and me@example.com');
    expect(escapeMarkdown('x'.repeat(400), 10)).toBe('xxxxxxxxx…');
  });

  it('escapeXml output always parses back to the text (forbidden characters replaced)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (a, b) => {
        const el = parseXml(`<r a="${escapeXml(a)}">${escapeXml(b)}</r>`);
        expect(el.text).toBe(b);
        expect(el.attrs.a!.length).toBe(a.length);
      }),
    );
    expect(escapeHtml(NASTY)).toBe('&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; | x');
  });
});

describe('Markdown', () => {
  it('the leaderboard: ranked table, dataset and scoring lines, per-scenario recall', () => {
    const md = benchMarkdown(results);
    expect(md).toContain(`seed ${results.dataset.seed}`);
    expect(md).toContain(`profile ${results.scoring.profile.name}`);
    expect(md).toContain(`grace ${results.scoring.graceHours} h`);
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| # | detector |'));
    expect(head).toBeGreaterThan(0);
    const width = cells(lines[head]!).length;
    const rows = lines.slice(head + 2, head + 2 + results.detectors.length);
    expect(rows.map((r) => cells(r).length)).toEqual(results.detectors.map(() => width));
    expect(rows.map((r) => cells(r)[1])).toEqual(rankDetectors(results).map((d) => d.id));
    expect(rows.map((r) => cells(r)[0])).toEqual(['1', '2', '3']);
    for (const s of Object.keys(naive.metrics!.recallByScenario)) expect(md).toContain(`| ${s} |`);
  });

  it('marks the upper bound and lists a failed detector with its error, escaped', () => {
    const md = benchMarkdown(withTroubles(results));
    expect(md).toContain('| ↑ | marketplace-rules *(upper bound)* |');
    expect(md).toContain('### Failed detectors');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;<br>second line &#124; with &#96;ticks&#96;');
    expect(md).not.toContain('<img');
    const lines = md.split('\n');
    const head = lines.find((l) => l.startsWith('| # | detector |'))!;
    const failedRow = lines.find((l) => l.startsWith('| – | null'))!;
    expect(cells(failedRow).length).toBe(cells(head).length);
  });

  it('the comparison: the verdict first, the lost takeover, the new false alarm escaped in an intact row', () => {
    const md = compareMarkdown(compare);
    const lines = md.split('\n');
    expect(lines[0]).toBe('## ❌ FAIL: ato-bench gate');
    expect(lines[2]).toBe("- naive-burst: 1 new false alarm: &lt;script&gt;document.title='pwned'&lt;/script&gt; &#124; x");
    expect(md).not.toMatch(/<script/i);
    expect(md).not.toContain('<b>.json');
    const lost = compare.detectors[0]!.incidents.lost[0]!;
    expect(md).toContain(`| ${lost.id} | ${lost.scenario} | ${lost.mailbox} | ${lost.onset} |`);
    const row = lines.find((l) => l.includes('document.title') && l.startsWith('| '))!;
    expect(cells(row)).toEqual([
      lost.mailbox,
      '0123456789abcdef',
      '2025-11-20T03:04:05Z',
      'other',
      "&lt;script&gt;document.title='pwned'&lt;/script&gt; &#124; x",
    ]);
    // Metric deltas with intervals, the speed ratio and the failed checks (only those).
    expect(md).toContain('| recall | 50.0% | 33.3% | −16.7 pp | [−40.0, −5.0] pp | 2.0 pp | ⚠️ regression |');
    expect(md).toContain('speed ratio 0.97×');
    expect(md).toContain('| tolerance:recall | recall 0.500 -&gt; 0.333: beyond tolerance and outside noise |');
    expect(md).not.toContain('| ran |');
    expect(md).toContain('3 of 5 checks pass over 3 detectors');
    // The quiet detectors are one line.
    expect(md).toContain('Unchanged (nothing gained or lost, every check passing): null, marketplace-rules.');
    // Every table row has as many cells as its header.
    let width = 0;
    for (const l of lines) {
      if (!l.startsWith('| ')) {
        width = 0;
        continue;
      }
      if (!width) width = cells(l).length;
      else expect(cells(l).length, l).toBe(width);
    }
  });

  it('folds long lists into <details> and cuts them; a passing gate says PASS', () => {
    const many = Array.from({ length: 30 }, (_, k) => ({ id: `inc-${k}`, scenario: 's', kind: 'ato', mailbox: `mb-${k}`, onset: '2025-01-01T00:00:00Z' }));
    const c = comparison(results, { incidents: { both: [], gained: many, lost: [] } });
    const md = compareMarkdown(c, { foldAfter: 10, maxRows: 25 });
    expect(md).toContain('<details><summary><b>Takeovers gained (30)</b>: missed by the baseline, detected by the head</summary>');
    expect(md).toContain('| inc-24 |');
    expect(md).not.toContain('| inc-25 |');
    expect(md).toContain('… and 5 more');
    expect(compareMarkdown(comparison(results, {}, true)).split('\n')[0]).toBe('## ✅ PASS: ato-bench gate');
  });
});

describe('JUnit', () => {
  const ato = (d: DetectorResult) => d.incidents.filter((i) => i.kind === 'ato');

  it('benchJUnit: one case per takeover per detector, a miss skipped', () => {
    const suites = junitSuites(benchJUnit(results));
    expect([...suites.keys()]).toEqual(results.detectors.map((d) => d.id));
    for (const d of results.detectors) {
      const s = suites.get(d.id)!;
      expect(s.cases.length).toBe(ato(d).length);
      expect(s.skipped).toBe(ato(d).filter((i) => !i.detected).length);
      expect(s.failures).toBe(0);
      expect(s.cases.every((c) => c.attrs.classname!.startsWith(`${d.id}.ato-`))).toBe(true);
    }
    // A detector that failed to run is one error.
    const troubled = junitSuites(benchJUnit(withTroubles(results))).get('null')!;
    expect(troubled.cases.length).toBe(1);
    expect(troubled.errors).toBe(1);
    expect(kids(troubled.cases[0]!, 'error')[0]!.attrs.message).toBe('error: <img src=x onerror=alert(1)>\nsecond line | with `ticks`');
  });

  const failedChecks = (c: CompareResult): number => c.detectors.reduce((n, d) => n + d.checks.filter((k) => !k.pass).length, 0);
  const totals = (xml: string) => {
    const all = [...junitSuites(xml).values()];
    return { failures: all.reduce((n, s) => n + s.failures, 0), errors: all.reduce((n, s) => n + s.errors, 0) };
  };

  it('compareJUnit: one failure per failed check; a takeover passes or is skipped with its reason', () => {
    const xml = compareJUnit(compare, results);
    const suites = junitSuites(xml);
    const s = suites.get('naive-burst')!;
    const checks = compare.detectors[0]!.checks;
    expect(s.cases.length).toBe(ato(naive).length + checks.length);
    expect(s.failures).toBe(checks.filter((c) => !c.pass).length);
    expect(s.skipped).toBe(ato(naive).filter((i) => !i.detected).length);
    // No must-detect check failed for the lost one here: it is skipped, saying so.
    const lostCase = s.cases.find((c) => c.attrs.name!.startsWith(lostId))!;
    expect(kids(lostCase, 'skipped')[0]!.attrs.message).toMatch(/^lost: .*no must-detect entry of the gate covers it$/);
    const fa = s.cases.find((c) => c.attrs.name === 'new-false-alarms')!;
    expect(kids(fa, 'failure')[0]!.attrs.message).toContain(NASTY);
    expect(xml).not.toContain('<script');
    // The verdict is a property, not one more failure.
    const gate = suites.get('gate')!;
    expect(gate.cases.length).toBe(0);
    expect(kids(kids(gate.el, 'properties')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value])).toContainEqual(['verdict', 'FAIL']);
    for (const d of results.detectors.filter((x) => x.id !== 'naive-burst')) {
      expect(suites.get(d.id)!.cases.length).toBe(ato(d).length + 1);
      expect(suites.get(d.id)!.failures).toBe(0);
    }
    // Without the head results: the comparison's own incidents (both, gained, lost) and the checks.
    const bare = junitSuites(compareJUnit(compare)).get('naive-burst')!;
    const inc = compare.detectors[0]!.incidents;
    expect(bare.cases.length).toBe(inc.both.length + inc.gained.length + inc.lost.length + checks.length);
    expect(bare.skipped).toBe(inc.lost.length);
    expect(bare.failures).toBe(checks.filter((c) => !c.pass).length);
  });

  it('compareJUnit: a lost must-detect takeover, or a missed one of a failed must-fire scenario, is counted once, by its check', () => {
    const missed = ato(naive).find((i) => !i.detected && i.id !== lostId)!;
    const c = structuredClone(compare);
    c.detectors[0]!.checks.push(
      { name: `must-fire:${missed.scenario}`, pass: false, message: `missed ${missed.id}` },
      { name: 'must-detect', pass: false, message: `lost 1 must-detect incident(s): ${lostId} (x)` },
    );
    const s = junitSuites(compareJUnit(c, results)).get('naive-burst')!;
    expect(s.failures).toBe(c.detectors[0]!.checks.filter((k) => !k.pass).length);
    const message = (id: string) =>
      kids(
        s.cases.find((k) => k.attrs.name!.startsWith(id))!,
        'skipped',
      )[0]!.attrs.message;
    expect(message(missed.id)).toBe(`missed; counted once, by the failed check naive-burst.gate must-fire:${missed.scenario}`);
    expect(message(lostId)).toMatch(/counted once, by the failed check naive-burst\.gate must-detect$/);
    expect(s.cases.filter((k) => kids(k, 'failure').length).every((k) => k.attrs.classname === 'naive-burst.gate')).toBe(true);
  });

  it('compareJUnit: a passing comparison has no failure and no error; a detector that did not run is its one failed check', () => {
    const pass = comparison(results, { checks: [{ name: 'ran', pass: true, message: 'ran' }], incidents: { both: [], gained: [], lost: [] } }, true);
    expect(totals(compareJUnit(pass, results))).toEqual({ failures: 0, errors: 0 });
    const broken = structuredClone(results);
    Object.assign(
      broken.detectors.find((d) => d.id === 'naive-burst')!,
      { status: 'crashed', error: 'exit 1', incidents: [], alerts: [], metrics: null },
    );
    const c = comparison(results, {
      checks: [{ name: 'ran', pass: false, message: 'naive-burst crashed: exit 1' }],
      incidents: { both: [], gained: [], lost: [] },
    });
    const s = junitSuites(compareJUnit(c, broken)).get('naive-burst')!;
    expect([s.cases.length, s.failures, s.errors]).toEqual([1, 1, 0]);
    expect(kids(s.cases[0]!, 'failure')[0]!.attrs.message).toBe('naive-burst crashed: exit 1');
  });

  it('stays well-formed whatever the data holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (reason, id) => {
        const c = comparison(results);
        c.reasons = [reason];
        c.detectors[0]!.checks.push({ name: id || 'x', pass: false, message: reason });
        c.detectors[0]!.incidents.lost.push({ id, scenario: reason, kind: 'ato', mailbox: id, onset: reason });
        // However odd the data, the failures are the failed checks, one each.
        expect(totals(compareJUnit(c, results))).toEqual({ failures: failedChecks(c), errors: 0 });
      }),
      { numRuns: 50 },
    );
  });
});

describe('HTML', () => {
  let html: string;
  beforeAll(async () => {
    html = await benchHtml(results, compare);
  });

  it('is one self-contained page: no script, no external URL, no loaded resource', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed|image|use)\b/i);
    expect(html).not.toMatch(/\s(src|srcset)=/i);
    expect(html).not.toMatch(/@import|url\((?!#)/i);
    const urls = new Set(html.match(/https?:\/\/[^\s"'<>)]*/g) ?? []);
    expect([...urls].filter((u) => u !== 'http://www.w3.org/2000/svg' && u !== 'http://www.w3.org/1999/xlink')).toEqual([]);
    const hrefs = html.match(/href="[^"]*"/g) ?? [];
    expect(hrefs.every((x) => x.startsWith('href="#'))).toBe(true);
  });

  it('has the three charts, each an SVG image with a label, and unique ids', () => {
    for (const id of ['recall-heatmap', 'latency-cdf', 'recall-budget']) {
      const start = html.indexOf(`<section id="${id}">`);
      expect(start, id).toBeGreaterThan(0);
      const sec = html.slice(start, html.indexOf('</section>', start));
      expect(sec).toMatch(/<svg role="img" aria-label="[^"]+" xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(sec).toContain('</svg>');
    }
    const ids = (html.match(/\sid="[^"]*"/g) ?? []).map((x) => x.trim());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows the data as text: the reason, the comparison, the leaderboard, the dataset line', () => {
    expect(html).toContain(escapeHtml(NASTY));
    expect(html).toContain('head &lt;b&gt;.json');
    expect(html).toContain(lostId);
    expect(html).toContain('<span class="badge fail">FAIL</span>');
    expect(html).toContain(`seed ${results.dataset.seed}`);
    for (const d of results.detectors) expect(html).toContain(`>${d.id}</span>`);
  });

  it('puts data into the charts as data: a scenario or detector named <script> comes out as text', async () => {
    const copy = structuredClone(results);
    const evil = '<script>alert("x")</script> & </svg>';
    for (const d of copy.detectors) {
      const rbs = d.metrics?.recallByScenario;
      const first = rbs && Object.keys(rbs).sort()[0]!;
      if (rbs && first) {
        rbs[evil] = rbs[first]!;
        delete rbs[first];
      }
    }
    copy.detectors[0]!.id = `${evil} det`;
    copy.detectors[0]!.spec = `${evil} det`;
    const page = await benchHtml(copy);
    expect(page).not.toMatch(/<script/i);
    expect(page.match(/<\/svg>/g)!.length).toBe(3);
    const heat = page.slice(page.indexOf('<section id="recall-heatmap">'));
    expect(heat).toMatch(
      /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; &lt;\/svg&gt;|&lt;script&gt;alert\("x"\)&lt;\/script&gt; &amp; &lt;\/svg&gt;/,
    );
  });

  it('is deterministic', async () => {
    expect(await benchHtml(results, compare)).toBe(html);
  });
});

describe('the review: timelines of missed and lost takeovers, what the false alarms fell on', () => {
  let review: Review;
  let truth: Map<string, IncidentRecord>;
  beforeAll(async () => {
    review = await buildReview(results, { dataDir: join(dataRoot, 'tiny'), compare });
    truth = new Map(
      readFileSync(join(dataRoot, 'tiny', 'truth', 'incidents.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as IncidentRecord)
        .map((i) => [i.id, i]),
    );
  });

  it('a timeline for every takeover a contender with alerts missed, and for the lost one; lanes are those contenders', () => {
    expect(review.dataset.read).toBe(true);
    const lanes = results.detectors.filter((d) => d.metrics && !d.upperBound && d.alerts.length);
    expect(review.lanes).toEqual(lanes.map((d) => d.id));
    const missed = new Set(lanes.flatMap((d) => d.incidents.filter((i) => i.kind === 'ato' && !i.detected).map((i) => i.id)));
    expect(new Set(review.timelines.map((t) => t.id))).toEqual(new Set([...missed, lostId]));
    const lost = review.timelines.find((t) => t.id === lostId)!;
    expect(lost.lostBy).toEqual(['naive-burst']);
    for (const t of review.timelines) {
      const who = [...t.missedBy, ...t.caughtBy].sort();
      expect(who).toEqual(lanes.map((d) => d.id).sort());
      for (const d of lanes) expect(t.caughtBy.includes(d.id)).toBe(d.incidents.find((i) => i.id === t.id)!.detected);
    }
  });

  it("each holds the incident's every mail and every lane's alerts of its window, in time order, in the owner's zone", () => {
    const grace = results.scoring.graceHours * 3600;
    for (const t of review.timelines) {
      const inc = truth.get(t.id)!;
      const onset = Date.parse(inc.onset) / 1000;
      const [from, to] = [onset - LEAD_IN_HOURS * 3600, Date.parse(inc.end) / 1000 + grace];
      const own = t.entries.filter((e) => e.kind === 'mail' && e.ofIncident).map((e) => e.emailId);
      expect(own.sort()).toEqual([...inc.emailIds].sort());
      const alerts = t.entries.filter((e) => e.kind === 'alert');
      const expected = results.detectors
        .filter((d) => review.lanes.includes(d.id))
        .flatMap((d) => d.alerts.filter((a) => a.mailbox === t.mailbox && a.at >= from && a.at <= to).map((a) => `${d.id}/${a.emailId}`));
      expect(alerts.map((a) => `${a.detector}/${a.emailId}`).sort()).toEqual(expected.sort());
      const hours = t.entries.map((e) => e.hoursFromOnset);
      expect(hours).toEqual([...hours].sort((a, b) => a - b));
      // The offset shown is the one the owner's zone has at that instant (checked against ICU).
      expect(t.zone).toBeTruthy();
      for (const e of t.entries) {
        const fmt = new Intl.DateTimeFormat('en-US', { timeZone: t.zone!, timeZoneName: 'longOffset' });
        const icu =
          fmt
            .formatToParts(new Date(Date.parse(e.at)))
            .find((p) => p.type === 'timeZoneName')!
            .value.replace('GMT', '') || '+00:00';
        expect(e.at.slice(-6), `${t.id} ${e.at}`).toBe(icu);
        expect((Date.parse(e.at) / 1000 - onset) / 3600).toBeCloseTo(e.hoursFromOnset, 6);
      }
    }
  });

  it("the false alarms grouped by what they fell on add up to each detector's, each group's example its earliest", () => {
    for (const d of results.detectors.filter((x) => review.lanes.includes(x.id))) {
      const groups = review.falseAlarms.filter((g) => g.detector === d.id);
      const fps = d.alerts.filter((a) => a.verdict.startsWith('fp'));
      expect(groups.length).toBeLessThanOrEqual(8);
      if (groups.length < 8) expect(groups.reduce((n, g) => n + g.alerts, 0)).toBe(fps.length);
      for (const g of groups) expect(g.example.subject).toBeTruthy();
      if (fps.length)
        expect(Date.parse(groups.map((g) => g.example.at).sort((a, b) => Date.parse(a) - Date.parse(b))[0]!)).toBe(Math.min(...fps.map((a) => a.at)) * 1000);
    }
  });

  it('without the dataset scored, it says why, draws no timeline and keeps the coarse classes', async () => {
    const none = await buildReview(results);
    expect(none.dataset).toEqual({ read: false, why: 'no dataset given' });
    const other = await buildReview({ ...results, dataset: { ...results.dataset, manifestSha256: 'f'.repeat(64) } }, { dataDir: join(dataRoot, 'tiny') });
    expect(other.dataset.read).toBe(false);
    expect(other.timelines).toEqual([]);
    for (const g of other.falseAlarms) expect(['look-alike', 'phishing', 'other']).toContain(g.fellOn);
    const md = benchMarkdown(results, other);
    expect(md).toContain('No timelines: they need the dataset these results were scored on');
  });

  it('Markdown and HTML show them, data escaped, table rows intact', async () => {
    const nasty = structuredClone(review);
    const mail = nasty.timelines.find((t) => t.id === lostId)!.entries.find((e) => e.kind === 'mail' && e.ofIncident)!;
    const subject = `${NASTY} **subject**`;
    if (mail.kind === 'mail') mail.subject = subject;
    const md = compareMarkdown(compare, { review: nasty });
    const lines = md.split('\n');
    expect(md).toContain('### Timelines of the lost takeovers');
    // Only the lost one: the misses that did not change are in report.html.
    expect(lines.filter((l) => l.startsWith('<details><summary>inc-'))).toEqual([expect.stringContaining(lostId)]);
    const row = lines.find((l) => l.includes(escapeMarkdown(subject)))!;
    expect(cells(row).length).toBe(4);
    expect(md).not.toContain('<script>');
    const html = await benchHtml(results, compare, nasty);
    expect(html).toContain(escapeHtml(subject));
    expect(html).not.toMatch(/<script/i);
    expect((html.match(/<details class="timeline"/g) ?? []).length).toBe(review.timelines.length);
    expect(html).toContain(`<details class="timeline" open><summary>${lostId}`);
  });

  it('the budget table reads each frontier at the budgets the contenders differ at', () => {
    const choice = reportBudgets(results);
    const md = benchMarkdown(results);
    const lines = md.split('\n');
    const head = lines.findIndex((l) => l.startsWith('| detector | recall at ≤'));
    expect(cells(lines[head]!).slice(1, 1 + choice.budgets.length)).toEqual(choice.budgets.map((b) => `recall at ≤ ${b}`));
    const scored = rankDetectors(results).filter((d) => d.metrics?.incidents);
    scored.forEach((d, i) => {
      const row = cells(lines[head + 2 + i]!);
      expect(row[0]).toBe(d.id);
      choice.budgets.forEach((b, k) => expect(row[1 + k]).toBe(`${Math.round(recallAt(d.metrics!.recallCurve, b) * 100)}%`));
    });
  });
});

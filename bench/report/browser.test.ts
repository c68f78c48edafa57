/**
 * The HTML report opened in a real browser: headless Chromium (Debian's package, installed by this
 * test when missing) dumps the rendered DOM and takes a screenshot. The data's `<script>` must not
 * run and must show as text, the three charts must be there with their marks, and the screenshot
 * must show something (decoded here with node:zlib: no dependency). The leaderboard must fit a
 * 1280 px window, its last (isolation) column in view: measured in the rendered page, with its
 * widest realistic cells too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPreset } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { chromium, decodePng, ensureChromium, section } from '../../generator/testing/chromium.js';
import { tempDir } from '../../generator/testing/test-helpers.js';
import { benchmark } from '../benchmark.js';
import type { BenchResults } from '../benchmark.js';
import type { CompareResult } from '../compare-types.js';
import { benchHtml } from './html.js';
import { reportBudgets } from './budgets.js';
import { buildReview, type Review } from './review.js';

const NASTY = "<script>document.title='pwned'</script> | x";
const WIDTH = 1280;
const HEIGHT = 2400;

const count = (s: string, needle: string): number => s.split(needle).length - 1;

let results: BenchResults;
let review: Review;
let lostId: string;
let html: string;
let htmlPath: string;
let outDir: string;

beforeAll(async () => {
  const data = mkdtempSync(join(tmpdir(), 'ato-bench-report-data-'));
  const [, r] = await Promise.all([
    ensureChromium(),
    (async () => {
      await generateDataset({ config: loadPreset('tiny'), out: join(data, 'tiny') });
      return benchmark({
        dataDir: join(data, 'tiny'),
        detectors: [
          { builtin: 'null', params: {} },
          { builtin: 'marketplace-rules', params: {} },
          { builtin: 'naive-burst', params: {} },
        ],
        bootstrapSamples: 50,
      });
    })(),
  ]);
  results = r;
  const naive = results.detectors.find((d) => d.id === 'naive-burst')!;
  const missed = naive.incidents.find((i) => i.kind === 'ato' && !i.detected)!;
  const compare: CompareResult = {
    schema: 'ato-bench/compare',
    schemaVersion: 1,
    baseline: { file: 'baseline.json', manifestSha256: results.dataset.manifestSha256, git: null },
    head: { file: 'head.json', manifestSha256: results.dataset.manifestSha256, git: null },
    dataset: { seed: results.dataset.seed, mailboxes: results.dataset.mailboxes, mailboxDays: results.dataset.mailboxDays, emails: results.dataset.emails },
    pass: false,
    reasons: [`naive-burst: a new false alarm: ${NASTY}`],
    detectors: [
      {
        id: 'naive-burst',
        spec: naive.spec,
        presence: 'both',
        versions: { baseline: naive.version, head: naive.version },
        status: { baseline: 'ok', head: 'ok' },
        incidents: {
          both: [],
          gained: [],
          lost: [{ id: missed.id, scenario: missed.scenario, kind: 'ato', mailbox: missed.mailbox, onset: new Date(missed.onset * 1000).toISOString() }],
        },
        falseAlarms: {
          both: [],
          new: [{ mailbox: missed.mailbox, at: '2025-11-20T03:04:05Z', emailId: '0123456789abcdef', fellOn: 'other', reason: NASTY }],
          removed: [],
          newKnown: [],
        },
        deltas: [],
        speed: { baseline: null, head: null, ratio: null },
        checks: [{ name: 'no new false alarms', pass: false, message: `1 new false alarm: ${NASTY}` }],
      },
    ],
  };
  review = await buildReview(results, { dataDir: join(data, 'tiny'), compare });
  rmSync(data, { recursive: true, force: true });
  lostId = missed.id;
  html = await benchHtml(results, compare, review);
  outDir = tempDir('ato-bench-report-'); // removed after the file's tests (ATO_BENCH_KEEP_TMP=1 keeps the page and its screenshot)
  htmlPath = join(outDir, 'report.html');
  writeFileSync(htmlPath, html);
}, 900_000);

describe('the HTML report in headless Chromium', () => {
  it('renders the data as text (its script never runs) and the three charts with their marks', async () => {
    const dom = await chromium(['--dump-dom', pathToFileURL(htmlPath).href]);
    const title = /<title>([^<]*)<\/title>/.exec(html)![1]!;
    expect(title).toMatch(/^ato-bench report/);
    expect(/<title>([^<]*)<\/title>/.exec(dom)?.[1]).toBe(title);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).not.toContain('pwned</title>');
    expect(dom).toContain("&lt;script&gt;document.title='pwned'&lt;/script&gt; | x");

    const scored = results.detectors.filter((d) => d.metrics).length;
    const scenarios = Object.keys(results.detectors.find((d) => d.metrics)!.metrics!.recallByScenario).length;
    const heat = section(dom, 'recall-heatmap');
    expect(heat).toContain('<svg');
    expect(heat).toContain('role="img"');
    expect(count(heat, 'aria-roledescription="rect mark"')).toBeGreaterThanOrEqual(scenarios * scored);
    expect(count(heat, 'aria-roledescription="text mark"')).toBeGreaterThanOrEqual(scenarios * scored);
    const lat = section(dom, 'latency-cdf');
    expect(lat).toContain('<svg');
    expect(count(lat, 'aria-roledescription="line mark"')).toBeGreaterThanOrEqual(scored);
    const bud = section(dom, 'recall-budget');
    expect(bud).toContain('<svg');
    expect(count(bud, 'aria-roledescription="line mark"')).toBeGreaterThanOrEqual(scored);
    const withTargets = results.detectors.filter((d) => d.metrics?.incidents);
    const circles = withTargets.filter((d) => !d.upperBound).length * reportBudgets(results).budgets.length;
    expect(count(bud, 'aria-roledescription="point"')).toBeGreaterThanOrEqual(circles + withTargets.length);

    // The timelines: one per missed or lost takeover, the lost one open, its alerts shaded rows.
    const tl = section(dom, 'timelines');
    expect(review.timelines.length).toBeGreaterThan(0);
    expect(count(tl, '<details class="timeline"')).toBe(review.timelines.length);
    expect(tl).toContain(`<details class="timeline" open=""><summary>${lostId}`);
    expect(count(tl, '<tr class="alert"')).toBe(review.timelines.flatMap((t) => t.entries).filter((e) => e.kind === 'alert').length);
  });

  it('takes a screenshot that is the window wide and shows charts', async () => {
    const png = join(outDir, 'report.png');
    await chromium([`--screenshot=${png}`, `--window-size=${WIDTH},${HEIGHT}`, pathToFileURL(htmlPath).href]);
    console.log(`report screenshot: ${png} (page: ${htmlPath})`);
    const img = decodePng(readFileSync(png));
    expect(img.width).toBe(WIDTH);
    expect(img.height).toBe(HEIGHT);

    const colours = new Set<number>();
    const at = (x: number, y: number): number => {
      const i = (y * img.width + x) * 4;
      return (img.rgba[i]! << 16) | (img.rgba[i + 1]! << 8) | img.rgba[i + 2]!;
    };
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) colours.add(at(x, y));
    expect(colours.size).toBeGreaterThan(50);

    // Below the header and the leaderboard, the charts: far from all white, and in the series' colours.
    let ink = 0;
    let seriesInk = 0;
    const near = (c: number, r: number, g: number, b: number): boolean =>
      Math.abs((c >> 16) - r) + Math.abs(((c >> 8) & 255) - g) + Math.abs((c & 255) - b) < 40;
    const top = Math.floor(img.height / 4);
    for (let y = top; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const c = at(x, y);
        if (c !== 0xffffff) ink++;
        if (near(c, 0xf5, 0x85, 0x18)) seriesInk++; // the second detector's orange: drawn only by the line charts
      }
    }
    expect(ink / ((img.height - top) * img.width)).toBeGreaterThan(0.02);
    expect(seriesInk).toBeGreaterThan(200);
  });

  /** The leaderboard's layout at a 1280 px window, read by a script added to a copy of the page (the report itself runs none). */
  async function leaderboardLayout(page: string, name: string): Promise<Layout> {
    const probe = `<script>
const t = document.querySelector('#leaderboard table');
const box = (e) => e.getBoundingClientRect();
const last = [...t.querySelectorAll('thead th')].pop();
document.body.dataset.layout = JSON.stringify({ viewport: innerWidth, page: document.documentElement.scrollWidth, table: t.scrollWidth, container: t.parentElement.clientWidth,
  containerRight: box(t.parentElement).right, lastHead: last.textContent, lastRight: box(last).right, cellsRight: Math.max(...[...t.querySelectorAll('tbody td:last-child')].map((c) => box(c).right)) });
</script>`;
    const file = join(outDir, name);
    writeFileSync(file, page.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${probe}</body>`));
    const dom = await chromium(['--dump-dom', `--window-size=${WIDTH},${HEIGHT}`, pathToFileURL(file).href]);
    const m = /data-layout="([^"]*)"/.exec(dom);
    expect(m, 'the probe ran').not.toBeNull();
    return JSON.parse(m![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Layout;
  }

  it('fits its leaderboard in a 1280 px window, the isolation column in view, also with the widest cells', async () => {
    // The widest a row gets: a parameterised rule set's label, the permission model, long latencies, a negative lead, six-figure speed.
    const wide = structuredClone(results);
    for (const d of wide.detectors) {
      d.isolation = 'permission-model';
      d.speed.replayPerSecond = 123456;
      if (d.metrics) {
        d.metrics.latencyHours = { p50: 123.4, p90: 1234.5, n: 3 };
        d.metrics.leadHours = { p50: -123.4, p90: 12.3, n: 3, beatPlatform: 1 };
      }
    }
    wide.detectors[0]!.spec = 'rules:sets=marketplace+security';
    wide.detectors[0]!.id = 'rules';
    for (const [page, name] of [
      [html, 'layout.html'],
      [await benchHtml(wide, undefined, review), 'layout-wide.html'],
    ] as const) {
      const l = await leaderboardLayout(page, name);
      console.log(`${name}: leaderboard ${l.table} px in ${l.container} px, page ${l.page} px at ${l.viewport} px`);
      expect(l.viewport).toBe(WIDTH);
      expect(l.table, name).toBeLessThanOrEqual(l.container);
      expect(l.page, name).toBeLessThanOrEqual(WIDTH);
      expect(l.lastHead).toBe('isolation');
      expect(l.lastRight, name).toBeLessThanOrEqual(l.containerRight + 0.5);
      expect(l.cellsRight, name).toBeLessThanOrEqual(l.containerRight + 0.5);
    }
  });
});

interface Layout {
  viewport: number;
  page: number;
  table: number;
  container: number;
  containerRight: number;
  lastHead: string;
  lastRight: number;
  cellsRight: number;
}

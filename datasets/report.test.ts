/**
 * The dataset report (`ato-bench inspect DIR --html FILE`): one self-contained page, the same
 * bytes for the same dataset, every chart, every calibration row, a strip per takeover and
 * look-alike with each mail's subject as its dot's <title>; and the page as headless Chromium
 * renders it.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../charts/svg.js';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { chromium, decodePng, ensureChromium, section } from '../generator/testing/chromium.js';
import { cli, tempDir } from '../generator/testing/test-helpers.js';
import { calibrateDataset } from './calibrate.js';
import { FILES } from './format.js';
import type { IncidentRecord } from './format.js';
import { inspectHtml } from './report.js';

let dir: string;
let html: string;
let page: string;

beforeAll(async () => {
  const root = tempDir();
  dir = join(root, 'tiny');
  await Promise.all([ensureChromium(), generateDataset({ config: loadPreset('tiny'), out: dir })]);
  html = await inspectHtml(dir);
  page = join(root, 'report.html');
  writeFileSync(page, html);
}, 900_000);

const count = (s: string, needle: string): number => s.split(needle).length - 1;

describe('the dataset report', () => {
  it('is one self-contained page, the same bytes every time', async () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<(link|img|iframe|object|embed|image|use)\b|\s(src|srcset)=|@import|url\((?!#)/i);
    const urls = new Set(html.match(/https?:\/\/[^\s"'<>)]*/g) ?? []);
    expect([...urls].filter((u) => u !== 'http://www.w3.org/2000/svg' && u !== 'http://www.w3.org/1999/xlink')).toEqual([]);
    expect(await inspectHtml(dir)).toBe(html);
  });

  it('has the six charts, every calibration row, and a strip per takeover and look-alike with each mail as a titled dot', async () => {
    for (const label of [
      'Stacked bars: mails per day by category',
      'Lines: takeover, look-alike, phishing and spam mails per day',
      'Lines: share of each locale&#39;s mail per hour of the day',
      'Lines: share of each locale&#39;s mail per day of the week',
      'Lines: the most frequent transactional mail types per week',
      'Stacked bars: order confirmations per week by template version, dashed lines at drift dates',
    ])
      expect(html, label).toContain(`<svg role="img" aria-label="${label}"`);
    // The template versions: the preset's redesign is named, and every version the truth records is listed with its count.
    const versions = section(html, 'versions');
    expect(versions).toContain('marketplace -&gt; redesign, 2025-12-01');
    const templates = new Map<string, number>();
    for (const line of readFileSync(join(dir, FILES.labels), 'utf8').trim().split('\n')) {
      const l = JSON.parse(line) as { type: string; template?: string };
      if (l.template) templates.set(`${l.type} ${l.template}`, (templates.get(`${l.type} ${l.template}`) ?? 0) + 1);
    }
    expect([...templates.keys()]).toEqual(
      expect.arrayContaining(['marketplace.order-confirmation classic/web', 'marketplace.order-confirmation redesign/web']),
    );
    for (const [k, n] of templates) {
      const [type, template] = k.split(' ');
      expect(versions, k).toContain(`<tr><td>${type}</td><td>${template}</td><td>${n}</td></tr>`);
    }
    const rows = await calibrateDataset(dir);
    const calibration = section(html, 'calibration');
    expect(count(calibration, '<tr><td><span class=')).toBe(rows.length);
    for (const r of rows) expect(calibration).toContain(escapeHtml(r.measured));

    const incidents = readFileSync(join(dir, FILES.incidents), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as IncidentRecord)
      .filter((i) => i.kind !== 'phishing');
    const subjects = new Map<string, string>();
    for (const line of readFileSync(join(dir, FILES.emails), 'utf8').trim().split('\n')) {
      const e = JSON.parse(line) as { id: string; subject: string };
      subjects.set(e.id, e.subject);
    }
    const strips = section(html, 'incidents');
    expect(count(strips, '<div class="strip">')).toBe(incidents.length);
    for (const inc of incidents) {
      const at = strips.indexOf(`· ${escapeHtml(inc.id)} ·`);
      expect(at, inc.id).toBeGreaterThan(0);
      const strip = strips.slice(at, strips.indexOf('</svg>', at));
      expect(count(strip, '<circle '), inc.id).toBe(inc.emailIds.length);
      for (const e of inc.emailIds) expect(strip, `${inc.id} ${e}`).toContain(escapeHtml(subjects.get(e)!));
    }
  });

  it('renders in headless Chromium: no script runs, the charts and strips are there, the screenshot shows them', async () => {
    const dom = await chromium(['--dump-dom', pathToFileURL(page).href]);
    expect(dom).not.toMatch(/<script/i);
    expect(count(dom, 'aria-roledescription="bar"')).toBeGreaterThan(0);
    expect(count(dom, 'aria-roledescription="line mark"')).toBeGreaterThanOrEqual(3);
    expect(count(section(dom, 'incidents'), '<title>')).toBe(count(section(html, 'incidents'), '<title>'));
    const png = join(dir, '..', 'report.png');
    await chromium([`--screenshot=${png}`, '--window-size=1280,1600', pathToFileURL(page).href]);
    console.log(`dataset report screenshot: ${png}`);
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1280, 1600]);
    const colours = new Set<number>();
    for (let i = 0; i < img.rgba.length; i += 4 * 97) colours.add((img.rgba[i]! << 16) | (img.rgba[i + 1]! << 8) | img.rgba[i + 2]!);
    expect(colours.size).toBeGreaterThan(40);
  });

  it('inspect --html writes the page, and refuses a folder it cannot write before any work', () => {
    const out = join(tempDir(), 'page.html');
    const ok = cli(['inspect', dir, '--html', out]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(html);
    const bad = cli(['inspect', dir, '--html', '/nonexistent-folder/page.html']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      'ato-bench: --html /nonexistent-folder/page.html: the folder /nonexistent-folder does not exist or cannot be written',
    ]);
  });

  it('a hostile dataset cannot get markup into the page: a subject closing the <title> and opening a script stays text', async () => {
    const copy = join(tempDir(), 'hostile');
    cpSync(dir, copy, { recursive: true });
    const takeover = readFileSync(join(copy, FILES.incidents), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as IncidentRecord)
      .find((i) => i.kind === 'ato')!;
    const evil = '</title></circle><script>alert(1)</script><img src=x onerror=alert(2)> & "quoted"';
    const lines = readFileSync(join(copy, FILES.emails), 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes(`"id":"${takeover.emailIds[0]}"`));
    const rec = JSON.parse(lines[at]!) as { subject: string };
    rec.subject = evil;
    lines[at] = JSON.stringify(rec);
    writeFileSync(join(copy, FILES.emails), lines.join('\n'));
    const page = await inspectHtml(copy);
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain(escapeHtml(evil));
  });

  it('a manifest cut short is one line and exit 1, and no page is written', () => {
    const copy = join(tempDir(), 'cut');
    cpSync(dir, copy, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(copy, FILES.manifest), 'utf8')) as Record<string, unknown>;
    delete manifest.window;
    writeFileSync(join(copy, FILES.manifest), JSON.stringify(manifest));
    const out = join(tempDir(), 'page.html');
    const r = cli(['inspect', copy, '--html', out]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/manifest\.json: window: .*regenerate the dataset/);
    expect(existsSync(out)).toBe(false);
  });
});

/**
 * The HTML report: one self-contained file (no scripts, no external resources, CSS inline, a
 * Content-Security-Policy that forbids both anyway) with the leaderboard, recall per scenario as
 * a heatmap, the latency CDF, recall against the false-alarm budget, and, given a comparison, its
 * verdict and what it gained and lost.
 *
 * Charts are vega-lite specs rendered to inline SVG by charts/svg.ts; strings from the data reach
 * the page only through `escapeHtml`.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, escapeHtml, FONT, PALETTE, renderChart, selfContainedPage } from '../../charts/svg.js';
import type { BenchResults, DetectorResult } from '../benchmark.js';
import type { CompareResult, DetectorComparison, FalseAlarmRef, IncidentRef } from '../compare-types.js';
import { rankDetectors } from '../leaderboard.js';
import { recallAt } from '../score.js';
import { reportBudgets } from './budgets.js';
import { LEAD_IN_HOURS, type Review } from './review.js';
import {
  changeLists,
  DRIFT_NOTE,
  driftTables,
  datasetSummary,
  deltaCells,
  detectorLabel,
  emptyChangeTitles,
  FALSE_ALARM_GROUP_HEAD,
  FALSE_ALARM_HEAD,
  falseAlarmGroupCells,
  fileName,
  orderedTimelines,
  TIMELINE_HEAD,
  timelineCells,
  timelineSummary,
  budgetPhrase,
  fmtBudget,
  fmtInt,
  fmtNum,
  fmtPct,
  fmtShare,
  INCIDENT_HEAD,
  hasIntervals,
  leaderboardCells,
  leaderboardHead,
  METRIC_LABEL,
  scenarioList,
  scoringSummary,
  shortCommit,
  truncate,
} from './markdown.js';

const h = escapeHtml;

// ---------------------------------------------------------------------------------------------
// The charts

const UPPER_BOUND_COLOR = '#8c8c8c';

interface Series {
  label: string;
  detector: DetectorResult;
  color: string;
  upper: boolean;
}

/** The scored detectors in rank order with a unique label and a colour each (the upper bound grey and dashed). */
function seriesOf(results: BenchResults): Series[] {
  const used = new Set<string>();
  let next = 0;
  return rankDetectors(results)
    .filter((d) => d.metrics)
    .map((d) => {
      const base = detectorLabel(d);
      let label = d.upperBound ? `${base} (upper bound)` : base;
      for (let n = 2; used.has(label); n++) label = `${base} #${n}`;
      used.add(label);
      const color = d.upperBound ? UPPER_BOUND_COLOR : PALETTE[next++ % PALETTE.length]!;
      return { label, detector: d, color, upper: d.upperBound };
    });
}

const seriesColor = (series: Series[]) => ({
  field: 'detector',
  type: 'nominal' as const,
  scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
  legend: { title: null, orient: 'right' as const },
});

const boundDash = {
  field: 'bound',
  type: 'nominal' as const,
  scale: {
    domain: ['contender', 'upper bound'],
    range: [
      [1, 0],
      [6, 4],
    ],
  },
  legend: null,
};

function heatmapSpec(results: BenchResults, series: Series[]): TopLevelSpec | null {
  const scenarios = scenarioList(results);
  if (!series.length || !scenarios.length) return null;
  const label = (s: { scenario: string; incidents: number }): string => `${s.scenario} (${s.incidents})`;
  const detectors = series.map((s) => s.label);
  const part = (kinds: string[], title: string, range: string[], legendTitle: string, axisOrient: 'top' | 'bottom') => {
    const rows = scenarios.filter((s) => kinds.includes(s.kind));
    if (!rows.length) return null;
    const values = rows.flatMap((s) =>
      series.map((d) => {
        const r = d.detector.metrics!.recallByScenario[s.scenario];
        return { scenario: label(s), detector: d.label, share: r ? r.share : null, text: r ? fmtShare(r.share) : '–' };
      }),
    );
    const x = {
      field: 'detector',
      type: 'nominal' as const,
      scale: { domain: detectors },
      axis: { orient: axisOrient, title: null, labelAngle: -35, labelLimit: 200, labelFontSize: 11.5, domain: false, ticks: false, labelPadding: 6 },
    };
    const y = {
      field: 'scenario',
      type: 'nominal' as const,
      scale: { domain: rows.map(label) },
      axis: { title: null, labelLimit: 340, domain: false, ticks: false, labelPadding: 6 },
    };
    return {
      title: { text: title, anchor: 'start' as const, fontSize: 13, fontWeight: 'bold' as const, offset: 8 },
      data: { values },
      width: { step: 78 },
      height: { step: 24 },
      layer: [
        {
          mark: { type: 'rect' as const, stroke: 'white', strokeWidth: 1.5 },
          encoding: {
            x,
            y,
            color: {
              field: 'share',
              type: 'quantitative' as const,
              scale: { domain: [0, 0.5, 1], range, interpolate: 'hcl' },
              legend: { title: legendTitle, format: '.0%', orient: 'right' as const, gradientLength: 120 },
            },
          },
        },
        {
          mark: { type: 'text' as const, fontSize: 11.5 },
          encoding: {
            x,
            y,
            text: { field: 'text', type: 'nominal' as const },
            color: {
              condition: [
                { test: 'datum.share > 0.55', value: 'white' },
                { test: '!(datum.share > 0)', value: '#8a949e' },
              ],
              value: '#1f2328',
            },
          },
        },
      ],
    };
  };
  const parts = [
    part(['ato'], 'Takeovers: recall (higher is better)', ['#f4f6f9', '#7aa6d6', '#0f4c8a'], 'recall', 'top'),
    part(['lookalike', 'phishing'], 'Look-alikes and phishing: share flagged (lower is better)', ['#f7f5f3', '#f2a65e', '#b2430b'], 'flagged', 'bottom'),
  ].filter((p) => p !== null);
  return { config: CONFIG, vconcat: parts, spacing: 28, resolve: { scale: { color: 'independent' } } } as TopLevelSpec;
}

const HORIZON = 72;

/** D(x) per detector from its takeover rows: a step at every latency; misses never arrive. */
function latencySpec(series: Series[]): TopLevelSpec | null {
  const values: Array<{ detector: string; bound: string; x: number; y: number }> = [];
  for (const s of series) {
    const rows = s.detector.incidents.filter((r) => r.kind === 'ato');
    if (!rows.length) continue;
    const lat = rows
      .filter((r) => r.detected && r.latencyHours !== null)
      .map((r) => Math.max(0, r.latencyHours!))
      .sort((a, b) => a - b);
    const within = (x: number): number => lat.filter((l) => l <= x).length / rows.length;
    const bound = s.upper ? 'upper bound' : 'contender';
    const xs = [0, ...new Set(lat.filter((l) => l > 0 && l <= HORIZON)), HORIZON];
    for (const x of xs) values.push({ detector: s.label, bound, x, y: within(x) });
  }
  if (!values.length) return null;
  return {
    config: CONFIG,
    width: 720,
    height: 320,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2.5, strokeJoin: 'round' },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        scale: { type: 'symlog', constant: 1, domain: [0, HORIZON], nice: false },
        axis: { title: 'hours since onset (symmetric log scale)', values: [0, 1, 2, 4, 8, 12, 24, 48, 72], grid: true },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        scale: { domain: [0, 1] },
        axis: { title: 'takeovers detected', format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1], grid: true },
      },
      color: seriesColor(series.filter((s) => values.some((v) => v.detector === s.label))),
      strokeDash: boundDash,
    },
  } as TopLevelSpec;
}

/**
 * Each detector's whole recall frontier against false alarms (a step line), its recall at the
 * chosen budgets (circles) and its own operating point with all its alerts (a diamond).
 */
function budgetSpec(series: Series[], budgets: readonly number[]): TopLevelSpec | null {
  const lines: Array<{ detector: string; bound: string; x: number; y: number }> = [];
  const points: Array<{ detector: string; x: number; y: number; shape: string; size: number }> = [];
  const maxFa = Math.max(...series.map((s) => s.detector.metrics!.falseAlarmsPer1000MailboxDays.value), 0);
  const xMax = Math.max(budgets[budgets.length - 1] ?? 1, maxFa) * 1.15;
  for (const s of series) {
    const m = s.detector.metrics!;
    if (!m.incidents) continue;
    const bound = s.upper ? 'upper bound' : 'contender';
    for (const p of m.recallCurve) lines.push({ detector: s.label, bound, x: p.fa, y: p.recall });
    // Beyond its last point a detector keeps the recall of all its alerts.
    lines.push({ detector: s.label, bound, x: xMax, y: m.recall.value });
    if (!s.upper) for (const b of budgets) points.push({ detector: s.label, x: b, y: recallAt(m.recallCurve, b), shape: 'circle', size: 70 });
    points.push({ detector: s.label, x: m.falseAlarmsPer1000MailboxDays.value, y: m.recall.value, shape: 'diamond', size: 180 });
  }
  if (!points.length) return null;
  // Diamonds last: drawn over the circles they may sit on.
  points.sort((a, b) => (a.shape === b.shape ? 0 : a.shape === 'diamond' ? 1 : -1));
  // Linear up to the smallest budget read, logarithmic beyond: small budgets stay apart from 0.
  const constant = Math.min(1, ...budgets);
  const decades = [0.01, 0.1, 1, 10, 100, 1000, 10000].filter((v) => v >= constant);
  const xs = [...new Set([0, ...budgets, ...decades])].filter((v) => v <= xMax).sort((a, b) => a - b);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    scale: { type: 'symlog' as const, constant, domain: [0, xMax], nice: false },
    axis: { title: 'false alarms per 1,000 mailbox-days (symmetric log scale)', values: xs, format: '~g', grid: true },
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    scale: { domain: [0, 1] },
    axis: { title: 'takeover recall', format: '.0%', values: [0, 0.2, 0.4, 0.6, 0.8, 1], grid: true },
  };
  const color = seriesColor(series.filter((s) => points.some((p) => p.detector === s.label)));
  return {
    config: CONFIG,
    width: 720,
    height: 320,
    layer: [
      {
        data: { values: budgets.map((b) => ({ x: b })) },
        mark: { type: 'rule', color: '#8c959f', strokeDash: [3, 3], strokeWidth: 1 },
        encoding: { x },
      },
      {
        data: { values: lines },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2.5, strokeJoin: 'round' },
        encoding: { x, y, color, strokeDash: boundDash },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, opacity: 1, stroke: 'white', strokeWidth: 1 },
        encoding: {
          x,
          y,
          color,
          // The point kinds are explained in the caption; shapes and sizes are given, not scaled.
          shape: { field: 'shape', type: 'nominal', scale: null },
          size: { field: 'size', type: 'quantitative', scale: null },
        },
      },
    ],
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------------
// The page

const CSS = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --pass: #1a7f37; --fail: #cf222e; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink); font: 14px/1.5 ${FONT}; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 0; display: inline; }
p { margin: 6px 0; }
.meta { color: var(--muted); font-size: 13px; }
.meta b { color: var(--ink); font-weight: 600; }
table { border-collapse: collapse; margin: 10px 0; font-size: 13px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
tr.upper td { color: var(--muted); font-style: italic; }
tr.failed td { background: #fff5f5 !important; }
td.name, .name, .tag { white-space: nowrap; }
td.err { color: var(--fail); white-space: pre-wrap; word-break: break-word; font-style: normal; }
.reason { white-space: pre-wrap; word-break: break-word; }
.tag { display: inline-block; margin-left: 6px; padding: 0 6px; border-radius: 9px; font-size: 11px; font-style: normal; background: #eaeef2; color: var(--muted); }
.bar { display: inline-block; width: 64px; height: 8px; margin-left: 8px; background: #eaeef2; border-radius: 4px; overflow: hidden; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: var(--accent); }
/* The leaderboard's twelve columns fit a 1280 px window (browser.test.ts measures it): cells are
   padded less, the numeric columns take no more than their content (their headers wrap), so the
   room left goes to the detector, whose tag may go under its name and whose long name breaks;
   the isolation column never wraps. */
#leaderboard th { white-space: normal; vertical-align: bottom; }
#leaderboard th, #leaderboard td { padding: 5px 6px; }
#leaderboard th.n { width: 1px; }
#leaderboard td.name, #leaderboard .name { white-space: normal; overflow-wrap: anywhere; }
#leaderboard td:last-child { white-space: nowrap; }
#leaderboard .bar { width: 48px; margin-left: 6px; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; max-width: 900px; }
details { margin: 6px 0; }
details > summary { cursor: pointer; color: var(--muted); }
.verdict { margin: 18px 0 0; padding: 12px 16px; border-radius: 8px; border: 1px solid; }
.verdict.pass { border-color: #aceebb; background: #dafbe1; }
.verdict.fail { border-color: #ffcecb; background: #ffebe9; }
.verdict strong { font-size: 18px; }
.badge { display: inline-block; padding: 1px 10px; border-radius: 12px; color: #fff; font-weight: 700; font-size: 13px; }
.badge.pass { background: var(--pass); }
.badge.fail { background: var(--fail); }
.ok { color: var(--pass); font-weight: 600; }
.bad { color: var(--fail); font-weight: 600; }
.detector { margin: 16px 0; padding: 10px 16px; border: 1px solid var(--line); border-radius: 8px; }
.detector > summary { color: var(--ink); }
tr.incident td { font-weight: 600; }
tr.other td { color: var(--muted); }
tr.alert td { background: #fff8e6 !important; }
tr.alert td:first-child { border-left: 4px solid var(--lane, var(--accent)); }
.timeline > summary { color: var(--ink); }
.timeline td:first-child { white-space: nowrap; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
`;

function cls(numeric: boolean): string {
  return numeric ? ' class="n"' : '';
}

function tableHtml(head: string[], rows: string[][], numeric: boolean[] = []): string {
  const th = head.map((c, i) => `<th${cls(numeric[i] ?? false)}>${c}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(numeric[i] ?? false)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${trs}\n</tbody>\n</table>`;
}

function leaderboardHtml(results: BenchResults): string {
  let rank = 0;
  const intervals = hasIntervals(results);
  const head = ['#', ...leaderboardHead(intervals)].map((c) => h(c));
  const numeric = [true, false, true, true, true, true, true, true, true, true, true, false];
  const th = head.map((c, i) => `<th${cls(numeric[i]!)}>${c}</th>`).join('');
  const rows = rankDetectors(results).map((d) => {
    const name = `<span class="name" title="${h(d.description)}">${h(detectorLabel(d))}</span><span class="tag">${h(d.upperBound ? 'upper bound' : d.kind)}</span>`;
    if (!d.metrics) {
      const cells = leaderboardCells(d, intervals);
      return (
        `<tr class="failed"><td class="n">–</td><td>${name}</td>` +
        `<td colspan="8" class="err"><b>${h(d.status.toUpperCase())}</b>: ${h(truncate(d.error ?? 'no message', 600))}</td>` +
        `<td class="n">${h(cells[cells.length - 2]!)}</td><td>${h(cells[cells.length - 1]!)}</td></tr>`
      );
    }
    const r = d.upperBound ? '↑' : String(++rank);
    const cells = leaderboardCells(d, intervals).map((c) => h(c));
    const bar = `<span class="bar"><span style="width:${(100 * Math.min(1, Math.max(0, d.metrics.recall.value))).toFixed(1)}%"></span></span>`;
    cells[0] = `${cells[0]}${bar}`;
    return `<tr${d.upperBound ? ' class="upper"' : ''}><td class="n">${r}</td><td class="name">${name}</td>${cells.map((c, i) => `<td${cls(numeric[i + 2]!)}>${c}</td>`).join('')}</tr>`;
  });
  const f = results.floors;
  return `<section id="leaderboard">
<h2>Leaderboard</h2>
<table>
<thead><tr>${th}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="meta">Ranked by the normalised score (0 = the null detector, 100 = perfect); ↑ reads the truth: an upper bound, shown but not ranked.
lift: recall over a random detector raising as many alerts per mailbox. FA/1k md: false alarms per 1,000 mailbox-days.
lat: hours from onset to the first alert. lead: hours before the platform's own notice (positive = earlier).
isolation: the sandbox a detector ran in; offline: alerts scored from a file, causality not enforced.
Speed floors: read + parse ${fmtInt(f.readParsePerSecond)} emails/s${f.replayPerSecond ? `, replay with the null detector ${fmtInt(f.replayPerSecond)} emails/s` : ''}.</p>
</section>`;
}

function chartSection(id: string, title: string, svg: string | null, caption: string, extra = ''): string {
  const body = svg ? `<figure>\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>` : `<p class="meta">No scored detector: nothing to draw.</p>`;
  return `<section id="${id}">\n<h2>${title}</h2>\n${body}\n${extra}</section>`;
}

function latencyTable(results: BenchResults, series: Series[]): string {
  const hz = results.scoring.horizons;
  const rows = series.map((s) => [h(s.label), ...hz.map((x) => fmtPct(s.detector.metrics!.detectedWithin[String(x)] ?? 0))]);
  return `<details><summary>D(x) at the scored horizons</summary>\n${tableHtml(['detector', ...hz.map((x) => `${x} h`)], rows, [false, ...hz.map(() => true)])}\n</details>\n`;
}

function budgetTable(series: Series[], budgets: readonly number[]): string {
  const rows = series.map((s) => {
    const m = s.detector.metrics!;
    return [h(s.label), ...budgets.map((x) => fmtPct(recallAt(m.recallCurve, x))), fmtNum(m.falseAlarmsPer1000MailboxDays.value, 2), fmtPct(m.recall.value)];
  });
  const head = ['detector', ...budgets.map((x) => `recall at ≤ ${fmtBudget(x)}`), 'own FA/1k md', 'own recall'];
  return `<details><summary>The values</summary>\n${tableHtml(head, rows, [false, ...budgets.map(() => true), true, true])}\n</details>\n`;
}

// ---------------------------------------------------------------------------------------------
// The review: false alarms and timelines

function reviewHtml(r: Review, series: Series[]): string {
  const out: string[] = [];
  if (r.falseAlarms.length) {
    out.push(`<section id="false-alarms">\n<h2>False alarms: what they fell on</h2>`);
    out.push(
      `<p class="meta">${
        r.dataset.read
          ? 'Per detector, its false alarms grouped by the mail they were raised on (its incident when it was a look-alike or phishing mail, the look-alike whose window it fell in, else its label and type); the biggest groups, each with its earliest alert.'
          : `Per detector, its false alarms by the scorer's classes (the dataset was not read: ${h(r.dataset.why)}).`
      }</p>`,
    );
    out.push(
      tableHtml(
        FALSE_ALARM_GROUP_HEAD.map(h),
        r.falseAlarms.map((g) => falseAlarmGroupCells(g, (x, max) => h(max ? truncate(x, max) : x))),
        [false, false, true],
      ),
    );
    out.push('</section>');
  }
  out.push(`<section id="timelines">\n<h2>Missed and lost takeovers</h2>`);
  if (!r.dataset.read) out.push(`<p class="meta">No timelines: they need the dataset these results were scored on (${h(r.dataset.why)}).</p>`);
  else if (!r.timelines.length)
    out.push(
      `<p class="meta">${r.lanes.length ? 'Every takeover was caught by every detector that raised alerts, and none was lost.' : 'No detector raised alerts.'}</p>`,
    );
  else {
    out.push(
      `<p class="meta">The mails and alerts around each of the ${fmtInt(r.timelines.length)} takeovers a detector missed or lost, from ${LEAD_IN_HOURS} h before its onset to the end of its scored window, in the owner's time. Bold: the incident's own mails; grey: the mailbox's other mail; shaded, edged in the detector's colour: alerts.</p>`,
    );
    const color = new Map(series.map((s) => [detectorLabel(s.detector), s.color]));
    for (const t of orderedTimelines(r)) {
      const rows = t.entries
        .map((x) => {
          const { cells, emphasis } = timelineCells(x, (v, max) => h(max ? truncate(v, max) : v));
          const lane = x.kind === 'alert' && color.has(x.detector) ? ` style="--lane: ${color.get(x.detector)}"` : '';
          return `<tr class="${emphasis}"${lane}>${cells.map((c, i) => `<td${cls(i === 1)}>${c}</td>`).join('')}</tr>`;
        })
        .join('\n');
      const head = TIMELINE_HEAD.map((c, i) => `<th${cls(i === 1)}>${h(c)}</th>`).join('');
      out.push(
        `<details class="timeline"${t.lostBy.length ? ' open' : ''}><summary>${h(timelineSummary(t))}</summary>\n<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>\n</details>`,
      );
    }
  }
  out.push('</section>');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The comparison

const FOLD_AFTER = 10;

/** A titled list (never empty): a table, folded into `<details>` when long. */
function listHtml(title: string, note: string, head: string[], rows: string[][]): string {
  const heading = `<b>${title} (${fmtInt(rows.length)})</b>${note ? `: ${note}` : ''}`;
  const t = tableHtml(head, rows);
  return rows.length > FOLD_AFTER ? `<details><summary>${heading}</summary>\n${t}\n</details>` : `<p>${heading}</p>\n${t}`;
}

const incidentRows = (list: IncidentRef[]): string[][] => list.map((i) => [h(i.id), h(i.scenario), h(i.mailbox), h(i.onset)]);
const falseAlarmRows = (list: FalseAlarmRef[]): string[][] =>
  list.map((f) => [h(f.mailbox), h(f.emailId), h(f.at), h(f.fellOn), `<span class="reason">${h(truncate(f.reason, 500))}</span>`]);

function detectorCompareHtml(d: DetectorComparison): string {
  const failed = d.checks.filter((c) => !c.pass).length;
  const changed = d.incidents.gained.length + d.incidents.lost.length + d.falseAlarms.new.length + d.falseAlarms.removed.length > 0;
  const mark = failed ? `<span class="bad">✗ ${failed} of ${d.checks.length} checks fail</span>` : `<span class="ok">✓ ${d.checks.length} checks pass</span>`;
  const s = d.speed;
  const speed =
    s.ratio !== null
      ? ` · speed ratio ${fmtNum(s.ratio, 2)}× (${s.baseline === null ? '–' : fmtInt(s.baseline)} → ${s.head === null ? '–' : fmtInt(s.head)} emails/s, each relative to its run's floor)`
      : '';
  const deltas = d.deltas.length
    ? tableHtml(
        ['metric', 'baseline', 'head', 'change', '95% CI', 'tolerance', ''],
        d.deltas.map((x) => {
          const c = deltaCells(x);
          const v =
            c.verdict === 'regression' ? `<span class="bad">regression</span>` : c.verdict === 'better' ? `<span class="ok">better</span>` : h(c.verdict);
          return [h(METRIC_LABEL[x.metric] ?? x.metric), h(c.baseline), h(c.head), h(c.delta), h(c.interval), h(c.tolerance), v];
        }),
        [false, true, true, true, true, true, false],
      )
    : '';
  const checks = d.checks.length
    ? tableHtml(
        ['result', 'check', 'message'],
        d.checks.map((c) => [c.pass ? '<span class="ok">pass</span>' : '<span class="bad">FAIL</span>', h(c.name), h(c.message)]),
      )
    : '';
  const lists = changeLists(d);
  const shown = lists
    .filter((l) => l.items.length)
    .map((l) =>
      l.kind === 'incidents'
        ? listHtml(l.title, l.note, INCIDENT_HEAD, incidentRows(l.items))
        : listHtml(l.title, l.note, FALSE_ALARM_HEAD, falseAlarmRows(l.items)),
    );
  const none = emptyChangeTitles(lists);
  const presence = d.presence === 'both' ? '' : d.presence === 'head-only' ? ' · new in the head' : ' · only in the baseline';
  return `<details class="detector"${failed || changed ? ' open' : ''}>
<summary><h3>${h(detectorLabel(d))}</h3> ${mark}</summary>
<p class="meta">version ${h(d.versions.baseline ?? '–')} → ${h(d.versions.head ?? '–')} · status ${h(d.status.baseline ?? '–')} → ${h(d.status.head ?? '–')}${presence}${speed}</p>
${deltas}
${shown.join('\n')}
${none.length ? `<p class="meta">No ${none.join(', no ')}.</p>` : ''}
${checks ? `<p><b>Gate checks</b></p>\n${checks}` : ''}
</details>`;
}

function verdictHtml(c: CompareResult): string {
  const cl = c.pass ? 'pass' : 'fail';
  const reasons = c.pass ? '' : `<ul>${(c.reasons.length ? c.reasons : ['(no reason given)']).map((r) => `<li>${h(r)}</li>`).join('')}</ul>`;
  return `<div class="verdict ${cl}" id="verdict"><strong><span class="badge ${cl}">${c.pass ? 'PASS' : 'FAIL'}</span> gate against the baseline</strong>
${reasons}<p class="meta"><a href="#compare">Details of the comparison</a></p></div>`;
}

function compareHtml(c: CompareResult): string {
  const side = (s: CompareResult['baseline']): string => {
    const commit = shortCommit(s.git);
    return `${commit ? `${h(commit)} ` : ''}(${h(fileName(s.file))})`;
  };
  const summary = tableHtml(
    ['detector', 'recall', 'precision', 'FA/1k md', 'score', 'takeovers +/−', 'false alarms +/−', 'speed', 'gate'],
    c.detectors.map((d) => {
      const m = (k: string): string => {
        const x = d.deltas.find((y) => y.metric === k);
        if (!x) return '–';
        const cells = deltaCells(x);
        return x.regression ? `<span class="bad">${h(cells.delta)}</span>` : h(cells.delta);
      };
      const failed = d.checks.filter((k) => !k.pass).length;
      return [
        h(detectorLabel(d)),
        m('recall'),
        m('precision'),
        m('falseAlarmsPer1000MailboxDays'),
        m('score'),
        `+${d.incidents.gained.length} / −${d.incidents.lost.length}`,
        `+${d.falseAlarms.new.length} / −${d.falseAlarms.removed.length}`,
        d.speed.ratio === null ? '–' : `${fmtNum(d.speed.ratio, 2)}×`,
        !d.checks.length ? '–' : failed ? `<span class="bad">${failed} failed</span>` : `<span class="ok">pass</span>`,
      ];
    }),
    [false, true, true, true, true, true, true, true, false],
  );
  const other =
    c.baseline.manifestSha256 !== c.head.manifestSha256
      ? `<p class="bad">The two results were scored on different datasets (manifest ${h(c.baseline.manifestSha256.slice(0, 12))}… vs ${h(c.head.manifestSha256.slice(0, 12))}…).</p>`
      : '';
  return `<section id="compare">
<h2>Comparison with the baseline <span class="badge ${c.pass ? 'pass' : 'fail'}">${c.pass ? 'PASS' : 'FAIL'}</span></h2>
<p class="meta"><b>Baseline</b> ${side(c.baseline)} → <b>head</b> ${side(c.head)} · dataset seed ${h(c.dataset.seed)}, ${fmtInt(c.dataset.mailboxes)} mailboxes, ${fmtInt(c.dataset.mailboxDays)} mailbox-days, ${fmtInt(c.dataset.emails)} emails</p>
${other}
${summary}
${c.detectors.map(detectorCompareHtml).join('\n')}
</section>`;
}

// ---------------------------------------------------------------------------------------------

/**
 * The results (and optionally a comparison) as one self-contained HTML page: no script, no
 * external URL, CSS inline, charts as inline SVG. Deterministic: the same inputs give the same bytes.
 */
export async function benchHtml(results: BenchResults, compare?: CompareResult, review?: Review): Promise<string> {
  const series = seriesOf(results);
  const heat = heatmapSpec(results, series);
  const lat = latencySpec(series);
  const choice = reportBudgets(results);
  const bud = budgetSpec(series, choice.budgets);
  const heatSvg = heat
    ? await renderChart(heat, { id: 'recall-heatmap', label: 'Heatmap: share of incidents with an alert, per scenario (rows) and detector (columns)' })
    : null;
  const latSvg = lat
    ? await renderChart(lat, { id: 'latency-cdf', label: 'Line chart: share of takeovers detected within x hours of onset, per detector' })
    : null;
  const budSvg = bud
    ? await renderChart(bud, { id: 'recall-budget', label: 'Line chart: takeover recall against false alarms per 1,000 mailbox-days, per detector' })
    : null;

  const commit = shortCommit(results.git);
  const title = `ato-bench report: seed ${results.dataset.seed}`;
  const failed = results.detectors.filter((d) => !d.metrics);
  const failedHtml = failed.length
    ? `<section id="failed">\n<h2>Failed detectors</h2>\n${tableHtml(
        ['detector', 'spec', 'status', 'error'],
        failed.map((d) => [h(detectorLabel(d)), h(d.spec), h(d.status), `<span class="reason">${h(truncate(d.error ?? 'no message', 2000))}</span>`]),
      )}\n</section>`
    : '';
  const driftHtml = driftTables(results)
    .map(
      (t, i) =>
        `<section id="drift-${i}">\n<h2>${h(t.title)}</h2>\n<p class="meta">${h(DRIFT_NOTE)}</p>\n${tableHtml(
          t.head,
          t.rows.map((r) => r.map((c) => h(c))),
          [false, true, true, true, true],
        )}\n</section>`,
    )
    .join('\n');
  const perRule = results.detectors.filter((d) => d.perRule);
  const perRuleHtml = perRule.length
    ? `<section id="per-rule">\n<h2>Per rule</h2>\n<p class="meta">Alerts each rule raised, the first alerts on a takeover (hits), later alerts in a takeover already hit, and false alarms.</p>\n${perRule
        .map(
          (d) =>
            `<h3>${h(detectorLabel(d))}</h3>\n${tableHtml(
              ['rule', 'alerts', 'hits', 'later hits', 'false alarms'],
              Object.entries(d.perRule!).map(([id, t]) => [h(id), fmtInt(t.alerts), fmtInt(t.tp), fmtInt(t.dup), fmtInt(t.fp)]),
              [false, true, true, true, true],
            )}`,
        )
        .join('\n')}\n</section>`
    : '';

  return selfContainedPage({
    title,
    css: CSS,
    body: `<main>
<header>
<h1>ato-bench report</h1>
<p class="meta"><b>Dataset</b> ${h(datasetSummary(results))}</p>
<p class="meta"><b>Scoring</b> ${h(scoringSummary(results))}</p>
<p class="meta">ato-bench ${h(results.benchmarkVersion)}${commit ? ` · commit ${h(commit)}` : ''} · manifest sha256 ${h(results.dataset.manifestSha256.slice(0, 12))}… · ${h(results.dataset.dir)}</p>
${compare ? verdictHtml(compare) : ''}
</header>
${leaderboardHtml(results)}
${chartSection(
  'recall-heatmap',
  'Recall per scenario',
  heatSvg,
  'Share of incidents with an alert in their window. Takeovers (blue): the recall, higher is better. Look-alikes and phishing (orange): the share flagged, lower is better. In brackets: incidents of the scenario.',
)}
${chartSection(
  'latency-cdf',
  'Time to detect',
  latSvg,
  `D(x): the share of all takeovers detected within x hours of their onset (the first malicious mail), up to ${HORIZON} h; missed takeovers never arrive, so each curve ends at the detector's recall within ${HORIZON} h.`,
  series.length ? latencyTable(results, series) : '',
)}
${chartSection(
  'recall-budget',
  'Recall against the false-alarm budget',
  budSvg,
  `The highest takeover recall with at most x false alarms per 1,000 mailbox-days, sweeping each detector's alert scores from the highest down (lines); circles on dotted lines: recall at ${budgetPhrase(choice)}; diamonds: each detector's own operating point, all its alerts kept.`,
  series.length ? budgetTable(series, choice.budgets) : '',
)}
${driftHtml}
${perRuleHtml}
${review ? reviewHtml(review, series) : ''}
${failedHtml}
${compare ? compareHtml(compare) : ''}
<footer>Self-contained report: no scripts, no external resources. Generated by ato-bench ${h(results.benchmarkVersion)} from results schema ${h(results.schema)} v${h(results.schemaVersion)}.</footer>
</main>`,
  });
}

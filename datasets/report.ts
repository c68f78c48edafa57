/**
 * `ato-bench inspect DIR --html FILE`: a dataset as one self-contained page people look at. Charts
 * (vega-lite rendered to inline SVG by charts/svg.ts, as the bench report's are): daily volume by
 * category and by label, the hour-of-day and day-of-week profile per locale, the mail types over
 * the weeks; a table of every calibration target beside the dataset's value; and a timeline strip
 * per takeover and look-alike (hand-drawn SVG: each mail a dot whose `<title>` is its subject, so
 * a browser shows it on hover). No script, no external resource; the same dataset gives the same
 * bytes.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CONFIG, escapeHtml, FONT, PALETTE, renderChart, selfContainedPage } from '../charts/svg.js';
import { calibrateDataset, weekdayOf } from './calibrate.js';
import type { CalibrationRow } from './calibrate.js';
import { FILES, driftsOf } from './format.js';
import type { IncidentRecord, LabelRecord, Manifest } from './format.js';
import { instant, readJsonl, readManifest } from './read.js';
import { lineBuffers } from './lines.js';
import { IdMap } from './id-map.js';

const h = escapeHtml;
const DAY_S = 86_400;
const LOG_TICKS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** Mail types drawn over time: the most frequent of these families. */
const TYPES_SHOWN = 10;

interface Mail {
  t: number;
  subject: string;
  role: string;
}

/** What the page needs, collected in one pass over the dataset. */
export interface DatasetFacts {
  manifest: Manifest;
  days: number;
  start: number;
  byDayCategory: Map<string, number>;
  byDayLabel: Map<string, number>;
  hourByLocale: Map<string, number[]>;
  weekdayByLocale: Map<string, number[]>;
  typeByWeek: Map<string, number[]>;
  /** Per mail type and template version (`type` NUL `template`), mails per week. */
  templateByWeek: Map<string, number[]>;
  incidents: Array<IncidentRecord & { mails: Mail[] }>;
}

const key = (...parts: Array<string | number>): string => parts.join('\u0000');

export async function collectFacts(dir: string): Promise<DatasetFacts> {
  const manifest = readManifest(dir);
  const start = instant(manifest.window.start);
  const days = manifest.window.days;
  const labels = new IdMap<LabelRecord>();
  for await (const { value } of readJsonl<LabelRecord>(join(dir, FILES.labels))) labels.set(value.emailId, value);
  const locale = new Map<string, string>();
  for await (const { value } of readJsonl<{ mailbox: string; locale: string }>(join(dir, FILES.mailboxes))) locale.set(value.mailbox, value.locale);
  const incidents: Array<IncidentRecord & { mails: Mail[] }> = [];
  const incidentOf = new Map<string, IncidentRecord & { mails: Mail[] }>();
  for await (const { value } of readJsonl<IncidentRecord>(join(dir, FILES.incidents))) {
    if (value.kind === 'phishing') continue;
    const inc = { ...value, mails: [] as Mail[] };
    incidents.push(inc);
    for (const e of value.emailIds) incidentOf.set(e, inc);
  }

  const byDayCategory = new Map<string, number>();
  const byDayLabel = new Map<string, number>();
  const hourByLocale = new Map<string, number[]>();
  const weekdayByLocale = new Map<string, number[]>();
  const typeByWeek = new Map<string, number[]>();
  const templateByWeek = new Map<string, number[]>();
  const weeks = Math.ceil(days / 7);
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  for (const buf of lineBuffers(join(dir, FILES.emails))) {
    const e = JSON.parse(buf.toString('utf8')) as { id: string; mailbox: string; receivedAt: string; subject: string };
    const l = labels.get(e.id);
    if (!l) continue;
    const t = instant(e.receivedAt);
    const day = Math.min(days - 1, Math.max(0, Math.floor((t - start) / DAY_S)));
    bump(byDayCategory, key(day, l.category));
    bump(byDayLabel, key(day, l.label));
    // receivedAt is written in the owner's zone: its wall clock is the owner's local time.
    const loc = locale.get(e.mailbox) ?? '?';
    const hours = hourByLocale.get(loc) ?? new Array<number>(24).fill(0);
    hours[Number(e.receivedAt.slice(11, 13))]!++;
    hourByLocale.set(loc, hours);
    const wd = weekdayByLocale.get(loc) ?? new Array<number>(7).fill(0);
    wd[weekdayOf(e.receivedAt.slice(0, 10))]!++;
    weekdayByLocale.set(loc, wd);
    const perWeek = typeByWeek.get(l.type) ?? new Array<number>(weeks).fill(0);
    perWeek[Math.floor(day / 7)]!++;
    typeByWeek.set(l.type, perWeek);
    if (l.template) {
      const k = key(l.type, l.template);
      const tw = templateByWeek.get(k) ?? new Array<number>(weeks).fill(0);
      tw[Math.floor(day / 7)]!++;
      templateByWeek.set(k, tw);
    }
    const inc = incidentOf.get(e.id);
    if (inc) inc.mails.push({ t, subject: e.subject, role: l.role ?? l.label });
  }
  return { manifest, days, start, byDayCategory, byDayLabel, hourByLocale, weekdayByLocale, typeByWeek, templateByWeek, incidents };
}

// ---------------------------------------------------------------------------------------------
// Charts

const dayAxis = (f: DatasetFacts) => ({
  field: 'day',
  type: 'quantitative' as const,
  scale: { domain: [0, f.days], nice: false },
  axis: {
    title: `day of the window (day 0 = ${f.manifest.window.start.slice(0, 10)})`,
    tickMinStep: 7,
    values: Array.from({ length: Math.ceil(f.days / 7) + 1 }, (_, i) => i * 7),
  },
});

function splitKey(k: string): [number, string] {
  const [d, rest] = k.split('\u0000');
  return [Number(d), rest!];
}

function volumeSpec(f: DatasetFacts, m: Map<string, number>, field: string, order: readonly string[]): TopLevelSpec {
  const present = order.filter((o) => [...m.keys()].some((k) => splitKey(k)[1] === o));
  const values = [...m].map(([k, n]) => {
    const [day, v] = splitKey(k);
    return { day, [field]: v, n, rank: present.indexOf(v) };
  });
  return {
    config: CONFIG,
    width: 820,
    height: 240,
    data: { values },
    mark: { type: 'bar', width: { band: 1 } },
    encoding: {
      x: dayAxis(f),
      y: { aggregate: 'sum', field: 'n', type: 'quantitative', axis: { title: 'mails', grid: true } },
      color: { field, type: 'nominal', scale: { domain: present, range: PALETTE.slice(0, present.length) }, legend: { title: null } },
      order: { field: 'rank', type: 'quantitative' },
    },
  } as TopLevelSpec;
}

function labelSpec(f: DatasetFacts): TopLevelSpec {
  const order = ['ato', 'lookalike', 'phishing', 'spam'];
  const values: Array<{ day: number; label: string; n: number }> = [];
  for (let day = 0; day < f.days; day++) for (const label of order) values.push({ day, label, n: f.byDayLabel.get(key(day, label)) ?? 0 });
  return {
    config: CONFIG,
    width: 820,
    height: 220,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: dayAxis(f),
      y: {
        field: 'n',
        type: 'quantitative',
        scale: { type: 'symlog', constant: 1 },
        axis: { title: 'mails (symmetric log scale)', grid: true, values: LOG_TICKS, format: 'd' },
      },
      color: { field: 'label', type: 'nominal', scale: { domain: order, range: ['#e45756', '#f58518', '#b279a2', '#9d755d'] }, legend: { title: null } },
    },
  } as TopLevelSpec;
}

function profileSpec(byLocale: Map<string, number[]>, ticks: readonly string[], title: string): TopLevelSpec {
  const values: Array<{ x: string; i: number; locale: string; share: number }> = [];
  for (const [locale, counts] of [...byLocale].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    counts.forEach((n, i) => values.push({ x: ticks[i]!, i, locale, share: n / total }));
  }
  return {
    config: CONFIG,
    width: 380,
    height: 200,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'ordinal', sort: { field: 'i' }, axis: { title, labelAngle: 0 } },
      y: { field: 'share', type: 'quantitative', axis: { title: "share of the locale's mail", format: '.0%', grid: true } },
      color: { field: 'locale', type: 'nominal', scale: { range: PALETTE.slice(0, 2) }, legend: { title: 'locale' } },
    },
  } as TopLevelSpec;
}

function typesSpec(f: DatasetFacts): TopLevelSpec {
  const top = [...f.typeByWeek]
    .map(([type, weeks]) => ({ type, total: weeks.reduce((a, b) => a + b, 0), weeks }))
    .filter((x) => !x.type.startsWith('spam.') && !x.type.startsWith('newsletter.') && !x.type.startsWith('social.'))
    .sort((a, b) => b.total - a.total || (a.type < b.type ? -1 : 1))
    .slice(0, TYPES_SHOWN);
  const values = top.flatMap((x) => x.weeks.map((n, week) => ({ week, type: x.type, n })));
  return {
    config: CONFIG,
    width: 820,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'week', type: 'quantitative', axis: { title: 'week of the window', tickMinStep: 1 } },
      y: {
        field: 'n',
        type: 'quantitative',
        scale: { type: 'symlog', constant: 1 },
        axis: { title: 'mails (symmetric log scale)', grid: true, values: LOG_TICKS, format: 'd' },
      },
      color: { field: 'type', type: 'nominal', scale: { range: PALETTE }, legend: { title: null } },
    },
  } as TopLevelSpec;
}

/** The mail type whose template versions are drawn over time: the one a redesign and the ways of ordering change most. */
const VERSIONED_TYPE = 'marketplace.order-confirmation';

/** Weeks from the window's start to each drift date of the config. */
function driftWeeks(f: DatasetFacts): Array<{ week: number; label: string }> {
  return driftsOf(f.manifest.config).map((d) => ({ week: (d.at - f.start) / (7 * DAY_S), label: `${d.brand} -> ${d.edition}, ${d.on}` }));
}

function versionsSpec(f: DatasetFacts): TopLevelSpec {
  const values = [...f.templateByWeek]
    .filter(([k]) => k.startsWith(VERSIONED_TYPE + '\u0000'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([k, weeks]) => weeks.map((n, week) => ({ week, end: week + 1, template: k.split('\u0000')[1]!, n })));
  // Stacked by hand: a bar spanning its week (x to x2) is not stacked by Vega-Lite.
  const top = new Map<number, number>();
  const bars = values.flatMap((v) => {
    if (v.n === 0) return [];
    const y0 = top.get(v.week) ?? 0;
    top.set(v.week, y0 + v.n);
    return [{ ...v, y0, y1: y0 + v.n }];
  });
  const rules = driftWeeks(f);
  return {
    config: CONFIG,
    width: 820,
    height: 240,
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', stroke: '#fff', strokeWidth: 1 },
        encoding: {
          x: {
            field: 'week',
            type: 'quantitative',
            axis: { title: 'week of the window', tickMinStep: 1 },
            scale: { domain: [0, Math.ceil(f.days / 7)], nice: false },
          },
          x2: { field: 'end' },
          y: { field: 'y0', type: 'quantitative', axis: { title: 'order confirmations', grid: true } },
          y2: { field: 'y1' },
          color: { field: 'template', type: 'nominal', scale: { range: PALETTE }, legend: { title: 'edition/variant' } },
        },
      },
      ...(rules.length
        ? [
            {
              data: { values: rules },
              mark: { type: 'rule', color: '#222', strokeDash: [4, 3], strokeWidth: 2 },
              encoding: { x: { field: 'week', type: 'quantitative' } },
            },
            {
              data: { values: rules },
              mark: { type: 'text', align: 'left', dx: 4, dy: -4, baseline: 'top', fontSize: 11 },
              encoding: { x: { field: 'week', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** Every mail type written several ways, with how many mails each version wrote. */
function versionsTable(f: DatasetFacts): string {
  const rows = [...f.templateByWeek]
    .map(([k, weeks]) => ({ type: k.split('\u0000')[0]!, template: k.split('\u0000')[1]!, n: weeks.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : a.template < b.template ? -1 : 1));
  return `<table class="calibration"><thead><tr><th>mail type</th><th>edition/variant</th><th>mails</th></tr></thead><tbody>${rows
    .map((r) => `<tr><td>${h(r.type)}</td><td>${h(r.template)}</td><td>${h(r.n)}</td></tr>`)
    .join('')}</tbody></table>`;
}

// ---------------------------------------------------------------------------------------------
// Timeline strips: hand-drawn SVG, so each mail can carry its subject as a <title>

/** Colours by what a mail's role says (the first that matches): the platform speaking, money moving, parcels, the account changing. */
const ROLE_COLOR: ReadonlyArray<{ role: RegExp; color: string; legend: string }> = [
  { role: /notice|platform|warning|revert|cancel|support/, color: '#4c78a8', legend: "the platform's notices" },
  { role: /order|purchase|fraud|card|points|transfer|payee|cash/, color: '#e45756', legend: 'orders and money' },
  { role: /ship|deliver/, color: '#f58518', legend: 'shipping' },
  {
    role: /sign-in|code|reset|password|recovery|forward|rule|email|two-factor|sim|address|setting|device|silence/,
    color: '#54a24b',
    legend: 'sign-ins and account changes',
  },
];
const OTHER_COLOR = '#72b7b2';

function roleColor(role: string): string {
  return ROLE_COLOR.find((c) => c.role.test(role))?.color ?? OTHER_COLOR;
}

function stripSvg(inc: DatasetFacts['incidents'][number]): string {
  const W = 820;
  const H = 46;
  const onset = instant(inc.onset);
  const mails = [...inc.mails].sort((a, b) => a.t - b.t);
  const lastH = Math.max(0.1, ...mails.map((m) => (m.t - onset) / 3600));
  const pad = 0.04 * lastH;
  const x = (tH: number): number => 20 + ((tH + pad) / (lastH + 2 * pad)) * (W - 40);
  // About eight ticks at a round step.
  const tick = [0.25, 0.5, 1, 2, 3, 6, 12, 24, 48, 72, 168, 336].find((t) => lastH / t <= 8) ?? 720;
  const ticks: string[] = [];
  for (let t = 0; t <= lastH + pad; t += tick) {
    const label = t >= 48 && t % 24 === 0 ? `${t / 24} d` : `${t} h`;
    ticks.push(
      `<line x1="${x(t).toFixed(1)}" y1="14" x2="${x(t).toFixed(1)}" y2="32" stroke="#e5e5e5"/><text x="${x(t).toFixed(1)}" y="44" font-size="10" text-anchor="middle" fill="#666">${label}</text>`,
    );
  }
  // Mails at the same minute stack upwards instead of hiding each other.
  const seen = new Map<number, number>();
  const dots = mails.map((m) => {
    const tH = (m.t - onset) / 3600;
    const px = Math.round(x(tH));
    const k = seen.get(px) ?? 0;
    seen.set(px, k + 1);
    const y = 23 - Math.min(k, 3) * 4;
    return `<circle cx="${px}" cy="${y}" r="4.5" fill="${roleColor(m.role)}" stroke="white" stroke-width="1"><title>${h(`+${tH.toFixed(1)} h · ${m.role} · ${m.subject}`)}</title></circle>`;
  });
  return `<svg role="img" aria-label="${h(`Timeline of ${inc.id}: ${mails.length} mails`)}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${h(FONT)}">
<line x1="${x(0).toFixed(1)}" y1="23" x2="${x(lastH).toFixed(1)}" y2="23" stroke="#999" stroke-width="2"/>
${ticks.join('\n')}
${dots.join('\n')}
</svg>`;
}

// ---------------------------------------------------------------------------------------------
// The page

const CSS = `
body { margin: 0; color: #1f2328; font: 14px/1.5 ${FONT}; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d1d9e0; }
h3 { font-size: 15px; margin: 18px 0 4px; }
.meta, figcaption { color: #59636e; font-size: 13px; }
figure { margin: 8px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
.pair { display: flex; flex-wrap: wrap; gap: 24px; }
table { border-collapse: collapse; margin: 10px 0; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #d1d9e0; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.ok { color: #1a7f37; font-weight: 600; }
.off { color: #cf222e; font-weight: 600; }
.strip { margin: 6px 0 14px; }
.strip p { margin: 0; font-size: 13px; }
.legend span { display: inline-block; margin-right: 14px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; vertical-align: middle; }
`;

function calibrationTable(rows: readonly CalibrationRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${r.ok ? '<span class="ok">OK</span>' : '<span class="off">OFF</span>'}</td><td>${h(r.group)}</td><td>${h(r.quantity)}</td><td>${h(r.target)}</td><td>${h(r.measured)}</td></tr>`,
    )
    .join('\n');
  return `<table>\n<thead><tr><th></th><th>group</th><th>quantity</th><th>target (docs/calibration.md)</th><th>this dataset</th></tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function figure(svg: string, caption: string): string {
  return `<figure>\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

/** The dataset report as one self-contained HTML page. */
export async function inspectHtml(dir: string): Promise<string> {
  const f = await collectFacts(dir);
  const calibration = await calibrateDataset(dir);
  const categories = [...new Set([...f.byDayCategory.keys()].map((k) => splitKey(k)[1]))].sort();
  const [cat, lab, hours, weekdays, types, versions] = await Promise.all([
    renderChart(volumeSpec(f, f.byDayCategory, 'category', categories), { id: 'volume-category', label: 'Stacked bars: mails per day by category' }),
    renderChart(labelSpec(f), { id: 'volume-label', label: 'Lines: takeover, look-alike, phishing and spam mails per day' }),
    renderChart(
      profileSpec(
        f.hourByLocale,
        Array.from({ length: 24 }, (_, i) => String(i)),
        "hour of the day (owner's zone)",
      ),
      { id: 'profile-hour', label: "Lines: share of each locale's mail per hour of the day" },
    ),
    renderChart(profileSpec(f.weekdayByLocale, WEEKDAYS, 'day of the week'), {
      id: 'profile-weekday',
      label: "Lines: share of each locale's mail per day of the week",
    }),
    renderChart(typesSpec(f), { id: 'mail-types', label: 'Lines: the most frequent transactional mail types per week' }),
    renderChart(versionsSpec(f), {
      id: 'template-versions',
      label: 'Stacked bars: order confirmations per week by template version, dashed lines at drift dates',
    }),
  ]);
  const drifts = driftWeeks(f);
  const m = f.manifest;
  const ok = calibration.filter((r) => r.ok).length;
  const byKind = (kind: string) =>
    f.incidents.filter((i) => i.kind === kind).sort((a, b) => (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : a.onset < b.onset ? -1 : 1));
  const strips = (kind: string): string =>
    byKind(kind)
      .map(
        (i) =>
          `<div class="strip"><p><b>${h(i.scenario)}</b> · ${h(i.id)} · ${h(i.mailbox)} · onset ${h(i.onset)} · ${i.mails.length} mails${i.difficulty ? ` · ${h(i.difficulty)}` : ''}</p>\n${stripSvg(i)}</div>`,
      )
      .join('\n');
  const legend = `<p class="legend meta">${[...ROLE_COLOR, { color: OTHER_COLOR, legend: 'other' }]
    .map((c) => `<span><i style="background:${c.color}"></i>${h(c.legend)}</span>`)
    .join('')} Hover a dot for the mail's subject.</p>`;
  return selfContainedPage({
    title: `ato-bench dataset: seed ${m.seed}`,
    css: CSS,
    body: `<main>
<h1>ato-bench dataset</h1>
<p class="meta">Seed ${h(m.seed)} · format ${h(m.formatVersion)} · ${h(m.counts.mailboxes)} mailboxes over ${h(m.window.days)} days from ${h(m.window.start.slice(0, 10))} · ${h(m.counts.emails)} mails · incidents: ${h(
      Object.entries(m.counts.incidents)
        .filter(([k]) => !k.includes(':'))
        .map(([k, n]) => `${n} ${k}`)
        .join(', '),
    )} · calibration ${ok} of ${calibration.length} OK</p>
<section id="volume">
<h2>Volume</h2>
${figure(cat, 'Mails per day of the window, by category.')}
${figure(lab, 'Mails per day carrying each label of the truth; most mail is benign and not drawn here.')}
</section>
<section id="profiles">
<h2>Rhythms</h2>
<div class="pair">
${figure(hours, "Each locale's mail by hour of the day, in the owner's zone.")}
${figure(weekdays, "Each locale's mail by day of the week.")}
</div>
</section>
<section id="types">
<h2>Mail types over time</h2>
${figure(types, 'The most frequent transactional mail types, per week of the window (newsletters, social notifications and spam left out).')}
</section>
<section id="versions">
<h2>Template versions</h2>
${figure(
  versions,
  `The marketplace's order confirmations per week, by the template version that wrote them (edition/variant: web, app, gift, several sellers). ${
    drifts.length
      ? `Dashed: the config's template drifts (${drifts.map((d) => d.label).join('; ')}).`
      : 'This dataset configures no template drift: each edition is the first throughout.'
  }`,
)}
${versionsTable(f)}
</section>
<section id="calibration">
<h2>Calibration</h2>
<p class="meta">Each target of docs/calibration.md beside this dataset's value (ato-bench calibrate prints the same).</p>
${calibrationTable(calibration)}
</section>
<section id="incidents">
<h2>Incidents</h2>
${legend}
<h3>Takeovers</h3>
${strips('ato')}
<h3>Look-alikes</h3>
${strips('lookalike')}
</section>
</main>`,
  });
}

/**
 * Markdown reports: the leaderboard of a results file (`benchMarkdown`) and what a change gained
 * and lost between two results files (`compareMarkdown`, for a CI step summary or a PR comment).
 *
 * Everything that comes from the data (detector ids, scenario names, incident ids, mailboxes,
 * reasons, errors, file names) goes through `escapeMarkdown` and is never put in a code span
 * (entities are not decoded there): a reason like `<script>alert(1)</script> | x` renders as text
 * and keeps its table row intact.
 *
 * The cell formatting shared with the HTML report lives here too (`leaderboardCells`, ...).
 */
import type { BenchResults, DetectorResult } from '../benchmark.js';
import type { CompareResult, DetectorComparison, FalseAlarmRef, IncidentRef, MetricDelta } from '../compare-types.js';
import { rankDetectors } from '../leaderboard.js';
import { recallAt } from '../score.js';
import type { IncidentKind } from '../types.js';
import { type BudgetChoice, reportBudgets } from './budgets.js';
import { type IncidentTimeline, LEAD_IN_HOURS, type Review, type TimelineEntry } from './review.js';

// ---------------------------------------------------------------------------------------------
// Formatting shared with the HTML report (plain text, not escaped).

const MINUS = '\u2212';

/** Integer with thousands separators, independent of the machine's locale. */
export function fmtInt(n: number): string {
  const s = Math.round(Math.abs(n)).toString();
  return (n < 0 ? MINUS : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A number with a typographic minus sign. */
export function fmtNum(x: number, digits = 1): string {
  const s = Math.abs(x).toFixed(digits);
  return (x < 0 && Number(s) !== 0 ? MINUS : '') + s;
}

/** A share as a percentage: 0.5 -> "50%". */
export function fmtPct(x: number, digits = 0): string {
  return `${fmtNum(100 * x, digits)}%`;
}

/** A share in whole percent, "<1%" for a share that is not zero but rounds to it. */
export function fmtShare(x: number): string {
  return x > 0 && x < 0.005 ? '<1%' : fmtPct(x);
}

/** A false-alarm budget: "0.5", "20", "1,000". */
export function fmtBudget(x: number): string {
  return x >= 1000 ? fmtInt(x) : String(x);
}

/** How a report says which budgets it reads recall at, and why those. */
export function budgetPhrase(c: BudgetChoice): string {
  const list = c.budgets.map(fmtBudget).join(', ');
  return c.how === 'separating'
    ? `${list} false alarms per 1,000 mailbox-days, the round budgets at which the contenders' recall differs most`
    : `the scoring's budgets, ${list} false alarms per 1,000 mailbox-days`;
}

/** A mailbox's time as it shows it: "2025-10-09 00:29:45 −07:00" (the offset is the owner's). */
export function fmtLocal(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!m) return rfc3339;
  return `${m[1]} ${m[2]} ${m[3] === 'Z' ? 'UTC' : m[3]!.replace('-', MINUS)}`;
}

/** A signed change: "+1.2", "−0.4", "0.0". */
export function fmtSigned(x: number, digits = 1): string {
  const r = Math.abs(x).toFixed(digits);
  return Number(r) === 0 ? r : (x > 0 ? '+' : MINUS) + r;
}

export const LEADERBOARD_HEAD = [
  'detector',
  'recall [95% CI]',
  'after drift',
  'lift',
  'precision',
  'FA/1k md',
  'lat p50/p90 h',
  'lead p50 h',
  'score [95% CI]',
  'emails/s',
  'isolation',
];

/**
 * Whether the results carry 95 % intervals: with `--bootstrap 0` every interval is its point
 * value, which printed as `[33%, 33%]` would read as certainty, so none is printed.
 */
export function hasIntervals(results: Pick<BenchResults, 'scoring'>): boolean {
  return results.scoring.bootstrapSamples > 0;
}

/** The leaderboard's head, without the intervals' mention when there are none. */
export function leaderboardHead(intervals: boolean): string[] {
  return intervals ? LEADERBOARD_HEAD : LEADERBOARD_HEAD.map((c) => c.replace(' [95% CI]', ''));
}

/**
 * How a row was run: the sandbox it had, or `offline` (alerts from a file: the producer saw the
 * whole stream, so causality was not enforced).
 */
export function isolationLabel(d: Pick<DetectorResult, 'mode' | 'isolation'>): string {
  return d.mode === 'offline' ? 'offline' : (d.isolation ?? '–');
}

/** The leaderboard cells of one detector after its name (the same columns as the text leaderboard); `intervals`: hasIntervals. */
export function leaderboardCells(d: DetectorResult, intervals = true): string[] {
  const speed = d.speed.replayPerSecond ? fmtInt(d.speed.replayPerSecond) : '–';
  const m = d.metrics;
  if (!m) return [d.status.toUpperCase(), '', '', '', '', '', '', '', speed, isolationLabel(d)];
  const lift = d.randomBaseline?.lift;
  return [
    fmtPct(m.recall.value) + (intervals ? ` [${fmtPct(m.recall.lo)}, ${fmtPct(m.recall.hi)}]` : ''),
    // Recall over the takeovers that began after the dataset's first template drift.
    m.drift[0] ? fmtPct(m.drift[0].after.recall) : '–',
    lift === null || lift === undefined ? '–' : `${fmtNum(lift)}×`,
    m.alerts ? fmtPct(m.precision.value) : '–',
    fmtNum(m.falseAlarmsPer1000MailboxDays.value, 2),
    m.latencyHours ? `${fmtNum(m.latencyHours.p50)} / ${fmtNum(m.latencyHours.p90)}` : '–',
    m.leadHours ? fmtNum(m.leadHours.p50) : '–',
    fmtNum(m.score.value) + (intervals ? ` [${fmtNum(m.score.lo)}, ${fmtNum(m.score.hi)}]` : ''),
    speed,
    isolationLabel(d),
  ];
}

/**
 * How reports name a detector: its spec when that is the id with parameters (`rules:sets=marketplace`,
 * unique in a results file), else its id (an external detector's spec is its path). As the text leaderboard does.
 */
export function detectorLabel(d: { id: string; spec: string }): string {
  return d.spec.startsWith(`${d.id}:`) ? d.spec : d.id;
}

const KIND_ORDER: Record<string, number> = { ato: 0, lookalike: 1, phishing: 2 };

export interface ScenarioInfo {
  scenario: string;
  kind: IncidentKind;
  incidents: number;
}

/** Every scenario scored for any detector: takeovers first, then look-alikes, then phishing, each by name. */
export function scenarioList(results: BenchResults): ScenarioInfo[] {
  const seen = new Map<string, ScenarioInfo>();
  for (const d of results.detectors) {
    for (const [scenario, r] of Object.entries(d.metrics?.recallByScenario ?? {})) {
      if (!seen.has(scenario)) seen.set(scenario, { scenario, kind: r.kind, incidents: r.incidents });
    }
  }
  return [...seen.values()].sort(
    (a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) || (a.scenario < b.scenario ? -1 : a.scenario > b.scenario ? 1 : 0),
  );
}

/** "seed 20201 · 30 mailboxes · ..." (plain text). */
export function datasetSummary(results: BenchResults): string {
  const d = results.dataset;
  return [
    ...(d.split ? [`the ${d.split} split`] : []),
    `seed ${d.seed}`,
    `${fmtInt(d.mailboxes)} mailboxes`,
    `${fmtInt(d.mailboxDays)} mailbox-days`,
    `${fmtInt(d.emails)} emails`,
    `${fmtInt(d.incidents.ato ?? 0)} takeovers`,
    `${fmtInt(d.incidents.lookalike ?? 0)} look-alikes`,
    `${fmtInt(d.incidents.phishing ?? 0)} phishing hits`,
  ].join(' · ');
}

/** "profile standard (tp 1, fn 1, fp 0.11) · grace 72 h · ..." (plain text). */
export function scoringSummary(results: BenchResults): string {
  const s = results.scoring;
  const w = s.profile.weights;
  return [
    `profile ${s.profile.name} (tp ${w.tp}, fn ${w.fn}, fp ${w.fp})`,
    `grace ${s.graceHours} h`,
    hasIntervals(results) ? `95% intervals from ${fmtInt(s.bootstrapSamples)} mailbox bootstraps` : 'no intervals (--bootstrap 0)',
    `recall at ${s.budgets.join(' / ')} false alarms per 1,000 mailbox-days`,
  ].join(' · ');
}

/** "ff74fad (dirty)" when the commit is a plain hex id; null otherwise. */
export function shortCommit(git: { commit: string; dirty: boolean } | null): string | null {
  if (!git || !/^[0-9a-f]{7,64}$/i.test(git.commit)) return null;
  return git.commit.slice(0, 7) + (git.dirty ? ' (dirty)' : '');
}

/** Shorten to at most `max` characters (code points), marking the cut. */
export function truncate(s: string, max: number): string {
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
}

// ---------------------------------------------------------------------------------------------
// Escaping

const MD_ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '`': '&#96;',
  '\\': '&#92;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
  $: '&#36;',
};

/**
 * Text from the data, made inert for GitHub-flavoured Markdown, inside a table cell, a list item,
 * a heading or an HTML block alike: HTML specials and Markdown's active characters become
 * character references (`|` can no longer split a table row, a backtick cannot open a code span),
 * line breaks become `<br>`, control characters spaces, and `@name` loses its mention (a word
 * joiner after the `@`). Longer than `max` characters, it is cut and marked with `…`.
 */
export const DRIFT_NOTE =
  "Recall over the takeovers that began on each side of the date, and false alarms per 1,000 mailbox-days on each side. The sides hold different takeovers, so a small difference means little; a detector that keys on one edition's wording shows a fall after the date.";

/** One table per template drift of the dataset: each scored detector's recall and false alarms before and after its date. */
export function driftTables(results: BenchResults): Array<{ title: string; head: string[]; rows: string[][] }> {
  const scored = rankDetectors(results).filter((d) => d.metrics);
  const drifts = scored[0]?.metrics?.drift ?? [];
  return drifts.map((d, i) => ({
    title: `Template drift: ${d.brand} → ${d.edition} on ${d.on} (${fmtInt(d.before.incidents)} takeovers began before, ${fmtInt(d.after.incidents)} after)`,
    head: ['detector', 'recall before', 'recall after', 'FA/1k md before', 'FA/1k md after'],
    rows: scored.flatMap((x) => {
      const s = x.metrics!.drift[i];
      return s
        ? [
            [
              detectorLabel(x),
              fmtPct(s.before.recall),
              fmtPct(s.after.recall),
              fmtNum(s.before.falseAlarmsPer1000MailboxDays, 2),
              fmtNum(s.after.falseAlarmsPer1000MailboxDays, 2),
            ],
          ]
        : [];
    }),
  }));
}

export function escapeMarkdown(s: string, max = 300): string {
  const oneLine = truncate(String(s), max)
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
  return oneLine
    .replace(/[&<>"|`\\*_[\]~$]/g, (ch) => MD_ENTITY[ch]!)
    .replace(/(^|[^\p{L}\p{N}_])@(?=[\p{L}\p{N}])/gu, '$1@\u2060')
    .replace(/\n/g, '<br>');
}

const esc = escapeMarkdown;

function table(head: string[], align: Array<'l' | 'r' | 'c'>, rows: string[][]): string[] {
  const sep = align.map((a) => (a === 'r' ? '--:' : a === 'c' ? ':-:' : '---'));
  return [`| ${head.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

// ---------------------------------------------------------------------------------------------
// The leaderboard

/**
 * The results as a GitHub-flavoured Markdown leaderboard: the dataset and the scoring settings,
 * the detectors ranked by score (the upper bound marked, not ranked), the failed detectors with
 * their error, and recall per scenario.
 */
export function benchMarkdown(results: BenchResults, review?: Review): string {
  const out: string[] = [];
  out.push('## ato-bench leaderboard', '');
  out.push(`**Dataset** ${esc(datasetSummary(results))}  `);
  out.push(`**Scoring** ${esc(scoringSummary(results))}  `);
  const commit = shortCommit(results.git);
  out.push(
    `ato-bench ${esc(results.benchmarkVersion)}${commit ? ` · commit ${commit}` : ''} · dataset manifest sha256 ${esc(results.dataset.manifestSha256.slice(0, 12))}…`,
  );
  out.push('');

  const ranked = rankDetectors(results);
  let rank = 0;
  const rows = ranked.map((d) => {
    const r = !d.metrics ? '–' : d.upperBound ? '↑' : String(++rank);
    const label = esc(detectorLabel(d));
    const name = d.upperBound ? `${label} *(upper bound)*` : d.metrics ? label : `${label} ⚠️`;
    // The cells are numbers formatted here; only the status of a failed run comes from the data.
    const cells = leaderboardCells(d, hasIntervals(results));
    if (!d.metrics) cells[0] = `**${esc(d.status.toUpperCase())}** (see below)`;
    return [r, name, ...cells];
  });
  out.push(...table(['#', ...leaderboardHead(hasIntervals(results))], ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'], rows));
  out.push('');
  out.push(
    '<sub>Ranked by the normalised score (0 = null detector, 100 = perfect); ↑ reads the truth: an upper bound, shown but not ranked. ' +
      'lift: recall over a random detector raising as many alerts per mailbox. FA/1k md: false alarms per 1,000 mailbox-days. ' +
      "lat: hours from onset to the first alert. lead: hours before the platform's own notice (positive = earlier).</sub>",
  );
  const f = results.floors;
  out.push('');
  out.push(
    `Speed floors: read + parse ${fmtInt(f.readParsePerSecond)} emails/s` +
      (f.replayPerSecond ? `, replay with the null detector ${fmtInt(f.replayPerSecond)} emails/s.` : '.'),
  );

  const failed = ranked.filter((d) => !d.metrics);
  if (failed.length) {
    out.push('', '### Failed detectors', '');
    for (const d of failed) out.push(`- **${esc(detectorLabel(d))}** (${esc(d.spec)}): ${esc(d.status)}: ${esc(d.error ?? 'no message', 1000)}`);
  }
  const scored = ranked.filter((d) => d.metrics);
  const scenarios = scenarioList(results);
  if (scored.length && scenarios.length) {
    out.push('', '### Recall per scenario', '');
    out.push(
      'Share of incidents with an alert in their window: for takeovers the recall (higher is better), for look-alikes and phishing the share flagged (lower is better).',
    );
    out.push('');
    const srows = scenarios.map((s) => [
      esc(s.scenario),
      s.kind === 'ato' ? 'takeover' : s.kind === 'lookalike' ? 'look-alike' : esc(s.kind),
      fmtInt(s.incidents),
      ...scored.map((d) => {
        const r = d.metrics!.recallByScenario[s.scenario];
        return r ? esc(fmtShare(r.share)) : '–';
      }),
    ]);
    out.push(
      ...table(['scenario', 'kind', 'incidents', ...scored.map((d) => esc(detectorLabel(d)))], ['l', 'l', 'r', ...scored.map(() => 'r' as const)], srows),
    );
  }
  const withTargets = scored.filter((d) => d.metrics!.incidents);
  if (withTargets.length) {
    const choice = reportBudgets(results);
    out.push('', '### Recall against the false-alarm budget', '');
    out.push(`The highest takeover recall with at most so many false alarms, sweeping each detector's alert scores: at ${budgetPhrase(choice)}.`, '');
    const rows = withTargets.map((d) => {
      const m = d.metrics!;
      return [
        esc(detectorLabel(d)) + (d.upperBound ? ' *(upper bound)*' : ''),
        ...choice.budgets.map((b) => fmtPct(recallAt(m.recallCurve, b))),
        fmtNum(m.falseAlarmsPer1000MailboxDays.value, 2),
        fmtPct(m.recall.value),
      ];
    });
    out.push(
      ...table(
        ['detector', ...choice.budgets.map((b) => `recall at ≤ ${fmtBudget(b)}`), 'own FA/1k md', 'own recall'],
        ['l', ...choice.budgets.map(() => 'r' as const), 'r', 'r'],
        rows,
      ),
    );
  }
  for (const t of driftTables(results)) {
    out.push('', `### ${esc(t.title)}`, '', DRIFT_NOTE, '');
    out.push(
      ...table(
        t.head,
        ['l', 'r', 'r', 'r', 'r'],
        t.rows.map((r) => [esc(r[0]!), ...r.slice(1)]),
      ),
    );
  }
  for (const d of scored) {
    if (!d.perRule) continue;
    out.push('', `### Per rule: ${esc(detectorLabel(d))}`, '');
    out.push('Alerts each rule raised, the first alerts on a takeover (hits), later alerts in a takeover already hit, and false alarms.', '');
    const rows = Object.entries(d.perRule).map(([id, t]) => [esc(id), fmtInt(t.alerts), fmtInt(t.tp), fmtInt(t.dup), fmtInt(t.fp)]);
    out.push(...table(['rule', 'alerts', 'hits', 'later hits', 'false alarms'], ['l', 'r', 'r', 'r', 'r'], rows));
  }
  if (review) out.push(...reviewMarkdown(review));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// The review: false alarms and timelines

/**
 * What a Markdown report shows of the timelines (a PR comment holds 65,536 characters): the first
 * few, with the incident's mails and the alerts only; the HTML report shows them all, whole.
 */
const MD_TIMELINES = 6;
const MD_ENTRIES = 30;

export const FALSE_ALARM_GROUP_HEAD = ['detector', 'fell on', 'alerts', 'earliest: mailbox', 'time (owner’s zone)', 'subject', 'reason'];

export function falseAlarmGroupCells(g: Review['falseAlarms'][number], e: (s: string, max?: number) => string): string[] {
  return [
    e(g.detector),
    e(g.fellOn),
    fmtInt(g.alerts),
    e(g.example.mailbox),
    e(fmtLocal(g.example.at)),
    g.example.subject === null ? '–' : e(g.example.subject, 120),
    e(g.example.reason, 200),
  ];
}

/** A timeline's one-line summary: which incident, when, who missed, lost and caught it. */
export function timelineSummary(t: IncidentTimeline): string {
  const who = [
    t.lostBy.length ? `lost by ${t.lostBy.join(', ')}` : '',
    t.missedBy.length ? `missed by ${t.missedBy.join(', ')}` : '',
    t.caughtBy.length ? `caught by ${t.caughtBy.join(', ')}` : '',
  ].filter(Boolean);
  return `${t.id} · ${t.scenario} · ${t.mailbox} · onset ${fmtLocal(t.onset)}${t.zone ? ` (${t.zone})` : ''}${who.length ? ` · ${who.join(' · ')}` : ''}`;
}

export const TIMELINE_HEAD = ['time (owner’s zone)', 'from onset', 'what', 'detail'];

/** One row of a timeline: a mail (its label and type, from, subject) or an alert (its detector, rule, score, reason and verdict). */
export function timelineCells(x: TimelineEntry, e: (s: string, max?: number) => string): { cells: string[]; emphasis: 'incident' | 'alert' | 'other' } {
  const time = [e(fmtLocal(x.at)), `${fmtSigned(x.hoursFromOnset)} h`];
  if (x.kind === 'mail')
    return {
      cells: [...time, e(`${x.ofIncident ? 'incident mail' : 'mail'}: ${x.label}${x.type ? ` ${x.type}` : ''}`), `${e(x.from, 80)} — ${e(x.subject, 120)}`],
      emphasis: x.ofIncident ? 'incident' : 'other',
    };
  return {
    cells: [...time, e(`alert: ${x.detector}`), e(`${x.rule ? `${x.rule} · ` : ''}score ${fmtNum(x.score, 2)} · ${x.verdict} · ${x.reason}`, 240)],
    emphasis: 'alert',
  };
}

/** Lost first (a change's regressions), then by onset as built. */
export function orderedTimelines(r: Review): IncidentTimeline[] {
  return [...r.timelines.filter((t) => t.lostBy.length), ...r.timelines.filter((t) => !t.lostBy.length)];
}

/** One timeline, folded: the incident's mails and the alerts (the rest are counted, in report.html). */
function timelineMarkdown(t: IncidentTimeline): string[] {
  const out = [`<details><summary>${esc(timelineSummary(t), 600)}</summary>`, ''];
  const kept = t.entries.filter((x) => x.kind === 'alert' || x.ofIncident);
  const rows = kept.slice(0, MD_ENTRIES).map((x) => timelineCells(x, esc).cells);
  out.push(...table(TIMELINE_HEAD, ['l', 'r', 'l', 'l'], rows));
  const left = t.entries.length - Math.min(kept.length, MD_ENTRIES);
  if (left) out.push('', `${fmtInt(left)} more mails and alerts in this window in report.html (the mailbox's other mail among them).`);
  out.push('', '</details>', '');
  return out;
}

function reviewMarkdown(r: Review): string[] {
  const out: string[] = [];
  if (r.falseAlarms.length) {
    out.push('', '### False alarms: what they fell on', '');
    out.push(
      r.dataset.read
        ? 'Per detector, its false alarms grouped by the mail they were raised on (its incident when it was a look-alike or phishing mail, the look-alike whose window it fell in, else its label and type); the biggest groups, each with its earliest alert.'
        : `Per detector, its false alarms by the scorer's classes (the dataset was not read: ${esc(r.dataset.why)}).`,
      '',
    );
    out.push(
      ...table(
        FALSE_ALARM_GROUP_HEAD,
        ['l', 'l', 'r', 'l', 'l', 'l', 'l'],
        r.falseAlarms.map((g) => falseAlarmGroupCells(g, esc)),
      ),
    );
  }
  out.push('', '### Missed and lost takeovers', '');
  if (!r.dataset.read) {
    out.push(`No timelines: they need the dataset these results were scored on (${esc(r.dataset.why)}).`);
    return out;
  }
  if (!r.timelines.length) {
    out.push(r.lanes.length ? 'Every takeover was caught by every detector that raised alerts, and none was lost.' : 'No detector raised alerts.');
    return out;
  }
  out.push(
    `The mails and alerts around each takeover a detector missed or lost, from ${LEAD_IN_HOURS} h before its onset to the end of its scored window, in the owner's time: the incident's own mails and the alerts.`,
    '',
  );
  const shown = orderedTimelines(r).slice(0, MD_TIMELINES);
  for (const t of shown) out.push(...timelineMarkdown(t));
  if (r.timelines.length > shown.length) out.push(`… and ${fmtInt(r.timelines.length - shown.length)} more takeovers (every one is in report.html).`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The comparison

/**
 * The most a comparison's Markdown holds: a pull-request comment holds 65,536 characters, and a
 * step summary 1 MiB; report.md stays under this whatever the gate's size, what changed first.
 */
export const MD_MAX_CHARS = 60_000;

export interface CompareMarkdownOptions {
  /** The timelines of the lost takeovers (buildReview). */
  review?: Review;
  /** The head results the comparison was made of: to count each detector's unchanged misses. */
  head?: BenchResults;
  /** Lists longer than this are folded into a `<details>` block (default 10). */
  foldAfter?: number;
  /** At most this many rows per list, the rest counted (default: 100 shared among the detectors that changed, at least 5 each). */
  maxRows?: number;
  /** The whole report's limit in characters (default MD_MAX_CHARS); past it, it is cut and says so. */
  maxChars?: number;
}

export const METRIC_LABEL: Record<MetricDelta['metric'], string> = {
  recall: 'recall',
  precision: 'precision',
  falseAlarmsPer1000MailboxDays: 'false alarms / 1k md',
  score: 'score',
};

/** Shares are shown in percent and their changes in percentage points. */
function isShare(m: MetricDelta['metric']): boolean {
  return m === 'recall' || m === 'precision';
}

/** Higher is better for every metric but the false-alarm rate. */
function higherIsBetter(m: MetricDelta['metric']): boolean {
  return m !== 'falseAlarmsPer1000MailboxDays';
}

/** The formatted parts of a metric change (plain text). */
export function deltaCells(d: MetricDelta): { baseline: string; head: string; delta: string; interval: string; tolerance: string; verdict: string } {
  const share = isShare(d.metric);
  const digits = d.metric === 'falseAlarmsPer1000MailboxDays' ? 2 : 1;
  const val = (x: number): string => (share ? fmtPct(x, 1) : fmtNum(x, digits));
  const ch = (x: number): string => (share ? fmtSigned(100 * x, 1) : fmtSigned(x, digits));
  const unit = share ? ' pp' : '';
  const better = higherIsBetter(d.metric) ? d.lo > 0 : d.hi < 0;
  return {
    baseline: val(d.baseline),
    head: val(d.head),
    delta: `${ch(d.delta)}${unit}`,
    interval: `[${ch(d.lo)}, ${ch(d.hi)}]${unit}`,
    tolerance: d.tolerance === undefined ? '–' : `${share ? fmtNum(100 * d.tolerance, 1) : fmtNum(d.tolerance, digits)}${unit}`,
    verdict: d.regression ? 'regression' : better ? 'better' : d.delta === 0 ? 'unchanged' : 'within noise',
  };
}

const VERDICT_MARK: Record<string, string> = { regression: '⚠️ regression', better: '✅ better', unchanged: 'unchanged', 'within noise': 'within noise' };

export const INCIDENT_HEAD = ['incident', 'scenario', 'mailbox', 'onset'];
/** A false alarm as the reports list it: emailId is what known-fps.csv names it by. */
export const FALSE_ALARM_HEAD = ['mailbox', 'emailId', 'time', 'fell on', 'reason'];

export type ChangeList = { title: string; note: string; allowed: boolean } & (
  { kind: 'incidents'; items: IncidentRef[] } | { kind: 'falseAlarms'; items: FalseAlarmRef[] }
);

/**
 * What changed between baseline and head, in the order every report lists it. `allowed` lists
 * (false alarms on the known list) are shown when present, never announced as empty.
 */
export function changeLists(d: DetectorComparison): ChangeList[] {
  return [
    { title: 'Takeovers lost', note: 'detected by the baseline, missed by the head', allowed: false, kind: 'incidents', items: d.incidents.lost },
    { title: 'Takeovers gained', note: 'missed by the baseline, detected by the head', allowed: false, kind: 'incidents', items: d.incidents.gained },
    { title: 'New false alarms', note: '', allowed: false, kind: 'falseAlarms', items: d.falseAlarms.new },
    { title: 'New false alarms on the known list', note: 'allowed', allowed: true, kind: 'falseAlarms', items: d.falseAlarms.newKnown },
    { title: 'False alarms removed', note: '', allowed: false, kind: 'falseAlarms', items: d.falseAlarms.removed },
  ];
}

/** The titles of the lists with nothing in them, for one "No ..." line. */
export function emptyChangeTitles(lists: readonly ChangeList[]): string[] {
  return lists.filter((l) => !l.items.length && !l.allowed).map((l) => l.title.toLowerCase());
}

/**
 * A field of a known-fps.csv line shown in a fenced code block: one line, no comma (the file
 * splits on them), no control character and no backtick or tilde (nothing can close the fence).
 */
function csvField(s: string): string {
  return String(s)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029,`~]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The lines of known-fps.csv (`detector,mailbox,emailId,note`) that would accept these new false
 * alarms of a detector, keyed by its label as the gate matches them; the note says what it fell
 * on and when, for the reviewer to replace with why it is acceptable.
 */
export function knownFpLines(label: string, list: readonly FalseAlarmRef[]): string[] {
  return list.map((f) => [label, f.mailbox, f.emailId, `fell on ${f.fellOn} at ${f.at}`].map(csvField).join(','));
}

/** Nothing gained or lost, no false alarm new or removed, no regression, every check passing. */
function isQuiet(d: DetectorComparison): boolean {
  const i = d.incidents;
  const f = d.falseAlarms;
  return (
    !i.gained.length &&
    !i.lost.length &&
    !f.new.length &&
    !f.newKnown.length &&
    !f.removed.length &&
    d.checks.every((c) => c.pass) &&
    !d.deltas.some((x) => x.regression) &&
    d.presence === 'both'
  );
}

/** A file as a report names it: its base name, never the absolute path of the machine that ran it. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

interface ListLimits {
  foldAfter: number;
  maxRows: number;
}

/** A titled list (never empty): a table when short, folded into `<details>` when long, cut after maxRows. */
function foldedTable(title: string, note: string, head: string[], rows: string[][], o: ListLimits, more = 'see compare.json'): string[] {
  const shown = rows.slice(0, o.maxRows);
  const body = table(
    head,
    head.map(() => 'l'),
    shown,
  );
  if (rows.length > shown.length) body.push('', `… and ${fmtInt(rows.length - shown.length)} more (${more}).`);
  if (rows.length <= o.foldAfter) return [`**${title} (${fmtInt(rows.length)})**${note ? `: ${note}` : ''}`, '', ...body, ''];
  return [`<details><summary><b>${title} (${fmtInt(rows.length)})</b>${note ? `: ${note}` : ''}</summary>`, '', ...body, '', '</details>', ''];
}

function incidentRows(list: IncidentRef[]): string[][] {
  return list.map((i) => [esc(i.id), esc(i.scenario), esc(i.mailbox), esc(i.onset)]);
}

function falseAlarmRows(list: FalseAlarmRef[]): string[][] {
  return list.map((f) => [esc(f.mailbox), esc(f.emailId), esc(f.at), esc(f.fellOn), esc(f.reason)]);
}

function speedText(d: DetectorComparison): string {
  const s = d.speed;
  const parts: string[] = [];
  if (s.baseline !== null || s.head !== null)
    parts.push(`replay ${s.baseline === null ? '–' : fmtInt(s.baseline)} → ${s.head === null ? '–' : fmtInt(s.head)} emails/s`);
  if (s.ratio !== null) parts.push(`speed ratio ${fmtNum(s.ratio, 2)}× (head / baseline, each relative to its run's floor)`);
  return parts.join(', ');
}

/** What changed for one detector that changed: its metrics, the lists of what changed (new false alarms with the lines that would accept them), its failed checks. */
function changedSection(d: DetectorComparison, o: ListLimits): string[] {
  const failed = d.checks.filter((c) => !c.pass);
  const presence = d.presence === 'baseline-only' ? ' · only in the baseline' : d.presence === 'head-only' ? ' · new in the head' : '';
  const label = detectorLabel(d);
  const out: string[] = [`### ${failed.length ? '❌' : '✅'} ${esc(label)}`, ''];
  out.push(
    `version ${esc(d.versions.baseline ?? '–')} → ${esc(d.versions.head ?? '–')} · status ${esc(d.status.baseline ?? '–')} → ${esc(d.status.head ?? '–')}${presence}` +
      (speedText(d) ? `  \n${speedText(d)}` : ''),
    '',
  );
  if (d.deltas.some((x) => x.delta !== 0 || x.regression)) {
    out.push(
      ...table(
        ['metric', 'baseline', 'head', 'change', '95% CI', 'tolerance', ''],
        ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
        d.deltas.map((x) => {
          const c = deltaCells(x);
          return [METRIC_LABEL[x.metric] ?? esc(x.metric), c.baseline, c.head, c.delta, c.interval, c.tolerance, VERDICT_MARK[c.verdict] ?? c.verdict];
        }),
      ),
      '',
    );
  }
  const lists = changeLists(d);
  for (const l of lists) {
    if (!l.items.length) continue;
    if (l.kind === 'incidents') {
      out.push(...foldedTable(l.title, l.note, INCIDENT_HEAD, incidentRows(l.items), o));
      continue;
    }
    out.push(...foldedTable(l.title, l.note, FALSE_ALARM_HEAD, falseAlarmRows(l.items), o));
    if (l.items === d.falseAlarms.new) {
      const lines = knownFpLines(label, l.items.slice(0, o.maxRows));
      out.push(
        'To accept them, add these lines to `known-fps.csv` (`detector,mailbox,emailId,note`; write why in the note):',
        '',
        '```csv',
        ...lines,
        '```',
        '',
      );
      if (l.items.length > lines.length)
        out.push(`The other ${fmtInt(l.items.length - lines.length)} are in compare.json (falseAlarms.new, each with its emailId).`, '');
    }
  }
  const none = emptyChangeTitles(lists);
  if (none.length) out.push(`No ${none.join(', no ')}.`, '');
  if (failed.length) {
    const rows = failed.map((c) => [esc(c.name), esc(c.message, 500)]);
    out.push(
      ...foldedTable(
        'Failed checks',
        `${fmtInt(d.checks.length - failed.length)} of ${fmtInt(d.checks.length)} pass`,
        ['check', 'message'],
        rows,
        // Each is a reason the gate failed: shown even where the other lists are cut short.
        { ...o, maxRows: Math.max(o.maxRows, 20) },
        'see junit.xml',
      ),
    );
  }
  return out;
}

/** Per detector, the takeovers its head missed as its baseline did (not lost): the misses that did not change. */
function unchangedMisses(c: CompareResult, head: BenchResults): Array<{ label: string; n: number }> {
  return c.detectors.flatMap((d) => {
    const h = head.detectors.find((x) => x.spec === d.spec);
    if (!h) return [];
    const lost = new Set(d.incidents.lost.map((i) => i.id));
    const n = h.incidents.filter((r) => r.kind === 'ato' && !r.detected && !lost.has(r.id)).length;
    return n ? [{ label: detectorLabel(d), n }] : [];
  });
}

/**
 * Keep a report under `max` characters: whole lines in order, then, when cut, the `<details>` and
 * code fences left open closed and a last line saying where the rest is.
 */
function fitMarkdown(lines: string[], max: number): string {
  const text =
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n';
  if (text.length <= max) return text;
  const note = '\n\n**… cut here to fit a pull-request comment.** The whole comparison is in report.html, compare.json and junit.xml.\n';
  const kept: string[] = [];
  let size = 0;
  let open = 0;
  let fence = false;
  // Room for the closing tags of whatever is open, then the note.
  const closing = (): number => (fence ? 4 : 0) + open * 11;
  for (const raw of text.split('\n')) {
    const line = Array.from(raw).length > 4000 ? truncate(raw, 4000) : raw;
    if (size + line.length + 1 + closing() + 24 + note.length > max) break;
    kept.push(line);
    size += line.length + 1;
    if (line.startsWith('```')) fence = !fence;
    else if (!fence) open += (line.match(/<details\b/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  // A fold opened just before the cut would close on nothing: drop it.
  while (!fence && open > 0 && kept.length && /^(<details\b.*|)$/.test(kept[kept.length - 1]!)) {
    if (kept.pop()!.startsWith('<details')) open--;
  }
  if (fence) kept.push('```');
  while (open-- > 0) kept.push('', '</details>');
  return (kept.join('\n').trimEnd() + note).slice(0, max);
}

/**
 * A comparison as Markdown for a CI step summary or a PR comment, leading with what changed: the
 * PASS / FAIL line with the reasons, one row per detector that changed, then per such detector
 * its metric changes, the takeovers lost and gained, its new false alarms (with their emailId and
 * the known-fps.csv lines that would accept them), the false alarms removed and its failed
 * checks; then the timelines of the lost takeovers, and one line for the misses that did not
 * change (their timelines are in report.html). Passing checks are counted, not listed. Files are
 * named by their base name. The whole stays under `maxChars` (60,000), cut at the end if need be.
 */
export function compareMarkdown(c: CompareResult, options: CompareMarkdownOptions = {}): string {
  const changed = c.detectors.filter((d) => !isQuiet(d));
  const quiet = c.detectors.filter((d) => isQuiet(d));
  const o: ListLimits = {
    foldAfter: options.foldAfter ?? 10,
    maxRows: options.maxRows ?? Math.max(5, Math.floor(100 / Math.max(1, changed.length))),
  };
  const checks = c.detectors.reduce((n, d) => n + d.checks.length, 0);
  const failedChecks = c.detectors.reduce((n, d) => n + d.checks.filter((k) => !k.pass).length, 0);
  const out: string[] = [];
  out.push(`## ${c.pass ? '✅ PASS' : '❌ FAIL'}: ato-bench gate`, '');
  if (!c.pass) {
    const REASONS = 20;
    if (c.reasons.length) for (const r of c.reasons.slice(0, REASONS)) out.push(`- ${esc(r, 300)}`);
    else out.push('- (no reason given)');
    if (c.reasons.length > REASONS) out.push(`- … and ${fmtInt(c.reasons.length - REASONS)} more (see junit.xml)`);
    out.push('');
  }
  out.push(
    `${fmtInt(checks - failedChecks)} of ${fmtInt(checks)} checks pass over ${fmtInt(c.detectors.length)} detector${c.detectors.length === 1 ? '' : 's'} (every check is in junit.xml and report.html).`,
    '',
  );

  const side = (label: string, s: CompareResult['baseline']): string => {
    const commit = shortCommit(s.git);
    return `${label} ${commit ? `${commit} ` : ''}(${esc(fileName(s.file), 120)})`;
  };
  out.push(
    `${side('Baseline', c.baseline)} → ${side('head', c.head)} · dataset seed ${c.dataset.seed}, ${fmtInt(c.dataset.mailboxes)} mailboxes, ` +
      `${fmtInt(c.dataset.mailboxDays)} mailbox-days, ${fmtInt(c.dataset.emails)} emails`,
  );
  if (c.baseline.manifestSha256 !== c.head.manifestSha256) {
    out.push(
      '',
      `> ⚠️ The two results were scored on different datasets (manifest ${esc(c.baseline.manifestSha256.slice(0, 12))}… vs ${esc(c.head.manifestSha256.slice(0, 12))}…).`,
    );
  }
  out.push('');

  const metric = (d: DetectorComparison, m: MetricDelta['metric']): string => {
    const x = d.deltas.find((y) => y.metric === m);
    if (!x) return '–';
    return `${deltaCells(x).delta}${x.regression ? ' ⚠️' : ''}`;
  };
  if (!changed.length) {
    out.push('**Nothing changed**: no takeover gained or lost, no false alarm new or removed, no metric beyond its tolerance, every check passing.', '');
  } else {
    const SUMMARY_ROWS = 50;
    out.push(
      ...table(
        ['detector', 'takeovers +/−', 'new false alarms', 'false alarms removed', 'recall', 'FA/1k md', 'score', 'speed', 'gate'],
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
        changed.slice(0, SUMMARY_ROWS).map((d) => {
          const failed = d.checks.filter((k) => !k.pass).length;
          return [
            esc(detectorLabel(d)) + (d.presence === 'both' ? '' : d.presence === 'head-only' ? ' (new)' : ' (removed)'),
            `+${d.incidents.gained.length} / ${MINUS}${d.incidents.lost.length}`,
            fmtInt(d.falseAlarms.new.length) + (d.falseAlarms.newKnown.length ? ` (+${fmtInt(d.falseAlarms.newKnown.length)} known)` : ''),
            fmtInt(d.falseAlarms.removed.length),
            metric(d, 'recall'),
            metric(d, 'falseAlarmsPer1000MailboxDays'),
            metric(d, 'score'),
            d.speed.ratio === null ? '–' : `${fmtNum(d.speed.ratio, 2)}×`,
            failed ? `❌ ${failed} failed` : '✅',
          ];
        }),
      ),
    );
    if (changed.length > SUMMARY_ROWS) out.push('', `… and ${fmtInt(changed.length - SUMMARY_ROWS)} more detectors that changed (see compare.json).`);
    out.push('');
  }
  if (quiet.length) {
    const names = quiet.map((d) => esc(detectorLabel(d), 80));
    const shown = names.slice(0, 30).join(', ') + (names.length > 30 ? ` and ${fmtInt(names.length - 30)} more` : '');
    out.push(`${changed.length ? 'Unchanged' : 'Detectors'} (nothing gained or lost, every check passing): ${shown}.`, '');
  }
  for (const d of changed) out.push(...changedSection(d, o));

  const review = options.review;
  const lostTimelines = review?.dataset.read ? review.timelines.filter((t) => t.lostBy.length) : [];
  if (lostTimelines.length) {
    out.push('### Timelines of the lost takeovers', '');
    out.push(
      `The mails and alerts around each takeover the change lost, from ${LEAD_IN_HOURS} h before its onset to the end of its scored window, in the owner's time: the incident's own mails and the alerts.`,
      '',
    );
    const shown = lostTimelines.slice(0, MD_TIMELINES);
    for (const t of shown) out.push(...timelineMarkdown(t));
    if (lostTimelines.length > shown.length)
      out.push(`… and ${fmtInt(lostTimelines.length - shown.length)} more lost takeovers (every timeline is in report.html).`, '');
  } else if (c.detectors.some((d) => d.incidents.lost.length) && review && !review.dataset.read) {
    out.push('No timelines of the lost takeovers here: they need the dataset these results were scored on.', '');
  }
  const misses = options.head ? unchangedMisses(c, options.head) : [];
  if (misses.length) {
    const total = misses.reduce((n, m) => n + m.n, 0);
    const each = misses
      .slice(0, 30)
      .map((m) => `${esc(m.label, 80)} ${fmtInt(m.n)}`)
      .join(', ');
    out.push(
      `**Unchanged misses**: ${fmtInt(total)} takeovers missed by the head as by the baseline (${each}${misses.length > 30 ? ', …' : ''}); their timelines, and what every false alarm fell on, are in report.html.`,
    );
  }
  return fitMarkdown(out, options.maxChars ?? MD_MAX_CHARS);
}

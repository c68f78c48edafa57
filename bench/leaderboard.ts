/**
 * The leaderboard: the results as a plain-text table, and per-scenario recall beside it so one
 * sees which variants each detector misses and which look-alikes it flags.
 */
import type { BenchResults, DetectorResult } from './benchmark.js';
import { hasIntervals, isolationLabel, leaderboardHead } from './report/markdown.js';

function pad(s: string, n: number, left = false): string {
  return left ? s.padStart(n) : s.padEnd(n);
}

const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
const num = (x: number, d = 1): string => x.toFixed(d);

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => pad(c, widths[i]!, i > 0)).join('  ');
}

/** Ranked by the normalised score; the oracle (upper bound) ranks too but is marked. */
export function rankDetectors(results: BenchResults): DetectorResult[] {
  const ok = results.detectors.filter((d) => d.metrics);
  const failed = results.detectors.filter((d) => !d.metrics);
  ok.sort((a, b) => b.metrics!.score.value - a.metrics!.score.value || a.id.localeCompare(b.id));
  return [...ok, ...failed];
}

/** Recall over the takeovers that began after the first drift, or '-' when the dataset has none. */
function afterDrift(m: NonNullable<DetectorResult['metrics']>): string {
  const first = m.drift[0];
  return first?.after.incidents ? pct(first.after.recall) : '-';
}

export function formatLeaderboard(results: BenchResults): string {
  const d = results.dataset;
  // Without a bootstrap every interval is its point value: printed, [33%-33%] would read as certainty.
  const intervals = hasIntervals(results);
  const out: string[] = [];
  out.push(
    `dataset ${d.dir}${d.split ? ` (the ${d.split} split${d.split === 'test' ? '' : ': tune here, report on test'})` : ''}\n  seed ${d.seed}, ${d.mailboxes} mailboxes, ${d.mailboxDays} mailbox-days, ${d.emails} emails, ` +
      `${d.incidents.ato ?? 0} takeovers, ${d.incidents.lookalike ?? 0} look-alikes, ${d.incidents.phishing ?? 0} phishing hits`,
  );
  out.push(
    `scoring: profile ${results.scoring.profile.name}, grace ${results.scoring.graceHours} h, ` +
      (intervals ? `95 % intervals from ${results.scoring.bootstrapSamples} mailbox bootstraps` : 'no intervals (--bootstrap 0)'),
  );
  out.push('');
  const head = leaderboardHead(intervals);
  const widths = [26, 18, 11, 6, 9, 8, 13, 10, 17, 10, 16];
  out.push(row(head, widths));
  out.push(
    row(
      widths.map((w) => '-'.repeat(w)),
      widths,
    ),
  );
  for (const r of rankDetectors(results)) {
    const label = r.spec.startsWith(`${r.id}:`) ? r.spec : r.id;
    const name = r.upperBound ? `${label} (upper bound)` : label;
    const speed = r.speed.replayPerSecond ? Math.round(r.speed.replayPerSecond).toString() : '-';
    if (!r.metrics) {
      out.push(row([name, '', '', '', '', '', '', '', '', speed, isolationLabel(r)], widths));
      out.push(`  ${r.status.toUpperCase()}: ${r.error ?? 'no message'}`);
      continue;
    }
    const m = r.metrics;
    const lift = r.randomBaseline?.lift;
    out.push(
      row(
        [
          name,
          pct(m.recall.value) + (intervals ? ` [${pct(m.recall.lo)}-${pct(m.recall.hi)}]` : ''),
          afterDrift(m),
          lift === null || lift === undefined ? '-' : `${num(lift)}x`,
          m.alerts ? pct(m.precision.value) : '-',
          num(m.falseAlarmsPer1000MailboxDays.value, 2),
          m.latencyHours ? `${num(m.latencyHours.p50)}/${num(m.latencyHours.p90)}` : '-',
          m.leadHours ? num(m.leadHours.p50) : '-',
          num(m.score.value) + (intervals ? ` [${num(m.score.lo)}-${num(m.score.hi)}]` : ''),
          speed,
          isolationLabel(r),
        ],
        widths,
      ),
    );
  }
  out.push('');
  out.push(
    `speed: read+parse floor ${Math.round(results.floors.readParsePerSecond)} emails/s` +
      (results.floors.replayPerSecond ? `, replay floor (null detector) ${Math.round(results.floors.replayPerSecond)} emails/s` : ''),
  );
  out.push('lift: recall over a random detector raising as many alerts per mailbox (rate-matched, 5 seeds).');
  out.push("FA/1k md: false alarms per 1,000 mailbox-days; lead: hours before the platform's own notice (positive = earlier).");
  out.push('isolation: the sandbox each detector ran in; offline: alerts scored from a file (ato-bench score), causality not enforced.');
  out.push(
    "after drift: recall over the takeovers that began after the dataset's first template redesign (config drift), '-' without one; before and after each one below.",
  );

  const ranked = rankDetectors(results).filter((r) => r.metrics);
  if (ranked.length) {
    const scenarios = Object.keys(ranked[0]!.metrics!.recallByScenario).sort((a, b) => {
      const ka = ranked[0]!.metrics!.recallByScenario[a]!.kind;
      const kb = ranked[0]!.metrics!.recallByScenario[b]!.kind;
      return ka === kb ? a.localeCompare(b) : ka === 'ato' ? -1 : kb === 'ato' ? 1 : ka.localeCompare(kb);
    });
    out.push('');
    out.push('per scenario: share of incidents with an alert in their window (takeovers: recall; look-alikes and phishing: flagged, lower is better)');
    const w = [36, ...ranked.map((r) => Math.max(8, r.id.length))];
    out.push(row(['scenario (incidents)', ...ranked.map((r) => r.id)], w));
    for (const s of scenarios) {
      const first = ranked[0]!.metrics!.recallByScenario[s]!;
      out.push(row([`${s} (${first.incidents})`, ...ranked.map((r) => pct(r.metrics!.recallByScenario[s]?.share ?? 0))], w));
    }
  }
  const drifts = ranked[0]?.metrics?.drift ?? [];
  for (const [i, d] of drifts.entries()) {
    const first = ranked[0]!.metrics!.drift[i]!;
    out.push('');
    out.push(
      `template drift: ${d.brand} -> ${d.edition} on ${d.on} (${first.before.incidents} takeovers began before, ${first.after.incidents} after): recall and false alarms per 1,000 mailbox-days on each side`,
    );
    const w = [26, 14, 14, 12, 12];
    out.push(row(['detector', 'recall before', 'recall after', 'FA before', 'FA after'], w));
    for (const r of ranked) {
      const s = r.metrics!.drift[i];
      if (!s) continue;
      // A side without takeovers (a window wholly before or after the date) has no recall.
      const rec = (x: typeof s.before): string => (x.incidents ? pct(x.recall) : '-');
      out.push(row([r.id, rec(s.before), rec(s.after), num(s.before.falseAlarmsPer1000MailboxDays, 2), num(s.after.falseAlarmsPer1000MailboxDays, 2)], w));
    }
  }
  for (const r of ranked) {
    if (!r.perRule) continue;
    out.push('');
    out.push(`per rule of ${r.spec}: alerts, first hits on a takeover, later hits, false alarms`);
    const w = [48, 7, 5, 6, 6];
    out.push(row(['rule', 'alerts', 'hits', 'later', 'FA'], w));
    for (const [id, t] of Object.entries(r.perRule)) out.push(row([id, String(t.alerts), String(t.tp), String(t.dup), String(t.fp)], w));
  }
  return out.join('\n');
}

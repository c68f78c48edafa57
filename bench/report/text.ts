/**
 * Plain text for a terminal: what `compare` and `gate` print. Everything from the data passes
 * `escapeTerminal`, the one sanitiser for terminals (as `escapeMarkdown` is for Markdown and
 * `escapeXml` for XML): escape sequences and control characters removed, one line, cut — and
 * nothing escaped for another format, so `->`, `[0.1, 0.2]` or `a | b` print as themselves.
 */
import type { CompareResult } from '../compare-types.js';
import { cleanMessage } from '../protocol.js';

/** Text from the data, safe to print: no escape sequence or control character, one line, at most `max` characters. */
export function escapeTerminal(s: string, max = 300): string {
  return cleanMessage(String(s), max);
}

const t = escapeTerminal;

/** At most this many rows of a list, the rest counted. */
const ROWS = 20;

function capped<T>(list: readonly T[], line: (x: T) => string, indent: string): string[] {
  const out = list.slice(0, ROWS).map(line);
  if (list.length > ROWS) out.push(`${indent}... and ${list.length - ROWS} more (see compare.json)`);
  return out;
}

/**
 * The comparison as the terminal shows it: per detector what it gained and lost, its new false
 * alarms (with the emailId known-fps.csv takes), its metric changes and failed checks; then the
 * verdict, `PASS` or `FAIL` with each reason on a line of its own.
 */
export function compareText(c: CompareResult): string {
  const out: string[] = [];
  for (const d of c.detectors) {
    out.push(`${t(d.spec, 120)} (${t(d.versions.baseline ?? '-', 40)} -> ${t(d.versions.head ?? '-', 40)})`);
    out.push(`  takeovers: ${d.incidents.both.length} both, ${d.incidents.gained.length} gained, ${d.incidents.lost.length} lost`);
    out.push(...capped(d.incidents.lost, (r) => `    lost    ${t(r.id)} ${t(r.scenario)} ${t(r.mailbox)}`, '    '));
    out.push(...capped(d.incidents.gained, (r) => `    gained  ${t(r.id)} ${t(r.scenario)} ${t(r.mailbox)}`, '    '));
    out.push(
      `  false alarms: ${d.falseAlarms.both.length} both, ${d.falseAlarms.new.length} new, ${d.falseAlarms.removed.length} removed, ${d.falseAlarms.newKnown.length} new but known`,
    );
    out.push(...capped(d.falseAlarms.new, (f) => `    new     ${t(f.mailbox)} ${t(f.emailId)} ${t(f.at)} on ${t(f.fellOn)}`, '    '));
    for (const x of d.deltas)
      out.push(
        `  ${x.metric.padEnd(30)} ${x.baseline.toFixed(3)} -> ${x.head.toFixed(3)}  delta ${x.delta >= 0 ? '+' : ''}${x.delta.toFixed(3)} [${x.lo.toFixed(3)}, ${x.hi.toFixed(3)}]${x.regression ? '  REGRESSION' : ''}`,
      );
    if (d.speed.ratio !== null) out.push(`  speed (floor-relative): ${d.speed.ratio.toFixed(2)}x`);
    const failed = d.checks.filter((k) => !k.pass);
    out.push(`  checks: ${d.checks.length - failed.length} of ${d.checks.length} pass`);
    out.push(...capped(failed, (k) => `    FAIL    ${t(k.name, 120)}: ${t(k.message, 500)}`, '    '));
  }
  if (c.pass) out.push('PASS');
  else out.push(`FAIL: ${c.reasons.length} reason${c.reasons.length === 1 ? '' : 's'}`, ...c.reasons.map((r) => `  - ${t(r, 500)}`));
  return out.join('\n');
}

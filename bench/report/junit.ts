/**
 * JUnit XML, the format CI tools read (test tabs, PR annotations): one `<testsuite>` per detector,
 * one `<testcase>` per takeover incident (classname `<detector>.<scenario>`, so tools group them
 * by scenario), and for a comparison one per gate check. A missed takeover is `<skipped>` (a known
 * gap), a takeover the change lost and a failing check are `<failure>`, a detector that did not
 * run is an `<error>`. Everything from the data is XML-escaped, and characters XML 1.0 cannot
 * carry are replaced, so the output always parses.
 */
import type { BenchResults, DetectorResult } from '../benchmark.js';
import type { CompareResult, DetectorComparison, IncidentRef } from '../compare-types.js';
import type { IncidentRow } from '../types.js';
import { detectorLabel } from './markdown.js';

/**
 * Text for XML 1.0 content and double-quoted attributes: the five specials escaped, tabs and line
 * breaks as character references (an attribute keeps them), and the characters XML 1.0 forbids
 * (other C0 controls, lone surrogates, U+FFFE/U+FFFF) replaced with U+FFFD.
 */
export function escapeXml(s: string): string {
  return String(s)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"'\t\n\r]/g, (ch) => XML_ENTITY[ch]!);
}

const XML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error'; message: string; type: string; body: string } | { kind: 'skipped'; message: string };

interface Case {
  classname: string;
  name: string;
  time: number;
  outcome: Outcome;
}

interface Suite {
  name: string;
  time: number;
  properties: Array<[string, string]>;
  cases: Case[];
}

const seconds = (x: number): string => (Number.isFinite(x) && x > 0 ? x.toFixed(3) : '0');

function count(cases: Case[], kind: Outcome['kind']): number {
  return cases.filter((c) => c.outcome.kind === kind).length;
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="${seconds(c.time)}"`;
  const o = c.outcome;
  if (o.kind === 'pass') return `${open}/>`;
  if (o.kind === 'skipped') return `${open}>\n      <skipped message="${escapeXml(o.message)}"/>\n    </testcase>`;
  return `${open}>\n      <${o.kind} message="${escapeXml(o.message)}" type="${escapeXml(o.type)}">${escapeXml(o.body)}</${o.kind}>\n    </testcase>`;
}

function suitesXml(name: string, suites: Suite[]): string {
  const all = suites.flatMap((s) => s.cases);
  const totals = (cases: Case[]): string =>
    `tests="${cases.length}" failures="${count(cases, 'failure')}" errors="${count(cases, 'error')}" skipped="${count(cases, 'skipped')}"`;
  const time = suites.reduce((t, s) => t + s.time, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="${escapeXml(name)}" ${totals(all)} time="${seconds(time)}">`];
  for (const s of suites) {
    out.push(`  <testsuite name="${escapeXml(s.name)}" ${totals(s.cases)} time="${seconds(s.time)}">`);
    if (s.properties.length) {
      out.push('    <properties>');
      for (const [k, v] of s.properties) out.push(`      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`);
      out.push('    </properties>');
    }
    for (const c of s.cases) out.push(caseXml(c));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** Seconds the detector's whole replay took (emails / emails per second). */
function replaySeconds(d: DetectorResult | undefined): number {
  return d && d.speed.replayPerSecond > 0 ? d.speed.emails / d.speed.replayPerSecond : 0;
}

const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

function incidentName(i: { id: string; mailbox: string }): string {
  return `${i.id} (${i.mailbox})`;
}

function describeRow(r: IncidentRow): string {
  return `takeover ${r.id} (scenario ${r.scenario}, mailbox ${r.mailbox}, onset ${iso(r.onset)})`;
}

function runErrorCase(label: string, status: string, error: string | undefined): Case {
  return {
    classname: `${label}.run`,
    name: 'run',
    time: 0,
    outcome: { kind: 'error', type: status, message: `${status}: ${error ?? 'no message'}`, body: error ?? '' },
  };
}

function detectorProperties(d: DetectorResult): Array<[string, string]> {
  const p: Array<[string, string]> = [
    ['spec', d.spec],
    ['version', d.version],
    ['kind', d.kind],
    ['status', d.status],
  ];
  if (d.upperBound) p.push(['upperBound', 'true']);
  if (d.metrics) {
    p.push(['recall', d.metrics.recall.value.toFixed(4)], ['falseAlarmsPer1000MailboxDays', d.metrics.falseAlarmsPer1000MailboxDays.value.toFixed(4)]);
    p.push(['score', d.metrics.score.value.toFixed(2)]);
  }
  return p;
}

/**
 * One test case per takeover of a detector's results: pass when detected, skipped when missed —
 * but a failure when missed where the gate says it must be detected (a scenario of the detector's
 * must-fire data).
 */
function incidentCases(d: DetectorResult, lost: ReadonlyMap<string, IncidentRef> = new Map(), mustFire: ReadonlySet<string> = new Set()): Case[] {
  return d.incidents
    .filter((r) => r.kind === 'ato')
    .map((r): Case => {
      const base = { classname: `${detectorLabel(d)}.${r.scenario}`, name: incidentName(r), time: 0 };
      if (r.detected) return { ...base, outcome: { kind: 'pass' } };
      if (lost.has(r.id)) {
        return {
          ...base,
          outcome: {
            kind: 'failure',
            type: 'lost',
            message: 'lost: detected by the baseline, missed by the head',
            body: `${describeRow(r)} is no longer detected.`,
          },
        };
      }
      if (mustFire.has(r.scenario))
        return {
          ...base,
          outcome: {
            kind: 'failure',
            type: 'must-fire',
            message: `missed, and ${r.scenario} is must-fire for ${detectorLabel(d)}`,
            body: `${describeRow(r)} is not detected, though the gate's must-fire data says every ${r.scenario} must be.`,
          },
        };
      return { ...base, outcome: { kind: 'skipped', message: 'missed' } };
    });
}

/**
 * The results as JUnit XML: per detector, one test case per takeover incident (pass when detected,
 * skipped "missed" otherwise); a detector that failed to run has one `<error>` case instead.
 */
export function benchJUnit(results: BenchResults): string {
  const suites: Suite[] = results.detectors.map((d) => ({
    name: detectorLabel(d),
    time: replaySeconds(d),
    properties: detectorProperties(d),
    cases: d.status === 'ok' ? incidentCases(d) : [runErrorCase(detectorLabel(d), d.status, d.error)],
  }));
  return suitesXml(`ato-bench seed ${results.dataset.seed}`, suites);
}

function lostCase(d: DetectorComparison, i: IncidentRef): Case {
  return {
    classname: `${detectorLabel(d)}.${i.scenario}`,
    name: incidentName(i),
    time: 0,
    outcome: {
      kind: 'failure',
      type: 'lost',
      message: 'lost: detected by the baseline, missed by the head',
      body: `takeover ${i.id} (scenario ${i.scenario}, mailbox ${i.mailbox}, onset ${i.onset}) is no longer detected.`,
    },
  };
}

/**
 * A comparison as JUnit XML: one suite per detector of the comparison with one test case per
 * takeover of the head results (`results`: pass when detected, failure when the comparison lists
 * it as lost, skipped "missed" when missed but not lost) and one per gate check; then a suite
 * `gate` with the overall verdict and its reasons. Without `results`, the takeover cases come
 * from the comparison alone (detected in both, gained, lost).
 */
export function compareJUnit(c: CompareResult, results?: BenchResults): string {
  const suites: Suite[] = c.detectors.map((d) => {
    const label = detectorLabel(d);
    // The comparison names detectors by spec, unique in a results file.
    const head = results?.detectors.find((r) => r.spec === d.spec);
    const lost = new Map(d.incidents.lost.map((i) => [i.id, i]));
    const cases: Case[] = [];
    if (head && head.status !== 'ok') cases.push(runErrorCase(label, head.status, head.error));
    else if (head) {
      // The detector's own must-fire scenarios (fixture checks are named must-fire:<scenario>).
      const mustFire = new Set(d.checks.filter((k) => k.name.startsWith('must-fire:')).map((k) => k.name.slice('must-fire:'.length)));
      cases.push(...incidentCases(head, lost, mustFire));
      // A lost takeover the head rows do not show (results from another run): still a failure.
      const shown = new Set(head.incidents.map((r) => r.id));
      for (const i of d.incidents.lost) if (!shown.has(i.id)) cases.push(lostCase(d, i));
    } else {
      for (const i of [...d.incidents.both, ...d.incidents.gained]) {
        cases.push({ classname: `${label}.${i.scenario}`, name: incidentName(i), time: 0, outcome: { kind: 'pass' } });
      }
      for (const i of d.incidents.lost) cases.push(lostCase(d, i));
    }
    for (const check of d.checks) {
      cases.push({
        classname: `${label}.gate`,
        name: check.name,
        time: 0,
        outcome: check.pass ? { kind: 'pass' } : { kind: 'failure', type: 'gate', message: check.message, body: `${label}: ${check.name}: ${check.message}` },
      });
    }
    const properties: Array<[string, string]> = [
      ['spec', d.spec],
      ['presence', d.presence],
      ['version.baseline', d.versions.baseline ?? ''],
      ['version.head', d.versions.head ?? ''],
    ];
    if (d.speed.ratio !== null) properties.push(['speedRatio', d.speed.ratio.toFixed(3)]);
    return { name: label, time: replaySeconds(head), properties, cases };
  });
  const reasons = c.reasons.length ? c.reasons.join('; ') : 'the gate failed';
  suites.push({
    name: 'gate',
    time: 0,
    properties: [
      ['baseline', c.baseline.file],
      ['head', c.head.file],
    ],
    cases: [
      {
        classname: 'ato-bench.gate',
        name: 'verdict',
        time: 0,
        outcome: c.pass ? { kind: 'pass' } : { kind: 'failure', type: 'gate', message: reasons, body: c.reasons.join('\n') },
      },
    ],
  });
  return suitesXml(`ato-bench compare seed ${c.dataset.seed}`, suites);
}

/**
 * JUnit XML, the format CI tools read (test tabs, PR annotations): one `<testsuite>` per detector,
 * one `<testcase>` per takeover incident (classname `<detector>.<scenario>`, so tools group them
 * by scenario), and for a comparison one per gate check. The counts agree with the verdict: a
 * comparison has exactly one `<failure>` per reason the gate failed (a failed check) and none when
 * it passed; a missed takeover is `<skipped>` with its reason (a known gap, or which failed check
 * counts it). Only a bench run's detector that did not run is an `<error>`. Everything from the
 * data is XML-escaped, and characters XML 1.0 cannot carry are replaced, so the output always
 * parses.
 */
import type { BenchResults, DetectorResult } from '../benchmark.js';
import { basename } from 'node:path';
import type { CompareResult, GateCheck, IncidentRef } from '../compare-types.js';
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

function incidentName(i: { id: string; mailbox: string }): string {
  return `${i.id} (${i.mailbox})`;
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
 * One test case per takeover of a detector's results: pass when detected, skipped when missed,
 * with the reason. A missed takeover is never a failure of its own: what makes the gate fail is a
 * failed check (a lost must-detect incident, a must-fire scenario missed), and that check is the
 * one failure, naming the incidents; `why` says, per missed incident, which check counts it.
 */
function incidentCases(d: DetectorResult, why: (r: IncidentRow) => string = () => 'missed (nothing requires it in a bench run)'): Case[] {
  return d.incidents
    .filter((r) => r.kind === 'ato')
    .map((r): Case => {
      const base = { classname: `${detectorLabel(d)}.${r.scenario}`, name: incidentName(r), time: 0 };
      return r.detected ? { ...base, outcome: { kind: 'pass' } } : { ...base, outcome: { kind: 'skipped', message: why(r) } };
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

/**
 * Why a takeover the head missed is not a failure of its own, as its skip message says: a lost
 * one is counted by the must-detect check (or no must-detect entry covers it), one of a must-fire
 * scenario by that check, any other is a known gap.
 */
function missReason(label: string, i: { id: string; scenario: string }, lost: boolean, checks: readonly GateCheck[]): string {
  const failed = (name: string): boolean => checks.some((k) => k.name === name && !k.pass);
  const mustDetect = checks.find((k) => k.name === 'must-detect');
  if (lost) {
    const counted = mustDetect && !mustDetect.pass && mustDetect.message.includes(i.id);
    return counted
      ? `lost: detected by the baseline, missed by the head; counted once, by the failed check ${label}.gate must-detect`
      : 'lost: detected by the baseline, missed by the head; no must-detect entry of the gate covers it';
  }
  if (failed(`must-fire:${i.scenario}`)) return `missed; counted once, by the failed check ${label}.gate must-fire:${i.scenario}`;
  return 'missed; no check requires it (a known gap)';
}

function checkCase(label: string, check: GateCheck): Case {
  return {
    classname: `${label}.gate`,
    name: check.name,
    time: 0,
    outcome: check.pass ? { kind: 'pass' } : { kind: 'failure', type: 'gate', message: check.message, body: `${label}: ${check.name}: ${check.message}` },
  };
}

/**
 * A comparison as JUnit XML that agrees with the gate's verdict: one `<failure>` per reason the
 * gate gives (each a failed check, its case named after the check), and nothing else failing, so
 * a passing gate writes `failures="0" errors="0"`. One suite per detector of the comparison with
 * one test case per takeover of the head results (`results`: pass when detected, skipped with the
 * reason when missed — a lost one too, since the must-detect check that it fails is the failure)
 * and one per gate check. A detector that did not run has no takeover cases: its failed `ran`
 * check carries the error. Without `results`, the takeover cases come from the comparison alone
 * (detected in both and gained pass, lost skipped). A suite `gate` holds the verdict and the
 * files compared as properties, with no test case of its own (it would count every cause twice).
 */
export function compareJUnit(c: CompareResult, results?: BenchResults): string {
  const suites: Suite[] = c.detectors.map((d) => {
    const label = detectorLabel(d);
    // The comparison names detectors by spec, unique in a results file.
    const head = results?.detectors.find((r) => r.spec === d.spec);
    const lost = new Set(d.incidents.lost.map((i) => i.id));
    const cases: Case[] = [];
    const skip = (i: IncidentRef): Case => ({
      classname: `${label}.${i.scenario}`,
      name: incidentName(i),
      time: 0,
      outcome: { kind: 'skipped', message: missReason(label, i, true, d.checks) },
    });
    if (head && head.status === 'ok') {
      cases.push(...incidentCases(head, (r) => missReason(label, r, lost.has(r.id), d.checks)));
      // A lost takeover the head rows do not show (results from another run).
      const shown = new Set(head.incidents.map((r) => r.id));
      for (const i of d.incidents.lost) if (!shown.has(i.id)) cases.push(skip(i));
    } else if (!head && d.presence !== 'baseline-only') {
      for (const i of [...d.incidents.both, ...d.incidents.gained]) {
        cases.push({ classname: `${label}.${i.scenario}`, name: incidentName(i), time: 0, outcome: { kind: 'pass' } });
      }
      for (const i of d.incidents.lost) cases.push(skip(i));
    }
    for (const check of d.checks) cases.push(checkCase(label, check));
    const properties: Array<[string, string]> = [
      ['spec', d.spec],
      ['presence', d.presence],
      ['version.baseline', d.versions.baseline ?? ''],
      ['version.head', d.versions.head ?? ''],
    ];
    if (head && head.status !== 'ok') properties.push(['status', head.status], ['error', head.error ?? '']);
    if (d.speed.ratio !== null) properties.push(['speedRatio', d.speed.ratio.toFixed(3)]);
    return { name: label, time: replaySeconds(head), properties, cases };
  });
  suites.push({
    name: 'gate',
    time: 0,
    properties: [
      ['verdict', c.pass ? 'PASS' : 'FAIL'],
      ['reasons', String(c.reasons.length)],
      ['baseline', basename(c.baseline.file)],
      ['head', basename(c.head.file)],
    ],
    cases: [],
  });
  return suitesXml(`ato-bench gate: ${c.pass ? 'PASS' : 'FAIL'} (seed ${c.dataset.seed})`, suites);
}

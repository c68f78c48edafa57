/**
 * `gate`: one command for CI. Runs the chosen detectors on the pinned dataset, compares the
 * results with the committed baseline (bench/gate/baseline.json), checks each built-in's
 * must-fire and must-not-fire data (detectors/fixtures.json), writes the reports, and exits
 * 0 (pass), 3 (the gate failed) or 4 (the baseline belongs to another dataset or schema).
 * `--update-baseline` writes the new baseline for review instead of comparing.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve, sep } from 'node:path';
import { writeJsonFile } from './json-file.js';
import { z } from 'zod';
import { formatIssues, loadPreset } from '../generator/config.js';
import { packageRoot } from '../generator/core/paths.js';
import { ensureDataset } from '../datasets/cache.js';
import { detectorById } from '../detectors/registry.js';
import { benchmark, loadTruth, writeResults } from './benchmark.js';
import { loadRules } from '../detectors/rules/load.js';
import type { ScoringIncident } from './types.js';
import type { BenchResults, DetectorResult } from './benchmark.js';
import { CompareUsageError, compareResults, parseGateConfig, parseKnownFps, readResults } from './compare.js';
import type { GateConfig, KnownFalsePositive } from './compare.js';
import type { CompareResult, GateCheck } from './compare-types.js';
import { parseDetectorSpec, specFromLabel } from './contenders.js';
import { writeReports } from './report/write.js';

export function gateDir(): string {
  return join(packageRoot(), 'bench', 'gate');
}

const FixturesSchema = z.record(z.string(), z.union([z.string(), z.object({ mustFire: z.array(z.string()), mustNotFire: z.array(z.string()) }).strict()]));

export type Fixtures = Record<string, { mustFire: string[]; mustNotFire: string[] }>;

export function loadFixtures(path = join(packageRoot(), 'detectors', 'fixtures.json')): Fixtures {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const r = FixturesSchema.safeParse(raw);
  if (!r.success) throw new CompareUsageError(`${path}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const out: Fixtures = {};
  for (const [k, v] of Object.entries(r.data)) if (typeof v !== 'string') out[k] = v;
  return out;
}

/** Built-ins that are baselines or bounds, not detections: they need no must-fire data. */
const UNTESTED_OK = new Set(['null', 'random', 'oracle']);

/**
 * Must-fire and must-not-fire checks of each detector of the head results: every incident of a
 * must-fire scenario has an alert in its window; no incident of a must-not-fire scenario does.
 * A built-in detector with no fixture entry fails (a detection left untested).
 */
export function fixtureChecks(head: BenchResults, fixtures: Fixtures): Map<string, GateCheck[]> {
  const out = new Map<string, GateCheck[]>();
  for (const d of head.detectors) {
    const checks: GateCheck[] = [];
    const builtin = detectorById(d.id) !== undefined && d.spec === d.id;
    // By the label it ran under: a team's rules (rules:dir=...) are not judged by the bundled rules' data.
    const f = fixtures[d.spec];
    if (!f) {
      if (builtin && !UNTESTED_OK.has(d.id))
        checks.push({ name: 'fixtures', pass: false, message: `${d.id} has no must-fire / must-not-fire data in detectors/fixtures.json` });
      out.set(d.spec, checks);
      continue;
    }
    const rows = (scenario: string) => d.incidents.filter((r) => r.scenario === scenario);
    for (const scenario of f.mustFire) {
      const own = rows(scenario);
      const missed = own.filter((r) => !r.detected);
      checks.push({
        name: `must-fire:${scenario}`,
        pass: own.length > 0 && missed.length === 0,
        message:
          own.length === 0
            ? `no ${scenario} incident in the dataset to fire on`
            : missed.length
              ? `missed ${missed.length} of ${own.length} ${scenario}: ${missed.map((r) => r.id).join(', ')}`
              : `fires on all ${own.length} ${scenario}`,
      });
    }
    for (const scenario of f.mustNotFire) {
      const own = rows(scenario);
      const flagged = own.filter((r) => r.detected);
      checks.push({
        name: `must-not-fire:${scenario}`,
        pass: flagged.length === 0,
        message: flagged.length
          ? `fired on ${flagged.length} of ${own.length} ${scenario}: ${flagged.map((r) => r.id).join(', ')}`
          : `quiet on all ${own.length} ${scenario}`,
      });
    }
    out.set(d.spec, checks);
  }
  return out;
}

/**
 * A baseline is reviewed in pull requests, so it holds only what a change of detection changes:
 * the takeover incidents' rows and every alert with its verdict (not the rows of look-alike and
 * phishing incidents), no absolute path, no commit or dirty flag — and no speeds, which change on
 * every run: they go to a file of their own beside it (baseline.speed.json), which the speed
 * check reads when it is there. Changing one rule then changes only the lines of what it gained
 * and lost.
 */
export function compactBaseline(r: BenchResults): { baseline: BenchResults; speeds: BaselineSpeeds } {
  const baseline: BenchResults = {
    ...r,
    git: null,
    dataset: { ...r.dataset, dir: basename(r.dataset.dir) },
    floors: { readParsePerSecond: 0, replayPerSecond: null },
    detectors: r.detectors.map((d) => ({
      ...d,
      speed: { emails: d.speed.emails, replayPerSecond: 0, startupSeconds: 0, maxRssMb: null },
      incidents: d.incidents.filter((i) => i.kind === 'ato'),
    })),
  };
  const speeds: BaselineSpeeds = { floors: r.floors, detectors: Object.fromEntries(r.detectors.map((d) => [d.spec, d.speed])) };
  return { baseline, speeds };
}

export interface BaselineSpeeds {
  floors: BenchResults['floors'];
  detectors: Record<string, DetectorResult['speed']>;
}

/** Where a baseline's speeds are kept: beside it. */
export function speedsPath(baselinePath: string): string {
  return baselinePath.replace(/(\.json)?$/, '.speed.json');
}

/** Read a baseline, with its speeds put back when their file is there. */
export function readBaseline(path: string): BenchResults {
  const baseline = readResults(path, 'baseline');
  const sp = speedsPath(path);
  if (!existsSync(sp)) return baseline;
  let speeds: BaselineSpeeds;
  try {
    speeds = JSON.parse(readFileSync(sp, 'utf8')) as BaselineSpeeds;
  } catch (e) {
    throw new CompareUsageError(`cannot read the baseline's speeds ${sp}: ${(e as Error).message}`);
  }
  return {
    ...baseline,
    floors: speeds.floors ?? baseline.floors,
    detectors: baseline.detectors.map((d) => ({ ...d, speed: speeds.detectors?.[d.spec] ?? d.speed })),
  };
}

/**
 * The `tests:` blocks of the rules of each `rules` detector of the head, as Sigma and contentctl
 * test a rule on its attack data: a rule must alert in the window (onset to end plus the grace) of
 * at least one incident of each must-fire scenario, and of none of each must-not-fire scenario.
 * Whether every incident is caught is the detector's business (its must-fire data and the
 * baseline's must-detect list), since rules of a group take turns.
 */
export async function ruleTestChecks(head: BenchResults, dataDir: string): Promise<Map<string, GateCheck[]>> {
  const out = new Map<string, GateCheck[]>();
  const ruleRows = head.detectors.filter((d) => d.id === 'rules' && d.status === 'ok');
  if (!ruleRows.length) return out;
  const truth = await loadTruth(dataDir);
  const grace = head.scoring.graceHours * 3600;
  for (const d of ruleRows) {
    const spec = parseDetectorSpec(d.spec) as { params: Record<string, string> };
    const rules = loadRules({ ...(spec.params.dir ? { dir: spec.params.dir } : {}), ...(spec.params.sets ? { sets: spec.params.sets.split('+') } : {}) });
    const checks: GateCheck[] = [];
    for (const rule of rules) {
      if (!rule.tests) continue;
      const fired = (inc: ScoringIncident): boolean =>
        d.alerts.some((a) => a.rule === rule.id && a.mailbox === inc.mailbox && a.at >= inc.onset && a.at <= inc.end + grace);
      for (const [must, scenarios] of [
        ['must-fire', rule.tests.mustFire],
        ['must-not-fire', rule.tests.mustNotFire],
      ] as const) {
        for (const scenario of scenarios) {
          const own = truth.incidents.filter((i) => i.scenario === scenario);
          const hit = own.filter(fired);
          // A scenario the dataset does not hold cannot be checked here: not a failure, and said so.
          const pass = own.length === 0 || (must === 'must-fire' ? hit.length > 0 : hit.length === 0);
          checks.push({
            name: `${rule.id} ${must}:${scenario}`,
            pass,
            message:
              own.length === 0
                ? `${rule.id}: not checked, no ${scenario} incident in this dataset`
                : must === 'must-fire'
                  ? `${rule.id}: fires on ${hit.length} of ${own.length} ${scenario}${pass ? '' : ` (${own.map((i) => i.id).join(', ')})`}`
                  : `${rule.id}: ${pass ? 'quiet on' : `fired on ${hit.length} of`} ${own.length} ${scenario}${pass ? '' : `: ${hit.map((i) => i.id).join(', ')}`}`,
          });
        }
      }
    }
    out.set(d.spec, checks);
  }
  return out;
}

export interface GateOptions {
  /** A dataset directory; default: the pinned dataset (the gate config's preset, generated once into the dataset cache). */
  dataDir?: string;
  /** The dataset cache folder (default: datasets/cache.ts's datasetCacheRoot order). */
  cacheDir?: string;
  /** Detectors (spec labels) to run; default: the gate config's list. */
  detectors?: string[];
  baseline?: string;
  config?: string;
  knownFps?: string;
  /** Must-fire and must-not-fire data per detector label (default detectors/fixtures.json). */
  fixtures?: string;
  updateBaseline?: boolean;
  /** Folder for the reports (results.json, compare.json, report.md, junit.xml, report.html). */
  outDir?: string;
  onEvent?: (message: string) => void;
}

export interface GateOutcome {
  exitCode: 0 | 3;
  head: BenchResults;
  compare: CompareResult | null;
  seconds: number;
  reports: string[];
}

const GateFileSchema = z.object({ preset: z.string().default('default'), detectors: z.array(z.string()).min(1) }).passthrough();

export async function runGate(opts: GateOptions): Promise<GateOutcome> {
  const started = process.hrtime.bigint();
  const say = opts.onEvent ?? (() => {});
  const configPath = resolve(opts.config ?? join(gateDir(), 'gate.json'));
  if (!existsSync(configPath)) throw new CompareUsageError(`gate config not found: ${configPath}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (e) {
    throw new CompareUsageError(`${configPath} is not valid JSON: ${(e as Error).message}`);
  }
  const parsedFile = GateFileSchema.safeParse(raw);
  if (!parsedFile.success) throw new CompareUsageError(`invalid gate config ${configPath}:\n  ${formatIssues(parsedFile.error, raw).join('\n  ')}`);
  const file = parsedFile.data;
  const { preset, ...gateRaw } = file;
  const gate: GateConfig = parseGateConfig(gateRaw, configPath);
  const labels = opts.detectors ?? gate.detectors ?? file.detectors;
  const specs = labels.map((l) => specFromLabel(l));
  const knownPath = resolve(opts.knownFps ?? join(gateDir(), 'known-fps.csv'));
  const known: KnownFalsePositive[] = existsSync(knownPath) ? parseKnownFps(readFileSync(knownPath, 'utf8'), knownPath) : [];
  const baselinePath = resolve(opts.baseline ?? join(gateDir(), 'baseline.json'));
  // From an installed package the defaults are the package's own files: reading its gate config
  // is fine, writing its baseline would edit node_modules (lost at the next install, never reviewed).
  if (opts.updateBaseline && baselinePath.split(sep).includes('node_modules'))
    throw new CompareUsageError(`--update-baseline would write ${baselinePath}, inside node_modules: give --baseline FILE in your repository`);
  if (!opts.updateBaseline && !existsSync(baselinePath))
    throw new CompareUsageError(`baseline not found: ${baselinePath} (create it with ato-bench gate --update-baseline)`);
  const dataDir = opts.dataDir ?? (await ensureDataset(preset, loadPreset(preset), { cacheDir: opts.cacheDir, log: say }));

  say(`running ${labels.join(', ')} on ${dataDir}`);
  const head = await benchmark({ dataDir, detectors: specs, bootstrapSamples: gate.bootstrapSamples, onEvent: say });
  const reports: string[] = [];
  if (opts.updateBaseline) {
    const { baseline, speeds } = compactBaseline(head);
    writeResults(baselinePath, baseline);
    writeJsonFile(speedsPath(baselinePath), speeds);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { exitCode: 0, head, compare: null, seconds, reports: [baselinePath, speedsPath(baselinePath)] };
  }
  const baseline = readBaseline(baselinePath);
  const compare = compareResults(baseline, head, {
    gate: { ...gate, detectors: labels },
    knownFps: known,
    files: { baseline: baselinePath, head: opts.outDir ? join(opts.outDir, 'results.json') : '(not written)' },
  });
  // Must-fire / must-not-fire data are absolute checks on the head: the fixtures file's, and the
  // rules' own (the tests: block of each rule file).
  const fixtures = fixtureChecks(head, loadFixtures(opts.fixtures ? resolve(opts.fixtures) : undefined));
  for (const [spec, checks] of await ruleTestChecks(head, dataDir)) fixtures.set(spec, [...(fixtures.get(spec) ?? []), ...checks]);
  for (const d of compare.detectors) {
    const extra = fixtures.get(d.spec) ?? [];
    for (const c of extra) {
      d.checks.push(c);
      if (!c.pass) compare.reasons.push(`${d.id}: ${c.message}`);
    }
  }
  compare.pass = compare.reasons.length === 0;
  if (opts.outDir) {
    mkdirSync(opts.outDir, { recursive: true });
    reports.push(...(await writeReports(opts.outDir, head, compare, { dataDir })));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { exitCode: compare.pass ? 0 : 3, head, compare, seconds, reports };
}

/**
 * ato-bench's programmatic API: what the CLI does, as functions (the CLI, scripts/cli.ts, is a
 * thin shell over them), and the types of the detector contract and of the results.
 *
 * @example
 * import { generate, bench, loadPreset } from 'ato-bench';
 * const { dir } = await generate({ config: loadPreset('tiny'), out: 'out/tiny' });
 * const results = await bench({ dataDir: dir, detectors: [{ builtin: 'rules', params: {} }, { external: './my-detector.js' }] });
 * results.detectors.map((d) => [d.id, d.metrics?.recall.value]);
 */
import { join, resolve } from 'node:path';
import { FILES } from '../datasets/format.js';
import type { EmailRecord, IncidentRecord, LabelRecord, Manifest } from '../datasets/format.js';
import { readJsonl, readManifest } from '../datasets/read.js';
import { scoreRuns } from '../bench/benchmark.js';
import type { BenchOptions, BenchResults } from '../bench/benchmark.js';
import { readOfflineRun } from '../bench/offline.js';
import { compareResults, parseGateConfig } from '../bench/compare.js';
import type { KnownFalsePositive } from '../bench/compare.js';
import type { CompareResult } from '../bench/compare-types.js';
import type { OfflineOptions } from '../bench/offline.js';

export * from '../generator/index.js';
export { defineDetector } from './detector.js';
export type { Alert, Detector, DetectorContext, DetectorInstance, DetectorKind, DetectorOutput } from './detector.js';

export { generateDataset as generate } from '../generator/pipeline/generate.js';
export { benchmark as bench, writeResults, RESULTS_SCHEMA_VERSION } from '../bench/benchmark.js';
export type { BenchOptions, BenchResults, DetectorResult } from '../bench/benchmark.js';
export { readResults } from '../bench/compare.js';
export type { GateConfig, KnownFalsePositive } from '../bench/compare.js';
export type { CompareResult } from '../bench/compare-types.js';
export type { DetectorSpec } from '../bench/contenders.js';
export type { Metrics, IncidentRow, StampedAlert, Interval, RecallPoint } from '../bench/types.js';
export { writeReports } from '../bench/report/write.js';
export { buildReview } from '../bench/report/review.js';
export type { Review, IncidentTimeline, TimelineEntry, FalseAlarmGroup } from '../bench/report/review.js';
export { PROTOCOL_VERSION } from '../bench/protocol.js';
export { builtinDetectors, registerDetector } from '../detectors/registry.js';

/** Score alerts computed elsewhere (one `{emailId, score, reason, evidence?}` per line), as `ato-bench score`. */
export async function score(opts: OfflineOptions & Pick<BenchOptions, 'profile' | 'graceHours' | 'bootstrapSamples'>): Promise<BenchResults> {
  const run = await readOfflineRun(opts);
  return scoreRuns(resolve(opts.dataDir), run, opts);
}

/**
 * What a change did between two results of the same dataset, as `ato-bench compare`: gained and
 * lost incidents, new false alarms, metric deltas with paired-bootstrap intervals, PASS or FAIL.
 * `gate` is a gate config as in bench/gate/gate.json (defaults when left out).
 */
export function compare(baseline: BenchResults, head: BenchResults, opts: { gate?: unknown; knownFps?: readonly KnownFalsePositive[] } = {}): CompareResult {
  const gate = parseGateConfig(opts.gate ?? {}, '(gate config)');
  return compareResults(baseline, head, { gate, knownFps: opts.knownFps ?? [], files: { baseline: '(baseline)', head: '(head)' } });
}

/** A dataset, read lazily: its manifest, and its emails and truth as streams of records. */
export function readDataset(dir: string): {
  manifest: Manifest;
  emails(): AsyncGenerator<EmailRecord>;
  labels(): AsyncGenerator<LabelRecord>;
  incidents(): AsyncGenerator<IncidentRecord>;
} {
  const manifest = readManifest(dir);
  async function* values<T>(file: string): AsyncGenerator<T> {
    for await (const { value } of readJsonl<T>(join(dir, file))) yield value;
  }
  return {
    manifest,
    emails: () => values<EmailRecord>(FILES.emails),
    labels: () => values<LabelRecord>(FILES.labels),
    incidents: () => values<IncidentRecord>(FILES.incidents),
  };
}

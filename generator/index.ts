/**
 * ato-bench's public API. The CLI (scripts/cli.ts) is a thin shell over these functions.
 *
 * @example
 * import { loadPreset, generateDataset, verifyDataset } from 'ato-bench';
 * const { dir } = await generateDataset({ config: loadPreset('tiny'), out: 'out/tiny' });
 * (await verifyDataset(dir)).ok; // true
 */
export { ConfigSchema, ConfigError, loadConfigFile, loadPreset, parseConfig, presetNames } from './config.js';
export type { Config, ConfigInput } from './config.js';
export { generateDataset, generateShard, configHash, OutputExistsError } from './pipeline/generate.js';
export type { Format, GenerateOptions, GenerateResult, ShardResult } from './pipeline/generate.js';
export { assembleDataset } from './pipeline/assemble.js';
export { exportDataset } from './pipeline/export.js';
export type { ExportResult } from './pipeline/export.js';
export type { MachineShard } from './pipeline/shard.js';
export { buildWorld } from './world/world.js';
export type { World } from './world/world.js';
export { loadScenarios, checkScenarios, ScenarioError } from './scenarios/load.js';
export { PlanError, planWorld } from './scenarios/plan.js';
export type { Plan } from './scenarios/plan.js';
export type { Scenario } from './scenarios/schema.js';
export { Stream } from './core/rng.js';
export { DATASET_FORMAT_VERSION, FILES, EmailRecordSchema, LabelRecordSchema, IncidentRecordSchema } from '../datasets/format.js';
export type { EmailRecord, LabelRecord, IncidentRecord, Manifest, ShardManifest } from '../datasets/format.js';
export { readJsonl, readManifest, DatasetError } from '../datasets/read.js';
export { verifyDataset } from '../datasets/verify.js';
export { inspectDataset } from '../datasets/inspect.js';

/**
 * Which machine shard a run generates: `--shard I/N`, or `--shards N --shard-from-env`, where the
 * index comes from the engine that runs the job array.
 */
import { AtoBenchError, EXIT } from '../core/errors.js';
import type { MachineShard } from './shard.js';

/** The variables job-array engines set to a task's index (from 0, in the arrays the docs show). */
export const SHARD_INDEX_VARIABLES: ReadonlyArray<{ variable: string; engine: string }> = [
  { variable: 'JOB_COMPLETION_INDEX', engine: 'a Kubernetes Indexed Job' },
  { variable: 'SLURM_ARRAY_TASK_ID', engine: 'a Slurm job array' },
  { variable: 'AWS_BATCH_JOB_ARRAY_INDEX', engine: 'an AWS Batch array job' },
];

function usage(message: string): AtoBenchError {
  return new AtoBenchError(message, EXIT.usage);
}

function check(index: number, count: number, what: string): MachineShard {
  if (!Number.isSafeInteger(count) || count < 2) throw usage(`${what}: a dataset is split into N >= 2 shards (got ${count})`);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) throw usage(`${what}: shard index ${index} is not in 0..${count - 1}`);
  return { index, count };
}

/** `I/N`, e.g. `0/3`. */
export function parseShard(v: string): MachineShard {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  if (!m) throw usage(`--shard must be I/N, shard I of N counted from 0 (e.g. 0/3; got "${v}")`);
  return check(Number(m[1]), Number(m[2]), '--shard');
}

/** The index from the first engine variable that is set; which one it was, for the log. */
export function shardFromEnv(env: NodeJS.ProcessEnv, count: number): MachineShard & { variable: string } {
  const set = SHARD_INDEX_VARIABLES.filter((v) => env[v.variable] !== undefined && env[v.variable] !== '');
  if (set.length === 0)
    throw usage(
      `--shard-from-env: none of ${SHARD_INDEX_VARIABLES.map((v) => v.variable).join(', ')} is set (run it as a task of a job array, or give --shard I/N)`,
    );
  const values = new Set(set.map((v) => env[v.variable]));
  if (values.size > 1) throw usage(`--shard-from-env: ${set.map((v) => `${v.variable}=${env[v.variable]}`).join(' and ')} disagree`);
  const { variable } = set[0]!;
  const raw = env[variable]!;
  if (!/^\d+$/.test(raw)) throw usage(`--shard-from-env: ${variable} is "${raw.slice(0, 40)}", not a task index`);
  return { ...check(Number(raw), count, `--shard-from-env (${variable})`), variable };
}

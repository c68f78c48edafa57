/**
 * Datasets the scripts need, cached under datasets/out/<preset>-v<format>-<config hash>/:
 * a changed config or dataset format gets a new directory, never a stale one, and a cached
 * dataset is reused only once its files match its manifest (hashes and sizes; the records of a
 * dataset this machine generated need no second reading, which at 1 M emails took 71 s).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../generator/config.js';
import { packageRoot } from '../generator/core/paths.js';
import { configHash, generateDataset } from '../generator/pipeline/generate.js';
import { DATASET_FORMAT_VERSION } from './format.js';
import { verifyDataset } from './verify.js';

export async function ensureDataset(name: string, config: Config, log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<string> {
  const dir = join(packageRoot(), 'datasets', 'out', `${name}-v${DATASET_FORMAT_VERSION}-${configHash(config).slice(0, 12)}`);
  if (existsSync(join(dir, 'manifest.json'))) {
    const v = await verifyDataset(dir, { filesOnly: true });
    if (v.ok) {
      log(`reusing ${dir} (its files match its manifest)`);
      return dir;
    }
    log(`cached dataset does not verify (${v.problems[0]}); regenerating`);
  }
  const workers = Math.max(1, Math.min(2, availableParallelism()));
  let last = -1;
  const started = process.hrtime.bigint();
  await generateDataset({
    config,
    out: dir,
    workers,
    force: true,
    onProgress: ({ day, days, emails }) => {
      const tenth = Math.floor((10 * day) / days);
      if (tenth !== last) {
        last = tenth;
        log(`  generating: day ${day}/${days}, ${emails} emails`);
      }
    },
  });
  log(`generated ${dir} in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s with ${workers} workers`);
  return dir;
}

/**
 * Datasets the scripts and the gate need, generated once and cached in the dataset cache:
 * <cache>/<name>-<ato-bench version>-v<format>-<config hash>/. A changed config, dataset format
 * or ato-bench version gets a new directory, never a stale one, and a cached dataset is reused
 * only once its files match its manifest (hashes and sizes; the records of a dataset this machine
 * generated need no second reading, which at 1 M emails took 71 s).
 *
 * The cache lives outside the package: an installed package sits in node_modules, every folder
 * of which the detectors are granted to read, so a dataset cached there could not be benched
 * (bench/contenders.ts refuses a detector that may read the dataset). A user cache folder is
 * also what CI caches between runs (actions/cache).
 */
import { existsSync, realpathSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { Config } from '../generator/config.js';
import { AtoBenchError, EXIT } from '../generator/core/errors.js';
import { packageRoot } from '../generator/core/paths.js';
import { configHash, generateDataset, generatorVersion } from '../generator/pipeline/generate.js';
import { DATASET_FORMAT_VERSION } from './format.js';
import { verifyDataset } from './verify.js';

/** The environment variable that sets the dataset cache folder (below --cache-dir, above the user cache folder). */
export const CACHE_DIR_VARIABLE = 'ATO_BENCH_CACHE_DIR';

export interface CacheRoot {
  dir: string;
  /** Where the folder came from, as printed: `--cache-dir`, `ATO_BENCH_CACHE_DIR`, `XDG_CACHE_HOME` or `~/.cache`. */
  from: string;
}

/**
 * The dataset cache folder: `--cache-dir` > $ATO_BENCH_CACHE_DIR > $XDG_CACHE_HOME/ato-bench >
 * ~/.cache/ato-bench (relative paths from the working folder). Refused (exit 2) inside a
 * node_modules folder or the package's dist/: detectors may read those.
 *
 * @example datasetCacheRoot({ env: { XDG_CACHE_HOME: '/tmp/c' } }) // { dir: '/tmp/c/ato-bench', from: 'XDG_CACHE_HOME' }
 */
export function datasetCacheRoot(opts: { cacheDir?: string | undefined; env?: NodeJS.ProcessEnv; home?: string } = {}): CacheRoot {
  const { cacheDir, env = process.env, home = homedir() } = opts;
  const xdg = env.XDG_CACHE_HOME;
  const root: CacheRoot = cacheDir
    ? { dir: resolve(cacheDir), from: '--cache-dir' }
    : env[CACHE_DIR_VARIABLE]
      ? { dir: resolve(env[CACHE_DIR_VARIABLE]), from: CACHE_DIR_VARIABLE }
      : // The XDG base directory spec: a relative $XDG_CACHE_HOME is invalid and to be ignored.
        xdg && isAbsolute(xdg)
        ? { dir: join(xdg, 'ato-bench'), from: 'XDG_CACHE_HOME' }
        : { dir: join(home, '.cache', 'ato-bench'), from: '~/.cache' };
  refuseReadableByDetectors(root);
  return root;
}

/** The real path of a folder that may not exist yet: its nearest existing ancestor's, resolved, and the rest. */
function realish(path: string): string {
  let d = path;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return join(realpathSync(d), path.slice(d.length));
}

function refuseReadableByDetectors({ dir, from }: CacheRoot): void {
  const real = realish(dir);
  const dist = realish(join(packageRoot(), 'dist'));
  const why = real.split(sep).includes('node_modules')
    ? 'is inside a node_modules folder'
    : real === dist || real.startsWith(dist + sep)
      ? "is inside ato-bench's dist/"
      : null;
  if (why)
    throw new AtoBenchError(
      `the dataset cache ${dir} (from ${from}) ${why}, which every detector may read: choose a folder outside it with --cache-dir DIR or ${CACHE_DIR_VARIABLE}`,
      EXIT.usage,
    );
}

const announced = new Set<string>();

export interface EnsureDatasetOptions {
  /** The cache folder (--cache-dir); default: datasetCacheRoot's order. */
  cacheDir?: string | undefined;
  /** Progress and the cache folder, once per process (default: stderr). */
  log?: (line: string) => void;
}

/** The cached dataset of this name and config, generated when missing or when it does not verify; returns its folder. */
export async function ensureDataset(name: string, config: Config, opts: EnsureDatasetOptions = {}): Promise<string> {
  const { cacheDir, log = (s) => process.stderr.write(s + '\n') } = opts;
  const root = datasetCacheRoot({ cacheDir });
  if (!announced.has(root.dir)) {
    announced.add(root.dir);
    log(`dataset cache: ${root.dir} (from ${root.from}; set it with --cache-dir DIR or ${CACHE_DIR_VARIABLE})`);
  }
  const dir = join(root.dir, `${name}-${generatorVersion()}-v${DATASET_FORMAT_VERSION}-${configHash(config).slice(0, 12)}`);
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

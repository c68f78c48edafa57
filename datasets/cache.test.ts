/**
 * The dataset cache: where it lives (flag > ATO_BENCH_CACHE_DIR > XDG_CACHE_HOME > ~/.cache),
 * that it refuses a folder every detector may read, and that it says once which folder it uses.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../generator/config.js';
import { AtoBenchError } from '../generator/core/errors.js';
import { packageRoot } from '../generator/core/paths.js';
import { generatorVersion } from '../generator/pipeline/generate.js';
import { tempDir } from '../generator/testing/test-helpers.js';
import { datasetCacheRoot, ensureDataset } from './cache.js';
import { DATASET_FORMAT_VERSION } from './format.js';

describe('datasetCacheRoot', () => {
  const home = '/home/someone';
  it('takes --cache-dir first, then ATO_BENCH_CACHE_DIR, then $XDG_CACHE_HOME/ato-bench, then ~/.cache/ato-bench', () => {
    const env = { ATO_BENCH_CACHE_DIR: '/var/cache/env', XDG_CACHE_HOME: '/var/cache/xdg' };
    expect(datasetCacheRoot({ cacheDir: 'rel/cache', env, home })).toEqual({ dir: resolve('rel/cache'), from: '--cache-dir' });
    expect(datasetCacheRoot({ env, home })).toEqual({ dir: '/var/cache/env', from: 'ATO_BENCH_CACHE_DIR' });
    expect(datasetCacheRoot({ env: { XDG_CACHE_HOME: '/var/cache/xdg' }, home })).toEqual({ dir: '/var/cache/xdg/ato-bench', from: 'XDG_CACHE_HOME' });
    expect(datasetCacheRoot({ env: {}, home })).toEqual({ dir: '/home/someone/.cache/ato-bench', from: '~/.cache' });
  });

  it('ignores an empty variable and a relative XDG_CACHE_HOME (the XDG spec calls it invalid)', () => {
    expect(datasetCacheRoot({ env: { ATO_BENCH_CACHE_DIR: '', XDG_CACHE_HOME: 'cache' }, home }).dir).toBe('/home/someone/.cache/ato-bench');
  });

  it('refuses, exit 2, a folder inside node_modules or ato-bench’s dist/, also through a link: detectors may read those', () => {
    const t = tempDir();
    mkdirSync(join(t, 'node_modules', 'ato-bench'), { recursive: true });
    symlinkSync(join(t, 'node_modules'), join(t, 'nm-link'));
    const refusal = (cacheDir: string): AtoBenchError => {
      try {
        datasetCacheRoot({ cacheDir, env: {}, home });
      } catch (e) {
        return e as AtoBenchError;
      }
      throw new Error(`${cacheDir} was accepted`);
    };
    for (const dir of [join(t, 'node_modules', 'ato-bench', 'datasets', 'out'), join(t, 'nm-link', '.cache', 'ato-bench')]) {
      const e = refusal(dir);
      expect(e).toBeInstanceOf(AtoBenchError);
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(
        `the dataset cache ${dir} (from --cache-dir) is inside a node_modules folder, which every detector may read: choose a folder outside it with --cache-dir DIR or ATO_BENCH_CACHE_DIR`,
      );
    }
    expect(refusal(join(packageRoot(), 'dist', 'cache')).message).toMatch(/is inside ato-bench's dist\/, which every detector may read/);
    expect(datasetCacheRoot({ cacheDir: join(t, 'cache'), env: {}, home }).dir).toBe(join(t, 'cache'));
  });
});

describe('ensureDataset', () => {
  it('generates into the cache folder under the version, format and config, says the folder once, and reuses what verifies', async () => {
    const cache = join(tempDir(), 'cache');
    const config = loadPreset('tiny');
    const lines: string[] = [];
    const log = (s: string) => lines.push(s);
    const dir = await ensureDataset('tiny', config, { cacheDir: cache, log });
    expect(readdirSync(cache)).toEqual([dir.slice(cache.length + 1)]);
    expect(dir.slice(cache.length + 1)).toMatch(new RegExp(`^tiny-${generatorVersion().replace(/\./g, '\\.')}-v${DATASET_FORMAT_VERSION}-[0-9a-f]{12}$`));
    expect((JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { generator: { version: string } }).generator.version).toBe(generatorVersion());
    expect(lines[0]).toBe(`dataset cache: ${cache} (from --cache-dir; set it with --cache-dir DIR or ATO_BENCH_CACHE_DIR)`);
    expect(lines.at(-1)).toMatch(new RegExp(`^generated ${dir} in `));

    lines.length = 0;
    expect(await ensureDataset('tiny', config, { cacheDir: cache, log })).toBe(dir);
    expect(lines).toEqual([`reusing ${dir} (its files match its manifest)`]);
  });
});

/** `npm start` and the bench scripts take the dataset cache from --cache-dir, say which folder they use, and refuse one detectors may read. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../generator/testing/test-helpers.js';

const script = (name: string, args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', `${name}.js`), ...args], { encoding: 'utf8', timeout: 240_000 });

describe('npm start', () => {
  it('generates into --cache-dir, says so, and writes the results where --out says', () => {
    const t = tempDir();
    const cache = join(t, 'cache');
    const r = script('main', ['tiny', '--cache-dir', cache, '--out', join(t, 'results.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`dataset cache: ${cache} (from --cache-dir; set it with --cache-dir DIR or ATO_BENCH_CACHE_DIR)`);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^tiny-[\d.]+-v\d+-[0-9a-f]{12}$/)]);
    expect(r.stdout).toContain(`results: ${join(t, 'results.json')}`);
    expect((JSON.parse(readFileSync(join(t, 'results.json'), 'utf8')) as { detectors: unknown[] }).detectors.length).toBeGreaterThan(0);
  });

  it('npm start and bench:seeds refuse a cache inside node_modules, exit 2 and one line, before generating', () => {
    const t = tempDir();
    const cache = join(t, 'node_modules', 'ato-bench', 'datasets', 'out');
    for (const [name, args] of [
      ['main', ['tiny', '--cache-dir', cache]],
      ['bench-seeds', ['--preset', 'tiny', '--seeds', '1', '--cache-dir', cache]],
    ] as const) {
      const r = script(name, [...args]);
      expect(r.status, name).toBe(2);
      expect(r.stderr.trim().split('\n').at(-1)).toBe(
        `ato-bench: the dataset cache ${cache} (from --cache-dir) is inside a node_modules folder, which every detector may read: choose a folder outside it with --cache-dir DIR or ATO_BENCH_CACHE_DIR`,
      );
    }
    expect(existsSync(join(t, 'node_modules'))).toBe(false);
  });
});

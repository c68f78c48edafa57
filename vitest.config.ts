import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests run in a shuffled order so that none depends on another; the seed is printed so a
// failing order can be replayed: VITEST_SEED=<seed> npm test.
const seed = Number(process.env.VITEST_SEED ?? Math.floor(Date.now() % 1_000_000_000));
console.log(`vitest: shuffled with seed ${seed} (replay: VITEST_SEED=${seed} npm test)`);

// The tests that need a cached dataset (the gate's pinned one) share one cache, the clone's
// git-ignored datasets/out, rather than the user's ~/.cache: the suite depends on no home folder,
// and CI's clean clone and a developer's repeated runs reuse it. A test of the default location
// sets XDG_CACHE_HOME and clears this variable for the process it starts.
const cacheDir = process.env.ATO_BENCH_CACHE_DIR ?? fileURLToPath(new URL('./datasets/out', import.meta.url));

export default defineConfig({
  test: {
    env: { ATO_BENCH_CACHE_DIR: cacheDir },
    include: ['{api,charts,generator,datasets,detectors,bench,scripts,examples,deploy}/**/*.test.ts'],
    sequence: { shuffle: true, seed },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

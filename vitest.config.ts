import { defineConfig } from 'vitest/config';

// Tests run in a shuffled order so that none depends on another; the seed is printed so a
// failing order can be replayed: VITEST_SEED=<seed> npm test.
const seed = Number(process.env.VITEST_SEED ?? Math.floor(Date.now() % 1_000_000_000));
console.log(`vitest: shuffled with seed ${seed} (replay: VITEST_SEED=${seed} npm test)`);

export default defineConfig({
  test: {
    include: ['{api,charts,generator,datasets,detectors,bench,scripts,examples,deploy}/**/*.test.ts'],
    sequence: { shuffle: true, seed },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});

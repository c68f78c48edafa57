/**
 * `npm run bench:seeds -- [--preset test] [--seeds 3] [--detectors rules,naive-burst] [--cache-dir DIR]`:
 * the preset on N seeds (its own and the next ones; each dataset generated once into the dataset
 * cache, datasets/cache.ts), every
 * detector benched on each, and its recall's spread across the seeds printed beside the width of
 * the mailbox bootstrap interval of one run. The bootstrap says how much recall would move with
 * other mailboxes of the same world; the seeds, how much with another world.
 */
import { parseArgs } from 'node:util';
import { benchmark } from '../bench/benchmark.js';
import type { BenchResults } from '../bench/benchmark.js';
import { parseDetectorSpec } from '../bench/contenders.js';
import { seedSpread } from '../bench/seeds.js';
import { ensureDataset } from '../datasets/cache.js';
import { loadPreset } from '../generator/config.js';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';
import { builtinDetectors } from '../detectors/registry.js';

const USAGE = 'usage: npm run bench:seeds -- [--preset test] [--seeds 3] [--detectors a,b,...] [--cache-dir DIR]';

const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;

async function main(): Promise<void> {
  let values: { preset?: string; seeds?: string; detectors?: string; 'cache-dir'?: string };
  try {
    ({ values } = parseArgs({
      options: { preset: { type: 'string' }, seeds: { type: 'string' }, detectors: { type: 'string' }, 'cache-dir': { type: 'string' } },
      strict: true,
    }));
  } catch (e) {
    throw new AtoBenchError(`${(e as Error).message} (${USAGE})`, EXIT.usage);
  }
  const preset = values.preset ?? 'test';
  const n = Number(values.seeds ?? '3');
  if (!Number.isInteger(n) || n < 1 || n > 50)
    throw new AtoBenchError(`--seeds must be a whole number from 1 to 50 (got ${values.seeds}) (${USAGE})`, EXIT.usage);
  const base = loadPreset(preset);
  const detectors = values.detectors
    ? values.detectors.split(',').map((s) => parseDetectorSpec(s.trim()))
    : builtinDetectors()
        .filter((d) => !['oracle', 'null', 'random'].includes(d.id))
        .map((d) => ({ builtin: d.id, params: {} }));
  const runs: BenchResults[] = [];
  const seeds = Array.from({ length: n }, (_, k) => base.seed + k);
  for (const seed of seeds) {
    const config = loadPreset(preset, { seed });
    const dir = await ensureDataset(`${preset}-seed${seed}`, config, { cacheDir: values['cache-dir'] });
    process.stderr.write(`benching ${dir}\n`);
    runs.push(await benchmark({ dataDir: dir, detectors }));
  }
  const spread = seedSpread(runs);
  const w = Math.max(12, ...spread.map((s) => s.detector.length));
  const head = [
    'detector'.padEnd(w),
    ...seeds.map((s) => `seed ${s}`.padStart(10)),
    'mean'.padStart(6),
    'sd'.padStart(6),
    'range'.padStart(11),
    'bootstrap CI width'.padStart(19),
  ];
  const out = [`recall of each detector on the ${preset} preset over ${n} seeds (a world each), beside the mailbox bootstrap of one run`, '', head.join('  ')];
  for (const s of spread)
    out.push(
      [
        s.detector.padEnd(w),
        ...s.recall.map((r) => pct(r).padStart(10)),
        pct(s.mean).padStart(6),
        `${(100 * s.sd).toFixed(1)}pp`.padStart(6),
        `${pct(s.min)}-${pct(s.max)}`.padStart(11),
        `${(100 * s.bootstrapWidth).toFixed(0)}pp`.padStart(19),
      ].join('  '),
    );
  out.push(
    '',
    'sd: sample standard deviation across seeds, in percentage points; bootstrap CI width: the median width of the 95 % interval from resampling mailboxes.',
  );
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${systemErrorLine(e) ?? e.message}\n`);
  process.exitCode = e instanceof AtoBenchError ? e.exitCode : EXIT.failure;
});

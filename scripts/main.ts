/**
 * The main job (`npm start [-- PRESET] [--cache-dir DIR] [--out FILE]`): generate the default
 * dataset into the dataset cache — or reuse the one already generated from the same seed, config
 * and version, once it verifies — run every built-in detector over it, and print the leaderboard;
 * the full results go to out/results.json in the working folder (the clone's root under npm start).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPreset } from '../generator/config.js';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';
import { benchmark, writeResults } from '../bench/benchmark.js';
import { formatLeaderboard } from '../bench/leaderboard.js';
import { builtinDetectors } from '../detectors/registry.js';
import { ensureDataset } from '../datasets/cache.js';
import { FILES } from '../datasets/format.js';

const USAGE = 'usage: npm start [-- PRESET] [--cache-dir DIR] [--out FILE]';

async function main(): Promise<void> {
  let values: { 'cache-dir'?: string; out?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ options: { 'cache-dir': { type: 'string' }, out: { type: 'string' } }, allowPositionals: true, strict: true }));
  } catch (e) {
    throw new AtoBenchError(`${(e as Error).message} (${USAGE})`, EXIT.usage);
  }
  if (positionals.length > 1) throw new AtoBenchError(USAGE, EXIT.usage);
  const preset = positionals[0] ?? 'default';
  const config = loadPreset(preset);
  const out = resolve(values.out ?? join('out', 'results.json'));
  process.stderr.write(`seed ${config.seed}, preset ${preset} (reproduce: ato-bench generate --preset ${preset} --seed ${config.seed} --out DIR)\n`);
  const dir = await ensureDataset(preset, config, { cacheDir: values['cache-dir'] });
  process.stdout.write(`dataset card: ${join(dir, FILES.card)} (ato-bench inspect ${dir} for counts by label, category and week)\n\n`);
  const results = await benchmark({
    dataDir: dir,
    detectors: builtinDetectors().map((d) => ({ builtin: d.id, params: {} })),
    onEvent: (m) => process.stderr.write(`  ${m}\n`),
  });
  process.stdout.write(formatLeaderboard(results) + '\n');
  mkdirSync(dirname(out), { recursive: true });
  writeResults(out, results);
  process.stdout.write(`\nresults: ${out}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${systemErrorLine(e) ?? e.message}\n`);
  process.exitCode = e instanceof AtoBenchError ? e.exitCode : EXIT.failure;
});

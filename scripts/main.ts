/**
 * The main job (`npm start`): generate the default dataset — or reuse the one already generated
 * from the same seed and config, once it verifies — run every built-in detector over it, and
 * print the leaderboard; the full results go to datasets/out/results.json.
 */
import { join } from 'node:path';
import { loadPreset } from '../generator/config.js';
import { packageRoot } from '../generator/core/paths.js';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';
import { benchmark, writeResults } from '../bench/benchmark.js';
import { formatLeaderboard } from '../bench/leaderboard.js';
import { builtinDetectors } from '../detectors/registry.js';
import { ensureDataset } from '../datasets/cache.js';
import { FILES } from '../datasets/format.js';

async function main(): Promise<void> {
  const preset = process.argv[2] ?? 'default';
  const config = loadPreset(preset);
  process.stderr.write(`seed ${config.seed}, preset ${preset} (reproduce: ato-bench generate --preset ${preset} --seed ${config.seed} --out DIR)\n`);
  const dir = await ensureDataset(preset, config);
  process.stdout.write(`dataset card: ${join(dir, FILES.card)} (ato-bench inspect ${dir} for counts by label, category and week)\n\n`);
  const results = await benchmark({
    dataDir: dir,
    detectors: builtinDetectors().map((d) => ({ builtin: d.id, params: {} })),
    onEvent: (m) => process.stderr.write(`  ${m}\n`),
  });
  process.stdout.write(formatLeaderboard(results) + '\n');
  const out = join(packageRoot(), 'datasets', 'out', 'results.json');
  writeResults(out, results);
  process.stdout.write(`\nresults: ${out}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${systemErrorLine(e) ?? e.message}\n`);
  process.exitCode = e instanceof AtoBenchError ? e.exitCode : EXIT.failure;
});

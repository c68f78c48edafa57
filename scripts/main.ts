/**
 * The main job (`npm start`): generate the default dataset — or reuse the one already generated
 * from the same seed and config, once it verifies — and print its summary.
 *
 * Datasets are cached under datasets/out/<preset>-<config hash>/: a changed config or generator
 * output (a new dataset format version) gets a new directory, never a stale one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadPreset } from '../generator/config.js';
import { packageRoot } from '../generator/core/paths.js';
import { configHash, generateDataset } from '../generator/pipeline/generate.js';
import { DATASET_FORMAT_VERSION } from '../datasets/format.js';
import { formatInspection, inspectDataset } from '../datasets/inspect.js';
import { verifyDataset } from '../datasets/verify.js';

async function main(): Promise<void> {
  const preset = process.argv[2] ?? 'default';
  const config = loadPreset(preset);
  const dir = join(packageRoot(), 'datasets', 'out', `${preset}-v${DATASET_FORMAT_VERSION}-${configHash(config).slice(0, 12)}`);
  process.stderr.write(`seed ${config.seed}, preset ${preset}\n`);
  let reuse = false;
  if (existsSync(join(dir, 'manifest.json'))) {
    const v = await verifyDataset(dir);
    reuse = v.ok;
    process.stderr.write(v.ok ? `reusing ${dir} (verified)\n` : `cached dataset does not verify (${v.problems[0]}); regenerating\n`);
  }
  if (!reuse) {
    const workers = Math.max(1, Math.min(2, availableParallelism()));
    let last = -1;
    const r = await generateDataset({
      config,
      out: dir,
      workers,
      force: true,
      onProgress: ({ day, days, emails }) => {
        const pct = Math.floor((10 * day) / days);
        if (pct !== last) {
          last = pct;
          process.stderr.write(`  generating: day ${day}/${days}, ${emails} emails\n`);
        }
      },
    });
    process.stderr.write(`generated ${dir} in ${r.seconds.toFixed(1)} s with ${workers} workers\n`);
  }
  process.stdout.write(formatInspection(await inspectDataset(dir)) + '\n');
  process.stdout.write(`\ndataset card: ${join(dir, 'card.md')}\n`);
  const card = readFileSync(join(dir, 'card.md'), 'utf8');
  const prevalence = card.match(/\*\*Prevalence is far above real life\.\*\*[^\n]*\n[^\n]*/)?.[0];
  if (prevalence) process.stdout.write(prevalence.replace(/\*\*/g, '') + ' ...\n');
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${e.message}\n`);
  process.exitCode = 1;
});

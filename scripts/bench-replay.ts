/**
 * `npm run bench:replay`: how fast detectors are fed through the detector protocol, beside the
 * raw read+parse floor of the same file, all measured in one run, one detector at a time (so no
 * measurement competes with another for the cores): every built-in and the Python example in
 * the OS sandbox, then the null detector and the Python example again under the permission model
 * alone (or unconfined), which shows what the sandbox costs. Figures are printed, never asserted.
 *
 *   npm run bench:replay [-- DIR]     (default: the default preset's dataset, generated once into
 *                                      the dataset cache; --cache-dir DIR to choose it)
 */
import { join } from 'node:path';
import { loadPreset } from '../generator/config.js';
import { packageRoot } from '../generator/core/paths.js';
import { runDetectors } from '../bench/runner.js';
import type { DetectorRun, DetectorSpec } from '../bench/runner.js';
import { builtinDetectors } from '../detectors/registry.js';
import { ensureDataset } from '../datasets/cache.js';
import { parseArgs } from 'node:util';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';

const USAGE = 'usage: npm run bench:replay [-- DIR | --cache-dir DIR]';

const fmt = (n: number, w = 10): string => Math.round(n).toLocaleString('en-US').padStart(w);
const python: DetectorSpec = { external: join(packageRoot(), 'examples', 'python-detector') };

async function main(): Promise<void> {
  let positionals: string[];
  let values: { 'cache-dir'?: string };
  try {
    ({ positionals, values } = parseArgs({ options: { 'cache-dir': { type: 'string' } }, allowPositionals: true, strict: true }));
  } catch (e) {
    throw new AtoBenchError(`${(e as Error).message} (${USAGE})`, EXIT.usage);
  }
  if (positionals.length > 1) throw new AtoBenchError(USAGE, EXIT.usage);
  const dir = positionals[0] ?? (await ensureDataset('default', loadPreset('default'), { cacheDir: values['cache-dir'] }));
  const builtins: DetectorSpec[] = builtinDetectors().map((d) => ({ builtin: d.id, params: {} }));
  const sandboxed = await runDetectors({ dataDir: dir, jobs: 1, detectors: [...builtins, python] });
  const plain = await runDetectors({ dataDir: dir, jobs: 1, isolation: 'permission-model', detectors: [{ builtin: 'null', params: {} }, python] });

  const floor = sandboxed.floor.emails / sandboxed.floor.seconds;
  const rate = (r: DetectorRun): number => (r.streamSeconds > 0 ? r.emails / r.streamSeconds : 0);
  console.log(`\n${sandboxed.floor.emails.toLocaleString('en-US')} emails (${dir}); one detector at a time, each email answered before the next is sent\n`);
  console.log('                               isolation            emails/s   x floor   startup s   peak RSS MB');
  console.log(`read+parse floor (harness)     -                  ${fmt(floor)}      1.00`);
  for (const r of [...sandboxed.runs, ...plain.runs]) {
    console.log(
      `${r.id.padEnd(30)} ${r.isolation.padEnd(16)}  ${fmt(rate(r))}  ${(rate(r) / floor).toFixed(2).padStart(8)}  ${r.startupSeconds.toFixed(2).padStart(10)}   ${r.maxRssMb === null ? '-'.padStart(11) : fmt(r.maxRssMb, 11)}` +
        (r.status !== 'ok' ? `  ${r.status}: ${r.error}` : ''),
    );
  }
  const ratio = (id: string): string => {
    const a = sandboxed.runs.find((r) => r.id === id);
    const b = plain.runs.find((r) => r.id === id);
    return a && b && rate(b) > 0 ? `${id} ${(rate(a) / rate(b)).toFixed(2)}x` : `${id} -`;
  };
  console.log(`\nsandbox cost (emails/s in bubblewrap / without): ${ratio('null')}, ${ratio('python-example')}`);
  console.log('aims: the null detector through the boundary >= 0.5x the read+parse floor');
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${systemErrorLine(e) ?? e.message}\n`);
  process.exitCode = e instanceof AtoBenchError ? e.exitCode : EXIT.failure;
});

/**
 * `npm run bench:replay`: how fast the runner replays a dataset to detectors, beside the raw
 * read+parse floor of the same file, all measured in one run, one process at a time (so no
 * measurement competes with another for the cores). Also peak RSS over the default stream and
 * one twice as long, to show memory does not grow with the stream's length. Figures are printed, never
 * asserted.
 */
import { loadPreset } from '../generator/config.js';
import { runDetectors } from '../bench/runner.js';
import type { RunResult } from '../bench/runner.js';
import { builtinDetectors } from '../detectors/registry.js';
import { ensureDataset } from '../datasets/cache.js';

const fmt = (n: number): string => Math.round(n).toString().padStart(10);

async function measure(dir: string): Promise<RunResult> {
  return runDetectors({ dataDir: dir, jobs: 1, detectors: builtinDetectors().map((d) => ({ builtin: d.id, params: {} })) });
}

const config = loadPreset('default');
const base = await measure(await ensureDataset('default', config));
const twice = await measure(await ensureDataset('default-182d', { ...config, days: config.days * 2 }));

const floor = base.floor.emails / base.floor.seconds;
console.log(`\n${base.floor.emails} emails of ${(base.manifest.files['emails.jsonl']!.bytes / 1e6).toFixed(0)} MB; each line its own process, one at a time\n`);
console.log('                          replay emails/s   x floor   detector-only emails/s   peak RSS MB (91 d / 182 d)');
console.log(
  `read+parse floor          ${fmt(floor)}      1.00   ${''.padStart(22)}   ${base.floor.maxRssMb.toFixed(0).padStart(5)} / ${twice.floor.maxRssMb.toFixed(0)}`,
);
for (const r of base.runs) {
  const s = twice.runs.find((x) => x.id === r.id);
  const replay = r.emails / r.totalSeconds;
  const only = r.detectSeconds > 0 ? r.emails / r.detectSeconds : Infinity;
  console.log(
    `${r.id.padEnd(24)}  ${fmt(replay)}  ${(replay / floor).toFixed(2).padStart(8)}   ${fmt(only).padStart(22)}   ${r.maxRssMb.toFixed(0).padStart(5)} / ${s ? s.maxRssMb.toFixed(0) : '-'}` +
      (r.status !== 'ok' ? `  ${r.status}: ${r.error}` : ''),
  );
}
console.log("\naims: replay (null detector) >= 0.8x the read+parse floor; rule detectors >= 100,000 emails/s; memory flat in the stream's length");

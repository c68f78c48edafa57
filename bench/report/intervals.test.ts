/**
 * `--bootstrap 0`: every interval would be its point value ([33%-33%]), which reads as
 * certainty, so the text leaderboard, report.md and report.html print none, and say so; with a
 * bootstrap they print them (the control, so the check can fail).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { jsonl, tempDir } from '../../generator/testing/test-helpers.js';
import type { LabelRecord } from '../../datasets/format.js';
import { scoreRuns } from '../benchmark.js';
import type { BenchResults } from '../benchmark.js';
import { formatLeaderboard } from '../leaderboard.js';
import { readOfflineRun } from '../offline.js';
import { benchHtml } from './html.js';
import { benchMarkdown } from './markdown.js';

/** An interval as any of the three prints one: [12%-40%], [1.2-3.4], [12%, 40%], [−1.2, 3.4]. */
const INTERVAL = /\[[−-]?\d+(?:\.\d+)?%?(?:-|, )[−-]?\d+(?:\.\d+)?%?\]/;

const outputs: Record<'none' | 'fifty', { text: string; markdown: string; html: string }> = {} as never;

beforeAll(async () => {
  const dir = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: dir });
  // Alerts on every other takeover mail and on a few benign ones: some recall, some false alarms.
  const labels = jsonl<LabelRecord>(join(dir, 'truth', 'labels.jsonl'));
  const ato = labels.filter((l) => l.label === 'ato').filter((_, i) => i % 2 === 0);
  const benign = labels.filter((l) => l.label === 'benign').slice(0, 5);
  const alerts = join(tempDir(), 'alerts.jsonl');
  writeFileSync(alerts, [...ato, ...benign].map((l) => JSON.stringify({ emailId: l.emailId, score: 0.5, reason: 'r' }) + '\n').join(''));
  const run = await readOfflineRun({ dataDir: dir, alertsPath: alerts, name: 'half' });
  for (const [key, samples] of [
    ['none', 0],
    ['fifty', 50],
  ] as const) {
    const results: BenchResults = await scoreRuns(dir, run, { bootstrapSamples: samples });
    outputs[key] = { text: formatLeaderboard(results), markdown: benchMarkdown(results), html: await benchHtml(results) };
  }
}, 120_000);

describe('--bootstrap 0 prints no interval', () => {
  for (const kind of ['text', 'markdown', 'html'] as const) {
    it(`in the ${kind} leaderboard, and says there are none`, () => {
      const none = outputs.none[kind];
      expect(none).toMatch(/\d+%/); // the point values are there
      expect(none).not.toMatch(INTERVAL);
      expect(none).not.toMatch(/95 ?% (CI|intervals)/);
      expect(none).toContain('no intervals (--bootstrap 0)');

      const fifty = outputs.fifty[kind];
      expect(fifty).toMatch(INTERVAL);
      expect(fifty).toContain('[95% CI]');
      expect(fifty).not.toContain('no intervals');
    });
  }
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import { loadPreset } from '../config.js';
import { generateDataset } from '../pipeline/generate.js';
import { CLI, tempDir, treeHashes } from '../testing/test-helpers.js';
import { buildWorld } from '../world/world.js';
import { driftLine } from './card.js';

describe('the dataset card', () => {
  it('tells a redesign as the window saw it: after train ends it did not happen, within dev it did, before test it is in effect', () => {
    const line = (preset: string): string => driftLine(buildWorld(loadPreset(preset)));
    expect(line('train')).toBe("none in this window: marketplace's redesign edition (from 2025-12-01) comes after the window ends, so nothing in it changes");
    expect(line('train')).not.toMatch(/switches|recall before and after/);
    expect(line('dev')).toMatch(/^marketplace switches to its redesign edition on 2025-12-01 \(rolled out over 3 days\): new subjects/);
    expect(line('test')).toBe('marketplace sends its redesign edition throughout (it switched on 2025-12-01, before the window)');
  });

  it('the reproduce command runs as printed, in the dataset folder, and writes the same bytes', async () => {
    const dir = join(tempDir(), 'ds');
    await generateDataset({
      config: { ...loadPreset('tiny'), seed: 5, split: 'train', start: '2025-07-07' },
      out: dir,
      formats: ['jsonl'],
    });
    const card = readFileSync(join(dir, FILES.card), 'utf8');
    expect(card).toContain('- template drift: none in this window');
    const command = /`(ato-bench generate [^`]+)`/.exec(card)?.[1];
    expect(command).toBe('ato-bench generate --config manifest.json --formats jsonl --out ../copy');
    const r = spawnSync(process.execPath, [CLI, ...command!.split(' ').slice(1)], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(treeHashes(join(dir, '..', 'copy'))).toEqual(treeHashes(dir));
  });
});

import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASET_FORMAT_VERSION } from '../../datasets/format.js';
import { loadPreset } from '../config.js';
import { cli, tempDir, treeHashes } from '../testing/test-helpers.js';
import { OutputExistsError, generateDataset } from './generate.js';

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), 'golden.json');

interface Golden {
  formatVersion: number;
  preset: string;
  files: Record<string, string>;
}

describe('determinism', () => {
  it('the tiny preset gives the pinned bytes (golden hashes)', async () => {
    const out = join(tempDir(), 'tiny');
    await generateDataset({ config: loadPreset('tiny'), out, formats: ['jsonl', 'mbox', 'parquet'] });
    const files = treeHashes(out);
    // The manifest names the generator version; everything it describes is pinned file by file.
    delete files['manifest.json'];
    const got: Golden = { formatVersion: DATASET_FORMAT_VERSION, preset: 'tiny', files };
    if (process.env.UPDATE_GOLDEN) {
      writeFileSync(GOLDEN, JSON.stringify(got, null, 2) + '\n');
      return;
    }
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
    expect(
      golden.formatVersion,
      'the golden hashes belong to another dataset format version: regenerate them (npm run test:update-golden) in the commit that bumps DATASET_FORMAT_VERSION',
    ).toBe(DATASET_FORMAT_VERSION);
    expect(
      got.files,
      'the tiny dataset changed. If on purpose, bump DATASET_FORMAT_VERSION (datasets/format.ts) and run npm run test:update-golden in the same commit',
    ).toEqual(golden.files);
  });

  it('--workers 1 and --workers 2 write byte-identical datasets, mbox and Parquet included', () => {
    const base = tempDir();
    const a = cli(['generate', '--preset', 'tiny', '--seed', '7', '--formats', 'jsonl,mbox,parquet', '--workers', '1', '--out', join(base, 'w1')]);
    const b = cli(['generate', '--preset', 'tiny', '--seed', '7', '--formats', 'jsonl,mbox,parquet', '--workers', '2', '--out', join(base, 'w2')]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const ha = treeHashes(join(base, 'w1'));
    expect(Object.keys(ha).length).toBeGreaterThan(10);
    expect(treeHashes(join(base, 'w2'))).toEqual(ha);
    expect(a.stderr).toMatch(/seed 7/);
  });

  it('another seed gives another dataset', async () => {
    const base = tempDir();
    await generateDataset({ config: { ...loadPreset('tiny'), seed: 1 }, out: join(base, 'a') });
    await generateDataset({ config: { ...loadPreset('tiny'), seed: 2 }, out: join(base, 'b') });
    expect(treeHashes(join(base, 'a'))['emails.jsonl']).not.toBe(treeHashes(join(base, 'b'))['emails.jsonl']);
  });
});

describe('output directory', () => {
  it('refuses an existing directory untouched, and --force replaces it whole', async () => {
    const base = tempDir();
    const out = join(base, 'ds');
    await generateDataset({ config: loadPreset('tiny'), out });
    writeFileSync(join(out, 'note.txt'), 'mine');
    const before = treeHashes(out);
    await expect(generateDataset({ config: { ...loadPreset('tiny'), seed: 3 }, out })).rejects.toBeInstanceOf(OutputExistsError);
    expect(treeHashes(out)).toEqual(before);
    await generateDataset({ config: { ...loadPreset('tiny'), seed: 3 }, out, force: true });
    const after = treeHashes(out);
    expect(after['note.txt']).toBeUndefined();
    expect(after['emails.jsonl']).not.toBe(before['emails.jsonl']);
    expect(readdirSync(base)).toEqual(['ds']);
  });

  it('--force replaces only a dataset folder: a folder without a manifest, or a file, is left alone', async () => {
    const base = tempDir();
    const src = join(base, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'main.ts'), 'precious');
    await expect(generateDataset({ config: loadPreset('tiny'), out: src, force: true })).rejects.toThrow(
      /replaces only a dataset folder .* has none, so it is left alone/,
    );
    expect(treeHashes(src)).toEqual({ 'main.ts': treeHashes(src)['main.ts'] });
    writeFileSync(join(base, 'file'), 'x');
    await expect(generateDataset({ config: loadPreset('tiny'), out: join(base, 'file'), force: true })).rejects.toThrow(/is not a folder/);
    expect(readdirSync(base).sort()).toEqual(['file', 'src']);
  });

  it('a folder that appears at --out during the run is not replaced, and the run leaves nothing behind', async () => {
    const base = tempDir();
    const out = join(base, 'ds');
    await expect(
      generateDataset({
        config: loadPreset('tiny'),
        out,
        // Someone creates --out while the run goes on.
        onProgress: ({ day }) => {
          if (day === 3) {
            mkdirSync(out);
            writeFileSync(join(out, 'theirs.txt'), 'theirs');
          }
        },
      }),
    ).rejects.toBeInstanceOf(OutputExistsError);
    expect(readdirSync(base)).toEqual(['ds']);
    expect(readdirSync(out)).toEqual(['theirs.txt']);
  });

  it('a second run to the same --out stops at once, naming the first; a lock left by a dead run, here or on another machine, is taken over', async () => {
    const base = tempDir();
    const out = join(base, 'ds');
    const first = generateDataset({ config: loadPreset('tiny'), out });
    await expect(generateDataset({ config: loadPreset('tiny'), out })).rejects.toThrow(new RegExp(`another run \\(pid ${process.pid}\\) is writing`));
    await first;
    expect(readdirSync(base)).toEqual(['ds']);
    // A dead run's lock (a pid that cannot exist) does not block the next one.
    writeFileSync(join(base, '.again.lock'), '2147483647\n');
    await generateDataset({ config: loadPreset('tiny'), out: join(base, 'again') });
    expect(readdirSync(base).sort()).toEqual(['again', 'ds']);
    // Another machine's lock (a shared volume): live while refreshed, taken over once stale.
    const foreign = join(base, '.third.lock');
    writeFileSync(foreign, '1\nanother-host.example\n');
    await expect(generateDataset({ config: loadPreset('tiny'), out: join(base, 'third') })).rejects.toThrow(
      /a run on another-host\.example \(pid 1\) is writing .*refreshed \d+ s ago/,
    );
    // Last refreshed in 2001: stale by any clock, and no clock read here (generator/ reads none).
    utimesSync(foreign, 1_000_000_000, 1_000_000_000);
    await generateDataset({ config: loadPreset('tiny'), out: join(base, 'third') });
    expect(readdirSync(base).sort()).toEqual(['again', 'ds', 'third']);
  });

  it('a failing run leaves nothing behind', async () => {
    const base = tempDir();
    const out = join(base, 'ds');
    const bad = { ...loadPreset('tiny'), scenarios: { 'ato-marketplace-dormant-burst': { count: 1000, weight: 1, params: {} } } };
    await expect(generateDataset({ config: bad, out })).rejects.toThrow(/only \d+ mailboxes qualify/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(base)).toEqual([]);
  });
});

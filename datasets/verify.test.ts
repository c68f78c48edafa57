import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { tempDir } from '../generator/testing/test-helpers.js';
import { FILES } from './format.js';
import { verifyDataset } from './verify.js';

describe('verify --files only (what the cache of generated datasets checks)', () => {
  it('checks every hash and size, and reads no record: a wrong record behind a mended hash passes it and fails the full check', async () => {
    const dir = join(tempDir(), 'ds');
    await generateDataset({ config: loadPreset('tiny'), out: dir });
    expect((await verifyDataset(dir, { filesOnly: true })).ok).toBe(true);

    const labels = join(dir, FILES.labels);
    const original = readFileSync(labels, 'utf8');
    writeFileSync(labels, original.replace('"emailId":"', '"emailId":"0'));
    const damaged = await verifyDataset(dir, { filesOnly: true });
    expect(damaged.ok).toBe(false);
    expect(damaged.problems[0]).toMatch(/truth\/labels\.jsonl: \d+ bytes, manifest says \d+/);

    // Mend the manifest's hash: the files match, the records do not.
    const manifest = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }> };
    const text = readFileSync(labels);
    manifest.files[FILES.labels] = { sha256: createHash('sha256').update(text).digest('hex'), bytes: text.length };
    writeFileSync(join(dir, FILES.manifest), JSON.stringify(manifest));
    expect((await verifyDataset(dir, { filesOnly: true })).ok).toBe(true);
    const full = await verifyDataset(dir);
    expect(full.ok).toBe(false);
    expect(full.problems.join('\n')).toMatch(/truth\/labels\.jsonl:1: emailId 0/);
  });
});

describe('verify and the dataset card (README.md, where data hubs read it)', () => {
  it('accepts the card and croissant.json the manifest lists, names an edited card, and refuses a card-era dataset as another format', async () => {
    const dir = join(tempDir(), 'ds');
    await generateDataset({ config: loadPreset('tiny'), out: dir });
    const manifest = JSON.parse(readFileSync(join(dir, FILES.manifest), 'utf8')) as { formatVersion: number; files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['README.md', 'croissant.json']));
    expect(Object.keys(manifest.files)).not.toContain('card.md');
    expect((await verifyDataset(dir)).ok).toBe(true);

    const card = join(dir, FILES.card);
    const original = readFileSync(card);
    writeFileSync(card, original.toString('utf8') + '\nMy notes.\n');
    const edited = await verifyDataset(dir, { filesOnly: true });
    expect(edited.ok).toBe(false);
    expect(edited.problems).toEqual([expect.stringMatching(/^README\.md: the dataset card was edited; it is part of the dataset/)]);
    writeFileSync(card, original);

    writeFileSync(join(dir, 'card.md'), 'a stray card');
    expect((await verifyDataset(dir, { filesOnly: true })).problems).toEqual(['card.md: not listed in the manifest']);

    // A dataset of format 7 (card.md) with a README.md added by hand for a hub: refused as another format, in one line.
    writeFileSync(join(dir, FILES.manifest), JSON.stringify({ ...manifest, formatVersion: 7 }));
    await expect(verifyDataset(dir)).rejects.toThrow(/dataset format 7, this ato-bench reads format 8; regenerate the dataset/);
  });
});

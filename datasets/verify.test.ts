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

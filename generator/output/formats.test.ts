import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import { verifyDataset } from '../../datasets/verify.js';
import { loadPreset } from '../config.js';
import { generateDataset } from '../pipeline/generate.js';
import { tempDir } from '../testing/test-helpers.js';
import { HashedFile } from './files.js';
import { formatIds, registerFormat, resolveFormats } from './formats.js';

describe('output formats', () => {
  it('jsonl is always written; an unknown id is refused, naming the known ones; a second registration of an id is refused', () => {
    expect(resolveFormats([]).map((f) => f.id)).toEqual(['jsonl']);
    expect(resolveFormats(['mbox', 'jsonl', 'mbox']).map((f) => f.id)).toEqual(['jsonl', 'mbox']);
    expect(() => resolveFormats(['parquet-ish'])).toThrow(/unknown format "parquet-ish"; formats are jsonl, mbox, parquet/);
    expect(() => registerFormat({ id: 'mbox', description: 'again' })).toThrow(/already registered/);
  });

  it('a format is one object and one registration: it is written, and the manifest and verify cover it', async () => {
    // A stream format counting the emails of each chunk (a slice of simulated time), one line each.
    registerFormat({
      id: 'test-chunk-counts',
      description: 'emails per chunk (test only)',
      stream(dir) {
        const file = new HashedFile(join(dir, 'chunk-counts.txt'));
        return { write: (c) => file.write(Buffer.from(`${c.count}\n`)), close: () => ({ 'chunk-counts.txt': file.close() }) };
      },
    });
    expect(formatIds()).toContain('test-chunk-counts');
    const out = join(tempDir(), 'ds');
    const { manifest } = await generateDataset({ config: loadPreset('tiny'), out, formats: ['test-chunk-counts'] });
    expect(manifest.formats).toEqual(['jsonl', 'test-chunk-counts']);
    const counts = readFileSync(join(out, 'chunk-counts.txt'), 'utf8').trim().split('\n').map(Number);
    expect(counts.length).toBeGreaterThanOrEqual(manifest.window.days); // a slice of a few hours each
    expect(counts.reduce((a, b) => a + b, 0)).toBe(manifest.counts.emails);
    const bytes = readFileSync(join(out, 'chunk-counts.txt'));
    expect(manifest.files['chunk-counts.txt']).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    expect(manifest.files[FILES.emails]).toBeDefined();
    expect((await verifyDataset(out)).ok).toBe(true);
  });
});

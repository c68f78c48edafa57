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
    // A per-day format counting each day's emails, one line a day.
    registerFormat({
      id: 'test-day-counts',
      description: 'emails per day (test only)',
      perDay(dir) {
        const file = new HashedFile(join(dir, 'day-counts.txt'));
        return { writeDay: (d) => file.write(Buffer.from(`${d.count}\n`)), close: () => ({ 'day-counts.txt': file.close() }) };
      },
    });
    expect(formatIds()).toContain('test-day-counts');
    const out = join(tempDir(), 'ds');
    const { manifest } = await generateDataset({ config: loadPreset('tiny'), out, formats: ['test-day-counts'] });
    expect(manifest.formats).toEqual(['jsonl', 'test-day-counts']);
    const counts = readFileSync(join(out, 'day-counts.txt'), 'utf8').trim().split('\n').map(Number);
    expect(counts).toHaveLength(manifest.window.days);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(manifest.counts.emails);
    const bytes = readFileSync(join(out, 'day-counts.txt'));
    expect(manifest.files['day-counts.txt']).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    expect(manifest.files[FILES.emails]).toBeDefined();
    expect((await verifyDataset(out)).ok).toBe(true);
  });
});

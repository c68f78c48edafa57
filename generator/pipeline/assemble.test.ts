import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../datasets/format.js';
import type { ShardManifest } from '../../datasets/format.js';
import { loadPreset } from '../config.js';
import { cli, tempDir, treeHashes } from '../testing/test-helpers.js';
import { assembleDataset } from './assemble.js';
import { generateDataset, generateShard } from './generate.js';
import { parseShard, shardFromEnv } from './machine-shard.js';

const config = { ...loadPreset('tiny'), seed: 41 };
const formats = ['mbox', 'parquet'];
let base: string;
let whole: Record<string, string>;
/** Shard folders of 3, the first generated with two worker threads: the split inside a shard changes nothing either. */
let shards: string[];

beforeAll(async () => {
  base = tempDir();
  await generateDataset({ config, out: join(base, 'one'), formats, workers: 2 });
  whole = treeHashes(join(base, 'one'));
  shards = [];
  for (let i = 0; i < 3; i++) {
    const dir = join(base, 'shards', String(i));
    await generateShard({ config, machine: { index: i, count: 3 }, out: dir, formats, workers: i === 0 ? 2 : 1 });
    shards.push(dir);
  }
});

const shardJson = (dir: string): ShardManifest => JSON.parse(readFileSync(join(dir, FILES.shardManifest), 'utf8')) as ShardManifest;

describe('sharded generation', () => {
  it('1 machine and 3 shards assembled (given in any order) write identical bytes, mbox and Parquet included', async () => {
    const out = join(base, 'assembled');
    const r = await assembleDataset({ shards: [shards[2]!, shards[0]!, shards[1]!], out });
    expect(Object.keys(whole).length).toBeGreaterThan(10);
    expect(whole).toHaveProperty(['emails/part-00000.parquet']);
    expect(treeHashes(out)).toEqual(whole);
    expect(r.manifest.counts.emails).toBe(shards.reduce((n, s) => n + shardJson(s).counts.emails, 0));
    // Each shard holds a third of the mailboxes, disjoint, and only its own mail.
    const owned = shards.map(
      (s) =>
        new Set(
          readFileSync(join(s, FILES.emails), 'utf8')
            .trim()
            .split('\n')
            .map((l) => (JSON.parse(l) as { mailbox: string }).mailbox),
        ),
    );
    expect(owned.map((o) => o.size)).toEqual([10, 10, 10]);
    expect(new Set(owned.flatMap((o) => [...o])).size).toBe(30);
  });

  it('2 shards make the same dataset as 3', async () => {
    const two: string[] = [];
    for (let i = 0; i < 2; i++) {
      const dir = join(base, 'two', String(i));
      await generateShard({ config, machine: { index: i, count: 2 }, out: dir, formats });
      two.push(dir);
    }
    const out = join(base, 'assembled-2');
    await assembleDataset({ shards: two, out });
    expect(treeHashes(out)).toEqual(whole);
  });

  it('refuses shards that do not make one dataset, naming what is wrong, and writes nothing', async () => {
    const out = join(base, 'refused');
    await expect(assembleDataset({ shards: shards.slice(0, 2), out })).rejects.toThrow(/missing shard 2 of 3 \(given: 2\)/);
    await expect(assembleDataset({ shards: [...shards, shards[1]!], out })).rejects.toThrow(/shard 1\/3 given twice/);
    const other = join(base, 'other-seed');
    await generateShard({ config: { ...config, seed: 42 }, machine: { index: 2, count: 3 }, out: other, formats });
    await expect(assembleDataset({ shards: [shards[0]!, shards[1]!, other], out })).rejects.toThrow(/is of another dataset .*seed 42 against 41/);
    const jsonlOnly = join(base, 'jsonl-only');
    await generateShard({ config, machine: { index: 2, count: 3 }, out: jsonlOnly });
    await expect(assembleDataset({ shards: [shards[0]!, shards[1]!, jsonlOnly], out })).rejects.toThrow(
      /has formats jsonl, .* generate every shard with the same --formats/,
    );
    await expect(assembleDataset({ shards: [shards[0]!, shards[1]!, join(base, 'one')], out })).rejects.toThrow(/no shard\.json/);
    expect(() => readFileSync(join(out, FILES.manifest))).toThrow();
  });

  it('refuses a damaged shard: a changed byte (its hash), and lines out of order even with a matching hash', async () => {
    const out = join(base, 'damaged');
    const bad = join(base, 'bad');
    cpSync(shards[1]!, bad, { recursive: true });
    const labels = join(bad, FILES.labels);
    writeFileSync(labels, readFileSync(labels, 'utf8').replace('"benign"', '"ato"   '));
    await expect(assembleDataset({ shards: [shards[0]!, bad, shards[2]!], out })).rejects.toThrow(/bad\/truth\/labels\.jsonl does not match its shard\.json/);

    // Swap two emails (and their labels) and mend the hashes, as a careless tool might.
    const swapped = join(base, 'swapped');
    cpSync(shards[1]!, swapped, { recursive: true });
    const m = shardJson(swapped);
    for (const path of [FILES.emails, FILES.labels]) {
      const lines = readFileSync(join(swapped, path), 'utf8').split('\n');
      [lines[3], lines[4]] = [lines[4]!, lines[3]!];
      const text = lines.join('\n');
      writeFileSync(join(swapped, path), text);
      m.files[path] = { sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) };
    }
    writeFileSync(join(swapped, FILES.shardManifest), JSON.stringify(m));
    await expect(assembleDataset({ shards: [shards[0]!, swapped, shards[2]!], out })).rejects.toThrow(/swapped\/emails\.jsonl:5: out of order/);
  });

  it('the CLI: --shard I/N with {shard} in --out, assemble, one-line errors with exit 2 for a bad shard set', () => {
    const dir = tempDir();
    for (let i = 0; i < 2; i++) {
      const r = cli(['generate', '--preset', 'tiny', '--seed', '41', '--shard', `${i}/2`, '--out', join(dir, 'shard-{shard}')]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^wrote shard ${i}/2 to .*shard-${i}: \\d+ emails in 15 mailboxes`));
    }
    const a = cli(['assemble', join(dir, 'shard-0'), join(dir, 'shard-1'), '--out', join(dir, 'ds')]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^assembled 2 shards into .*ds: \d+ emails in 30 mailboxes/);
    expect(cli(['verify', join(dir, 'ds')]).status).toBe(0);
    const missing = cli(['assemble', join(dir, 'shard-0'), '--out', join(dir, 'ds2')]);
    expect([missing.status, missing.stderr]).toEqual([2, 'ato-bench: missing shard 1 of 2 (given: 1)\n']);
    const env = cli(['generate', '--preset', 'tiny', '--shards', '2', '--shard-from-env', '--out', join(dir, 'e')], {
      env: { ...process.env, JOB_COMPLETION_INDEX: '7' },
    });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/--shard-from-env \(JOB_COMPLETION_INDEX\): shard index 7 is not in 0\.\.1/);
    expect(cli(['generate', '--preset', 'tiny', '--shard', '1', '--out', join(dir, 'f')]).stderr).toMatch(/--shard must be I\/N/);
  });
});

describe('the shard index', () => {
  it('comes from --shard I/N or from the first job-array variable that is set, and refuses what is not an index', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    expect(() => parseShard('5/5')).toThrow(/not in 0\.\.4/);
    expect(() => parseShard('0/1')).toThrow(/N >= 2/);
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '3' }, 4)).toEqual({ index: 3, count: 4, variable: 'JOB_COMPLETION_INDEX' });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '0' }, 4)).toEqual({ index: 0, count: 4, variable: 'SLURM_ARRAY_TASK_ID' });
    expect(shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '1', SLURM_ARRAY_TASK_ID: '1' }, 4).index).toBe(1);
    expect(() => shardFromEnv({ AWS_BATCH_JOB_ARRAY_INDEX: '1', SLURM_ARRAY_TASK_ID: '2' }, 4)).toThrow(/disagree/);
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '1-3' }, 4)).toThrow(/not a task index/);
    expect(() => shardFromEnv({}, 4)).toThrow(/none of JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX is set/);
  });
});

/**
 * deploy/slurm for real: a one-node Slurm cluster (Debian's slurm-wlm and munge, installed when
 * missing) started in a temporary folder, deploy/slurm/submit.sh submitting an array of 3 shard
 * tasks and the assemble job that depends on them, and the dataset compared with the one-machine
 * run, hash for hash. Then a failing array: the assembly is cancelled, not left pending forever.
 * The cluster is torn down whatever happens.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../generator/testing/debian.js';
import { CLI, ROOT, cli, tempDir, treeHashes } from '../generator/testing/test-helpers.js';

const SLURM = join(ROOT, 'deploy', 'slurm');
let dir: string;
let env: NodeJS.ProcessEnv;
let up = false;

/** A port nothing listens on now (the cluster must not talk to another one on the default ports). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...env, ...extra }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Poll until none of the jobs is pending or running (sbatch --wait polls slowly and says 0 for a cancelled job); their final states. */
async function waitFor(jobs: string[], timeoutMs = 120_000): Promise<Record<string, string[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const q = run('squeue', ['-h', '-t', 'all', '-j', jobs.join(','), '-o', '%A %F %T']);
    expect(q.status, q.stderr).toBe(0);
    const states: Record<string, string[]> = {};
    for (const line of q.stdout.trim().split('\n').filter(Boolean)) {
      const [, array, state] = line.trim().split(/\s+/);
      (states[array!] ??= []).push(state!);
    }
    const active = Object.values(states)
      .flat()
      .some((s) => ['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING'].includes(s));
    if (!active && Object.keys(states).length === jobs.length) return states;
    if (Date.now() > deadline) throw new Error(`jobs ${jobs.join(',')} still active after ${timeoutMs / 1000} s: ${q.stdout}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  await ensureDebianPackage('/usr/sbin/slurmctld', 'slurm-wlm', 'the Slurm test');
  await ensureDebianPackage('/usr/sbin/munged', 'munge', 'the Slurm test');
  dir = tempDir('ato-slurm-');
  const cluster = join(dir, 'cluster');
  env = { ...process.env, SLURM_CONF: join(cluster, 'slurm.conf'), PATH: `${process.env.PATH}:/usr/sbin:/sbin` };
  const ports = { SLURM_LAB_CTLD_PORT: String(await freePort()), SLURM_LAB_SLURMD_PORT: String(await freePort()) };
  env = { ...env, ...ports };
  const r = run(join(SLURM, 'local-cluster.sh'), ['up', cluster]);
  expect(r.status, `the one-node cluster did not start:\n${r.stdout}${r.stderr}`).toBe(0);
  up = true;
}, 600_000);

afterAll(() => {
  if (up) run(join(SLURM, 'local-cluster.sh'), ['down', join(dir, 'cluster')]);
});

describe('deploy/slurm', () => {
  it('an sbatch array of 3 shards and the dependent assemble job make the one-machine dataset, byte for byte', async () => {
    const started = Date.now();
    const work = join(dir, 'work');
    const submit = run(join(SLURM, 'submit.sh'), [], {
      WORK: work,
      SHARDS: '3',
      PRESET: 'tiny',
      FORMATS: 'jsonl,mbox,parquet',
      ATO_BENCH: `${process.execPath} ${CLI}`,
    });
    expect(submit.status, submit.stderr).toBe(0);
    const assembleJob = submit.stdout.trim();
    const arrayJob = /job array (\d+)/.exec(submit.stderr)![1]!;
    const states = await waitFor([arrayJob, assembleJob]);
    expect(states[arrayJob]).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(states[assembleJob], run('cat', [join(work, 'logs', 'assemble.log')]).stdout).toEqual(['COMPLETED']);
    const seconds = (Date.now() - started) / 1000;

    const one = join(dir, 'one');
    const r = cli(['generate', '--preset', 'tiny', '--formats', 'jsonl,mbox,parquet', '--out', one]);
    expect(r.status, r.stderr).toBe(0);
    const hashes = treeHashes(one);
    expect(Object.keys(hashes).length).toBeGreaterThan(10);
    expect(treeHashes(join(work, 'dataset'))).toEqual(hashes);
    for (const i of [0, 1, 2]) expect(run('cat', [join(work, 'logs', `generate-${i}.log`)]).stdout).toContain(`shard ${i}/3 (from SLURM_ARRAY_TASK_ID)`);
    process.stdout.write(`slurm: array of 3 shards + assemble on a one-node cluster, submit to identical hashes in ${seconds.toFixed(1)} s\n`);
  });

  it('a failing shard cancels the assembly instead of leaving it pending', async () => {
    const work = join(dir, 'failing');
    const submit = run(join(SLURM, 'submit.sh'), [], { WORK: work, SHARDS: '2', PRESET: 'no-such-preset', ATO_BENCH: `${process.execPath} ${CLI}` });
    expect(submit.status, submit.stderr).toBe(0);
    const assembleJob = submit.stdout.trim();
    const arrayJob = /job array (\d+)/.exec(submit.stderr)![1]!;
    const states = await waitFor([arrayJob, assembleJob]);
    expect(states[arrayJob]).toEqual(['FAILED', 'FAILED']);
    expect(states[assembleJob]).toEqual(['CANCELLED']);
    expect(existsSync(join(work, 'dataset'))).toBe(false);
    expect(run('cat', [join(work, 'logs', 'generate-0.log')]).stdout).toMatch(/no-such-preset/);
  });
});

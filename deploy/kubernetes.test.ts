/**
 * The Kubernetes manifests, run as Kubernetes would run them, minus the cluster: the Indexed Job's
 * arguments once per index with JOB_COMPLETION_INDEX set (the volume a temporary folder, the
 * preset the tiny one), then the assemble Job's command through sh. The dataset must equal the
 * one-machine run. What is not checked here: the image build and the cluster itself.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, ROOT, cli, tempDir, treeHashes } from '../generator/testing/test-helpers.js';

interface Job {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    template: {
      spec: {
        containers: Array<{ image: string; args: string[]; command?: string[]; volumeMounts: Array<{ name: string; mountPath: string }> }>;
        volumes: Array<{ name: string; persistentVolumeClaim: { claimName: string } }>;
      };
    };
  };
}

const load = <T>(name: string): T => parse(readFileSync(join(ROOT, 'deploy', 'kubernetes', name), 'utf8')) as T;

describe('deploy/kubernetes', () => {
  it('the Indexed Job and the assemble Job, run as written on a stand-in volume, make the one-machine dataset', () => {
    const gen = load<Job>('generate-job.yaml');
    const asm = load<Job>('assemble-job.yaml');
    const claim = load<{ metadata: { name: string }; spec: { accessModes: string[] } }>('volume.yaml');
    expect(gen.spec.completionMode).toBe('Indexed');
    const n = gen.spec.completions!;
    const container = gen.spec.template.spec.containers[0]!;
    expect(container.args).toContain(`--shards=${n}`);
    expect(container.args).toContain('--shard-from-env');
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    for (const job of [gen, asm]) {
      expect(job.spec.template.spec.volumes[0]!.persistentVolumeClaim.claimName).toBe(claim.metadata.name);
      expect(job.spec.template.spec.containers[0]!.image).toBe(container.image);
    }
    const mount = container.volumeMounts[0]!.mountPath;

    const dir = tempDir();
    const volume = join(dir, 'volume');
    mkdirSync(volume);
    // `ato-bench` on PATH, as in the image.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'ato-bench'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'ato-bench'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const onVolume = (s: string): string => s.replaceAll(`${mount}/`, `${volume}/`);
    const args = container.args.map((a) => onVolume(a === '--preset=default' ? '--preset=tiny' : a));
    for (let i = n - 1; i >= 0; i--) {
      const r = spawnSync('ato-bench', args, { encoding: 'utf8', env: { ...env, JOB_COMPLETION_INDEX: String(i) } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`shard ${i}/${n} (from JOB_COMPLETION_INDEX)`);
    }
    const a = asm.spec.template.spec.containers[0]!;
    expect(a.command).toEqual(['sh', '-c']);
    const r = spawnSync('sh', ['-c', onVolume(a.args[0]!)], { encoding: 'utf8', env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`assembled ${n} shards`));

    const formats = args.find((x) => x.startsWith('--formats='))!;
    const one = cli(['generate', '--preset', 'tiny', formats, '--out', join(dir, 'one')]);
    expect(one.status, one.stderr).toBe(0);
    expect(treeHashes(join(volume, 'dataset'))).toEqual(treeHashes(join(dir, 'one')));
  });
});

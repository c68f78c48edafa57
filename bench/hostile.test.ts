/**
 * Hostile detectors, each trying one way to cheat or to harm the run, as an attacker would try
 * the side doors: links, parent folders, the stream's file, the email object, forged messages on
 * every channel, processes, sockets, memory, alerts, stderr, and outliving the harness. Each must
 * fail to cheat while an honest detector beside it scores as before.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { CLI, tempDir } from '../generator/testing/test-helpers.js';
import { benchmark } from './benchmark.js';
import { runDetectors } from './runner.js';
import type { DetectorRun, DetectorSpec } from './runner.js';
import { bubblewrap } from './sandbox.js';

const HOSTILE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'hostile');
const SANDBOX = bubblewrap().path !== null;
let tiny: string;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
});

const NULL: DetectorSpec = { builtin: 'null', params: {} };
const honest: DetectorSpec = { builtin: 'marketplace-rules', params: {} };

async function run(detectors: DetectorSpec[], extra: Partial<Parameters<typeof runDetectors>[0]> = {}): Promise<DetectorRun[]> {
  const r = await runDetectors({ dataDir: tiny, detectors, timeLimitSeconds: 30, ...extra });
  return r.runs;
}

/** The honest row beside a cheat: ok, with the alerts it raises alone. */
async function expectHonestUnchanged(runs: DetectorRun[]): Promise<void> {
  const beside = runs.find((r) => r.id === 'marketplace-rules')!;
  const alone = (await run([honest]))[0]!;
  expect(beside.status).toBe('ok');
  expect(beside.alerts).toEqual(alone.alerts);
  expect(beside.alerts.length).toBeGreaterThan(0);
}

describe.each(SANDBOX ? (['bubblewrap', 'permission-model'] as const) : (['permission-model'] as const))('under %s', (isolation) => {
  it('cannot read the truth through a link placed in its own folder', async () => {
    const folder = join(tempDir(), 'truth-via-link');
    cpSync(join(HOSTILE, 'truth-via-link'), folder, { recursive: true });
    symlinkSync(join(tiny, 'truth'), join(folder, 'answers'));
    // The link works from outside: only the sandbox can stop it.
    expect(readFileSync(join(folder, 'answers', 'incidents.jsonl'), 'utf8').length).toBeGreaterThan(0);
    if (isolation === 'permission-model') {
      // Node's permission model follows links, so without the OS sandbox such a folder is refused outright.
      await expect(run([{ external: folder }], { isolation })).rejects.toThrow(/answers is a link to .*truth, outside the detector's folder/);
      return;
    }
    const runs = await run([{ external: folder }, honest], { isolation });
    const cheat = runs.find((r) => r.id === 'hostile-truth-link')!;
    expect(cheat.status).toBe('error');
    expect(cheat.error).toMatch(/could not read the answers: ENOENT/);
    expect(cheat.alerts).toEqual([]);
    await expectHonestUnchanged(runs);
  });

  it('a detector file in a folder above the dataset sees only itself', async () => {
    const project = tempDir();
    cpSync(tiny, join(project, 'datasets', 'out', 'tiny'), { recursive: true });
    cpSync(join(HOSTILE, 'above-dataset.mjs'), join(project, 'cheat.mjs'));
    const r = await runDetectors({
      dataDir: join(project, 'datasets', 'out', 'tiny'),
      detectors: [{ external: join(project, 'cheat.mjs') }, NULL],
      isolation,
    });
    const cheat = r.runs.find((x) => x.id === 'hostile-above-dataset')!;
    expect(cheat.status).toBe('error');
    // The permission model, inside the OS sandbox too, denies it before the missing file would.
    expect(cheat.error).toMatch(/could not read the answers: (ENOENT|ERR_ACCESS_DENIED)/);
    expect(r.runs.find((x) => x.id === 'null')!.status).toBe('ok');
  });

  it('cannot read emails.jsonl ahead, and finds the dataset path nowhere in its process', async () => {
    const file = join(tempDir(), 'reads-ahead.mjs');
    writeFileSync(file, readFileSync(join(HOSTILE, 'reads-ahead.mjs'), 'utf8').replace('__DATASET_DIR__', tiny));
    const [cheat] = await run([{ external: file }], { isolation });
    expect(cheat!.status).toBe('error');
    expect(cheat!.error).toMatch(/could not read ahead: (ENOENT|ERR_ACCESS_DENIED)/);
    expect(cheat!.error).not.toMatch(/found the dataset path/);
  });

  it('rewriting the email it was handed moves nothing: its alerts are stamped as its honest twin’s', async () => {
    const r = await benchmark({
      dataDir: tiny,
      detectors: [{ external: join(HOSTILE, 'rewrites-email.mjs') }, { external: join(HOSTILE, 'honest-twin.mjs') }],
      isolation,
      bootstrapSamples: 0,
    });
    const cheat = r.detectors.find((d) => d.id === 'hostile-rewrites-email')!;
    const twin = r.detectors.find((d) => d.id === 'honest-twin')!;
    expect(twin.alerts.length).toBeGreaterThan(0);
    const stamps = (d: typeof twin) => d.alerts.map((a) => [a.emailId, a.at, a.verdict]);
    expect(stamps(cheat)).toEqual(stamps(twin));
    expect(cheat.metrics!.latencyHours).toEqual(twin.metrics!.latencyHours);
    expect(cheat.metrics!.recall.value).toBe(twin.metrics!.recall.value);
  });

  it('forged messages on stdout (a claim to be the oracle, a score of 7) end only the forger', async () => {
    const runs = await run([{ external: join(HOSTILE, 'forges-stdout.mjs') }, honest], { isolation });
    const cheat = runs.find((r) => r.id === 'hostile-forges-stdout')!;
    expect(cheat.status).toBe('error');
    expect(cheat.error).toMatch(/wrote an invalid message|not asked for/);
    expect(cheat.upperBound).toBe(false);
    expect(cheat.alerts).toEqual([]);
    await expectHonestUnchanged(runs);
  });

  it('has no IPC channel and no inherited descriptor to forge messages on ("dataset corrupt", "oracle")', async () => {
    const runs = await run([{ external: join(HOSTILE, 'forges-ipc.mjs') }, honest], { isolation });
    const cheat = runs.find((r) => r.id === 'hostile-forges-ipc')!;
    expect(cheat.status).toBe('error');
    expect(cheat.error).toMatch(/channels found: none/);
    await expectHonestUnchanged(runs);
  });

  it('cannot start a process', async () => {
    const [cheat] = await run([{ external: join(HOSTILE, 'spawns.mjs') }], { isolation });
    expect(cheat!.status).toBe('error');
    expect(cheat!.error).toMatch(/outside its sandbox|ERR_ACCESS_DENIED|ChildProcess/);
    expect(cheat!.error).not.toMatch(/pwned/);
  });

  it('allocating 8 GiB ends the detector at its memory limit, quickly', async () => {
    const t0 = Date.now();
    const runs = await run([{ external: join(HOSTILE, 'allocates.mjs') }, NULL], { isolation, memoryLimitMb: 512 });
    const cheat = runs.find((r) => r.id === 'hostile-allocates')!;
    expect(cheat.status).toBe('error');
    expect(cheat.error).toMatch(/allocation failed|memory/i);
    expect(cheat.error).not.toMatch(/allocated 8192 MiB/);
    expect(runs.find((r) => r.id === 'null')!.status).toBe('ok');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('ten million alerts end the detector at the cap; the run and its results stay whole', async () => {
    const out = join(tempDir(), 'results.json');
    const r = await benchmark({ dataDir: tiny, detectors: [{ external: join(HOSTILE, 'floods-alerts.mjs') }, honest], isolation, bootstrapSamples: 0 });
    const cheat = r.detectors.find((d) => d.id === 'hostile-floods-alerts')!;
    expect(cheat.status).toBe('error');
    expect(cheat.error).toMatch(/alerts: Too big|cap is 100/);
    expect(cheat.alerts).toEqual([]);
    expect(r.detectors.find((d) => d.id === 'marketplace-rules')!.status).toBe('ok');
    const { writeResults } = await import('./benchmark.js');
    writeResults(out, r);
    expect(JSON.parse(readFileSync(out, 'utf8')).detectors).toHaveLength(2);
  });

  it('a flood of stderr with escape codes is kept to its ends, stripped of control characters', async () => {
    const [cheat] = await run([{ external: join(HOSTILE, 'floods-stderr.mjs') }], { isolation });
    expect(cheat!.status).toBe('error');
    expect(cheat!.error).toMatch(/screen cleared/);
    for (const text of [cheat!.error!, cheat!.stderr]) {
      expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      expect(text).not.toMatch(/\x1b/);
    }
    expect(cheat!.stderr.length).toBeLessThan(9000);
    expect(cheat!.stderr).toMatch(/bytes left out/);
  });
});

describe.runIf(SANDBOX)('in the OS sandbox, any language', () => {
  it('a Python detector finds no descriptor but its stdio that leads anywhere (inherited ones lead to /dev/null)', async () => {
    const runs = await run([{ command: `python3 ${join(HOSTILE, 'fd-forger.py')}` }, honest]);
    const cheat = runs.find((r) => r.label.startsWith('cmd:'))!;
    expect(cheat.isolation).toBe('bubblewrap');
    expect(cheat.status).toBe('ok');
    const fds = /open fds: (.*)\n/.exec(cheat.stderr)![1]!.split(',');
    expect(fds.slice(0, 3)).toEqual(['0->stdio', '1->stdio', '2->stdio']);
    for (const fd of fds.slice(3)) expect(fd).toMatch(/^\d+->\/dev\/null$/);
    await expectHonestUnchanged(runs);
  });

  it('a Python detector cannot reach the network', async () => {
    const connections: string[] = [];
    const server = createServer((s) => s.on('data', (d) => connections.push(String(d))));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const [cheat] = await run([{ command: `python3 ${join(HOSTILE, 'opens-socket.py')} ${port}` }]);
      expect(cheat!.status).toBe('error');
      expect(cheat!.error).toMatch(/no network/);
    } finally {
      server.close();
    }
    expect(connections).toEqual([]);
  });

  it('a Python detector allocating 8 GiB meets the memory limit', async () => {
    const [cheat] = await run([{ command: `python3 ${join(HOSTILE, 'allocates.py')}` }], { memoryLimitMb: 512 });
    expect(cheat!.status).toBe('error');
    expect(cheat!.error).toMatch(/MemoryError|memory limit/);
  });

  it('a process a detector starts in a session of its own does not outlive the run', async () => {
    const marker = `ato-bench-orphan-${process.pid}-${Date.now()}`;
    const [r] = await run([{ command: `python3 ${join(HOSTILE, 'spawns.py')} ${marker}` }]);
    expect(r!.status).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(processesWith(marker)).toEqual([]);
  });
});

/** Pids of live processes whose command line contains `text`. */
function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(text)) out.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return out;
}

describe.runIf(existsSync('/proc/self/cmdline'))('stopping the harness', () => {
  it.each(SANDBOX ? ['bubblewrap', 'permission-model'] : ['permission-model'])(
    'SIGTERM to the CLI while detectors hang leaves no detector process (%s)',
    async (isolation) => {
      const marker = `ato-bench-hang-${process.pid}-${isolation}-${Date.now()}`;
      const work = tempDir();
      mkdirSync(join(work, marker));
      const hangsJs = join(work, marker, 'hangs.mjs');
      cpSync(join(HOSTILE, '..', 'hangs.mjs'), hangsJs);
      const hangsPy = join(work, marker, 'hangs.py');
      cpSync(join(HOSTILE, 'hangs.py'), hangsPy);
      const cli = spawn(
        process.execPath,
        [CLI, 'bench', '--data', tiny, '--isolation', isolation, '--detector', hangsJs, '--detector-cmd', `python3 ${hangsPy} ${marker}`, '--jobs', '2'],
        { stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((resolve) => cli.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
      // Wait until both detectors run.
      for (let i = 0; i < 200 && processesWith(marker).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(processesWith(marker).length).toBeGreaterThanOrEqual(2);
      cli.kill('SIGTERM');
      await exited;
      for (let i = 0; i < 30 && processesWith(marker).length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(processesWith(marker)).toEqual([]);
    },
    60_000,
  );
});

/**
 * What a detector may read besides its own files (bench/runtime.ts), as a user meets it: a
 * command run from any folder, a virtual environment made by an interpreter installed outside
 * /usr (pyenv's, conda's, uv's) run in the sandbox, and every way to make the harness grant too
 * much refused in one line naming the path, before the run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { CLI, tempDir } from '../generator/testing/test-helpers.js';
import type { BenchResults } from './benchmark.js';
import { resolveContenders } from './contenders.js';
import type { DetectorSpec } from './contenders.js';
import { runDetectors } from './runner.js';
import { forbiddenOf, whyNotGrant } from './runtime.js';
import { bubblewrap } from './sandbox.js';

const WHERE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'runtime', 'where.py');
const SANDBOX = bubblewrap().path !== null;
const ISOLATIONS = SANDBOX ? (['bubblewrap', 'permission-model'] as const) : (['permission-model'] as const);
let tiny: string;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
});

/** `ato-bench bench` from `cwd`: its exit, its stderr, and its results when it wrote them. */
function bench(args: string[], cwd: string, dataDir = tiny): { status: number | null; stderr: string; results: BenchResults | null } {
  const out = join(tempDir(), 'results.json');
  const r = spawnSync(process.execPath, [CLI, 'bench', '--data', dataDir, ...args, '--bootstrap', '0', '--out', out], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stderr: r.stderr, results: existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as BenchResults) : null };
}

/** What where.py says about itself, in the reason of its one alert. */
function said(row: { alerts: Array<{ reason: string }> }): Record<string, string> {
  expect(row.alerts).toHaveLength(1);
  return Object.fromEntries(row.alerts[0]!.reason.split(' | ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

describe('a command detector', () => {
  it.each(ISOLATIONS)('runs from an unrelated folder, by an absolute or a relative path, from /tmp (%s)', (isolation) => {
    const project = tempDir();
    copyFileSync(WHERE, join(project, 'where.py'));
    const elsewhere = tempDir();
    const relativeToElsewhere = join('..', basename(project), 'where.py');
    const r = bench(
      ['--isolation', isolation, '--detector-cmd', `python3 ${join(project, 'where.py')}`, '--detector-cmd', `python3 ${relativeToElsewhere}`],
      elsewhere,
    );
    expect(r.status, r.stderr).toBe(0);
    const rows = r.results!.detectors;
    expect(rows.map((d) => d.spec)).toEqual([`cmd:python3 ${join(project, 'where.py')}`, `cmd:python3 ${relativeToElsewhere}`]);
    for (const row of rows) {
      expect(row.status, row.error ?? '').toBe('ok');
      expect(row.isolation).toBe(isolation === 'bubblewrap' ? 'bubblewrap' : 'none');
      expect(said(row).venvmark).toMatch(/^none/);
      const s = said(row);
      expect(s.cwd).toBe(realpathSync('/tmp'));
      // Both spellings reach the same file, named absolutely: the command means the same from /tmp.
      expect(JSON.parse(s.argv!)).toEqual([realpathSync(join(project, 'where.py'))]);
    }
  });

  it('keeps a path with spaces and quotes one word when it makes it absolute', async () => {
    const odd = join(tempDir(), "it's a $folder");
    mkdirSync(odd);
    copyFileSync(WHERE, join(odd, 'where.py'));
    const [row] = (await runDetectors({ dataDir: tiny, detectors: [{ command: `python3 "${join(odd, 'where.py')}"` }], timeLimitSeconds: 60 })).runs;
    expect(row!.status, row!.error ?? '').toBe('ok');
    expect(JSON.parse(said(row!).argv!)).toEqual([realpathSync(join(odd, 'where.py'))]);
  });

  it.runIf(SANDBOX)('runs from the home folder, which the sandbox does not hold', () => {
    const project = tempDir();
    copyFileSync(WHERE, join(project, 'where.py'));
    const r = bench(['--isolation', 'bubblewrap', '--detector-cmd', `python3 '${join(project, 'where.py')}'`], homedir());
    expect(r.status, r.stderr).toBe(0);
    expect(r.results!.detectors[0]!.status).toBe('ok');
  });
});

/** A folder that looks like a Python installation to the harness's check, holding `holds` (a folder copied inside it). */
function fakeInstallation(holds?: string): string {
  const prefix = join(tempDir(), 'python-install');
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  mkdirSync(join(prefix, 'lib', 'python3.11'), { recursive: true });
  writeFileSync(join(prefix, 'lib', 'python3.11', 'os.py'), '');
  writeFileSync(join(prefix, 'bin', 'python3.11'), '#!/bin/sh\n', { mode: 0o755 });
  symlinkSync('python3.11', join(prefix, 'bin', 'python3'));
  if (holds) cpSync(holds, join(prefix, 'data'), { recursive: true });
  return prefix;
}

/** A detector folder whose .venv is written by hand: its bin/python a link to `interpreter`, its pyvenv.cfg naming `home`. */
function handMadeVenv(interpreter: string, home = dirname(interpreter)): string {
  const folder = join(tempDir(), 'ml-detector');
  mkdirSync(join(folder, '.venv', 'bin'), { recursive: true });
  writeFileSync(join(folder, '.venv', 'pyvenv.cfg'), `home = ${home}\ninclude-system-site-packages = false\nversion = 3.11.7\n`);
  symlinkSync(interpreter, join(folder, '.venv', 'bin', 'python'));
  copyFileSync(WHERE, join(folder, 'where.py'));
  writeFileSync(
    join(folder, 'detector.json'),
    JSON.stringify({ id: 'ml-detector', version: '1', description: 'x', command: ['.venv/bin/python', 'where.py'] }),
  );
  return folder;
}

function manifestFolder(extra: object): string {
  const folder = join(tempDir(), 'det');
  mkdirSync(folder);
  copyFileSync(WHERE, join(folder, 'where.py'));
  writeFileSync(join(folder, 'detector.json'), JSON.stringify({ id: 'det', version: '1', description: 'x', command: ['python3', 'where.py'], ...extra }));
  return folder;
}

function refusal(spec: DetectorSpec, dataDir = tiny): string {
  try {
    resolveContenders([spec], { dataDir, seed: 1, isolation: 'auto', memoryLimitMb: 256 });
  } catch (e) {
    return (e as Error).message;
  }
  return 'not refused';
}

/**
 * A Python installed outside /usr, the way pyenv, conda and uv install one (PREFIX/bin,
 * PREFIX/lib/python3.X): made here from Debian's /usr/bin/python3, its program copied and its
 * standard library linked, so that the case exists on every machine with a python3.
 */
function pythonOutsideUsr(): string {
  const real = realpathSync('/usr/bin/python3');
  const prefix = join(tempDir(), 'opt-python');
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  mkdirSync(join(prefix, 'lib'));
  copyFileSync(real, join(prefix, 'bin', basename(real)));
  symlinkSync(basename(real), join(prefix, 'bin', 'python3'));
  symlinkSync(join('/usr/lib', basename(real)), join(prefix, 'lib', basename(real)));
  return join(prefix, 'bin', 'python3');
}

/** The python3 first on PATH when it lives outside /usr (pyenv's on a developer's machine), else null. */
function pathPythonOutsideUsr(): string | null {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const exe = r.status === 0 ? r.stdout.trim() : '';
  return exe && !realpathSync(exe).startsWith('/usr/') ? exe : null;
}

/** A detector folder with a real virtual environment made by `python` (no pip: quick), holding the package venvmark. */
function realVenv(python: string): { folder: string; prefix: string } {
  const folder = join(tempDir(), 'venv-detector');
  mkdirSync(folder);
  const made = spawnSync(python, ['-m', 'venv', '--without-pip', join(folder, '.venv')], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`${python} -m venv: ${made.stderr}`);
  const lib = join(folder, '.venv', 'lib');
  writeFileSync(join(lib, readdirSync(lib)[0]!, 'site-packages', 'venvmark.py'), 'MARK = "from-the-venv"\n');
  copyFileSync(WHERE, join(folder, 'where.py'));
  writeFileSync(
    join(folder, 'detector.json'),
    JSON.stringify({ id: 'venv-detector', version: '1', description: 'x', command: ['.venv/bin/python', 'where.py'] }),
  );
  const prefix = spawnSync(python, ['-c', 'import sys; print(sys.base_prefix)'], { encoding: 'utf8' }).stdout.trim();
  return { folder, prefix };
}

const hasUsrPython = existsSync('/usr/bin/python3');
const interpreters: Array<[string, () => string]> = [['a Python installed in a folder of its own', pythonOutsideUsr]];
const onPath = pathPythonOutsideUsr();
if (onPath) interpreters.push([`python3 on PATH, ${onPath}`, () => onPath]);

describe.runIf(hasUsrPython)('a virtual environment made by an interpreter outside /usr', () => {
  it.each(interpreters)('is granted exactly its installation, read-only (%s)', (_, python) => {
    const { folder, prefix } = realVenv(python());
    const [c] = resolveContenders([{ external: folder }], { dataDir: tiny, seed: 1, isolation: 'auto', memoryLimitMb: 256 });
    expect(c!.plan.readable).toEqual([realpathSync(folder)]);
    expect(c!.plan.runtime).toEqual([prefix]);
    expect(whyNotGrant(realpathSync(prefix), forbiddenOf(tiny))).toBeNull();
  });

  it.runIf(SANDBOX).each(interpreters)('runs in the sandbox with its packages, by manifest and by command from another folder (%s)', async (_, python) => {
    const { folder, prefix } = realVenv(python());
    const command = `${join(folder, '.venv', 'bin', 'python')} ${join(folder, 'where.py')}`;
    const r = await runDetectors({ dataDir: tiny, detectors: [{ external: folder }, { command }], isolation: 'bubblewrap', timeLimitSeconds: 60 });
    expect(r.runs).toHaveLength(2);
    for (const row of r.runs) {
      expect(row.status, row.error ?? '').toBe('ok');
      expect(row.isolation).toBe('bubblewrap');
      const s = said(row);
      expect(s.venvmark).toBe('from-the-venv');
      expect(s.base_prefix).toBe(prefix);
    }
  });
});

describe.runIf(hasUsrPython && SANDBOX)('a manifest\'s declared "runtime"', () => {
  it('grants an installation outside the folder (a conda environment, say) that its command runs from', async () => {
    const python = pythonOutsideUsr();
    const prefix = dirname(dirname(python));
    const folder = manifestFolder({ command: [python, 'where.py'], runtime: [prefix] });
    const [c] = resolveContenders([{ external: folder }], { dataDir: tiny, seed: 1, isolation: 'auto', memoryLimitMb: 256 });
    expect(c!.plan.runtime).toEqual([prefix]);
    const [row] = (await runDetectors({ dataDir: tiny, detectors: [{ external: folder }], isolation: 'bubblewrap', timeLimitSeconds: 60 })).runs;
    expect(row!.status, row!.error ?? '').toBe('ok');
    expect(said(row!).base_prefix).toBe(prefix);
  });
});

describe('what cannot be granted is refused in one line naming it, before the run', () => {
  it('the home folder, /tmp and what holds them, never; a folder inside them (an installation) may be', () => {
    const f = forbiddenOf(tiny);
    expect(whyNotGrant(realpathSync(homedir()), f)).toBe('is a home folder');
    expect(whyNotGrant('/', f)).toMatch(/contains the dataset|holds/);
    expect(whyNotGrant(join(realpathSync(homedir()), '.pyenv', 'versions', '3.11.7'), f)).toBeNull();
    expect(whyNotGrant('/etc/ssl', f)).toBe('lies in /etc');
    expect(whyNotGrant('/var', f)).toMatch(/^holds /);
    const elsewhere = { dataset: '/srv/no-such-dataset', truth: null };
    expect(whyNotGrant(realpathSync('/tmp'), elsewhere)).toBe('is the shared temporary folder');
    expect(whyNotGrant(dirname(tiny), f)).toMatch(/contains the dataset/);
    expect(whyNotGrant(realpathSync(tempDir()), f)).toBeNull();
  });

  it.each<[string, () => { spec: DetectorSpec; dataDir?: string }, RegExp]>([
    [
      'an environment whose interpreter lives in an installation holding the dataset',
      () => {
        const prefix = fakeInstallation(tiny);
        return { spec: { external: handMadeVenv(join(prefix, 'bin', 'python3')) }, dataDir: join(prefix, 'data') };
      },
      /its Python \S+\/\.venv\/bin\/python leads to \S+\/python-install\/bin\/python3\.11, whose installation \S+\/python-install contains the dataset \S+\/data; it cannot be granted/,
    ],
    [
      'an environment whose pyvenv.cfg names the dataset as its home',
      () => ({ spec: { external: handMadeVenv('/usr/bin/python3', join(tiny, 'bin')) } }),
      /its Python \S+\/\.venv\/bin\/python leads to \S+, whose installation \S+tiny contains the dataset/,
    ],
    [
      'a dangling interpreter link',
      () => ({ spec: { external: handMadeVenv('/nonexistent/bin/python3') } }),
      /its Python \S+\/\.venv\/bin\/python is a link to \/nonexistent\/bin\/python3, which does not exist/,
    ],
    [
      'a link chain through a folder the sandbox would not hold',
      () => {
        const hop = join(tempDir(), 'hop');
        mkdirSync(hop);
        const prefix = fakeInstallation();
        symlinkSync(join(prefix, 'bin', 'python3'), join(hop, 'python3'));
        return { spec: { external: handMadeVenv(join(hop, 'python3'), join(prefix, 'bin')) } };
      },
      /its Python \S+\/\.venv\/bin\/python links through \S+\/hop\/python3, outside the environment and the installation/,
    ],
    [
      'an interpreter link into a folder that is no Python installation',
      () => {
        const dir = join(tempDir(), 'not-python', 'bin');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'python3'), '');
        return { spec: { external: handMadeVenv(join(dir, 'python3')) } };
      },
      /its Python \S+\/\.venv\/bin\/python leads to \S+not-python\/bin\/python3, whose installation \S+not-python is not a Python installation/,
    ],
    [
      '.venv a link to an environment outside the folder',
      () => {
        const outside = handMadeVenv('/usr/bin/python3');
        const folder = manifestFolder({});
        symlinkSync(join(outside, '.venv'), join(folder, '.venv'));
        return { spec: { external: folder } };
      },
      /\.venv is a link to the virtual environment \S+, outside what the detector may read: .*declare .* in the manifest's "runtime"/,
    ],
    [
      'a runtime path holding the dataset',
      () => ({ spec: { external: manifestFolder({ runtime: [dirname(tiny)] }) } }),
      /detector\.json: runtime path \S+ contains the dataset/,
    ],
    ['a relative runtime path', () => ({ spec: { external: manifestFolder({ runtime: ['lib/python'] }) } }), /runtime path "lib\/python" is not absolute/],
    [
      'a runtime path with ..',
      () => ({ spec: { external: manifestFolder({ runtime: [`${tiny}/../x`] }) } }),
      /runtime path ".*\/\.\.\/x" is not written plainly/,
    ],
    ['the home folder as a runtime path', () => ({ spec: { external: manifestFolder({ runtime: [homedir()] }) } }), /runtime path \S+ is a home folder/],
    ['/etc as a runtime path', () => ({ spec: { external: manifestFolder({ runtime: ['/etc'] }) } }), /runtime path \/etc lies in \/etc/],
    [
      'a runtime path that is a link to the dataset',
      () => {
        const link = join(tempDir(), 'runtime-link');
        symlinkSync(tiny, link);
        return { spec: { external: manifestFolder({ runtime: [link] }) } };
      },
      /runtime path \S+runtime-link \(\S+tiny\) contains the dataset/,
    ],
    [
      "a runtime path holding the dataset's truth, kept outside the dataset by a link",
      () => {
        const data = join(tempDir(), 'data');
        mkdirSync(data);
        for (const name of readdirSync(tiny)) if (name !== 'truth') cpSync(join(tiny, name), join(data, name), { recursive: true });
        const elsewhere = join(tempDir(), 'answers');
        cpSync(join(tiny, 'truth'), join(elsewhere, 'truth'), { recursive: true });
        symlinkSync(join(elsewhere, 'truth'), join(data, 'truth'));
        return { spec: { external: manifestFolder({ runtime: [elsewhere] }) }, dataDir: data };
      },
      /runtime path \S+answers contains the dataset's truth \S+answers\/truth/,
    ],
    [
      'a program outside the folder, in no declared runtime',
      () => ({ spec: { external: manifestFolder({ command: [join(fakeInstallation(), 'bin', 'python3'), 'where.py'] }) } }),
      /detector\.json: its command's program \S+python-install\/bin\/python3 is outside the folder; declare the installation it is in as "runtime"/,
    ],
    [
      'the interpreter of an environment outside the folder, in no declared runtime',
      () => {
        const outside = handMadeVenv('/usr/bin/python3');
        return { spec: { external: manifestFolder({ command: [join(outside, '.venv', 'bin', 'python'), 'where.py'] }) } };
      },
      /its command's program \S+\.venv\/bin\/python is outside the folder; declare the installation it is in as "runtime"/,
    ],
    [
      'a missing program',
      () => ({ spec: { external: manifestFolder({ command: ['./run.sh'] }) } }),
      /detector\.json: its command's program \.\/run\.sh does not exist/,
    ],
    ['a command naming the home folder', () => ({ spec: { command: `python3 ${WHERE} ${homedir()}` } }), /: \S+ is a home folder; a detector may not see it/],
    [
      'a command whose .. leads into the dataset',
      () => ({ spec: { command: `cat ${tiny}/../${basename(tiny)}/truth/incidents.jsonl` } }),
      /lies inside the dataset/,
    ],
  ])('%s', (_, make, message) => {
    const { spec, dataDir } = make();
    const m = refusal(spec, dataDir);
    expect(m).toMatch(message);
    expect(m).not.toMatch(/\n/);
  });

  it('from the command line: exit 2, that one line, no stack, nothing run or written', () => {
    const prefix = fakeInstallation(tiny);
    const folder = handMadeVenv(join(prefix, 'bin', 'python3'));
    const r = bench(['--detector', folder], tempDir(), join(prefix, 'data'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ato-bench: \S+ml-detector: its Python \S+\/\.venv\/bin\/python leads to .* contains the dataset/);
    expect(r.stderr).not.toMatch(/reading the stream|at .*\.js:\d+/);
    expect(r.results).toBeNull();
  });
});

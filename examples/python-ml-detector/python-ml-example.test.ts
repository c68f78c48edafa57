/**
 * The Python example that needs packages, as a user sets it up: a virtual environment in its
 * folder (here Debian's numpy and scikit-learn, through --system-site-packages, which .ci/run
 * installs), run through the harness in bubblewrap from another folder. It must import both
 * inside the sandbox, answer the whole stream and raise alerts; its manifest names it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/benchmark.js';
import { bubblewrap } from '../../bench/sandbox.js';
import { loadPreset } from '../../generator/config.js';
import { generateDataset } from '../../generator/pipeline/generate.js';
import { CLI, tempDir } from '../../generator/testing/test-helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SANDBOX = bubblewrap().path !== null;
let tiny: string;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
});

// Skipped only without bubblewrap, like every test of the sandbox (bubblewrap().why says why).
describe.runIf(SANDBOX)('examples/python-ml-detector (numpy, scikit-learn, in a virtual environment)', () => {
  it('runs in bubblewrap from another folder, with its packages, over the whole stream', () => {
    const packages = spawnSync('/usr/bin/python3', ['-c', 'import numpy, sklearn'], { encoding: 'utf8' });
    expect(packages.status, `Debian's python3-numpy and python3-sklearn are needed (.ci/run installs them): ${packages.stderr}`).toBe(0);
    const folder = join(tempDir(), 'python-ml-detector');
    cpSync(HERE, folder, { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
    const venv = spawnSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '--without-pip', join(folder, '.venv')], { encoding: 'utf8' });
    expect(venv.status, venv.stderr).toBe(0);

    const out = join(tempDir(), 'results.json');
    const r = spawnSync(process.execPath, [CLI, 'bench', '--data', tiny, '--detector', folder, '--isolation', 'bubblewrap', '--bootstrap', '0', '--out', out], {
      cwd: tempDir(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(existsSync(out)).toBe(true);
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    const row = results.detectors[0]!;
    expect(row.id).toBe('python-ml-example');
    expect(row.version).toBe('1.0.0');
    expect(row.status, row.error ?? '').toBe('ok');
    expect(row.isolation).toBe('bubblewrap');
    expect(row.speed.emails).toBe(results.dataset.emails);
    expect(row.alerts.length).toBeGreaterThan(0);
    for (const a of row.alerts) expect(a.reason).toMatch(/^an unusual day \(Mahalanobis² \d+\.\d\): \d+ emails in 24 h/);
  });

  it('without its environment: exit 2 before the run, one line naming the missing interpreter', () => {
    const folder = join(tempDir(), 'python-ml-detector');
    cpSync(HERE, folder, { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
    const out = join(tempDir(), 'results.json');
    const r = spawnSync(process.execPath, [CLI, 'bench', '--data', tiny, '--detector', folder, '--bootstrap', '0', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/detector\.json: its command's program \.venv\/bin\/python does not exist/);
    expect(existsSync(out)).toBe(false);
  });
});

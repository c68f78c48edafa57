/**
 * The regression gate as a team runs it from its own repository, which installed the packed
 * tarball: `npx ato-bench gate` with no --data (the pinned dataset generated once into the user's
 * dataset cache, nothing written under node_modules), and the shipped GitHub Actions workflow
 * (examples/github-actions/) with its run: steps executed in that repository by a stand-in for
 * the runner (generator/testing/actions.ts), actions/cache emulated, `gh` replaced by a recorder.
 *
 * The gate config is the shipped example's with the tiny preset and no bootstrap, so that the
 * file takes seconds per gate rather than the default preset's two minutes (measured: generating
 * the default preset's 419 MB and writing the baseline took 128 s on a busy 2-core machine).
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../generator/testing/test-helpers.js';
import { installedProject, packTarball, run } from '../generator/testing/consumer.js';
import { runJob } from '../generator/testing/actions.js';
import type { JobRun } from '../generator/testing/actions.js';

let repo: string;
let xdg: string;
let env: NodeJS.ProcessEnv;
let nodeModulesBefore: Map<string, string>;
let firstBaseline: ReturnType<typeof run>;
const GATE = ['ato-bench', 'gate', '--config', 'gate/gate.json', '--baseline', 'gate/baseline.json', '--known-fps', 'gate/known-fps.csv'];
const RULE = join('team-rules', 'marketplace-platform-takeover-notice.yaml');

/** Every path under node_modules with its size and modification time: what a write would change. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      out.set(relative(dir, p), `${s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  repo = installedProject(packTarball(), { ci: true });
  const pkg = join(repo, 'node_modules', 'ato-bench');
  // What the example's README says to copy, with the gate config made small (see above) and a
  // team's rule folder added, whose rule carries its own must-fire data.
  mkdirSync(join(repo, '.github', 'workflows'), { recursive: true });
  cpSync(join(pkg, 'examples', 'github-actions', 'ato-bench-gate.yml'), join(repo, '.github', 'workflows', 'ato-bench-gate.yml'));
  cpSync(join(pkg, 'examples', 'github-actions', 'gate'), join(repo, 'gate'), { recursive: true });
  const config = JSON.parse(readFileSync(join(repo, 'gate', 'gate.json'), 'utf8')) as {
    detectors: string[];
    tolerances: Record<string, number>;
  };
  writeFileSync(
    join(repo, 'gate', 'gate.json'),
    JSON.stringify(
      {
        ...config,
        preset: 'tiny',
        bootstrapSamples: 0,
        // Speed on 2,000 emails on a machine shared with other tests is noise, not what this file tests.
        tolerances: { ...config.tolerances, speedRatio: 0 },
        // The bundled rules' must-fire data (detectors/fixtures.json) name scenarios only the
        // default preset holds: on tiny they fail, as they should. The team's rules take their place.
        detectors: [...config.detectors.filter((d) => d !== 'rules'), 'rules:dir=team-rules'],
      },
      null,
      2,
    ),
  );
  mkdirSync(join(repo, 'team-rules'));
  const rule = readFileSync(join(pkg, 'detectors', 'rules', 'marketplace', 'marketplace-platform-takeover-notice.yaml'), 'utf8');
  writeFileSync(
    join(repo, RULE),
    rule.replace(/\ntests:[\s\S]*$/, '\ntests:\n  mustFire: [ato-marketplace-dormant-burst]\n  mustNotFire: [lookalike-sale-spree]\n'),
  );

  // The user's cache folder by default: $XDG_CACHE_HOME/ato-bench here, never this machine's home.
  xdg = tempDir();
  env = { ...process.env, XDG_CACHE_HOME: xdg };
  delete env.ATO_BENCH_CACHE_DIR; // vitest.config.ts sets it for the other tests
  nodeModulesBefore = snapshot(join(repo, 'node_modules'));
  firstBaseline = run('npx', [...GATE, '--update-baseline'], repo, env);
  expect(firstBaseline.status, firstBaseline.stderr).toBe(0);
}, 600_000);

describe('the gate from an installed package', () => {
  it('generates the pinned dataset into the user cache folder, says which, passes with no --data and writes nothing under node_modules', () => {
    const cache = join(xdg, 'ato-bench');
    expect(firstBaseline.stderr).toContain(`dataset cache: ${cache} (from XDG_CACHE_HOME; set it with --cache-dir DIR or ATO_BENCH_CACHE_DIR)`);
    expect(firstBaseline.stderr).toMatch(new RegExp(`generated ${cache}/tiny-[\\d.]+-v\\d+-[0-9a-f]{12} in `));
    expect(firstBaseline.stdout).toMatch(/^baseline written: .*gate\/baseline\.json and .*gate\/baseline\.speed\.json/);
    const [dataset, ...others] = readdirSync(cache);
    expect(others).toEqual([]);
    expect(existsSync(join(cache, dataset!, 'manifest.json'))).toBe(true);

    const pass = run('npx', GATE, repo, env);
    expect(pass.status, pass.stdout + pass.stderr).toBe(0);
    expect(pass.stdout).toMatch(/PASS/);
    expect(pass.stderr).toContain(`reusing ${join(cache, dataset!)} (its files match its manifest)`);
    expect(snapshot(join(repo, 'node_modules'))).toEqual(nodeModulesBefore);
  });

  it('refuses, exit 2 and one line, a cache folder inside node_modules, where every detector may read', () => {
    const r = run('npx', [...GATE, '--cache-dir', 'node_modules/.cache/ato-bench'], repo, env);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `ato-bench: the dataset cache ${join(repo, 'node_modules', '.cache', 'ato-bench')} (from --cache-dir) is inside a node_modules folder, which every detector may read: choose a folder outside it with --cache-dir DIR or ATO_BENCH_CACHE_DIR`,
    );
    expect(existsSync(join(repo, 'node_modules', '.cache'))).toBe(false);
  });

  it("refuses to write --update-baseline's default, the package's own baseline, inside node_modules", () => {
    const r = run('npx', ['ato-bench', 'gate', '--config', 'gate/gate.json', '--update-baseline'], repo, env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^ato-bench: --update-baseline would write .*node_modules\/ato-bench\/bench\/gate\/baseline\.json, inside node_modules: give --baseline FILE in your repository$/m,
    );
  });
});

describe('the shipped GitHub Actions workflow, in that repository', () => {
  it('passes and comments with the cache saved; a broken rule then fails the check, the dataset restored from the cache', () => {
    const workflow = join(repo, '.github', 'workflows', 'ato-bench-gate.yml');
    const saved = new Map<string, string>(); // actions/cache's store: key -> a copy of the folder
    const bin = tempDir();
    const ghLog = join(bin, 'gh.log');
    writeFileSync(join(bin, 'gh'), '#!/bin/sh\nprintf \'%s GH_TOKEN=%s\\n\' "$*" "$GH_TOKEN" >> "$GH_LOG"\n');
    chmodSync(join(bin, 'gh'), 0o755);
    const job = (event: Record<string, unknown>): JobRun & { caches: string[] } => {
      const temp = tempDir();
      rmSync(join(repo, 'gate-report'), { recursive: true, force: true }); // each run starts from a fresh checkout
      const caches: string[] = [];
      let post: (() => void) | undefined;
      const r = runJob({
        workflow,
        job: 'gate',
        workspace: repo,
        temp,
        github: { event_name: 'pull_request', repository: 'team/mail-detectors', token: 'a-token', event },
        baseEnv: { ...env, PATH: `${bin}:${env.PATH}`, GH_LOG: ghLog },
        // The workflow's install is the command installedProject ran on this lock (ci: true); once is enough.
        skip: (s) => (s.run === 'npm ci' ? 'beforeAll ran npm ci on this lock' : undefined),
        uses: (step, inputs) => {
          const action = step.uses!.split('@')[0];
          if (action === 'actions/checkout') return { skipped: 'the temporary repository is the checkout' };
          if (action === 'actions/setup-node') return { skipped: `Node ${process.version} runs the tests` };
          if (action === 'actions/upload-artifact') {
            expect(readdirSync(join(repo, inputs.path!)).sort()).toEqual(['compare.json', 'junit.xml', 'report.html', 'report.md', 'results.json']);
            return { done: `would upload ${inputs.path}` };
          }
          if (action === 'actions/cache') {
            const { path, key } = inputs as { path: string; key: string };
            expect(path).toBe(join(temp, 'ato-bench-cache'));
            const hit = saved.get(key);
            if (hit) cpSync(hit, path, { recursive: true });
            caches.push(`${hit ? 'hit' : 'miss'} ${key}`);
            // Its post step saves the folder once the job succeeded (post-if: success()).
            post = () => {
              if (!saved.has(key)) {
                saved.set(key, tempDir());
                cpSync(path, saved.get(key)!, { recursive: true });
              }
            };
            return { done: hit ? 'restored' : 'missed' };
          }
          throw new Error(`no stand-in for ${step.uses}`);
        },
      });
      if (r.ok) post?.();
      return { ...r, caches };
    };
    const outcomes = (r: JobRun) => r.steps.map((s) => `${s.outcome}: ${s.name}`);
    const step = (r: JobRun, name: RegExp) => r.steps.find((s) => name.test(s.name))!;
    const version = (JSON.parse(readFileSync(join(repo, 'node_modules', 'ato-bench', 'package.json'), 'utf8')) as { version: string }).version;

    const sameRepo = { pull_request: { number: 7, head: { repo: { full_name: 'team/mail-detectors' } } } };
    const pass = job(sameRepo);
    expect(outcomes(pass), JSON.stringify(pass.steps, null, 1)).toEqual([
      'skipped: actions/checkout@v4',
      'skipped: actions/setup-node@v4',
      'skipped: npm ci',
      "success: The dataset cache's folder, and the ato-bench version its key names",
      'success: Cache the pinned dataset (regenerated byte for byte when missing)',
      'success: Run the gate',
      'success: Comment on the pull request',
      'success: Upload the reports',
      'skipped: Fail the check when the gate failed (3), the baseline is incompatible (4) or it could not run',
    ]);
    expect(pass.ok).toBe(true);
    expect(pass.caches).toEqual([expect.stringMatching(new RegExp(`^miss ato-bench-dataset-${version.replace(/\./g, '\\.')}-[0-9a-f]{64}$`))]);
    expect(step(pass, /^Run the gate/).stderr).toMatch(/dataset cache: \S+\/ato-bench-cache \(from ATO_BENCH_CACHE_DIR;/);
    expect(step(pass, /^Run the gate/).stderr).toMatch(/generated \S+\/ato-bench-cache\/tiny-/);
    expect(pass.summary).toMatch(/PASS/);
    expect(readFileSync(ghLog, 'utf8')).toBe('pr comment 7 --body-file gate-report/report.md --edit-last GH_TOKEN=a-token\n');
    expect(readdirSync(join(repo, 'node_modules', 'ato-bench', 'datasets'))).toEqual(['presets']);

    // The same pull request from a fork, after the rule lost its first condition's reach: the
    // gate fails (3), the check fails, and no comment is tried (a fork's token cannot write).
    rmSync(ghLog);
    const good = readFileSync(join(repo, RULE), 'utf8');
    writeFileSync(join(repo, RULE), good.replace('score: 0.9', 'when:\n  - count: { event: marketplace.order, within: 1h, atLeast: 50 }\nscore: 0.9'));
    try {
      const fork = { pull_request: { number: 8, head: { repo: { full_name: 'someone/mail-detectors' } } } };
      const fail = job(fork);
      expect(outcomes(fail)).toEqual([
        'skipped: actions/checkout@v4',
        'skipped: actions/setup-node@v4',
        'skipped: npm ci',
        "success: The dataset cache's folder, and the ato-bench version its key names",
        'success: Cache the pinned dataset (regenerated byte for byte when missing)',
        'success: Run the gate',
        'skipped: Comment on the pull request',
        'success: Upload the reports',
        'failure: Fail the check when the gate failed (3), the baseline is incompatible (4) or it could not run',
      ]);
      expect(fail.ok).toBe(false);
      expect(fail.caches).toEqual([pass.caches[0]!.replace('miss', 'hit')]);
      expect(step(fail, /^Run the gate/).stderr).toMatch(/reusing \S+\/ato-bench-cache\/tiny-\S+ \(its files match its manifest\)/);
      expect(step(fail, /^Fail the check/).stdout).toMatch(/^ato-bench gate exited with 3: /);
      expect(fail.summary).toMatch(/FAIL/);
      expect(fail.summary).toMatch(/marketplace-platform-takeover-notice: fires on 0 of \d+ ato-marketplace-dormant-burst/);
      expect(existsSync(ghLog)).toBe(false);
    } finally {
      writeFileSync(join(repo, RULE), good);
    }
  });
});

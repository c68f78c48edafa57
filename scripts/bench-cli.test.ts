/**
 * `ato-bench bench` from the command line: what is wrong with a contender is refused before any
 * work (exit 2, one line, no stack); a run in which a contender failed keeps its results and
 * exits 1 (0 with --keep-going).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESULTS_SCHEMA_VERSION } from '../bench/benchmark.js';
import { loadPreset } from '../generator/config.js';
import { generateDataset } from '../generator/pipeline/generate.js';
import { CLI, cli, tempDir, treeHashes } from '../generator/testing/test-helpers.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'fixtures');
/** A detector folder whose detector.json declares parameters of each type; it writes them to stderr. */
const PARAMS_FIXTURE = join(FIXTURES, 'params-detector');
let tiny: string;

beforeAll(async () => {
  tiny = join(tempDir(), 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: tiny });
});

describe('ato-bench bench: contenders are checked before any work', () => {
  const impostor = (): string => {
    const file = join(tempDir(), 'impostor.mjs');
    writeFileSync(file, "export default { id: 'oracle', version: '1', description: 'claims to be the oracle', create: () => ({ onEmail() {} }) };\n");
    return file;
  };
  const manifestFolder = (manifest: object): string => {
    const dir = join(tempDir(), 'det');
    mkdirSync(dir);
    writeFileSync(join(dir, 'detector.json'), JSON.stringify(manifest));
    return dir;
  };

  it.each([
    ['an unknown detector', () => ['--detectors', 'magic'], /unknown detector "magic"; known detectors: null, random/],
    ['a bad parameter value', () => ['--detectors', 'random:rate=abc'], /random:rate=abc: random: rate must be in \[0, 1\] \(got abc\)/],
    ['an unknown parameter', () => ['--detectors', 'naive-burst:count=3'], /naive-burst has no parameter "count"; it takes: n \(/],
    ['a parameter of a detector that takes none', () => ['--detectors', 'null:x=1'], /null has no parameter "x"; it takes none/],
    ['a missing file', () => ['--detector', './no-such-detector.mjs'], /no such file or folder/],
    ['an id that is a built-in’s', () => ['--detector', impostor()], /its id "oracle" is a built-in detector's/],
    ['a folder without detector.json', () => ['--detector', tempDir()], /has no detector\.json/],
    [
      'a manifest that is not one',
      () => ['--detector', manifestFolder({ id: 'My Model', version: '1', description: 'x' })],
      /detector\.json: id: kebab-case.*give either "command" or "module"/,
    ],
    ['a detector folder that holds the dataset', () => ['--detector-cmd', `cat ${tiny}/truth/incidents.jsonl`], /lies inside the dataset/],
    [
      '--param of a key the manifest does not declare',
      () => ['--detector', PARAMS_FIXTURE, '--param', 'windowhours=12'],
      /params-detector:windowhours=12: no parameter "windowhours"; it takes: n \(integer, default 5, 1 to 1000: a count\); rate/,
    ],
    [
      '--param of a bad value',
      () => ['--detector', PARAMS_FIXTURE, '--param', 'n=lots'],
      /params-detector:n=lots: parameter n \(integer, default 5, 1 to 1000: a count\) must be an integer, got "lots"/,
    ],
    ['--param out of range', () => ['--detector', PARAMS_FIXTURE, '--param', 'rate=2'], /parameter rate .* must be from 0 to 1, got "2"/],
    ['--param of a value not in its enum', () => ['--detector', PARAMS_FIXTURE, '--param', 'mode=medium'], /must be one of fast, slow, got "medium"/],
    ['--param for a command', () => ['--detector-cmd', 'true', '--param', 'n=3'], /--param n=3: cmd:true is a command and declares no parameters/],
    [
      '--param without a detector named, when there are two',
      () => ['--detector', PARAMS_FIXTURE, '--detector', join(FIXTURES, 'example.mjs'), '--param', 'n=3'],
      /--param n=3: 2 external detectors run; name one: --param DETECTOR:n=\.\.\./,
    ],
    [
      '--param naming no --detector',
      () => ['--detector', PARAMS_FIXTURE, '--param', './elsewhere:n=3'],
      /--param \.\/elsewhere:n=3: \.\/elsewhere is not one of the --detector values/,
    ],
    ['--param that is not key=value', () => ['--detector', PARAMS_FIXTURE, '--param', 'n'], /--param n: not KEY=VALUE or DETECTOR:KEY=VALUE/],
    [
      '--param of a key a module does not export',
      () => ['--detector', join(FIXTURES, 'example.mjs'), '--param', 'n=3'],
      /example\.mjs:n=3: no parameter "n"; it declares none/,
    ],
  ])('%s: exit 2, one line, no stack, nothing read', (_, args, message) => {
    const out = join(tempDir(), 'results.json');
    const r = cli(['bench', '--data', tiny, ...args(), '--out', out]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/reading the stream|at .*\.js:\d+/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('an --out folder that does not exist is refused before the run', () => {
    const r = cli(['bench', '--data', tiny, '--detectors', 'null', '--out', join(tempDir(), 'missing', 'results.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .*: the folder .* does not exist or cannot be written/);
    expect(r.stderr).not.toMatch(/reading the stream/);
  });
});

describe('ato-bench bench --param, and the log of a detector that succeeded', () => {
  it('sends the declared defaults with the values given, and keeps the head and tail of its stderr in the results', () => {
    const out = join(tempDir(), 'results.json');
    const r = cli([
      'bench',
      '--data',
      tiny,
      '--detector',
      PARAMS_FIXTURE,
      '--param',
      'n=7',
      '--param',
      `${PARAMS_FIXTURE}/:tag=x`,
      '--param',
      'rate=0.25',
      '--bootstrap',
      '0',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const row = (JSON.parse(readFileSync(out, 'utf8')) as { detectors: Array<{ status: string; spec: string; stderr?: string }> }).detectors[0]!;
    expect(row.status).toBe('ok');
    // Every declared default, the values given in place of theirs, canonical; `tag` (no default) only because it was given.
    const params = JSON.parse(/^params (\{.*\})$/m.exec(row.stderr ?? '')?.[1] ?? 'null') as unknown;
    expect(params).toEqual({ n: '7', rate: '0.25', mode: 'fast', verbose: 'false', label: 'plain', tag: 'x' });
    // 10 KiB of log: its first and last 4 KiB are kept, the middle left out and counted.
    expect(row.stderr).toMatch(/^params /);
    expect(row.stderr).toMatch(/\[\.\.\. \d+ bytes left out \.\.\.\]/);
    expect(row.stderr!.trimEnd()).toMatch(/last words of the log$/);
    expect(row.stderr!.length).toBeLessThan(8400);
    // The row says how it was asked for, so two runs with other values stay apart.
    expect(row.spec).toBe(`${PARAMS_FIXTURE}:n=7:tag=x:rate=0.25`);
  });
});

describe.runIf(existsSync('/usr/bin/python3'))('ato-bench bench --ready-timeout', () => {
  it('a Python detector that never flushes is one ERROR line naming the missing ready and the flush rule, at the deadline, exit 1', () => {
    const dir = join(tempDir(), 'unflushed');
    mkdirSync(dir);
    // print() without flush: on a pipe, the ready stays in Python's buffer.
    writeFileSync(join(dir, 'detector.py'), 'import json, sys\nfor line in sys.stdin:\n    print(json.dumps({"type": "ready", "protocol": 1}))\n');
    writeFileSync(
      join(dir, 'detector.json'),
      JSON.stringify({ id: 'unflushed', version: '1', description: 'x', command: ['/usr/bin/python3', 'detector.py'] }),
    );
    const started = Date.now();
    const r = cli(['bench', '--data', tiny, '--detector', dir, '--ready-timeout', '2', '--bootstrap', '0']);
    const seconds = (Date.now() - started) / 1000;
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout.split('\n').filter((l) => l.includes('ready'));
    expect(lines).toEqual([
      '  ERROR: no ready within 2 s of its start (--ready-timeout): nothing reached the harness on its stdout; answer hello with {"type":"ready","protocol":1} and flush stdout after every line (Python: print(..., flush=True) or python3 -u)',
    ]);
    expect(r.stdout).not.toMatch(/TIMEOUT|the time limit/);
    expect(seconds).toBeLessThan(60); // the time limit is 300 s
  });
});

describe('ato-bench bench: a detector installed as a package', () => {
  it('is found from the working directory and may import its own dependencies, read-only', () => {
    const project = tempDir();
    const nm = join(project, 'node_modules');
    mkdirSync(join(nm, 'order-words'), { recursive: true });
    writeFileSync(join(nm, 'order-words', 'package.json'), JSON.stringify({ name: 'order-words', version: '1.0.0', type: 'module', exports: './index.js' }));
    writeFileSync(join(nm, 'order-words', 'index.js'), 'export const ORDER = /ご注文の確認|Your Hanamart order/;\n');
    mkdirSync(join(nm, 'my-detector'));
    writeFileSync(join(nm, 'my-detector', 'package.json'), JSON.stringify({ name: 'my-detector', version: '2.0.0', type: 'module', main: 'detector.js' }));
    writeFileSync(
      join(nm, 'my-detector', 'detector.js'),
      [
        "import { ORDER } from 'order-words';",
        "import { writeFileSync } from 'node:fs';",
        'export default {',
        "  id: 'my-detector', version: '2.0.0', description: 'orders, by a dependency',",
        '  create() {',
        '    let wrote = false;',
        "    try { writeFileSync(new URL('./scratch', import.meta.url), 'x'); wrote = true; } catch {}",
        "    if (wrote) throw new Error('could write into its own package');",
        "    return { onEmail: (e) => (ORDER.test(e.subject) ? { mailbox: e.mailbox, score: 0.5, reason: 'an order', evidence: [e.id] } : undefined) };",
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    const r = spawnSync(process.execPath, [CLI, 'bench', '--data', tiny, '--detector', 'my-detector', '--bootstrap', '0'], { cwd: project, encoding: 'utf8' });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^my-detector +\d+%/m);
    expect(existsSync(join(nm, 'my-detector', 'scratch'))).toBe(false);
  });
});

describe('ato-bench bench: a failed contender', () => {
  it('keeps every result, says which failed, exits 1; --keep-going exits 0', () => {
    const out = join(tempDir(), 'results.json');
    const r = cli(['bench', '--data', tiny, '--detectors', 'marketplace-rules', '--detector', join(FIXTURES, 'throws.mjs'), '--bootstrap', '0', '--out', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/ERROR: boom at email 50/);
    expect(r.stderr).toMatch(/throws\.mjs error \(results kept; --keep-going to exit 0\)/);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { detectors: Array<{ id: string; status: string }> };
    expect(results.detectors.map((d) => [d.id, d.status])).toEqual([
      ['marketplace-rules', 'ok'],
      ['fixture-throws', 'error'],
    ]);
    const kept = cli(['bench', '--data', tiny, '--detector', join(FIXTURES, 'throws.mjs'), '--bootstrap', '0', '--keep-going']);
    expect(kept.status).toBe(0);
  });
});

describe('reports for every run', () => {
  it('bench and compare write the same reports as the gate with --report-dir', () => {
    const work = tempDir();
    const bench = cli([
      'bench',
      '--data',
      tiny,
      '--detectors',
      'rules,null',
      '--bootstrap',
      '0',
      '--out',
      join(work, 'r.json'),
      '--report-dir',
      join(work, 'bench'),
    ]);
    expect(bench.status, bench.stderr).toBe(0);
    expect(readdirSync(join(work, 'bench')).sort()).toEqual(['junit.xml', 'report.html', 'report.md', 'results.json']);
    expect(readFileSync(join(work, 'bench', 'report.md'), 'utf8')).toMatch(/## ato-bench leaderboard[\s\S]*### Per rule: rules/);
    expect(readFileSync(join(work, 'bench', 'junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(join(work, 'bench', 'report.html'), 'utf8')).toMatch(/<section id="leaderboard">/);
    const compare = cli(['compare', '--baseline', join(work, 'r.json'), '--results', join(work, 'r.json'), '--report-dir', join(work, 'compare')]);
    expect(compare.status, compare.stderr).toBe(0);
    expect(readdirSync(join(work, 'compare')).sort()).toEqual(['compare.json', 'junit.xml', 'report.html', 'report.md', 'results.json']);
  });
});

describe('one error path', () => {
  it.runIf(existsSync('/usr/bin/prlimit'))(
    'a problem of the environment (a file it cannot write whole) is one line, exit 1, nothing left; --debug adds the stack',
    () => {
      const dir = tempDir();
      const out = join(dir, 'results.json');
      // A 4 KB limit on file size: the results cannot be written whole (EFBIG), as on a full disk.
      const args = ['--fsize=4096', process.execPath, CLI, 'bench', '--data', tiny, '--detectors', 'rules', '--bootstrap', '0', '--out', out];
      const r = spawnSync('/usr/bin/prlimit', args, { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^ato-bench: ${out}: file too large .*\\(write, EFBIG\\)$`, 'm'));
      expect(r.stderr).not.toMatch(/at .*\.js:\d+|unexpected/);
      expect(readdirSync(dir)).toEqual([]);
      const debug = spawnSync('/usr/bin/prlimit', [...args, '--debug'], { encoding: 'utf8' });
      expect(debug.status).toBe(1);
      expect(debug.stderr).toMatch(/at .*\.js:\d+/);
    },
  );

  it.each([
    [
      'an unknown --profile, before any detector runs',
      () => ['bench', '--data', tiny, '--detectors', 'null', '--profile', 'nosuch'],
      2,
      /unknown profile "nosuch"; bundled profiles: low-fn, low-fp, standard/,
    ],
    [
      'a gate config without detectors',
      () => {
        const cfg = join(tempDir(), 'gate.json');
        writeFileSync(cfg, '{"preset":"tiny"}');
        return ['gate', '--config', cfg, '--data', tiny];
      },
      2,
      /invalid gate config .*gate\.json:\n  detectors: /,
    ],
    [
      'a results file without alerts',
      () => {
        const dir = tempDir();
        writeFileSync(
          join(dir, 'r.json'),
          JSON.stringify({
            schema: 'ato-bench/results',
            schemaVersion: RESULTS_SCHEMA_VERSION,
            dataset: { manifestSha256: 'x', seed: 1, mailboxes: 1, mailboxDays: 1, emails: 1 },
            detectors: [{ id: 'a', spec: 'a', incidents: [] }],
            floors: { readParsePerSecond: 1 },
            scoring: { profile: { weights: { tp: 1, fn: 1, fp: 1 } } },
          }),
        );
        return ['compare', '--baseline', join(dir, 'r.json'), '--results', join(dir, 'r.json')];
      },
      2,
      /is not an ato-bench results file: detectors\.0\.alerts/,
    ],
    [
      'a dataset whose emails.jsonl is a link loop',
      () => {
        const dir = join(tempDir(), 'ds');
        cpSync(tiny, dir, { recursive: true });
        rmSync(join(dir, 'emails.jsonl'));
        symlinkSync(join(dir, 'emails.jsonl'), join(dir, 'emails.jsonl'));
        return ['bench', '--data', dir, '--detectors', 'null'];
      },
      1,
      /emails\.jsonl: a link that leads nowhere \(or loops\)/,
    ],
  ] as const)('%s: one line, its exit code, no stack', (_, args, status, message) => {
    const r = cli([...args()]);
    expect(r.status, r.stderr).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+|unexpected|running null/);
  });

  it('no output may land inside the dataset it reads: one line, exit 2, before any work, the dataset untouched', () => {
    const before = treeHashes(tiny);
    const cases: Array<[string[], string]> = [
      [['bench', '--data', tiny, '--detectors', 'null', '--out', join(tiny, 'emails.jsonl')], '--out'],
      [['bench', '--data', tiny, '--detectors', 'null', '--report-dir', join(tiny, 'truth')], '--report-dir'],
      [['score', '--data', tiny, '--alerts', '/dev/null', '--name', 'my-model', '--out', join(tiny, 'truth', 'labels.jsonl')], '--out'],
      [['inspect', tiny, '--html', join(tiny, 'README.md')], '--html'],
      [['gate', '--data', tiny, '--out-dir', tiny], '--out-dir'],
    ];
    for (const [args, flag] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toMatch(new RegExp(`^ato-bench: ${flag} \\S+ is inside the dataset ${tiny}: write it elsewhere`));
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(treeHashes(tiny)).toEqual(before);
  });

  it('an input that is a folder, not a file, is one line and exit 2', () => {
    const dir = tempDir();
    const r = cli(['score', '--data', tiny, '--alerts', dir, '--name', 'my-model']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`ato-bench: --alerts ${dir}: no such file`);
  });
});

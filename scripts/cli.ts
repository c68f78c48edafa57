#!/usr/bin/env node
/**
 * The `ato-bench` command: a thin commander shell over the library functions. Every problem the
 * user can act on is an AtoBenchError carrying its exit code (generator/core/errors.ts: 0 ok,
 * 1 failure, 2 usage, 3 gate failed, 4 baseline incompatible), printed as one line; --debug adds
 * the stack.
 */
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfigFile, loadPreset, presetNames } from '../generator/config.js';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';
import { packageRoot } from '../generator/core/paths.js';
import type { Config } from '../generator/config.js';
import { generateDataset, generateShard } from '../generator/pipeline/generate.js';
import { assembleDataset } from '../generator/pipeline/assemble.js';
import { SHARD_INDEX_VARIABLES, parseShard, shardFromEnv } from '../generator/pipeline/machine-shard.js';
import type { MachineShard } from '../generator/pipeline/shard.js';
import { exportDataset, exportableFormats } from '../generator/pipeline/export.js';
import type { Format } from '../generator/pipeline/generate.js';
import { formatIds, resolveFormats } from '../generator/output/formats.js';
import { loadScenarios } from '../generator/scenarios/load.js';
import { verifyDataset } from '../datasets/verify.js';
import { CACHE_DIR_VARIABLE } from '../datasets/cache.js';
import { formatInspection, inspectDataset } from '../datasets/inspect.js';
import { calibrateDataset, formatCalibration } from '../datasets/calibrate.js';
import { benchmark, scoreRuns, writeResults } from '../bench/benchmark.js';
import { readOfflineRun } from '../bench/offline.js';
import { formatLeaderboard } from '../bench/leaderboard.js';
import { parseDetectorSpec } from '../bench/runner.js';
import { attachParams } from '../bench/contenders.js';
import { HARNESS_LIMITS } from '../bench/protocol.js';
import type { DetectorSpec } from '../bench/runner.js';
import { PROFILES } from '../bench/score.js';
import { CompareUsageError, compareResults, formatCompare, parseGateConfig, parseKnownFps, readResults } from '../bench/compare.js';
import { readBaseline, runGate } from '../bench/gate.js';
import { compareJUnit, compareMarkdown } from '../bench/report/index.js';
import { writeTextFile } from '../bench/json-file.js';
import { buildReview } from '../bench/report/review.js';
import { inspectHtml } from '../datasets/report.js';
import { writeReports } from '../bench/report/write.js';
import { builtinDetectors } from '../detectors/registry.js';
import { loadRules } from '../detectors/rules/load.js';
import { EVENTS, EVENT_FIELDS } from '../detectors/lib/events.js';

/** The gate (or compare) judged the change and it failed: exit 3, after the report was printed. */
class GateFailed extends AtoBenchError {
  constructor() {
    super('', EXIT.gateFailed);
  }
}

/** Bad usage of the command (exit 2), or a run that failed as asked (exit 1). */
export class UsageError extends AtoBenchError {}

function parseWhole(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a whole number (got "${v}")`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max} (got ${n})`);
    return n;
  };
}

function parseFormats(v: string): Format[] {
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    // The registry adds what is always written (emails.jsonl is the contract) and refuses an unknown id.
    return resolveFormats(parts).map((f) => f.id);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
}

/**
 * Refuse an output inside a dataset folder (one holding an ato-bench manifest.json, the output
 * itself or any folder above it): results or a report written there would overwrite the dataset's
 * own files (`--out DATA/emails.jsonl`) or sit among them.
 */
function refuseInsideDataset(path: string, flag: string): void {
  for (let d = resolve(path); ; d = dirname(d)) {
    const manifest = join(d, 'manifest.json');
    if (existsSync(manifest) && statSync(manifest).isFile()) {
      let m: unknown;
      try {
        m = JSON.parse(readFileSync(manifest, 'utf8'));
      } catch {
        m = null;
      }
      if (typeof m === 'object' && m !== null && 'formatVersion' in m && 'files' in m)
        throw new UsageError(`${flag} ${path} is inside the dataset ${d}: write it elsewhere, the dataset's files would be overwritten or mixed with it`);
    }
    if (dirname(d) === d) return;
  }
}

/** Refuse an output file whose folder does not exist or cannot be written, or that lies in a dataset, before the long work. */
function checkWritable(file: string, flag = '--out'): void {
  const dir = dirname(resolve(file));
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist or cannot be written`);
  }
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${flag} ${file} is a directory`);
  refuseInsideDataset(file, flag);
}

/** The same for an output folder (made when missing): its nearest existing ancestor must be writable. */
function checkWritableDir(dir: string, flag: string): void {
  let d = resolve(dir);
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  if (!statSync(d).isDirectory()) throw new UsageError(`${flag} ${dir}: ${d} is not a folder`);
  try {
    accessSync(d, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${dir}: ${d} cannot be written`);
  }
  refuseInsideDataset(dir, flag);
}

function resolveConfig(opts: { preset?: string; config?: string; seed?: number }): Config {
  if (opts.preset && opts.config) throw new UsageError('give either --preset or --config, not both');
  const overrides = opts.seed !== undefined ? { seed: opts.seed } : {};
  if (opts.config) return loadConfigFile(opts.config, overrides);
  return loadPreset(opts.preset ?? 'default', overrides);
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export function buildProgram(io: Io): Command {
  const program = new Command('ato-bench')
    .description('Synthetic mailbox streams with labeled account-takeover incidents, and a benchmark for detectors.')
    // The package's version; only before a command (`score --version` is the model's).
    .version(packageVersion(), '-V, --version', "print ato-bench's version")
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nAdd --debug to any command to print the stack trace of an error.')
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('generate')
    .description(
      'generate a dataset (emails.jsonl, truth/, README.md (the card), croissant.json, manifest.json; mbox/ with --formats mbox, Parquet with --formats parquet)',
    )
    .addOption(new Option('--preset <name>', `a bundled preset (${presetNames().join(', ')})`).conflicts('config'))
    .option('--config <file>', 'a JSON config file (may "extends" a preset), or a dataset\'s manifest.json to make that dataset again')
    .option('--seed <n>', "override the config's seed", parseWhole('--seed', 0, 4294967295))
    .requiredOption('--out <dir>', 'output directory (refused if it exists, unless --force)')
    .option('--formats <list>', `output formats, comma-separated: ${formatIds().join(', ')} (jsonl always)`, parseFormats, ['jsonl'] as Format[])
    .option('--workers <n>', 'worker threads; the output does not depend on it', parseWhole('--workers', 1, 64), 1)
    .option('--force', 'replace an existing output directory (atomically, once the new one is complete)', false)
    .addOption(
      new Option('--shard <I/N>', 'generate only shard I of N (from 0), a folder for `assemble`; --out may hold {shard}, replaced by I').conflicts(
        'shardFromEnv',
      ),
    )
    .option(
      '--shard-from-env',
      `with --shards N: the shard index from the job-array engine (${SHARD_INDEX_VARIABLES.map((v) => v.variable).join(', ')})`,
      false,
    )
    .option('--shards <n>', 'the number of shards, with --shard-from-env', parseWhole('--shards', 2, 100_000))
    .addHelpText(
      'after',
      '\nExamples:\n  ato-bench generate --preset tiny --out out/tiny\n  ato-bench generate --preset default --seed 7 --formats jsonl,mbox --workers 2 --out out/s7\n  ato-bench generate --preset test --formats parquet --out out/test       (Parquet for DuckDB, pandas, Spark)\n  ato-bench generate --config my.json --out out/mine          (my.json: {"extends": "default", "mailboxes": 2000})\n  ato-bench generate --config out/s7/manifest.json --out out/s7-again   (the same bytes)' +
        '\n  ato-bench generate --preset default --shard 1/3 --out shards/1   (then: ato-bench assemble shards/* --out out/default)' +
        '\n  ato-bench generate --preset default --shards 3 --shard-from-env --out shards/{shard}   (in a Slurm, Kubernetes or AWS Batch array)',
    )
    .action(
      async (opts: {
        preset?: string;
        config?: string;
        seed?: number;
        out: string;
        formats: Format[];
        workers: number;
        force: boolean;
        shard?: string;
        shardFromEnv: boolean;
        shards?: number;
      }) => {
        if (opts.shardFromEnv !== (opts.shards !== undefined)) throw new UsageError('--shard-from-env and --shards N go together');
        let machine: MachineShard | undefined;
        if (opts.shard) machine = parseShard(opts.shard);
        if (opts.shardFromEnv) {
          const s = shardFromEnv(process.env, opts.shards!);
          io.err(`shard ${s.index}/${s.count} (from ${s.variable})\n`);
          machine = { index: s.index, count: s.count };
        }
        const config = resolveConfig(opts);
        io.err(
          `seed ${config.seed} (reproduce: ato-bench generate ${opts.config ? `--config ${opts.config}` : `--preset ${opts.preset ?? 'default'}`} --seed ${config.seed} --out DIR)\n`,
        );
        const bar = io.isTTY
          ? new cliProgress.SingleBar(
              { format: 'generating [{bar}] day {value}/{total} | {emails} emails | {duration}s', stream: process.stderr, hideCursor: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
        bar?.start(config.days, 0, { emails: 0 });
        const run = {
          config,
          formats: opts.formats,
          workers: opts.workers,
          force: opts.force,
          onProgress: (p: { day: number; emails: number }) => bar?.update(p.day, { emails: p.emails }),
        };
        const started = process.hrtime.bigint();
        const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          if (machine) {
            const r = await generateShard({ ...run, machine, out: opts.out.replaceAll('{shard}', String(machine.index)) });
            bar?.stop();
            const c = r.shard.counts;
            const s = seconds();
            io.out(
              `wrote shard ${machine.index}/${machine.count} to ${r.dir}: ${c.emails} emails in ${c.mailboxes} mailboxes; ${s.toFixed(1)} s` +
                ` (${Math.round(c.emails / s)} emails/s); assemble the ${machine.count} shards with ato-bench assemble SHARD_DIRS... --out DIR\n`,
            );
            return;
          }
          const result = await generateDataset({ ...run, out: opts.out });
          bar?.stop();
          const c = result.manifest.counts;
          const s = seconds();
          io.out(
            `wrote ${result.dir}: ${c.emails} emails in ${c.mailboxes} mailboxes over ${config.days} days; ` +
              `incidents: ${['ato', 'lookalike', 'phishing'].map((k) => `${c.incidents[k] ?? 0} ${k}`).join(', ')}; ` +
              `${s.toFixed(1)} s (${Math.round(c.emails / s)} emails/s)\n`,
          );
        } finally {
          bar?.stop();
        }
      },
    );

  program
    .command('assemble')
    .description('merge the N shards of a dataset (generate --shard I/N) into the dataset one machine would have written, byte for byte')
    .argument('<shards...>', 'the shard folders, all N of them, in any order')
    .requiredOption('--out <dir>', 'output directory (refused if it exists, unless --force)')
    .option('--force', 'replace an existing dataset directory (atomically, once the new one is complete)', false)
    .addHelpText(
      'after',
      '\nThe merge streams every shard once, in bounded memory, and checks each shard file against its shard.json.' +
        '\n\nExamples:\n  ato-bench assemble shards/0 shards/1 shards/2 --out out/default\n  ato-bench assemble shards/* --out out/default',
    )
    .action(async (shards: string[], opts: { out: string; force: boolean }) => {
      const started = process.hrtime.bigint();
      const r = await assembleDataset({ shards, out: opts.out, force: opts.force });
      const c = r.manifest.counts;
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      io.out(`assembled ${shards.length} shards into ${r.dir}: ${c.emails} emails in ${c.mailboxes} mailboxes; ${s.toFixed(1)} s\n`);
    });

  program
    .command('inspect')
    .description(
      'counts by category, label and day, and the incidents of a dataset; --html writes a page with charts, the calibration and a timeline per incident',
    )
    .argument('<dir>', 'dataset directory')
    .option('--daily', 'one row per day instead of per week', false)
    .option('--html <file>', 'also write the dataset report: one self-contained HTML page (no script, no external resource)')
    .addHelpText('after', '\nExamples:\n  ato-bench inspect out/tiny\n  ato-bench inspect out/tiny --daily\n  ato-bench inspect out/tiny --html tiny.html')
    .action(async (dir: string, opts: { daily: boolean; html?: string }) => {
      if (opts.html) checkWritable(opts.html, '--html');
      io.out(formatInspection(await inspectDataset(dir), { days: opts.daily ? 'all' : 'weekly' }) + '\n');
      if (opts.html) {
        writeTextFile(opts.html, await inspectHtml(dir));
        io.out(`report: ${opts.html}\n`);
      }
    });

  program
    .command('verify')
    .description('recompute every hash, check every record and that every truth id resolves')
    .argument('<dir>', 'dataset directory')
    .addHelpText('after', '\nExamples:\n  ato-bench verify out/tiny')
    .action(async (dir: string) => {
      const r = await verifyDataset(dir);
      if (!r.ok) throw new UsageError(`${dir} does not verify:\n  ${r.problems.join('\n  ')}`, EXIT.failure);
      io.out(`OK: ${r.files} files match the manifest; ${r.emails} emails in order; ${r.incidents} incidents, every id resolves\n`);
    });

  program
    .command('export')
    .description('add a format derived from the JSONL files (Parquet) to a dataset, in place: the same bytes as generating with it')
    .argument('<dir>', 'dataset directory (its JSONL files must match its manifest)')
    .requiredOption('--to <format>', `the format to add: ${exportableFormats().join(', ')}`)
    .addHelpText(
      'after',
      '\nThe dataset is replaced as a whole once the new version is complete (unchanged files are hard-linked, not copied);' +
        '\nan interrupted export leaves it as it was.\n\nExamples:\n  ato-bench export out/tiny --to parquet',
    )
    .action(async (dir: string, opts: { to: string }) => {
      const started = process.hrtime.bigint();
      const r = await exportDataset({ dir, to: opts.to });
      if (!r.written) {
        io.out(`${r.dir} already has ${opts.to}; nothing to do\n`);
        return;
      }
      const paths = Object.keys(r.files);
      const bytes = paths.reduce((n, p) => n + r.files[p]!.bytes, 0);
      io.out(
        `added ${opts.to} to ${r.dir}: ${paths.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB; ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s\n`,
      );
    });

  program
    .command('bench')
    .description(
      'run detectors over a dataset (emails only, one at a time, each in its own sandboxed process), score them against the truth, print the leaderboard (exit 1 when a detector failed)',
    )
    .requiredOption('--data <dir>', 'dataset directory (its files must match its manifest)')
    .option('--detectors <list>', 'built-in detectors, comma-separated, each id[:key=value...] (default: all, unless external ones are given)')
    .option(
      '--detector <path>',
      'an external detector: a JavaScript module, a folder with a detector.json, or an installed package name (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--detector-cmd <command>',
      "an external detector as a command speaking the detector protocol on stdin/stdout, e.g. 'python3 my.py'; the files it names are resolved from here, and it runs from /tmp (repeatable)",
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--param <[detector:]key=value>',
      'a parameter for an external detector, checked against those it declares (detector.json "params"); name the --detector when there are several (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option('--profile <name>', `scoring profile: ${PROFILES.join(', ')}, or a JSON file`, 'standard')
    .option('--grace <hours>', "grace after an incident's last mail", parseWhole('--grace', 0, 10000), 72)
    .option('--bootstrap <n>', 'mailbox bootstrap samples for the 95 % intervals', parseWhole('--bootstrap', 0, 100000), 1000)
    .option(
      '--time-limit <seconds>',
      'stop a detector whose run (start to exit, startup included) takes longer',
      parseWhole('--time-limit', 1, 86400),
      HARNESS_LIMITS.timeLimitSeconds,
    )
    .option(
      '--ready-timeout <seconds>',
      'stop a detector that has not answered hello with ready by then (its output unflushed, most often)',
      parseWhole('--ready-timeout', 1, 86400),
      HARNESS_LIMITS.readyTimeoutSeconds,
    )
    .option('--memory-limit <MiB>', 'memory a detector process may use', parseWhole('--memory-limit', 64, 1048576), HARNESS_LIMITS.memoryLimitMb)
    .option('--max-alerts <n>', 'alerts a detector may raise in the run', parseWhole('--max-alerts', 1, 100000000), 500000)
    .addOption(
      new Option('--isolation <how>', 'auto: bubblewrap when it runs here, else the permission model; bubblewrap: refuse to run without it')
        .choices(['auto', 'bubblewrap', 'permission-model'])
        .default('auto'),
    )
    .option('--jobs <n>', 'detectors run at once (default: cores)', parseWhole('--jobs', 1, 64))
    .option('--out <file>', 'write the results JSON here (replaced atomically)')
    .option('--report-dir <dir>', 'also write results.json, report.md, junit.xml and report.html here')
    .option('--keep-going', 'exit 0 even when a detector ended in error or timeout', false)
    .addHelpText(
      'after',
      `
Detectors are processes fed one email at a time over stdin/stdout (docs/detector-protocol.md),
each in an OS sandbox (bubblewrap) when it can run here. A detector must flush stdout after
every line it writes: one that has not answered hello within --ready-timeout is stopped.

Examples:
  ato-bench bench --data DIR                                       every built-in
  ato-bench bench --data DIR --detectors rules:sets=marketplace,null
  ato-bench bench --data DIR --detector ./my-detector.mjs            a JavaScript module
  ato-bench bench --data DIR --detector examples/python-detector/    a folder with detector.json
  ato-bench bench --data DIR --detector examples/python-detector/ --param n=3
  ato-bench bench --data DIR --detector-cmd 'python3 my.py' --out results.json`,
    )
    .action(
      async (opts: {
        data: string;
        detectors?: string;
        detector: string[];
        detectorCmd: string[];
        param: string[];
        profile: string;
        grace: number;
        bootstrap: number;
        timeLimit: number;
        readyTimeout: number;
        memoryLimit: number;
        maxAlerts: number;
        isolation: 'auto' | 'bubblewrap' | 'permission-model';
        jobs?: number;
        out?: string;
        reportDir?: string;
        keepGoing: boolean;
      }) => {
        const external = opts.detector.length + opts.detectorCmd.length > 0;
        const specs: DetectorSpec[] = opts.detectors
          ? opts.detectors.split(',').map((s) => parseDetectorSpec(s.trim()))
          : external
            ? []
            : builtinDetectors().map((d) => ({ builtin: d.id, params: {} }));
        specs.push(...opts.detector.map((p) => ({ external: p })));
        specs.push(...opts.detectorCmd.map((command) => ({ command })));
        attachParams(specs, opts.param);
        if (opts.out) checkWritable(opts.out);
        if (opts.reportDir) checkWritableDir(opts.reportDir, '--report-dir');
        const results = await benchmark({
          dataDir: opts.data,
          detectors: specs,
          profile: opts.profile,
          graceHours: opts.grace,
          bootstrapSamples: opts.bootstrap,
          timeLimitSeconds: opts.timeLimit,
          readyTimeoutSeconds: opts.readyTimeout,
          memoryLimitMb: opts.memoryLimit,
          maxAlerts: opts.maxAlerts,
          isolation: opts.isolation,
          ...(opts.jobs ? { jobs: opts.jobs } : {}),
          onEvent: (m) => io.err(`  ${m}\n`),
        });
        io.out(formatLeaderboard(results) + '\n');
        if (opts.out) {
          writeResults(opts.out, results);
          io.out(`results: ${opts.out}\n`);
        }
        if (opts.reportDir) io.out(`reports: ${(await writeReports(opts.reportDir, results, undefined, { dataDir: opts.data })).join(', ')}\n`);
        const failed = results.detectors.filter((d) => d.status !== 'ok');
        if (failed.length && !opts.keepGoing)
          throw new UsageError(`${failed.map((d) => `${d.spec} ${d.status}`).join(', ')} (results kept; --keep-going to exit 0)`, EXIT.failure);
      },
    );

  program
    .command('score')
    .description(
      "score alerts computed elsewhere (a notebook, a Spark job, a SIEM): one JSON alert per line, {emailId, score, reason, evidence?}, each stamped with that email's arrival; the row is marked offline",
    )
    .requiredOption('--data <dir>', 'dataset directory (its files must match its manifest)')
    .requiredOption('--alerts <file>', 'alerts, one JSON object per line')
    .requiredOption('--name <id>', "the id of this row: letters, digits, '.', '_', '-' (e.g. hgb-0.9), not a built-in detector's")
    .option('--version <v>', 'the version of the model that raised them', '0')
    .option('--profile <name>', `scoring profile: ${PROFILES.join(', ')}, or a JSON file`, 'standard')
    .option('--grace <hours>', "grace after an incident's last mail", parseWhole('--grace', 0, 10000), 72)
    .option('--bootstrap <n>', 'mailbox bootstrap samples for the 95 % intervals', parseWhole('--bootstrap', 0, 100000), 1000)
    .option('--max-alerts <n>', 'alerts the file may hold', parseWhole('--max-alerts', 1, 100000000), 500000)
    .option('--out <file>', 'write the results JSON here (replaced atomically)')
    .addHelpText(
      'after',
      '\nExamples:\n  python3 my_model.py DIR/emails.jsonl > alerts.jsonl\n  ato-bench score --data DIR --alerts alerts.jsonl --name my-model --out results.json\n',
    )
    .action(
      async (opts: {
        data: string;
        alerts: string;
        name: string;
        version: string;
        profile: string;
        grace: number;
        bootstrap: number;
        maxAlerts: number;
        out?: string;
      }) => {
        if (opts.out) checkWritable(opts.out);
        const run = await readOfflineRun({ dataDir: opts.data, alertsPath: opts.alerts, name: opts.name, version: opts.version, maxAlerts: opts.maxAlerts });
        const results = await scoreRuns(resolve(opts.data), run, { profile: opts.profile, graceHours: opts.grace, bootstrapSamples: opts.bootstrap });
        io.out(formatLeaderboard(results) + '\n');
        if (opts.out) {
          writeResults(opts.out, results);
          io.out(`results: ${opts.out}\n`);
        }
      },
    );

  program
    .command('compare')
    .description(
      'what a change gained and lost between two results files of the same dataset, with a PASS or FAIL line (exit 0 pass, 1 crash, 2 usage, 3 gate failed, 4 baseline incompatible)',
    )
    .requiredOption('--baseline <file>', 'results JSON of the baseline')
    .requiredOption('--results <file>', 'results JSON of the change (head)')
    .option('--gate <file>', 'gate config (JSON): must-detect incidents, tolerances, which detectors')
    .option('--known-fps <file>', 'accepted false alarms (CSV: detector,mailbox,emailId,note)')
    .option('--markdown <file>', 'also write the Markdown report (CI step summary, PR comment)')
    .option('--junit <file>', 'also write JUnit XML')
    .option('--json <file>', 'also write the comparison as JSON')
    .option('--report-dir <dir>', 'also write results.json (the head), compare.json, report.md, junit.xml and report.html here')
    .option('--data <dir>', "the dataset both were scored on, for the reports' false alarms and timelines (default: the folder the head results name)")
    .addHelpText(
      'after',
      '\nExamples:\n  ato-bench compare --baseline base.json --results head.json\n  ato-bench compare --baseline base.json --results head.json --gate bench/gate/gate.json --known-fps bench/gate/known-fps.csv --markdown report.md --junit junit.xml',
    )
    .action(
      async (opts: {
        baseline: string;
        results: string;
        gate?: string;
        knownFps?: string;
        markdown?: string;
        junit?: string;
        json?: string;
        reportDir?: string;
        data?: string;
      }) => {
        for (const [flag, f] of [
          ['--markdown', opts.markdown],
          ['--junit', opts.junit],
          ['--json', opts.json],
        ] as const)
          if (f) checkWritable(f, flag);
        if (opts.reportDir) checkWritableDir(opts.reportDir, '--report-dir');
        const baseline = readBaseline(opts.baseline);
        const head = readResults(opts.results, 'head');
        let gateRaw: unknown = {};
        if (opts.gate) {
          try {
            gateRaw = JSON.parse(readFileSync(opts.gate, 'utf8'));
          } catch (e) {
            throw new CompareUsageError(`cannot read the gate config ${opts.gate}: ${(e as Error).message}`);
          }
          const { preset: _preset, ...rest } = gateRaw as Record<string, unknown>;
          gateRaw = rest;
        }
        const gate = parseGateConfig(gateRaw, opts.gate ?? '(defaults)');
        let known: ReturnType<typeof parseKnownFps> = [];
        if (opts.knownFps) {
          let text: string;
          try {
            text = readFileSync(opts.knownFps, 'utf8');
          } catch (e) {
            throw new CompareUsageError(`cannot read ${opts.knownFps}: ${(e as Error).message}`);
          }
          known = parseKnownFps(text, opts.knownFps);
        }
        const c = compareResults(baseline, head, { gate, knownFps: known, files: { baseline: opts.baseline, head: opts.results } });
        const dataDir = opts.data ?? head.dataset.dir;
        if (opts.markdown) writeFileSync(opts.markdown, compareMarkdown(c, { review: await buildReview(head, { dataDir, compare: c }), head }));
        if (opts.junit) writeFileSync(opts.junit, compareJUnit(c, head));
        if (opts.json) writeFileSync(opts.json, JSON.stringify(c, null, 1) + '\n');
        if (opts.reportDir) io.out(`reports: ${(await writeReports(opts.reportDir, head, c, { dataDir })).join(', ')}\n`);
        io.out(formatCompare(c) + '\n');
        if (!c.pass) throw new GateFailed();
      },
    );

  program
    .command('gate')
    .description(
      "CI regression gate: run the gate's detectors on the pinned dataset, compare with the committed baseline, check must-fire data, write reports (exit 0 pass, 3 fail, 4 baseline incompatible)",
    )
    .addOption(
      new Option('--data <dir>', 'dataset directory (default: the pinned preset of the gate config, generated once into the dataset cache)').conflicts(
        'cacheDir',
      ),
    )
    .option('--cache-dir <dir>', `the dataset cache (default $${CACHE_DIR_VARIABLE}, else $XDG_CACHE_HOME/ato-bench, else ~/.cache/ato-bench)`)
    .option('--detectors <list>', "override the gate config's detectors (comma-separated)")
    .option('--config <file>', "gate config (default: ato-bench's own, bench/gate/gate.json; paths from the working folder)")
    .option('--baseline <file>', "baseline results (default: ato-bench's own, bench/gate/baseline.json; give yours to --update-baseline)")
    .option('--known-fps <file>', "accepted false alarms (default: ato-bench's own, bench/gate/known-fps.csv)")
    .option(
      '--fixtures <file>',
      'must-fire / must-not-fire scenarios per detector label (default detectors/fixtures.json); rules carry their own in a tests: block',
    )
    .option('--out-dir <dir>', 'write results.json, compare.json, report.md, junit.xml and report.html here')
    .option('--update-baseline', 'write the head results as the new baseline (for review) instead of comparing', false)
    .addHelpText(
      'after',
      '\nExamples:\n  ato-bench gate --config gate/gate.json --baseline gate/baseline.json --known-fps gate/known-fps.csv --update-baseline   (then review and commit gate/baseline.json)' +
        '\n  ato-bench gate --config gate/gate.json --baseline gate/baseline.json --known-fps gate/known-fps.csv --out-dir gate-report' +
        '\n  ato-bench gate --detectors rules,marketplace-rules --data out/pinned' +
        '\n\nDetector paths and rule folders in the gate config (./my-detector.mjs, rules:dir=team-rules) are read from the working folder.' +
        '\nA workflow for GitHub Actions ships in node_modules/ato-bench/examples/github-actions/.',
    )
    .action(
      async (opts: {
        data?: string;
        cacheDir?: string;
        detectors?: string;
        config?: string;
        baseline?: string;
        knownFps?: string;
        fixtures?: string;
        outDir?: string;
        updateBaseline: boolean;
      }) => {
        if (opts.outDir) checkWritableDir(opts.outDir, '--out-dir');
        const r = await runGate({
          ...(opts.data ? { dataDir: opts.data } : {}),
          ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
          ...(opts.detectors ? { detectors: opts.detectors.split(',').map((s) => s.trim()) } : {}),
          ...(opts.config ? { config: opts.config } : {}),
          ...(opts.baseline ? { baseline: opts.baseline } : {}),
          ...(opts.knownFps ? { knownFps: opts.knownFps } : {}),
          ...(opts.fixtures ? { fixtures: opts.fixtures } : {}),
          ...(opts.outDir ? { outDir: opts.outDir } : {}),
          updateBaseline: opts.updateBaseline,
          onEvent: (m) => io.err(`  ${m}\n`),
        });
        if (!r.compare) {
          io.out(`baseline written: ${r.reports.join(' and ')} (${r.seconds.toFixed(1)} s); review and commit them\n`);
          return;
        }
        io.out(formatCompare(r.compare) + '\n');
        if (r.reports.length) io.out(`reports: ${r.reports.join(', ')}\n`);
        io.out(`gate: ${r.seconds.toFixed(1)} s\n`);
        if (r.exitCode === 3) throw new GateFailed();
      },
    );

  program
    .command('detectors')
    .description('list the built-in detectors')
    .addHelpText('after', '\nExamples:\n  ato-bench detectors')
    .action(() => {
      for (const d of builtinDetectors())
        io.out(`${d.id.padEnd(20)} ${(d.kind ?? '').padEnd(12)} ${d.version.padEnd(7)} ${d.description}${d.readsTruth ? ' [reads truth]' : ''}\n`);
    });

  const rules = program
    .command('rules')
    .description('check rule files, and list the events rules are written against')
    .addHelpText('after', '\nExamples:\n  ato-bench rules validate my-rules/\n  ato-bench rules events');
  rules
    .command('validate')
    .description('check every rule file under a folder and list every offender (exit 2 if any)')
    .argument('<dir>', 'a folder of rule files (*.yaml, *.yml, *.json, in subfolders)')
    .addHelpText('after', '\nExamples:\n  ato-bench rules validate detectors/rules\n  ato-bench rules validate my-rules/')
    .action((dir: string) => {
      const loaded = loadRules({ dir });
      const bySet = new Map<string, number>();
      for (const r of loaded) bySet.set(r.group, (bySet.get(r.group) ?? 0) + 1);
      io.out(`OK: ${loaded.length} rules in ${dir} (${[...bySet].map(([g, n]) => `${g} ${n}`).join(', ')})\n`);
    });
  rules
    .command('events')
    .description('the events rule files are written against (on: ..., event: ...), with what each means and its fields (field: ..., where: ...)')
    .addHelpText('after', '\nExamples:\n  ato-bench rules events')
    .action(() => {
      const width = Math.max(...Object.keys(EVENTS).map((k) => k.length));
      for (const [name, what] of Object.entries(EVENTS)) {
        io.out(`${name.padEnd(width)}  ${what}\n`);
        for (const [field, meaning] of Object.entries(EVENT_FIELDS[name as keyof typeof EVENTS])) io.out(`${''.padEnd(width)}    ${field}: ${meaning}\n`);
      }
      io.out(
        `\nA rule names one as the mail that triggers it, and others in its conditions, e.g.:\n` +
          `  on: marketplace.order\n  when:\n    - count: { event: marketplace.order, within: 24h, atLeast: 3 }\n` +
          `    - after: { event: marketplace.address-added, within: 24h }\n`,
      );
    });

  program
    .command('calibrate')
    .description('print each calibration target (docs/calibration.md) beside what the dataset shows, OK or OFF')
    .argument('<dir>', 'dataset directory')
    .addHelpText('after', '\nExamples:\n  ato-bench calibrate out/tiny')
    .action(async (dir: string) => {
      io.out(formatCalibration(await calibrateDataset(dir)) + '\n');
    });

  program
    .command('config')
    .description('print the resolved config of a preset or config file, every default filled in')
    .addOption(new Option('--preset <name>', `a bundled preset (${presetNames().join(', ')})`).conflicts('config'))
    .option('--config <file>', 'a JSON config file')
    .option('--seed <n>', 'override the seed', parseWhole('--seed', 0, 4294967295))
    .addHelpText('after', '\nExamples:\n  ato-bench config --preset default\n  ato-bench config --config my.json --seed 3')
    .action((opts: { preset?: string; config?: string; seed?: number }) => {
      io.out(JSON.stringify(resolveConfig(opts), null, 2) + '\n');
    });

  program
    .command('scenarios')
    .description('list the scenario library (generator/scenarios/library)')
    .addHelpText('after', '\nExamples:\n  ato-bench scenarios')
    .action(() => {
      for (const s of loadScenarios()) io.out(`${s.kind.padEnd(10)} ${s.id.padEnd(36)} ${s.title}\n`);
    });

  return program;
}

/** Run the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[], io: Io): Promise<number> {
  // --debug (anywhere) adds the stack to any error; without it, a problem is one line.
  const debug = argv.includes('--debug');
  const program = buildProgram(io);
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(
      argv.filter((a) => a !== '--debug'),
      { from: 'user' },
    );
    return EXIT.ok;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    if (err.code?.startsWith('commander.')) return EXIT.usage; // commander already printed the message
    const stack = debug && err.stack ? `\n${err.stack}` : '';
    if (e instanceof AtoBenchError) {
      if (e.message) io.err(`ato-bench: ${e.message}${stack}\n`);
      return e.exitCode;
    }
    const system = systemErrorLine(e);
    if (system) {
      io.err(`ato-bench: ${system}${stack}\n`);
      return EXIT.failure;
    }
    io.err(`ato-bench: unexpected error (a bug; please report it with the output of --debug): ${err.message ?? String(e)}${stack}\n`);
    return EXIT.failure;
  }
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // A reader that stops early (| head) is not an error.
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(EXIT.ok);
      throw e;
    });
  const code = await main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  });
  process.exitCode = code;
}

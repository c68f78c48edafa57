/**
 * `npm run bench:scale [-- --sizes 250000,1000000 --shards 4]`: how cost grows with the dataset.
 * For each size (emails, approximately: the default preset with its mailboxes scaled, same 91 days):
 *
 *   generate      one machine, 2 workers, JSONL
 *   shard i/N     each shard on its own (1 worker each, one after another: the time of one is the
 *                 time on N machines), then assemble; the assembled emails.jsonl must hash equal
 *   export        Parquet from the JSONL
 *   bench rules   the rules detector through the harness (verify, replay, score)
 *
 * Each step is its own process, under GNU time: wall seconds, emails/s and the peak RSS of the
 * largest process of the step. Then bytes per email in JSONL and Parquet, and a linear
 * extrapolation to 10 M and 1 B emails. Figures are printed, never asserted.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../generator/core/paths.js';
import { datasetCacheRoot } from '../datasets/cache.js';
import { AtoBenchError, EXIT, systemErrorLine } from '../generator/core/errors.js';

const USAGE = 'usage: npm run bench:scale -- [--sizes 250000,1000000] [--shards 4] [--keep]';
const CLI = join(packageRoot(), 'dist', 'scripts', 'cli.js');
/** The default preset: 500 mailboxes make 117,951 emails over its 91 days. */
const EMAILS_PER_MAILBOX = 117_951 / 500;

interface Step {
  name: string;
  seconds: number;
  rssMiB: number | null;
}

function step(name: string, args: string[], scratch: string): Step {
  const timeFile = join(scratch, 'time.txt');
  const gnuTime = existsSync('/usr/bin/time');
  const cmd = gnuTime ? '/usr/bin/time' : process.execPath;
  const full = gnuTime ? ['-f', '%e %M', '-o', timeFile, process.execPath, CLI, ...args] : [CLI, ...args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, full, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && !(args[0] === 'bench' && r.status === 1)) throw new Error(`${name} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const rss = gnuTime ? Number(readFileSync(timeFile, 'utf8').trim().split(/\s+/).at(-1)) / 1024 : null;
  process.stderr.write(`  ${name}: ${seconds.toFixed(1)} s${rss ? `, ${rss.toFixed(0)} MiB` : ''}\n`);
  return { name, seconds, rssMiB: rss };
}

function bytesUnder(path: string): number {
  if (!statSync(path).isDirectory()) return statSync(path).size;
  return readdirSync(path).reduce((n, name) => n + bytesUnder(join(path, name)), 0);
}

const manifestOf = (dir: string): { counts: { emails: number }; files: Record<string, { sha256: string; bytes: number }> } =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { counts: { emails: number }; files: Record<string, { sha256: string; bytes: number }> };

interface SizeResult {
  target: number;
  mailboxes: number;
  emails: number;
  steps: Step[];
  jsonlPerEmail: number;
  parquetPerEmail: number;
  shardsIdentical: boolean;
}

function runSize(target: number, shards: number, scratch: string): SizeResult {
  const mailboxes = Math.max(shards, Math.round(target / EMAILS_PER_MAILBOX));
  process.stderr.write(`${target} emails (${mailboxes} mailboxes of the default preset):\n`);
  const dir = mkdtempSync(join(scratch, `${target}-`));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ extends: 'default', mailboxes }));
  const one = join(dir, 'one');
  const steps: Step[] = [step('generate, 1 machine, 2 workers', ['generate', '--config', config, '--workers', '2', '--out', one], dir)];
  const emails = manifestOf(one).counts.emails;
  const shardSteps: Step[] = [];
  for (let i = 0; i < shards; i++)
    shardSteps.push(
      step(`shard ${i}/${shards}, 1 worker`, ['generate', '--config', config, '--shard', `${i}/${shards}`, '--out', join(dir, 'shards', String(i))], dir),
    );
  const slowest = shardSteps.reduce((a, b) => (b.seconds > a.seconds ? b : a));
  steps.push({
    name: `${shards} shards, the slowest (time on ${shards} machines)`,
    seconds: slowest.seconds,
    rssMiB: Math.max(...shardSteps.map((s) => s.rssMiB ?? 0)) || null,
  });
  steps.push({ name: `${shards} shards, all (time on 1 core)`, seconds: shardSteps.reduce((n, s) => n + s.seconds, 0), rssMiB: null });
  const assembled = join(dir, 'assembled');
  steps.push(step(`assemble ${shards} shards`, ['assemble', ...shardSteps.map((_, i) => join(dir, 'shards', String(i))), '--out', assembled], dir));
  const shardsIdentical = manifestOf(assembled).files['emails.jsonl']!.sha256 === manifestOf(one).files['emails.jsonl']!.sha256;
  rmSync(join(dir, 'shards'), { recursive: true, force: true });
  rmSync(assembled, { recursive: true, force: true });
  steps.push(step('export --to parquet', ['export', one, '--to', 'parquet'], dir));
  steps.push(step('bench --detectors rules', ['bench', '--data', one, '--detectors', 'rules', '--bootstrap', '0', '--out', join(dir, 'results.json')], dir));
  const jsonl = statSync(join(one, 'emails.jsonl')).size + statSync(join(one, 'truth', 'labels.jsonl')).size;
  const parquet = bytesUnder(join(one, 'emails')) + bytesUnder(join(one, 'truth', 'labels'));
  rmSync(dir, { recursive: true, force: true });
  return { target, mailboxes, emails, steps, jsonlPerEmail: jsonl / emails, parquetPerEmail: parquet / emails, shardsIdentical };
}

const human = (s: number): string => (s < 120 ? `${s.toFixed(0)} s` : s < 7200 ? `${(s / 60).toFixed(0)} min` : `${(s / 3600).toFixed(1)} h`);
const bytes = (b: number): string =>
  b < 2 ** 30 ? `${(b / 2 ** 20).toFixed(0)} MiB` : b < 2 ** 40 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${(b / 2 ** 40).toFixed(1)} TiB`;

async function main(): Promise<void> {
  let values: { sizes?: string; shards?: string; keep?: boolean };
  try {
    ({ values } = parseArgs({ options: { sizes: { type: 'string' }, shards: { type: 'string' }, keep: { type: 'boolean' } }, strict: true }));
  } catch (e) {
    throw new AtoBenchError(`${(e as Error).message} (${USAGE})`, EXIT.usage);
  }
  const sizes = (values.sizes ?? '250000,1000000').split(',').map(Number);
  const shards = Number(values.shards ?? '4');
  if (sizes.some((s) => !Number.isInteger(s) || s < 10_000) || !Number.isInteger(shards) || shards < 2)
    throw new AtoBenchError(`--sizes are whole numbers of emails >= 10000, --shards >= 2 (${USAGE})`, EXIT.usage);
  // Scratch beside the cached datasets: a large disk the user chose, and no detector's folder.
  const cache = datasetCacheRoot().dir;
  mkdirSync(cache, { recursive: true });
  const scratch = mkdtempSync(join(cache, '.bench-scale-'));
  process.stderr.write(`scratch: ${scratch}\n`);
  try {
    const results = sizes.map((s) => runSize(s, shards, scratch));
    const out: string[] = [];
    for (const r of results) {
      out.push(
        `\n${r.emails} emails, ${r.mailboxes} mailboxes, 91 days; JSONL ${r.jsonlPerEmail.toFixed(0)} B/email, Parquet ${r.parquetPerEmail.toFixed(0)} B/email (emails + labels); ${shards} shards assembled ${r.shardsIdentical ? '== 1 machine' : '!= 1 MACHINE'}`,
      );
      out.push(`  ${'step'.padEnd(44)} ${'seconds'.padStart(8)} ${'emails/s'.padStart(9)} ${'peak RSS'.padStart(9)}`);
      for (const s of r.steps)
        out.push(
          `  ${s.name.padEnd(44)} ${s.seconds.toFixed(1).padStart(8)} ${Math.round(r.emails / s.seconds)
            .toString()
            .padStart(9)} ${(s.rssMiB ? `${s.rssMiB.toFixed(0)} MiB` : '-').padStart(9)}`,
        );
    }
    if (results.length >= 2) {
      const [a, b] = [results[0]!, results.at(-1)!];
      const per = (r: SizeResult, name: string): number => r.steps.find((s) => s.name.startsWith(name))!.seconds / r.emails;
      out.push(`\nfrom ${a.emails} to ${b.emails} emails (${(b.emails / a.emails).toFixed(1)}x):`);
      for (const s of b.steps) {
        const sa = a.steps.find((x) => x.name === s.name)!;
        out.push(
          `  ${s.name.padEnd(44)} time ${(s.seconds / sa.seconds).toFixed(1)}x, peak RSS ${s.rssMiB && sa.rssMiB ? `${(s.rssMiB / sa.rssMiB).toFixed(2)}x` : '-'}`,
        );
      }
      out.push('\nlinear extrapolation from the largest size (same machine: 2 cores):');
      for (const n of [1e7, 1e9]) {
        const gen1 = per(b, 'generate, 1 machine') * n;
        const shard = per(b, `${shards} shards, all`) * n; // one core's work for all shards
        const asm = per(b, 'assemble') * n;
        out.push(
          `  ${n.toExponential(0)} emails: JSONL ${bytes(b.jsonlPerEmail * n)}, Parquet ${bytes(b.parquetPerEmail * n)}; ` +
            `1 machine ${human(gen1)}; 100 machines ${human(shard / 100)} + assemble ${human(asm)}; bench rules ${human(per(b, 'bench') * n)}`,
        );
      }
    }
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    if (!values.keep) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`ato-bench: ${systemErrorLine(e) ?? e.message}\n`);
  process.exitCode = e instanceof AtoBenchError ? e.exitCode : EXIT.failure;
});

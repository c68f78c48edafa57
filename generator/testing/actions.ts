/**
 * A stand-in for the GitHub Actions runner, enough to run a workflow's job on this machine: its
 * `run:` steps in bash as the runner runs them (`bash --noprofile --norc -eo pipefail`), with
 * GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STEP_SUMMARY as files, `if:` conditions and `${{ }}`
 * expressions evaluated, and `uses:` steps handed to the caller (who emulates or skips each, with
 * a reason). It knows only the expressions it implements: anything else throws, so a workflow
 * that grows a new expression fails its test rather than being half run (not part of the build).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface WorkflowStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  run?: string;
}

export interface ActionsContext {
  /** The `github` context: event_name, repository, token, event, ... */
  github: Record<string, unknown>;
  runner: { temp: string };
  /** The job's environment as steps add to it (GITHUB_ENV). */
  env: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>;
  /** The workspace, for hashFiles(). */
  workspace: string;
}

type Value = string | boolean | number | undefined;

function lookup(ctx: ActionsContext, path: string): Value {
  let v: unknown = ctx;
  for (const key of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? v : undefined;
}

/** hashFiles of plain paths (no globs here): '' when none exists, as GitHub's. */
function hashFiles(ctx: ActionsContext, paths: string[]): string {
  const found = paths.filter((p) => existsSync(join(ctx.workspace, p)));
  if (found.length === 0) return '';
  const all = createHash('sha256');
  for (const p of found)
    all.update(
      createHash('sha256')
        .update(readFileSync(join(ctx.workspace, p)))
        .digest(),
    );
  return all.digest('hex');
}

const TOKEN = /\s*('(?:[^']|'')*'|&&|==|!=|[A-Za-z_][\w.-]*\((?:\s*'(?:[^']|'')*'\s*,?)*\)|[A-Za-z_][\w.-]*)/y;

/** An expression of the forms `a && b`, `x == y`, `x != y`, literals, context paths, always(), success(), failure(), hashFiles('p'). */
export function evaluate(expr: string, ctx: ActionsContext, jobOk: boolean): Value {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  for (let m = TOKEN.exec(expr); m; m = TOKEN.exec(expr)) {
    tokens.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  if (expr.slice(at).trim()) throw new Error(`the Actions stand-in cannot read "${expr.slice(at).trim()}" in: ${expr}`);
  const operand = (t: string | undefined): Value => {
    if (t === undefined) throw new Error(`incomplete expression: ${expr}`);
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    const call = /^([A-Za-z]+)\((.*)\)$/.exec(t);
    if (call) {
      const args = [...call[2]!.matchAll(/'((?:[^']|'')*)'/g)].map((a) => a[1]!);
      if (call[1] === 'always') return true;
      if (call[1] === 'success') return jobOk;
      if (call[1] === 'failure') return !jobOk;
      if (call[1] === 'hashFiles') return hashFiles(ctx, args);
      throw new Error(`the Actions stand-in has no function ${call[1]}: ${expr}`);
    }
    if (!/^(github|runner|env|steps)\./.test(t)) throw new Error(`the Actions stand-in knows no context in "${t}": ${expr}`);
    return lookup(ctx, t);
  };
  const str = (v: Value): string => (v === undefined ? '' : String(v));
  // a && b: a when a is falsy, else b (as GitHub's).
  let result: Value;
  for (let i = 0, first = true; ; first = false) {
    let v = operand(tokens[i++]);
    if (tokens[i] === '==' || tokens[i] === '!=') {
      const eq = str(v) === str(operand(tokens[i + 1]));
      v = tokens[i] === '==' ? eq : !eq;
      i += 2;
    }
    if (first || result) result = v;
    if (i >= tokens.length) return result;
    if (tokens[i++] !== '&&') throw new Error(`the Actions stand-in expects && in: ${expr}`);
  }
}

/** `${{ expr }}` in a string, replaced by its value. */
export function interpolate(s: string, ctx: ActionsContext, jobOk: boolean): string {
  return s.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => {
    const v = evaluate(e, ctx, jobOk);
    return v === undefined ? '' : String(v);
  });
}

/** The lines of a GITHUB_OUTPUT or GITHUB_ENV file: name=value, or name<<DELIMITER ... DELIMITER. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== heredoc[2]) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

export interface StepResult {
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  /** Why a step was skipped or how a uses: step was emulated. */
  note?: string;
  stdout?: string;
  stderr?: string;
}

export interface JobRun {
  ok: boolean;
  steps: StepResult[];
  summary: string;
}

/**
 * Run one job of a workflow file. `uses` is called for each uses: step whose condition holds,
 * with its evaluated inputs: it emulates the action (or throws to fail the step) or skips it,
 * saying why; `skip` may skip a run: step, saying why.
 */
export function runJob(opts: {
  workflow: string;
  job: string;
  workspace: string;
  temp: string;
  github: Record<string, unknown>;
  baseEnv: NodeJS.ProcessEnv;
  uses: (step: WorkflowStep, inputs: Record<string, string>, ctx: ActionsContext) => { skipped: string } | { done: string };
  skip?: (step: WorkflowStep) => string | undefined;
}): JobRun {
  const { workflow, job, workspace, temp, github, baseEnv, uses, skip = () => undefined } = opts;
  const doc = parse(readFileSync(workflow, 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>;
  };
  const spec = doc.jobs[job];
  if (!spec) throw new Error(`${workflow} has no job ${job}`);
  const ctx: ActionsContext = { github, runner: { temp }, env: {}, steps: {}, workspace };
  const summary = join(temp, 'step-summary.md');
  writeFileSync(summary, '');
  let jobOk = true;
  const results: StepResult[] = [];
  for (const [k, v] of Object.entries({ ...doc.env, ...spec.env })) ctx.env[k] = interpolate(v, ctx, jobOk);
  spec.steps.forEach((step, n) => {
    const name = step.name ?? step.uses ?? step.run!.split('\n')[0]!;
    const condition = step.if ?? 'success()';
    // As on GitHub: a condition without a status function runs only while every step succeeded.
    const status = /\b(always|success|failure|cancelled)\(\)/.test(condition);
    const record = (r: StepResult, outputs: Record<string, string> = {}): void => {
      results.push(r);
      if (step.id) ctx.steps[step.id] = { outputs, outcome: r.outcome };
      if (r.outcome === 'failure') jobOk = false;
    };
    if (!((status || jobOk) && evaluate(condition, ctx, jobOk))) return record({ name, outcome: 'skipped', note: `if: ${condition}` });
    if (step.uses) {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx, jobOk)]));
      try {
        const r = uses(step, inputs, ctx);
        return record('skipped' in r ? { name, outcome: 'skipped', note: r.skipped } : { name, outcome: 'success', note: r.done });
      } catch (e) {
        return record({ name, outcome: 'failure', note: (e as Error).message });
      }
    }
    const reason = skip(step);
    if (reason) return record({ name, outcome: 'skipped', note: reason });
    const files = { GITHUB_OUTPUT: join(temp, `output-${n}`), GITHUB_ENV: join(temp, `env-${n}`), script: join(temp, `step-${n}.sh`) };
    writeFileSync(files.GITHUB_OUTPUT, '');
    writeFileSync(files.GITHUB_ENV, '');
    writeFileSync(files.script, step.run!);
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx, jobOk)]));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', files.script], {
      cwd: workspace,
      encoding: 'utf8',
      timeout: 240_000,
      env: {
        ...baseEnv,
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_EVENT_NAME: String(github.event_name ?? ''),
        GITHUB_REPOSITORY: String(github.repository ?? ''),
        RUNNER_TEMP: temp,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: files.GITHUB_OUTPUT,
        GITHUB_ENV: files.GITHUB_ENV,
        ...ctx.env,
        ...stepEnv,
      },
    });
    Object.assign(ctx.env, parseCommandFile(readFileSync(files.GITHUB_ENV, 'utf8')));
    record(
      { name, outcome: r.status === 0 ? 'success' : 'failure', stdout: r.stdout, stderr: r.stderr, ...(r.status === 0 ? {} : { note: `exit ${r.status}` }) },
      parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    );
  });
  return { ok: jobOk, steps: results, summary: readFileSync(summary, 'utf8') };
}

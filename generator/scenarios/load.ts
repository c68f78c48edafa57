/**
 * Loading scenarios: the library's files (or a folder of a user's), each checked against the
 * schema and against what the engine and the mail types know, every problem collected before
 * anything fails (the detection-rules way: one run shows the full list).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDuration } from '../core/dist.js';
import type { Dist } from '../core/dist.js';
import { packageRoot } from '../core/paths.js';
import { formatIssues } from '../config.js';
import type { Config } from '../config.js';
import { mailTypeById, mailTypeIds } from '../mail/templates/index.js';
import type { Scenario } from './schema.js';
import { ScenarioSchema } from './schema.js';
import { AtoBenchError, EXIT } from '../core/errors.js';

export function scenarioDir(): string {
  return join(packageRoot(), 'generator', 'scenarios', 'library');
}

export class ScenarioError extends AtoBenchError {
  constructor(readonly problems: string[]) {
    super(`invalid scenarios:\n  ${problems.join('\n  ')}`, EXIT.usage);
  }
}

/** Fields a mail type receives from the engine rather than from a step's `set`: the incident's entities... */
const ENGINE_FIELDS = new Set(['order', 'infra', 'imitates']);
/** ...and the mailbox's own accounts, bound by bindEntities. */
const MAILBOX_FIELDS = new Set(['brand', 'last4', 'carrier']);

/**
 * Every problem of a set of scenario files, collected before anything fails (the
 * detection-rules way: one run shows the full list).
 */
export function checkScenarios(files: ReadonlyArray<{ file: string; json: unknown }>): { scenarios: Scenario[]; problems: string[] } {
  const problems: string[] = [];
  const scenarios: Scenario[] = [];
  const seen = new Map<string, string>();
  for (const { file, json } of files) {
    const parsed = ScenarioSchema.safeParse(json);
    if (!parsed.success) {
      problems.push(...formatIssues(parsed.error, json, `${file}: `));
      continue;
    }
    const s = parsed.data;
    const where = `${file} (${s.id})`;
    if (seen.has(s.id)) problems.push(`${where}: duplicate id, also in ${seen.get(s.id)}`);
    seen.set(s.id, file);
    if (`${s.id}.json` !== file.split('/').pop()) problems.push(`${where}: file name must be <id>.json`);
    problems.push(...checkSteps(s).map((p) => `${where}: ${p}`));
    scenarios.push(s);
  }
  const ids = new Set(scenarios.map((s) => s.id));
  for (const s of scenarios) {
    for (const l of s.lookalikes) if (!ids.has(l)) problems.push(`${s.id}: lookalikes names unknown scenario "${l}"`);
    if (s.kind !== 'ato' && s.lookalikes.length === 0) problems.push(`${s.id}: a ${s.kind} scenario must name the scenarios it resembles in lookalikes`);
  }
  scenarios.sort((a, b) => (a.id < b.id ? -1 : 1));
  return { scenarios, problems };
}

function checkSteps(s: Scenario): string[] {
  const out: string[] = [];
  const params = s.parameters;
  const stepIds = new Set<string>();
  const refParam = (ref: string | number | undefined, what: string, wantDuration = false): void => {
    if (typeof ref !== 'string' || ref.startsWith('order.')) return;
    const p = params[ref];
    if (!p) out.push(`${what} names unknown parameter "${ref}"`);
    else if (wantDuration && !isDuration(p)) out.push(`${what}: parameter "${ref}" must be a duration (unit min, h or d), has ${p.unit}`);
  };
  if (s.scope === 'campaign') {
    if (!s.campaign) out.push('a campaign scenario needs a "campaign" block');
    else {
      refParam(s.campaign.waves, 'campaign.waves');
      refParam(s.campaign.waveGap, 'campaign.waveGap', true);
      refParam(s.campaign.targetShare, 'campaign.targetShare');
    }
  } else if (s.campaign) out.push('only campaign scenarios take a "campaign" block');
  for (const step of s.steps) {
    const at = `step ${step.id}`;
    if (stepIds.has(step.id)) out.push(`${at}: duplicate step id`);
    if ((step.mail === undefined) === (step.silence === undefined)) out.push(`${at}: a step has either a mail or a silence`);
    const type = step.mail ? mailTypeById(step.mail) : undefined;
    if (step.mail && !type) out.push(`${at}: unknown mail type "${step.mail}"`);
    if (step.silence) {
      refParam(step.silence.for, `${at}: silence.for`, true);
      refParam(step.silence.share, `${at}: silence.share`);
      if (step.forEach || step.order || step.count !== undefined) out.push(`${at}: a silence takes no forEach, order or count`);
      for (const o of step.silence.only ?? []) {
        const ids = mailTypeIds();
        if (!ids.some((id) => (o.endsWith('.') ? id.startsWith(o) : id === o))) out.push(`${at}: silence.only "${o}" matches no registered mail type`);
      }
    }
    const after = step.when.after.replace(/\.last$/, '');
    const anchors = s.scope === 'campaign' ? ['wave'] : ['onset'];
    if (after === 'each') {
      if (!step.forEach) out.push(`${at}: when.after "each" needs forEach`);
    } else if (!anchors.includes(after) && !stepIds.has(after))
      out.push(`${at}: when.after "${step.when.after}" is not ${anchors.join('/')} or an earlier step`);
    if (step.forEach && !stepIds.has(step.forEach)) out.push(`${at}: forEach "${step.forEach}" is not an earlier step`);
    if (step.requires && !stepIds.has(step.requires)) out.push(`${at}: requires "${step.requires}" is not an earlier step`);
    const delays = Array.isArray(step.when.delay) ? step.when.delay : step.when.delay === undefined ? [] : [step.when.delay];
    for (const d of delays) refParam(d, `${at}: when.delay`, true);
    refParam(step.when.spread, `${at}: when.spread`, true);
    refParam(step.count, `${at}: count`);
    refParam(step.probability, `${at}: probability`);
    refParam(step.order?.minTotalJpy, `${at}: order.minTotalJpy`);
    for (const d of delays) if (typeof d === 'string' && d.startsWith('order.') && !step.forEach) out.push(`${at}: ${d} needs forEach`);
    if (type) {
      const set: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(step.set ?? {})) {
        if (typeof v === 'string' && v.startsWith('$')) {
          const name = v.slice(1);
          if (!params[name]) out.push(`${at}: set.${k} names unknown parameter "${name}"`);
          set[k] = 1;
        } else set[k] = v;
      }
      const needsEntity = step.order !== undefined || step.forEach !== undefined || s.scope === 'campaign';
      const probe = type.params.safeParse(set);
      if (!probe.success) {
        for (const issue of probe.error.issues) {
          const key = String(issue.path[0] ?? '');
          if ((ENGINE_FIELDS.has(key) && needsEntity) || MAILBOX_FIELDS.has(key)) continue;
          if (ENGINE_FIELDS.has(key)) out.push(`${at}: mail type ${step.mail} needs an ${key} (use order or forEach)`);
          else out.push(`${at}: set.${issue.path.join('.')}: ${issue.message}`);
        }
      }
    }
    stepIds.add(step.id);
  }
  for (const [name, p] of Object.entries(params)) {
    const used =
      JSON.stringify(s.steps).includes(`"${name}"`) || JSON.stringify(s.steps).includes(`"$${name}"`) || JSON.stringify(s.campaign ?? {}).includes(`"${name}"`);
    if (!used) out.push(`parameter "${name}" is never used`);
    if (p.dist === 'bernoulli' && p.unit !== 'share') out.push(`parameter "${name}": a bernoulli parameter has unit share`);
  }
  return out;
}

/** Read and check every scenario file of a folder; throws ScenarioError listing all problems. */
export function loadScenarios(dir = scenarioDir()): Scenario[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, json: JSON.parse(text) as unknown };
      } catch (e) {
        return { file, json: { __invalidJson: (e as Error).message } };
      }
    });
  const { scenarios, problems } = checkScenarios(files);
  if (problems.length) throw new ScenarioError(problems);
  return scenarios;
}

/** The parameter distributions of a scenario with the config's overrides applied. */
export function effectiveParams(s: Scenario, config: Config): Record<string, Dist> {
  const over = config.scenarios[s.id]?.params ?? {};
  const out: Record<string, Dist> = {};
  for (const [k, v] of Object.entries(s.parameters)) out[k] = over[k] ?? v;
  return out;
}

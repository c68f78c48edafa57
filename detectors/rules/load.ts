/**
 * Loading rule files: every .yaml/.yml/.json file under a folder, parsed and checked. Like
 * elastic/detection-rules' tests, one pass collects every offender (invalid fields, unknown
 * events, duplicate ids, a rule whose file name does not match its id) before failing once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatIssues } from '../../generator/config.js';
import { packageRoot } from '../../generator/core/paths.js';
import { z } from 'zod';
import { EVENTS, EVENT_FIELDS } from '../lib/events.js';
import type { EventName } from '../lib/events.js';
import { RuleSchema } from './schema.js';
import type { Condition, Rule } from './schema.js';
import { AtoBenchError, EXIT } from '../../generator/core/errors.js';

/** The bundled rule files (a function: nothing may touch the file system on import in a sandbox). */
export function rulesDir(): string {
  return join(packageRoot(), 'detectors', 'rules');
}

export class RuleFileError extends AtoBenchError {
  constructor(readonly problems: string[]) {
    super(`invalid rule files:\n  ${problems.join('\n  ')}`, EXIT.usage);
  }
}

function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...ruleFiles(p));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

/** Parse and check rule files; returns the rules and every problem found. */
export function checkRuleFiles(files: ReadonlyArray<{ file: string; text: string }>): { rules: Rule[]; problems: string[] } {
  const rules: Rule[] = [];
  const problems: string[] = [];
  const ids = new Map<string, string>();
  for (const { file, text } of files) {
    let raw: unknown;
    try {
      raw = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    } catch (e) {
      problems.push(`${file}: cannot parse (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    const r = RuleSchema.safeParse(raw);
    if (!r.success) {
      const unknown = unknownEvents(raw);
      // An unknown event name shows up as a vague union error at its place: say what it is instead.
      const issues = r.error.issues.filter((i) => !unknown.some((u) => i.path.join('.').startsWith(u.path)));
      for (const u of unknown)
        problems.push(`${file}: ${u.path}: unknown event "${u.name}"${didYouMean(u.name, Object.keys(EVENTS))} (ato-bench rules events lists them)`);
      if (issues.length) problems.push(...formatIssues(new z.ZodError(issues), raw, `${file}: `));
      continue;
    }
    const rule = r.data;
    for (const u of unknownFields(rule)) problems.push(`${file}: ${u}`);
    const stem = basename(file).replace(/\.(ya?ml|json)$/, '');
    if (stem !== rule.id) problems.push(`${file}: the file is named after its rule's id: rename it ${rule.id}${extname(file)} (its id is ${rule.id})`);
    if (ids.has(rule.id)) problems.push(`${file}: duplicate id ${rule.id}, also in ${ids.get(rule.id)}`);
    ids.set(rule.id, file);
    rules.push(rule);
  }
  rules.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.order - b.order || (a.id < b.id ? -1 : 1)));
  return { rules, problems };
}

/** Where a rule names an event that does not exist (`on`, and `event` of any condition), with the path. */
function unknownEvents(raw: unknown): Array<{ path: string; name: string }> {
  const out: Array<{ path: string; name: string }> = [];
  const check = (v: unknown, path: string): void => {
    for (const [i, name] of (Array.isArray(v) ? v : [v]).entries())
      if (typeof name === 'string' && !(name in EVENTS)) out.push({ path: Array.isArray(v) ? `${path}.${i}` : path, name });
  };
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${i}`));
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        const p = path ? `${path}.${k}` : k;
        if (k === 'event' || (k === 'on' && !path)) check(x, p);
        else walk(x, p);
      }
  };
  walk(raw, '');
  return out;
}

const names = (e: EventName | readonly EventName[]): readonly EventName[] => (Array.isArray(e) ? e : [e as EventName]);

/**
 * Fields a rule names that its events do not have (each with the closest one): `field` of a
 * source is a field of that source's event(s), `where` keys too; the condition `field` and
 * `unseen.field` are fields of the triggering event.
 */
function unknownFields(rule: Rule): string[] {
  const out: string[] = [];
  const check = (field: string, events: readonly EventName[], where: string): void => {
    const known = [...new Set(events.flatMap((e) => Object.keys(EVENT_FIELDS[e])))];
    if (!known.includes(field))
      out.push(
        `${where}: ${events.join(' or ')} has no field "${field}"${didYouMean(field, known)} (${known.length ? `fields: ${known.join(', ')}` : 'it has no fields'})`,
      );
  };
  const source = (src: { event: EventName | EventName[]; field?: string; where?: Record<string, unknown> }, where: string): void => {
    if (src.field !== undefined) check(src.field, names(src.event), `${where}.field`);
    for (const k of Object.keys(src.where ?? {})) check(k, names(src.event), `${where}.where.${k}`);
  };
  const on = names(rule.on);
  const walk = (c: Condition, where: string): void => {
    if ('all' in c) c.all.forEach((x, i) => walk(x, `${where}.all.${i}`));
    else if ('any' in c) c.any.forEach((x, i) => walk(x, `${where}.any.${i}`));
    else if ('not' in c) walk(c.not, `${where}.not`);
    else if ('field' in c) check(c.field.name, on, `${where}.field.name`);
    else if ('count' in c) source(c.count, `${where}.count`);
    else if ('every' in c) source(c.every, `${where}.every`);
    else if ('sum' in c) source(c.sum, `${where}.sum`);
    else if ('distinct' in c) source(c.distinct, `${where}.distinct`);
    else if ('after' in c) source(c.after, `${where}.after`);
    else if ('unseen' in c) {
      check(c.unseen.field, on, `${where}.unseen.field`);
      c.unseen.in.forEach((x, i) => source(x, `${where}.unseen.in.${i}`));
    }
  };
  rule.when.forEach((c, i) => walk(c, `when.${i}`));
  rule.bonus.forEach((b, i) => b.when.forEach((c, j) => walk(c, `bonus.${i}.when.${j}`)));
  return out;
}

/** "; did you mean X?" for the closest of `known` to `word` (a typo or a plural), or nothing. */
export function didYouMean(word: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? `; did you mean ${best}?` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Load every rule file under `dir` (or only the given subfolders); throws RuleFileError listing all problems. */
export function loadRules(opts: { dir?: string; sets?: readonly string[] } = {}): Rule[] {
  const dir = opts.dir ?? rulesDir();
  const roots = opts.sets?.length ? opts.sets.map((s) => join(dir, s)) : [dir];
  const files: Array<{ file: string; text: string }> = [];
  for (const root of roots) {
    let list: string[];
    try {
      list = ruleFiles(root);
    } catch {
      throw new RuleFileError([`${root}: no such rule folder`]);
    }
    for (const f of list) files.push({ file: relative(process.cwd(), f) || f, text: readFileSync(f, 'utf8') });
  }
  if (files.length === 0) throw new RuleFileError([`${roots.join(', ')}: no rule files (.yaml, .yml, .json)`]);
  const { rules, problems } = checkRuleFiles(files);
  if (problems.length) throw new RuleFileError(problems);
  return rules;
}

/**
 * Loading rule files: every .yaml/.yml/.json file under a folder, parsed and checked. Like
 * elastic/detection-rules' tests, one pass collects every offender (invalid fields, unknown
 * events, duplicate ids, a rule whose file name does not match its id) before failing once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatIssues } from '../../generator/config.js';
import { packageRoot } from '../../generator/core/paths.js';
import { RuleSchema } from './schema.js';
import type { Rule } from './schema.js';
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
      problems.push(...formatIssues(r.error, raw, `${file}: `));
      continue;
    }
    const rule = r.data;
    if (ids.has(rule.id)) problems.push(`${file}: duplicate id ${rule.id}, also in ${ids.get(rule.id)}`);
    ids.set(rule.id, file);
    rules.push(rule);
  }
  rules.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.order - b.order || (a.id < b.id ? -1 : 1)));
  return { rules, problems };
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

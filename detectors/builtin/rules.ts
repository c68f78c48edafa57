import { createHash } from 'node:crypto';
import { createRuleEngine } from '../rules/engine.js';
import { loadRules } from '../rules/load.js';
import { RuleSchema } from '../rules/schema.js';
import type { Detector } from '../types.js';

/**
 * Rules as data: the rule files of detectors/rules/ (or `dir=...`, or some of its subfolders with
 * `sets=marketplace+security`), evaluated by the rule engine. The files are read and checked in
 * the runner's process (`prepare`) and handed to the sandboxed detector as data.
 */
export const rulesDetector: Detector = {
  id: 'rules',
  version: '1.1.0',
  description: 'Rule files (detectors/rules/*/*.yaml): the marketplace and account-notice rules as data; dir=... or sets=a+b to choose.',
  kind: 'rule',
  params: {
    dir: 'a folder of rule files (*.yaml, in subfolders) instead of the bundled ones',
    sets: 'subfolders of the rule folder to use, joined by + (default: all)',
  },
  prepare(params) {
    const rules = loadRules({ ...(params.dir ? { dir: params.dir } : {}), ...(params.sets ? { sets: params.sets.split('+') } : {}) });
    const { dir: _dir, ...rest } = params;
    return { ...rest, compiled: JSON.stringify(rules) };
  },
  // A rule set is versioned by its content: change one rule and the version changes with it.
  versionOf: (prepared) =>
    `sha256:${createHash('sha256')
      .update(prepared.compiled ?? '')
      .digest('hex')
      .slice(0, 16)}`,
  create({ params }) {
    const rules = params.compiled
      ? (JSON.parse(params.compiled) as unknown[]).map((r) => RuleSchema.parse(r))
      : loadRules({ ...(params.sets ? { sets: params.sets.split('+') } : {}) });
    return createRuleEngine(rules);
  },
};

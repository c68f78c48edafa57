/**
 * The detector registry: built-ins are registered explicitly here (never looked up by name in
 * a module's globals, NAB's mistake), duplicates are refused, and external detectors load from
 * a path or package name and are checked before they run.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { Detector } from './types.js';
import { nullDetector } from './builtin/null.js';
import { randomDetector } from './builtin/random.js';
import { naiveBurst } from './builtin/naive-burst.js';
import { oracle } from './builtin/oracle.js';
import { marketplaceRules } from './builtin/marketplace-rules.js';
import { mailboxSurprise } from './builtin/mailbox-surprise.js';
import { securityRules } from './builtin/security-rules.js';
import { rulesDetector } from './builtin/rules.js';
import { AtoBenchError } from '../generator/core/errors.js';

const registry = new Map<string, Detector>();

export function registerDetector(d: Detector, opts: { override?: boolean } = {}): void {
  if (registry.has(d.id) && !opts.override) throw new Error(`a detector with id "${d.id}" is already registered`);
  registry.set(d.id, d);
}

for (const d of [nullDetector, randomDetector, naiveBurst, oracle, marketplaceRules, securityRules, rulesDetector, mailboxSurprise]) registerDetector(d);

/** Built-in detectors in leaderboard order. */
export function builtinDetectors(): Detector[] {
  return [...registry.values()];
}

export function detectorById(id: string): Detector | undefined {
  return registry.get(id);
}

/** An unknown detector: the message lists the known ones. */
export class UnknownDetectorError extends AtoBenchError {}

export function requireDetector(id: string): Detector {
  const d = registry.get(id);
  if (!d) throw new UnknownDetectorError(`unknown detector "${id}"; known detectors: ${[...registry.keys()].join(', ')} (or --detector ./path/to/detector.js)`);
  return d;
}

const DetectorShape = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'kebab-case'),
  version: z.string().min(1),
  description: z.string().min(1),
  kind: z.enum(['baseline', 'rule', 'statistical', 'oracle', 'external']).optional(),
  readsTruth: z.literal(false).optional(),
  prepare: z.undefined({ error: "only built-in detectors may prepare in the runner's process" }).optional(),
  versionOf: z.undefined({ error: 'only built-in detectors may compute their version' }).optional(),
  create: z.custom<Detector['create']>((v) => typeof v === 'function', 'a function create(ctx) returning { onEmail(email) }'),
});

/** Check that a loaded module's export is a detector; the message says what is wrong. */
export function asDetector(value: unknown, source: string): Detector {
  const r = DetectorShape.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || 'export'}: ${i.message}`).join('; ');
    throw new Error(`${source} does not export a detector (${issues}); see detectors/types.ts`);
  }
  return value as Detector;
}

/** Resolve `--detector` to an importable URL: a path (relative to the working directory) or a package name. */
export function externalSpecifier(spec: string): string {
  const looksLikePath = spec.startsWith('.') || isAbsolute(spec) || /\.(m?js|cjs)$/.test(spec);
  return looksLikePath ? pathToFileURL(resolve(spec)).href : spec;
}

/** Import an external detector: its default export, or a named export `detector`. */
export async function loadExternalDetector(spec: string): Promise<Detector> {
  const mod = (await import(externalSpecifier(spec))) as { default?: unknown; detector?: unknown };
  return asDetector(mod.default ?? mod.detector, spec);
}

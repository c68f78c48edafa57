/**
 * The generator's data flows one way: facts first (core, config, vocabulary, the world), then
 * what is drawn from them (mail templates, scenarios), then the simulation, the outputs and the
 * pipeline that runs them. A module may import from its own layer or a lower one, never a higher
 * one, and no chain of imports comes back to where it started. This reads every import of every
 * module (static and dynamic) and fails naming the offending import.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GENERATOR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(GENERATOR, '..');

/** Lowest first. A module's layer is that of the longest prefix of its path below generator/. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['core/'],
  ['config.ts'],
  ['vocab/'],
  ['world/'],
  ['mail/'],
  ['scenarios/'],
  ['traffic/'],
  ['output/'],
  ['pipeline/'],
  ['index.ts', 'testing/'],
];

/** Outside generator/: the dataset format is the contract every layer may name; the pipeline and the public index also verify and read datasets. */
function externalAllowed(from: string, to: string): boolean {
  if (to === 'datasets/format.ts') return true;
  const top = from.startsWith('generator/pipeline/') || from === 'generator/index.ts';
  return top && to.startsWith('datasets/');
}

function layerOf(rel: string): number {
  let best = -1;
  let bestLen = -1;
  LAYERS.forEach((prefixes, i) => {
    for (const p of prefixes) if ((rel === p || rel.startsWith(p)) && p.length > bestLen) [best, bestLen] = [i, p.length];
  });
  return best;
}

function modules(dir: string, opts: { tests?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...modules(p, opts));
    else if (p.endsWith('.ts') && (opts.tests || !p.endsWith('.test.ts')) && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a module: `import ... from`, `export ... from`, `import('...')`, as paths from the repository root. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [
    ...src.matchAll(/^\s*(?:import|export)\b[^;]*?\sfrom\s+'([^']+)'/gms),
    ...src.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...src.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(ROOT, resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
}

type Graph = ReadonlyMap<string, readonly string[]>;

function upwardImports(graph: Graph): string[] {
  const upward: string[] = [];
  for (const [from, tos] of graph) {
    const lf = layerOf(from.slice('generator/'.length));
    for (const to of tos) {
      if (!to.startsWith('generator/')) {
        if (!externalAllowed(from, to)) upward.push(`${from} -> ${to} (outside generator/)`);
        continue;
      }
      const lt = layerOf(to.slice('generator/'.length));
      if (lt > lf) upward.push(`${from} -> ${to} (layer ${LAYERS[lf]!.join(' ')} reaches up to ${LAYERS[lt]!.join(' ')})`);
    }
  }
  return upward;
}

/** Tarjan's strongly connected components; any component of more than one module (or a self-import) is a cycle. */
function cyclesOf(graph: Graph): string[][] {
  let index = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(c.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return cycles;
}

const graph: Graph = new Map(modules(GENERATOR).map((f) => [relative(ROOT, f), importsOf(f)]));

describe('the import graph of generator/', () => {
  it('finds the modules and their imports (so the checks below look at something)', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(graph.get('generator/traffic/mailbox.ts')).toContain('generator/scenarios/expand.ts');
    for (const rel of graph.keys()) expect(layerOf(rel.slice('generator/'.length)), `${rel} belongs to no layer`).toBeGreaterThanOrEqual(0);
  });

  it('has no upward import: each module imports from its own layer or a lower one', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('the checks catch the shape the generator had before: the world planning through the scenarios, templates seeing the World', () => {
    const before: Graph = new Map([
      ['generator/world/world.ts', ['generator/scenarios/engine.ts']],
      ['generator/scenarios/engine.ts', ['generator/mail/templates/index.ts', 'generator/traffic/rhythm.ts']],
      ['generator/mail/templates/index.ts', ['generator/mail/templates/types.ts']],
      ['generator/mail/templates/types.ts', ['generator/world/world.ts']],
      ['generator/traffic/rhythm.ts', []],
      ['generator/world/orders.ts', ['generator/mail/tracking.ts', 'bench/score.ts']],
      ['generator/mail/tracking.ts', []],
    ]);
    expect(upwardImports(before)).toEqual([
      'generator/world/world.ts -> generator/scenarios/engine.ts (layer world/ reaches up to scenarios/)',
      'generator/scenarios/engine.ts -> generator/traffic/rhythm.ts (layer scenarios/ reaches up to traffic/)',
      'generator/world/orders.ts -> generator/mail/tracking.ts (layer world/ reaches up to mail/)',
      'generator/world/orders.ts -> bench/score.ts (outside generator/)',
    ]);
    expect(cyclesOf(before)).toEqual([
      ['generator/mail/templates/index.ts', 'generator/mail/templates/types.ts', 'generator/scenarios/engine.ts', 'generator/world/world.ts'],
    ]);
  });
});

/**
 * What nothing in generator/ may read, for the bytes to follow from the seed and the config
 * alone: randomness that is not a seeded stream, and the clock (a Date of a given instant is
 * arithmetic, not a clock). Timing a run is the caller's business; locks that need the wall clock
 * live in datasets/output-dir.ts.
 */
const NONDETERMINISTIC: ReadonlyArray<[RegExp, string]> = [
  [/\bMath\.random\s*\(/, 'Math.random'],
  [/\bDate\.now\s*\(/, 'Date.now'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date() (now)'],
  [/\bperformance\.now\s*\(/, 'performance.now'],
  [/\bprocess\.hrtime\b/, 'process.hrtime'],
  [/\bcrypto\.random|\brandomBytes\s*\(|\brandomUUID\s*\(|\brandomInt\s*\(/, 'crypto randomness'],
];

function nondeterminism(files: ReadonlyArray<{ path: string; src: string }>): string[] {
  const found: string[] = [];
  for (const { path, src } of files)
    src.split('\n').forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '');
      for (const [re, what] of NONDETERMINISTIC) if (re.test(code)) found.push(`${path}:${i + 1}: ${what}`);
    });
  return found;
}

describe('the sources of generator/', () => {
  it('read no clock and no unseeded randomness, nor do their tests (this file names them only to catch them)', () => {
    const files = modules(GENERATOR, { tests: true }).filter((f) => f !== fileURLToPath(import.meta.url));
    expect(files.some((f) => f.endsWith('.test.ts'))).toBe(true);
    expect(nondeterminism(files.map((f) => ({ path: relative(ROOT, f), src: readFileSync(f, 'utf8') })))).toEqual([]);
  });

  it('the check catches each of them', () => {
    const bad = NONDETERMINISTIC.map((_, i) => ({
      path: `x${i}.ts`,
      src: ['Math.random()', 'Date.now()', 'new Date()', 'performance.now()', 'process.hrtime.bigint()', 'randomBytes(8)'][i]!,
    }));
    expect(nondeterminism(bad).map((f) => f.split(': ')[1])).toEqual(NONDETERMINISTIC.map(([, what]) => what));
    expect(nondeterminism([{ path: 'ok.ts', src: 'new Date(t * 1000).getUTCDay(); // Date.now() in a comment' }])).toEqual([]);
  });
});

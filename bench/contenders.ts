/**
 * From what the user asked for (`--detectors`, `--detector`, `--detector-cmd`) to what the harness
 * runs: each contender's identity (from the registry, a manifest or a module's export, never from
 * its stream), the parameters its `hello` carries, and the launch plan (program, working folder,
 * the files it may read). Everything that can be wrong with a contender is found here, before
 * any work starts: an unknown detector or parameter, a bad value, a missing file, a manifest that
 * is not one, an id that collides, a detector folder that holds the dataset, a virtual
 * environment whose interpreter cannot be granted (runtime.ts).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../generator/core/paths.js';
import { detectorById, requireDetector } from '../detectors/registry.js';
import type { DetectorKind } from '../detectors/types.js';
import { cleanMessage } from './protocol.js';
import { DETECTOR_ID_PATTERN, ManifestSchema, ParamError, declarationProblems, resolveParams } from './manifest.js';
import { declaredRuntime, forbiddenOf, venvOf, venvRuntime, venvsIn, whyNotGrant } from './runtime.js';
import type { Forbidden } from './runtime.js';
import { bubblewrap, isWithin, launch, providedBySandbox } from './sandbox.js';
import type { IsolationChoice, LaunchPlan } from './sandbox.js';
import { AtoBenchError } from '../generator/core/errors.js';

/** What the user asked to run. */
export type DetectorSpec =
  | { builtin: string; params: Record<string, string> }
  /** A JavaScript module (path or package name) or a folder with a detector.json. */
  | { external: string; params?: Record<string, string> }
  /** A command line, run through /bin/sh from /tmp; its relative paths are the caller's. */
  | { command: string };

export interface Contender {
  spec: DetectorSpec;
  /** How it was asked for, unique in a run: `rules:sets=marketplace`, `./my.mjs`, `cmd:python3 my.py`. */
  label: string;
  id: string;
  version: string;
  description: string;
  kind: DetectorKind;
  /** Reads the truth: shown for comparison, never ranked (the built-in oracle only). */
  upperBound: boolean;
  /** Sent in hello. */
  params: Record<string, string>;
  plan: LaunchPlan;
}

/** A contender that cannot run as asked: exit 2 before any work. */
export class DetectorSetupError extends AtoBenchError {}

export function specLabel(spec: DetectorSpec): string {
  if ('builtin' in spec)
    return (
      spec.builtin +
      Object.entries(spec.params)
        .map(([k, v]) => `:${k}=${v}`)
        .join('')
    );
  if ('command' in spec) return `cmd:${spec.command}`;
  return spec.external + pairs(spec.params ?? {});
}

const pairs = (params: Record<string, string>): string =>
  Object.entries(params)
    .map(([k, v]) => `:${k}=${v}`)
    .join('');

/**
 * The spec a label stands for, as `specLabel` writes it: `cmd:COMMAND`, a path (a module or a
 * folder with detector.json: it starts with . or /, or names a .js/.mjs file), else a built-in.
 */
export function specFromLabel(label: string): DetectorSpec {
  if (label.startsWith('cmd:')) return { command: label.slice(4) };
  if (label.startsWith('.') || label.startsWith('/') || /\.(m?js|cjs)$/.test(label.replace(PARAM_PAIRS, ''))) {
    // A path, then the parameters given with --param, as specLabel writes them.
    const tail = PARAM_PAIRS.exec(label)?.[0] ?? '';
    const params: Record<string, string> = {};
    for (const p of tail.split(':').slice(1)) params[p.slice(0, p.indexOf('='))] = p.slice(p.indexOf('=') + 1);
    const external = label.slice(0, label.length - tail.length);
    return Object.keys(params).length ? { external, params } : { external };
  }
  return parseDetectorSpec(label);
}

const PARAM_PAIRS = /(?::[A-Za-z_][A-Za-z0-9_-]{0,63}=[^:]*)+$/;

/**
 * Give `--param [DETECTOR:]KEY=VALUE` values to the external detectors of `specs` (in place):
 * DETECTOR is a --detector as given (or the same path), and may be left out when only one
 * external detector runs. A command declares no parameters, so it takes none.
 */
export function attachParams(specs: DetectorSpec[], flags: readonly string[]): void {
  const externals = specs.filter((s) => !('builtin' in s));
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const head = eq < 0 ? '' : flag.slice(0, eq);
    const colon = head.lastIndexOf(':');
    const key = head.slice(colon + 1);
    if (eq < 0 || !key) throw new ParamError(`--param ${flag}: not KEY=VALUE or DETECTOR:KEY=VALUE`);
    const who = colon < 0 ? null : head.slice(0, colon);
    let target: DetectorSpec | undefined;
    if (who === null) {
      if (externals.length !== 1)
        throw new ParamError(
          `--param ${flag}: ${externals.length ? `${externals.length} external detectors run; name one: --param DETECTOR:${key}=...` : 'no --detector to give it to (built-ins take id:key=value in --detectors)'}`,
        );
      target = externals[0];
    } else {
      target = externals.find((s) => 'external' in s && (s.external === who || resolve(s.external) === resolve(who)));
      if (!target)
        throw new ParamError(`--param ${flag}: ${who} is not one of the --detector values (${externals.map((s) => specLabel(s)).join(', ') || 'none'})`);
    }
    if ('command' in target!)
      throw new ParamError(
        `--param ${flag}: ${specLabel(target!)} is a command and declares no parameters; give it a folder with a detector.json that declares "params"`,
      );
    const spec = target as Extract<DetectorSpec, { external: string }>;
    spec.params = { ...spec.params, [key]: flag.slice(eq + 1) };
  }
}

/** Parse `id` or `id:key=value:key=value` (a built-in). */
export function parseDetectorSpec(text: string): DetectorSpec {
  const [id, ...pairs] = text.split(':');
  const params: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new DetectorSetupError(`detector parameter "${p}" of "${text}" is not key=value`);
    params[p.slice(0, eq)] = p.slice(eq + 1);
  }
  requireDetector(id!);
  return { builtin: id!, params };
}

const KEBAB = DETECTOR_ID_PATTERN;

/** Node's permission flag: --experimental-permission on 20, --permission from 22.13 / 23.5. */
function permissionFlag(): string {
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  return major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13) ? '--permission' : '--experimental-permission';
}

/** Our compiled code and its dependencies: what the adapter needs to run. */
function ourFiles(): string[] {
  const root = packageRoot();
  const paths = [join(root, 'dist'), join(root, 'package.json')];
  // node_modules folders Node searches from our code: ours, and the one we are installed in.
  for (let d = root; ; d = dirname(d)) {
    const nm = join(d, 'node_modules');
    if (existsSync(nm)) paths.push(realpathSync(nm));
    if (dirname(d) === d) break;
  }
  return paths;
}

/** The adapter process for a JavaScript detector, under Node's permission model. */
function adapterPlan(args: string[], readable: string[], memoryLimitMb: number): LaunchPlan {
  const all = [...new Set([...ourFiles(), ...readable])];
  const grants = all.map((p) => `--allow-fs-read=${statSync(p).isDirectory() ? join(p, '*') : p}`);
  const argv = [
    process.execPath,
    permissionFlag(),
    ...grants,
    '--disable-warning=ExperimentalWarning',
    `--max-old-space-size=${Math.max(64, Math.floor(memoryLimitMb * 0.75))}`,
    join(packageRoot(), 'dist', 'bench', 'adapter.js'),
    ...args,
  ];
  return { argv, cwd: join(packageRoot(), 'dist'), readable: all, node: true };
}

/** package.json files Node reads to decide a .js file's module type. */
function packageScopes(file: string): string[] {
  const out: string[] = [];
  for (let d = dirname(file); ; d = dirname(d)) {
    const p = join(d, 'package.json');
    if (existsSync(p)) {
      out.push(p);
      break; // the nearest one decides
    }
    if (dirname(d) === d) break;
  }
  return out;
}

/** A package by name, found from the working directory as Node would: its folder and its entry file. */
function findPackage(name: string): { root: string; entry: string; nodeModules: string } {
  for (let d = process.cwd(); ; d = dirname(d)) {
    const root = join(d, 'node_modules', name);
    if (existsSync(join(root, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports?: unknown; main?: string };
      let exp: unknown = pkg.exports;
      if (exp && typeof exp === 'object' && '.' in (exp as object)) exp = (exp as Record<string, unknown>)['.'];
      while (exp && typeof exp === 'object') {
        const o = exp as Record<string, unknown>;
        exp = o.import ?? o.node ?? o.default ?? o.require;
      }
      const entry = resolve(root, typeof exp === 'string' ? exp : (pkg.main ?? 'index.js'));
      if (!existsSync(entry)) throw new DetectorSetupError(`package ${name} (${root}) has no entry file ${entry}`);
      return { root: realpathSync(root), entry: realpathSync(entry), nodeModules: realpathSync(join(d, 'node_modules')) };
    }
    if (dirname(d) === d)
      throw new DetectorSetupError(
        `detector "${name}" is neither a file, a folder nor a package installed here (no node_modules/${name} above ${process.cwd()})`,
      );
  }
}

/** Read a module's identity in its own sandbox (its code runs only there), then check it. */
function describeModule(
  url: string,
  readable: string[],
  opts: ResolveOptions,
): { id: string; version: string; description: string; params: Record<string, string> } {
  const plan = adapterPlan(['describe', url], readable, opts.memoryLimitMb);
  const l = launch(plan, { isolation: opts.isolation, memoryLimitMb: opts.memoryLimitMb });
  const r = spawnSync(l.file, l.args, { cwd: l.cwd, env: l.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000, maxBuffer: 1 << 20 });
  const out = r.stdout?.toString('utf8').split('\n')[0] ?? '';
  let v: { id?: unknown; version?: unknown; description?: unknown; params?: unknown; error?: unknown } = {};
  try {
    v = JSON.parse(out) as typeof v;
  } catch {
    const why = r.error ? r.error.message : cleanMessage(r.stderr?.toString('utf8').trim().split('\n').slice(-2).join(' ') ?? '', 300);
    throw new DetectorSetupError(`${url}: cannot be loaded (${why || `exit ${r.status}`})`);
  }
  if (typeof v.error === 'string') throw new DetectorSetupError(cleanMessage(v.error));
  const ok = typeof v.id === 'string' && KEBAB.test(v.id) && typeof v.version === 'string' && typeof v.description === 'string';
  if (!ok) throw new DetectorSetupError(`${url}: its export has no valid id (kebab-case), version and description`);
  // The parameters its export declares (name: meaning), the only ones --param may give it.
  const params: Record<string, string> = {};
  if (v.params && typeof v.params === 'object')
    for (const [k, meaning] of Object.entries(v.params)) if (typeof meaning === 'string') params[cleanMessage(k, 64)] = cleanMessage(meaning, 200);
  return { id: v.id as string, version: cleanMessage(v.version as string, 40), description: cleanMessage(v.description as string), params };
}

/**
 * Without the OS sandbox, Node's permission model checks the path a detector asks for, not where a
 * link in it leads: a link in the detector's folder to the truth would be read. So, there, a folder
 * holding a link that leads outside it is refused.
 */
function refuseEscapingLinks(folder: string, label: string, opts: ResolveOptions): void {
  if (opts.isolation !== 'permission-model' && bubblewrap().path) return;
  let seen = 0;
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (++seen > 200_000) return;
      const p = join(dir, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(p);
        } catch {
          continue; // dangling: leads nowhere
        }
        if (!isWithin(target, folder))
          throw new DetectorSetupError(
            `${label}: ${p} is a link to ${target}, outside the detector's folder; without the OS sandbox it would be readable: remove it`,
          );
      } else if (st.isDirectory()) walk(p);
    }
  };
  walk(folder);
}

export interface ResolveOptions {
  dataDir: string;
  seed: number;
  isolation: IsolationChoice;
  memoryLimitMb: number;
}

/** A word for /bin/sh that stands for `text` exactly. */
function shellWord(text: string): string {
  return /^[\w/.,+@%=:-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The words of a command that name existing files or folders, relative ones resolved against
 * the caller's folder: the command's own files. Each such word is rewritten to the path granted
 * (absolute, links resolved), so the command means the same from the sandbox's working folder,
 * /tmp. A word inside a virtual environment (its bin/python) grants the whole environment;
 * words under what every sandbox holds (/usr, /dev/null) are left as they are.
 */
function commandFiles(command: string): { command: string; readable: string[] } {
  const readable: string[] = [];
  const rewritten = command.replace(/"[^"]*"|'[^']*'|\S+/g, (word) => {
    const w = word.replace(/^(["'])(.*)\1$/s, '$2');
    if (w.startsWith('-') || !/[./]/.test(w)) return word;
    const p = resolve(w);
    if (!existsSync(p) || providedBySandbox(p)) return word;
    const venv = venvOf(p);
    if (venv) {
      // The interpreter is a link into the environment's base: keep it, grant the environment.
      const real = realpathSync(venv);
      readable.push(real);
      return shellWord(join(real, relative(venv, p)));
    }
    const real = realpathSync(p);
    readable.push(real);
    return shellWord(real);
  });
  return { command: rewritten, readable };
}

/** A command's id: the command made kebab-case; a long one keeps its start and a hash of the whole, so two never meet. */
function slug(text: string): string {
  const s =
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'command';
  if (s.length <= 64) return s;
  return `${s.slice(0, 55).replace(/-+$/, '')}-${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

function resolveOne(spec: DetectorSpec, opts: ResolveOptions, forbidden: Forbidden): Contender {
  const label = specLabel(spec);
  if ('builtin' in spec) {
    const d = requireDetector(spec.builtin);
    const known = d.params ?? {};
    for (const key of Object.keys(spec.params))
      if (!(key in known)) {
        const takes = Object.keys(known).length
          ? `it takes: ${Object.entries(known)
              .map(([k, v]) => `${k} (${v})`)
              .join('; ')}`
          : 'it takes none';
        throw new DetectorSetupError(`${label}: ${d.id} has no parameter "${key}"; ${takes}`);
      }
    let params: Record<string, string>;
    try {
      params = d.prepare ? d.prepare(spec.params) : { ...spec.params };
      // A trial instance checks the values here, where a bad one can still stop the run cheaply.
      if (!d.readsTruth) d.create({ seed: opts.seed, params });
    } catch (e) {
      if (e instanceof DetectorSetupError) throw e;
      throw new DetectorSetupError(`${label}: ${(e as Error).message}`);
    }
    const readable: string[] = [];
    if (d.readsTruth) {
      const truth = join(opts.dataDir, 'truth');
      readable.push(truth);
      params = { ...params, truthDir: truth };
    }
    return {
      spec,
      label,
      id: d.id,
      version: d.versionOf ? d.versionOf(params) : d.version,
      description: d.description,
      kind: d.kind ?? 'external',
      upperBound: d.readsTruth === true,
      params,
      plan: adapterPlan(['run', 'builtin', d.id], readable, opts.memoryLimitMb),
    };
  }

  if ('command' in spec) {
    const { command, readable } = commandFiles(spec.command);
    return {
      spec,
      label,
      id: slug(spec.command),
      version: '0',
      description: `command: ${cleanMessage(spec.command, 200)}`,
      kind: 'external',
      upperBound: false,
      params: {},
      plan: { argv: ['/bin/sh', '-c', command], cwd: '/tmp', readable, node: false },
    };
  }

  const target = spec.external;
  const looksLikePath = target.startsWith('.') || isAbsolute(target) || /\.(m?js|cjs)$/.test(target) || existsSync(target);
  if (looksLikePath) {
    const path = resolve(target);
    if (!existsSync(path)) throw new DetectorSetupError(`detector ${target}: no such file or folder (${path})`);
    const real = realpathSync(path);
    if (statSync(real).isDirectory()) {
      const manifestPath = join(real, 'detector.json');
      if (!existsSync(manifestPath)) throw new DetectorSetupError(`detector folder ${target} has no detector.json (id, version, description, command)`);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
      } catch (e) {
        throw new DetectorSetupError(`${manifestPath}: not JSON (${(e as Error).message})`);
      }
      const m = ManifestSchema.safeParse(raw);
      if (!m.success)
        throw new DetectorSetupError(`${manifestPath}: ${m.error.issues.map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`).join('; ')}`);
      const man = m.data;
      const problems = declarationProblems(man.params);
      if (problems.length) throw new DetectorSetupError(`${manifestPath}: ${problems.join('; ')}`);
      const base = { spec, label, id: man.id, version: man.version, description: man.description, kind: 'external' as const, upperBound: false };
      const params = resolveParams(label, man.params, spec.params ?? {});
      if (man.module !== undefined) {
        refuseEscapingLinks(real, label, opts);
        const entry = resolve(real, man.module);
        if (!isWithin(entry, real) || !existsSync(entry)) throw new DetectorSetupError(`${manifestPath}: module ${man.module} is not a file of the folder`);
        return { ...base, params, plan: adapterPlan(['run', 'module', pathToFileURL(entry).href], [real], opts.memoryLimitMb) };
      }
      const argv = typeof man.command === 'string' ? ['/bin/sh', '-c', man.command] : man.command!;
      const runtime: string[] = [];
      for (const path of man.runtime ?? []) {
        const r = declaredRuntime(path, forbidden);
        if ('refused' in r) throw new DetectorSetupError(`${manifestPath}: ${r.refused}`);
        runtime.push(r.grant);
      }
      // A program named by its path must be there in the sandbox: in the folder, in what every
      // sandbox holds, or in a declared runtime path (a bare name is looked up on PATH there).
      const program = argv[0]!;
      if (program.includes('/')) {
        const path = resolve(real, program);
        const held = (p: string): boolean => isWithin(p, real) || providedBySandbox(p) || runtime.some((r) => isWithin(p, r));
        const venv = venvOf(path);
        // The interpreter of an environment the sandbox holds is checked with it (withVenvRuntimes), which says more.
        if (!(venv && held(venv))) {
          if (!existsSync(path)) throw new DetectorSetupError(`${manifestPath}: its command's program ${program} does not exist (${path})`);
          if (!held(path))
            throw new DetectorSetupError(
              `${manifestPath}: its command's program ${path} is outside the folder; declare the installation it is in as "runtime"`,
            );
        }
      }
      return { ...base, params, plan: { argv, cwd: real, readable: [real], runtime, node: false } };
    }
    return moduleContender(spec, label, real, [real, ...packageScopes(real)], opts);
  }

  const pkg = findPackage(target);
  refuseEscapingLinks(pkg.root, label, opts);
  return moduleContender(spec, label, pkg.entry, [pkg.root, pkg.nodeModules], opts);
}

/** A JavaScript module run by the adapter; its identity read from its export in its own sandbox. */
function moduleContender(spec: Extract<DetectorSpec, { external: string }>, label: string, entry: string, readable: string[], opts: ResolveOptions): Contender {
  const url = pathToFileURL(entry).href;
  const { params: declared, ...who } = describeModule(url, readable, opts);
  // Names only: the module checks the values itself when it is created (it answers hello with error).
  const decl = Object.fromEntries(Object.entries(declared).map(([k, meaning]) => [k, { type: 'string' as const, description: meaning }]));
  return {
    spec,
    label,
    ...who,
    kind: 'external',
    upperBound: false,
    params: resolveParams(label, decl, spec.params ?? {}),
    plan: adapterPlan(['run', 'module', url], readable, opts.memoryLimitMb),
  };
}

/**
 * The runtime of a detector's virtual environments (in its folder, directly inside it, or
 * named by its command; in a declared runtime path): each environment's interpreter followed to
 * its installation, granted read-only, or the contender refused in one line naming it.
 */
function withVenvRuntimes(c: Contender, forbidden: Forbidden): Contender {
  if (c.plan.node) return c;
  const runtime = [...(c.plan.runtime ?? [])];
  const granted = [...c.plan.readable, ...runtime.map((p) => realpathSync(p))];
  const venvs = new Set<string>();
  for (const p of granted) {
    if (!statSync(p).isDirectory()) continue;
    const found = venvsIn(p);
    for (const v of found.venvs) venvs.add(v);
    for (const { link, target } of found.links) {
      if (!granted.some((g) => isWithin(target, g)))
        throw new DetectorSetupError(
          `${c.label}: ${link} is a link to the virtual environment ${target}, outside what the detector may read: make the environment inside its folder, or declare ${target} in the manifest's "runtime"`,
        );
      venvs.add(target);
    }
  }
  for (const venv of venvs) {
    const r = venvRuntime(venv, granted, forbidden);
    if ('refused' in r) throw new DetectorSetupError(`${c.label}: ${r.refused}`);
    runtime.push(...r.grant);
  }
  return runtime.length ? { ...c, plan: { ...c.plan, runtime: [...new Set(runtime)] } } : c;
}

/**
 * Resolve every spec, or throw DetectorSetupError naming the first problem. Ids must be unique
 * unless the same built-in runs with other parameters; an external detector may not take a
 * built-in's id. No path a detector may read (its files and its runtime) may hold the dataset or
 * its truth, lie inside them, hold a home folder, or hold or lie in a system folder (/etc, /run).
 */
export function resolveContenders(specs: readonly DetectorSpec[], opts: ResolveOptions): Contender[] {
  const forbidden = forbiddenOf(opts.dataDir);
  const data = forbidden.dataset;
  const out: Contender[] = [];
  const labels = new Set<string>();
  for (const spec of specs) {
    const c = withVenvRuntimes(resolveOne(spec, opts, forbidden), forbidden);
    if (labels.has(c.label)) throw new DetectorSetupError(`${c.label} is asked for twice`);
    labels.add(c.label);
    if (!('builtin' in spec) && detectorById(c.id)) throw new DetectorSetupError(`${c.label}: its id "${c.id}" is a built-in detector's; give it another id`);
    const clash = out.find((o) => o.id === c.id && !('builtin' in o.spec && 'builtin' in spec));
    if (clash) throw new DetectorSetupError(`${c.label} and ${clash.label} both have the id "${c.id}"`);
    const truthOk = c.upperBound ? join(data, 'truth') : null;
    for (const p of [...c.plan.readable, ...(c.plan.runtime ?? [])]) {
      if (p === truthOk) continue;
      const real = existsSync(p) ? realpathSync(p) : p;
      const why = whyNotGrant(real, forbidden);
      if (why) throw new DetectorSetupError(`${c.label}: ${real} ${why}; a detector may not see it${why.includes('dataset') ? ': move one of them' : ''}`);
    }
    out.push(c);
  }
  return out;
}

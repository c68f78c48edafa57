/**
 * detector.json (bench/manifest.ts): the committed JSON Schema is the loader's own shape, and the
 * two agree on every manifest shipped and on each broken one below (a JSON Schema validator, Ajv,
 * against the loader, resolveContenders). Then the declared parameters: defaults filled in,
 * values checked, an unknown key refused with one line.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { committedJson, tempDir } from '../generator/testing/test-helpers.js';
import { attachParams, resolveContenders, specFromLabel, specLabel } from './contenders.js';
import type { DetectorSpec } from './contenders.js';
import { declarationProblems, manifestJsonSchema, resolveParams } from './manifest.js';
import type { Manifest } from './manifest.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = join(ROOT, 'docs', 'detector.schema.json');

/** The manifests the project ships. */
const SHIPPED = ['examples/python-detector/detector.json', 'bench/fixtures/params-detector/detector.json'];

describe('docs/detector.schema.json', () => {
  it('is manifestJsonSchema()', async () => {
    const { have, want } = await committedJson(SCHEMA, manifestJsonSchema());
    expect(
      have,
      'docs/detector.schema.json is missing or differs from manifestJsonSchema() (bench/manifest.ts): regenerate it with UPDATE_SCHEMA=1 npx vitest run bench/manifest.test.ts, and commit it with the change',
    ).toStrictEqual(want);
  });

  // Compiled at first use: the test above writes the file with UPDATE_SCHEMA=1.
  let compiled: ValidateFunction | undefined;
  const validate = (m: unknown): boolean => {
    compiled ??= new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
    const ok = compiled(m);
    validate.errors = compiled.errors;
    return ok;
  };
  validate.errors = undefined as ValidateFunction['errors'];
  /** What the harness says of a folder holding this manifest: null when it resolves. */
  const loader = (manifest: unknown): string | null => {
    const folder = join(tempDir(), 'det');
    mkdirSync(folder);
    writeFileSync(join(folder, 'detector.json'), JSON.stringify(manifest));
    writeFileSync(join(folder, 'detector.mjs'), 'export default {};\n');
    try {
      resolveContenders([{ external: folder }], { dataDir: tempDir(), seed: 1, isolation: 'permission-model', memoryLimitMb: 256 });
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  };

  it.for(SHIPPED)('accepts %s, and so does the loader', (path) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as unknown;
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    // The loader reads a module's export in its sandbox: here, only the manifest is in question.
    const m = manifest as Manifest;
    expect(loader('module' in m ? { ...m, module: undefined, command: ['true'] } : m)).toBeNull();
  });

  it('accepts examples/python-ml-detector/detector.json and a declared runtime (the loader needs the venv: python-ml-example.test.ts)', () => {
    const ml = JSON.parse(readFileSync(join(ROOT, 'examples/python-ml-detector/detector.json'), 'utf8')) as Record<string, unknown>;
    expect(validate(ml), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...ml, runtime: ['/opt/conda/envs/ml'] }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...ml, runtime: '/opt/conda/envs/ml' })).toBe(false);
  });

  const good = { id: 'my-model', version: '1.0.0', description: 'A model.', command: ['python3', 'detector.py'] };
  const BROKEN: Array<[string, unknown, RegExp]> = [
    ['no id', { ...good, id: undefined }, /id: /],
    ['an id not kebab-case', { ...good, id: 'My Model' }, /id: kebab-case/],
    ['a version too long', { ...good, version: 'v'.repeat(41) }, /version: /],
    ['an unknown member', { ...good, upperBound: true }, /Unrecognized key: "upperBound"/],
    ['neither command nor module', { ...good, command: undefined }, /give either "command" or "module"/],
    ['both command and module', { ...good, module: 'detector.mjs' }, /give either "command" or "module"/],
    ['an empty command', { ...good, command: [] }, /command: /],
    ['a parameter of an unknown type', { ...good, params: { n: { type: 'float', default: 1 } } }, /params\.n: /],
    ['a default of the wrong type', { ...good, params: { n: { type: 'integer', default: '5' } } }, /params\.n/],
    ['a non-integer default of an integer', { ...good, params: { n: { type: 'integer', default: 2.5 } } }, /params\.n/],
    ['a bad parameter name', { ...good, params: { 'a b': 'x' } }, /params/],
    ['an unknown member of a parameter', { ...good, params: { n: { type: 'number', default: 1, step: 1 } } }, /params\.n/],
  ];

  it.for(BROKEN)('refuses %s, and so does the loader', ([, manifest, says]) => {
    expect(validate(manifest)).toBe(false);
    const why = loader(manifest);
    expect(why).toMatch(/detector\.json: /);
    expect(why).toMatch(says);
  });

  it('what a schema cannot say, the loader refuses on its own (the schema says so in its description)', () => {
    const outOfRange = { ...good, params: { n: { type: 'integer', default: 0, min: 1, max: 10 } } };
    const upsideDown = { ...good, params: { n: { type: 'number', min: 5, max: 1 } } };
    const notInEnum = { ...good, params: { mode: { type: 'string', default: 'medium', enum: ['fast', 'slow'] } } };
    for (const m of [outOfRange, upsideDown, notInEnum]) expect(validate(m)).toBe(true);
    expect(loader(outOfRange)).toMatch(/detector\.json: params\.n: its default 0 must be from 1 to 10$/);
    expect(loader(upsideDown)).toMatch(/detector\.json: params\.n: min 5 is above max 1$/);
    expect(loader(notInEnum)).toMatch(/detector\.json: params\.mode: its default "medium" must be one of fast, slow$/);
    expect(manifestJsonSchema().description).toMatch(/default within its min and max and among its enum, min not above max/);
  });
});

describe('resolveParams', () => {
  const declared: Manifest['params'] = {
    n: { type: 'integer', default: 5, min: 1, max: 1000, description: 'a count' },
    rate: { type: 'number', default: 0.5, min: 0, max: 1 },
    verbose: { type: 'boolean', default: false },
    mode: { type: 'string', default: 'fast', enum: ['fast', 'slow'] },
    label: 'plain',
    tag: { type: 'string' },
  };

  it('fills in every default, as strings, and sends a parameter without one only when given', () => {
    expect(resolveParams('d', declared, {})).toEqual({ n: '5', rate: '0.5', verbose: 'false', mode: 'fast', label: 'plain' });
    expect(resolveParams('d', declared, { n: '7', tag: 'x', label: 'other' })).toEqual({
      n: '7',
      rate: '0.5',
      verbose: 'false',
      mode: 'fast',
      label: 'other',
      tag: 'x',
    });
  });

  it('sends numbers as numbers are written ("0.50" is 0.5)', () => {
    expect(resolveParams('d', declared, { rate: '0.50', n: '+3' })).toMatchObject({ rate: '0.5', n: '3' });
  });

  it.for([
    ['n', 'abc', 'parameter n (integer, default 5, 1 to 1000: a count) must be an integer, got "abc"'],
    ['n', '2.5', 'must be an integer, got "2.5"'],
    ['n', '0', 'must be from 1 to 1000, got "0"'],
    ['n', '', 'must be an integer, got ""'],
    ['rate', '1.5', 'must be from 0 to 1, got "1.5"'],
    ['rate', 'NaN', 'must be a number, got "NaN"'],
    ['rate', '0x1', 'must be a number, got "0x1"'],
    ['verbose', 'yes', 'must be true or false, got "yes"'],
    ['mode', 'medium', 'must be one of fast, slow, got "medium"'],
  ])('refuses %s=%s: %s', ([key, value, says]) => {
    expect(() => resolveParams('./det', declared, { [key!]: value! })).toThrow(says!);
  });

  it('refuses an unknown key, listing what it takes', () => {
    expect(() => resolveParams('./det', declared, { windowhours: '12' })).toThrow(
      './det: no parameter "windowhours"; it takes: n (integer, default 5, 1 to 1000: a count); rate (number, default 0.5, 0 to 1); verbose (boolean, default false); mode (string, default fast, one of fast, slow); label (string, default plain); tag (string)',
    );
    expect(() => resolveParams('./det', undefined, { n: '1' })).toThrow('./det: no parameter "n"; it declares none');
  });

  it('declarationProblems lists every offender', () => {
    expect(declarationProblems(declared)).toEqual([]);
    expect(
      declarationProblems({
        a: { type: 'integer', default: 0, min: 1 },
        b: { type: 'number', min: 2, max: 1 },
        c: { type: 'string', default: 'x', enum: ['y'] },
      }),
    ).toEqual(['params.a: its default 0 must be from 1 to ∞', 'params.b: min 2 is above max 1', 'params.c: its default "x" must be one of y']);
  });
});

describe('a row’s label names the --param values, and the gate reads them back', () => {
  it.for<Extract<DetectorSpec, { external: string }>>([
    { external: './my-model/', params: { n: '8', mode: 'loose' } },
    { external: '/abs/my-model', params: { window_hours: '0.5' } },
    { external: './my-detector.mjs', params: { n: '3' } },
    { external: './my-model/' },
  ])('%o', (spec) => {
    const label = specLabel(spec);
    expect(label).toBe(
      spec.external +
        Object.entries(spec.params ?? {})
          .map(([k, v]) => `:${k}=${v}`)
          .join(''),
    );
    expect(specFromLabel(label)).toEqual(spec);
  });

  it('attachParams gives a bare KEY=VALUE to the one external detector, DETECTOR:KEY=VALUE to the one named', () => {
    const specs: DetectorSpec[] = [{ builtin: 'null', params: {} }, { external: './a/' }, { external: './b' }];
    attachParams(specs, ['./a:n=1', './b:x=y=z', './a/:m=2']);
    expect(specs).toEqual([
      { builtin: 'null', params: {} },
      { external: './a/', params: { n: '1', m: '2' } },
      { external: './b', params: { x: 'y=z' } },
    ]);
    const one: DetectorSpec[] = [{ external: './a/' }];
    attachParams(one, ['n=1']);
    expect(one).toEqual([{ external: './a/', params: { n: '1' } }]);
  });
});

/**
 * `detector.json`, the manifest of an external detector's folder (docs/detector-protocol.md,
 * "Identity comes from outside the stream"): its shape, defined once here, with the JSON Schema
 * committed as docs/detector.schema.json generated from it (`UPDATE_SCHEMA=1 npx vitest run
 * bench/manifest.test.ts`; the test keeps the two equal and runs both over the same manifests).
 * And its declared parameters: what `--param` may set, checked and filled in with their defaults
 * before any work, then sent in `hello` as strings.
 */
import { z } from 'zod';
import { AtoBenchError } from '../generator/core/errors.js';

/** An id: kebab-case, at most 64 characters (the manifest's, and a built-in's). */
export const DETECTOR_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A parameter's name. */
export const PARAM_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const MANIFEST_VERSION_MAX_CHARS = 40;
export const MANIFEST_DESCRIPTION_MAX_CHARS = 500;

/** A parameter that cannot be set as asked, or a declaration that is not one: exit 2 before any work. */
export class ParamError extends AtoBenchError {}

const description = z.string().min(1).max(MANIFEST_DESCRIPTION_MAX_CHARS).optional().meta({ description: 'what it means, for people' });

const IntegerParam = z
  .object({ type: z.literal('integer'), default: z.number().int().optional(), min: z.number().int().optional(), max: z.number().int().optional(), description })
  .strict();
const NumberParam = z
  .object({ type: z.literal('number'), default: z.number().optional(), min: z.number().optional(), max: z.number().optional(), description })
  .strict();
const BooleanParam = z.object({ type: z.literal('boolean'), default: z.boolean().optional(), description }).strict();
const StringParam = z
  .object({
    type: z.literal('string'),
    default: z.string().optional(),
    enum: z.array(z.string()).min(1).optional().meta({ description: 'the only values allowed' }),
    description,
  })
  .strict();

export const ParamDeclarationSchema = z
  .union([
    z.string().meta({ description: 'shorthand: a string parameter with this default' }),
    z.discriminatedUnion('type', [IntegerParam, NumberParam, BooleanParam, StringParam]),
  ])
  .meta({ description: 'A parameter the detector takes. Without a default it is sent only when given (--param).' });
export type ParamDeclaration = z.infer<typeof ParamDeclarationSchema>;

export const ManifestSchema = z
  .object({
    $schema: z.string().optional(),
    id: z.string().regex(DETECTOR_ID_PATTERN, 'kebab-case, at most 64 characters'),
    version: z.string().min(1).max(MANIFEST_VERSION_MAX_CHARS),
    description: z.string().min(1).max(MANIFEST_DESCRIPTION_MAX_CHARS),
    command: z
      .union([z.array(z.string().min(1)).min(1), z.string().min(1)])
      .optional()
      .meta({ description: 'the program and its arguments (run as is), or a string run by /bin/sh -c; the folder is its working directory' }),
    module: z.string().min(1).optional().meta({ description: 'instead of command: a JavaScript module of the folder exporting a detector' }),
    params: z
      .record(z.string().regex(PARAM_KEY_PATTERN, 'a parameter name: letters, digits, _ and -, at most 64 characters'), ParamDeclarationSchema)
      .optional(),
    runtime: z.array(z.string().min(1)).max(20).optional().meta({
      description:
        'absolute paths granted read-only beside the folder: an interpreter installation or environment used as is (docs/detector-protocol.md, "Using packages")',
    }),
  })
  .strict()
  .refine((m) => (m.command === undefined) !== (m.module === undefined), 'give either "command" or "module"');
export type Manifest = z.infer<typeof ManifestSchema>;

/** The JSON Schema of detector.json, as committed in docs/. */
export function manifestJsonSchema(): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(ManifestSchema, { target: 'draft-2020-12' });
  return {
    $schema,
    $id: 'https://ato-bench.example/schemas/detector.json',
    title: 'ato-bench detector.json',
    description:
      "The manifest of an external detector's folder. The harness also checks what a schema cannot say: a parameter's default within its min and max and among its enum, min not above max. See detector-protocol.md.",
    ...body,
    // The refinement above, which zod cannot write as JSON Schema.
    oneOf: [{ required: ['command'] }, { required: ['module'] }],
  };
}

type Declared = Exclude<ParamDeclaration, string>;

/** The declarations with the shorthand spelled out. */
function declarations(params: Manifest['params']): Record<string, Declared> {
  const out: Record<string, Declared> = {};
  for (const [k, d] of Object.entries(params ?? {})) out[k] = typeof d === 'string' ? { type: 'string', default: d } : d;
  return out;
}

/** `n (integer, default 5, 1 to 1000: order confirmations that make a burst)`. */
function describeParam(key: string, d: Declared): string {
  const parts: string[] = [d.type];
  if (d.default !== undefined) parts.push(`default ${String(d.default)}`);
  if ((d.type === 'integer' || d.type === 'number') && (d.min !== undefined || d.max !== undefined)) parts.push(`${d.min ?? '-∞'} to ${d.max ?? '∞'}`);
  if (d.type === 'string' && d.enum) parts.push(`one of ${d.enum.join(', ')}`);
  return `${key} (${parts.join(', ')}${d.description ? `: ${d.description}` : ''})`;
}

/** Why a value (as text) is not one the declaration takes, or the value as sent in hello. */
function check(d: Declared, text: string): { value: string } | { why: string } {
  if (d.type === 'boolean') return text === 'true' || text === 'false' ? { value: text } : { why: 'must be true or false' };
  if (d.type === 'string') return !d.enum || d.enum.includes(text) ? { value: text } : { why: `must be one of ${d.enum.join(', ')}` };
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) return { why: `must be ${d.type === 'integer' ? 'an integer' : 'a number'}` };
  if (d.type === 'integer' && !Number.isSafeInteger(n)) return { why: 'must be an integer' };
  if ((d.min !== undefined && n < d.min) || (d.max !== undefined && n > d.max)) return { why: `must be from ${d.min ?? '-∞'} to ${d.max ?? '∞'}` };
  return { value: String(n) };
}

/** What a schema cannot say of the declarations: every offender, or an empty list. */
export function declarationProblems(params: Manifest['params']): string[] {
  const out: string[] = [];
  for (const [key, d] of Object.entries(declarations(params))) {
    if ((d.type === 'integer' || d.type === 'number') && d.min !== undefined && d.max !== undefined && d.min > d.max)
      out.push(`params.${key}: min ${d.min} is above max ${d.max}`);
    if (d.default === undefined) continue;
    const r = check(d, String(d.default));
    if ('why' in r) out.push(`params.${key}: its default ${JSON.stringify(d.default)} ${r.why}`);
  }
  return out;
}

/**
 * The parameters `hello` carries: each declared default, overridden by what was given, every
 * value checked against its declaration. `label` names the detector in the one-line refusal.
 */
export function resolveParams(label: string, declared: Manifest['params'], given: Readonly<Record<string, string>>): Record<string, string> {
  const decl = declarations(declared);
  const out: Record<string, string> = {};
  for (const [key, d] of Object.entries(decl)) if (d.default !== undefined) out[key] = String(d.default);
  for (const [key, text] of Object.entries(given)) {
    const d = decl[key];
    if (!d) {
      const takes = Object.keys(decl).length
        ? `it takes: ${Object.entries(decl)
            .map(([k, v]) => describeParam(k, v))
            .join('; ')}`
        : 'it declares none ("params" of its detector.json, or of its export)';
      throw new ParamError(`${label}: no parameter "${key}"; ${takes}`);
    }
    const r = check(d, text);
    if ('why' in r) throw new ParamError(`${label}: parameter ${describeParam(key, d)} ${r.why}, got ${JSON.stringify(text)}`);
    out[key] = r.value;
  }
  return out;
}

/**
 * The protocol's shapes (bench/protocol.ts) against what is published of them: the committed JSON
 * Schema, and every JSON example of docs/detector-protocol.md. Plus the clean-up of what a
 * detector writes (stripControl, cleanMessage).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { z } from 'zod';
import { committedJson, tempDir } from '../generator/testing/test-helpers.js';
import { resolveContenders } from './contenders.js';
import {
  AlertSchema,
  DEFAULT_LIMITS,
  DetectorMessageSchema,
  EMAIL_ID_PATTERN,
  HARNESS_LIMITS,
  HarnessMessageSchema,
  MAILBOX_MAX_CHARS,
  RULE_ID_PATTERN,
  cleanMessage,
  protocolJsonSchema,
  stripControl,
} from './protocol.js';
import { DETECTOR_ID_PATTERN, MANIFEST_DESCRIPTION_MAX_CHARS, MANIFEST_VERSION_MAX_CHARS, PARAM_KEY_PATTERN } from './manifest.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DOC = join(ROOT, 'docs', 'detector-protocol.md');
const SCHEMA = join(ROOT, 'docs', 'detector-protocol.schema.json');

describe('the committed JSON Schema', () => {
  it('docs/detector-protocol.schema.json is protocolJsonSchema()', async () => {
    const { have, want } = await committedJson(SCHEMA, protocolJsonSchema());
    expect(
      have,
      'docs/detector-protocol.schema.json is missing or differs from protocolJsonSchema() (bench/protocol.ts): regenerate it with UPDATE_SCHEMA=1 npx vitest run bench/protocol.test.ts, and commit it with the change of the schemas',
    ).toStrictEqual(want);
  });
});

/** The ```json blocks of the page, their indentation (a block inside a list item) removed. */
function jsonBlocks(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/^([ \t]*)```json[ \t]*\n([\s\S]*?)^\1```[ \t]*$/gm)) {
    const indent = m[1]!;
    out.push(
      m[2]!
        .split('\n')
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n')
        .trim(),
    );
  }
  return out;
}

const HARNESS_TYPES = new Set(['hello', 'email', 'end']);
const DETECTOR_TYPES = new Set(['ready', 'alerts', 'error']);

/** A line of an offline alerts file (docs: "Offline alerts"): an alert naming its email instead of a mailbox. */
const OfflineAlertSchema = AlertSchema.omit({ mailbox: true }).extend({
  emailId: z.string().regex(/^[0-9a-f]{16}$/),
  mailbox: z.string().min(1).optional(),
});

describe('the examples of docs/detector-protocol.md', () => {
  const markdown = readFileSync(DOC, 'utf8');

  it('every ```json block parses with the schema of what it is', () => {
    const blocks = jsonBlocks(markdown);
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    const seen: string[] = [];
    const manifests: unknown[] = [];
    for (const block of blocks) {
      // A whole-block object that is not a message: the manifest (it spans lines).
      let whole: unknown;
      try {
        whole = JSON.parse(block);
      } catch {
        whole = undefined;
      }
      if (whole && typeof whole === 'object' && 'command' in whole && !('type' in whole)) {
        manifests.push(whole);
        seen.push('manifest');
        continue;
      }
      // Otherwise one message (or offline alert) per line.
      for (const line of block.split('\n').filter((l) => l.trim())) {
        let raw: Record<string, unknown>;
        try {
          raw = JSON.parse(line) as Record<string, unknown>;
        } catch (e) {
          throw new Error(`not JSON in docs/detector-protocol.md: ${line} (${(e as Error).message})`);
        }
        const type = raw.type;
        if (typeof type === 'string' && HARNESS_TYPES.has(type)) {
          const r = HarnessMessageSchema.safeParse(raw);
          expect(r.error?.issues, line).toBeUndefined();
          if (type === 'hello') expect((raw as { limits: unknown }).limits, 'the hello example shows the default limits').toEqual(DEFAULT_LIMITS);
        } else if (typeof type === 'string' && DETECTOR_TYPES.has(type)) {
          const r = DetectorMessageSchema.safeParse(raw);
          expect(r.error?.issues, line).toBeUndefined();
        } else if ('emailId' in raw) {
          const r = OfflineAlertSchema.safeParse(raw);
          expect(r.error?.issues, line).toBeUndefined();
        } else throw new Error(`an example of docs/detector-protocol.md that is none of the known kinds: ${line}`);
        seen.push(typeof type === 'string' ? type : 'offline');
      }
    }
    expect(new Set(seen)).toEqual(new Set(['hello', 'email', 'alerts', 'end', 'manifest', 'offline']));
    expect(manifests).toHaveLength(2); // the bare one, and the one declaring parameters
  });

  it('the manifest examples are accepted by the harness (a folder holding one resolves to its id and declared defaults)', () => {
    const manifests = jsonBlocks(markdown)
      .map((b) => {
        try {
          return JSON.parse(b) as Record<string, unknown>;
        } catch {
          return null;
        }
      })
      .filter((o): o is Record<string, unknown> => o !== null && 'command' in o && !('type' in o));
    expect(manifests.some((m) => 'params' in m)).toBe(true);
    for (const manifest of manifests) {
      const folder = join(tempDir(), 'my-model');
      mkdirSync(folder);
      writeFileSync(join(folder, 'detector.json'), JSON.stringify(manifest));
      const [c] = resolveContenders([{ external: folder }], { dataDir: tempDir(), seed: 1, isolation: 'auto', memoryLimitMb: 256 });
      expect(c!.id).toBe(manifest.id);
      expect(c!.version).toBe(manifest.version);
      expect(c!.plan.argv).toEqual(manifest.command);
      expect(c!.upperBound).toBe(false);
      const declared = (manifest.params ?? {}) as Record<string, string | { default?: unknown }>;
      expect(Object.keys(c!.params)).toEqual(Object.keys(declared).filter((k) => typeof declared[k] === 'string' || declared[k]!.default !== undefined));
    }
  });

  it('the inline messages (`{"type":...}`) parse as detector messages', () => {
    const inline = [...markdown.matchAll(/`(\{"type":[^`\n]*\})`/g)].map((m) => m[1]!);
    expect(inline).toEqual(expect.arrayContaining(['{"type":"ready","protocol":1}', '{"type":"error","message":"..."}']));
    for (const text of inline) {
      const raw = JSON.parse(text) as { type: string };
      const schema = HARNESS_TYPES.has(raw.type) ? HarnessMessageSchema : DetectorMessageSchema;
      expect(schema.safeParse(raw).error?.issues, text).toBeUndefined();
    }
  });
});

/** The rows of the tables of a section of the page: first cell -> second cell, backticks kept. */
function tableRows(markdown: string, section: string): Map<string, string> {
  const start = markdown.indexOf(`\n## ${section}\n`);
  expect(start, `docs/detector-protocol.md has a "## ${section}" section`).toBeGreaterThanOrEqual(0);
  const end = markdown.indexOf('\n## ', start + 1);
  const rows = new Map<string, string>();
  for (const line of markdown.slice(start, end < 0 ? undefined : end).split('\n')) {
    const cells = /^\|(.*)\|\s*$/
      .exec(line)?.[1]
      ?.split('|')
      .map((c) => c.trim());
    if (!cells || cells.length < 2 || /^-+$/.test(cells[0]!)) continue;
    rows.set(cells[0]!, cells[1]!);
  }
  return rows;
}

describe('the limits tables of docs/detector-protocol.md', () => {
  const rows = tableRows(readFileSync(DOC, 'utf8'), 'Limits');
  // Each limit the code enforces, by the name its row has on the page and the value it must show.
  const code = (c: string): string => '`' + c + '`';
  const want = new Map<string, string>([
    ...Object.entries(DEFAULT_LIMITS).map(([k, v]) => [code(k), String(v)] as [string, string]),
    [code('--ready-timeout'), `${HARNESS_LIMITS.readyTimeoutSeconds} s`],
    [code('--time-limit'), `${HARNESS_LIMITS.timeLimitSeconds} s`],
    [code('--memory-limit'), `${HARNESS_LIMITS.memoryLimitMb} MiB`],
    ['exit after `end`', `${HARNESS_LIMITS.exitGraceSeconds} s`],
    ['stderr kept', `${HARNESS_LIMITS.stderrKeepBytes} bytes`],
    ['`error` message', `${HARNESS_LIMITS.errorChars} characters`],
    ['alert `mailbox`', `1 to ${MAILBOX_MAX_CHARS} characters`],
    ['alert `rule`', code(RULE_ID_PATTERN.source)],
    ['email id (`evidence`, `id`)', code(EMAIL_ID_PATTERN.source)],
    ['manifest `id`', code(DETECTOR_ID_PATTERN.source)],
    ['manifest `version`', `1 to ${MANIFEST_VERSION_MAX_CHARS} characters`],
    ['manifest `description`', `1 to ${MANIFEST_DESCRIPTION_MAX_CHARS} characters`],
    ['parameter name', code(PARAM_KEY_PATTERN.source)],
  ]);

  it('lists every limit the code enforces, with the value the code has', () => {
    const wrong: string[] = [];
    for (const [name, value] of want) {
      const cell = rows.get(name);
      // The value first in its cell; words may follow (`1 to 200 characters, a mailbox already delivered`).
      if (cell === undefined) wrong.push(`${name}: no row`);
      else if (cell !== value && !cell.startsWith(value + ',') && !cell.startsWith(value + ' '))
        wrong.push(`${name}: the page says ${cell}, the code ${value}`);
    }
    expect(wrong).toEqual([]);
    expect([...rows.keys()].filter((k) => !want.has(k) && k !== 'limit' && k !== 'member')).toEqual([]);
  });

  it('covers every constant: a limit added to the code needs a row (and a line in the test above)', () => {
    expect(Object.keys(HARNESS_LIMITS).sort()).toEqual([
      'errorChars',
      'exitGraceSeconds',
      'memoryLimitMb',
      'readyTimeoutSeconds',
      'stderrKeepBytes',
      'timeLimitSeconds',
    ]);
    expect(Object.keys(DEFAULT_LIMITS).every((k) => want.has(code(k)))).toBe(true);
  });

  it('the shapes use the same constants the page shows (a change of one cannot leave the other behind)', () => {
    expect(AlertSchema.shape.mailbox.maxLength).toBe(MAILBOX_MAX_CHARS);
    expect(AlertSchema.shape.reason.maxLength).toBe(DEFAULT_LIMITS.reasonChars);
    expect(cleanMessage('x'.repeat(HARNESS_LIMITS.errorChars + 10)).length).toBe(HARNESS_LIMITS.errorChars);
  });
});

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('stripControl and cleanMessage', () => {
  // Text rich in what a terminal would act on: C0 and C1 controls, pieces of escape sequences, any character.
  const unit = fc.oneof(
    fc.integer({ min: 0, max: 0xa0 }).map((c) => String.fromCharCode(c)),
    fc.constantFrom('\x1b[', '\x1b]', '\x1b\\', '\x07', '31m', ';', '\n', '\r\n', '\t', ' ', '\u2028'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  );
  const text = fc.string({ unit, maxLength: 300 });

  it('stripControl leaves no control character and no ESC', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = stripControl(s);
        expect(out).not.toMatch(CONTROL);
        expect(out).not.toContain('\x1b');
      }),
      { numRuns: 1000 },
    );
  });

  it('cleanMessage(s, n) is one line of at most n characters, without control characters', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 400 }), (s, n) => {
        const out = cleanMessage(s, n);
        expect(out.length).toBeLessThanOrEqual(n);
        expect(out).not.toContain('\n');
        expect(out).not.toMatch(CONTROL);
      }),
      { numRuns: 1000 },
    );
    expect(cleanMessage('x'.repeat(600)).length).toBe(500);
  });

  it('removes a CSI colour sequence and an OSC title sequence whole', () => {
    expect(stripControl('\x1b[1;31mred\x1b[0m plain')).toBe('red plain');
    expect(stripControl('before\x1b]0;my title\x07after')).toBe('beforeafter');
    expect(stripControl('before\x1b]2;other title\x1b\\after')).toBe('beforeafter');
    expect(stripControl('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay');
    expect(cleanMessage('\x1b[32mok\x1b[0m\n\nnext\x00 line')).toBe('ok next line');
  });
});

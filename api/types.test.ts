/**
 * The package's types as a TypeScript project without @types/node sees them: the declarations
 * this build emitted (dist/, made by `npm run build`, which `npm test` runs first) laid out as an
 * installed package, compiled by tsc with no Node types (its default lib) and no skipLibCheck, so
 * every declaration file reachable from 'ato-bench' and 'ato-bench/detector' is checked. One
 * that names a Node module or global (node:child_process, Buffer) fails here, naming the file.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../generator/testing/test-helpers.js';

let project: string;

/** tsc over the given files in the project: its exit code and what it printed. */
function tsc(files: string[]): { status: number | null; out: string } {
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      files,
    }),
  );
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist', 'api', 'index.d.ts')), 'dist/ is missing: run npm run build').toBe(true);
  project = tempDir();
  const pkg = join(project, 'node_modules', 'ato-bench');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true, filter: (src) => !/\.(js|map)$/.test(src) && !src.endsWith('.tsbuildinfo') });
  // The package's declarations import zod's, as an install would have them.
  symlinkSync(join(ROOT, 'node_modules', 'zod'), join(project, 'node_modules', 'zod'));
});

describe("the package's declarations, without @types/node", () => {
  it("compile for a consumer that imports the contract from 'ato-bench' and 'ato-bench/detector'", () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import type { Detector, Alert, EmailRecord, BenchResults, DetectorSpec } from 'ato-bench';",
        "import type { Detector as D, Alert as A, EmailRecord as E } from 'ato-bench/detector';",
        '',
        'export const detector: Detector & D = {',
        "  id: 'team-orders',",
        "  version: '1.0.0',",
        "  description: 'typed without @types/node',",
        "  create: () => ({ onEmail: (e: EmailRecord & E): Alert & A => ({ mailbox: e.mailbox, score: 0.2, reason: 'an order', evidence: [e.id] }) }),",
        '};',
        'export type Used = [BenchResults, DetectorSpec];',
        '',
      ].join('\n'),
    );
    const r = tsc(['consumer.ts']);
    expect(r.out).not.toMatch(/error TS/);
    expect(r.status).toBe(0);
  });

  it('the same project does fail on a declaration that reaches Node (so nothing there hides Node types)', () => {
    writeFileSync(join(project, 'control.ts'), '/// <reference path="node_modules/ato-bench/dist/datasets/lines.d.ts" />\nexport {};\n');
    const r = tsc(['control.ts']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/dist\/datasets\/lines\.d\.ts\(\d+,\d+\): error TS\d+: Cannot find name 'Buffer'/);
  });
});

/** The Actions stand-in that runs the shipped workflow in api/consumer.test.ts: it must run a job as GitHub does, or say it cannot. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, parseCommandFile, runJob } from './actions.js';
import type { ActionsContext } from './actions.js';
import { tempDir } from './test-helpers.js';

const ctx = (over: Partial<ActionsContext> = {}): ActionsContext => ({
  github: { event_name: 'pull_request', repository: 'a/b', event: { pull_request: { head: { repo: { full_name: 'a/b' } } } } },
  runner: { temp: '/tmp' },
  env: {},
  steps: { gate: { outputs: { exit: '3' }, outcome: 'success' } },
  workspace: tempDir(),
  ...over,
});

describe('the Actions stand-in', () => {
  it('evaluates comparisons, &&, status functions and hashFiles as GitHub does', () => {
    const c = ctx();
    writeFileSync(join(c.workspace, 'f.md'), 'x');
    expect(evaluate("always() && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository", c, true)).toBe(
      true,
    );
    expect(evaluate("github.event_name == 'push' && always()", c, true)).toBe(false);
    expect(evaluate("steps.gate.outputs.exit != '0'", c, true)).toBe(true);
    expect(evaluate('success()', c, false)).toBe(false);
    expect(evaluate("hashFiles('f.md') != ''", c, true)).toBe(true);
    expect(evaluate("hashFiles('missing.md') != ''", c, true)).toBe(false);
    expect(evaluate('steps.nothing.outputs.x', c, true)).toBeUndefined();
  });

  it('refuses what it does not implement rather than guess', () => {
    expect(() => evaluate("contains(github.ref, 'main')", ctx(), true)).toThrow(/cannot read|no function/);
    expect(() => evaluate("vars.X == 'y'", ctx(), true)).toThrow(/knows no context/);
    expect(() => evaluate('github.a || github.b', ctx(), true)).toThrow(/cannot read/);
  });

  it('reads GITHUB_OUTPUT lines and heredocs', () => {
    expect(parseCommandFile('a=1=2\nb<<EOF\nx\ny\nEOF\n')).toEqual({ a: '1=2', b: 'x\ny' });
  });

  it('runs a job: outputs and env between steps, a failure skips what follows unless always()', () => {
    const dir = tempDir();
    const workflow = join(dir, 'w.yml');
    writeFileSync(
      workflow,
      [
        'jobs:',
        '  j:',
        '    steps:',
        '      - id: one',
        '        run: |',
        '          echo "v=1" >> "$GITHUB_OUTPUT"',
        '          echo "FROM_ENV=yes" >> "$GITHUB_ENV"',
        '      - name: two',
        '        env: { V: "${{ steps.one.outputs.v }}" }',
        '        run: echo "$V $FROM_ENV" >> "$GITHUB_STEP_SUMMARY"; false',
        '      - name: three',
        '        run: echo never',
        '      - name: four',
        '        if: always()',
        '        run: echo "$FROM_ENV"',
      ].join('\n'),
    );
    const r = runJob({ workflow, job: 'j', workspace: dir, temp: tempDir(), github: {}, baseEnv: process.env, uses: () => ({ done: '' }) });
    expect(r.steps.map((s) => `${s.outcome} ${s.name}`)).toEqual(['success echo "v=1" >> "$GITHUB_OUTPUT"', 'failure two', 'skipped three', 'success four']);
    expect(r.summary).toBe('1 yes\n');
    expect(r.steps[3]!.stdout).toBe('yes\n');
    expect(r.ok).toBe(false);
  });
});

/**
 * This repository's own gate workflow (.github/workflows/) and the one shipped for teams
 * (examples/github-actions/, run step by step in api/consumer.test.ts) differ only where a clone
 * differs from an installed package: the command, how the cache key names the dataset's inputs,
 * and the trigger's paths. Everything else is kept equal here, so that a fix to one reaches both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../generator/testing/test-helpers.js';
import type { WorkflowStep } from '../generator/testing/actions.js';

const steps = (file: string): WorkflowStep[] =>
  (parse(readFileSync(join(ROOT, file), 'utf8')) as { jobs: { gate: { steps: WorkflowStep[] } } }).jobs.gate.steps;

describe('the gate workflows', () => {
  it('the repository’s and the shipped example differ only in the command, the cache key and what sets them up', () => {
    const own = steps('.github/workflows/ato-bench-gate.yml');
    const shipped = steps('examples/github-actions/ato-bench-gate.yml');
    const normalise = (s: WorkflowStep): WorkflowStep => ({
      ...s,
      ...(s.run
        ? {
            run: s.run
              .replace('npm run gate -- --out-dir', 'npx ato-bench gate GATE_FILES --out-dir')
              .replace(/--config \S+ --baseline \S+ --known-fps \S+ /, 'GATE_FILES '),
          }
        : {}),
      ...(s.with?.key ? { with: { ...s.with, key: 'KEY' } } : {}),
    });
    const setup = (s: WorkflowStep) => /dataset cache's folder/.test(s.name ?? '');
    expect(own.filter((s) => !setup(s)).map(normalise)).toEqual(shipped.filter((s) => !setup(s)).map(normalise));
    // Both set the cache folder the same way, before the cache step reads it.
    for (const list of [own, shipped]) {
      const at = list.findIndex(setup);
      expect(list[at]!.run).toMatch(/^echo "ATO_BENCH_CACHE_DIR=\$RUNNER_TEMP\/ato-bench-cache" >> "\$GITHUB_ENV"$/m);
      expect(list.findIndex((s) => s.uses?.startsWith('actions/cache@'))).toBe(at + 1);
      expect(list[at + 1]!.with!.path).toBe('${{ env.ATO_BENCH_CACHE_DIR }}');
    }
  });
});

/** `ato-bench --version`: the package's version, exit 0; after a command, --version is that command's. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cli } from '../generator/testing/test-helpers.js';

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('ato-bench --version', () => {
  it("prints package.json's version and exits 0 (-V too)", () => {
    for (const flag of ['--version', '-V']) {
      const r = cli([flag]);
      expect(r.status, flag).toBe(0);
      expect(r.stdout, flag).toBe(`${version}\n`);
      expect(r.stderr, flag).toBe('');
    }
  });

  it('is listed in --help', () => {
    expect(cli(['--help']).stdout).toMatch(/^ {2}-V, --version +print ato-bench's version$/m);
  });
});

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The package's root folder, found by walking up from this module to package.json. Data files
 * (scenarios, presets) are read from the source tree at run time, whether the code runs from
 * `generator/*.ts` (tests) or from the compiled `dist/generator/*.js`.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'generator'))) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the ato-bench package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

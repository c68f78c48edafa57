/**
 * Write every report of a gate run into a folder: the head results JSON, the comparison JSON,
 * Markdown (for a CI step summary or a PR comment), JUnit XML and the self-contained HTML report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResults } from '../benchmark.js';
import type { BenchResults } from '../benchmark.js';
import type { CompareResult } from '../compare-types.js';
import { benchHtml, compareJUnit, compareMarkdown } from './index.js';

export async function writeReports(dir: string, head: BenchResults, compare: CompareResult): Promise<string[]> {
  const files = {
    results: join(dir, 'results.json'),
    compare: join(dir, 'compare.json'),
    markdown: join(dir, 'report.md'),
    junit: join(dir, 'junit.xml'),
    html: join(dir, 'report.html'),
  };
  writeResults(files.results, head);
  writeFileSync(files.compare, JSON.stringify(compare, null, 1) + '\n');
  writeFileSync(files.markdown, compareMarkdown(compare));
  writeFileSync(files.junit, compareJUnit(compare, head));
  writeFileSync(files.html, await benchHtml(head, compare));
  return Object.values(files);
}

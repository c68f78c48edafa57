/**
 * Write every report of a run into a folder: the results JSON, the comparison JSON (when there is
 * a comparison: gate, compare), Markdown (for a CI step summary or a PR comment), JUnit XML and the
 * self-contained HTML report. The same for bench, compare and gate. Given the dataset the results
 * were scored on, the Markdown and HTML reports also show what the false alarms fell on and the
 * timelines of the takeovers missed or lost (see review.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeResults } from '../benchmark.js';
import type { BenchResults } from '../benchmark.js';
import type { CompareResult } from '../compare-types.js';
import { benchHtml, benchJUnit, benchMarkdown, compareJUnit, compareMarkdown } from './index.js';
import { buildReview } from './review.js';

export async function writeReports(dir: string, head: BenchResults, compare?: CompareResult, opts: { dataDir?: string } = {}): Promise<string[]> {
  const review = await buildReview(head, { ...opts, ...(compare ? { compare } : {}) });
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (name: string, text: string): void => {
    writeFileSync(join(dir, name), text);
    written.push(join(dir, name));
  };
  writeResults(join(dir, 'results.json'), head);
  written.push(join(dir, 'results.json'));
  if (compare) put('compare.json', JSON.stringify(compare, null, 1) + '\n');
  put('report.md', compare ? compareMarkdown(compare, { review, head }) : benchMarkdown(head, review));
  put('junit.xml', compare ? compareJUnit(compare, head) : benchJUnit(head));
  put('report.html', await benchHtml(head, compare, review));
  return written;
}

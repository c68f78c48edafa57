/**
 * Does the spam look like spam to a real filter, and the rest not? Apache SpamAssassin (Debian's
 * package, installed by this test when missing) scores the mail of a generated dataset, read back
 * from its mbox files, with its shipped rules and local tests only (-L: no DNS, no network
 * blocklists; the domains are reserved and resolve nowhere anyway). The one line of configuration
 * is a fact of the world: which of its domains are free-mail providers.
 *
 * Thresholds are the issue's, fixed before any measurement: benign mail flagged at SpamAssassin's
 * default 5.0 below 2 %, spam at least 3 points above benign on average and flagged at least half
 * the time. The figures are printed on every run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../../datasets/format.js';
import { loadPreset } from '../../config.js';
import { generateDataset } from '../../pipeline/generate.js';
import { ensureDebianPackage, run } from '../../testing/debian.js';
import { MAIL_PROVIDERS } from '../../world/brands.js';

const SPAMASSASSIN = '/usr/bin/spamassassin';
/** SpamAssassin's own default threshold. */
const REQUIRED = 5.0;

interface Scored {
  label: string;
  type: string;
  score: number;
  tests: string[];
}

/** Each message of a dataset's mbox files with its truth label, in the order emails.jsonl has them. */
function messagesByLabel(dir: string): Map<string, Array<{ type: string; raw: string }>> {
  const labels = new Map<string, { label: string; type: string }>();
  for (const line of readFileSync(join(dir, FILES.labels), 'utf8').trim().split('\n')) {
    const l = JSON.parse(line) as { emailId: string; label: string; type: string };
    labels.set(l.emailId, l);
  }
  const byMailbox = new Map<string, string[]>();
  for (const line of readFileSync(join(dir, FILES.emails), 'utf8').trim().split('\n')) {
    const { id, mailbox } = JSON.parse(line) as { id: string; mailbox: string };
    const list = byMailbox.get(mailbox);
    if (list) list.push(id);
    else byMailbox.set(mailbox, [id]);
  }
  const out = new Map<string, Array<{ type: string; raw: string }>>();
  for (const [mailbox, ids] of [...byMailbox].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const mbox = readFileSync(join(dir, FILES.mboxDir, `${mailbox}.mbox`), 'utf8');
    // mboxrd: a message starts at a line "From <sender> <asctime>"; a body line that starts "From " is quoted as ">From ".
    const parts = mbox.split(/^(?=From \S+ \w{3} \w{3} )/m).filter((p) => p.startsWith('From '));
    expect(parts.length, mailbox).toBe(ids.length);
    ids.forEach((id, i) => {
      const l = labels.get(id)!;
      const list = out.get(l.label);
      if (list) list.push({ type: l.type, raw: parts[i]! });
      else out.set(l.label, [{ type: l.type, raw: parts[i]! }]);
    });
  }
  return out;
}

/** Score messages with SpamAssassin in one process (an mbox on stdin, the same mbox with X-Spam-Status on stdout). */
async function score(label: string, messages: ReadonlyArray<{ type: string; raw: string }>): Promise<Scored[]> {
  const freemail = MAIL_PROVIDERS.map((p) => p.domain).join(' ');
  const r = await run(SPAMASSASSIN, ['-L', '--mbox', `--cf=freemail_domains ${freemail}`], 600_000, { input: messages.map((m) => m.raw).join('') });
  if (r.code !== 0) throw new Error(`spamassassin exited ${r.code}: ${(r.error?.message ?? '') + r.stderr.slice(-2000)}`);
  const status = [...r.stdout.matchAll(/^X-Spam-Status: (?:Yes|No), score=(-?[\d.]+) required=[\d.]+\s+tests=((?:[^\n]|\n[ \t])*)/gm)];
  expect(status.length, `${label}: one X-Spam-Status per message`).toBe(messages.length);
  return status.map((m, i) => ({
    label,
    type: messages[i]!.type,
    score: Number(m[1]),
    // Rule names only, not the `autolearn=` and `version=` notes.
    tests: m[2]!.split(/[\s,]+/).filter((t) => t && !t.includes('=')),
  }));
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const flagged = (xs: readonly Scored[]): number => xs.filter((s) => s.score >= REQUIRED).length / xs.length;

let root: string;
const scored = new Map<string, Scored[]>();

beforeAll(async () => {
  await ensureDebianPackage(SPAMASSASSIN, 'spamassassin', 'The SpamAssassin test');
  root = mkdtempSync(join(tmpdir(), 'ato-bench-sa-'));
  const dir = join(root, 'tiny');
  await generateDataset({ config: loadPreset('tiny'), out: dir, formats: ['jsonl', 'mbox'] });
  const byLabel = messagesByLabel(dir);
  // Every spam and phishing mail; benign mail by a fixed stride (every third), so both cores share the work evenly.
  const benign = (byLabel.get('benign') ?? []).filter((_, i) => i % 3 === 0);
  const results = await Promise.all([score('spam', byLabel.get('spam') ?? []), score('phishing', byLabel.get('phishing') ?? []), score('benign', benign)]);
  for (const r of results) if (r.length) scored.set(r[0]!.label, r);
}, 900_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('SpamAssassin on the generated mail', () => {
  it('finds the spam and leaves the rest: benign flagged < 2 %, spam >= 3 points above benign, >= 50 % of spam flagged', () => {
    const spam = scored.get('spam')!;
    const benign = scored.get('benign')!;
    expect(spam.length).toBeGreaterThan(100);
    expect(benign.length).toBeGreaterThan(300);
    const top = (xs: readonly Scored[]): string => {
      const counts = new Map<string, number>();
      for (const s of xs) for (const t of s.tests) counts.set(t, (counts.get(t) ?? 0) + 1);
      return [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, 8)
        .map(([t, n]) => `${t} ${((100 * n) / xs.length).toFixed(0)}%`)
        .join(', ');
    };
    for (const [label, xs] of scored)
      console.log(
        `SpamAssassin ${label}: ${xs.length} mails, mean ${mean(xs.map((s) => s.score)).toFixed(2)}, flagged at ${REQUIRED} ${(100 * flagged(xs)).toFixed(1)} % (${top(xs)})`,
      );
    expect(flagged(benign)).toBeLessThan(0.02);
    expect(mean(spam.map((s) => s.score)) - mean(benign.map((s) => s.score))).toBeGreaterThanOrEqual(3);
    expect(flagged(spam)).toBeGreaterThanOrEqual(0.5);
  });

  it('no kind of benign mail is flagged more than now and then (a template that reads like spam would be)', () => {
    const byType = new Map<string, Scored[]>();
    for (const s of scored.get('benign')!) byType.set(s.type, [...(byType.get(s.type) ?? []), s]);
    const bad = [...byType]
      .filter(([, xs]) => xs.length >= 10 && flagged(xs) >= 0.1)
      .map(([t, xs]) => `${t}: ${(100 * flagged(xs)).toFixed(0)} % of ${xs.length}`);
    expect(bad).toEqual([]);
  });
});

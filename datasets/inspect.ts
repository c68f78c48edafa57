/**
 * `inspectDataset`: what is in a dataset — counts by category, label and day, and its
 * incidents — as plain tables (arquero does the grouping).
 */
import { join } from 'node:path';
import * as aq from 'arquero';
import { FILES } from './format.js';
import type { Manifest } from './format.js';
import { instant, readJsonl, readManifest } from './read.js';

export interface Inspection {
  manifest: Manifest;
  byCategory: Array<{ category: string; label: string; count: number }>;
  byLabel: Array<{ label: string; count: number; share: number }>;
  byDay: Array<{ day: string; emails: number; ato: number; lookalike: number; phishing: number; spam: number }>;
  incidents: Array<{ scenario: string; kind: string; count: number; emails: number }>;
  perMailbox: { min: number; p50: number; p90: number; max: number; mean: number };
}

export async function inspectDataset(dir: string): Promise<Inspection> {
  const manifest = readManifest(dir);
  const rows: { day: string; mailbox: string }[] = [];
  for await (const { value } of readJsonl<{ receivedAt: string; mailbox: string }>(join(dir, FILES.emails))) {
    rows.push({ day: new Date(instant(value.receivedAt) * 1000).toISOString().slice(0, 10), mailbox: value.mailbox });
  }
  const labels: { label: string; category: string }[] = [];
  for await (const { value } of readJsonl<{ label: string; category: string }>(join(dir, FILES.labels)))
    labels.push({ label: value.label, category: value.category });
  const incidents: { scenario: string; kind: string; emails: number }[] = [];
  for await (const { value } of readJsonl<{ scenario: string; kind: string; emailIds: string[] }>(join(dir, FILES.incidents))) {
    incidents.push({ scenario: value.scenario, kind: value.kind, emails: value.emailIds.length });
  }

  const t = aq.table({
    day: rows.map((r) => r.day),
    mailbox: rows.map((r) => r.mailbox),
    label: labels.map((l) => l.label),
    category: labels.map((l) => l.category),
  });
  const total = rows.length;
  const byCategory = t.groupby('category', 'label').count().orderby(aq.desc('count'), 'category', 'label').objects() as Inspection['byCategory'];
  const byLabel = (t.groupby('label').count().orderby(aq.desc('count'), 'label').objects() as Array<{ label: string; count: number }>).map((r) => ({
    ...r,
    share: total ? r.count / total : 0,
  }));
  const byDay = t.groupby('day').count({ as: 'emails' }).objects() as Array<{ day: string; emails: number }>;
  // Per-day counts of each label, joined onto the day totals.
  const dayLabel = new Map<string, Record<string, number>>();
  for (let i = 0; i < total; i++) {
    const k = rows[i]!.day;
    const rec = dayLabel.get(k) ?? {};
    rec[labels[i]!.label] = (rec[labels[i]!.label] ?? 0) + 1;
    dayLabel.set(k, rec);
  }
  const days = byDay
    .map((d) => {
      const l = dayLabel.get(d.day) ?? {};
      return { day: d.day, emails: d.emails, ato: l.ato ?? 0, lookalike: l.lookalike ?? 0, phishing: l.phishing ?? 0, spam: l.spam ?? 0 };
    })
    .sort((a, b) => (a.day < b.day ? -1 : 1));
  const inc = incidents.length
    ? (aq
        .from(incidents)
        .groupby('scenario', 'kind')
        .rollup({ count: aq.op.count(), emails: aq.op.sum('emails') })
        .orderby('kind', 'scenario')
        .objects() as Inspection['incidents'])
    : [];
  const counts = (t.groupby('mailbox').count().array('count') as number[]).slice().sort((a, b) => a - b);
  const q = (p: number): number => counts[Math.min(counts.length - 1, Math.floor(p * counts.length))] ?? 0;
  return {
    manifest,
    byCategory,
    byLabel,
    byDay: days,
    incidents: inc,
    perMailbox: { min: counts[0] ?? 0, p50: q(0.5), p90: q(0.9), max: counts[counts.length - 1] ?? 0, mean: counts.length ? total / counts.length : 0 },
  };
}

function pad(s: string | number, n: number, right = false): string {
  const str = String(s);
  return right ? str.padStart(n) : str.padEnd(n);
}

/** A plain-text report of an inspection. */
export function formatInspection(x: Inspection, opts: { days?: 'all' | 'weekly' } = {}): string {
  const m = x.manifest;
  const out: string[] = [];
  out.push(`dataset format ${m.formatVersion}, ato-bench ${m.generator.version}, seed ${m.seed}`);
  out.push(`window ${m.window.start} .. ${m.window.end} (${m.window.days} days), ${m.counts.mailboxes} mailboxes, ${m.counts.emails} emails`);
  out.push(
    `emails per mailbox: min ${x.perMailbox.min}, median ${x.perMailbox.p50}, p90 ${x.perMailbox.p90}, max ${x.perMailbox.max}, mean ${x.perMailbox.mean.toFixed(1)}`,
  );
  out.push('', 'by label');
  for (const r of x.byLabel) out.push(`  ${pad(r.label, 10)} ${pad(r.count, 8, true)}  ${(100 * r.share).toFixed(1).padStart(5)} %`);
  out.push('', 'by category');
  for (const r of x.byCategory) out.push(`  ${pad(r.category, 11)} ${pad(r.label, 10)} ${pad(r.count, 8, true)}`);
  out.push('', 'incidents');
  for (const r of x.incidents) out.push(`  ${pad(r.kind, 10)} ${pad(r.scenario, 36)} ${pad(r.count, 5, true)} incidents ${pad(r.emails, 6, true)} emails`);
  const weekly = opts.days !== 'all';
  out.push('', weekly ? 'by week (UTC, starting on the day shown)' : 'by day (UTC)');
  out.push(`  ${pad('day', 10)} ${pad('emails', 7, true)} ${pad('ato', 5, true)} ${pad('lookal.', 7, true)} ${pad('phish', 6, true)} ${pad('spam', 6, true)}`);
  const groups: Array<Inspection['byDay']> = [];
  x.byDay.forEach((d, i) => {
    if (!weekly || i % 7 === 0) groups.push([]);
    groups[groups.length - 1]!.push(d);
  });
  for (const g of groups) {
    const s = (k: 'emails' | 'ato' | 'lookalike' | 'phishing' | 'spam'): number => g.reduce((a, d) => a + d[k], 0);
    out.push(
      `  ${pad(g[0]!.day, 10)} ${pad(s('emails'), 7, true)} ${pad(s('ato'), 5, true)} ${pad(s('lookalike'), 7, true)} ${pad(s('phishing'), 6, true)} ${pad(s('spam'), 6, true)}`,
    );
  }
  return out.join('\n');
}

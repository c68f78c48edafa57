import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../datasets/format.js';
import { streamIndex } from './benchmark.js';
import { loadProfile, randomBaselineAlerts, randomBaselinePicks, rateMatchedRandom } from './score.js';
import type { StreamSummary } from './stream-summary.js';
import type { ScoringIncident, StampedAlert, StreamIndex } from './types.js';

const MAILBOXES = ['m0', 'm1', 'm2', 'm3', 'm4'];
const START = 1_760_000_000;
const manifest = { counts: { mailboxDays: 50 }, window: { start: '2025-10-09T08:53:20Z', end: '2025-10-19T08:53:20Z' }, config: {} } as unknown as Manifest;

/** The harness's summary of a stream held in memory (no file: streamIndex is given the heads). */
function summaryOf(emails: ReadonlyArray<{ mailbox: string }>): StreamSummary {
  const s: StreamSummary = { path: '', file: { size: 0, mtimeMs: 0, ino: 0, dev: 0 }, count: 0, mailboxNames: [], firstSeq: [], emails: [] };
  emails.forEach((e, seq) => {
    let m = s.mailboxNames.indexOf(e.mailbox);
    if (m < 0) {
      m = s.mailboxNames.push(e.mailbox) - 1;
      s.firstSeq.push(seq);
      s.emails.push(0);
    }
    s.emails[m]!++;
    s.count++;
  });
  return s;
}

const headsOf = (emails: ReadonlyArray<{ mailbox: string; at: number }>) => () =>
  emails.map((e) => ({ mailbox: e.mailbox, receivedAt: new Date(e.at * 1000).toISOString() }));

/** Every mailbox's arrivals in full: the scorer's reference view of the same stream. */
function fullIndex(emails: Array<{ mailbox: string; at: number }>, labels: ReadonlyMap<string, string>): StreamIndex {
  const arrivals = new Map<string, number[]>(MAILBOXES.map((m) => [m, []]));
  for (const e of emails) arrivals.get(e.mailbox)!.push(e.at);
  return { mailboxes: MAILBOXES, mailboxDays: 50, arrivals, labels };
}

describe('the scoring stream keeps only what the incidents and the random baseline need', () => {
  it('gives the random baseline and its score exactly as every arrival in memory would', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 800_000 })), { minLength: 1, maxLength: 120 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 40 }),
        fc.subarray([0, 2, 4]),
        fc.integer({ min: 0, max: 1000 }),
        (raw, alertAt, incidentMailboxes, seed) => {
          const emails = raw
            .map(([m, dt], i) => ({ id: i.toString(16).padStart(16, '0'), mailbox: MAILBOXES[m]!, at: START + dt }))
            .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
          const stream = summaryOf(emails);
          const alerts: StampedAlert[] = alertAt.map((k) => {
            const e = emails[k % emails.length]!;
            return { mailbox: e.mailbox, score: 1, reason: 'x', evidence: [], emailId: e.id, at: e.at };
          });
          const incidents: ScoringIncident[] = incidentMailboxes.map((m) => ({
            id: `inc-${m}`,
            mailbox: MAILBOXES[m]!,
            scenario: 's',
            kind: 'ato',
            onset: START + 100_000,
            end: START + 300_000,
            platformNoticeAt: null,
          }));
          const labels = new Map<string, string>();
          const full = fullIndex(emails, labels);
          const seeds = [seed, seed + 1];
          const count = (mb: string): number => full.arrivals.get(mb)!.length;
          const picks = seeds.flatMap((s) => randomBaselinePicks(alerts, count, s));
          const sparse = streamIndex({ manifest, stream }, { labels, mailboxes: MAILBOXES, incidents }, picks, headsOf(emails));
          // Arrivals are kept for the mailboxes with an incident, and only for them.
          expect([...sparse.arrivals.keys()].sort()).toEqual(incidentMailboxes.map((m) => MAILBOXES[m]!).filter((m) => count(m) > 0));
          for (const s of seeds) expect(randomBaselineAlerts(alerts, sparse, s)).toEqual(randomBaselineAlerts(alerts, full, s));
          const opts = {
            graceHours: 72,
            profile: loadProfile('standard'),
            bootstrap: { samples: 0, seed: 0 },
            budgets: [],
            horizons: [],
            target: 'ato' as const,
          };
          if (alerts.length) expect(rateMatchedRandom(alerts, incidents, sparse, opts, seeds)).toEqual(rateMatchedRandom(alerts, incidents, full, opts, seeds));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses to answer for an email nobody asked it to look up', () => {
    const emails = [{ mailbox: 'm0', at: START }];
    const sparse = streamIndex({ manifest, stream: summaryOf(emails) }, { labels: new Map(), mailboxes: MAILBOXES, incidents: [] }, [], headsOf(emails));
    expect(sparse.emails!.count('m0')).toBe(1);
    expect(sparse.emails!.count('m1')).toBe(0);
    expect(() => sparse.emails!.at('m0', 0)).toThrow(/was not looked up/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Detector } from '../types.js';

/**
 * Reads the truth and alerts on the first mail of every takeover incident: the upper bound of
 * every metric, marked as such on the leaderboard. The only detector the runner lets read truth/.
 */
export const oracle: Detector = {
  id: 'oracle',
  version: '1.0.0',
  description: 'Reads the truth and alerts at the onset of every takeover: the upper bound, not a contender.',
  kind: 'oracle',
  readsTruth: true,
  create({ truthDir }) {
    if (!truthDir) throw new Error('oracle: the runner did not grant access to the truth');
    const first = new Set<string>();
    for (const line of readFileSync(join(truthDir, 'incidents.jsonl'), 'utf8').split('\n')) {
      if (!line) continue;
      const inc = JSON.parse(line) as { kind: string; emailIds: string[] };
      if (inc.kind === 'ato' && inc.emailIds[0]) first.add(inc.emailIds[0]);
    }
    return {
      onEmail(email) {
        if (first.has(email.id)) return { mailbox: email.mailbox, score: 1, reason: 'truth: first mail of a takeover', evidence: [email.id] };
      },
    };
  },
};

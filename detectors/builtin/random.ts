import { hash128 } from '../../generator/core/rng.js';
import type { Detector } from '../types.js';

/**
 * Alerts on each email with a fixed probability, decided by a hash of (seed, email id) so the
 * run is reproducible. The leaderboard also shows, per detector, a random baseline rate-matched
 * to that detector (bench/score.ts rateMatchedRandom); this row is the stand-alone version.
 * Params: rate (default 0.01 = one alert per 100 emails).
 */
export const randomDetector: Detector = {
  id: 'random',
  version: '1.0.0',
  description: 'Alerts on a seeded random 1 % of emails (rate=...): a score to beat.',
  kind: 'baseline',
  params: { rate: 'share of emails to alert on, in [0, 1] (default 0.01)' },
  create({ seed, params }) {
    const rate = params.rate === undefined ? 0.01 : Number(params.rate);
    if (!(rate >= 0 && rate <= 1)) throw new Error(`random: rate must be in [0, 1] (got ${params.rate})`);
    const threshold = rate * 2 ** 32;
    return {
      onEmail(email) {
        const h = hash128(`${seed}/${email.id}`);
        if (h[0] < threshold) return { mailbox: email.mailbox, score: h[1] / 2 ** 32, reason: 'random', evidence: [email.id] };
      },
    };
  },
};

import { ORDER_SUBJECT, arrival } from '../lib/mail.js';
import type { Detector } from '../types.js';

const DAY_MS = 86_400_000;

/**
 * The naive rule: at least N order confirmations within 24 h (N = 10, the founding incident's
 * burst; `n=...` to change). It reads subjects only, so genuine shopping sprees and phishing
 * that imitates order confirmations fire it too: the look-alikes exist to show that.
 */
export const naiveBurst: Detector = {
  id: 'naive-burst',
  version: '1.1.0',
  description: 'Alerts when a mailbox receives >= 10 order confirmations within 24 h (subject match).',
  kind: 'baseline',
  params: { n: 'order confirmations within 24 h that raise an alert, a whole number >= 1 (default 10)' },
  create({ params }) {
    const n = params.n === undefined ? 10 : Number(params.n);
    if (!Number.isInteger(n) || n < 1) throw new Error(`naive-burst: n must be a whole number >= 1 (got ${params.n})`);
    const recent = new Map<string, number[]>();
    const quietUntil = new Map<string, number>();
    return {
      onEmail(email) {
        if (!ORDER_SUBJECT.test(email.subject)) return;
        const t = arrival(email);
        const times = (recent.get(email.mailbox) ?? []).filter((x) => t - x < DAY_MS);
        times.push(t);
        recent.set(email.mailbox, times);
        if (times.length < n || t < (quietUntil.get(email.mailbox) ?? 0)) return;
        quietUntil.set(email.mailbox, t + DAY_MS);
        return {
          mailbox: email.mailbox,
          score: Math.min(1, times.length / (2 * n)),
          reason: `${times.length} order confirmations within 24 h`,
          evidence: [email.id],
        };
      },
    };
  },
};

import type { Detector } from '../types.js';

/** Never alerts: the floor of every score, and the replay-speed floor of the runner. */
export const nullDetector: Detector = {
  id: 'null',
  version: '1.0.0',
  description: 'Never alerts. The floor of every score; its speed is the replay floor.',
  kind: 'baseline',
  create: () => ({ onEmail: () => undefined }),
};

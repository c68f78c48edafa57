/**
 * The detector contract, for detectors written in JavaScript or TypeScript: the types, and
 * `defineDetector`, which checks a detector's shape at compile time and returns it unchanged.
 * Light on purpose (no generator, no harness), so a detector imports only this:
 *
 * @example
 * import { defineDetector } from 'ato-bench/detector';
 * export default defineDetector({
 *   id: 'many-orders',
 *   version: '1.0.0',
 *   description: 'Alerts at the 5th order confirmation of a mailbox within 24 h.',
 *   create: () => ({ onEmail: (email) => undefined }),
 * });
 */
import type { Detector } from '../detectors/types.js';

export type { Alert, Detector, DetectorContext, DetectorInstance, DetectorKind, DetectorOutput, EmailRecord } from '../detectors/types.js';

/** A detector, typed: returns it unchanged. */
export function defineDetector(detector: Detector): Detector {
  return detector;
}

import { hash } from 'node:crypto';
import type { ExperimentBucket } from './distribution-strategy.js';

/**
 * The operator's bucket of an experiment, stable across sessions, devices and servers: the first 32 bits of
 * SHA-256(`${experimentId}:${operatorKey}`) (UTF-8, big-endian) divided by 2³² give a point in [0, 1), and the buckets
 * take consecutive shares of [0, 1) in their listed order, each `weight / sum of weights` wide. Salting with the
 * experiment id keeps an operator's buckets independent from one experiment to the next. A bank re-implementing the
 * protocol gets the same buckets from the same three lines.
 *
 * @example
 * experimentBucket('exp-loan-copy', 'op-7f3a9c21e4b8', [{ id: 'a', weight: 50, creativeIds: [] }, { id: 'b', weight: 50, creativeIds: [] }]);
 */
export function experimentBucket(
  experimentId: string,
  operatorKey: string,
  buckets: readonly ExperimentBucket[],
): ExperimentBucket {
  // One-shot hash() hashes the string as UTF-8, like createHash().update(text, 'utf8'), with less overhead.
  const digest = hash('sha256', `${experimentId}:${operatorKey}`, 'buffer');
  const point = digest.readUInt32BE(0) / 2 ** 32;
  const total = buckets.reduce((sum, bucket) => sum + bucket.weight, 0);
  let upTo = 0;
  for (const bucket of buckets) {
    upTo += bucket.weight / total;
    if (point < upTo) return bucket;
  }
  // Rounding can leave the last sliver of [0, 1) past the final sum.
  return buckets[buckets.length - 1] as ExperimentBucket;
}

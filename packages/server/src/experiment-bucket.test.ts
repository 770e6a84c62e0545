import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { ExperimentBucket } from './distribution-strategy.js';
import { experimentBucket } from './experiment-bucket.js';

const buckets: ExperimentBucket[] = [
  { id: 'control', weight: 50, creativeIds: [] },
  { id: 'b', weight: 30, creativeIds: [] },
  { id: 'c', weight: 20, creativeIds: [] },
];
const KEYS = 100_000;
const keyOf = (i: number) => `op-${createHash('sha1').update(String(i)).digest('hex').slice(0, 16)}`;

test('splits 100,000 operator keys within ±2 % of the configured 50/30/20', () => {
  const counts = new Map<string, number>();
  for (let i = 0; i < KEYS; i++) {
    const { id } = experimentBucket('exp-loan-copy', keyOf(i), buckets);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  for (const { id, weight } of buckets) {
    const share = (counts.get(id) ?? 0) / KEYS;
    const expected = weight / 100;
    assert.ok(Math.abs(share - expected) <= expected * 0.02, `${id}: ${share} vs ${expected}`);
  }
});

test('puts a key in the same bucket every time, and independently per experiment', () => {
  let moved = 0;
  for (let i = 0; i < 1000; i++) {
    const key = keyOf(i);
    const first = experimentBucket('exp-a', key, buckets).id;
    assert.equal(experimentBucket('exp-a', key, buckets).id, first);
    if (experimentBucket('exp-b', key, buckets).id !== first) moved += 1;
  }
  // Independent experiments agree by chance only: 0.5² + 0.3² + 0.2² = 38 % of the time.
  assert.ok(moved > 500 && moved < 740, `${moved} of 1000 changed bucket between experiments`);
});

test('follows the documented hash, so another implementation can reproduce it', () => {
  const key = 'op-7f3a9c21e4b8';
  const point = createHash('sha256').update(`exp-pension-headline:${key}`).digest().readUInt32BE(0) / 2 ** 32;
  const expected = point < 0.5 ? 'control' : 'monthly';
  const halves = [
    { id: 'control', weight: 1, creativeIds: [] },
    { id: 'monthly', weight: 1, creativeIds: [] },
  ];
  assert.equal(experimentBucket('exp-pension-headline', key, halves).id, expected);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OperatorVerdictCache } from './operator-verdicts.js';

test('keeps the operators used last, up to its capacity', () => {
  const cache = new OperatorVerdictCache(2);
  cache.get('a', 1, 1).targeting[0] = 'segment x';
  cache.get('b', 1, 1).targeting[0] = false;
  assert.equal(cache.get('a', 1, 1).targeting[0], 'segment x', 'a is kept, and now used last');
  cache.get('c', 1, 1);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('b', 1, 1).targeting[0], undefined, 'b, used least recently, made room for c');
  assert.equal(cache.get('b', 1, 1).targeting.length, 0);
});

test('forgets every operator when the data or the profiles change', () => {
  const cache = new OperatorVerdictCache(10);
  cache.get('a', 1, 1).buckets[3] = { id: 'b', weight: 1, creativeIds: [] };
  assert.ok(cache.get('a', 1, 1).buckets[3]);
  assert.equal(cache.get('a', 2, 1).buckets[3], undefined, 'catalogue or audience written');
  cache.get('a', 2, 1).targeting[0] = false;
  assert.equal(cache.get('a', 2, 2).targeting[0], undefined, 'a profile written');
  assert.equal(cache.size, 1);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BeaconEvent } from '@opslot/core';
import { createEventCommitter } from './event-committer.js';
import type { InsertEventsResult, Store } from './store.js';
import { beaconEvent } from './test-support/start-test-server.js';

/** A store that records transactions and fails any that holds an event with id `poison`. */
function recordingStore() {
  const transactions: string[][] = [];
  const seen = new Set<string>();
  const store = (events: readonly BeaconEvent[]): InsertEventsResult => {
    if (events.some((e) => e.id === 'poison')) throw new Error('disk full');
    const result: InsertEventsResult = { accepted: [], duplicates: [] };
    for (const { id } of events) {
      (seen.has(id) ? result.duplicates : result.accepted).push(id);
      seen.add(id);
    }
    return result;
  };
  const fake = {
    insertEvents(events: readonly BeaconEvent[]) {
      transactions.push(events.map((e) => e.id));
      return store(events);
    },
    insertEventBatches(batches: readonly { events: readonly BeaconEvent[] }[]) {
      transactions.push(batches.flatMap((b) => b.events.map((e) => e.id)));
      if (batches.some((b) => b.events.some((e) => e.id === 'poison'))) throw new Error('disk full');
      return batches.map((b) => store(b.events));
    },
  } as unknown as Store;
  return { fake, transactions };
}

test('batches that arrive together share one transaction, each answered with its own result', async () => {
  const { fake, transactions } = recordingStore();
  const commit = createEventCommitter(fake);
  const [a, b] = await Promise.all([
    commit([beaconEvent({ id: 'e1' }), beaconEvent({ id: 'e2' })], 1),
    commit([beaconEvent({ id: 'e2' }), beaconEvent({ id: 'e3' })], 2),
  ]);
  assert.deepEqual(transactions, [['e1', 'e2', 'e2', 'e3']]);
  assert.deepEqual(a, { accepted: ['e1', 'e2'], duplicates: [] });
  assert.deepEqual(b, { accepted: ['e3'], duplicates: ['e2'] });
  await commit([beaconEvent({ id: 'e4' })], 3);
  assert.equal(transactions.length, 2, 'a later batch gets a transaction of its own');
});

test('when the shared transaction fails, only the batch at fault fails', async () => {
  const { fake } = recordingStore();
  const commit = createEventCommitter(fake);
  const [good, bad] = await Promise.allSettled([
    commit([beaconEvent({ id: 'g1' })], 1),
    commit([beaconEvent({ id: 'poison' })], 1),
  ]);
  assert.deepEqual(good, { status: 'fulfilled', value: { accepted: ['g1'], duplicates: [] } });
  assert.equal(bad.status, 'rejected');
});

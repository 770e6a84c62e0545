import type { BeaconEvent } from '@opslot/core';
import type { InsertEventsResult, Store } from './store.js';

interface PendingBatch {
  events: readonly BeaconEvent[];
  receivedAt: number;
  resolve: (result: InsertEventsResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for event batches: batches whose bodies arrive in the same turn of the event loop are stored in one
 * transaction, so one disk sync serves them all, and each request is answered only once its events are durable.
 * Storing stays exactly as `insertEvents` one batch at a time; when the shared transaction fails, each batch is
 * tried alone, so that only the batch at fault fails.
 *
 * @example
 * const commit = createEventCommitter(store);
 * const { accepted, duplicates } = await commit(events, Date.now());
 */
export function createEventCommitter(
  store: Store,
): (events: readonly BeaconEvent[], receivedAt: number) => Promise<InsertEventsResult> {
  let pending: PendingBatch[] = [];

  const flush = () => {
    const group = pending;
    pending = [];
    let results: InsertEventsResult[];
    try {
      results = store.insertEventBatches(group);
    } catch {
      for (const batch of group) {
        try {
          batch.resolve(store.insertEvents(batch.events, batch.receivedAt));
        } catch (error) {
          batch.reject(error);
        }
      }
      return;
    }
    for (const [index, batch] of group.entries()) batch.resolve(results[index] as InsertEventsResult);
  };

  return (events, receivedAt) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ events, receivedAt, resolve, reject });
    });
}

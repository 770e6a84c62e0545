import { createStore, delMany, promisifyRequest, setMany, type UseStore } from 'idb-keyval';
import type { BeaconEvent } from './protocol.js';

/**
 * Where the outbox keeps what it has not delivered, so that it survives the page. Every event lives under a
 * namespace (an operator and channel) and one namespace never sees another's events. Any method may reject or never
 * settle; the outbox then goes on in memory.
 */
export interface OutboxStore {
  /** Every event persisted under `namespace`, in any order. */
  load(namespace: string): Promise<BeaconEvent[]>;
  /** Persists events (replacing any with the same id), all in one transaction. */
  put(namespace: string, events: BeaconEvent[]): Promise<void>;
  /** Forgets events by id, all in one transaction; unknown ids are ignored. */
  delete(namespace: string, ids: string[]): Promise<void>;
}

/** Versioned: an SDK that changes what it stores uses a new database rather than misreading the old one. */
const DATABASE = 'opslot-outbox-v1';
const OBJECT_STORE = 'events';

/**
 * The outbox store in IndexedDB, through idb-keyval: database `opslot-outbox-v1`, object store `events`, one key per
 * event, `<namespace>:<event id>`, whose value is the event. The namespace is percent-encoded in the key, so that it
 * holds no `:` and the key range of one namespace never reaches into another's (`op:a` against `op`).
 * Nothing is opened before the first call; a page without IndexedDB gets rejections, never an exception.
 *
 * @example
 * const store = createOutboxStore();
 * await store.put('op-1234abcd:corporate-web', [event]);
 */
export function createOutboxStore(): OutboxStore {
  let use: UseStore | undefined;
  // idb-keyval opens the database on first use, and opens it again after the browser closed it.
  const database = () => (use ??= createStore(DATABASE, OBJECT_STORE));
  const prefix = (namespace: string) => `${encodeURIComponent(namespace)}:`;
  return {
    // `async`, so that a missing `indexedDB` or a throwing `open` rejects instead of throwing.
    load: async (namespace) =>
      database()('readonly', (store) =>
        promisifyRequest(store.getAll(IDBKeyRange.bound(prefix(namespace), `${prefix(namespace)}\uffff`))),
      ),
    put: async (namespace, events) =>
      setMany(
        events.map((event) => [prefix(namespace) + event.id, event]),
        database(),
      ),
    delete: async (namespace, ids) =>
      delMany(
        ids.map((id) => prefix(namespace) + id),
        database(),
      ),
  };
}

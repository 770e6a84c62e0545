import { createStore, delMany, get, keys, type UseStore, update } from 'idb-keyval';
import type { LedgerState } from './ledger-state.js';

/**
 * Where ledgers live, one per namespace (`<operator>:<channel>`). `change` reads, changes and writes one ledger in
 * a single transaction, so two tabs changing the same ledger take turns and neither loses the other's write.
 * Any method may reject or never settle; the ledger then goes on in memory.
 */
export interface LedgerStore {
  read(namespace: string): Promise<LedgerState | undefined>;
  /** Applies `change` to the stored ledger (undefined when there is none) and stores what it returns. */
  change(namespace: string, change: (state: LedgerState | undefined) => LedgerState): Promise<LedgerState>;
  /** Forgets every ledger whose namespace starts with `prefix`. */
  forget(prefix: string): Promise<void>;
}

/** Versioned: an SDK that changes what it stores uses a new database rather than misreading the old one. */
const DATABASE = 'opslot-ledger-v1';

/**
 * Ledgers in IndexedDB through idb-keyval: database `opslot-ledger-v1`, object store `ledgers`, one key per
 * namespace. Nothing is opened before the first call; a page without IndexedDB gets rejections, never an exception.
 */
export function indexedDbLedgerStore(): LedgerStore {
  let use: UseStore | undefined;
  const database = () => (use ??= createStore(DATABASE, 'ledgers'));
  return {
    read: async (namespace) => get<LedgerState>(namespace, database()),
    async change(namespace, change) {
      let changed: LedgerState | undefined;
      // idb-keyval's update reads and writes in one readwrite transaction, and resolves once it has committed.
      await update<LedgerState>(namespace, (state) => (changed = change(state)), database());
      return changed as LedgerState;
    },
    async forget(prefix) {
      const stored = await keys<string>(database());
      await delMany(
        stored.filter((key) => String(key).startsWith(prefix)),
        database(),
      );
    },
  };
}

/** Ledgers in this page's memory: the fallback when IndexedDB fails. */
export function memoryLedgerStore(initial: Map<string, LedgerState> = new Map()): LedgerStore {
  const ledgers = initial;
  return {
    read: async (namespace) => ledgers.get(namespace),
    async change(namespace, change) {
      const state = change(ledgers.get(namespace));
      ledgers.set(namespace, state);
      return state;
    },
    async forget(prefix) {
      for (const namespace of [...ledgers.keys()]) if (namespace.startsWith(prefix)) ledgers.delete(namespace);
    },
  };
}

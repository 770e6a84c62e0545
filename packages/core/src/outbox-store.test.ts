import { expect } from '@open-wc/testing';
import { createOutboxStore } from './outbox-store.js';
import { event, events, ids } from './test-support/outbox-fakes.js';

const namespace = () => `test-${crypto.randomUUID()}:corporate-web`;

/** The keys of the store as IndexedDB holds them, read without idb-keyval. */
async function rawKeys(): Promise<string[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('opslot-outbox-v1');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    const request = db.transaction('events', 'readonly').objectStore('events').getAllKeys();
    return await new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result as string[]);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

describe('createOutboxStore', () => {
  it('puts, loads and deletes events of a namespace', async () => {
    const store = createOutboxStore();
    const ns = namespace();
    const batch = events(3);
    await store.put(ns, batch);
    expect(ids(await store.load(ns)).sort()).to.deep.equal(ids(batch).sort());
    expect(await store.load(ns)).to.deep.include(batch[0]);
    await store.delete(ns, [batch[0]?.id ?? '', 'never-stored']);
    expect(ids(await store.load(ns)).sort()).to.deep.equal(ids(batch.slice(1)).sort());
  });

  it('keeps what a second store on the same database wrote, as after a reload', async () => {
    const ns = namespace();
    const batch = events(2);
    await createOutboxStore().put(ns, batch);
    expect(ids(await createOutboxStore().load(ns)).sort()).to.deep.equal(ids(batch).sort());
  });

  it('keys events <namespace>:<id> in opslot-outbox-v1 / events, the namespace percent-encoded', async () => {
    const ns = namespace();
    const e = event();
    await createOutboxStore().put(ns, [e]);
    expect(await rawKeys()).to.include(`${encodeURIComponent(ns)}:${e.id}`);
  });

  it("never loads another namespace's events, even when one namespace starts with another", async () => {
    const store = createOutboxStore();
    const operator = `op-${crypto.randomUUID()}`;
    const short = events(1);
    const longer = events(1);
    const other = events(1);
    await store.put(operator, short);
    await store.put(`${operator}:corporate-web`, longer);
    await store.put(`${operator}x`, other);
    expect(ids(await store.load(operator))).to.deep.equal(ids(short));
    expect(ids(await store.load(`${operator}:corporate-web`))).to.deep.equal(ids(longer));
  });

  it('rejects, never throws, when the page has no IndexedDB', async () => {
    const own = Object.getOwnPropertyDescriptor(window, 'indexedDB');
    Object.defineProperty(window, 'indexedDB', { configurable: true, value: undefined });
    try {
      const store = createOutboxStore();
      const results = await Promise.allSettled([
        store.load(namespace()),
        store.put(namespace(), events(1)),
        store.delete(namespace(), ['x']),
      ]);
      expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
    } finally {
      if (own) Object.defineProperty(window, 'indexedDB', own);
      else delete (window as { indexedDB?: IDBFactory }).indexedDB;
    }
    expect(window.indexedDB).to.be.an.instanceOf(IDBFactory);
  });
});

// The outbox with a store: what a page could not send survives it. These tests use the browser's real IndexedDB
// (through createOutboxStore); a fake store appears only to make the store fail in ways a browser rarely does on cue.
import { expect } from '@open-wc/testing';
import { createEventId } from './event-id.js';
import type { OutboxDiagnostic, OutboxOptions } from './outbox.js';
import { createOutboxStore, type OutboxStore } from './outbox-store.js';
import type { BeaconEvent, EventBatch } from './protocol.js';
import {
  answerLost,
  event,
  events,
  type FakeClock,
  type FakeCollector,
  fakeClock,
  fakeCollector,
  freshNamespace,
  ids,
  KIB,
  networkError,
  recordingStore,
  settle,
  status,
  testOutbox,
  utf8Bytes,
} from './test-support/outbox-fakes.js';
import { seededRandom } from './test-support/seeded-random.js';

type Recorded = ReturnType<typeof recordingStore>;

interface World {
  store: Recorded;
  clock: FakeClock;
  collector: FakeCollector;
  namespace: string;
}

/** One browser profile: a real IndexedDB store, a clock, a collector, and one operator's namespace. */
function world(): World {
  const store = recordingStore(createOutboxStore());
  const clock = fakeClock(1_700_000_000_000, store);
  return { store, clock, collector: fakeCollector(clock), namespace: freshNamespace() };
}

/** One page view of that profile: an outbox, its window and what it reports. */
function page({ store, clock, collector, namespace }: World, options: Partial<OutboxOptions> = {}) {
  const win = new EventTarget();
  return { ...testOutbox(clock, collector, { store, namespace, win, ...options }), win };
}

/** What the real IndexedDB holds for a namespace, read independently of any outbox. */
async function persisted(namespace: string): Promise<string[]> {
  return ids(await createOutboxStore().load(namespace)).sort();
}

/** Moves the clock in steps until `done`, failing after `limitMs` of fake time. */
async function eventually(clock: FakeClock, done: () => boolean, stepMs = 1000, limitMs = 3_600_000) {
  for (let spent = 0; !done(); spent += stepMs) {
    if (spent > limitMs) throw new Error('eventually: condition not met');
    await clock.advance(stepMs);
  }
}

/**
 * Ends a page view as the browser does: its outbox stops, and the locks it held are released before the next page
 * view of the profile starts.
 */
async function close(w: World, outbox: { dispose(): void }) {
  outbox.dispose();
  await w.store.idle();
  await started(w);
}

/** Waits until the resend a page starts with is over: it holds the namespace's lock from its first task. */
async function started(w: World) {
  await navigator.locks.request(`opslot-outbox:${w.namespace}`, async () => {});
  await w.store.idle();
}

/** Holds the Web Lock another tab would hold while it resends the namespace's queue; call the result to release it. */
async function holdLock(namespace: string): Promise<() => void> {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    void navigator.locks.request(
      `opslot-outbox:${namespace}`,
      () =>
        new Promise<void>((done) => {
          release = done;
          resolve();
        }),
    );
  });
  await held;
  return release;
}

/** Rejections nobody handled, collected while a test runs. */
function watchUnhandled() {
  const reasons: unknown[] = [];
  const listener = (e: PromiseRejectionEvent) => {
    reasons.push(e.reason);
    e.preventDefault();
  };
  window.addEventListener('unhandledrejection', listener);
  return { reasons, stop: () => window.removeEventListener('unhandledrejection', listener) };
}

const storageDiagnostics = (diagnostics: OutboxDiagnostic[]) =>
  diagnostics.filter((d) => d.code === 'outbox-storage-unavailable');
const overflowCount = (diagnostics: OutboxDiagnostic[]) =>
  diagnostics.reduce((sum, d) => sum + (d.code === 'outbox-overflow' ? d.dropped : 0), 0);

describe('createOutbox with a store', () => {
  it('persists what it could not send, and the next page view sends it', async () => {
    const w = world();
    w.collector.answerAll(networkError);
    const first = page(w);
    const batch = events(5);
    for (const e of batch) first.outbox.add(e);
    await w.clock.advance(10_000);
    expect(await persisted(w.namespace)).to.deep.equal(ids(batch).sort());
    await close(w, first.outbox);

    w.collector.answerAll(undefined);
    const next = page(w);
    await eventually(w.clock, () => w.collector.stored.size === 5);
    expect(next.outbox.size).to.equal(0);
    await w.store.idle();
    expect(await persisted(w.namespace)).to.deep.equal([]);
  });

  it("writes a tick's events in one put and deletes in batches, never one transaction per event", async () => {
    const w = world();
    const { outbox } = page(w);
    for (const e of events(50)) outbox.add(e);
    await eventually(w.clock, () => w.collector.stored.size === 50);
    await w.store.idle();
    const puts = w.store.calls.filter((c) => c.method === 'put');
    const deletes = w.store.calls.filter((c) => c.method === 'delete');
    expect(puts.map((c) => c.count)).to.deep.equal([50]);
    expect(deletes.reduce((sum, c) => sum + c.count, 0)).to.equal(50);
    expect(deletes.length).to.be.at.most(w.collector.requests.length);
    expect(await persisted(w.namespace)).to.deep.equal([]);
  });

  it("never sends one operator's persisted events from another operator's page", async () => {
    const w = world();
    w.collector.answerAll(networkError);
    const operatorA = page(w);
    const batch = events(3);
    for (const e of batch) operatorA.outbox.add(e);
    await w.clock.advance(5000);
    await close(w, operatorA.outbox);

    w.collector.answerAll(undefined);
    const operatorB = page({ ...w, namespace: freshNamespace() });
    const own = event();
    operatorB.outbox.add(own);
    await w.clock.advance(60_000);
    expect([...w.collector.stored.keys()]).to.deep.equal([own.id]);
    expect(await persisted(w.namespace)).to.deep.equal(ids(batch).sort());

    page(w);
    await eventually(w.clock, () => w.collector.stored.size === 4);
  });

  it('deletes what the collector refused with a 4xx, and what overflow dropped', async () => {
    const w = world();
    w.collector.answerNext(status(400));
    const { outbox, diagnostics } = page(w, { maxQueuedEvents: 10 });
    for (const e of events(3)) outbox.add(e);
    await outbox.flush();
    await w.store.idle();
    expect(await persisted(w.namespace)).to.deep.equal([]);

    w.collector.answerAll(networkError);
    const batch = events(13);
    for (const e of batch) {
      outbox.add(e);
      await settle();
    }
    await w.store.idle();
    expect(await persisted(w.namespace)).to.deep.equal(ids(batch.slice(3)).sort());
    expect(overflowCount(diagnostics)).to.equal(3);
  });

  it('bounds a persisted queue larger than maxQueuedEvents: the oldest are dropped, deleted and counted', async () => {
    const w = world();
    const left = events(15);
    // Left by an earlier page view whose bound was larger, in no particular order.
    await createOutboxStore().put(w.namespace, [...left].reverse());
    w.collector.answerAll(networkError);
    const { outbox, diagnostics } = page(w, { maxQueuedEvents: 10 });
    await eventually(w.clock, () => outbox.size > 0, 100);
    await w.store.idle();
    expect(outbox.size).to.equal(10);
    expect(overflowCount(diagnostics)).to.equal(5);
    expect(await persisted(w.namespace)).to.deep.equal(ids(left.slice(5)).sort());
  });

  it('on unload empties memory in the same task, and keeps beacon events stored until a later page confirms them', async () => {
    const w = world();
    const beacons: string[] = [];
    const first = page(w, {
      flushDelayMs: 60_000,
      // The browser queues the beacon, then the network drops it: nothing arrives.
      sendBeacon: (_url, body) => beacons.push(body) > 0,
    });
    await started(w);
    const batch = events(5);
    for (const e of batch) first.outbox.add(e);
    await w.store.idle();
    void first.outbox.flush('unload');
    expect(first.outbox.size).to.equal(0);
    expect(beacons).to.have.length(1);
    await close(w, first.outbox);

    page(w);
    await eventually(w.clock, () => w.collector.stored.size === 5);
    await w.store.idle();
    expect(await persisted(w.namespace)).to.deep.equal([]);
  });

  it('when the page comes back after a hide, confirms what went by beacon', async () => {
    const w = world();
    const { outbox } = page(w, {
      sendBeacon: (_url, body) => {
        w.collector.store(JSON.parse(body) as EventBatch);
        return true;
      },
    });
    await started(w);
    const hidden = events(3);
    for (const e of hidden) outbox.add(e);
    await w.store.idle();
    void outbox.flush('unload');
    await w.store.idle();
    expect(await persisted(w.namespace)).to.have.length(3);

    outbox.add(event());
    await eventually(w.clock, () => w.collector.requests.length > 0);
    await w.store.idle();
    expect(await persisted(w.namespace)).to.deep.equal([]);
    expect([...w.collector.acceptedCount.values()]).to.deep.equal([1, 1, 1, 1]);
  });

  it('leaves the persisted queue to the tab that holds the lock, sends its own events, and resends on online', async () => {
    const w = world();
    w.collector.answerAll(networkError);
    const closedTab = page(w);
    const left = events(3);
    for (const e of left) closedTab.outbox.add(e);
    await w.clock.advance(5000);
    await close(w, closedTab.outbox);
    w.collector.answerAll(undefined);

    const release = await holdLock(w.namespace);
    const tab = page(w);
    const own = event();
    tab.outbox.add(own);
    await w.clock.advance(60_000);
    expect([...w.collector.stored.keys()]).to.deep.equal([own.id]);

    release();
    await settle();
    tab.win.dispatchEvent(new Event('online'));
    await eventually(w.clock, () => w.collector.stored.size === 4, 100);
  });
});

describe('createOutbox when storage fails', () => {
  const closing = () => new DOMException('The database connection is closing.', 'InvalidStateError');
  const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  const working = (): OutboxStore => ({ load: async () => [], put: async () => {}, delete: async () => {} });

  /** Replaces a property of a browser object for one test; returns the undo. */
  function replace<T extends object>(target: T, key: string, descriptor: PropertyDescriptor) {
    const own = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { configurable: true, ...descriptor });
    return () => {
      if (own) Object.defineProperty(target, key, own);
      else delete (target as Record<string, unknown>)[key];
    };
  }

  interface Case {
    name: string;
    reason: RegExp;
    /** The store, and an undo for what the case did to the browser. */
    arrange(): { store: OutboxStore; undo?: () => void; afterStart?: () => Promise<void> };
  }

  const cases: Case[] = [
    {
      name: 'loading rejects because the connection is closing',
      reason: /InvalidStateError/,
      arrange: () => ({ store: { ...working(), load: () => Promise.reject(closing()) } }),
    },
    {
      name: 'loading never settles',
      reason: /^timeout$/,
      arrange: () => ({ store: { ...working(), load: () => new Promise(() => {}) } }),
    },
    {
      name: 'writing exceeds the quota',
      reason: /QuotaExceededError/,
      arrange: () => ({ store: { ...working(), put: () => Promise.reject(quota()) } }),
    },
    {
      name: 'deleting fails',
      reason: /UnknownError/,
      arrange: () => ({
        store: { ...working(), delete: () => Promise.reject(new DOMException('disk', 'UnknownError')) },
      }),
    },
    {
      name: 'the store throws instead of rejecting',
      reason: /TypeError/,
      arrange: () => ({
        store: {
          load: () => {
            throw new TypeError('broken');
          },
          put: () => {
            throw new TypeError('broken');
          },
          delete: () => {
            throw new TypeError('broken');
          },
        },
      }),
    },
    {
      name: 'the page has no indexedDB (real store)',
      reason: /TypeError/,
      arrange: () => ({ store: createOutboxStore(), undo: replace(window, 'indexedDB', { value: undefined }) }),
    },
    {
      name: 'indexedDB.open throws (real store)',
      reason: /SecurityError/,
      arrange: () => ({
        store: createOutboxStore(),
        undo: replace(indexedDB, 'open', {
          value: () => {
            throw new DOMException('The operation is insecure.', 'SecurityError');
          },
        }),
      }),
    },
    {
      name: 'indexedDB.open never completes (real store)',
      reason: /^timeout$/,
      arrange: () => ({
        store: createOutboxStore(),
        undo: replace(indexedDB, 'open', { value: () => ({}) }),
      }),
    },
    {
      name: 'the connection closes underneath (real store)',
      reason: /InvalidStateError.*closing/,
      arrange: () => {
        const opened: IDBOpenDBRequest[] = [];
        const open = IDBFactory.prototype.open;
        const undo = replace(indexedDB, 'open', {
          value: (...args: Parameters<IDBFactory['open']>) => {
            const request = open.apply(indexedDB, args);
            opened.push(request);
            return request;
          },
        });
        const store = recordingStore(createOutboxStore());
        return {
          store,
          undo,
          // Once the outbox has read the store, the browser closes the connection (as Safari does when idle).
          afterStart: async () => {
            while (opened[0]?.readyState !== 'done' || store.busy) await settle();
            opened[0].result.close();
          },
        };
      },
    },
  ];

  for (const { name, reason, arrange } of cases) {
    it(`keeps every event in memory and reports once when ${name}`, async () => {
      const unhandled = watchUnhandled();
      const { store, undo, afterStart } = arrange();
      try {
        const clock = fakeClock();
        const collector = fakeCollector(clock);
        const w = { store: recordingStore(store), clock, collector, namespace: freshNamespace() };
        collector.answerNext(status(503), status(503));
        const { outbox, diagnostics } = page(w);
        await afterStart?.();
        const batch = events(45);
        for (const e of batch.slice(0, 25)) outbox.add(e);
        await clock.advance(600);
        for (const e of batch.slice(25)) {
          outbox.add(e);
          await settle();
        }
        await eventually(clock, () => collector.stored.size === 45);
        await clock.advance(10_000);
        expect(outbox.size).to.equal(0);
        expect([...collector.stored.keys()].sort()).to.deep.equal(ids(batch).sort());
        const reported = storageDiagnostics(diagnostics);
        expect(reported).to.have.length(1);
        expect((reported[0] as { reason: string }).reason).to.match(reason);
        // Given up for the page: nothing more is asked of it.
        const calls = w.store.calls.length;
        outbox.add(event());
        await clock.advance(5000);
        expect(w.store.calls.length).to.equal(calls);
        await settle();
        expect(unhandled.reasons).to.deep.equal([]);
      } finally {
        unhandled.stop();
        undo?.();
      }
    });
  }
});

describe('createOutbox acceptance', () => {
  it('stores 1,000 events exactly once through random failures, lost answers, reloads and 60 s offline', async function () {
    this.timeout(180_000);
    const random = seededRandom(0x0b5107);
    const w = world();
    let offline = false;
    w.collector.answerAll((batch, collector) => {
      if (offline) return networkError(batch, collector);
      const roll = random();
      if (roll < 0.1) return networkError(batch, collector);
      if (roll < 0.2) return status(503)(batch, collector);
      if (roll < 0.3) return answerLost(batch, collector);
      return collector.answer(batch);
    });
    const sendBeacon = (_url: string, body: string) => {
      const roll = random();
      // Refused (quota), queued but lost on the way, or delivered; offline, a queued beacon never arrives.
      if (roll < 0.15) return false;
      if (roll >= 0.3 && !offline) w.collector.store(JSON.parse(body) as EventBatch);
      return true;
    };
    const open = () => page(w, { sendBeacon, random });
    const all = events(1000).map((e) => ({ ...e, id: createEventId(), decisionId: createEventId() }));
    let tab = open();
    let requestsAtOnline = 0;
    let sawOnlineRetry = false;

    for (const [index, e] of all.entries()) {
      tab.outbox.add(e);
      if (index % 20 === 19) await w.clock.advance(Math.floor(random() * 3000));
      if (index === 399) offline = true;
      // 60 s offline while 100 events are added.
      if (index >= 400 && index < 500 && index % 10 === 9) await w.clock.advance(6000);
      if (index === 499) {
        offline = false;
        requestsAtOnline = w.collector.requests.length;
        tab.win.dispatchEvent(new Event('online'));
        await w.clock.advance(0);
        sawOnlineRetry = w.collector.requests.length > requestsAtOnline;
      }
      if (index % 170 === 169) {
        // A reload: half the time the page is hidden first and beacons what it holds, else it just dies.
        if (random() < 0.5) void tab.outbox.flush('unload');
        await close(w, tab.outbox);
        tab = open();
      }
    }
    await eventually(w.clock, () => w.collector.stored.size === 1000 && tab.outbox.size === 0, 5000);
    // One more page view confirms what the last beacons carried, and leaves nothing behind.
    await close(w, tab.outbox);
    tab = open();
    await eventually(w.clock, () => tab.outbox.size === 0, 1000);
    await w.clock.advance(120_000);
    await w.store.idle();

    expect(sawOnlineRetry, 'a request right after online').to.equal(true);
    expect(w.collector.stored.size).to.equal(1000);
    expect([...w.collector.stored.keys()].sort()).to.deep.equal(ids(all).sort());
    expect([...w.collector.acceptedCount.values()].every((count) => count === 1)).to.equal(true);
    expect(await persisted(w.namespace)).to.deep.equal([]);
  });

  it('keeps memory and the persisted queue within the bound through 5,000 events while the collector is down', async function () {
    this.timeout(60_000);
    const w = world();
    w.collector.answerAll(status(503));
    const { outbox, diagnostics } = page(w);
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    try {
      for (let tick = 0; tick < 50; tick++) {
        for (const e of events(100)) outbox.add(e);
        await w.clock.advance(700);
        expect(outbox.size).to.be.at.most(1000);
        if (tick % 10 === 9) expect((await persisted(w.namespace)).length).to.be.at.most(1000);
      }
      await w.store.idle();
      expect(outbox.size).to.equal(1000);
      expect(await persisted(w.namespace)).to.have.length(1000);
      expect(overflowCount(diagnostics)).to.equal(4000);
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
    }
  });

  it('sends 300 KB pending on unload in bodies under 64 KiB, and loses nothing after the next page view', async () => {
    const w = world();
    // Chromium lets a page have 64 KiB of beacons and keepalive requests in flight; beyond that sendBeacon returns
    // false and fetch keepalive rejects.
    let budget = 64 * KIB;
    const beacons: string[] = [];
    const sendBeacon = (_url: string, body: string) => {
      if (utf8Bytes(body) > budget) return false;
      budget -= utf8Bytes(body);
      beacons.push(body);
      w.collector.store(JSON.parse(body) as EventBatch);
      return true;
    };
    w.collector.answerAll(networkError);
    const long = (prefix: string) => `${prefix}-${'x'.repeat(60 - prefix.length)}`;
    const pending = events(450).map((e) => ({
      ...e,
      id: createEventId(),
      decisionId: createEventId(),
      slotId: long('slot'),
      creativeId: long('creative'),
      campaignId: long('campaign'),
      advertiserId: long('advertiser'),
      experimentId: long('experiment'),
      bucket: long('bucket'),
      pageId: long('page'),
      name: long('conversion'),
    })) satisfies BeaconEvent[];
    const json = JSON.stringify(pending);
    expect(utf8Bytes(json)).to.be.greaterThan(300 * 1000);

    const first = page(w, { sendBeacon, flushDelayMs: 600_000, maxBatchEvents: 500 });
    await started(w);
    for (const e of pending) first.outbox.add(e);
    await w.store.idle();
    void first.outbox.flush('unload');
    await settle();
    await close(w, first.outbox);
    const unloadBodies = [...beacons, ...w.collector.requests.map((r) => r.body)];
    expect(unloadBodies.length).to.be.at.least(5);
    expect(w.collector.stored.size).to.be.lessThan(450);

    w.collector.answerAll(undefined);
    page(w, { sendBeacon, maxBatchEvents: 500 });
    await eventually(w.clock, () => w.collector.stored.size === 450, 1000);
    const allBodies = [...beacons, ...w.collector.requests.map((r) => r.body)];
    for (const body of allBodies) expect(utf8Bytes(body)).to.be.below(64 * KIB);
    expect([...w.collector.stored.keys()].sort()).to.deep.equal(ids(pending).sort());
    await w.clock.advance(10_000);
    await w.store.idle();
    expect(await persisted(w.namespace)).to.deep.equal([]);
  });
});

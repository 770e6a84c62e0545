import { expect } from '@open-wc/testing';
import { createMeasurement } from './measurement.js';
import { createOutboxStore } from './outbox-store.js';
import type { EventBatch } from './protocol.js';
import { ENDPOINT, freshNamespace, recordingStore } from './test-support/outbox-fakes.js';

const RENDER = { type: 'render', ts: 1_717_000_000_000, channel: 'corporate-web', pageId: 'home' } as const;

/** A collector behind fetch that is down until `up` is set, and records what it stored. */
function collector() {
  const stored: string[] = [];
  const state = {
    up: false,
    stored,
    fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
      if (!state.up) throw new TypeError('Failed to fetch');
      const { events } = JSON.parse(String(init?.body)) as EventBatch;
      stored.push(...events.map((e) => e.id));
      return Response.json({ v: 1, accepted: events.map((e) => e.id), duplicates: [], rejected: [] });
    }) as typeof fetch,
  };
  return state;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000) {
  const start = performance.now();
  while (!(await condition())) {
    if (performance.now() - start > timeoutMs) throw new Error('until: condition not met');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const persistedCount = async (namespace: string) => (await createOutboxStore().load(namespace)).length;

describe('createMeasurement', () => {
  it('persists under its namespace: a later page of the same namespace sends what an earlier one left, another does not', async () => {
    const namespace = freshNamespace();
    const down = collector();
    const earlier = createMeasurement({ win: window, endpoint: ENDPOINT, fetch: down.fetch, namespace });
    earlier.track(RENDER);
    earlier.track({ ...RENDER, type: 'viewable', method: 'io2' });
    await earlier.flush();
    await until(async () => (await persistedCount(namespace)) === 2);
    earlier.dispose();

    const up = collector();
    up.up = true;
    const otherOperator = createMeasurement({
      win: window,
      endpoint: ENDPOINT,
      fetch: up.fetch,
      namespace: freshNamespace(),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await otherOperator.flush();
    expect(up.stored).to.deep.equal([]);
    otherOperator.dispose();

    const later = createMeasurement({ win: window, endpoint: ENDPOINT, fetch: up.fetch, namespace });
    await until(() => up.stored.length === 2);
    await until(async () => (await persistedCount(namespace)) === 0);
    later.dispose();
  });

  it('persists nothing without a namespace', async () => {
    const store = recordingStore(createOutboxStore());
    const down = collector();
    const measurement = createMeasurement({ win: window, endpoint: ENDPOINT, fetch: down.fetch, store });
    measurement.track(RENDER);
    await measurement.flush();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.calls).to.deep.equal([]);
    measurement.dispose();
  });

  it("resends the persisted queue on the window's online event", async () => {
    const namespace = freshNamespace();
    const down = collector();
    const closed = createMeasurement({ win: window, endpoint: ENDPOINT, fetch: down.fetch, namespace });
    closed.track(RENDER);
    await closed.flush();
    await until(async () => (await persistedCount(namespace)) === 1);
    closed.dispose();

    // Another tab is resending the queue when this page starts, so this page leaves it alone…
    let release = () => {};
    await new Promise<void>((held) => {
      void navigator.locks.request(
        `opslot-outbox:${namespace}`,
        () =>
          new Promise<void>((done) => {
            release = done;
            held();
          }),
      );
    });
    const up = collector();
    up.up = true;
    const measurement = createMeasurement({ win: window, endpoint: ENDPOINT, fetch: up.fetch, namespace });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(up.stored).to.deep.equal([]);
    // …until that tab is gone and the network comes back.
    release();
    await navigator.locks.request(`opslot-outbox:${namespace}`, async () => {});
    window.dispatchEvent(new Event('online'));
    await until(() => up.stored.length === 1);
    measurement.dispose();
  });
});

// The far side of the outbox for its tests: a clock that moves only when told, a collector behind `fetch` that
// stores and de-duplicates by id as the reference server does, and a recorder around a (real) store.
import { createOutbox, type OutboxDiagnostic, type OutboxOptions } from '../outbox.js';
import type { OutboxStore } from '../outbox-store.js';
import type { BeaconEvent, EventBatch, EventBatchResult } from '../protocol.js';

export const ENDPOINT = new URL('https://bank.example/opslot/v1/events');
export const KIB = 1024;

/** Lets fetch promises and response bodies settle: a few macrotask turns of the real event loop. */
export async function settle() {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** What the clock waits for before it fires a timer: store calls that real IndexedDB answers in real time. */
export interface Busy {
  readonly busy: boolean;
  idle(): Promise<void>;
}

/**
 * setTimer/clearTimer/now on a clock that moves only when the test says. Before it fires a timer it waits until
 * `store` is idle, so that a real IndexedDB never looks slow in fake time.
 */
export function fakeClock(start = 1_700_000_000_000, store?: Busy) {
  let now = start;
  let nextHandle = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimer: (callback: () => void, ms: number) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + ms, callback });
      return handle;
    },
    clearTimer: (handle: unknown) => void timers.delete(handle as number),
    get pendingTimers() {
      return timers.size;
    },
    /** Moves time forward, firing due timers in order and letting the promises they start settle. */
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        await settle();
        if (store?.busy) {
          await store.idle();
          continue;
        }
        const due = [...timers].filter(([, t]) => t.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
      await settle();
      if (store?.busy) await store.idle();
    },
  };
}
export type FakeClock = ReturnType<typeof fakeClock>;

export type Handler = (batch: EventBatch, collector: FakeCollector) => Response | Promise<Response>;

/**
 * The far side of fetch: a collector that stores events by id and answers as the protocol says. A test queues
 * other answers with `answerNext`, or answers every request with `answerAll`; otherwise the collector answers
 * normally.
 */
export function fakeCollector(clock: { now(): number }) {
  const stored = new Map<string, BeaconEvent>();
  /** How often each id was answered `accepted`: once, for a collector that de-duplicates. */
  const acceptedCount = new Map<string, number>();
  const requests: { at: number; url: string; init: RequestInit; body: string; batch: EventBatch }[] = [];
  const handlers: Handler[] = [];
  let always: Handler | undefined;
  const collector = {
    stored,
    acceptedCount,
    requests,
    answerNext(...next: Handler[]) {
      handlers.push(...next);
      return collector;
    },
    answerAll(handler: Handler | undefined) {
      always = handler;
      return collector;
    },
    store(batch: EventBatch): EventBatchResult {
      const result: EventBatchResult = { v: 1, accepted: [], duplicates: [], rejected: [] };
      for (const event of batch.events) {
        if (stored.has(event.id)) result.duplicates.push(event.id);
        else {
          result.accepted.push(event.id);
          acceptedCount.set(event.id, (acceptedCount.get(event.id) ?? 0) + 1);
        }
        stored.set(event.id, event);
      }
      return result;
    },
    /** A normal answer to a stored batch. */
    answer(batch: EventBatch): Response {
      return Response.json(collector.store(batch));
    },
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const body = String(init?.body);
      const batch = JSON.parse(body) as EventBatch;
      requests.push({ at: clock.now(), url: String(input), init: init ?? {}, body, batch });
      const handler = handlers.shift() ?? always;
      return handler ? handler(batch, collector) : collector.answer(batch);
    }) as typeof fetch,
  };
  return collector;
}
export type FakeCollector = ReturnType<typeof fakeCollector>;

export const status =
  (code: number, headers: Record<string, string> = {}): Handler =>
  () =>
    new Response(JSON.stringify({ error: { code: 'x', message: 'x' } }), { status: code, headers });

export const networkError: Handler = () => Promise.reject(new TypeError('Failed to fetch'));

/** The collector stores the batch, then the answer is lost on the way back. */
export const answerLost: Handler = (batch, collector) => {
  collector.store(batch);
  return Promise.reject(new TypeError('Failed to fetch'));
};

let sequence = 0;
export function event(overrides: Partial<BeaconEvent> = {}): BeaconEvent {
  sequence += 1;
  return {
    id: `evt-${sequence}`,
    type: 'render',
    ts: 1_700_000_000_000 + sequence,
    decisionId: 'dec-1',
    slotId: 'home-banner',
    creativeId: 'cr-1',
    campaignId: 'cmp-1',
    channel: 'corporate-web',
    pageId: 'home',
    ...overrides,
  };
}
export const events = (count: number, overrides?: Partial<BeaconEvent>) =>
  Array.from({ length: count }, () => event(overrides));
export const ids = (list: { id: string }[]) => list.map((e) => e.id);
export const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** A namespace no other test uses, so that tests sharing the browser's IndexedDB do not see each other's events. */
export const freshNamespace = () => `test-${crypto.randomUUID()}:corporate-web`;

/** Wraps a store to record its calls and to tell when none is pending. */
export function recordingStore(store: OutboxStore) {
  const pending = new Set<Promise<unknown>>();
  const calls: { method: 'load' | 'put' | 'delete'; namespace: string; count: number }[] = [];
  const track = <T>(promise: Promise<T>): Promise<T> => {
    const settled = promise.then(
      () => undefined,
      () => undefined,
    );
    pending.add(settled);
    void settled.then(() => pending.delete(settled));
    return promise;
  };
  return {
    calls,
    get busy() {
      return pending.size > 0;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    load(namespace: string) {
      calls.push({ method: 'load', namespace, count: 0 });
      return track(store.load(namespace));
    },
    put(namespace: string, events: BeaconEvent[]) {
      calls.push({ method: 'put', namespace, count: events.length });
      return track(store.put(namespace, events));
    },
    delete(namespace: string, ids: string[]) {
      calls.push({ method: 'delete', namespace, count: ids.length });
      return track(store.delete(namespace, ids));
    },
  } satisfies OutboxStore & Busy & { calls: unknown[] };
}

/**
 * An outbox on fake time and a fake collector, whose sendBeacon must not be called (the unload tests replace it),
 * and the diagnostics it reports.
 */
export function testOutbox(
  clock: ReturnType<typeof fakeClock>,
  collector: ReturnType<typeof fakeCollector>,
  options: Partial<OutboxOptions> = {},
) {
  const diagnostics: OutboxDiagnostic[] = [];
  const outbox = createOutbox({
    endpoint: ENDPOINT,
    fetch: collector.fetch,
    sendBeacon: () => {
      throw new Error('sendBeacon is for unload only');
    },
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    now: clock.now,
    random: () => 0.5,
    onDiagnostic: (d) => diagnostics.push(d),
    ...options,
  });
  return { outbox, diagnostics };
}

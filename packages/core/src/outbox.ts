import { withFlushLock } from './flush-lock.js';
import type { OutboxStore } from './outbox-store.js';
import { withoutPersonalData } from './pii-guard.js';
import { type BeaconEvent, type EventBatchResult, PROTOCOL_VERSION } from './protocol.js';
import { validateEventBatchResult } from './validate-event-batch-result.js';

export const FLUSH_MODES = {
  /** Sends pending events with fetch keepalive, one request at a time, and reads the collector's answer. */
  normal: 'normal',
  /** The page is being hidden: hands every pending event to `sendBeacon` now, in the same task. */
  unload: 'unload',
} as const;
export type FlushMode = (typeof FLUSH_MODES)[keyof typeof FLUSH_MODES];

/** Something QA should see: events that will never reach the collector, or a collector that answers wrongly. */
export type OutboxDiagnostic =
  /** More than `maxQueuedEvents` were waiting, in memory or persisted; the oldest were dropped. */
  | { code: 'outbox-overflow'; dropped: number }
  /** The collector answered a batch with a 4xx other than 408/429; its events were dropped. */
  | { code: 'events-refused'; status: number; count: number }
  /** The collector rejected single events of a batch (`rejected` in its answer), with their codes. */
  | { code: 'events-rejected'; count: number; codes: string[] }
  /** The collector's 2xx answer is not an EventBatchResult; the batch is kept and sent again. */
  | { code: 'invalid-result'; status: number; path: string; message: string }
  /** One event alone does not fit in `maxBodyBytes`; it was dropped. */
  | { code: 'event-too-large'; id: string; bytes: number }
  /** Fields whose value looked like personal data were dropped from events; each field name is reported once. */
  | { code: 'personal-data-dropped'; fields: string[] }
  /** The persistent store failed (no IndexedDB, an error, or no answer in time); events are kept in memory only. */
  | { code: 'outbox-storage-unavailable'; reason: string };

export interface OutboxOptions {
  /** The collector's events URL, such as `https://bank.example/opslot/v1/events`. */
  endpoint: URL;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Defaults to `navigator.sendBeacon`; without one, unload uses fetch keepalive alone. */
  sendBeacon?: (url: string, body: string) => boolean;
  /**
   * Credentials mode of fetch requests; default `'same-origin'`: a bank's collector on its own origin gets
   * its cookies, a third-party one gets none. (`sendBeacon` always sends credentials.)
   */
  credentials?: RequestCredentials;
  /** Defaults to `setTimeout`. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  /** Defaults to `clearTimeout`. */
  clearTimer?: (handle: unknown) => void;
  /** Epoch milliseconds, to read a `Retry-After` date; defaults to `Date.now`. */
  now?: () => number;
  /** Uniform in [0, 1), for backoff jitter; defaults to `Math.random`. */
  random?: () => number;
  /** Send as soon as this many events wait; default 20, at most 500 (the protocol's limit per batch). */
  maxBatchEvents?: number;
  /** Send this long after the first event waits; default 2000 ms. */
  flushDelayMs?: number;
  /** Largest request body in UTF-8 bytes; default 60 KiB, under keepalive's 64 KiB budget. */
  maxBodyBytes?: number;
  /** Most events kept while the collector is unreachable; default 1000, beyond that the oldest are dropped. */
  maxQueuedEvents?: number;
  onDiagnostic?: (diagnostic: OutboxDiagnostic) => void;
  /** Told of every delivery, for the debug overlay's event log: what the collector acknowledged, or what went by beacon. */
  onDelivery?: (delivery: OutboxDelivery) => void;
  /**
   * Where undelivered events survive the page, such as `createOutboxStore()` (IndexedDB); used only with a
   * `namespace`. Absent, events live in memory only.
   */
  store?: OutboxStore | undefined;
  /**
   * Whose persisted queue this outbox shares: one operator on one channel, such as `op-1234abcd:corporate-web`, or
   * `anonymous:corporate-web`. Events of one namespace are never sent by an outbox of another.
   */
  namespace?: string | undefined;
  /** Where `online` is listened for, to retry at once when the network is back: the page's window. */
  win?: EventTarget | undefined;
  /** A store call not settled after this long counts as the store failing; default 500 ms. */
  storageTimeoutMs?: number;
}

/**
 * One delivery: a collector's answer naming the ids it stored (`accepted`), already had (`duplicates`) or refused
 * (`rejected`), or ids handed to the browser's beacon queue on leaving (`beaconed`), whose arrival no one can see.
 */
export type OutboxDelivery = { accepted: string[]; duplicates: string[]; rejected: string[] } | { beaconed: string[] };

/** Queues measurement events and delivers each at least once; the collector de-duplicates on event id. */
export interface Outbox {
  /** Queues an event; it is sent with the next batch. */
  add(event: BeaconEvent): void;
  /**
   * Sends what is pending. `'normal'` resolves when those requests are answered, and does nothing while a retry is
   * waiting out its backoff; `'unload'` hands everything to the browser before it returns. Never rejects.
   */
  flush(mode?: FlushMode): Promise<void>;
  /** Events not yet settled, including those in flight. */
  readonly size: number;
  /** Clears the timers and the `online` listener; later calls to `add` and `flush` do nothing. Store writes under way finish. */
  dispose(): void;
}

interface Entry {
  event: BeaconEvent;
  json: string;
  bytes: number;
}

interface Chunk {
  entries: Entry[];
  body: string;
}

/** The events array of a batch has at most 500 items (schema/event-batch.v1.schema.json). */
const MAX_EVENTS_PER_BATCH = 500;
/** Backoff: full jitter over an exponential window of 1 s doubling to 60 s, as in "Exponential Backoff And Jitter" (AWS Architecture Blog, 2015). */
const RETRY_BASE_MS = 1000;
const RETRY_CAP_MS = 60_000;
/** Browsers fire a longer setTimeout at once (the delay is a signed 32-bit integer); a huge Retry-After must not. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const BODY_START = `{"v":${PROTOCOL_VERSION},"events":[`;
const BODY_END = ']}';

/**
 * Creates the beacon outbox. Events wait in memory, oldest first, until a batch is full (`maxBatchEvents`) or
 * `flushDelayMs` has passed; each request body is `JSON.stringify({ v: 1, events })` as
 * `text/plain;charset=UTF-8` (no CORS preflight) and at most `maxBodyBytes` long, because keepalive requests of
 * a document share a 64 KiB budget (Fetch Standard, "HTTP-network-or-cache fetch", inflight keepalive bytes);
 * for the same reason one request is in flight at a time.
 *
 * The collector's answer settles the ids it names (accepted, duplicates, rejected). A network error, 408, 429
 * or 5xx keeps the batch for a retry after a capped, jittered exponential backoff, never before `Retry-After`;
 * any other 4xx drops it and reports `events-refused`. An event keeps its id across retries.
 *
 * Every event added loses the fields that look like personal data ({@link withoutPersonalData}) first.
 *
 * With a `store` and `namespace`, the queue is mirrored there: an event is written when added (in one `put` per
 * tick), and deleted once settled or dropped, so that what a page could not send, because it was closed, crashed or
 * offline, is sent by the next page view of the same namespace: on start, and again on `online`, the outbox loads the
 * namespace's persisted events and sends them. That resend runs under a Web Lock ({@link withFlushLock}) so that
 * two tabs do not both send the shared queue; each tab sends its own new events itself.
 *
 * On unload the events handed to `sendBeacon` leave the memory queue at once, in the same task, but stay in the
 * store: `sendBeacon` returning true means the browser queued the body, not that it arrived, and a beacon sent
 * offline or cut off is never retried by the browser. The next page view (or `online`, or the next flush of this page
 * if it comes back) sends them again with the same ids; the collector answers those that did arrive as duplicates,
 * and then they are deleted. No store call is awaited on unload: the page may be gone before IndexedDB answers, and a
 * deletion cut short would only cause the same harmless resend.
 *
 * A store that fails, rejects or stays silent for `storageTimeoutMs` is given up for the page, with one
 * `outbox-storage-unavailable`: delivery goes on from memory, as without a store.
 *
 * @example
 * const outbox = createOutbox({ endpoint: new URL('/v1/events', location.href), onDiagnostic: console.warn });
 * outbox.add({ id: createEventId(), type: 'render', ts: Date.now(), decisionId, slotId, creativeId, campaignId, channel, pageId });
 * onPageHide(window, () => void outbox.flush('unload'));
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const url = options.endpoint.href;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const sendBeacon =
    options.sendBeacon ??
    (typeof navigator !== 'undefined' && typeof navigator.sendBeacon === 'function'
      ? (beaconUrl: string, body: string) => navigator.sendBeacon(beaconUrl, body)
      : undefined);
  const credentials = options.credentials ?? 'same-origin';
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const maxBatchEvents = Math.min(Math.max(1, options.maxBatchEvents ?? 20), MAX_EVENTS_PER_BATCH);
  const flushDelayMs = options.flushDelayMs ?? 2000;
  const maxBodyBytes = options.maxBodyBytes ?? 60 * 1024;
  const maxQueuedEvents = Math.max(1, options.maxQueuedEvents ?? 1000);
  const storageTimeoutMs = options.storageTimeoutMs ?? 500;
  const namespace = options.namespace ?? '';
  const encoder = new TextEncoder();
  const envelopeBytes = encoder.encode(BODY_START + BODY_END).length;

  let queue: Entry[] = [];
  const inFlight = new Set<string>();
  let timer: { handle: unknown } | undefined;
  /** A retry timer is set: nothing is sent before it fires, so that backoff and Retry-After hold. */
  let retrying = false;
  /** The retry waits because the network failed (not for the collector's sake): `online` may end the wait. */
  let offline = false;
  let failures = 0;
  /** A flush was asked for; the running drain does one more round. */
  let requested = false;
  let draining: Promise<void> | undefined;
  let disposed = false;

  /** The store while it works; undefined without one, and once it has failed. */
  let storage = options.namespace === undefined ? undefined : options.store;
  /** Ids in the store, or on their way there. */
  const persisted = new Set<string>();
  const toPut = new Map<string, BeaconEvent>();
  const toDelete = new Set<string>();
  let writes: Promise<void> = Promise.resolve();
  let writeQueued = false;
  let resending = false;
  /** Events went by beacon and are still in the store, unconfirmed. */
  let handedOff = false;
  /** Ids settled or dropped while the store is being read: what the read returns of them is stale. */
  let forgottenDuringLoad: Set<string> | undefined;
  const droppedFields = new Set<string>();

  const report = (diagnostic: OutboxDiagnostic) => {
    try {
      options.onDiagnostic?.(diagnostic);
    } catch {
      // A failing diagnostics handler must not stop delivery.
    }
  };

  const arm = (ms: number, callback: () => void) => {
    disarm();
    if (disposed) return;
    timer = {
      handle: setTimer(() => {
        timer = undefined;
        callback();
      }, ms),
    };
  };
  const disarm = () => {
    if (timer) clearTimer(timer.handle);
    timer = undefined;
  };

  const waiting = () => queue.filter((entry) => !inFlight.has(entry.event.id));

  const tell = (delivery: OutboxDelivery) => {
    try {
      options.onDelivery?.(delivery);
    } catch {
      // A failing listener must not stop delivery.
    }
  };

  const settle = (ids: Set<string>) => {
    queue = queue.filter((entry) => !ids.has(entry.event.id));
    forget(ids);
  };

  /** Drops the oldest events beyond `maxQueuedEvents`. */
  const trim = () => {
    const dropped = queue.length - maxQueuedEvents;
    if (dropped <= 0) return;
    forget(queue.slice(0, dropped).map((entry) => entry.event.id));
    queue = queue.slice(dropped);
    report({ code: 'outbox-overflow', dropped });
  };

  /** The event as queued and sent: without personal data, measured; undefined when it is too large to send. */
  const toEntry = (raw: BeaconEvent): Entry | undefined => {
    const { event, dropped } = withoutPersonalData(raw);
    const fields = dropped.filter((field) => !droppedFields.has(field));
    if (fields.length > 0) {
      for (const field of fields) droppedFields.add(field);
      report({ code: 'personal-data-dropped', fields });
    }
    const json = JSON.stringify(event);
    const bytes = encoder.encode(json).length;
    if (envelopeBytes + bytes > maxBodyBytes) {
      report({ code: 'event-too-large', id: event.id, bytes });
      return undefined;
    }
    return { event, json, bytes };
  };

  const storageFailed = (reason: string) => {
    if (!storage) return;
    storage = undefined;
    persisted.clear();
    toPut.clear();
    toDelete.clear();
    report({ code: 'outbox-storage-unavailable', reason });
  };

  /**
   * Calls the store; resolves undefined, never rejects, when there is none or it fails or does not answer in time.
   * The first failure gives the store up for the page.
   */
  const useStorage = <T>(call: (store: OutboxStore) => Promise<T>): Promise<T | undefined> => {
    const store = storage;
    if (!store) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timeout = setTimer(() => {
        storageFailed('timeout');
        resolve(undefined);
      }, storageTimeoutMs);
      // Through a promise, so that a store throwing synchronously counts as one rejecting.
      Promise.resolve(store)
        .then(call)
        .then(
          (value) => resolve(storage ? value : undefined),
          (error: unknown) => storageFailed(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
        )
        .finally(() => {
          clearTimer(timeout);
          resolve(undefined);
        });
    });
  };

  /** Writes what changed since the last round: one put, then one delete, after the writes before them. */
  const scheduleWrites = () => {
    if (writeQueued || !storage || disposed) return;
    writeQueued = true;
    writes = writes.then(async () => {
      writeQueued = false;
      const events = [...toPut.values()];
      toPut.clear();
      if (events.length > 0) await useStorage((store) => store.put(namespace, events));
      const ids = [...toDelete];
      toDelete.clear();
      if (ids.length > 0) await useStorage((store) => store.delete(namespace, ids));
    });
  };

  const remember = (event: BeaconEvent) => {
    if (!storage) return;
    persisted.add(event.id);
    toPut.set(event.id, event);
    scheduleWrites();
  };

  /** Takes settled or dropped events out of the store; an event not written yet is simply not written. */
  const forget = (ids: Iterable<string>) => {
    for (const id of ids) {
      forgottenDuringLoad?.add(id);
      if (persisted.delete(id) && !toPut.delete(id)) toDelete.add(id);
    }
    if (toDelete.size > 0) scheduleWrites();
  };

  /** Adds the events persisted by earlier page views (or other tabs) that are not queued here yet. */
  const merge = (values: unknown[], forgotten: Set<string>) => {
    const present = new Set(queue.map((entry) => entry.event.id));
    const loaded: Entry[] = [];
    for (const value of values) {
      if (!isEvent(value) || present.has(value.id) || forgotten.has(value.id)) continue;
      present.add(value.id);
      persisted.add(value.id);
      const entry = toEntry(value);
      if (!entry) forget([value.id]);
      else {
        // Stored by an SDK that let more through: the cleaned event replaces it.
        if (entry.event !== value) toPut.set(value.id, entry.event);
        loaded.push(entry);
      }
    }
    if (loaded.length === 0) return;
    // Oldest first, so that overflow drops the oldest whichever page queued them.
    queue = [...loaded, ...queue].sort((a, b) => a.event.ts - b.event.ts);
    trim();
    scheduleWrites();
  };

  /** Sends the namespace's persisted queue, if no other tab is sending it. */
  const resend = () => {
    if (!storage || resending || disposed) return;
    resending = true;
    void withFlushLock(namespace, async () => {
      // After this outbox's own writes, so that it does not read back what it has just settled.
      await writes;
      const forgotten = new Set<string>();
      forgottenDuringLoad = forgotten;
      const values = await useStorage((store) => store.load(namespace));
      forgottenDuringLoad = undefined;
      if (!values || disposed) return;
      merge(values, forgotten);
      await flush();
    })
      .catch(() => {
        // Only a failing lock manager gets here; the next start or `online` tries again.
      })
      .finally(() => {
        resending = false;
      });
  };

  const onOnline = () => {
    if (disposed) return;
    if (retrying && offline) {
      disarm();
      retrying = false;
      failures = 0;
      void flush();
    }
    resend();
  };

  /** The longest run of `entries` from the start that fits one body. */
  const chunkOf = (entries: Entry[]): Chunk => {
    const taken: Entry[] = [];
    let bytes = envelopeBytes;
    for (const entry of entries) {
      const extra = entry.bytes + (taken.length > 0 ? 1 : 0);
      if (taken.length === maxBatchEvents || bytes + extra > maxBodyBytes) break;
      taken.push(entry);
      bytes += extra;
    }
    // Byte for byte what JSON.stringify({ v: 1, events }) gives, from the strings already measured.
    return { entries: taken, body: BODY_START + taken.map((entry) => entry.json).join(',') + BODY_END };
  };

  const retryLater = (retryAfterMs?: number, networkError = false) => {
    offline = networkError;
    const backoff = random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** failures);
    failures += 1;
    retrying = true;
    arm(Math.min(MAX_TIMER_MS, Math.max(retryAfterMs ?? 0, backoff)), () => {
      retrying = false;
      void flush();
    });
  };

  /** Posts one chunk and acts on the answer; false when the chunk waits for a retry. */
  const post = async ({ entries, body }: Chunk): Promise<boolean> => {
    const ids = entries.map((entry) => entry.event.id);
    for (const id of ids) inFlight.add(id);
    try {
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body,
        keepalive: true,
        credentials,
      });
      const { status } = response;
      if (status === 408 || status === 429 || status >= 500) {
        retryLater(
          status === 429 || status === 503 ? retryAfterMs(response.headers.get('Retry-After'), now()) : undefined,
        );
        return false;
      }
      if (status >= 400) {
        settle(new Set(ids));
        report({ code: 'events-refused', status, count: ids.length });
        failures = 0;
        return true;
      }
      const result: unknown = await response.json().catch(() => undefined);
      const check = validateEventBatchResult(result);
      if (!check.ok) {
        report({ code: 'invalid-result', status, path: check.path, message: check.message });
        // Resending is safe, the collector de-duplicates; dropping could lose events it never stored.
        retryLater();
        return false;
      }
      const { accepted, duplicates, rejected } = result as EventBatchResult;
      tell({ accepted, duplicates, rejected: rejected.flatMap(({ index }) => ids[index] ?? []) });
      const settled = new Set([...accepted, ...duplicates]);
      for (const { index } of rejected) {
        const id = ids[index];
        if (id !== undefined) settled.add(id);
      }
      settle(settled);
      if (rejected.length > 0) {
        report({ code: 'events-rejected', count: rejected.length, codes: rejected.map((r) => r.code) });
      }
      // The collector must account for every event; one it did not name is not stored yet.
      if (ids.some((id) => !settled.has(id))) {
        retryLater();
        return false;
      }
      failures = 0;
      return true;
    } catch {
      // Network error, or the answer was lost on the way: the collector may have stored the events, and
      // de-duplicates them when they come again.
      retryLater(undefined, true);
      return false;
    } finally {
      for (const id of ids) inFlight.delete(id);
    }
  };

  const drain = async () => {
    while (requested && !retrying && !disposed) {
      requested = false;
      disarm();
      // This round sends what waits now; events added meanwhile wait for their own batch.
      const round = new Set(waiting().map((entry) => entry.event.id));
      for (;;) {
        const chunk = chunkOf(waiting().filter((entry) => round.has(entry.event.id)));
        if (chunk.entries.length === 0 || disposed) break;
        for (const entry of chunk.entries) round.delete(entry.event.id);
        if (!(await post(chunk))) break;
      }
    }
  };

  const unload = async () => {
    const fallbacks: Promise<boolean>[] = [];
    let pending = waiting();
    while (pending.length > 0) {
      const chunk = chunkOf(pending);
      pending = pending.slice(chunk.entries.length);
      if (beacon(chunk.body)) {
        // The browser has queued it and sends it even if the page is gone; whether it arrives only a later resend
        // from the store can tell, so the events leave memory but not the store.
        const sent = new Set(chunk.entries.map((entry) => entry.event.id));
        queue = queue.filter((entry) => !sent.has(entry.event.id));
        handedOff = true;
        tell({ beaconed: [...sent] });
      } else {
        // sendBeacon refuses what exceeds its quota; a keepalive fetch started in this task may still get through.
        fallbacks.push(post(chunk));
      }
    }
    await Promise.all(fallbacks);
  };

  const beacon = (body: string): boolean => {
    if (!sendBeacon) return false;
    try {
      return sendBeacon(url, body);
    } catch {
      return false;
    }
  };

  const flush = (mode: FlushMode = FLUSH_MODES.normal): Promise<void> => {
    if (disposed) return Promise.resolve();
    if (mode === FLUSH_MODES.unload) return unload();
    if (retrying) return Promise.resolve();
    if (handedOff) {
      // The page is back after a hide: confirm what went by beacon before it piles up in the store.
      handedOff = false;
      resend();
    }
    requested = true;
    draining ??= drain().finally(() => {
      draining = undefined;
    });
    return draining;
  };

  const outbox: Outbox = {
    add(event) {
      if (disposed) return;
      const entry = toEntry(event);
      if (!entry) return;
      queue.push(entry);
      remember(entry.event);
      trim();
      if (retrying) return;
      if (waiting().length >= maxBatchEvents) void flush();
      else if (!timer) arm(flushDelayMs, () => void flush());
    },
    flush,
    get size() {
      return queue.length;
    },
    dispose() {
      disposed = true;
      disarm();
      options.win?.removeEventListener('online', onOnline);
    },
  };
  options.win?.addEventListener('online', onOnline);
  resend();
  return outbox;
}

const isEvent = (value: unknown): value is BeaconEvent =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as BeaconEvent).id === 'string' &&
  typeof (value as BeaconEvent).ts === 'number';

/** `Retry-After` in milliseconds from `nowMs`: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

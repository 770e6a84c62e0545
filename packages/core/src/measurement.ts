// What a page needs only once a slot shows something: event ids, the outbox and its page-hide flush, and the
// viewability tracker. createOpslot loads this module lazily, as soon as the first decision is on its way, so these
// bytes are fetched while the creative's image loads instead of before the first creative.
import { rememberClick } from './attribution.js';
import type { OpslotConfig } from './config.js';
import type { SlotOutcome } from './decision-batcher.js';
import { decisionEvents } from './decision-events.js';
import { endpointUrl } from './endpoint-url.js';
import { createEventId } from './event-id.js';
import { observeViewability } from './observe-viewability.js';
import { onPageHide } from './on-page-hide.js';
import { createOutbox, type OutboxDelivery, type OutboxDiagnostic } from './outbox.js';
import { createOutboxStore, type OutboxStore } from './outbox-store.js';
import type { BeaconEvent, ViewabilityMethod } from './protocol.js';

export interface MeasurementOptions {
  win: Window;
  /** The collector's `…/events` URL. */
  endpoint: URL;
  fetch: typeof fetch;
  onDiagnostic?: ((diagnostic: OutboxDiagnostic) => void) | undefined;
  /**
   * Whose persisted outbox this page shares: the operator key and the channel, `${operator ?? 'anonymous'}:${channel}`.
   * Events persisted under one namespace are only ever sent by a page of the same one. Absent, nothing is persisted.
   */
  namespace?: string | undefined;
  /** Where undelivered events survive the page; defaults to IndexedDB ({@link createOutboxStore}). */
  store?: OutboxStore | undefined;
  /** Where decisions, events and deliveries are noted for the debug overlay (the latest {@link JOURNAL_KEPT}). */
  journal?: JournalEntry[] | undefined;
}

/** What the debug overlay shows of the page's measurement, newest last. `at` is epoch ms. */
export type JournalEntry = { at: number } & (
  | { kind: 'decision'; slotId: string; outcome: SlotOutcome }
  | { kind: 'event'; event: BeaconEvent }
  | ({ kind: 'delivery' } & OutboxDelivery)
);

/** Journal entries kept: enough for every slot of a page and a few minutes of its events. */
export const JOURNAL_KEPT = 500;

/** A page session's measurement: one outbox, flushed when the page is hidden, and viewability trackers. */
export interface Measurement {
  /** Queues an event; its id is given now and kept across retries. A click is also remembered for conversions. */
  track(event: Omit<BeaconEvent, 'id'>): void;
  /** Queues the events of one slot's decision (see {@link decisionEvents}). */
  decided(slotId: string, outcome: SlotOutcome, askedAt: number, page: Pick<BeaconEvent, 'channel' | 'pageId'>): void;
  observeViewability(element: Element, onViewable: (method: ViewabilityMethod) => void): () => void;
  flush(): Promise<void>;
  /** Stops listening to the page and stops sending, e.g. before a new measurement for another operator. */
  dispose(): void;
}

/**
 * Starts a page session's measurement. With a `namespace`, events not yet delivered are persisted, and those an
 * earlier page view of the namespace left behind are sent now.
 *
 * @example
 * const measurement = createMeasurement({ win: window, endpoint, fetch, namespace: 'op-1234abcd:corporate-web' });
 */
export function createMeasurement(options: MeasurementOptions): Measurement {
  const { win, endpoint, fetch, onDiagnostic, namespace, journal } = options;
  const note = (entry: JournalEntry) => {
    if (!journal) return;
    journal.push(entry);
    if (journal.length > JOURNAL_KEPT) journal.splice(0, journal.length - JOURNAL_KEPT);
  };
  const outbox = createOutbox({
    endpoint,
    fetch,
    sendBeacon: (url, body) => win.navigator.sendBeacon(url, body),
    onDiagnostic,
    onDelivery: (delivery) => note({ at: Date.now(), kind: 'delivery', ...delivery }),
    win,
    namespace,
    store: namespace === undefined ? undefined : (options.store ?? createOutboxStore()),
  });
  const stop = onPageHide(win, () => void outbox.flush('unload'));
  const track = (event: Omit<BeaconEvent, 'id'>) => {
    if (event.type === 'click') rememberClick(event);
    const identified = { ...event, id: createEventId() };
    outbox.add(identified);
    note({ at: Date.now(), kind: 'event', event: identified });
    // Tracked while the page is hidden (the vitals web-vitals reports on hide, after the hide's own flush): the
    // page may not come back, so the event goes to the browser's beacon queue at once.
    if (win.document.visibilityState === 'hidden') void outbox.flush('unload');
  };
  return {
    track,
    decided: (slotId, outcome, askedAt, page) => {
      note({ at: Date.now(), kind: 'decision', slotId, outcome });
      for (const event of decisionEvents(slotId, outcome, askedAt, page)) track(event);
    },
    observeViewability: (element, onViewable) => observeViewability(element, { onViewable }),
    flush: () => outbox.flush(),
    dispose() {
      stop();
      outbox.dispose();
    },
  };
}

export interface SessionMeasurementOptions {
  win: Window;
  fetch: typeof fetch;
  onDiagnostic?: ((diagnostic: OutboxDiagnostic) => void) | undefined;
  /** The page session's configuration as it is now. */
  config: () => OpslotConfig | undefined;
  /** Draws whether this page view reports its vitals; default `Math.random`. */
  random?: () => number;
}

/** The measurement of a page session, whose operator may change (a logout, a switch on a shared terminal). */
export type SessionMeasurement = Pick<Measurement, 'track' | 'observeViewability' | 'flush'> & {
  /** Queues the events of one slot's decision (see {@link decisionEvents}). */
  decided(slotId: string, outcome: SlotOutcome, askedAt: number): void;
  /** The page's decisions, events and deliveries so far (the latest {@link JOURNAL_KEPT}), for the debug overlay. */
  readonly journal: readonly JournalEntry[];
  /** When (epoch ms) each slot last had a decision that was not an error, noted as it was handed over: refresh()'s pace. */
  readonly decidedAt: ReadonlyMap<string, number>;
};

/**
 * The measurement a page session hands its events to. It keeps one {@link createMeasurement} per operator and
 * channel: when the configuration names another operator, what the previous one left is sent and its measurement
 * stops, so one operator's events are never queued under another's.
 */
export function createSessionMeasurement({
  config,
  random = Math.random,
  ...options
}: SessionMeasurementOptions): SessionMeasurement {
  let current: { namespace: string; measurement: Measurement } | undefined;
  let vitalsDrawn = false;
  // One journal for the page, whichever operator each entry was measured for.
  const journal: JournalEntry[] = [];
  const decidedAt = new Map<string, number>();
  const forNow = () => {
    const page = config();
    if (!page) return undefined;
    const namespace = `${page.operator ?? 'anonymous'}:${page.channel}`;
    if (current?.namespace !== namespace) {
      const previous = current?.measurement;
      void previous?.flush().finally(() => previous.dispose());
      const endpoint = endpointUrl(page.endpoint, 'events');
      current = { namespace, measurement: createMeasurement({ ...options, endpoint, namespace, journal }) };
    }
    return { page, measurement: current.measurement };
  };
  // Once the first creative has rendered, and for the sampled share of page views only, the web-vitals code loads.
  const reportVitals = () => {
    vitalsDrawn = true;
    if (random() >= (config()?.vitalsSampleRate ?? 0)) return;
    import('./web-vitals-report.js').then(
      (loaded) =>
        loaded.reportWebVitals((vital) => {
          const page = config();
          if (page)
            forNow()?.measurement.track({ ...vital, ts: Date.now(), channel: page.channel, pageId: page.pageId });
        }, options.win.document),
      // Without its code, the page simply reports no vitals.
      () => {},
    );
  };
  return {
    track(event) {
      forNow()?.measurement.track(event);
      if (event.type === 'render' && !vitalsDrawn) reportVitals();
    },
    decided(slotId, outcome, askedAt) {
      if (outcome.kind !== 'error') decidedAt.set(slotId, Date.now());
      const now = forNow();
      now?.measurement.decided(slotId, outcome, askedAt, { channel: now.page.channel, pageId: now.page.pageId });
    },
    observeViewability: (element, onViewable) =>
      forNow()?.measurement.observeViewability(element, onViewable) ?? (() => {}),
    flush: async () => current?.measurement.flush(),
    journal,
    decidedAt,
  };
}

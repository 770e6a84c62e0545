// What a page needs only once a slot shows something: event ids, the outbox and its page-hide flush, and the
// viewability tracker. createOpslot loads this module lazily, as soon as the first decision is on its way, so these
// bytes are fetched while the creative's image loads instead of before the first creative.
import { createEventId } from './event-id.js';
import { observeViewability } from './observe-viewability.js';
import { onPageHide } from './on-page-hide.js';
import { createOutbox, type OutboxDiagnostic } from './outbox.js';
import type { BeaconEvent, ViewabilityMethod } from './protocol.js';

export interface MeasurementOptions {
  win: Window;
  /** The collector's `…/events` URL. */
  endpoint: URL;
  fetch: typeof fetch;
  onDiagnostic?: ((diagnostic: OutboxDiagnostic) => void) | undefined;
}

/** A page session's measurement: one outbox, flushed when the page is hidden, and viewability trackers. */
export interface Measurement {
  /** Queues an event; its id is given now and kept across retries. */
  track(event: Omit<BeaconEvent, 'id'>): void;
  observeViewability(element: Element, onViewable: (method: ViewabilityMethod) => void): () => void;
  flush(): Promise<void>;
}

export function createMeasurement({ win, endpoint, fetch, onDiagnostic }: MeasurementOptions): Measurement {
  const outbox = createOutbox({
    endpoint,
    fetch,
    sendBeacon: (url, body) => win.navigator.sendBeacon(url, body),
    onDiagnostic,
  });
  onPageHide(win, () => void outbox.flush('unload'));
  return {
    track: (event) => outbox.add({ ...event, id: createEventId() }),
    observeViewability: (element, onViewable) => observeViewability(element, { onViewable }),
    flush: () => outbox.flush(),
  };
}

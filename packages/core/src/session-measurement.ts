import type { Opslot, TrackedEvent } from './create-opslot.js';
import type { ViewabilityMethod } from './protocol.js';

// What the code that reports (the formats' reporter, the page API's conversion()) asks of a page session's
// measurement. It lives with that code, in lazy chunks, rather than in the session: the SDK's entry carries none of it.

/**
 * Queues an event of the session for the collector, with the time it happens (now, not when the measurement code has
 * arrived), the session's channel and page. Dropped when the session has no valid configuration.
 *
 * @example
 * trackEvent(session, { type: 'conversion', name: 'loan-application-submitted', ...lastClick() });
 */
export function trackEvent(session: Pick<Opslot, 'config' | 'measurement'>, event: TrackedEvent): void {
  const { config } = session;
  if (!config) return;
  const happened = { ...event, ts: Date.now(), channel: config.channel, pageId: config.pageId };
  // A session's measurement() that rejects (a custom session's) must not become the page's unhandled rejection.
  void session
    .measurement()
    .then((measurement) => measurement?.track(happened))
    .catch(() => {});
}

/**
 * Watches a shown creative until it makes a viewable exposure (MRC: ≥50 % of its pixels, one continuous second,
 * visible focused tab), then calls back once. Returns a function that stops watching: called before the measurement
 * code has arrived, the watch stops as soon as it starts, long before the one continuous second an exposure takes.
 */
export function observeViewable(
  session: Pick<Opslot, 'measurement'>,
  element: Element,
  onViewable: (method: ViewabilityMethod) => void,
): () => void {
  const stop = session
    .measurement()
    .then((measurement) => measurement?.observeViewability(element, onViewable))
    .catch(() => undefined);
  return () => void stop.then((stopWatching) => stopWatching?.());
}

export interface NearViewportOptions {
  /** Whether an element already near calls back before the next frame; default false. */
  lookNow?: boolean;
  win?: (Window & typeof globalThis) | null;
}

/**
 * Calls `onNear` once, when `element` comes within `marginPercent` % of the viewport's height above or below it
 * (IntersectionObserver `rootMargin: '<m>% 0px'`), as Google Publisher Tag's lazy loading does.
 *
 * Each call has an observer of its own: browsers compute all intersections in one pass per frame whatever the
 * number of observers, and a page has tens of slots, not thousands, so sharing one would buy nothing worth its code.
 * Observe only laid-out elements: one with `display: none` never intersects, so it would wait for ever. In a
 * cross-origin iframe the browser ignores the margin, so the element is near only once it is in view. Where there
 * is no IntersectionObserver (Android WebView before 51, iOS before 12.2), or the margin is one the browser refuses,
 * `onNear` is called at once: a slot shown early beats a slot never shown. `onNear` is always called
 * asynchronously, and never after `stop`.
 *
 * An observer reports only after the next frame has been laid out and painted. With `lookNow`, an element already
 * near is found before that frame, by a layout read in a microtask. Elements observed together (a page's slots,
 * upgraded in one go) are read in consecutive microtasks: the first read lays the page out, the next ones find it
 * laid out. Their place on the page must be final by then: a slot reserves its space in its first update, which
 * runs before its look (both are microtasks, queued in that order as it connects).
 *
 * @param options.win Default the element's window.
 * @returns `stop`, which disconnects the observer.
 * @example
 * const stop = observeNearViewport(slot, config.lazyLoad.fetchMarginPercent, () => requestDecision(slot));
 */
export function observeNearViewport(
  element: Element,
  marginPercent: number,
  onNear: () => void,
  { lookNow, win = element.ownerDocument.defaultView }: NearViewportOptions = {},
): () => void {
  let done = false;
  let observer: IntersectionObserver | undefined;
  const stop = () => {
    done = true;
    observer?.disconnect();
  };
  const near = () => {
    if (done) return;
    stop();
    onNear();
  };
  if (lookNow) {
    queueMicrotask(() => {
      const viewport = win?.innerHeight ?? 0;
      const margin = (viewport * marginPercent) / 100;
      const { top, bottom, width, height } = element.getBoundingClientRect();
      // Not laid out (display: none, or out of the document): never near.
      if ((width || height) && bottom >= -margin && top <= viewport + margin) near();
    });
  }
  try {
    observer = new (win as Window & typeof globalThis).IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) queueMicrotask(near);
      },
      { rootMargin: `${marginPercent}% 0px` },
    );
    observer.observe(element);
  } catch {
    queueMicrotask(near);
  }
  return stop;
}

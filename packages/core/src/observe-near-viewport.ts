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
 * @param win Default the element's window.
 * @returns `stop`, which disconnects the observer.
 * @example
 * const stop = observeNearViewport(slot, config.lazyLoad.fetchMarginPercent, () => requestDecision(slot));
 */
export function observeNearViewport(
  element: Element,
  marginPercent: number,
  onNear: () => void,
  win: (Window & typeof globalThis) | null = element.ownerDocument.defaultView,
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

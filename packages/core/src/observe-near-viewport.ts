/**
 * Calls `onNear` once, when `element` comes within `marginPercent` % of the viewport's height above or below it
 * (IntersectionObserver `rootMargin: '<m>% 0px'`), as Google Publisher Tag's lazy loading does.
 *
 * Each call has an observer of its own: browsers compute all intersections in one pass per frame whatever the
 * number of observers, and a page has tens of slots, not thousands, so sharing one would buy nothing worth its code.
 * Observe only laid-out elements: one with `display: none` never intersects, so it would wait for ever. In a
 * cross-origin iframe the browser ignores the margin, so the element is near only once it is in view. Where there
 * is no IntersectionObserver (Android WebView before 51, iOS before 12.2), or the margin is one the browser refuses,
 * `onNear` is called at once: a slot shown early beats a slot never shown. An element already near when it is
 * observed is found before the next frame, in one layout read for all elements observed together. `onNear` is
 * always called asynchronously, and never after `stop`.
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
  lookBeforeTheFrame(element, marginPercent, near);
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

/** Elements waiting for the one layout read that tells which of them are near already. */
const firstLook = new Map<Element, { marginPercent: number; near: () => void }>();

/**
 * Calls `near` in a microtask if `element` is within the margin now. An IntersectionObserver reports only after the
 * next frame is laid out and painted; a slot already in view need not wait for that to ask for its creative (the
 * time to the first creative, `pnpm bench`). The elements observed together are read together, after they all
 * have been, so the page is laid out once for all of them, not once each.
 */
function lookBeforeTheFrame(element: Element, marginPercent: number, near: () => void): void {
  if (firstLook.size === 0) {
    queueMicrotask(() => {
      const looks = [...firstLook];
      firstLook.clear();
      for (const [looked, look] of looks) {
        const viewport = looked.ownerDocument.defaultView?.innerHeight ?? 0;
        const margin = (viewport * look.marginPercent) / 100;
        const { top, bottom, width, height } = looked.getBoundingClientRect();
        // Not laid out (display: none, or out of the document): never near.
        if ((width || height) && bottom >= -margin && top <= viewport + margin) look.near();
      }
    });
  }
  firstLook.set(element, { marginPercent, near });
}

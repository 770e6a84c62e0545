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
 * near is found before that frame, by a layout read two microtasks later: one in view only where a hit test at its
 * centre finds it (not beside the viewport, cut off by an ancestor, nor covered), so that the look does not show
 * what nobody can see; one out of view by its box alone, a hit test cannot reach it there. A slot reserves its space
 * in its first update, a microtask queued as it connects: slots connected together (a page's slots, upgraded in one
 * go) have all run their first updates before the first of them looks, so the page is laid out once for all of
 * them, and in its final place.
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
  if (lookNow && win) {
    // Two hops: every slot connected in the same go has queued its first update before this look's second hop, so
    // all of them reserve their space before any of them reads, and the page is laid out once, not once per slot.
    queueMicrotask(() =>
      queueMicrotask(() => {
        const viewport = win.innerHeight;
        const margin = (viewport * marginPercent) / 100;
        const { x, y, width, height } = element.getBoundingClientRect();
        const middle = y + height / 2;
        // Within the margin but out of view, the box says it. In view, only a centre that is hit says so: an element
        // beside the viewport (a carousel's panel off to the right), cut off by an ancestor (a collapsed section, a
        // carousel's window), not laid out or covered is left to the observer, which never finds less.
        if (
          y + height >= -margin &&
          y <= viewport + margin &&
          (middle < 0 || middle > viewport || element.contains(win.document.elementFromPoint(x + width / 2, middle)))
        ) {
          near();
        }
      }),
    );
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

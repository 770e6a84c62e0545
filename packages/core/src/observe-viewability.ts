import type { ViewabilityMethod } from './protocol.js';
import {
  initialViewability,
  msUntilViewable,
  nextViewability,
  VIEWABILITY_STATUS,
  type ViewabilityInput,
} from './viewability.js';

export interface ObserveViewabilityOptions {
  /** Called once, when the creative has become viewable; observation stops before the call. */
  onViewable: (method: ViewabilityMethod) => void;
  /** Window whose viewport, visibility and focus count; defaults to the element's own window. */
  win?: Window & typeof globalThis;
  /** Monotonic clock in milliseconds; defaults to `win.performance.now`. */
  now?: () => number;
}

// IntersectionObserver v2 (https://w3c.github.io/IntersectionObserver/v2/) is not in TypeScript's DOM lib yet.
interface IntersectionObserverV2Init extends IntersectionObserverInit {
  trackVisibility?: boolean;
  delay?: number;
}
interface IntersectionObserverV2Entry extends IntersectionObserverEntry {
  readonly isVisible?: boolean;
}

/** Both viewability thresholds (30 % for large creatives, 50 % otherwise), plus leaving and filling the viewport. */
const THRESHOLDS = [0, 0.3, 0.5, 1];
/** The smallest `delay` IntersectionObserver v2 accepts with `trackVisibility`. */
const IO2_DELAY_MS = 100;

/**
 * Watches `element` and calls `onViewable` once it has been viewable by the MRC rule (see `viewability.ts`):
 * fed by an IntersectionObserver, the page's `visibilitychange` and the window's `focus`/`blur`.
 *
 * Uses IntersectionObserver v2 (`trackVisibility`, which also reports the creative hidden under another element
 * or made transparent) where the browser has it, reported as method `io2`; elsewhere v1, reported as `io1`.
 * Where there is no IntersectionObserver at all, nothing is ever reported viewable.
 *
 * @returns `stop`, which releases the observer, the listeners and the timer; the callback is not called after it.
 * @example
 * const stop = observeViewability(slotElement, { onViewable: (method) => outbox.add(viewableEvent(method)) });
 */
export function observeViewability(element: Element, options: ObserveViewabilityOptions): () => void {
  const win = options.win ?? element.ownerDocument.defaultView;
  // Android WebView before 51 and iOS before 12.2 have no IntersectionObserver; a bank's app may still embed one.
  if (!win?.IntersectionObserver) return () => {};
  const { onViewable } = options;
  const now = options.now ?? (() => win.performance.now());
  const doc = win.document;
  const method: ViewabilityMethod = 'isVisible' in win.IntersectionObserverEntry.prototype ? 'io2' : 'io1';

  // The first intersection entry brings the element's size; reading it here would force a layout.
  let state = initialViewability({ width: 0, height: 0 });
  let timer: number | undefined;
  let stopped = false;

  const stop = () => {
    stopped = true;
    observer.disconnect();
    doc.removeEventListener('visibilitychange', onVisibilityChange);
    win.removeEventListener('focus', onFocus);
    win.removeEventListener('blur', onBlur);
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
  };

  const feed = (input: ViewabilityInput) => {
    if (stopped) return;
    const t = now();
    state = nextViewability(state, input, t);
    if (state.status === VIEWABILITY_STATUS.viewable) {
      stop();
      onViewable(method);
      return;
    }
    if (timer !== undefined) win.clearTimeout(timer);
    const ms = msUntilViewable(state, t);
    timer = ms === undefined ? undefined : win.setTimeout(onTimer, ms);
  };
  const onTimer = () => {
    timer = undefined;
    feed({ type: 'tick' });
  };
  const onVisibilityChange = () => feed({ type: 'page-visibility', visible: doc.visibilityState === 'visible' });
  const onFocus = () => feed({ type: 'focus', focused: true });
  const onBlur = () => feed({ type: 'focus', focused: false });

  const init: IntersectionObserverV2Init = { threshold: THRESHOLDS };
  if (method === 'io2') {
    init.trackVisibility = true;
    init.delay = IO2_DELAY_MS;
  }
  const observer = new win.IntersectionObserver((entries) => {
    for (const entry of entries as IntersectionObserverV2Entry[]) {
      const { width, height } = entry.boundingClientRect;
      feed({
        type: 'intersection',
        ratio: entry.intersectionRatio,
        isVisible: entry.isVisible,
        size: { width, height },
      });
    }
  }, init);

  doc.addEventListener('visibilitychange', onVisibilityChange);
  win.addEventListener('focus', onFocus);
  win.addEventListener('blur', onBlur);
  feed({ type: 'page-visibility', visible: doc.visibilityState === 'visible' });
  feed({ type: 'focus', focused: doc.hasFocus() });
  observer.observe(element);
  return stop;
}

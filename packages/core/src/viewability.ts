/**
 * The MRC display viewability rule as a pure state machine: a creative is viewable once at least 50 % of its
 * pixels (30 % for a creative of 242,500 px² or more) have been in view of a visible, focused tab for one
 * continuous second. Time is an input, so the rule is tested without timers; `observeViewability` feeds it.
 *
 * Source: MRC Viewable Ad Impression Measurement Guidelines (2014), display ads, with its large-ad rule for
 * 242,500 px² (970×250) and above.
 */

export const VIEWABILITY_STATUS = {
  /** The conditions do not hold now. */
  measuring: 'measuring',
  /** The conditions hold since `since`; viewable when they still hold one second later. */
  counting: 'counting',
  /** Final: one viewable exposure per render. */
  viewable: 'viewable',
} as const;
export type ViewabilityStatus = (typeof VIEWABILITY_STATUS)[keyof typeof VIEWABILITY_STATUS];

/** How long the conditions must hold without interruption, in milliseconds. */
const VIEWABLE_DURATION_MS = 1000;
/** Creatives of at least this many CSS px² need only {@link LARGE_AREA_THRESHOLD} of their pixels in view. */
const LARGE_AREA_PX = 242_500;
const AREA_THRESHOLD = 0.5;
const LARGE_AREA_THRESHOLD = 0.3;

export interface Area {
  width: number;
  height: number;
}

export interface ViewabilityState {
  readonly status: ViewabilityStatus;
  /** Creative area in CSS px². */
  readonly area: number;
  /** Share of pixels that must be in view: 0.5, or 0.3 for large creatives. */
  readonly threshold: number;
  /** Last reported share of pixels in view, 0–1. */
  readonly ratio: number;
  /** False when IntersectionObserver v2 reports the creative occluded or visually altered. */
  readonly unobscured: boolean;
  readonly pageVisible: boolean;
  readonly focused: boolean;
  /** When the conditions started to hold (status `counting`) or the exposure became viewable (`viewable`). */
  readonly since?: number;
}

export type ViewabilityInput =
  /** An IntersectionObserver entry; `isVisible` only from v2, `size` when the creative's box is known. */
  | { type: 'intersection'; ratio: number; isVisible?: boolean; size?: Area }
  | { type: 'page-visibility'; visible: boolean }
  | { type: 'focus'; focused: boolean }
  /** Time passed; sent when {@link msUntilViewable} says the second may be complete. */
  | { type: 'tick' };

/**
 * The state of a creative just rendered: nothing in view yet. Page visibility and focus start as true; the
 * controller reports the real ones right away.
 *
 * @example
 * let state = initialViewability({ width: 300, height: 250 });
 */
export function initialViewability(size: Area): ViewabilityState {
  const area = areaOf(size);
  return {
    status: VIEWABILITY_STATUS.measuring,
    area,
    threshold: thresholdFor(area),
    ratio: 0,
    unobscured: true,
    pageVisible: true,
    focused: true,
  };
}

/**
 * The state after `input` arrived at `nowMs` (any monotonic clock, the same for every call). Any interruption
 * restarts the second; once viewable the state never changes again.
 *
 * @example
 * state = nextViewability(state, { type: 'intersection', ratio: 0.6 }, performance.now());
 * if (state.status === VIEWABILITY_STATUS.viewable) report();
 */
export function nextViewability(state: ViewabilityState, input: ViewabilityInput, nowMs: number): ViewabilityState {
  if (state.status === VIEWABILITY_STATUS.viewable) return state;
  // The conditions held until this input arrived, so a late tick or a late interruption still counts the second.
  const elapsed = completed(state, nowMs);
  if (elapsed) return elapsed;
  const next = apply(state, input);
  if (!conditionsHold(next)) return { ...next, status: VIEWABILITY_STATUS.measuring, since: undefined };
  if (next.status === VIEWABILITY_STATUS.counting) return next;
  return { ...next, status: VIEWABILITY_STATUS.counting, since: nowMs };
}

/**
 * Milliseconds from `nowMs` until the creative becomes viewable if nothing interrupts it, or undefined when it is
 * not counting. The controller sends a `tick` after that long.
 *
 * @example
 * const ms = msUntilViewable(state, performance.now());
 * if (ms !== undefined) setTimeout(tick, ms);
 */
export function msUntilViewable(state: ViewabilityState, nowMs: number): number | undefined {
  if (state.status !== VIEWABILITY_STATUS.counting || state.since === undefined) return undefined;
  return Math.max(0, state.since + VIEWABLE_DURATION_MS - nowMs);
}

function apply(state: ViewabilityState, input: ViewabilityInput): ViewabilityState {
  switch (input.type) {
    case 'intersection': {
      const area = input.size ? areaOf(input.size) : state.area;
      return {
        ...state,
        area,
        threshold: thresholdFor(area),
        ratio: input.ratio,
        unobscured: input.isVisible ?? true,
      };
    }
    case 'page-visibility':
      return { ...state, pageVisible: input.visible };
    case 'focus':
      return { ...state, focused: input.focused };
    case 'tick':
      return state;
  }
}

function completed(state: ViewabilityState, nowMs: number): ViewabilityState | undefined {
  const ms = msUntilViewable(state, nowMs);
  if (ms !== 0 || state.since === undefined) return undefined;
  return { ...state, status: VIEWABILITY_STATUS.viewable, since: state.since + VIEWABLE_DURATION_MS };
}

function conditionsHold(state: ViewabilityState): boolean {
  // IntersectionObserver reports ratio 1 for an intersecting box of zero area (a slot not laid out yet):
  // that is no pixel in view.
  return state.area > 0 && state.ratio >= state.threshold && state.unobscured && state.pageVisible && state.focused;
}

function areaOf(size: Area): number {
  return Math.max(0, size.width) * Math.max(0, size.height);
}

function thresholdFor(area: number): number {
  return area >= LARGE_AREA_PX ? LARGE_AREA_THRESHOLD : AREA_THRESHOLD;
}

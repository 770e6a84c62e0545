// The page's Core Web Vitals, with what the slots had to do with them: whether the largest paint was a creative, how
// much of the layout shift came from slots, whether the slowest interaction was with a slot. A lazy chunk, loaded
// after the first creative has rendered, and only on the sampled share of page views (config.vitalsSampleRate).
import { type CLSMetric, type INPMetric, type LCPMetric, onCLS, onINP, onLCP } from 'web-vitals';
import type { BeaconEvent } from './protocol.js';

/** What a vital is reported as; the page session adds the id, time, channel and page. */
export type VitalEvent = Pick<BeaconEvent, 'type' | 'name' | 'value' | 'slotShift' | 'slotId'>;

/** The `<op-slot>` a node belongs to: itself, its light-DOM ancestor, or the host of the shadow tree it is in. */
export function slotOf(node: Node | null | undefined): Element | undefined {
  let current: Node | null | undefined = node;
  while (current) {
    if (current instanceof Element && current.localName === 'op-slot') return current;
    current = current.parentNode ?? (current instanceof ShadowRoot ? current.host : null);
  }
  return undefined;
}

const slotIdOf = (slot: Element | undefined) => {
  const id = slot?.getAttribute('slot-id');
  return id ? { slotId: id } : {};
};

/**
 * The slot whose creative is the largest contentful paint. Chromium does not expose elements inside a shadow tree
 * on LCP entries, so a creative is also recognised by its image's URL.
 */
export function lcpSlot(entry: LargestContentfulPaint | undefined, doc: Document): Element | undefined {
  if (!entry) return undefined;
  const direct = slotOf(entry.element);
  if (direct || !entry.url) return direct;
  for (const slot of doc.querySelectorAll('op-slot')) {
    for (const image of slot.shadowRoot?.querySelectorAll('img') ?? []) {
      if (image.currentSrc === entry.url || image.src === entry.url) return slot;
    }
  }
  return undefined;
}

/** The part of a CLS value whose shifts moved a slot or something inside one. */
export function slotShiftOf(entries: readonly LayoutShift[]): number {
  let total = 0;
  for (const entry of entries) {
    if (entry.sources.some((source) => slotOf(source.node))) total += entry.value;
  }
  return total;
}

/**
 * Reports LCP, CLS and INP once each is final (web-vitals reports when the page is hidden), through `report`.
 *
 * @example
 * reportWebVitals((event) => measurement.track({ ...event, ts: Date.now(), channel, pageId }), document);
 */
export function reportWebVitals(report: (event: VitalEvent) => void, doc: Document = document): void {
  onLCP((metric: LCPMetric) =>
    report({
      type: 'vital',
      name: 'lcp',
      value: Math.round(metric.value),
      ...slotIdOf(lcpSlot(metric.entries.at(-1), doc)),
    }),
  );
  onCLS((metric: CLSMetric) =>
    report({
      type: 'vital',
      name: 'cls',
      value: round(metric.value),
      slotShift: round(slotShiftOf(metric.entries)),
    }),
  );
  onINP((metric: INPMetric) => {
    const slowest = [...metric.entries].sort((a, b) => b.duration - a.duration)[0];
    report({ type: 'vital', name: 'inp', value: Math.round(metric.value), ...slotIdOf(slotOf(slowest?.target)) });
  });
}

/** Layout shift scores are small fractions; four decimals keep what matters and the beacon short. */
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The Layout Instability API's entry, not yet in TypeScript's DOM types. */
interface LayoutShift extends PerformanceEntry {
  value: number;
  sources: { node: Node | null }[];
}

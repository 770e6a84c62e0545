import type { BeaconEvent } from './protocol.js';

/** The creative a conversion is attributed to. */
export type Attribution = Pick<BeaconEvent, 'decisionId' | 'slotId' | 'creativeId' | 'campaignId' | 'advertiserId'>;

// Kept for the tab (sessionStorage), not for the site: a conversion is credited to what the operator clicked in
// this visit, and nothing of it outlives the browser session.
const LAST_CLICK_KEY = 'opslot:v1:last-click';

/** Remembers a click as what this tab's next conversion is credited to. Silent when storage is off. */
export function rememberClick(click: Attribution, storage: Storage | undefined = globalThis.sessionStorage): void {
  const { decisionId, slotId, creativeId, campaignId, advertiserId } = click;
  try {
    storage?.setItem(LAST_CLICK_KEY, JSON.stringify({ decisionId, slotId, creativeId, campaignId, advertiserId }));
  } catch {
    // Storage off or full: conversions go uncredited rather than the page breaking.
  }
}

/**
 * What the tab's operator last clicked, as far as it can be trusted: only the expected fields, only id-shaped
 * strings (the storage is the page's, so anything may be in it).
 */
export function lastClick(storage: Storage | undefined = globalThis.sessionStorage): Attribution {
  const attribution: Attribution = {};
  try {
    const stored: unknown = JSON.parse(storage?.getItem(LAST_CLICK_KEY) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return attribution;
    for (const key of ['decisionId', 'slotId', 'creativeId', 'campaignId', 'advertiserId'] as const) {
      const value = Object.hasOwn(stored, key) ? (stored as Record<string, unknown>)[key] : undefined;
      if (typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/.test(value)) attribution[key] = value;
    }
  } catch {
    // Unreadable or malformed: no attribution.
  }
  return attribution;
}

/**
 * The CDN bundle, `/sdk/opslot.js`: one `<script type="module">` defines `<op-slot>` and reads the page's
 * `#opslot-config` block. Modules on the page can import these functions from it; classic scripts find them on
 * `window.opslot`. What pages call only after the first creative loads its code on first use.
 */
import './define.js';
import { configure } from './page-session.js';

/**
 * New decisions for the page's slots (all, or those named), each at most once per 30 seconds unless `force`.
 * Resolves with the ids of the slots it refreshed.
 */
export async function refresh(slotIds?: readonly string[], options?: { force?: boolean }): Promise<string[]> {
  return (await import('./slot-actions.js')).refresh(slotIds, options);
}

/**
 * The operator's switch to non-personalised content (PIPL Art. 24), remembered for the site; every slot shows new
 * content at once.
 */
export async function setPersonalized(personalized: boolean): Promise<void> {
  (await import('./slot-actions.js')).setPersonalized(personalized);
}

export { configure };

declare global {
  interface Window {
    opslot?: { configure: typeof configure; refresh: typeof refresh; setPersonalized: typeof setPersonalized };
  }
}

window.opslot ??= { configure, refresh, setPersonalized };

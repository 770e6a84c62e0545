/**
 * The CDN bundle, `/sdk/opslot.js`: one `<script type="module">` defines `<op-slot>` and reads the page's
 * `#opslot-config` block. Modules on the page can import these functions from it; classic scripts find them on
 * `window.opslot`. What pages call only after the first creative loads its code on first use, so it answers with
 * a promise.
 */
import type { Attribution } from '@opslot/core';
import './define.js';
import { configure } from './page-session.js';

/** The code behind refresh, setPersonalized and conversion, loaded on first use. */
const slotActions = () => import('./slot-actions.js');

/** New decisions for the page's slots (all, or those named), each at most once per 30 seconds unless `force`. */
export async function refresh(slotIds?: readonly string[], options?: { force?: boolean }): Promise<string[]> {
  return (await slotActions()).refresh(slotIds, options);
}

/** The operator's switch to non-personalised content (PIPL Art. 24), remembered for the site. */
export async function setPersonalized(personalized: boolean): Promise<void> {
  (await slotActions()).setPersonalized(personalized);
}

/** Reports a conversion, credited to the creative last clicked in this tab unless `attribution` says which. */
export async function conversion(name: string, attribution?: Attribution): Promise<void> {
  (await slotActions()).conversion(name, attribution);
}

export { configure };

declare global {
  interface Window {
    opslot?: {
      configure: typeof configure;
      conversion: typeof conversion;
      refresh: typeof refresh;
      setPersonalized: typeof setPersonalized;
    };
  }
}

window.opslot ??= { configure, conversion, refresh, setPersonalized };

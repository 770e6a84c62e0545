/**
 * The CDN bundle, `/sdk/opslot.js`: one `<script type="module">` defines `<op-slot>` and reads the page's
 * `#opslot-config` block. Modules on the page can import these functions from it; classic scripts find them on
 * `window.opslot`. What pages call only after the first creative loads its code on first use, so it answers with
 * a promise.
 */
import './define.js';
import { configure } from './page-session.js';

type Actions = typeof import('./slot-actions.js');

/** An action of `./slot-actions.js`, whose code loads on its first call; so it answers with a promise. */
const lazy =
  <Name extends keyof Actions>(name: Name) =>
  async (...args: Parameters<Actions[Name]>): Promise<Awaited<ReturnType<Actions[Name]>>> =>
    // biome-ignore lint/suspicious/noExplicitAny: `args` are the parameters of `name`'s own function.
    ((await import('./slot-actions.js'))[name] as (...args: any[]) => any)(...args);

/** New decisions for the page's slots (all, or those named), each 30 seconds after its latest unless `force`. */
export const refresh = lazy('refresh');
/** The operator's switch to non-personalised content (PIPL Art. 24), remembered for the site. */
export const setPersonalized = lazy('setPersonalized');
/** Reports a conversion, credited to the creative last clicked in this tab unless `attribution` says which. */
export const conversion = lazy('conversion');
/** The operator now at the terminal (an opaque key); their ledger and events from now on. */
export const setOperator = lazy('setOperator');
/** Logout: later requests are anonymous, and the operator's frequency ledger is forgotten on every channel. */
export const clearOperator = lazy('clearOperator');
/** QA's debug overlay: on, off, or toggled. Also `?opslot_debug=1` on the page's URL, and Alt+Shift+D. */
export const debug = lazy('debug');

if (/[?&]opslot_debug=1/.test(location.search)) void debug(true);
addEventListener('keydown', (event) => {
  if (event.altKey && event.shiftKey && event.code === 'KeyD') void debug();
});

export { configure };

declare global {
  interface Window {
    opslot?: {
      clearOperator: typeof clearOperator;
      configure: typeof configure;
      conversion: typeof conversion;
      debug: typeof debug;
      refresh: typeof refresh;
      setOperator: typeof setOperator;
      setPersonalized: typeof setPersonalized;
    };
  }
}

window.opslot ??= { clearOperator, configure, conversion, debug, refresh, setOperator, setPersonalized };

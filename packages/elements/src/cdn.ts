/**
 * The CDN bundle, `/sdk/opslot.js`: one `<script type="module">` defines `<op-slot>` and reads the page's
 * `#opslot-config` block. Modules on the page can import `configure` from it; classic scripts find the same
 * functions on `window.opslot`.
 */
import './define.js';
import { configure } from './page-session.js';

export { configure };

declare global {
  interface Window {
    opslot?: { configure: typeof configure };
  }
}

window.opslot ??= { configure };

import { OpSlot } from './op-slot/op-slot.component.js';

/**
 * Registers the elements. A bank's page may load two copies of the SDK (a CDN tag and a bundled
 * micro-frontend); the first definition wins and the second copy reuses it instead of throwing.
 */
if (!customElements.get('op-slot')) customElements.define('op-slot', OpSlot);

declare global {
  interface HTMLElementTagNameMap {
    'op-slot': OpSlot;
  }
}

import { fixture, html } from '@open-wc/testing';
import { createOpslot, type Opslot } from '@opslot/core';
import type { OpSlot } from '../op-slot/op-slot.component.js';
import type { OpRenderDetail } from '../op-slot/op-slot.events.js';
import { type DecisionAnswer, type FakeEndpoint, fakeEndpoint } from './fake-endpoint.js';

export const CONFIG = { endpoint: '/api/v1', channel: 'corporate-web', pageId: 'home' };

/**
 * A page session of its own for one test, talking to a fake endpoint that answers as `answer` says. Its operator
 * is new, so the outbox it persists in this browser's IndexedDB is its own: no other test's events reach it.
 */
export function session(answer: DecisionAnswer, config: object = CONFIG): { opslot: Opslot; endpoint: FakeEndpoint } {
  const endpoint = fakeEndpoint(answer);
  const operator = { operator: `test-${crypto.randomUUID()}` };
  return { endpoint, opslot: createOpslot({ win: window, configInputs: [operator, config], fetch: endpoint.fetch }) };
}

export async function slotWith(opslot: Opslot, slotId: string, size = '960x240'): Promise<OpSlot> {
  return fixture<OpSlot>(html`<op-slot .session=${opslot} slot-id=${slotId} size=${size}></op-slot>`);
}

/** A slot that is not in the page yet, so that listeners can be added before it connects. */
export function detachedSlot(opslot: Opslot, slotId: string, size = '960x240'): OpSlot {
  const slot = Object.assign(document.createElement('op-slot'), { session: opslot });
  slot.setAttribute('slot-id', slotId);
  slot.setAttribute('size', size);
  return slot;
}

export const shadow = (slot: OpSlot) => slot.shadowRoot as ShadowRoot;

/** Resolves with the slot's final state, whether it settled before or after the call. */
export async function settled(slot: OpSlot): Promise<string> {
  const done = () => ['rendered', 'empty', 'error'].includes(slot.state);
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
  return slot.state;
}

export const nextFrames = async (count = 2) => {
  for (let frame = 0; frame < count; frame++) await new Promise((resolve) => requestAnimationFrame(resolve));
};

/**
 * Every `op-render` of the test page, per slot, recorded from the moment this module loads: a slot that is already
 * near the viewport asks and renders before the next frame, often before a test could add a listener after
 * `fixture()` returns. Each call takes the slot's next render not taken yet, waiting for it if need be.
 */
const renders = new WeakMap<
  EventTarget,
  { seen: CustomEvent<OpRenderDetail>[]; waiting: ((event: CustomEvent<OpRenderDetail>) => void)[] }
>();
const rendersOf = (slot: EventTarget) => {
  let entry = renders.get(slot);
  if (!entry) {
    entry = { seen: [], waiting: [] };
    renders.set(slot, entry);
  }
  return entry;
};
document.addEventListener('op-render', (event) => {
  const entry = rendersOf(event.target as EventTarget);
  const waiter = entry.waiting.shift();
  if (waiter) waiter(event as CustomEvent<OpRenderDetail>);
  else entry.seen.push(event as CustomEvent<OpRenderDetail>);
});

export function nextRender(slot: EventTarget): Promise<CustomEvent<OpRenderDetail>> {
  const entry = rendersOf(slot);
  const seen = entry.seen.shift();
  return seen ? Promise.resolve(seen) : new Promise((resolve) => entry.waiting.push(resolve));
}

// How the page's vitals are attributed to slots: a node in a slot's shadow tree or light DOM belongs to it, a creative
// is the largest paint even when Chromium hides shadow-tree elements from the entry, and only shifts that moved a slot
// count against the slots.
import { expect, fixture, html } from '@open-wc/testing';
import { lcpSlot, slotOf, slotShiftOf } from './web-vitals-report.js';

/** An `<op-slot>` stand-in: the attribution only looks at the tag name, `slot-id` and the shadow tree. */
async function slotWithImage(src: string) {
  const page = await fixture(html`<div><op-slot slot-id="home-banner"></op-slot><p>账户总览</p></div>`);
  const slot = page.querySelector('op-slot') as HTMLElement;
  const root = slot.shadowRoot ?? slot.attachShadow({ mode: 'open' });
  const image = document.createElement('img');
  image.src = src;
  root.append(image);
  return { page, slot, image, text: page.querySelector('p') as HTMLElement };
}

const shift = (value: number, ...nodes: (Node | null)[]) =>
  ({ value, sources: nodes.map((node) => ({ node })) }) as unknown as Parameters<typeof slotShiftOf>[0][number];

describe('web vitals attribution', () => {
  it('finds the slot of a node in its shadow tree, of the slot itself, and of nothing else', async () => {
    const { slot, image, text } = await slotWithImage('data:image/gif;base64,R0lGODlhAQABAAAAACw=');
    expect(slotOf(image)).to.equal(slot);
    expect(slotOf(slot)).to.equal(slot);
    expect(slotOf(text)).to.equal(undefined);
    expect(slotOf(null)).to.equal(undefined);
  });

  it('recognises a creative as the largest paint by its image URL when the entry has no element', async () => {
    const { slot, image } = await slotWithImage('data:image/gif;base64,R0lGODlhAQABAAAAACw=');
    const entry = { element: null, url: image.src } as unknown as LargestContentfulPaint;
    expect(lcpSlot(entry, document)).to.equal(slot);
    expect(
      lcpSlot({ element: null, url: 'https://bank.example/hero.png' } as unknown as LargestContentfulPaint, document),
    ).to.equal(undefined);
    expect(lcpSlot(undefined, document)).to.equal(undefined);
  });

  it('counts against the slots only the shifts that moved one', async () => {
    const { slot, image, text } = await slotWithImage('data:image/gif;base64,R0lGODlhAQABAAAAACw=');
    expect(slotShiftOf([shift(0.05, text), shift(0.02, slot), shift(0.01, text, image)])).to.be.closeTo(0.03, 1e-9);
    expect(slotShiftOf([shift(0.05, text), shift(0.1, null)])).to.equal(0);
  });
});

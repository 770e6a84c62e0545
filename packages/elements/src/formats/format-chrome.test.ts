// The compliance chrome of every lazily loaded format: the 广告 label and the advertiser's name are there, and the
// page can hide them neither through the parts it may style nor through the custom properties it may set.
import { expect, fixture, html } from '@open-wc/testing';
import '../define.js';
import type { OpSlot } from '../op-slot/op-slot.component.js';
import { answerFrom } from '../test-support/fake-endpoint.js';
import { formatCreative } from '../test-support/format-creatives.js';
import { nextRender, session, shadow } from '../test-support/slot-fixtures.js';

const FORMATS = ['carousel', 'popup', 'floating', 'notice', 'card-list', 'native'];
// Every part any format exports; none of them contains the chrome.
const PARTS = 'card, creative, image, logo, title, subtitle, summary, time, text, cta, close, arrow, dot, pause';

/** Page CSS that tries every way a part or a custom property could hide, cover or shrink the label. */
const HOSTILE_CSS = `
  op-slot {
    --op-surface: transparent; --op-text: transparent; --op-text-muted: transparent; --op-accent: transparent;
    --op-on-accent: transparent; --op-border: transparent; --op-radius: 0; --op-font-family: 0/0 a;
    --op-focus-ring: transparent; --op-floating-offset: -9999px; --op-floating-offset-bottom: 9999px;
    --op-notice-surface: transparent;
    --op-slot-font: 0/0 a; --_surface: transparent; --_text: transparent;
  }
  ${PARTS.split(', ')
    .map((part) => `op-slot::part(${part})`)
    .join(', ')} {
    position: fixed !important; inset: 0 !important; z-index: 2147483647 !important;
    width: 100vw !important; height: 100vh !important; background: #fff !important; opacity: 1 !important;
  }
`;

/** The element at the middle of `element` as the page sees it, looking down through shadow roots. */
function deepElementAt(element: Element): Element | null {
  const box = element.getBoundingClientRect();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  let hit = document.elementFromPoint(x, y);
  while (hit?.shadowRoot) {
    const inner: Element | null = hit.shadowRoot.elementFromPoint(x, y);
    // A shadow root answers with an element of its own tree, or else with something outside it: stop there.
    if (!inner || inner.getRootNode() !== hit.shadowRoot) break;
    hit = inner;
  }
  return hit;
}

describe('compliance chrome on every format', () => {
  for (const format of FORMATS) {
    it(`${format}: the label and the advertiser stay visible and on top whatever the page's CSS says`, async () => {
      const { opslot } = session(answerFrom({ slot: [formatCreative(format)] }));
      const page = await fixture<HTMLDivElement>(html`<div style="width: 600px">
        <style>
          ${HOSTILE_CSS}
        </style>
        <op-slot .session=${opslot} slot-id="slot" size=${format === 'carousel' ? '960x240' : ''}></op-slot>
      </div>`);
      const slot = page.querySelector('op-slot') as OpSlot;
      await nextRender(slot);
      const inFormat = shadow(slot).querySelector(`op-${format}`)?.shadowRoot as ShadowRoot;
      // Once the pop-up has faded in and the carousel's frame too (the notice's scrolling never ends).
      const finite = [...inFormat.querySelectorAll('*')]
        .flatMap((element) => element.getAnimations())
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity);
      await Promise.all(finite.map((animation) => animation.finished));

      for (const selector of ['.label', '.advertiser']) {
        const element = inFormat.querySelector(selector) as HTMLElement;
        const style = getComputedStyle(element);
        expect(element.checkVisibility({ opacityProperty: true, visibilityProperty: true }), selector).to.equal(true);
        expect(style.color, selector).to.equal('rgb(255, 255, 255)');
        expect(style.fontSize, selector).to.equal('12px');
        expect(element.getBoundingClientRect().width, selector).to.be.above(10);
        // Compared as a boolean: chai would try to print two elements, which can take forever.
        const onTop = deepElementAt(element);
        expect(onTop === element, `${selector} is covered by ${onTop?.localName}.${onTop?.className}`).to.equal(true);
      }
      expect(inFormat.querySelector('.label')?.textContent).to.equal('广告');
      expect(inFormat.querySelector('.advertiser')?.textContent).to.equal('恒泰精密机械');
    });
  }
});

describe('theme of the formats', () => {
  async function nativeIn(style: string) {
    const { opslot } = session(answerFrom({ slot: [formatCreative('native')] }));
    const page = await fixture<HTMLDivElement>(
      html`<div style=${style}><op-slot .session=${opslot} slot-id="slot"></op-slot></div>`,
    );
    const slot = page.querySelector('op-slot') as OpSlot;
    await nextRender(slot);
    return getComputedStyle(shadow(slot).querySelector('op-native') as Element);
  }

  it('is light by default, dark on a dark page, and takes the page’s --op-* colours', async () => {
    expect((await nativeIn('')).backgroundColor).to.equal('rgb(255, 255, 255)');
    const dark = await nativeIn('color-scheme: dark');
    expect(dark.backgroundColor).to.equal('rgb(31, 35, 41)');
    expect(dark.color).to.equal('rgb(232, 234, 237)');
    const themed = await nativeIn('--op-surface: #fff7e6; --op-text: #3d2b00');
    expect(themed.backgroundColor).to.equal('rgb(255, 247, 230)');
    expect(themed.color).to.equal('rgb(61, 43, 0)');
  });
});

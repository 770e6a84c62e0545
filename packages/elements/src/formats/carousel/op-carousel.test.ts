import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../define.js';
import type { OpSlot } from '../../op-slot/op-slot.component.js';
import { answerFrom, bannerCreative } from '../../test-support/fake-endpoint.js';
import { formatCreative } from '../../test-support/format-creatives.js';
import { nextRender, session, shadow } from '../../test-support/slot-fixtures.js';

const frames = [1, 2, 3].map((n) => formatCreative('carousel', n));
const inCarousel = (slot: OpSlot) => shadow(slot).querySelector('op-carousel')?.shadowRoot as ShadowRoot;
const visibleFrame = (slot: OpSlot) => inCarousel(slot).querySelector('.frame:not([hidden])') as HTMLElement;

async function carouselSlot(candidates = frames) {
  const { opslot, endpoint } = session(answerFrom({ 'home-carousel': candidates }));
  const slot = await fixture<OpSlot>(
    html`<op-slot .session=${opslot} slot-id="home-carousel" size="960x240"></op-slot>`,
  );
  const rendered = await nextRender(slot);
  return { slot, rendered, opslot, endpoint };
}

describe('carousel format', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('shows the carousel candidates as frames, the first one rendered, each with its own label', async () => {
    const { slot, rendered } = await carouselSlot([...frames, bannerCreative({ id: 'cr-banner-after' })]);

    expect(rendered.detail.creativeId).to.equal('cr-carousel-1');
    expect(inCarousel(slot).querySelectorAll('.frame')).to.have.length(3);
    expect(visibleFrame(slot).querySelector('.label')?.textContent).to.equal('广告');
    expect(visibleFrame(slot).querySelector('img')?.alt).to.equal('恒泰精密机械 第 1 帧');
    await expect(slot).to.be.accessible();
  });

  it('goes to the next frame by keyboard, which counts as the render of that creative', async () => {
    const { slot, opslot, endpoint } = await carouselSlot();
    (inCarousel(slot).querySelector('.next') as HTMLButtonElement).focus();
    const second = nextRender(slot);
    await sendKeys({ press: 'Enter' });
    expect((await second).detail.creativeId).to.equal('cr-carousel-2');
    expect(visibleFrame(slot).querySelector('img')?.alt).to.equal('恒泰精密机械 第 2 帧');

    await sendKeys({ press: 'ArrowLeft' });
    await slot.updateComplete;
    expect(visibleFrame(slot).querySelector('img')?.alt).to.equal('恒泰精密机械 第 1 帧');

    const third = nextRender(slot);
    (inCarousel(slot).querySelectorAll('.dot')[2] as HTMLButtonElement).click();
    expect((await third).detail.creativeId).to.equal('cr-carousel-3');
    await (await opslot.measurement())?.flush();
    const renders = endpoint.events.filter((event) => event.type === 'render').map((event) => event.creativeId);
    // Going back to a frame already shown does not count it twice.
    expect(renders).to.deep.equal(['cr-carousel-1', 'cr-carousel-2', 'cr-carousel-3']);
  });

  it('follows a swipe on touch', async () => {
    const { slot } = await carouselSlot();
    const area = inCarousel(slot).querySelector('.carousel') as HTMLElement;
    const second = nextRender(slot);
    area.dispatchEvent(new PointerEvent('pointerdown', { pointerType: 'touch', clientX: 300, bubbles: true }));
    area.dispatchEvent(new PointerEvent('pointerup', { pointerType: 'touch', clientX: 200, bubbles: true }));
    expect((await second).detail.creativeId).to.equal('cr-carousel-2');
  });

  it('advances on its own, but not while the pointer is over it', async function () {
    this.timeout(20000);
    const { slot } = await carouselSlot();
    const box = slot.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + 100), Math.round(box.y + 40)] });
    await new Promise((resolve) => setTimeout(resolve, 5600));
    expect(visibleFrame(slot).querySelector('img')?.alt).to.equal('恒泰精密机械 第 1 帧');

    const second = nextRender(slot);
    await sendMouse({ type: 'move', position: [0, 0] });
    expect((await second).detail.creativeId).to.equal('cr-carousel-2');
  });

  it('does not rotate or animate under reduced motion, and offers to resume', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { slot } = await carouselSlot();
    const pause = inCarousel(slot).querySelector('.pause') as HTMLButtonElement;
    expect(pause.getAttribute('aria-label')).to.equal('继续轮播');
    expect(getComputedStyle(visibleFrame(slot)).animationName).to.equal('none');
  });

  it('leaves out a frame whose landing page is unsafe', async () => {
    const hostile = formatCreative('carousel', 9, { landingUrl: 'javascript:alert(1)' });
    const { slot } = await carouselSlot([frames[0], hostile, frames[1]] as typeof frames);
    const alts = [...inCarousel(slot).querySelectorAll('.frame img')].map((image) => (image as HTMLImageElement).alt);
    expect(alts).to.deep.equal(['恒泰精密机械 第 1 帧', '恒泰精密机械 第 2 帧']);
  });

  it('shows one creative without controls', async () => {
    const { slot } = await carouselSlot([frames[0]] as typeof frames);
    expect(inCarousel(slot).querySelector('.next')).to.equal(null);
  });
});

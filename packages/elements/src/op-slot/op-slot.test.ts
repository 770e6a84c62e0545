import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { type Creative, FORMATS } from '@opslot/core';
import { sendMouse } from '@web/test-runner-commands';
import '../define.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { formatCreative } from '../test-support/format-creatives.js';
import { CONFIG, detachedSlot, nextRender, session, settled, shadow, slotWith } from '../test-support/slot-fixtures.js';
import type { OpSlot } from './op-slot.component.js';

describe('<op-slot>', () => {
  it('renders the creative with the 广告 label and the advertiser name, and is accessible', async () => {
    const { opslot } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
    const slot = await slotWith(opslot, 'home-banner');
    const rendered = await nextRender(slot);

    expect(rendered.detail).to.deep.equal({
      slotId: 'home-banner',
      decisionId: 'dec-test-1',
      creativeId: 'cr-hengtai-1',
      campaignId: 'camp-hengtai',
      advertiserId: 'adv-hengtai',
    });
    expect(slot.getAttribute('state')).to.equal('rendered');
    expect(shadow(slot).querySelector('.label')?.textContent).to.equal('广告');
    expect(shadow(slot).querySelector('.advertiser')?.textContent).to.equal('恒泰精密机械');
    expect(shadow(slot).querySelector('img')?.alt).to.equal('恒泰精密机械 数控机床以旧换新');
    await expect(slot).to.be.accessible();
  });

  describe('fetching the image while the frequency ledger decides', () => {
    /** Records the images the page creates with `new Image()` (the slot's own is created by its template). */
    function recordNewImages(): { sources: string[]; restore(): void } {
      const RealImage = window.Image;
      const sources: string[] = [];
      window.Image = class extends RealImage {
        constructor(width?: number, height?: number) {
          super(width, height);
          queueMicrotask(() => sources.push(this.src));
        }
      };
      const restore = () => {
        window.Image = RealImage;
      };
      return { sources, restore };
    }

    /**
     * Holds every choose() of the session until `release` is called, as a ledger opening IndexedDB would. `asked`
     * resolves once a slot has asked; by then it has started whatever it fetches early.
     */
    function holdChoices(opslot: ReturnType<typeof session>['opslot']) {
      const choose = opslot.choose.bind(opslot);
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let noteAsked = () => {};
      const asked = new Promise<void>((resolve) => {
        noteAsked = resolve;
      }).then(() => new Promise((resolve) => setTimeout(resolve)));
      opslot.choose = async (slotId, candidates) => {
        noteAsked();
        await held;
        return choose(slotId, candidates);
      };
      return { release, asked };
    }

    it('starts loading the first candidate before the ledger has chosen, and shows it', async () => {
      const images = recordNewImages();
      try {
        const image = bannerCreative().assets.image as NonNullable<Creative['assets']['image']>;
        // An image URL of its own, so that what the page fetched for it can be counted.
        const src = `${image.src}?early-fetch=${crypto.randomUUID()}`;
        const creative = bannerCreative({
          assets: { image: { ...image, src } },
          frequency: { caps: [{ scope: 'creative', max: 3, window: 'day' }] },
        });
        const { opslot } = session(answerFrom({ 'home-banner': [creative, bannerCreative({ id: 'cr-other' })] }));
        const choices = holdChoices(opslot);
        const slot = await slotWith(opslot, 'home-banner');
        await choices.asked;
        const url = new URL(src, location.href).href;
        expect(images.sources).to.deep.equal([url]);
        expect(slot.getAttribute('state'), 'not shown before the ledger allows it').to.equal('loading');

        const rendered = nextRender(slot);
        choices.release();
        expect((await rendered).detail.creativeId).to.equal(creative.id);
        expect(shadow(slot).querySelector('img')?.src).to.equal(url);
        expect(performance.getEntriesByName(url), 'the slot took the image fetched early').to.have.length(1);
      } finally {
        images.restore();
      }
    });

    it('fetches nothing early for a slot that renders only once nearer, nor for a first candidate of another format', async () => {
      const images = recordNewImages();
      let laterChoices: ReturnType<typeof holdChoices> | undefined;
      let nativeChoices: ReturnType<typeof holdChoices> | undefined;
      try {
        const later = session(answerFrom({ 'home-banner': [bannerCreative()] }), {
          ...CONFIG,
          lazyLoad: { fetchMarginPercent: 200, renderMarginPercent: 0 },
        });
        laterChoices = holdChoices(later.opslot);
        const native = session(answerFrom({ 'home-banner': [formatCreative('native'), bannerCreative()] }));
        nativeChoices = holdChoices(native.opslot);
        await slotWith(later.opslot, 'home-banner');
        await slotWith(native.opslot, 'home-banner');
        await Promise.all([laterChoices.asked, nativeChoices.asked]);
        expect(images.sources).to.deep.equal([]);
      } finally {
        laterChoices?.release();
        nativeChoices?.release();
        images.restore();
      }
    });
  });

  it('opens the landing page in a new tab that can neither reach nor learn the bank page', async () => {
    const { opslot } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    const link = shadow(slot).querySelector('a') as HTMLAnchorElement;

    expect(link.href).to.equal('https://www.hengtai-precision.example/offer');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.equal('noopener noreferrer');
  });

  it('offers the 2x and 3x copies of the picture to dense screens, and refuses an unsafe one', async () => {
    const image = bannerCreative().assets.image as NonNullable<Creative['assets']['image']>;
    const srcset = [
      { src: '/assets/hengtai@2x.png', density: 2 },
      { src: 'https://cdn.hengtai-precision.example/hengtai@3x.png', density: 3 },
    ];
    const dense = bannerCreative({ id: 'cr-dense', assets: { image: { ...image, srcset } } });
    const unsafe = bannerCreative({
      id: 'cr-unsafe-srcset',
      assets: { image: { ...image, srcset: [{ src: 'javascript:alert(1)', density: 2 }] } },
    });
    const { opslot } = session(answerFrom({ a: [unsafe, dense] }));
    const slot = await slotWith(opslot, 'a');
    expect((await nextRender(slot)).detail.creativeId).to.equal('cr-dense');
    expect(shadow(slot).querySelector('img')?.getAttribute('srcset')).to.equal(
      `${location.origin}/assets/hengtai@2x.png 2x,https://cdn.hengtai-precision.example/hengtai@3x.png 3x`,
    );
  });

  it('lets the page take a click over through the cancelable op-navigate', async () => {
    const { opslot } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    const routed: string[] = [];
    slot.addEventListener('op-navigate', (event) => {
      routed.push(event.detail.url);
      event.preventDefault();
    });
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
    (shadow(slot).querySelector('a') as HTMLAnchorElement).dispatchEvent(click);

    expect(routed).to.deep.equal(['https://www.hengtai-precision.example/offer']);
    expect(click.defaultPrevented).to.equal(true);
  });

  it('reserves the declared size before anything arrives, shrinking with its container', async () => {
    const { opslot } = session(() => new Promise<Response>(() => {}));
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="width: 480px"><op-slot .session=${opslot} slot-id="home-banner" size="960x240"></op-slot></div>`,
    );
    const box = (wrapper.firstElementChild as OpSlot).getBoundingClientRect();
    expect(box.width).to.equal(480);
    expect(box.height).to.equal(120);
  });

  it('asks for every slot that connects in the same frame in one request', async () => {
    const { opslot, endpoint } = session(answerFrom({ a: [bannerCreative()], b: [bannerCreative()], c: [] }));
    const page = await fixture(html`<div>
      <op-slot .session=${opslot} slot-id="a" size="960x240"></op-slot>
      <op-slot .session=${opslot} slot-id="b" size="300x250"></op-slot>
      <op-slot .session=${opslot} slot-id="c" size="960x90"></op-slot>
    </div>`);
    const states = await Promise.all([...page.querySelectorAll('op-slot')].map(settled));

    expect(states).to.deep.equal(['rendered', 'rendered', 'empty']);
    expect(endpoint.decisionRequests).to.have.length(1);
    // One request, whatever order the slots came near in.
    const sent = [...(endpoint.decisionRequests[0]?.slots ?? [])].sort((x, y) => x.id.localeCompare(y.id));
    expect(sent).to.deep.equal([
      { id: 'a', sizes: [[960, 240]], formats: [...FORMATS] },
      { id: 'b', sizes: [[300, 250]], formats: [...FORMATS] },
      { id: 'c', sizes: [[960, 90]], formats: [...FORMATS] },
    ]);
    expect(endpoint.decisionRequests[0]?.page).to.include({ channel: 'corporate-web', pageId: 'home' });
  });

  it('collapses and says op-empty when the decision has nothing for the slot, whatever the page CSS says', async () => {
    const { opslot } = session(answerFrom({}));
    const page = await fixture<HTMLDivElement>(html`<div>
      <style>
        op-slot { display: block !important; }
      </style>
    </div>`);
    const slot = detachedSlot(opslot, 'home-banner');
    const empty = oneEvent(slot, 'op-empty');
    page.append(slot);

    expect((await empty).detail).to.deep.equal({ slotId: 'home-banner', reason: 'no-fill', decisionId: 'dec-test-1' });
    expect(slot.getAttribute('state')).to.equal('empty');
    expect(slot.getBoundingClientRect().height).to.equal(0);
  });

  it('skips a candidate whose landing URL is not http(s) and shows the next one', async () => {
    const hostile = bannerCreative({ id: 'cr-hostile', landingUrl: 'javascript:alert(document.cookie)' });
    const { opslot } = session(answerFrom({ 'home-banner': [hostile, bannerCreative()] }));
    const slot = await slotWith(opslot, 'home-banner');
    const rendered = await nextRender(slot);

    expect(rendered.detail.creativeId).to.equal('cr-hengtai-1');
    expect(shadow(slot).querySelector('a')?.getAttribute('href')).to.equal(
      'https://www.hengtai-precision.example/offer',
    );
  });

  it('collapses with op-error when no candidate is safe to show', async () => {
    const hostile = bannerCreative({ landingUrl: 'javascript:alert(1)' });
    const { opslot } = session(answerFrom({ 'home-banner': [hostile] }));
    const slot = await slotWith(opslot, 'home-banner');
    const error = await oneEvent(slot, 'op-error');

    expect(error.detail.code).to.equal('unsafe-creative');
    expect(slot.getAttribute('state')).to.equal('error');
    expect(shadow(slot).querySelector('a')).to.equal(null);
  });

  it('collapses with op-error when the endpoint answers with something that is not a decision', async () => {
    const { opslot } = session(() => Response.json({ v: 1, decisionId: 'x', slots: 'nope' }));
    const slot = await slotWith(opslot, 'home-banner');
    const error = await oneEvent(slot, 'op-error');

    expect(error.detail.code).to.equal('invalid-response');
    expect(slot.getBoundingClientRect().height).to.equal(0);
  });

  it('collapses with op-error when the endpoint fails', async () => {
    const { opslot } = session(() => new Response('{"error":{"code":"boom","message":"boom"}}', { status: 500 }));
    const slot = await slotWith(opslot, 'home-banner');
    const error = await oneEvent(slot, 'op-error');

    expect(error.detail.code).to.equal('http-status');
  });

  it('collapses with op-error when the creative image does not load', async () => {
    const broken = bannerCreative({
      assets: { image: { src: '/no-such-image.png', width: 960, height: 240, alt: 'x' } },
    });
    const { opslot } = session(answerFrom({ 'home-banner': [broken] }));
    const slot = await slotWith(opslot, 'home-banner');
    const error = await oneEvent(slot, 'op-error');

    expect(error.detail.code).to.equal('asset-failed');
  });

  it('says op-error when the tag has no slot-id, without asking the endpoint', async () => {
    const { opslot, endpoint } = session(answerFrom({}));
    const slot = document.createElement('op-slot');
    slot.session = opslot;
    const error = oneEvent(slot, 'op-error');
    document.body.append(slot);

    expect((await error).detail.code).to.equal('missing-slot-id');
    expect(endpoint.decisionRequests).to.have.length(0);
    slot.remove();
  });

  it('collapses with op-error when the page has no endpoint configured', async () => {
    const { opslot, endpoint } = session(answerFrom({}), { channel: 'corporate-web' });
    const slot = await slotWith(opslot, 'home-banner');
    const error = await oneEvent(slot, 'op-error');

    expect(error.detail.code).to.equal('config-missing-endpoint');
    expect(endpoint.decisionRequests).to.have.length(0);
  });

  it('shows the label in English when the page is in English', async () => {
    const { opslot } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en"><op-slot .session=${opslot} slot-id="home-banner" size="960x240"></op-slot></div>`,
    );
    const slot = wrapper.firstElementChild as OpSlot;
    await nextRender(slot);

    expect(shadow(slot).querySelector('.label')?.textContent).to.equal('Ad');
  });

  it('reports a render, and a click only when a person clicked', async () => {
    const creative = bannerCreative({ experiment: { id: 'exp-banner-copy', bucket: 'b' } });
    const { opslot, endpoint } = session(answerFrom({ 'home-banner': [creative] }));
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    // Keep the test page where it is: the click's default action would open the landing page, and on this corporate
    // channel the leave-the-bank notice would first cover the page; the page takes the navigation over instead.
    const stayOnPage = (event: Event) => event.preventDefault();
    document.addEventListener('click', stayOnPage);
    slot.addEventListener('op-navigate', stayOnPage);
    try {
      const link = shadow(slot).querySelector('a') as HTMLAnchorElement;
      const synthetic = oneEvent(slot, 'op-click');
      link.click();
      await synthetic;

      const box = link.getBoundingClientRect();
      const trusted = oneEvent(slot, 'op-click');
      await sendMouse({ type: 'click', position: [Math.round(box.x + 20), Math.round(box.y + 20)] });
      expect((await trusted).detail.url).to.equal('https://www.hengtai-precision.example/offer');
    } finally {
      document.removeEventListener('click', stayOnPage);
    }
    await (await opslot.measurement())?.flush();

    // Viewability may or may not have counted yet; everything else is what the operator did, in order.
    expect(endpoint.events.map((event) => event.type).filter((type) => type !== 'viewable')).to.deep.equal([
      'request',
      'fill',
      'render',
      'click',
    ]);
    expect(endpoint.events.find((event) => event.type === 'render')).to.include({
      slotId: 'home-banner',
      creativeId: 'cr-hengtai-1',
      decisionId: 'dec-test-1',
      channel: 'corporate-web',
      pageId: 'home',
      experimentId: 'exp-banner-copy',
      bucket: 'b',
    });
    // Beacons carry ids, never the landing URL or the creative's text.
    const sent = JSON.stringify(endpoint.events);
    expect(sent).not.to.include('hengtai-precision.example');
    expect(sent).not.to.include('数控机床');
  });

  it('stops asking when it leaves the page before the decision arrives', async () => {
    let answered = false;
    const { opslot } = session(async (request) => {
      answered = true;
      return answerFrom({ 'home-banner': [bannerCreative()] })(request);
    });
    const slot = await slotWith(opslot, 'home-banner');
    const events: string[] = [];
    for (const type of ['op-render', 'op-empty', 'op-error']) slot.addEventListener(type, () => events.push(type));
    slot.remove();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(answered).to.equal(false);
    expect(events).to.deep.equal([]);
    expect(slot.getAttribute('state')).to.equal('idle');
  });
});

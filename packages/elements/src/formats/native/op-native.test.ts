import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import type { OpSlot } from '../../op-slot/op-slot.component.js';
import { answerFrom } from '../../test-support/fake-endpoint.js';
import { formatCreative } from '../../test-support/format-creatives.js';
import { nextRender, session, shadow } from '../../test-support/slot-fixtures.js';
import { readableOn } from './op-native.js';

const inNative = (slot: OpSlot) => shadow(slot).querySelector('op-native')?.shadowRoot as ShadowRoot;

async function nativeSlot(candidates = [formatCreative('native')]) {
  const { opslot } = session(answerFrom({ 'home-native': candidates }));
  const slot = await fixture<OpSlot>(html`<op-slot .session=${opslot} slot-id="home-native"></op-slot>`);
  return slot;
}

describe('native format', () => {
  it('renders logo, title, subtitle and a call to action in the brand colour, and is accessible', async () => {
    const slot = await nativeSlot();
    const rendered = await nextRender(slot);
    const root = inNative(slot);
    const cta = root.querySelector('.cta') as HTMLElement;

    expect(rendered.detail.creativeId).to.equal('cr-native-1');
    expect(root.querySelector('.title')?.textContent).to.equal('恒泰精密机械');
    expect(root.querySelector('.subtitle')?.textContent).to.equal('数控机床以旧换新 最高补贴 8%');
    expect(root.querySelector('.logo')?.getAttribute('alt')).to.equal('恒泰精密机械标志');
    expect(getComputedStyle(cta).backgroundColor).to.equal('rgb(11, 61, 145)');
    expect(getComputedStyle(cta).color).to.equal('rgb(255, 255, 255)');
    expect(root.querySelector('.label')?.textContent).to.equal('广告');
    await expect(slot).to.be.accessible();
  });

  it('shows markup in its fields as text, never as elements', async () => {
    const creative = formatCreative('native');
    const text = { title: '<img src=x onerror=alert(1)>', cta: '<b>办理</b>' };
    const slot = await nativeSlot([{ ...creative, assets: { ...creative.assets, text } }]);
    await nextRender(slot);
    expect(inNative(slot).querySelector('.title')?.textContent).to.equal('<img src=x onerror=alert(1)>');
    expect(inNative(slot).querySelectorAll('img')).to.have.length(1);
    expect(inNative(slot).querySelector('b')).to.equal(null);
  });

  it('is clicked by keyboard: op-click, then a cancelable op-navigate with the landing page', async () => {
    const slot = await nativeSlot();
    await nextRender(slot);
    (inNative(slot).querySelector('.cta') as HTMLElement).focus();
    const click = oneEvent(slot, 'op-click');
    slot.addEventListener('op-navigate', (event) => event.preventDefault(), { once: true });
    const navigate = oneEvent(slot, 'op-navigate');
    await sendKeys({ press: 'Enter' });

    expect((await click).detail.url).to.equal('https://www.hengtai-precision.example/native/1');
    const navigated = await navigate;
    expect(navigated.cancelable).to.equal(true);
    expect(navigated.defaultPrevented).to.equal(true);
  });

  it('collapses with op-error when the brand colour is not a colour', async () => {
    const creative = formatCreative('native');
    const slot = await nativeSlot([
      { ...creative, assets: { ...creative.assets, brandColor: 'red;background:url(x)' } },
    ]);
    expect((await oneEvent(slot, 'op-error')).detail.code).to.equal('unsafe-creative');
  });

  it('picks black or white text, whichever reads better on the brand colour', () => {
    expect(readableOn('#0b3d91')).to.equal('#fff');
    expect(readableOn('#ffd400')).to.equal('#000');
    expect(readableOn('#c7000b')).to.equal('#fff');
  });
});

import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import type { OpSlot } from '../../op-slot/op-slot.component.js';
import { answerFrom } from '../../test-support/fake-endpoint.js';
import { formatCreative } from '../../test-support/format-creatives.js';
import { nextRender, session, shadow } from '../../test-support/slot-fixtures.js';
import type { OpPopup } from './op-popup.js';

const popupOf = (slot: OpSlot) => shadow(slot).querySelector('op-popup') as OpPopup;
const inPopup = (slot: OpSlot) => popupOf(slot).shadowRoot as ShadowRoot;

/** A page with a button that has the focus, and a pop-up slot; resolves once the pop-up is open. */
async function openPopup(answer = answerFrom({ entry: [formatCreative('popup')] })) {
  const { opslot, endpoint } = session(answer);
  const page = await fixture<HTMLDivElement>(html`<div>
    <button id="before">转账</button>
    <op-slot .session=${opslot} slot-id="entry"></op-slot>
  </div>`);
  (page.querySelector('#before') as HTMLButtonElement).focus();
  const slot = page.querySelector('op-slot') as OpSlot;
  const rendered = await nextRender(slot);
  return { slot, page, rendered, opslot, endpoint };
}

describe('popup format', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('opens a modal dialog with the 广告 label and the advertiser inside it, and is accessible', async () => {
    const { slot, rendered } = await openPopup();
    const dialog = inPopup(slot).querySelector('dialog') as HTMLDialogElement;

    expect(rendered.detail).to.include({ creativeId: 'cr-popup-1', campaignId: 'camp-popup-1', slotId: 'entry' });
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(dialog.querySelector('.label')?.textContent).to.equal('广告');
    expect(dialog.querySelector('.advertiser')?.textContent).to.equal('恒泰精密机械');
    expect(dialog.querySelector('.cta')?.textContent).to.contain('立即预约');
    expect(slot.state).to.equal('rendered');
    await expect(slot).to.be.accessible();
  });

  it('closes on Esc, says op-close, collapses the slot and gives the focus back', async () => {
    const { slot, page, opslot, endpoint } = await openPopup();
    const closed = oneEvent(slot, 'op-close');
    await sendKeys({ press: 'Escape' });
    const { detail } = await closed;

    expect(detail).to.deep.include({ slotId: 'entry', creativeId: 'cr-popup-1', campaignId: 'camp-popup-1' });
    expect(detail.dontShowAgain).to.equal(false);
    expect(slot.state).to.equal('closed');
    expect((inPopup(slot).querySelector('dialog') as HTMLDialogElement).open).to.equal(false);
    expect(document.activeElement).to.equal(page.querySelector('#before'));
    await (await opslot.measurement())?.flush();
    expect(endpoint.events.map((event) => event.type)).to.include('close');
  });

  it('puts the focus on its one-click close, so Enter closes it; "don\'t show again" says so', async () => {
    const { slot } = await openPopup();
    expect(inPopup(slot).activeElement?.classList.contains('close')).to.equal(true);
    const closed = oneEvent(slot, 'op-close');
    await sendKeys({ press: 'Enter' });
    expect((await closed).detail.dontShowAgain).to.equal(false);

    const second = await openPopup();
    const again = oneEvent(second.slot, 'op-close');
    (inPopup(second.slot).querySelector('.dont-show') as HTMLButtonElement).click();
    expect((await again).detail.dontShowAgain).to.equal(true);
  });

  it('keeps Tab inside the dialog while it is open', async () => {
    const { page } = await openPopup();
    for (let press = 0; press < 6; press++) {
      await sendKeys({ press: 'Tab' });
      expect(page.querySelector('#before')).not.to.equal(document.activeElement);
    }
  });

  it('asks the page before navigating, which may take over', async () => {
    const { slot } = await openPopup();
    slot.addEventListener('op-navigate', (event) => event.preventDefault(), { once: true });
    const navigate = oneEvent(slot, 'op-navigate');
    const click = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
    (inPopup(slot).querySelector('a.creative') as HTMLAnchorElement).dispatchEvent(click);

    expect((await navigate).detail.url).to.equal('https://www.hengtai-precision.example/popup/1');
    expect(click.defaultPrevented).to.equal(true);
  });

  it('does not animate its opening under reduced motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { slot } = await openPopup();
    expect(getComputedStyle(inPopup(slot).querySelector('dialog') as Element).animationName).to.equal('none');
  });

  it('skips a pop-up with a malformed asset and shows the next candidate', async () => {
    const { image } = formatCreative('popup').assets;
    const broken = formatCreative('popup', 1, {
      assets: { image, text: { cta: '点击这里立即领取您的专属新春大礼包吧' } },
    });
    const { rendered } = await openPopup(answerFrom({ entry: [broken, formatCreative('popup', 2)] }));
    expect(rendered.detail.creativeId).to.equal('cr-popup-2');
  });

  it('collapses with op-error when no pop-up is safe to show', async () => {
    const hostile = formatCreative('popup', 1, { landingUrl: 'javascript:alert(1)' });
    const { opslot } = session(answerFrom({ entry: [hostile] }));
    const slot = await fixture<OpSlot>(html`<op-slot .session=${opslot} slot-id="entry"></op-slot>`);
    const error = await oneEvent(slot, 'op-error');
    expect(error.detail.code).to.equal('unsafe-creative');
  });
});

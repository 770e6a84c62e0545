import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import type { OpSlot } from '../../op-slot/op-slot.component.js';
import { answerFrom } from '../../test-support/fake-endpoint.js';
import { formatCreative } from '../../test-support/format-creatives.js';
import { nextRender, session, shadow } from '../../test-support/slot-fixtures.js';

async function floatingSlot(corner?: string) {
  const { opslot } = session(answerFrom({ 'home-float': [formatCreative('floating')] }));
  const slot = await fixture<OpSlot>(
    html`<op-slot .session=${opslot} slot-id="home-float" corner=${corner ?? 'bottom-end'}></op-slot>`,
  );
  const rendered = await nextRender(slot);
  const inFloating = shadow(slot).querySelector('op-floating')?.shadowRoot as ShadowRoot;
  return { slot, rendered, dock: inFloating.querySelector('.dock') as HTMLElement, inFloating };
}

describe('floating format', () => {
  it('docks a card above the page in the bottom-end corner, with label, advertiser and close', async () => {
    const { slot, rendered, dock } = await floatingSlot();
    const box = dock.getBoundingClientRect();

    expect(rendered.detail.creativeId).to.equal('cr-floating-1');
    expect(dock.matches(':popover-open')).to.equal(true);
    expect(Math.round(innerWidth - box.right)).to.equal(16);
    expect(Math.round(innerHeight - box.bottom)).to.equal(16);
    expect(dock.querySelector('.label')?.textContent).to.equal('广告');
    expect(dock.querySelector('.title')?.textContent).to.equal('在线咨询');
    const close = dock.querySelector('.close') as HTMLElement;
    expect(close.getBoundingClientRect().width).to.be.at.least(44);
    expect(close.getBoundingClientRect().height).to.be.at.least(44);
    await expect(slot).to.be.accessible();
  });

  it('docks in the corner the slot names', async () => {
    const { dock } = await floatingSlot('top-start');
    const box = dock.getBoundingClientRect();
    expect(Math.round(box.left)).to.equal(16);
    expect(Math.round(box.top)).to.equal(16);
  });

  it('closes by keyboard, saying op-close, and goes away', async () => {
    const { slot, dock } = await floatingSlot();
    (dock.querySelector('.close') as HTMLElement).focus();
    const closed = oneEvent(slot, 'op-close');
    await sendKeys({ press: 'Enter' });
    expect((await closed).detail).to.include({ creativeId: 'cr-floating-1', dontShowAgain: false });
    expect(dock.checkVisibility()).to.equal(false);
  });
});

import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { nextRender, session, shadow, slotWith } from '../test-support/slot-fixtures.js';
import type { OpSlot } from './op-slot.component.js';

async function openAbout(slot: OpSlot): Promise<HTMLElement> {
  const button = shadow(slot).querySelector('.about-button') as HTMLButtonElement;
  button.click();
  while (!shadow(slot).querySelector('op-slot-about')?.shadowRoot?.querySelector('button')) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return shadow(slot).querySelector('op-slot-about') as HTMLElement;
}

describe('<op-slot> about this content', () => {
  afterEach(() => localStorage.removeItem('opslot:v1:personalized'));

  it('tells why the creative is shown and who placed it, accessibly, and closes with Esc back to its button', async () => {
    const creative = bannerCreative({ reason: '您所在企业属于「专精特新」客群' });
    const { opslot } = session(answerFrom({ 'home-banner': [creative] }));
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    const button = shadow(slot).querySelector('.about-button') as HTMLButtonElement;
    expect(button.getAttribute('aria-expanded')).to.equal('false');

    const panel = await openAbout(slot);
    const text = panel.shadowRoot?.textContent ?? '';
    expect(text).to.include('您所在企业属于「专精特新」客群');
    expect(text).to.include('恒泰精密机械');
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    expect(panel.getAttribute('role')).to.equal('dialog');
    await expect(slot).to.be.accessible();

    await sendKeys({ press: 'Escape' });
    await slot.updateComplete;
    expect(shadow(slot).querySelector('op-slot-about')).to.equal(null);
    expect(shadow(slot).activeElement).to.equal(button);
  });

  it('turns personalised content off for the next decisions, remembered across pages', async () => {
    const { opslot, endpoint } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    const panel = await openAbout(slot);
    const turnOff = panel.shadowRoot?.querySelector('button') as HTMLButtonElement;
    expect(turnOff.textContent?.trim()).to.equal('关闭个性化推荐');

    const rerendered = nextRender(slot);
    turnOff.click();
    await rerendered;

    expect(endpoint.decisionRequests.map((request) => request.consent.personalized)).to.deep.equal([true, false]);
    expect(localStorage.getItem('opslot:v1:personalized')).to.equal('0');
  });
});

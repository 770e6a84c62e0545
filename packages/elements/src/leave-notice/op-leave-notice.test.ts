// The leave-the-bank notice as an operator meets it: a click on a creative whose landing page is not the bank's
// shows who placed it and where it leads, and opens the page only when they continue.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define.js';
import type { OpSlot } from '../op-slot/op-slot.component.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { formatCreative } from '../test-support/format-creatives.js';
import { CONFIG, nextRender, session, shadow } from '../test-support/slot-fixtures.js';
import { leaveNoticeDestination } from './leave-notice-destination.js';
import type { OpLeaveNotice } from './op-leave-notice.js';

const BANK = { bankDomains: ['demobank.example'] };
const PARTNER_URL = 'https://www.hengtai-precision.example/offer';

/** `window.open` replaced for the test, recording what the slot would have opened. */
function stubOpen(): { opened: unknown[][]; restore: () => void } {
  const original = window.open;
  const opened: unknown[][] = [];
  window.open = (...args: unknown[]) => {
    opened.push(args);
    return null;
  };
  return { opened, restore: () => (window.open = original) };
}

async function bannerSlot(config: object, creative = bannerCreative()): Promise<OpSlot> {
  const { opslot } = session(answerFrom({ 'home-banner': [creative] }), config);
  const slot = await fixture<OpSlot>(html`<op-slot .session=${opslot} slot-id="home-banner" size="960x240"></op-slot>`);
  await nextRender(slot);
  return slot;
}

const bannerLink = (slot: OpSlot) => shadow(slot).querySelector('a') as HTMLAnchorElement;

/**
 * Clicks the link as a script would (untrusted) and says whether the browser would have followed it; it is then
 * stopped, so that no test opens a tab (a background test page would throttle its timers).
 */
function click(link: HTMLElement): { defaultPrevented: boolean } {
  const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true });
  const result = { defaultPrevented: false };
  const record = (clicked: Event) => {
    result.defaultPrevented = clicked.defaultPrevented;
    clicked.preventDefault();
  };
  window.addEventListener('click', record, { once: true });
  link.dispatchEvent(event);
  return result;
}

async function noticeShown(): Promise<OpLeaveNotice> {
  for (let tries = 0; tries < 100; tries++) {
    const notice = document.querySelector('op-leave-notice');
    if (notice?.shadowRoot?.querySelector('dialog[open]')) return notice;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no leave-the-bank notice');
}

const inNotice = (notice: OpLeaveNotice) => notice.shadowRoot as ShadowRoot;

describe('leave-the-bank notice', () => {
  let open: ReturnType<typeof stubOpen>;
  beforeEach(() => {
    open = stubOpen();
  });
  afterEach(() => {
    open.restore();
    for (const notice of document.querySelectorAll('op-leave-notice')) notice.remove();
  });

  it('names the destination and the advertiser before a corporate banner leaves the bank, and opens on continue', async () => {
    const slot = await bannerSlot({ ...CONFIG, ...BANK });
    const event = click(bannerLink(slot));
    expect(event.defaultPrevented, 'the link does not navigate by itself').to.equal(true);

    const notice = await noticeShown();
    const text = inNotice(notice).textContent ?? '';
    expect(text).to.contain('www.hengtai-precision.example');
    expect(text).to.contain('恒泰精密机械');
    expect(text).to.contain('即将离开本行网站');
    expect(open.opened, 'nothing opens before the operator answers').to.deep.equal([]);

    (inNotice(notice).querySelector('.continue') as HTMLButtonElement).click();
    await Promise.resolve();
    expect(open.opened).to.deep.equal([[PARTNER_URL, '_blank', 'noopener,noreferrer']]);
    expect(document.querySelector('op-leave-notice')).to.equal(null);
  });

  it('opens nothing on cancel, and asks once for a double click', async () => {
    const slot = await bannerSlot({ ...CONFIG, ...BANK });
    click(bannerLink(slot));
    click(bannerLink(slot));
    const notice = await noticeShown();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.querySelectorAll('op-leave-notice')).to.have.length(1);
    (inNotice(notice).querySelector('.cancel') as HTMLButtonElement).click();
    expect(open.opened).to.deep.equal([]);
    expect(document.querySelector('op-leave-notice')).to.equal(null);
  });

  it('is used by keyboard: focus on cancel, Tab to continue, Esc cancels and gives the focus back', async () => {
    const slot = await bannerSlot({ ...CONFIG, ...BANK });
    const link = bannerLink(slot);
    link.focus();
    await sendKeys({ press: 'Enter' });
    let notice = await noticeShown();
    expect(inNotice(notice).activeElement?.className).to.equal('cancel');
    await sendKeys({ press: 'Escape' });
    expect(open.opened).to.deep.equal([]);
    expect(document.querySelector('op-leave-notice')).to.equal(null);
    expect(shadow(slot).activeElement, 'focus is back on the creative').to.equal(link);

    await sendKeys({ press: 'Enter' });
    notice = await noticeShown();
    await sendKeys({ press: 'Tab' });
    expect(inNotice(notice).activeElement?.className).to.equal('continue');
    await sendKeys({ press: 'Enter' });
    await Promise.resolve();
    expect(open.opened).to.deep.equal([[PARTNER_URL, '_blank', 'noopener,noreferrer']]);
  });

  it('passes axe, and speaks English when the page does', async () => {
    const page = await fixture<HTMLDivElement>(html`<div lang="en"></div>`);
    const { opslot } = session(answerFrom({ 'home-native': [formatCreative('native')] }), { ...CONFIG, ...BANK });
    const slot = Object.assign(document.createElement('op-slot'), { session: opslot });
    slot.setAttribute('slot-id', 'home-native');
    page.append(slot);
    await nextRender(slot);
    const cta = shadow(slot).querySelector('op-native')?.shadowRoot?.querySelector('.cta') as HTMLElement;
    click(cta);
    const notice = await noticeShown();
    expect(inNotice(notice).querySelector('h2')?.textContent).to.equal("You are leaving the bank's website");
    expect(inNotice(notice).querySelector('.continue')?.textContent).to.equal('Continue');
    await expect(notice).to.be.accessible();
  });

  it('does not show for a landing page on the bank’s own domain or below it', async () => {
    const creative = bannerCreative({ landingUrl: 'https://ebank.demobank.example/corporate/payroll' });
    const slot = await bannerSlot({ ...CONFIG, ...BANK }, creative);
    slot.addEventListener('op-navigate', (event) => event.preventDefault(), { once: true });
    const navigate = oneEvent(slot, 'op-navigate');
    click(bannerLink(slot));
    expect((await navigate).defaultPrevented).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.querySelector('op-leave-notice')).to.equal(null);
  });

  it('does not show when the page takes the navigation over through op-navigate', async () => {
    const slot = await bannerSlot({ ...CONFIG, ...BANK });
    slot.addEventListener('op-navigate', (event) => event.preventDefault(), { once: true });
    const event = click(bannerLink(slot));
    expect(event.defaultPrevented).to.equal(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.querySelector('op-leave-notice')).to.equal(null);
    expect(open.opened).to.deep.equal([]);
  });

  it('does not show on a personal channel by default, nor where the configuration turns it off', async () => {
    for (const config of [
      { ...CONFIG, ...BANK, channel: 'personal-web' },
      { ...CONFIG, ...BANK, leaveNotice: false },
    ]) {
      const slot = await bannerSlot(config);
      const event = click(bannerLink(slot));
      expect(event.defaultPrevented, JSON.stringify(config)).to.equal(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(document.querySelector('op-leave-notice'), JSON.stringify(config)).to.equal(null);
    }
  });

  it('shows on a personal channel when the configuration turns it on', () => {
    const config: Parameters<typeof leaveNoticeDestination>[1] = {
      channel: 'personal-mobile',
      bankDomains: ['demobank.example'],
      leaveNotice: true,
    };
    expect(leaveNoticeDestination(PARTNER_URL, config)).to.equal('www.hengtai-precision.example');
    expect(leaveNoticeDestination('https://m.demobank.example/', config)).to.equal(undefined);
    expect(
      leaveNoticeDestination('https://m.demobank.example/', { ...config, bankDomains: ['DemoBank.example'] }),
    ).to.equal(undefined);
    // A host that merely ends with the bank's name is not the bank's.
    expect(leaveNoticeDestination('https://evildemobank.example/', config)).to.equal('evildemobank.example');
    expect(leaveNoticeDestination('not a url', config)).to.equal(undefined);
  });
});

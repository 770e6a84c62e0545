import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../define.js';
import type { OpSlot } from '../../op-slot/op-slot.component.js';
import { answerFrom } from '../../test-support/fake-endpoint.js';
import { formatCreative } from '../../test-support/format-creatives.js';
import { nextRender, session, shadow } from '../../test-support/slot-fixtures.js';

const inList = (slot: OpSlot) => shadow(slot).querySelector('op-card-list')?.shadowRoot as ShadowRoot;

async function cardSlot(candidates = [1, 2, 3].map((n) => formatCreative('card-list', n)), lang = 'zh-CN') {
  const { opslot, endpoint } = session(answerFrom({ 'message-center': candidates }));
  const page = await fixture<HTMLDivElement>(
    html`<div lang=${lang}><op-slot .session=${opslot} slot-id="message-center"></op-slot></div>`,
  );
  return { slot: page.querySelector('op-slot') as OpSlot, opslot, endpoint };
}

describe('card-list format', () => {
  it('shows each card-list candidate as a card with its own label, time and call to action', async () => {
    const { slot, opslot, endpoint } = await cardSlot();
    await nextRender(slot);
    const cards = [...inList(slot).querySelectorAll('.card')];

    expect(cards).to.have.length(3);
    expect(cards.map((card) => card.querySelector('.title')?.textContent)).to.deep.equal([
      '恒泰精密机械 消息 1',
      '恒泰精密机械 消息 2',
      '恒泰精密机械 消息 3',
    ]);
    for (const card of cards) expect(card.querySelector('.label')?.textContent).to.equal('广告');
    // 09:30 in Beijing, whatever the test machine's time zone.
    expect(cards[0]?.querySelector('time')?.textContent).to.contain('09:30');
    expect(cards[0]?.querySelector('time')?.getAttribute('datetime')).to.equal('2026-03-05T01:30:00.000Z');
    await (await opslot.measurement())?.flush();
    const renders = endpoint.events.filter((event) => event.type === 'render').map((event) => event.creativeId);
    expect(renders).to.deep.equal(['cr-card-list-1', 'cr-card-list-2', 'cr-card-list-3']);
    await expect(slot).to.be.accessible();
  });

  it('reaches every call to action by keyboard', async () => {
    const { slot } = await cardSlot();
    await nextRender(slot);
    (inList(slot).querySelector('.cta') as HTMLElement).focus();
    const clicks: string[] = [];
    slot.addEventListener('op-click', (event) => clicks.push(event.detail.creativeId));
    slot.addEventListener('op-navigate', (event) => event.preventDefault());
    await sendKeys({ press: 'Enter' });
    // Tab goes through the card's ⓘ button to the next card's call to action.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    expect(clicks).to.deep.equal(['cr-card-list-1', 'cr-card-list-2']);
  });

  it('leaves out a malformed card and speaks English when the page does', async () => {
    const bad = formatCreative('card-list', 2, { assets: { text: { title: '没有摘要' } } });
    const { slot } = await cardSlot([formatCreative('card-list', 1), bad], 'en');
    await nextRender(slot);
    expect(inList(slot).querySelectorAll('.card')).to.have.length(1);
    expect(inList(slot).querySelector('.label')?.textContent).to.equal('Ad');
    expect(inList(slot).querySelector('.list')?.getAttribute('aria-label')).to.equal('Messages');
  });
});

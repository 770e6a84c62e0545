import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys, sendMouse } from '@web/test-runner-commands';
import '../../define.js';
import type { OpSlot } from '../../op-slot/op-slot.component.js';
import { answerFrom } from '../../test-support/fake-endpoint.js';
import { formatCreative } from '../../test-support/format-creatives.js';
import { nextFrames, nextRender, session, shadow } from '../../test-support/slot-fixtures.js';

const LONG =
  '恒泰精密机械：五轴联动加工中心以旧换新，最高补贴 8%，72 小时快速打样，航空与医疗零部件定制，名额有限先到先得';

async function noticeSlot(body = '数控机床以旧换新', width = 600) {
  const creative = formatCreative('notice', 1, { assets: { text: { body, cta: '查看' } } });
  const { opslot } = session(answerFrom({ 'home-notice': [creative] }));
  const page = await fixture<HTMLDivElement>(
    html`<div style="width: ${width}px"><op-slot .session=${opslot} slot-id="home-notice"></op-slot></div>`,
  );
  const slot = page.querySelector('op-slot') as OpSlot;
  const rendered = await nextRender(slot);
  await nextFrames();
  const notice = shadow(slot).querySelector('op-notice') as HTMLElement;
  return { slot, rendered, notice, inNotice: notice.shadowRoot as ShadowRoot };
}

describe('notice format', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('shows one line of text with the label, advertiser and a close control, and is accessible', async () => {
    const { slot, rendered, notice, inNotice } = await noticeSlot();
    expect(rendered.detail.creativeId).to.equal('cr-notice-1');
    expect(inNotice.querySelector('.text')?.textContent).to.contain('数控机床以旧换新');
    expect(inNotice.querySelector('.label')?.textContent).to.equal('广告');
    expect(notice.hasAttribute('scrolling')).to.equal(false);
    expect(slot.getBoundingClientRect().height).to.be.at.least(44);
    await expect(slot).to.be.accessible();
  });

  it('scrolls a long text, and stops while the pointer is over it', async () => {
    const { notice, inNotice } = await noticeSlot(LONG);
    const text = inNotice.querySelector('.text') as HTMLElement;
    expect(notice.hasAttribute('scrolling')).to.equal(true);
    expect(getComputedStyle(text).animationName).to.equal('op-notice-scroll');
    expect(getComputedStyle(text).animationPlayState).to.equal('running');

    const box = text.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.x + 10), Math.round(box.y + box.height / 2)] });
    expect(getComputedStyle(text).animationPlayState).to.equal('paused');
    await sendMouse({ type: 'move', position: [0, 0] });
  });

  it('stops scrolling while the keyboard is in it', async () => {
    const { inNotice } = await noticeSlot(LONG);
    (inNotice.querySelector('a.text') as HTMLElement).focus();
    expect(getComputedStyle(inNotice.querySelector('.text') as Element).animationPlayState).to.equal('paused');
  });

  it('does not move under reduced motion: the whole text wraps instead', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const { inNotice } = await noticeSlot(LONG);
    const text = inNotice.querySelector('.text') as HTMLElement;
    expect(getComputedStyle(text).animationName).to.equal('none');
    expect(text.getBoundingClientRect().right).to.be.at.most(
      (inNotice.querySelector('.viewport') as HTMLElement).getBoundingClientRect().right,
    );
    expect(getComputedStyle(text).whiteSpace).to.equal('normal');
  });

  it('closes by keyboard with one key, saying op-close', async () => {
    const { slot, inNotice } = await noticeSlot();
    (inNotice.querySelector('.close') as HTMLButtonElement).focus();
    const closed = oneEvent(slot, 'op-close');
    await sendKeys({ press: 'Enter' });
    expect((await closed).detail).to.include({ creativeId: 'cr-notice-1', dontShowAgain: false });
    expect(slot.getBoundingClientRect().height).to.equal(0);
  });
});

// <op-slot> under contact-frequency rules: the ledger picks among the decision's candidates, a capped slot collapses
// with the reason, the next request carries the ledger's digest, and the operator's logout forgets their counts.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { FrequencyRules } from '@opslot/core';
import '../define.js';
import { answerFrom, bannerCreative } from '../test-support/fake-endpoint.js';
import { CONFIG, detachedSlot, nextRender, session, settled } from '../test-support/slot-fixtures.js';
import type { OpEmptyDetail } from './op-slot.events.js';

const ONCE_PER_PAGE: FrequencyRules = { caps: [{ scope: 'creative', max: 1, window: 'page' }], countOn: 'rendered' };

describe('<op-slot> frequency rules', () => {
  it('shows the next candidate once the first is capped, then collapses with the reason', async () => {
    const capped = bannerCreative({ id: 'cr-capped', frequency: ONCE_PER_PAGE });
    const spare = bannerCreative({ id: 'cr-spare', campaignId: 'camp-spare', frequency: ONCE_PER_PAGE });
    const { opslot, endpoint } = session(answerFrom({ 'home-banner': [capped, spare] }), {
      ...CONFIG,
      lazyLoad: false,
    });
    const shown: string[] = [];
    const page = await fixture(html`<div></div>`);
    for (let index = 0; index < 2; index++) {
      const slot = detachedSlot(opslot, 'home-banner');
      const rendered = nextRender(slot);
      page.append(slot);
      shown.push((await rendered).detail.creativeId);
    }
    expect(shown).to.deep.equal(['cr-capped', 'cr-spare']);

    const third = detachedSlot(opslot, 'home-banner');
    const empty = oneEvent(third, 'op-empty');
    page.append(third);
    const detail: OpEmptyDetail = (await empty).detail;
    expect(detail.reason).to.equal('capped:page');
    expect(third.state).to.equal('empty');
    expect(getComputedStyle(third).display).to.equal('none');
    // Requests after the first tell the server what this browser will not show anyway.
    expect(endpoint.decisionRequests.at(-1)?.ledger).to.deep.equal({
      cappedCreatives: ['cr-capped', 'cr-spare'],
      cappedCampaigns: [],
    });
  });

  it('gives a place back when the slot leaves the page before its exposure counted', async () => {
    const oncePerPageViewable: FrequencyRules = { caps: [{ scope: 'creative', max: 1, window: 'page' }] };
    const creative = bannerCreative({ id: 'cr-once', frequency: oncePerPageViewable });
    const { opslot } = session(answerFrom({ 'home-banner': [creative] }), { ...CONFIG, lazyLoad: false });
    const page = await fixture(html`<div></div>`);
    const first = detachedSlot(opslot, 'home-banner');
    page.append(first);
    expect(await settled(first)).to.equal('rendered');
    // Rendered but not yet viewable: removed (a route change), it frees its place for the next slot.
    first.remove();
    await new Promise((resolve) => setTimeout(resolve));
    const second = detachedSlot(opslot, 'home-banner');
    page.append(second);
    expect(await settled(second)).to.equal('rendered');
  });

  it("keeps one operator's counts from another's", async () => {
    const creative = bannerCreative({ id: 'cr-once', frequency: ONCE_PER_PAGE });
    const operatorA = `op-a-${crypto.randomUUID()}`;
    const { opslot } = session(answerFrom({ 'home-banner': [creative] }), {
      ...CONFIG,
      lazyLoad: false,
      operator: operatorA,
    });
    const page = await fixture(html`<div></div>`);
    const states: string[] = [];
    const show = async () => {
      const slot = detachedSlot(opslot, 'home-banner');
      page.append(slot);
      states.push(await settled(slot));
    };
    await show();
    await show();
    opslot.configure({ operator: `op-b-${crypto.randomUUID()}` });
    await show();
    expect(states).to.deep.equal(['rendered', 'empty', 'rendered']);
  });
});

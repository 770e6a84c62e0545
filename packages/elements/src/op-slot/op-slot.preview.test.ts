// A partner's preview in place: a page opened with `?opslot_preview=<token>` sends the token, shows the previewed
// creative marked 预览, flags its events, leaves the operator's contact frequency alone, and says when the server
// refused the token without losing the page's slots.
import { expect, fixture, html } from '@open-wc/testing';
import { createOpslot, type DecisionRequest, type DecisionResponse } from '@opslot/core';
import '../define.js';
import { answerFrom, bannerCreative, fakeEndpoint } from '../test-support/fake-endpoint.js';
import { formatCreative } from '../test-support/format-creatives.js';
import { CONFIG, nextRender, session, shadow, slotWith } from '../test-support/slot-fixtures.js';
import type { OpSlot } from './op-slot.component.js';

const TOKEN = 'eyJwIjoicGFydG5lci1jaGVuZ2NodWFuIn0.c2lnbmF0dXJl';

/** Runs `body` with `query` added to the test page's URL, as if the page had been opened with it. */
async function openedWith<T>(query: string, body: () => Promise<T>): Promise<T> {
  const original = location.href;
  history.replaceState(null, '', `${location.pathname}${location.search ? `${location.search}&` : '?'}${query}`);
  try {
    return await body();
  } finally {
    history.replaceState(null, '', original);
  }
}

/** The preview's answer: the token's creative alone, marked `preview`, as the reference server gives it. */
const previewAnswer = (request: DecisionRequest) =>
  Response.json({
    v: 1,
    decisionId: 'dec-preview-1',
    ttl: 0,
    slots: request.slots.map((slot) => ({
      id: slot.id,
      candidates: [bannerCreative({ id: 'cr-partner-draft', strategy: 'preview', preview: true })],
    })),
    preview: { accepted: true },
  } satisfies DecisionResponse);

describe('<op-slot> partner preview', () => {
  it('sends the page’s preview token with its decision request, and leaves a mangled one out', async () => {
    const sent = await openedWith(`opslot_preview=${TOKEN}`, async () => {
      const { opslot, endpoint } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
      await nextRender(await slotWith(opslot, 'home-banner'));
      return endpoint.decisionRequests[0];
    });
    expect(sent?.preview).to.equal(TOKEN);

    const mangled = await openedWith('opslot_preview=%3Cscript%3E', async () => {
      const { opslot, endpoint } = session(answerFrom({ 'home-banner': [bannerCreative()] }));
      await nextRender(await slotWith(opslot, 'home-banner'));
      return endpoint.decisionRequests[0];
    });
    expect(mangled).not.to.have.property('preview');
  });

  it('marks the previewed creative 预览 beside 广告, and Preview in English', async () => {
    const { opslot } = session(previewAnswer);
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    expect([...shadow(slot).querySelectorAll('.label')].map((label) => label.textContent)).to.deep.equal([
      '广告',
      '预览',
    ]);
    await expect(slot).to.be.accessible();

    const wrapper = await fixture<HTMLDivElement>(
      html`<div lang="en"><op-slot .session=${session(previewAnswer).opslot} slot-id="home-banner" size="960x240"></op-slot></div>`,
    );
    const english = wrapper.firstElementChild as OpSlot;
    await nextRender(english);
    expect([...shadow(english).querySelectorAll('.label')].map((label) => label.textContent)).to.deep.equal([
      'Ad',
      'Preview',
    ]);
  });

  it('marks a previewed creative of any other format 预览 too', async () => {
    const { opslot } = session(answerFrom({ slot: [{ ...formatCreative('native'), preview: true }] }));
    const slot = await fixture<OpSlot>(html`<op-slot .session=${opslot} slot-id="slot"></op-slot>`);
    await nextRender(slot);
    const native = shadow(slot).querySelector('op-native')?.shadowRoot as ShadowRoot;
    expect([...native.querySelectorAll('.label')].map((label) => label.textContent)).to.deep.equal(['广告', '预览']);
  });

  it('flags every event of a preview, and not those of an ordinary creative', async () => {
    const { opslot, endpoint } = session(previewAnswer);
    await nextRender(await slotWith(opslot, 'home-banner'));
    await (await opslot.measurement())?.flush();
    const render = endpoint.events.find((event) => event.type === 'render');
    expect(render).to.include({ creativeId: 'cr-partner-draft', preview: true });

    const ordinary = session(answerFrom({ 'home-banner': [bannerCreative()] }));
    await nextRender(await slotWith(ordinary.opslot, 'home-banner'));
    await (await ordinary.opslot.measurement())?.flush();
    expect(ordinary.endpoint.events.find((event) => event.type === 'render')).not.to.have.property('preview');
  });

  it('shows a preview whatever the operator’s caps say, and does not count it against them', async () => {
    const onceAPage = {
      ...CONFIG,
      frequency: { caps: [{ scope: 'creative', max: 1, window: 'page' }], countOn: 'rendered' },
    };
    let previewing = true;
    const { opslot } = session(
      (request) => (previewing ? previewAnswer(request) : answerFrom({ 'home-banner': [bannerCreative()] })(request)),
      onceAPage,
    );
    const previewed = await slotWith(opslot, 'home-banner');
    await nextRender(previewed);
    const secondPreview = await slotWith(opslot, 'home-banner');
    await nextRender(secondPreview);

    // The ordinary creative's one exposure on this page is still there to be had, once.
    previewing = false;
    const first = await slotWith(opslot, 'home-banner');
    expect((await nextRender(first)).detail.creativeId).to.equal('cr-hengtai-1');
    const second = await slotWith(opslot, 'home-banner');
    const empty = await new Promise<CustomEvent>((resolve) => second.addEventListener('op-empty', resolve as never));
    expect(empty.detail.reason).to.equal('capped:page');
  });

  it('tells the page when the server refused its token, and shows the slots as usual', async () => {
    const diagnostics: object[] = [];
    const endpoint = fakeEndpoint(async (request) => {
      const answer = await (await answerFrom({ 'home-banner': [bannerCreative()] })(request)).json();
      return Response.json({ ...answer, preview: { accepted: false, reason: 'expired' } });
    });
    const slot = await openedWith(`opslot_preview=${TOKEN}`, async () => {
      const opslot = createOpslot({
        win: window,
        configInputs: [{ operator: `test-${crypto.randomUUID()}` }, CONFIG],
        fetch: endpoint.fetch,
        onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
      });
      const inPage = await slotWith(opslot, 'home-banner');
      expect((await nextRender(inPage)).detail.creativeId).to.equal('cr-hengtai-1');
      return inPage;
    });
    expect(endpoint.decisionRequests[0]?.preview).to.equal(TOKEN);
    expect(diagnostics).to.deep.equal([{ code: 'preview-refused', message: 'expired' }]);
    expect(shadow(slot).querySelectorAll('.label')).to.have.length(1);
  });
});

import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../define.js';
import { errorJson, fakePartnerApi, ME, meAnswer } from '../test-support/fake-partner-api.js';
import type { OpPartnerEntry } from './op-partner-entry.js';

async function entry(api: ReturnType<typeof fakePartnerApi>, lang?: string) {
  const element = await fixture<OpPartnerEntry>(
    html`<op-partner-entry lang=${lang ?? 'zh-CN'} .client=${api.client}></op-partner-entry>`,
  );
  await settled(element);
  return element;
}

/** Waits until the element has its answer (the fake answers in a microtask or two). */
async function settled(element: OpPartnerEntry) {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve));
    await element.updateComplete;
  }
}

const root = (element: OpPartnerEntry) => element.shadowRoot as ShadowRoot;

describe('<op-partner-entry>', () => {
  it('shows an eligible partner the entry, whose button dispatches op-partner-start with the partner', async () => {
    const api = fakePartnerApi({ 'GET me': meAnswer() });
    const element = await entry(api);
    expect(root(element).querySelector('h2')?.textContent).to.equal('流量开放计划');
    await expect(element).to.be.accessible();
    const started = oneEvent(element, 'op-partner-start');
    root(element).querySelector('button')?.click();
    expect((await started).detail.partner.id).to.equal(ME.partner.id);
  });

  it('renders nothing for a partner outside the programme, or without a valid token', async () => {
    const notEligible = await entry(fakePartnerApi({ 'GET me': meAnswer({ ...ME, eligible: false }) }));
    expect(root(notEligible).children).to.have.length(0);
    const unauthorised = await entry(fakePartnerApi({ 'GET me': () => errorJson(401, 'unauthorized', '未登录') }));
    expect(root(unauthorised).children).to.have.length(0);
  });

  it('dispatches op-partner-ready with the answer of /me, for a partner in the programme or not', async () => {
    for (const eligible of [true, false]) {
      const api = fakePartnerApi({ 'GET me': meAnswer({ ...ME, eligible }) });
      const element = document.createElement('op-partner-entry');
      const ready = oneEvent(element, 'op-partner-ready');
      element.client = api.client;
      document.body.append(element);
      expect((await ready).detail.eligible).to.equal(eligible);
      element.remove();
    }
  });

  it('shows a failed request inline with a retry that asks again', async () => {
    const api = fakePartnerApi({ 'GET me': () => errorJson(503, 'unavailable', '服务维护中') });
    const element = await entry(api, 'en');
    expect(root(element).querySelector('[role=alert]')?.textContent).to.contain('服务维护中');
    await expect(element).to.be.accessible();
    api.on('GET me', meAnswer());
    (root(element).querySelector('[role=alert] button') as HTMLButtonElement).click();
    await settled(element);
    expect(root(element).querySelector('h2')?.textContent).to.equal('Traffic programme');
    expect(api.requests).to.have.length(2);
  });
});

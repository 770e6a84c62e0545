// How <op-slot> talks to the decision endpoint: batching and lazy loading, quiet pages, the kill switch, signatures,
// timeouts, refresh, moving a slot, and what hostile answers can (not) do.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { createOpslot, type DecisionRequest } from '@opslot/core';
import '../define.js';
import { refresh, refreshSlots } from '../slot-actions.js';
import { answerFrom, bannerCreative, fakeEndpoint, signedBy } from '../test-support/fake-endpoint.js';
import {
  CONFIG,
  detachedSlot,
  nextFrames,
  nextRender,
  session,
  settled,
  shadow,
  slotWith,
} from '../test-support/slot-fixtures.js';
import type { OpSlot } from './op-slot.component.js';

const everySlotFilled = (request: DecisionRequest) =>
  answerFrom(Object.fromEntries(request.slots.map((slot) => [slot.id, [bannerCreative({ id: `cr-${slot.id}` })]])))(
    request,
  );

describe('<op-slot> decisions', () => {
  it('asks once for ten slots that connect in the same frame', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const ids = Array.from({ length: 10 }, (_, index) => `slot-${index}`);
    const page = await fixture(
      html`<div>${ids.map((id) => html`<op-slot .session=${opslot} slot-id=${id} size="300x25"></op-slot>`)}</div>`,
    );
    await Promise.all([...page.querySelectorAll('op-slot')].map(settled));

    expect(endpoint.decisionRequests).to.have.length(1);
    expect(endpoint.decisionRequests[0]?.slots.map((slot) => slot.id).sort()).to.deep.equal(ids);
  });

  it('asks for slots far below the fold only when the page scrolls near them, together', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const near = ['a', 'b', 'c', 'd', 'e'];
    const far = ['v', 'w', 'x', 'y', 'z'];
    const page = await fixture(html`<div>
      ${near.map((id) => html`<op-slot .session=${opslot} slot-id=${id} size="300x20"></op-slot>`)}
      <div style="height: ${innerHeight * 3}px"></div>
      <div id="far">${far.map((id) => html`<op-slot .session=${opslot} slot-id=${id} size="300x20"></op-slot>`)}</div>
    </div>`);
    const slots = [...page.querySelectorAll('op-slot')];
    await Promise.all(slots.slice(0, 5).map(settled));
    await nextFrames(3);

    const requestedIds = () => endpoint.decisionRequests.map((request) => request.slots.map((slot) => slot.id).sort());
    expect(requestedIds()).to.deep.equal([near]);
    expect(slots.slice(5).map((slot) => slot.state)).to.deep.equal(['idle', 'idle', 'idle', 'idle', 'idle']);

    page.querySelector('#far')?.scrollIntoView();
    await Promise.all(slots.slice(5).map(settled));
    expect(requestedIds()).to.deep.equal([near, far]);
    window.scrollTo(0, 0);
  });

  it('does not ask for a slot beside the viewport or in a collapsed section before it is seen', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const page = await fixture(html`<div>
      <op-slot .session=${opslot} slot-id="seen" size="300x20"></op-slot>
      <div style="display: flex; width: 100vw; overflow: hidden">
        <div style="flex: 0 0 100vw"></div>
        <op-slot .session=${opslot} slot-id="next-panel" size="300x20" style="flex: 0 0 300px"></op-slot>
      </div>
      <div style="height: 0; overflow: hidden">
        <p>Account details</p>
        <op-slot .session=${opslot} slot-id="collapsed" size="300x20"></op-slot>
      </div>
    </div>`);
    const [seen, ...unseen] = [...page.querySelectorAll('op-slot')];
    await settled(seen as OpSlot);
    await nextFrames(3);

    expect(endpoint.decisionRequests.map((request) => request.slots.map((slot) => slot.id))).to.deep.equal([['seen']]);
    expect(unseen.map((slot) => (slot as OpSlot).state)).to.deep.equal(['idle', 'idle']);
  });

  it('asks for every slot at once when lazy loading is off', async () => {
    const { opslot, endpoint } = session(everySlotFilled, { ...CONFIG, lazyLoad: false });
    const page = await fixture(html`<div>
      <op-slot .session=${opslot} slot-id="top" size="300x20"></op-slot>
      <div style="height: ${innerHeight * 3}px"></div>
      <op-slot .session=${opslot} slot-id="bottom" size="300x20"></op-slot>
    </div>`);
    await Promise.all([...page.querySelectorAll('op-slot')].map(settled));

    expect(endpoint.decisionRequests.map((request) => request.slots.map((slot) => slot.id))).to.deep.equal([
      ['top', 'bottom'],
    ]);
  });

  it('waits for the nearer render margin before showing a creative it has already fetched', async () => {
    const { opslot } = session(everySlotFilled, {
      ...CONFIG,
      lazyLoad: { fetchMarginPercent: 300, renderMarginPercent: 0 },
    });
    const page = await fixture(html`<div>
      <div style="height: ${innerHeight * 2}px"></div>
      <op-slot .session=${opslot} slot-id="below" size="300x20"></op-slot>
    </div>`);
    const slot = page.querySelector('op-slot') as OpSlot;
    while (slot.state !== 'loading' && slot.state !== 'rendered') await nextFrames(1);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(shadow(slot).querySelector('img')).to.equal(null);
    const rendered = nextRender(slot);
    slot.scrollIntoView();
    expect((await rendered).detail.creativeId).to.equal('cr-below');
    window.scrollTo(0, 0);
  });

  it('moved again and again before its decision, lets the page run and asks once, where it stays', async () => {
    // Only a slot's first start looks for the viewport before the next frame; each later one waits for the
    // observer's report. A slot that restarted without a frame between, each start asking anew, starved the page.
    const { opslot, endpoint } = session(everySlotFilled);
    const page = await fixture<HTMLDivElement>(html`<div><div></div><div></div></div>`);
    const [first, second] = [...page.children] as HTMLElement[];
    const slot = detachedSlot(opslot, 'moved');
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    });
    for (let move = 0; move < 100; move++) {
      (move % 2 ? second : first)?.append(slot);
      await Promise.resolve();
    }
    await nextRender(slot);

    expect(timerRan).to.equal(true);
    expect(endpoint.decisionRequests.map((request) => request.slots.map(({ id }) => id))).to.deep.equal([['moved']]);
  });

  it('sends QA’s ?opslot_force from the page’s URL with its request, and nothing when the URL has none', async () => {
    const page = location.href;
    history.replaceState(null, '', `${location.pathname}?opslot_force=forced:cr-forced&opslot_force=bad`);
    try {
      const { opslot, endpoint } = session(everySlotFilled);
      await nextRender(await slotWith(opslot, 'forced'));
      expect(endpoint.decisionRequests[0]?.force).to.deep.equal([{ slotId: 'forced', creativeId: 'cr-forced' }]);
    } finally {
      history.replaceState(null, '', page);
    }
    const { opslot, endpoint } = session(everySlotFilled);
    await nextRender(await slotWith(opslot, 'unforced'));
    expect(endpoint.decisionRequests[0]).not.to.have.property('force');
  });

  it('tells the page as each decision request leaves, after it has left, and never on a quiet page', async () => {
    const endpoint = fakeEndpoint(everySlotFilled);
    const sentWhenTold: number[] = [];
    const sessionWith = (config: object) =>
      createOpslot({
        win: window,
        configInputs: [config],
        fetch: endpoint.fetch,
        onRequest: () => sentWhenTold.push(endpoint.decisionRequests.length),
      });
    const slot = { id: 'home-banner', sizes: [], formats: ['banner'] };
    await sessionWith(CONFIG).decide(slot);
    await sessionWith({ ...CONFIG, pageId: 'transfer-confirm', quietPages: ['transfer-confirm'] }).decide(slot);

    expect(sentWhenTold).to.deep.equal([1]);
  });

  it('never asks or shows anything on a quiet page', async () => {
    const { opslot, endpoint } = session(everySlotFilled, {
      ...CONFIG,
      pageId: 'transfer-confirm',
      quietPages: ['transfer-confirm'],
    });
    const slot = detachedSlot(opslot, 'home-banner');
    const empty = oneEvent(slot, 'op-empty');
    document.body.append(slot);

    expect((await empty).detail).to.deep.equal({ slotId: 'home-banner', reason: 'quiet-zone' });
    expect(endpoint.decisionRequests).to.have.length(0);
    slot.remove();
  });

  it('shows nothing while the kill switch is on, and does not ask again before the decision’s ttl', async () => {
    const { opslot, endpoint } = session((request) =>
      Response.json({
        v: 1,
        decisionId: 'dec-off',
        ttl: 300,
        slots: request.slots.map(({ id }) => ({ id, candidates: [bannerCreative()], disabled: true })),
      }),
    );
    const first = detachedSlot(opslot, 'home-banner');
    const firstEmpty = oneEvent(first, 'op-empty');
    document.body.append(first);
    expect((await firstEmpty).detail).to.deep.equal({
      slotId: 'home-banner',
      reason: 'disabled',
      decisionId: 'dec-off',
    });

    const second = detachedSlot(opslot, 'home-banner');
    const secondEmpty = oneEvent(second, 'op-empty');
    document.body.append(second);
    expect((await secondEmpty).detail.reason).to.equal('disabled');
    expect(endpoint.decisionRequests).to.have.length(1);
    first.remove();
    second.remove();
  });

  it('keeps the reserved space of an empty slot when the page asks for keep-space', async () => {
    const { opslot } = session(answerFrom({}), { ...CONFIG, collapse: 'keep-space' });
    const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 480px"></div>`);
    const slot = detachedSlot(opslot, 'home-banner', '960x240');
    const empty = oneEvent(slot, 'op-empty');
    wrapper.append(slot);
    await empty;
    await slot.updateComplete;

    expect(slot.getBoundingClientRect().height).to.equal(120);
  });

  describe('signed decisions', () => {
    let keys: CryptoKeyPair;
    let publicKey: JsonWebKey;
    before(async () => {
      keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
      publicKey = { kty, crv, x, y, kid: 'test' } as JsonWebKey;
    });

    it('shows a creative whose decision carries a valid signature', async () => {
      const answer = signedBy(keys.privateKey, answerFrom({ 'home-banner': [bannerCreative()] }));
      const { opslot } = session(answer, { ...CONFIG, publicKey });
      const slot = await slotWith(opslot, 'home-banner');

      expect((await nextRender(slot)).detail.creativeId).to.equal('cr-hengtai-1');
    });

    it('refuses a tampered decision and an unsigned one', async () => {
      const tampered = signedBy(keys.privateKey, answerFrom({ 'home-banner': [bannerCreative()] }), true);
      const { opslot } = session(tampered, { ...CONFIG, publicKey });
      const slot = await slotWith(opslot, 'home-banner');
      expect((await oneEvent(slot, 'op-error')).detail.code).to.equal('bad-signature');

      const unsigned = session(answerFrom({ 'home-banner': [bannerCreative()] }), { ...CONFIG, publicKey });
      const other = await slotWith(unsigned.opslot, 'home-banner');
      expect((await oneEvent(other, 'op-error')).detail.code).to.equal('unsigned');
    });
  });

  it('gives up on a decision endpoint that does not answer after the timeout, and the page stays responsive', async () => {
    const { opslot } = session(() => new Promise<Response>(() => {}), { ...CONFIG, timeoutMs: 300 });
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 20);
    const started = performance.now();
    const slot = await slotWith(opslot, 'home-banner');
    const error = await oneEvent(slot, 'op-error');
    const waited = performance.now() - started;
    clearInterval(ticking);

    expect(error.detail.code).to.equal('timeout');
    expect(waited).to.be.at.least(290);
    // Generous: the point is that the slot settles by the timeout rather than hanging, not the exact millisecond.
    expect(waited).to.be.below(2000);
    expect(ticks).to.be.at.least(5);
  });

  it('keeps its creative, without a new request or render, when the page moves it', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const page = await fixture(html`<div><div id="a"></div><div id="b"></div></div>`);
    const slot = detachedSlot(opslot, 'home-banner');
    const renders: string[] = [];
    slot.addEventListener('op-render', (event) => renders.push(event.detail.creativeId));
    page.querySelector('#a')?.append(slot);
    await nextRender(slot);

    page.querySelector('#b')?.append(slot);
    await nextFrames(3);

    expect(slot.state).to.equal('rendered');
    expect(endpoint.decisionRequests).to.have.length(1);
    expect(renders).to.deep.equal(['cr-home-banner']);
  });

  it('asks anew when it is put back on another page of a single-page app', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    const container = slot.parentElement as HTMLElement;
    slot.remove();
    opslot.configure({ pageId: 'accounts' });
    container.append(slot);
    await nextRender(slot);

    expect(endpoint.decisionRequests.map((request) => request.page.pageId)).to.deep.equal(['home', 'accounts']);
  });

  it('refreshes a slot 30 seconds after its latest decision, or at once when forced', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    await opslot.measurement();
    const realNow = Date.now;
    const startedAt = realNow();
    try {
      expect(await refreshSlots(opslot, ['home-banner'], false), 'decided just now').to.deep.equal([]);
      // The page's refresh() is the page-wide session's: it leaves this session's slots alone.
      expect(await refresh(['home-banner'], { force: true })).to.deep.equal([]);

      Date.now = () => startedAt + 31_000;
      let rendered = nextRender(slot);
      expect(await refreshSlots(opslot, undefined, false)).to.deep.equal(['home-banner']);
      // Still in flight: the refresh itself counts, not only the decision it leads to.
      expect(await refreshSlots(opslot, ['home-banner'], false)).to.deep.equal([]);
      await rendered;
      expect(await refreshSlots(opslot, ['home-banner'], false), 'decided again').to.deep.equal([]);

      rendered = nextRender(slot);
      expect(await refreshSlots(opslot, ['home-banner'], true)).to.deep.equal(['home-banner']);
      await rendered;
    } finally {
      Date.now = realNow;
    }
    expect(endpoint.decisionRequests).to.have.length(3);
  });

  it('without its measurement code, takes the page start for the latest decision', async () => {
    const { opslot, endpoint } = session(everySlotFilled);
    const slot = await slotWith(opslot, 'home-banner');
    await nextRender(slot);
    opslot.measurement = () => Promise.reject(new Error('blocked by the content security policy'));
    const realNow = Date.now;
    try {
      Date.now = () => performance.timeOrigin + 29_000;
      expect(await refreshSlots(opslot, ['home-banner'], false)).to.deep.equal([]);
      Date.now = () => performance.timeOrigin + 31_000;
      const rendered = nextRender(slot);
      expect(await refreshSlots(opslot, ['home-banner'], false)).to.deep.equal(['home-banner']);
      await rendered;
    } finally {
      Date.now = realNow;
    }
    expect(endpoint.decisionRequests).to.have.length(2);
  });

  it('refreshes nothing and loads nothing on a quiet page, or without a slot to refresh', async () => {
    const quiet = session(everySlotFilled, { ...CONFIG, quietPages: ['home'] });
    await slotWith(quiet.opslot, 'home-banner');
    let asked = 0;
    quiet.opslot.measurement = async () => {
      asked += 1;
      return undefined;
    };
    expect(await refreshSlots(quiet.opslot, undefined, false)).to.deep.equal([]);
    const empty = session(everySlotFilled);
    empty.opslot.measurement = quiet.opslot.measurement;
    expect(await refreshSlots(empty.opslot, undefined, false)).to.deep.equal([]);
    expect(asked).to.equal(0);
  });

  it('takes configuration that a module gives after the slots connected, and reports a problem only when they ask', async () => {
    const diagnostics: { code: string }[] = [];
    const endpoint = fakeEndpoint(answerFrom({ 'home-banner': [bannerCreative()] }));
    const opslot = createOpslot({
      win: window,
      configInputs: [{ channel: 'corporate-web', operator: `test-${crypto.randomUUID()}` }],
      fetch: endpoint.fetch,
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    const slot = detachedSlot(opslot, 'home-banner');
    const rendered = nextRender(slot);
    document.body.append(slot);
    // The page's own module runs after the SDK's, in the same task: before the slots' frame.
    opslot.configure({ endpoint: '/api/v1' });
    await rendered;
    expect(diagnostics).to.deep.equal([]);
    slot.remove();

    const misconfigured = createOpslot({
      win: window,
      configInputs: [{ channel: 'corporate-web' }],
      fetch: endpoint.fetch,
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
    const other = detachedSlot(misconfigured, 'home-banner');
    const error = oneEvent(other, 'op-error');
    document.body.append(other);
    expect((await error).detail.code).to.equal('config-missing-endpoint');
    expect(diagnostics.map((diagnostic) => diagnostic.code)).to.deep.equal(['config-missing-endpoint']);
    other.remove();
  });

  it('survives a thousand hostile answers: nothing runs, nothing leaks into prototypes, nothing throws', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent | PromiseRejectionEvent) =>
      errors.push('reason' in event ? event.reason : event.error);
    addEventListener('error', onError);
    addEventListener('unhandledrejection', onError);
    const executed = { count: 0 };
    (window as unknown as { __opslotPwned: () => void }).__opslotPwned = () => executed.count++;
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    try {
      // 1,000 answers: one per slot, ten slots a page, each answer a different mix of the hostile shapes below.
      for (let page = 0; page < 100; page++) {
        const slots = Array.from({ length: 10 }, (_, index) => {
          const seed = page * 10 + index;
          const { opslot } = session((request) => new Response(hostileAnswer(seed, request), { status: 200 }));
          return detachedSlot(opslot, `h-${index}`, '20x20');
        });
        const container = await fixture<HTMLDivElement>(html`<div></div>`);
        container.append(...slots);
        await Promise.all(slots.map(settled));
      }
    } finally {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onError);
    }
    expect(errors).to.deep.equal([]);
    expect(executed.count).to.equal(0);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).to.deep.equal(prototypeKeys);
    expect(({} as { polluted?: unknown }).polluted).to.equal(undefined);
  });
});

const SCRIPT = '<img src=x onerror="__opslotPwned()"><script>__opslotPwned()</script>';

/** One of many hostile or malformed answers, chosen by `seed`. */
function hostileAnswer(seed: number, request: DecisionRequest): string {
  const creative = (index: number) => ({
    id: `cr-${index}`,
    campaignId: 'camp',
    format: ['banner', 'video', '<b>', 'banner'][index % 4],
    advertiser: { id: 'adv', name: index % 3 ? SCRIPT : 'x'.repeat(10_000) },
    assets: {
      image: {
        src: ['javascript:__opslotPwned()', 'data:text/html,<script>', '/ok.png'][index % 3],
        width: 20,
        height: 20,
        alt: SCRIPT,
      },
    },
    landingUrl: ['javascript:__opslotPwned()', ' JaVaScRiPt:__opslotPwned()', 'vbscript:x', 'https://ok.example/'][
      index % 4
    ],
    strategy: 'priority',
    reason: SCRIPT,
  });
  const slots = request.slots.map((slot) => ({ id: slot.id, candidates: [creative(seed), creative(seed + 1)] }));
  switch (seed % 8) {
    case 0:
      return '{"v":1,"decisionId":"d","ttl":5,"slots":[],"__proto__":{"polluted":true}}';
    case 2:
      return JSON.stringify({ v: 2, decisionId: 'd', ttl: 5, slots });
    case 4:
      return `{"v":1,"decisionId":"d","ttl":5,"slots":${'['.repeat(5000)}`;
    case 6:
      return JSON.stringify({
        v: 1,
        decisionId: 'd',
        ttl: 5,
        slots: [{ id: 'x', candidates: 'nope', constructor: { prototype: { polluted: true } } }],
      });
    default:
      return JSON.stringify({ v: 1, decisionId: 'd', ttl: 5, slots });
  }
}

import { expect } from '@open-wc/testing';
import { type BatchResult, createDecisionBatcher, SLOT_ERRORS, type SlotOutcome } from './decision-batcher.js';
import { DECISION_ERRORS } from './decision-client.js';
import type { Creative, SlotRequest } from './protocol.js';

const slot = (id: string, sizes: [number, number][] = [[300, 250]], formats = ['banner']): SlotRequest => ({
  id,
  sizes,
  formats,
});

const creative = (id: string, format = 'banner'): Creative => ({
  id,
  campaignId: 'cmp-1',
  format,
  advertiser: { id: 'adv-hengtai', name: '恒泰精密机械（示例）' },
  assets: { image: { src: `/v1/assets/${id}.png`, width: 300, height: 250, alt: '恒泰精密机械' } },
  landingUrl: 'https://partner.example/landing',
  strategy: 'priority',
  reason: '白名单企业',
});

/** Answers every slot it was sent with one banner, unless the test decides otherwise. */
const fillAll = (slots: SlotRequest[]): BatchResult => ({
  ok: true,
  response: {
    v: 1,
    decisionId: 'd-1',
    ttl: 60,
    slots: slots.map(({ id }) => ({ id, candidates: [creative(`cr-${id}`)] })),
  },
});

/**
 * A batcher with a hand-cranked frame and a recording `send`. Each send waits for the test to answer it, unless
 * `autoAnswer` says how.
 */
function setup(options: { autoAnswer?: (slots: SlotRequest[]) => BatchResult; maxSlotsPerRequest?: number } = {}) {
  const frames: (() => void)[] = [];
  const sends: { slots: SlotRequest[]; signal: AbortSignal; answer: (result: BatchResult) => void }[] = [];
  const batcher = createDecisionBatcher({
    schedule: (flush) => frames.push(flush),
    maxSlotsPerRequest: options.maxSlotsPerRequest,
    send: (slots, signal) =>
      new Promise((resolve) => {
        sends.push({ slots, signal, answer: resolve });
        if (options.autoAnswer) resolve(options.autoAnswer(slots));
      }),
  });
  const frame = () => {
    const pending = frames.splice(0);
    for (const flush of pending) flush();
  };
  return { batcher, frames, sends, frame };
}

/** Resolves once every promise queued so far has run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createDecisionBatcher', () => {
  it('sends the 10 slots asked for in one frame as one request', async () => {
    const { batcher, frames, sends, frame } = setup({ autoAnswer: fillAll });
    const ids = Array.from({ length: 10 }, (_, index) => `slot-${index}`);
    const outcomes = Promise.all(ids.map((id) => batcher.request(slot(id))));
    expect(frames, 'one frame callback for the whole batch').to.have.length(1);
    expect(sends).to.have.length(0);
    frame();
    const results = await outcomes;
    expect(sends).to.have.length(1);
    expect(sends[0]?.slots.map(({ id }) => id)).to.deep.equal(ids);
    results.forEach((outcome, index) => {
      expect(outcome).to.deep.equal({
        kind: 'filled',
        decisionId: 'd-1',
        ttl: 60,
        candidates: [creative(`cr-slot-${index}`)],
      });
    });
  });

  it('sends slots of two frames as two requests', async () => {
    const { batcher, sends, frame } = setup({ autoAnswer: fillAll });
    const first = batcher.request(slot('a'));
    frame();
    const second = batcher.request(slot('b'));
    frame();
    await Promise.all([first, second]);
    expect(sends.map((send) => send.slots.map(({ id }) => id))).to.deep.equal([['a'], ['b']]);
  });

  it('splits a frame only above maxSlotsPerRequest, 50 by default', async () => {
    const many = setup({ autoAnswer: fillAll });
    await Promise.all([
      ...Array.from({ length: 120 }, (_, index) => many.batcher.request(slot(`s${index}`))),
      Promise.resolve(many.frame()),
    ]);
    expect(many.sends.map((send) => send.slots.length)).to.deep.equal([50, 50, 20]);

    const few = setup({ autoAnswer: fillAll, maxSlotsPerRequest: 4 });
    const outcomes = Array.from({ length: 10 }, (_, index) => few.batcher.request(slot(`s${index}`)));
    few.frame();
    await Promise.all(outcomes);
    expect(few.sends.map((send) => send.slots.length)).to.deep.equal([4, 4, 2]);
  });

  it('sends callers of the same slot id as one request slot, the first caller’s, and gives each the outcome', async () => {
    const { batcher, sends, frame } = setup({ autoAnswer: fillAll });
    const outcomes = Promise.all([
      batcher.request(slot('home', [[960, 240]])),
      batcher.request(slot('side')),
      batcher.request(slot('home', [[960, 240]])),
    ]);
    frame();
    const [home1, side, home2] = await outcomes;
    expect(sends).to.have.length(1);
    expect(sends[0]?.slots).to.deep.equal([slot('home', [[960, 240]]), slot('side')]);
    expect(home1).to.deep.equal(home2);
    expect(home1).to.include({ kind: 'filled' });
    expect(side).to.include({ kind: 'filled' });
  });

  describe('abort', () => {
    it('removes a caller that aborts before the flush and answers it `aborted` at once', async () => {
      const { batcher, sends, frame } = setup({ autoAnswer: fillAll });
      const leaving = new AbortController();
      const gone = batcher.request(slot('gone'), leaving.signal);
      const kept = batcher.request(slot('kept'));
      leaving.abort();
      expect(await gone).to.include({ kind: 'error', code: SLOT_ERRORS.aborted });
      frame();
      expect(await kept).to.include({ kind: 'filled' });
      expect(sends[0]?.slots.map(({ id }) => id)).to.deep.equal(['kept']);
    });

    it('keeps the request slot of the caller that stays', async () => {
      const { batcher, sends, frame } = setup({ autoAnswer: fillAll });
      const leaving = new AbortController();
      const gone = batcher.request(slot('home', [[1, 1]]), leaving.signal);
      const kept = batcher.request(slot('home', [[2, 2]]));
      leaving.abort();
      frame();
      expect(await gone).to.include({ code: SLOT_ERRORS.aborted });
      expect(await kept).to.include({ kind: 'filled' });
      expect(sends[0]?.slots).to.deep.equal([slot('home', [[2, 2]])]);
    });

    it('does not send a batch that everyone left', async () => {
      const { batcher, sends, frame } = setup({ autoAnswer: fillAll });
      const leaving = new AbortController();
      const outcomes = Promise.all([
        batcher.request(slot('a'), leaving.signal),
        batcher.request(slot('b'), leaving.signal),
      ]);
      leaving.abort();
      frame();
      await outcomes;
      await settle();
      expect(sends).to.have.length(0);
    });

    it('answers an already-aborted signal without scheduling anything', async () => {
      const { batcher, frames } = setup();
      expect(await batcher.request(slot('a'), AbortSignal.abort())).to.include({ code: SLOT_ERRORS.aborted });
      expect(frames).to.have.length(0);
    });

    it('aborts a request in flight once every caller has left it', async () => {
      const { batcher, sends, frame } = setup();
      const first = new AbortController();
      const second = new AbortController();
      const outcomes = Promise.all([
        batcher.request(slot('a'), first.signal),
        batcher.request(slot('b'), second.signal),
      ]);
      frame();
      first.abort();
      expect(sends[0]?.signal.aborted).to.equal(false);
      second.abort();
      expect(sends[0]?.signal.aborted).to.equal(true);
      const results = await outcomes;
      expect(results.map((outcome) => outcome.kind)).to.deep.equal(['error', 'error']);
    });
  });

  describe('outcomes', () => {
    it('makes a slot missing from the answer, or without candidates, `empty`', async () => {
      const { batcher, frame } = setup({
        autoAnswer: () => ({
          ok: true,
          response: { v: 1, decisionId: 'd-2', ttl: 60, slots: [{ id: 'answered', candidates: [] }] },
        }),
      });
      const outcomes = Promise.all([batcher.request(slot('answered')), batcher.request(slot('forgotten'))]);
      frame();
      expect(await outcomes).to.deep.equal([
        { kind: 'empty', reason: 'no-fill', decisionId: 'd-2', ttl: 60 },
        { kind: 'empty', reason: 'no-fill', decisionId: 'd-2', ttl: 60 },
      ]);
    });

    it('makes a slot whose kill switch is on `empty` for the reason `disabled`, with the decision’s ttl', async () => {
      const { batcher, frame } = setup({
        autoAnswer: () => ({
          ok: true,
          response: {
            v: 1,
            decisionId: 'd-9',
            ttl: 120,
            slots: [{ id: 'switched-off', candidates: [creative('ignored')], disabled: true }],
          },
        }),
      });
      const outcome = batcher.request(slot('switched-off'));
      frame();
      expect(await outcome).to.deep.equal({ kind: 'empty', reason: 'disabled', decisionId: 'd-9', ttl: 120 });
    });

    it('drops candidates in unknown formats and makes a slot with none left an `unsupported-format` error', async () => {
      const { batcher, frame } = setup({
        autoAnswer: () => ({
          ok: true,
          response: {
            v: 1,
            decisionId: 'd-3',
            ttl: 60,
            slots: [
              { id: 'video-only', candidates: [creative('v1', 'video'), creative('v2', 'interstitial')] },
              { id: 'mixed', candidates: [creative('v3', 'video'), creative('b1')] },
            ],
          },
        }),
      });
      const outcomes = Promise.all([batcher.request(slot('video-only')), batcher.request(slot('mixed'))]);
      frame();
      const [videoOnly, mixed] = await outcomes;
      expect(videoOnly).to.include({ kind: 'error', code: SLOT_ERRORS.unsupportedFormat });
      expect(mixed).to.deep.equal({ kind: 'filled', decisionId: 'd-3', ttl: 60, candidates: [creative('b1')] });
    });

    it('uses the first decision when the server repeats a slot id', async () => {
      const { batcher, frame } = setup({
        autoAnswer: () => ({
          ok: true,
          response: {
            v: 1,
            decisionId: 'd-4',
            ttl: 60,
            slots: [
              { id: 'a', candidates: [creative('first')] },
              { id: 'a', candidates: [creative('second')] },
            ],
          },
        }),
      });
      const outcome = batcher.request(slot('a'));
      frame();
      expect(await outcome).to.deep.equal({
        kind: 'filled',
        decisionId: 'd-4',
        ttl: 60,
        candidates: [creative('first')],
      });
    });

    it('gives every caller the failure of the request', async () => {
      const { batcher, frame } = setup({
        autoAnswer: () => ({
          ok: false,
          code: DECISION_ERRORS.httpStatus,
          message: 'the decision endpoint answered 503',
        }),
      });
      const outcomes = Promise.all([batcher.request(slot('a')), batcher.request(slot('b'))]);
      frame();
      for (const outcome of await outcomes) {
        expect(outcome).to.deep.equal({
          kind: 'error',
          code: DECISION_ERRORS.httpStatus,
          message: 'the decision endpoint answered 503',
        });
      }
    });
  });

  describe('a send that breaks its contract', () => {
    const unhandled: PromiseRejectionEvent[] = [];
    const record = (event: PromiseRejectionEvent) => unhandled.push(event);
    beforeEach(() => {
      unhandled.length = 0;
      window.addEventListener('unhandledrejection', record);
    });
    afterEach(() => window.removeEventListener('unhandledrejection', record));

    const broken: [string, () => Promise<BatchResult>][] = [
      ['rejects', () => Promise.reject(new Error('boom'))],
      [
        'throws synchronously',
        () => {
          throw new Error('boom');
        },
      ],
      ['resolves to nothing', () => Promise.resolve(undefined as unknown as BatchResult)],
      [
        'resolves to an answer without slots',
        () => Promise.resolve({ ok: true, response: {} } as unknown as BatchResult),
      ],
    ];
    for (const [what, send] of broken) {
      it(`gives every caller an error when send ${what}, with no unhandled rejection`, async () => {
        const frames: (() => void)[] = [];
        const batcher = createDecisionBatcher({ send, schedule: (flush) => frames.push(flush) });
        const outcomes = Promise.all([batcher.request(slot('a')), batcher.request(slot('b'))]);
        for (const flush of frames) flush();
        const results: SlotOutcome[] = await outcomes;
        await settle();
        for (const outcome of results) expect(outcome).to.include({ kind: 'error', code: SLOT_ERRORS.sendFailed });
        expect(unhandled).to.have.length(0);
      });
    }
  });

  it('still answers when the scheduler throws', async () => {
    const batcher = createDecisionBatcher({
      send: async (slots) => fillAll(slots),
      schedule: () => {
        throw new Error('no frames here');
      },
    });
    expect(await batcher.request(slot('a'))).to.include({ kind: 'filled' });
  });

  it('by default gathers the slots asked for before the next frame', async () => {
    const sent: string[][] = [];
    const batcher = createDecisionBatcher({
      send: async (slots) => {
        sent.push(slots.map(({ id }) => id));
        return fillAll(slots);
      },
    });
    const first = batcher.request(slot('a'));
    await Promise.resolve();
    const second = batcher.request(slot('b'));
    await Promise.all([first, second]);
    expect(sent).to.deep.equal([['a', 'b']]);
  });
});

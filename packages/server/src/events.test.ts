import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BeaconEvent, ErrorResponse, EventBatchResult, EventType, StatsResponse } from '@opslot/core';
import { createAjv } from './create-ajv.js';
import { readProtocolSchema } from './protocol-validators.js';
import { PERSONAL_VALUES } from './test-support/personal-values.js';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, post, startTestServer, storedEvents } from './test-support/start-test-server.js';

const validateResult = createAjv().compile<EventBatchResult>(readProtocolSchema('event-batch-result.v1.schema.json'));

/** Events with short ids, so that hundreds of them fit in the 64 KiB body limit. */
const compactEvents = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    beaconEvent({
      id: `e${index}`,
      ts: 1_767_225_600_000,
      decisionId: 'd1',
      slotId: 'corp-mobile-home-banner',
      creativeId: 'cr-qiwu-corp-mobile-banner',
      campaignId: 'camp-qiwu-mes-cloud',
      channel: 'corporate-mobile',
      pageId: 'home',
    }),
  );

describe('POST /v1/events', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.dispose());

  const send = async (body: unknown, contentType = 'text/plain;charset=UTF-8') => {
    const res = await post(`${t.origin}/v1/events`, body, contentType);
    assert.equal(res.status, 200);
    const result = (await res.json()) as EventBatchResult;
    assert.ok(validateResult(result), JSON.stringify(validateResult.errors));
    return result;
  };
  const rendersOf = async (creativeId: string) => {
    const res = await fetch(`${t.origin}/v1/stats?creativeId=${creativeId}`);
    return ((await res.json()) as StatsResponse).creatives[0]?.renders;
  };

  test('stores a text/plain batch, as sendBeacon sends it, and an application/json one', async () => {
    const first = beaconEvent({ creativeId: 'cr-qiwu-home-strip', campaignId: 'camp-qiwu-mes-cloud' });
    const second = beaconEvent({ creativeId: 'cr-qiwu-home-strip', campaignId: 'camp-qiwu-mes-cloud' });
    assert.deepEqual(await send({ v: 1, events: [first] }), {
      v: 1,
      accepted: [first.id],
      duplicates: [],
      rejected: [],
    });
    assert.deepEqual(await send({ v: 1, events: [second] }, 'application/json'), {
      v: 1,
      accepted: [second.id],
      duplicates: [],
      rejected: [],
    });
    assert.equal(await rendersOf('cr-qiwu-home-strip'), 2);
  });

  test('counts an event id once, however often and in whichever batch it is resent', async () => {
    const event = beaconEvent({ creativeId: 'cr-beiyu-home-side', campaignId: 'camp-beiyu-pharma' });
    const fresh = beaconEvent({ creativeId: 'cr-beiyu-home-side', campaignId: 'camp-beiyu-pharma' });
    assert.deepEqual((await send({ v: 1, events: [event] })).accepted, [event.id]);
    const retry = await send({ v: 1, events: [event, fresh, event] });
    assert.deepEqual(retry.accepted, [fresh.id]);
    assert.deepEqual(retry.duplicates, [event.id, event.id]);
    assert.equal(await rendersOf('cr-beiyu-home-side'), 2);
  });

  test('rejects a bad event alone, by its index, and stores the others', async () => {
    const good = beaconEvent({ type: 'click' });
    const alsoGood = beaconEvent({ type: 'viewable', method: 'io2' });
    const result = await send({
      v: 1,
      events: [
        beaconEvent({ type: 'hover' as 'click' }),
        good,
        { ...beaconEvent(), pageId: undefined },
        'not an event',
        beaconEvent({ ts: -1 }),
        alsoGood,
        beaconEvent({ method: 'eyeball' as 'io1' }),
      ],
    });
    assert.deepEqual(result.accepted, [good.id, alsoGood.id]);
    assert.deepEqual(result.duplicates, []);
    assert.deepEqual(result.rejected, [
      { index: 0, code: 'invalid-event' },
      { index: 2, code: 'invalid-event' },
      { index: 3, code: 'invalid-event' },
      { index: 4, code: 'invalid-event' },
      { index: 6, code: 'invalid-event' },
    ]);
  });

  test('stores every event type, each with only the fields it carries', async () => {
    const base = { channel: 'personal-web', pageId: 'home' } as const;
    const slot = { ...base, decisionId: 'd-types', slotId: 'personal-home-banner' };
    const creative = { ...slot, creativeId: 'cr-demobank-pension-banner', campaignId: 'camp-demobank-pension' };
    const events: BeaconEvent[] = [
      beaconEvent({ ...only(slot), type: 'request' }),
      beaconEvent({ ...only(creative), type: 'fill' }),
      beaconEvent({ ...only(slot), type: 'no-fill', code: 'capped:campaign' }),
      beaconEvent({ ...only(creative), type: 'render' }),
      beaconEvent({ ...only(creative), type: 'viewable', method: 'io1' }),
      beaconEvent({ ...only(creative), type: 'click' }),
      beaconEvent({ ...only(creative), type: 'close' }),
      beaconEvent({ ...only(slot), type: 'error', code: 'invalid-response' }),
      beaconEvent({ ...only(base), type: 'conversion', name: 'pension-account-opened' }),
    ];
    const result = await send({ v: 1, events });
    assert.deepEqual(
      result.accepted,
      events.map((e) => e.id),
    );
    const stored = storedEvents(t.databasePath);
    assert.deepEqual(
      events.map((e) => stored.get(e.id)?.type),
      [
        'request',
        'fill',
        'no-fill',
        'render',
        'viewable',
        'click',
        'close',
        'error',
        'conversion',
      ] satisfies EventType[],
    );
    const cr = 'cr-demobank-pension-banner';
    assert.deepEqual(
      events.map((e) => stored.get(e.id)?.creative_id),
      [null, cr, null, cr, cr, cr, cr, null, null],
    );
    assert.deepEqual(
      events.map((e) => stored.get(e.id)?.code ?? stored.get(e.id)?.name ?? null),
      [null, null, 'capped:campaign', null, null, null, null, 'invalid-response', 'pension-account-opened'],
    );
  });

  test('stores the optional fields as sent, and absent ones as NULL', async () => {
    const full = beaconEvent({
      type: 'conversion',
      ts: 1_767_225_600_123,
      advertiserId: 'adv-chengchuan',
      experimentId: 'exp-home-banner-copy',
      bucket: 'B',
      method: 'io2',
      code: 'no-fill',
      name: 'sample-requested',
      value: 12.5,
      slotShift: 0.25,
      preview: true,
    });
    const bare: BeaconEvent = { id: 'evt-bare-1', type: 'request', ts: 1, channel: 'corporate-web', pageId: 'home' };
    const notPreview = beaconEvent({ preview: false });
    assert.deepEqual((await send({ v: 1, events: [full, bare, notPreview] })).accepted, [
      full.id,
      bare.id,
      notPreview.id,
    ]);
    const stored = storedEvents(t.databasePath);
    const { received_at, ...row } = stored.get(full.id) ?? {};
    assert.equal(typeof received_at, 'number');
    assert.deepEqual(row, {
      id: full.id,
      type: 'conversion',
      ts: 1_767_225_600_123,
      channel: 'corporate-web',
      page_id: 'home',
      decision_id: full.decisionId,
      slot_id: 'home-banner',
      creative_id: 'cr-chengchuan-home-banner',
      campaign_id: 'camp-chengchuan-five-axis',
      advertiser_id: 'adv-chengchuan',
      experiment_id: 'exp-home-banner-copy',
      bucket: 'B',
      method: 'io2',
      code: 'no-fill',
      name: 'sample-requested',
      preview: 1,
      value: 12.5,
      slot_shift: 0.25,
    });
    const { id, type, ts, channel, page_id, received_at: _, ...optional } = stored.get(bare.id) ?? {};
    assert.deepEqual([id, type, ts, channel, page_id], [bare.id, 'request', 1, 'corporate-web', 'home']);
    assert.ok(Object.keys(optional).length >= 11);
    assert.ok(
      Object.values(optional).every((value) => value === null),
      JSON.stringify(optional),
    );
    assert.equal(stored.get(notPreview.id)?.preview, 0);
  });

  test('stores a batch once when its answer was lost and the client sends it again', async () => {
    const events = Array.from({ length: 5 }, () => beaconEvent({ creativeId: 'cr-demobank-payroll-side' }));
    const batch = { v: 1, events };
    // The collector stores the batch, but its answer never reaches the page (a timeout, a closed tab): the client
    // keeps the batch in its outbox and sends the same events, with the same ids, again.
    const lost = await post(`${t.origin}/v1/events`, batch, 'text/plain');
    await lost.body?.cancel();
    const retry = await send(batch);
    assert.deepEqual(retry.accepted, []);
    assert.deepEqual(
      retry.duplicates,
      events.map((e) => e.id),
    );
    const res = await fetch(`${t.origin}/v1/stats?creativeId=cr-demobank-payroll-side`);
    assert.equal(((await res.json()) as StatsResponse).creatives[0]?.renders, 5);
  });

  test('refuses an event that looks like it carries personal data alone, and stores the rest of its batch', async () => {
    // Every field that holds a string, and one the protocol does not know: each value goes into the next one.
    const fields = ['id', 'decisionId', 'slotId', 'creativeId', 'campaignId', 'advertiserId', 'experimentId']
      .concat(['bucket', 'pageId', 'name', 'code', 'note'])
      .map((field) => field as keyof BeaconEvent);
    const events: unknown[] = [];
    const clean: string[] = [];
    const refused: EventBatchResult['rejected'] = [];
    for (const [n, [value]] of PERSONAL_VALUES.entries()) {
      const ok = beaconEvent({ creativeId: 'cr-demobank-cross-border-strip' });
      clean.push(ok.id);
      refused.push({
        index: events.push(ok, { ...beaconEvent(), [fields[n % fields.length] ?? 'note']: value }) - 1,
        code: 'personal-data',
      });
    }
    const result = await send({ v: 1, events });
    assert.deepEqual(result.rejected, refused);
    assert.deepEqual(result.accepted, clean);
    const stored = JSON.stringify([...storedEvents(t.databasePath).values()]);
    for (const [value, what] of PERSONAL_VALUES) assert.ok(!stored.includes(value), `${what} was stored`);
  });

  test('stores a batch as large as the 64 KiB body limit allows', async () => {
    const events = compactEvents(280);
    const body = JSON.stringify({ v: 1, events });
    assert.ok(body.length > 60 * 1024 && body.length < 64 * 1024, `${body.length} bytes`);
    assert.equal((await send(body)).accepted.length, 280);
    assert.equal(await rendersOf('cr-qiwu-corp-mobile-banner'), 280);
  });

  const envelopeCases: { name: string; body: unknown; message: RegExp }[] = [
    { name: 'protocol version 2', body: { v: 2, events: [beaconEvent()] }, message: /\/v must be equal to constant/ },
    { name: 'no events', body: { v: 1, events: [] }, message: /\/events must NOT have fewer than 1 items/ },
    { name: 'events not an array', body: { v: 1, events: {} }, message: /\/events must be array/ },
    { name: 'no v', body: { events: [beaconEvent()] }, message: /\/v is required/ },
  ];
  for (const { name, body, message } of envelopeCases) {
    test(`refuses the whole batch when its envelope is wrong: ${name}`, async () => {
      const res = await post(`${t.origin}/v1/events`, body, 'text/plain');
      assert.equal(res.status, 400);
      const { error } = (await res.json()) as ErrorResponse;
      assert.equal(error.code, 'invalid-request');
      assert.match(error.message, message);
    });
  }

  test('refuses a body over 64 KiB even when it is streamed without a Content-Length', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 5) controller.close();
        else controller.enqueue(chunk);
        sent += 1;
      },
    });
    const res = await fetch(`${t.origin}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as ErrorResponse).error.code, 'payload-too-large');
    assert.deepEqual(await (await fetch(`${t.origin}/v1/health`)).json(), { ok: true });
  });
});

/** The fields of `fields` that are set, for events that carry only some. */
function only<T extends object>(fields: T): Partial<BeaconEvent> {
  return { decisionId: undefined, slotId: undefined, creativeId: undefined, campaignId: undefined, ...fields };
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ErrorResponse, EventBatchResult, StatsResponse } from '@opslot/core';
import { createAjv } from './create-ajv.js';
import { readProtocolSchema } from './protocol-validators.js';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, post, startTestServer } from './test-support/start-test-server.js';

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
        { ...beaconEvent(), creativeId: undefined },
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

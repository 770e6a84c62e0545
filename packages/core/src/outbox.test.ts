import { expect } from '@open-wc/testing';
import type { OutboxOptions } from './outbox.js';
import type { BeaconEvent, EventBatch } from './protocol.js';
import {
  ENDPOINT,
  event,
  events,
  fakeClock,
  fakeCollector,
  ids,
  KIB,
  networkError,
  settle,
  status,
  testOutbox,
  utf8Bytes,
} from './test-support/outbox-fakes.js';

function setup(options: Partial<OutboxOptions> = {}) {
  const clock = fakeClock();
  const collector = fakeCollector(clock);
  return { clock, collector, ...testOutbox(clock, collector, options) };
}

describe('createOutbox', () => {
  it('sends 20 events at once, in one text/plain keepalive POST', async () => {
    const { collector, outbox } = setup();
    const batch = events(20);
    for (const e of batch.slice(0, 19)) outbox.add(e);
    await settle();
    expect(collector.requests).to.have.length(0);
    outbox.add(batch[19] as BeaconEvent);
    await settle();
    expect(collector.requests).to.have.length(1);
    const [request] = collector.requests;
    expect(request?.url).to.equal(ENDPOINT.href);
    expect(request?.init).to.include({ method: 'POST', keepalive: true, credentials: 'same-origin' });
    expect(request?.init.headers).to.deep.equal({ 'Content-Type': 'text/plain;charset=UTF-8' });
    expect(request?.body).to.equal(JSON.stringify({ v: 1, events: batch }));
    expect(outbox.size).to.equal(0);
  });

  it('sends a few events flushDelayMs after the first, in one request', async () => {
    const { clock, collector, outbox } = setup();
    const batch = events(5);
    outbox.add(batch[0] as BeaconEvent);
    await clock.advance(1000);
    for (const e of batch.slice(1)) outbox.add(e);
    await clock.advance(999);
    expect(collector.requests).to.have.length(0);
    await clock.advance(1);
    expect(collector.requests).to.have.length(1);
    expect(ids(collector.requests[0]?.batch.events ?? [])).to.deep.equal(ids(batch));
    expect(outbox.size).to.equal(0);
  });

  it('uses the credentials mode it is given', async () => {
    const { collector, outbox } = setup({ credentials: 'omit' });
    outbox.add(event());
    await outbox.flush();
    expect(collector.requests[0]?.init.credentials).to.equal('omit');
  });

  it('splits 1,000 events so that every body stays within 60 KiB of UTF-8', async () => {
    const { collector, outbox } = setup({ maxBatchEvents: 500 });
    // Three bytes per character in UTF-8, so a body's length in characters understates its size.
    const batch = events(1000, { pageId: '企业网银首页'.repeat(6), slotId: '首页横幅广告位'.repeat(5) });
    for (const e of batch) outbox.add(e);
    await outbox.flush();
    await settle();
    const bodies = collector.requests.map((r) => r.body);
    expect(bodies.length).to.be.greaterThan(2);
    for (const body of bodies) {
      expect(utf8Bytes(body)).to.be.at.most(60 * KIB);
      expect(utf8Bytes(body)).to.be.greaterThan(body.length);
      expect(JSON.parse(body)).to.have.property('v', 1);
    }
    expect(collector.requests.flatMap((r) => ids(r.batch.events))).to.deep.equal(ids(batch));
    expect(outbox.size).to.equal(0);
  });

  it('keeps a batch answered 500 and sends it again later with the same ids', async () => {
    const { clock, collector, outbox } = setup();
    collector.answerNext(status(500));
    const batch = events(20);
    for (const e of batch) outbox.add(e);
    await settle();
    expect(collector.requests).to.have.length(1);
    expect(outbox.size).to.equal(20);
    await clock.advance(60_000);
    expect(collector.requests).to.have.length(2);
    expect(ids(collector.requests[1]?.batch.events ?? [])).to.deep.equal(ids(batch));
    expect(outbox.size).to.equal(0);
  });

  it('backs off exponentially with full jitter, capped at 60 s', async () => {
    const { clock, collector, outbox } = setup();
    collector.answerNext(...Array.from({ length: 8 }, () => status(503)));
    for (const e of events(20)) outbox.add(e);
    await clock.advance(200_000);
    const at = collector.requests.map((r) => r.at);
    const waits = at.slice(1).map((t, i) => t - (at[i] as number));
    // random() is 0.5: half of 1 s, 2 s, 4 s … up to half of the 60 s cap.
    expect(waits).to.deep.equal([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(outbox.size).to.equal(0);
  });

  it('retries on a network error and on 408', async () => {
    const { clock, collector, outbox } = setup();
    collector.answerNext(() => Promise.reject(new TypeError('Failed to fetch')), status(408));
    for (const e of events(20)) outbox.add(e);
    await clock.advance(10_000);
    expect(collector.requests).to.have.length(3);
    expect(outbox.size).to.equal(0);
  });

  it('waits out Retry-After in seconds on 429', async () => {
    const { clock, collector, outbox } = setup();
    collector.answerNext(status(429, { 'Retry-After': '5' }));
    for (const e of events(5)) outbox.add(e);
    await outbox.flush();
    // Neither a new event nor an explicit flush cuts the wait short.
    outbox.add(event());
    await outbox.flush();
    await clock.advance(4999);
    expect(collector.requests).to.have.length(1);
    await clock.advance(1);
    expect(collector.requests).to.have.length(2);
    expect(collector.requests[1]?.batch.events).to.have.length(6);
  });

  it('waits out Retry-After as an HTTP date on 503', async () => {
    const { clock, collector, outbox } = setup();
    collector.answerNext(status(503, { 'Retry-After': new Date(clock.now() + 7000).toUTCString() }));
    for (const e of events(20)) outbox.add(e);
    await clock.advance(6999);
    expect(collector.requests).to.have.length(1);
    await clock.advance(1);
    expect(collector.requests).to.have.length(2);
  });

  it('drops a batch answered 400 and reports it', async () => {
    const { clock, collector, diagnostics, outbox } = setup();
    collector.answerNext(status(400));
    for (const e of events(5)) outbox.add(e);
    await outbox.flush();
    expect(outbox.size).to.equal(0);
    expect(diagnostics).to.deep.equal([{ code: 'events-refused', status: 400, count: 5 }]);
    await clock.advance(120_000);
    expect(collector.requests).to.have.length(1);
  });

  it('sends again with the same ids when the answer is lost after the collector stored the batch', async () => {
    const { clock, collector, diagnostics, outbox } = setup();
    collector.answerNext((batch, c) => {
      c.store(batch);
      return Promise.reject(new TypeError('Failed to fetch'));
    });
    const batch = events(20);
    for (const e of batch) outbox.add(e);
    await settle();
    expect(outbox.size).to.equal(20);
    await clock.advance(60_000);
    expect(collector.requests.map((r) => ids(r.batch.events))).to.deep.equal([ids(batch), ids(batch)]);
    expect([...collector.stored.keys()]).to.deep.equal(ids(batch));
    expect(outbox.size).to.equal(0);
    expect(diagnostics).to.deep.equal([]);
  });

  it('settles events the collector rejected, and reports them', async () => {
    const { collector, diagnostics, outbox } = setup();
    collector.answerNext((batch) => {
      const [first, , third] = batch.events;
      return Response.json({
        v: 1,
        accepted: ids([first, third] as BeaconEvent[]),
        duplicates: [],
        rejected: [{ index: 1, code: 'invalid-event' }],
      });
    });
    for (const e of events(3)) outbox.add(e);
    await outbox.flush();
    expect(outbox.size).to.equal(0);
    expect(diagnostics).to.deep.equal([{ code: 'events-rejected', count: 1, codes: ['invalid-event'] }]);
  });

  it('keeps the batch when a 2xx answer is not an EventBatchResult', async () => {
    const { clock, collector, diagnostics, outbox } = setup();
    collector.answerNext(() => new Response('OK', { status: 200 }));
    for (const e of events(3)) outbox.add(e);
    await outbox.flush();
    expect(outbox.size).to.equal(3);
    expect(diagnostics).to.have.length(1);
    expect(diagnostics[0]).to.include({ code: 'invalid-result', status: 200 });
    await clock.advance(60_000);
    expect(collector.requests).to.have.length(2);
    expect(outbox.size).to.equal(0);
  });

  it('does not duplicate a request in flight when flushes overlap', async () => {
    const { collector, outbox } = setup();
    let answer: () => void = () => {};
    collector.answerNext(
      (batch, c) => new Promise((resolve) => (answer = () => resolve(Response.json(c.store(batch))))),
    );
    const first = events(20);
    for (const e of first) outbox.add(e);
    const later = events(5);
    for (const e of later) outbox.add(e);
    const flushes = [outbox.flush(), outbox.flush()];
    await settle();
    expect(collector.requests).to.have.length(1);
    answer();
    await Promise.all(flushes);
    expect(collector.requests.map((r) => ids(r.batch.events))).to.deep.equal([ids(first), ids(later)]);
    expect(outbox.size).to.equal(0);
  });

  it('on unload hands everything to sendBeacon at once, chunk by chunk', async () => {
    const beacons: { url: string; body: string }[] = [];
    const { collector, outbox } = setup({
      maxBodyBytes: 2 * KIB,
      sendBeacon: (url, body) => beacons.push({ url, body }) > 0,
    });
    const batch = events(15);
    for (const e of batch) outbox.add(e);
    const done = outbox.flush('unload');
    // Synchronously: the page may be gone after this task.
    expect(beacons.length).to.be.greaterThan(1);
    expect(outbox.size).to.equal(0);
    await done;
    expect(collector.requests).to.have.length(0);
    for (const beacon of beacons) {
      expect(beacon.url).to.equal(ENDPOINT.href);
      expect(utf8Bytes(beacon.body)).to.be.at.most(2 * KIB);
    }
    expect(beacons.flatMap((b) => ids((JSON.parse(b.body) as EventBatch).events))).to.deep.equal(ids(batch));
  });

  it('on unload falls back to fetch keepalive for a chunk sendBeacon refused', async () => {
    const beacons: string[] = [];
    const { collector, outbox } = setup({
      maxBodyBytes: 2 * KIB,
      sendBeacon: (_url, body) => beacons.push(body) !== 2,
    });
    for (const e of events(15)) outbox.add(e);
    const done = outbox.flush('unload');
    expect(collector.requests).to.have.length(1);
    expect(collector.requests[0]?.body).to.equal(beacons[1]);
    expect(collector.requests[0]?.init.keepalive).to.equal(true);
    await done;
    expect(outbox.size).to.equal(0);
  });

  it('on unload leaves a request in flight alone', async () => {
    const beacons: string[] = [];
    const { collector, outbox } = setup({ sendBeacon: (_url, body) => beacons.push(body) > 0 });
    collector.answerNext(() => new Promise<Response>(() => {}));
    for (const e of events(20)) outbox.add(e);
    const later = events(3);
    for (const e of later) outbox.add(e);
    await outbox.flush('unload');
    expect(collector.requests).to.have.length(1);
    expect(beacons.map((b) => ids((JSON.parse(b) as EventBatch).events))).to.deep.equal([ids(later)]);
  });

  it('drops the oldest events beyond maxQueuedEvents and counts them', async () => {
    const { collector, diagnostics, outbox } = setup({ maxQueuedEvents: 10, flushDelayMs: 60_000 });
    const batch = events(13);
    for (const e of batch) outbox.add(e);
    expect(outbox.size).to.equal(10);
    expect(diagnostics).to.deep.equal(Array.from({ length: 3 }, () => ({ code: 'outbox-overflow', dropped: 1 })));
    await outbox.flush();
    expect(ids(collector.requests[0]?.batch.events ?? [])).to.deep.equal(ids(batch.slice(3)));
  });

  it('drops an event too large for any body, and reports it', () => {
    const { diagnostics, outbox } = setup({ maxBodyBytes: 512 });
    outbox.add(event({ pageId: '企业网银首页'.repeat(30) }));
    expect(outbox.size).to.equal(0);
    expect(diagnostics).to.have.length(1);
    expect(diagnostics[0]).to.include({ code: 'event-too-large' });
  });

  it('clears its timers on dispose and then does nothing', async () => {
    const { clock, collector, outbox } = setup();
    outbox.add(event());
    expect(clock.pendingTimers).to.equal(1);
    outbox.dispose();
    expect(clock.pendingTimers).to.equal(0);
    outbox.add(event());
    await outbox.flush();
    await clock.advance(10_000);
    expect(collector.requests).to.have.length(0);
  });

  it('drops fields that look like personal data before queuing, and reports each field name once', async () => {
    const { collector, diagnostics, outbox } = setup();
    const first = event({ name: 'paid-by-13800138000', slotId: 'zhang.san@example.com' });
    const second = event({ name: 'card-6222020200001234567' });
    outbox.add(first);
    outbox.add(second);
    await outbox.flush();
    const sent = collector.requests[0]?.batch.events ?? [];
    expect(sent).to.deep.equal(
      [
        { ...first, name: undefined, slotId: undefined },
        { ...second, name: undefined },
      ].map((e) => JSON.parse(JSON.stringify(e))),
    );
    expect(diagnostics).to.deep.equal([{ code: 'personal-data-dropped', fields: ['slotId', 'name'] }]);
  });

  it('on online, sends at once what waits out a backoff after network errors', async () => {
    const win = new EventTarget();
    const { clock, collector, outbox } = setup({ win });
    collector.answerNext(networkError, networkError, networkError, networkError, networkError);
    outbox.add(event());
    await outbox.flush();
    await clock.advance(8000);
    expect(collector.requests).to.have.length(5);
    win.dispatchEvent(new Event('online'));
    await clock.advance(0);
    expect(collector.requests).to.have.length(6);
    expect(outbox.size).to.equal(0);
  });

  it('on online, still waits out Retry-After', async () => {
    const win = new EventTarget();
    const { clock, collector, outbox } = setup({ win });
    collector.answerNext(status(429, { 'Retry-After': '30' }));
    outbox.add(event());
    await outbox.flush();
    win.dispatchEvent(new Event('online'));
    await clock.advance(29_999);
    expect(collector.requests).to.have.length(1);
    await clock.advance(1);
    expect(collector.requests).to.have.length(2);
  });

  it('stops listening for online on dispose', async () => {
    const win = new EventTarget();
    const { clock, collector, outbox } = setup({ win });
    collector.answerNext(networkError);
    outbox.add(event());
    await outbox.flush();
    outbox.dispose();
    win.dispatchEvent(new Event('online'));
    await clock.advance(0);
    expect(collector.requests).to.have.length(1);
  });

  it('keeps delivering when the diagnostics handler throws', async () => {
    const { collector, outbox } = setup({
      onDiagnostic: () => {
        throw new Error('broken handler');
      },
    });
    collector.answerNext(status(400));
    outbox.add(event());
    await outbox.flush();
    outbox.add(event());
    await outbox.flush();
    expect(collector.requests).to.have.length(2);
    expect(outbox.size).to.equal(0);
  });
});

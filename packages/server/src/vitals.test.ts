import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BeaconEvent, ErrorResponse, VitalsResponse } from '@opslot/core';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, post, startTestServer } from './test-support/start-test-server.js';

/** A vital as the SDK reports it: no decision, no creative; a slot only when one was the LCP or INP. */
const vital = (name: 'lcp' | 'cls' | 'inp', value: number, extra: Partial<BeaconEvent> = {}): BeaconEvent => {
  const { decisionId: _d, slotId: _s, creativeId: _c, campaignId: _k, ...page } = beaconEvent({ type: 'vital' });
  return { ...page, name, value, ...extra };
};

describe('GET /v1/stats/vitals', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.dispose());

  const vitals = async (query = '') => {
    const res = await fetch(`${t.origin}/v1/stats/vitals${query}`);
    assert.equal(res.status, 200);
    return (await res.json()) as VitalsResponse;
  };

  test('is empty before any page view reported', async () => {
    assert.deepEqual(await vitals(), {
      v: 1,
      lcp: { count: 0, p75: null, slots: null },
      cls: { count: 0, p75: null, slots: null },
      inp: { count: 0, p75: null, slots: null },
    });
  });

  test('reports the 75th percentile of each vital and the slots\u2019 part in them', async () => {
    const events = [
      vital('lcp', 900, { slotId: 'home-banner' }),
      vital('lcp', 1200),
      vital('lcp', 1500, { slotId: 'home-banner' }),
      vital('lcp', 2600),
      vital('cls', 0.02, { slotShift: 0 }),
      vital('cls', 0.1, { slotShift: 0.01 }),
      vital('inp', 80),
      vital('inp', 240, { slotId: 'home-side' }),
      // A partner's preview never counts.
      vital('lcp', 99_000, { preview: true }),
    ];
    const res = await post(`${t.origin}/v1/events`, { v: 1, events }, 'text/plain;charset=UTF-8');
    assert.equal(res.status, 200);
    assert.deepEqual(await vitals(), {
      v: 1,
      lcp: { count: 4, p75: 1500, slots: 0.5 },
      cls: { count: 2, p75: 0.1, slots: 0.01 },
      inp: { count: 2, p75: 240, slots: 0.5 },
    });
    assert.equal((await vitals('?from=2000-01-01&to=2000-01-02')).lcp.count, 0);
  });

  test('refuses a vital without a number, and filters that do not apply', async () => {
    const res = await post(`${t.origin}/v1/events`, { v: 1, events: [vital('lcp', -5)] }, 'application/json');
    const result = (await res.json()) as { rejected: unknown[] };
    assert.equal(result.rejected.length, 1);
    for (const query of ['?by=slot', '?creativeId=cr-1', '?from=yesterday']) {
      const answer = await fetch(`${t.origin}/v1/stats/vitals${query}`);
      assert.equal(answer.status, 400, query);
      assert.equal(((await answer.json()) as ErrorResponse).error.code, 'invalid-request');
    }
  });
});

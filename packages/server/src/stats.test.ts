import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CreativeStats, ErrorResponse, EventType, StatsResponse } from '@opslot/core';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, post, startTestServer } from './test-support/start-test-server.js';

describe('GET /v1/stats', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    const banner = { creativeId: 'cr-chengchuan-home-banner', campaignId: 'camp-chengchuan-five-axis' };
    const side = { creativeId: 'cr-beiyu-home-side', campaignId: 'camp-beiyu-pharma', slotId: 'home-side' };
    const counts: [typeof banner, EventType, number][] = [
      [banner, 'render', 5],
      [banner, 'viewable', 3],
      [banner, 'click', 1],
      [side, 'render', 2],
      [side, 'click', 1],
    ];
    const events = counts.flatMap(([creative, type, count]) =>
      Array.from({ length: count }, () => beaconEvent({ ...creative, type })),
    );
    const res = await post(`${t.origin}/v1/events`, { v: 1, events }, 'text/plain');
    assert.equal(res.status, 200);
  });
  after(() => t.dispose());

  const stats = async (query = '') => {
    const res = await fetch(`${t.origin}/v1/stats${query}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    return (await res.json()) as StatsResponse;
  };
  const row = (body: StatsResponse, creativeId: string) => body.creatives.find((c) => c.creativeId === creativeId);

  test('counts renders, viewable exposures and clicks per creative, with CTR = clicks / exposures to 4 decimals', async () => {
    const body = await stats();
    assert.equal(body.v, 1);
    assert.deepEqual(row(body, 'cr-chengchuan-home-banner'), {
      creativeId: 'cr-chengchuan-home-banner',
      campaignId: 'camp-chengchuan-five-axis',
      advertiserId: 'adv-chengchuan',
      advertiserName: '澄川精密机械有限公司',
      renders: 5,
      exposures: 3,
      clicks: 1,
      ctr: 0.3333,
    } satisfies CreativeStats);
  });

  test('reports a CTR of 0 when clicks came without any exposure', async () => {
    const side = row(await stats(), 'cr-beiyu-home-side');
    assert.deepEqual([side?.renders, side?.exposures, side?.clicks, side?.ctr], [2, 0, 1, 0]);
  });

  test('lists every catalogue creative, zero rows included, sorted by creative id', async () => {
    const ids = (await stats()).creatives.map((c) => c.creativeId);
    assert.equal(ids.length, 11);
    assert.deepEqual(ids, [...ids].sort());
    const untouched = row(await stats(), 'cr-demobank-pension-banner');
    assert.deepEqual([untouched?.renders, untouched?.exposures, untouched?.clicks, untouched?.ctr], [0, 0, 0, 0]);
  });

  test('filters by ?creativeId=', async () => {
    const body = await stats('?creativeId=cr-chengchuan-home-banner');
    assert.deepEqual(
      body.creatives.map((c) => c.creativeId),
      ['cr-chengchuan-home-banner'],
    );
    assert.deepEqual((await stats('?creativeId=cr-unknown')).creatives, []);
  });

  test('refuses a creativeId that cannot be one', async () => {
    const res = await fetch(`${t.origin}/v1/stats?creativeId=${encodeURIComponent("x' OR 1=1 --")}`);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as ErrorResponse).error.code, 'invalid-request');
  });
});

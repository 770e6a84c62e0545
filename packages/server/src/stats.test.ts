import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  BeaconEvent,
  CreativeStats,
  ErrorResponse,
  EventType,
  StatsBreakdownResponse,
  StatsResponse,
  StatsRow,
} from '@opslot/core';
import seed from '../seed/seed.json' with { type: 'json' };
import { STATS_DIMENSIONS } from './stats-breakdown.js';
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
    assert.equal(ids.length, seed.creatives.length);
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

/** 2026-01-15 00:00 in Asia/Shanghai: 16:00 UTC the day before. */
const MIDNIGHT = Date.UTC(2026, 0, 14, 16);
const HOUR = 60 * 60 * 1000;

describe('GET /v1/stats?by=', () => {
  let t: TestServer;
  const chengchuan = {
    creativeId: 'cr-chengchuan-home-banner',
    campaignId: 'camp-chengchuan-five-axis',
    advertiserId: 'adv-chengchuan',
    slotId: 'home-banner',
    experimentId: 'exp-home-banner',
    bucket: 'A',
  };
  // No advertiserId, as events stored before schema version 3: it counts for its campaign's advertiser.
  const loan = {
    creativeId: 'cr-demobank-loan-banner',
    campaignId: 'camp-demobank-inclusive-loan',
    slotId: 'home-banner',
    experimentId: 'exp-home-banner',
    bucket: 'B',
  };
  // Bucket A of another experiment: buckets are counted per experiment.
  const beiyu = {
    creativeId: 'cr-beiyu-home-side',
    campaignId: 'camp-beiyu-pharma',
    advertiserId: 'adv-beiyu',
    slotId: 'home-side',
    experimentId: 'exp-home-side',
    bucket: 'A',
  };
  const qiwu = {
    creativeId: 'cr-qiwu-home-strip',
    campaignId: 'camp-qiwu-mes-cloud',
    advertiserId: 'adv-qiwu',
    slotId: 'home-strip',
  };
  const unattributed = { decisionId: undefined, slotId: undefined, creativeId: undefined, campaignId: undefined };
  const plan: [Partial<BeaconEvent>, EventType, number, ts: number][] = [
    [chengchuan, 'render', 4, MIDNIGHT - 1],
    [chengchuan, 'viewable', 2, MIDNIGHT - 1],
    [chengchuan, 'click', 1, MIDNIGHT],
    [chengchuan, 'conversion', 1, MIDNIGHT],
    [{ ...chengchuan, preview: true }, 'render', 5, MIDNIGHT - 1],
    [{ ...chengchuan, preview: true }, 'click', 2, MIDNIGHT],
    [{ ...chengchuan, preview: false }, 'close', 1, MIDNIGHT],
    [loan, 'render', 3, MIDNIGHT],
    [loan, 'viewable', 3, MIDNIGHT + HOUR],
    [loan, 'fill', 3, MIDNIGHT],
    [beiyu, 'render', 2, MIDNIGHT - HOUR],
    [beiyu, 'viewable', 1, MIDNIGHT + HOUR],
    [beiyu, 'click', 1, MIDNIGHT + HOUR],
    [qiwu, 'render', 1, MIDNIGHT + 2 * 24 * HOUR],
    [{ ...unattributed }, 'conversion', 1, MIDNIGHT + 2 * 24 * HOUR],
    [{ ...unattributed, slotId: 'home-footer-disabled' }, 'request', 2, MIDNIGHT],
    [{ ...unattributed, slotId: 'home-footer-disabled', code: 'disabled' }, 'no-fill', 2, MIDNIGHT],
    [{ ...unattributed, slotId: 'home-footer-disabled', code: 'timeout' }, 'error', 1, MIDNIGHT],
  ];

  before(async () => {
    t = await startTestServer();
    const events = plan.flatMap(([fields, type, count, ts]) =>
      Array.from({ length: count }, () => beaconEvent({ ...fields, type, ts })),
    );
    const result = (await (await post(`${t.origin}/v1/events`, { v: 1, events }, 'text/plain')).json()) as {
      accepted: string[];
    };
    assert.equal(result.accepted.length, events.length);
  });
  after(() => t.dispose());

  const breakdown = async (query: string) => {
    const res = await fetch(`${t.origin}/v1/stats?${query}`);
    assert.equal(res.status, 200);
    return (await res.json()) as StatsBreakdownResponse;
  };
  /** A row as [key, renders, exposures, clicks, ctr, conversions], to keep the tables below readable. */
  const compactRow = (r: StatsRow) => [r.key, r.renders, r.exposures, r.clicks, r.ctr, r.conversions];
  const compact = ({ rows }: StatsBreakdownResponse) => rows.map(compactRow);

  test('by=creative: one row per creative with counted events, sorted by id', async () => {
    const body = await breakdown('by=creative');
    assert.deepEqual(Object.keys(body), ['v', 'by', 'rows']);
    assert.deepEqual([body.v, body.by], [1, 'creative']);
    assert.deepEqual(body.rows[0], {
      key: 'cr-beiyu-home-side',
      renders: 2,
      exposures: 1,
      clicks: 1,
      ctr: 1,
      conversions: 0,
    } satisfies StatsRow);
    assert.deepEqual(compact(body), [
      ['cr-beiyu-home-side', 2, 1, 1, 1, 0],
      ['cr-chengchuan-home-banner', 4, 2, 1, 0.5, 1],
      ['cr-demobank-loan-banner', 3, 3, 0, 0, 0],
      ['cr-qiwu-home-strip', 1, 0, 0, 0, 0],
    ]);
  });

  test('by=slot: slots with only request, no-fill and error events have no row', async () => {
    assert.deepEqual(compact(await breakdown('by=slot')), [
      ['home-banner', 7, 5, 1, 0.2, 1],
      ['home-side', 2, 1, 1, 1, 0],
      ['home-strip', 1, 0, 0, 0, 0],
    ]);
  });

  test('by=advertiser: an event without advertiserId counts for its campaign’s advertiser', async () => {
    assert.deepEqual(compact(await breakdown('by=advertiser')), [
      ['adv-beiyu', 2, 1, 1, 1, 0],
      ['adv-chengchuan', 4, 2, 1, 0.5, 1],
      ['adv-demobank', 3, 3, 0, 0, 0],
      ['adv-qiwu', 1, 0, 0, 0, 0],
    ]);
  });

  test('by=bucket: per experiment and bucket, sorted by experiment; events outside experiments have no row', async () => {
    const body = await breakdown('by=bucket');
    assert.deepEqual(
      body.rows.map((r) => [r.experimentId, ...compactRow(r)]),
      [
        ['exp-home-banner', 'A', 4, 2, 1, 0.5, 1],
        ['exp-home-banner', 'B', 3, 3, 0, 0, 0],
        ['exp-home-side', 'A', 2, 1, 1, 1, 0],
      ],
    );
  });

  test('by=day: days in Asia/Shanghai, the last millisecond before 16:00 UTC on the day before', async () => {
    assert.deepEqual(compact(await breakdown('by=day')), [
      ['2026-01-14', 6, 2, 0, 0, 0],
      ['2026-01-15', 3, 4, 2, 0.5, 1],
      ['2026-01-17', 1, 0, 0, 0, 1],
    ]);
  });

  test('from and to are inclusive days in Asia/Shanghai, and combine with creativeId', async () => {
    assert.deepEqual(compact(await breakdown('by=creative&from=2026-01-15&to=2026-01-15')), [
      ['cr-beiyu-home-side', 0, 1, 1, 1, 0],
      ['cr-chengchuan-home-banner', 0, 0, 1, 0, 1],
      ['cr-demobank-loan-banner', 3, 3, 0, 0, 0],
    ]);
    assert.deepEqual(
      (await breakdown('by=day&from=2026-01-15')).rows.map((r) => r.key),
      ['2026-01-15', '2026-01-17'],
    );
    assert.deepEqual(
      (await breakdown('by=day&to=2026-01-14')).rows.map((r) => r.key),
      ['2026-01-14'],
    );
    assert.deepEqual(compact(await breakdown('by=day&creativeId=cr-chengchuan-home-banner')), [
      ['2026-01-14', 4, 2, 0, 0, 0],
      ['2026-01-15', 0, 0, 1, 0, 1],
    ]);
    assert.deepEqual((await breakdown('by=slot&from=2026-01-16&to=2026-01-16')).rows, []);
  });

  test('the per-creative answer takes from, to and creativeId too, and keeps its shape', async () => {
    const body = await stats('?creativeId=cr-chengchuan-home-banner&from=2026-01-15');
    assert.deepEqual(body.creatives, [
      {
        creativeId: 'cr-chengchuan-home-banner',
        campaignId: 'camp-chengchuan-five-axis',
        advertiserId: 'adv-chengchuan',
        advertiserName: '澄川精密机械有限公司',
        renders: 0,
        exposures: 0,
        clicks: 1,
        ctr: 0,
      },
    ]);
  });

  test('never counts preview events, in any answer', async () => {
    const [all] = (await stats('?creativeId=cr-chengchuan-home-banner')).creatives;
    assert.deepEqual([all?.renders, all?.clicks], [4, 1]);
    // 10 renders and 2 clicks that are not previews; the strip's render is in no experiment.
    for (const by of STATS_DIMENSIONS) {
      const rows = (await breakdown(`by=${by}`)).rows;
      const total = (field: 'renders' | 'clicks') => rows.reduce((sum, r) => sum + r[field], 0);
      assert.deepEqual([total('renders'), total('clicks')], by === 'bucket' ? [9, 2] : [10, 2], by);
    }
    // A creative whose only events are previews has no row at all.
    const previews = ['render', 'viewable', 'click', 'conversion'] as const;
    const events = previews.map((type) =>
      beaconEvent({ type, creativeId: 'cr-demobank-payroll-side', preview: true, ts: MIDNIGHT }),
    );
    await post(`${t.origin}/v1/events`, { v: 1, events }, 'text/plain');
    const keys = (await breakdown('by=creative')).rows.map((r) => r.key);
    assert.ok(!keys.includes('cr-demobank-payroll-side'));
    const [payroll] = (await stats('?creativeId=cr-demobank-payroll-side')).creatives;
    assert.deepEqual([payroll?.renders, payroll?.exposures, payroll?.clicks], [0, 0, 0]);
  });

  const stats = async (query: string) => {
    const res = await fetch(`${t.origin}/v1/stats${query}`);
    assert.equal(res.status, 200);
    return (await res.json()) as StatsResponse;
  };

  const malformed = [
    'by=week',
    'by=',
    'by=Day',
    'by=day&by=slot',
    'from=2026-1-15',
    'from=2026-02-30',
    'from=0026-01-15',
    'to=20260115',
    'to=2026-01-15T00:00',
    'from=2026-01-16&to=2026-01-15',
    'creativeId=',
    `creativeId=${encodeURIComponent("x' OR 1=1 --")}`,
    'creativeId=a&creativeId=b',
    'form=2026-01-15',
    'by=day&limit=10',
  ];
  for (const query of malformed) {
    test(`refuses a malformed query with 400 invalid-request: ?${query}`, async () => {
      const res = await fetch(`${t.origin}/v1/stats?${query}`);
      assert.equal(res.status, 400);
      const { error } = (await res.json()) as ErrorResponse;
      assert.equal(error.code, 'invalid-request');
      assert.doesNotMatch(error.message, /OR 1=1/);
    });
  }
});

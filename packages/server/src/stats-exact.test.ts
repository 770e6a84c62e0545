import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type {
  BeaconEvent,
  EventBatchResult,
  EventType,
  StatsBreakdownResponse,
  StatsDimension,
  StatsResponse,
  StatsRow,
} from '@opslot/core';
import { STATS_DIMENSIONS } from './stats-breakdown.js';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, post, startTestServer } from './test-support/start-test-server.js';

/** mulberry32: a seeded generator, so that a failure replays exactly. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEED = 20260115;
const rnd = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

const PLACEMENTS: Partial<BeaconEvent>[] = [
  {
    creativeId: 'cr-chengchuan-home-banner',
    campaignId: 'camp-chengchuan-five-axis',
    advertiserId: 'adv-chengchuan',
    slotId: 'home-banner',
    experimentId: 'exp-home-banner',
    bucket: 'A',
  },
  {
    creativeId: 'cr-demobank-loan-banner',
    campaignId: 'camp-demobank-inclusive-loan',
    advertiserId: 'adv-demobank',
    slotId: 'home-banner',
    experimentId: 'exp-home-banner',
    bucket: 'B',
  },
  { creativeId: 'cr-beiyu-home-side', campaignId: 'camp-beiyu-pharma', advertiserId: 'adv-beiyu', slotId: 'home-side' },
  {
    creativeId: 'cr-qiwu-corp-mobile-banner',
    campaignId: 'camp-qiwu-mes-cloud',
    advertiserId: 'adv-qiwu',
    slotId: 'corp-mobile-home-banner',
    experimentId: 'exp-mobile',
    bucket: 'A',
  },
];
const TYPES: EventType[] = ['render', 'render', 'render', 'viewable', 'viewable', 'click', 'conversion'];
const OTHER_TYPES: EventType[] = ['request', 'fill', 'no-fill', 'close', 'error'];
/** Spans three Asia/Shanghai days: 2026-01-14 16:00 UTC is midnight there. */
const START = Date.UTC(2026, 0, 14, 0);

const events: BeaconEvent[] = Array.from({ length: 1000 }, (_, i) =>
  beaconEvent({
    ...pick(PLACEMENTS),
    id: `x${i}`,
    type: rnd() < 0.15 ? pick(OTHER_TYPES) : pick(TYPES),
    ts: START + Math.floor(rnd() * 48 * 60 * 60 * 1000),
    ...(rnd() < 0.05 ? { preview: true } : {}),
  }),
);

const shanghaiDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The expected rows, counted here without SQL, with the time zone database for days. */
function expected(by: StatsDimension): StatsRow[] {
  const rows = new Map<string, StatsRow>();
  for (const e of events) {
    if (e.preview || !['render', 'viewable', 'click', 'conversion'].includes(e.type)) continue;
    const key = {
      creative: e.creativeId,
      slot: e.slotId,
      advertiser: e.advertiserId,
      bucket: e.bucket,
      day: shanghaiDay.format(e.ts),
    }[by];
    if (key === undefined || (by === 'bucket' && e.experimentId === undefined)) continue;
    const id = by === 'bucket' ? `${e.experimentId}\u0000${key}` : key;
    const row =
      rows.get(id) ??
      ({
        key,
        ...(by === 'bucket' ? { experimentId: e.experimentId } : {}),
        renders: 0,
        exposures: 0,
        clicks: 0,
        ctr: 0,
        conversions: 0,
      } as StatsRow);
    if (e.type === 'render') row.renders += 1;
    if (e.type === 'viewable') row.exposures += 1;
    if (e.type === 'click') row.clicks += 1;
    if (e.type === 'conversion') row.conversions += 1;
    row.ctr = row.exposures === 0 ? 0 : Math.round((row.clicks / row.exposures) * 10_000) / 10_000;
    rows.set(id, row);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
}

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.dispose());

test('1,000 events in batches with random duplicates and lost answers are each counted exactly once', async () => {
  const accepted: string[] = [];
  let duplicates = 0;
  let sent = 0;
  while (sent < events.length) {
    const fresh = events.slice(sent, sent + 1 + Math.floor(rnd() * 40));
    sent += fresh.length;
    // Resent events from earlier batches (an outbox retrying), and one repeated within the batch now and then.
    const again = Array.from({ length: Math.floor(rnd() * 6) }, () => pick(events.slice(0, sent)));
    const batch = [...fresh, ...again].sort(() => rnd() - 0.5);
    if (rnd() < 0.2) batch.push(pick(batch));
    // One batch in five: stored, but the answer is lost, so the same batch is sent again.
    const tries = rnd() < 0.2 ? 2 : 1;
    for (let n = 0; n < tries; n += 1) {
      const res = await post(`${t.origin}/v1/events`, { v: 1, events: batch }, 'text/plain');
      const result = (await res.json()) as EventBatchResult;
      assert.deepEqual(result.rejected, []);
      accepted.push(...result.accepted);
      duplicates += result.duplicates.length;
    }
  }
  assert.equal(accepted.length, 1000);
  assert.equal(new Set(accepted).size, 1000);
  assert.ok(duplicates > 200, `only ${duplicates} duplicates: the test no longer tests de-duplication`);

  for (const by of STATS_DIMENSIONS) {
    const body = (await (await fetch(`${t.origin}/v1/stats?by=${by}`)).json()) as StatsBreakdownResponse;
    assert.deepEqual(body.rows, expected(by), `by=${by}`);
  }
  const { creatives } = (await (await fetch(`${t.origin}/v1/stats`)).json()) as StatsResponse;
  const byCreative = new Map(expected('creative').map((row) => [row.key, row]));
  for (const placement of PLACEMENTS) {
    const row = creatives.find((c) => c.creativeId === placement.creativeId);
    const want = byCreative.get(placement.creativeId ?? '');
    assert.deepEqual(
      [row?.renders, row?.exposures, row?.clicks, row?.ctr],
      [want?.renders, want?.exposures, want?.clicks, want?.ctr],
    );
  }
});

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { DecisionResponse, EventBatchResult, StatsResponse } from '@opslot/core';
import {
  beaconEvent,
  homeDecisionRequest,
  makeTempDir,
  post,
  startTestServer,
  writeSeed,
} from './test-support/start-test-server.js';

test('events and their de-duplication survive a restart on the same database', async (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const click = beaconEvent({ type: 'click' });
  const first = await startTestServer({ dir });
  await post(`${first.origin}/v1/events`, { v: 1, events: [beaconEvent(), click] }, 'text/plain');
  await first.close();

  const second = await startTestServer({ dir });
  t.after(() => second.close());
  const res = await post(`${second.origin}/v1/events`, { v: 1, events: [click] }, 'text/plain');
  assert.deepEqual(((await res.json()) as EventBatchResult).duplicates, [click.id]);
  const stats = (await (
    await fetch(`${second.origin}/v1/stats?creativeId=cr-chengchuan-home-banner`)
  ).json()) as StatsResponse;
  assert.deepEqual([stats.creatives[0]?.renders, stats.creatives[0]?.clicks], [1, 1]);
});

test('an edited seed takes effect on restart, and the events stay', async (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const seedPath = writeSeed(dir);
  const first = await startTestServer({ dir, seedPath });
  await post(`${first.origin}/v1/events`, { v: 1, events: [beaconEvent()] }, 'text/plain');
  await first.close();

  writeSeed(dir, (seed) => {
    seed.creatives = seed.creatives.filter((c) => c.id !== 'cr-chengchuan-home-banner');
    const loan = seed.campaigns.find((c) => c.id === 'camp-demobank-inclusive-loan');
    assert.ok(loan);
    loan.priority = 99;
  });
  const second = await startTestServer({ dir, seedPath });
  t.after(() => second.close());
  const decision = (await (
    await post(`${second.origin}/v1/decisions`, homeDecisionRequest())
  ).json()) as DecisionResponse;
  const banner = decision.slots[0]?.candidates ?? [];
  assert.deepEqual(
    banner.map((c) => c.id),
    ['cr-demobank-loan-banner'],
  );
  assert.match(banner[0]?.reason ?? '', /^priority 99 /);
  const stats = (await (await fetch(`${second.origin}/v1/stats`)).json()) as StatsResponse;
  assert.ok(!stats.creatives.some((c) => c.creativeId === 'cr-chengchuan-home-banner'));

  // Restoring the creative brings its counters back: events were never deleted.
  await second.close();
  writeSeed(dir);
  const third = await startTestServer({ dir, seedPath });
  t.after(() => third.close());
  const restored = (await (
    await fetch(`${third.origin}/v1/stats?creativeId=cr-chengchuan-home-banner`)
  ).json()) as StatsResponse;
  assert.equal(restored.creatives[0]?.renders, 1);
});

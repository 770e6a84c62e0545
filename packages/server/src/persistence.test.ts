import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { DecisionResponse, EventBatchResult, StatsResponse } from '@opslot/core';
import Database from 'better-sqlite3';
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

test('a database from before the kill switch is upgraded in place, and its old decisions stay unknown, not empty', async (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = await startTestServer({ dir });
  t.after(() => first.close());
  const old = (await (await post(`${first.origin}/v1/decisions`, homeDecisionRequest())).json()) as DecisionResponse;
  await first.close();

  // Take the file back to schema version 1, as the server before issue 3 left it.
  const v1 = new Database(first.databasePath);
  v1.exec(`
    ALTER TABLE slots DROP COLUMN enabled;
    ALTER TABLE decisions DROP COLUMN ledger_excluded;
    ALTER TABLE decisions DROP COLUMN disabled_slot_ids;
    PRAGMA user_version = 1;
  `);
  v1.close();

  const second = await startTestServer({ dir });
  t.after(() => second.close());
  const request = homeDecisionRequest();
  request.slots.push({ id: 'home-footer-disabled', sizes: [[960, 90]], formats: ['banner'] });
  const res = await post(`${second.origin}/v1/decisions`, request);
  const decision = (await res.json()) as DecisionResponse;
  assert.deepEqual(decision.slots[3], { id: 'home-footer-disabled', candidates: [], disabled: true });
  await second.close();

  const db = new Database(second.databasePath, { readonly: true });
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), 2);
  const audit = db.prepare('SELECT ledger_excluded, disabled_slot_ids FROM decisions WHERE id = ?');
  assert.deepEqual({ ...(audit.get(old.decisionId) as object) }, { ledger_excluded: null, disabled_slot_ids: null });
  assert.deepEqual(
    { ...(audit.get(decision.decisionId) as object) },
    {
      ledger_excluded: '[[],[],[],[]]',
      disabled_slot_ids: '["home-footer-disabled"]',
    },
  );
});

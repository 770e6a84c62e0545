import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type {
  BeaconEvent,
  DecisionResponse,
  EventBatchResult,
  StatsBreakdownResponse,
  StatsResponse,
} from '@opslot/core';
import Database from 'better-sqlite3';
import { migrate, SCHEMA_VERSION } from './migrations.js';
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
  // The file as the server before issue 3 left it: schema version 1, with one decision in it.
  const v1 = new Database(join(dir, 'opslot.sqlite'));
  migrate(v1, 1);
  v1.prepare(
    `INSERT INTO decisions (id, created_at, channel, page_id, slot_ids, creative_ids)
     VALUES ('d-before-issue-3', 1764150000000, 'corporate-web', 'home', '["home-banner"]', '[["cr-chengchuan-home-banner"]]')`,
  ).run();
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
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const audit = db.prepare('SELECT ledger_excluded, disabled_slot_ids FROM decisions WHERE id = ?');
  assert.deepEqual(
    { ...(audit.get('d-before-issue-3') as object) },
    { ledger_excluded: null, disabled_slot_ids: null },
  );
  assert.deepEqual(
    { ...(audit.get(decision.decisionId) as object) },
    {
      ledger_excluded: '[[],[],[],[]]',
      disabled_slot_ids: '["home-footer-disabled"]',
    },
  );
});

test('a database from before every event type (schema version 2) is upgraded in place, its events kept and counted', async (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The file as the server before issue 5 left it, with events as it stored them: every id required.
  const v2 = new Database(join(dir, 'opslot.sqlite'));
  migrate(v2, 2);
  const insert = v2.prepare(
    `INSERT INTO events (id, type, ts, received_at, decision_id, slot_id, creative_id, campaign_id, channel, page_id,
       method)
     VALUES (?, ?, ?, ?, 'd-old', 'home-banner', 'cr-chengchuan-home-banner', 'camp-chengchuan-five-axis',
       'corporate-web', 'home', ?)`,
  );
  const ts = Date.UTC(2025, 11, 31, 16); // 2026-01-01 00:00 in Asia/Shanghai
  const old: [string, string, string | null][] = [
    ['old-render-1', 'render', null],
    ['old-render-2', 'render', null],
    ['old-viewable-1', 'viewable', 'io2'],
    ['old-click-1', 'click', null],
  ];
  for (const [id, type, method] of old) insert.run(id, type, ts, ts + 1000, method);
  v2.close();

  const server = await startTestServer({ dir });
  t.after(() => server.close());
  // Old ids are still known: resent, they are duplicates; new events need only the required fields.
  const request: BeaconEvent = { id: 'new-request-1', type: 'request', ts, channel: 'corporate-web', pageId: 'home' };
  const res = await post(
    `${server.origin}/v1/events`,
    { v: 1, events: [beaconEvent({ id: 'old-click-1', type: 'click' }), request] },
    'text/plain',
  );
  const result = (await res.json()) as EventBatchResult;
  assert.deepEqual([result.accepted, result.duplicates], [['new-request-1'], ['old-click-1']]);

  const stats = (await (
    await fetch(`${server.origin}/v1/stats?creativeId=cr-chengchuan-home-banner`)
  ).json()) as StatsResponse;
  assert.deepEqual([stats.creatives[0]?.renders, stats.creatives[0]?.exposures, stats.creatives[0]?.clicks], [2, 1, 1]);
  // Old events have no advertiser id: they count for their campaign's advertiser.
  const byAdvertiser = (await (
    await fetch(`${server.origin}/v1/stats?by=advertiser&from=2026-01-01&to=2026-01-01`)
  ).json()) as StatsBreakdownResponse;
  assert.deepEqual(byAdvertiser.rows, [
    { key: 'adv-chengchuan', renders: 2, exposures: 1, clicks: 1, ctr: 1, conversions: 0 },
  ]);
  await server.close();

  const db = new Database(server.databasePath, { readonly: true });
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  const columns = db.prepare('SELECT name, "notnull" FROM pragma_table_info(\'events\')').all() as {
    name: string;
    notnull: number;
  }[];
  assert.deepEqual(
    columns.filter((c) => c.notnull === 0).map((c) => c.name),
    [
      'decision_id',
      'slot_id',
      'creative_id',
      'campaign_id',
      'advertiser_id',
      'experiment_id',
      'bucket',
      'method',
      'code',
      'name',
      'preview',
      'value',
      'slot_shift',
    ],
  );
  const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'").pluck();
  assert.deepEqual(indexes.all().sort(), ['events_by_creative', 'events_by_time', 'sqlite_autoindex_events_1']);
  const kept = db.prepare("SELECT id, method, ts FROM events WHERE id LIKE 'old-%' ORDER BY id").all();
  assert.deepEqual(
    kept.map((row) => ({ ...(row as object) })),
    [
      { id: 'old-click-1', method: null, ts },
      { id: 'old-render-1', method: null, ts },
      { id: 'old-render-2', method: null, ts },
      { id: 'old-viewable-1', method: 'io2', ts },
    ],
  );
});

test('a database from before the text-based formats keeps its creatives, pictures and all, with no words yet', (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = new Database(join(dir, 'opslot.sqlite'));
  t.after(() => db.close());
  migrate(db, SCHEMA_VERSION - 1);
  db.exec(`
    INSERT INTO advertisers (id, name, allowed_domains) VALUES ('adv-a', '示例', '["a.example"]');
    INSERT INTO slots (id, channel, width, height, formats) VALUES ('s', 'corporate-web', 960, 90, '["banner"]');
    INSERT INTO campaigns (id, advertiser_id, name, status, priority, weight, start_at, end_at)
      VALUES ('c', 'adv-a', '活动', 'active', 1, 1, 0, NULL);
    INSERT INTO creatives (id, campaign_id, slot_id, format, image_file, image_hash, image_width, image_height,
      image_alt, landing_url, frequency)
      VALUES ('cr', 'c', 's', 'banner', 'a.svg', 'abc123', 960, 90, '横幅', 'https://a.example/', NULL);
  `);
  migrate(db);
  assert.deepEqual(
    { ...(db.prepare('SELECT * FROM creatives').get() as object) },
    {
      id: 'cr',
      campaign_id: 'c',
      slot_id: 's',
      format: 'banner',
      image_file: 'a.svg',
      image_hash: 'abc123',
      image_width: 960,
      image_height: 90,
      image_alt: '横幅',
      landing_url: 'https://a.example/',
      frequency: null,
      text: null,
      logo: null,
      brand_color: null,
    },
  );
});

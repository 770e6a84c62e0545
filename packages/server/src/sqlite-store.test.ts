import assert from 'node:assert/strict';
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BeaconEvent } from '@opslot/core';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';
import { STATS_DIMENSIONS } from './stats-breakdown.js';
import { breakdownSql, creativeStatsSql } from './stats-sql.js';
import { beaconEvent, makeTempDir } from './test-support/start-test-server.js';

describe('openSqliteStore', () => {
  test('an event the table cannot hold fails its whole batch, instead of passing for a duplicate', (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const store = openSqliteStore(join(dir, 'opslot.sqlite'));
    t.after(() => store.close());
    const good = beaconEvent();
    // Schema validation keeps this out of the HTTP path; the store must not hide it if it gets through anyway.
    const broken = { ...beaconEvent(), channel: undefined } as unknown as BeaconEvent;
    assert.throws(() => store.insertEvents([good, broken], Date.now()), /NOT NULL/);
    // One transaction per batch: the good event was rolled back with it, so it is new, not a duplicate.
    assert.deepEqual(store.insertEvents([good], Date.now()), { accepted: [good.id], duplicates: [] });
  });

  test('delivery counters follow the batches that commit, and read the same after a restart', (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'opslot.sqlite');
    const before = openSqliteStore(path);
    const delivered = (store: ReturnType<typeof openSqliteStore>) =>
      store
        .delivery(['camp-a', 'camp-b'])
        .map(({ creativeId, campaignId, exposures, clicks }) => ({ creativeId, campaignId, exposures, clicks }))
        .sort((x, y) => (x.creativeId < y.creativeId ? -1 : 1));
    const event = (type: BeaconEvent['type'], creativeId: string, campaignId: string) =>
      beaconEvent({ type, creativeId, campaignId });
    const version = before.deliveryVersion();
    before.insertEvents([event('viewable', 'cr-a', 'camp-a'), event('click', 'cr-a', 'camp-a')], 1);
    before.insertEventBatches([
      { events: [event('viewable', 'cr-a', 'camp-a')], receivedAt: 1 },
      { events: [event('viewable', 'cr-b', 'camp-b'), event('render', 'cr-b', 'camp-b')], receivedAt: 1 },
    ]);
    assert.equal(before.deliveryVersion(), version + 2);
    const broken = { ...event('viewable', 'cr-b', 'camp-b'), channel: undefined } as unknown as BeaconEvent;
    assert.throws(() => before.insertEvents([event('viewable', 'cr-b', 'camp-b'), broken], 1));
    assert.equal(before.deliveryVersion(), version + 2, 'a batch rolled back counts nothing');
    const expected = [
      { creativeId: 'cr-a', campaignId: 'camp-a', exposures: 2, clicks: 1 },
      { creativeId: 'cr-b', campaignId: 'camp-b', exposures: 1, clicks: 0 },
    ];
    assert.deepEqual(delivered(before), expected);
    assert.deepEqual(before.delivery(['camp-b']).length, 1, 'only the campaigns asked for');
    before.close();
    const after = openSqliteStore(path);
    t.after(() => after.close());
    assert.deepEqual(delivered(after), expected);
  });

  test('an event of a decision answered as a preview counts as a preview, also after a restart', (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'opslot.sqlite');
    const before = openSqliteStore(path);
    before.recordPreviewDecision({ decisionId: 'dec-preview-1', at: 1, partnerId: 'p-1', creativeId: 'cr-preview' });
    const counted = (store: ReturnType<typeof openSqliteStore>, decisionId: string, creativeId: string) => {
      store.insertEvents([beaconEvent({ type: 'viewable', decisionId, creativeId, campaignId: 'camp-p' })], 1);
      return store.delivery(['camp-p']).some((row) => row.creativeId === creativeId);
    };
    assert.equal(counted(before, 'dec-preview-1', 'cr-preview'), false);
    before.close();
    const after = openSqliteStore(path);
    t.after(() => after.close());
    assert.equal(counted(after, 'dec-preview-1', 'cr-preview'), false, 'the same decision after a restart');
    assert.equal(counted(after, 'dec-answered-1', 'cr-answered'), true, 'a decision answered as usual');
  });

  test("an audit record reads back as it was recorded, whatever its verdicts' characters", (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const store = openSqliteStore(join(dir, 'opslot.sqlite'));
    t.after(() => store.close());
    const quoted = 'offered: priority 5 campaign c-1, slot s-1 · "quoted" \\ back\u2028slash ≤2';
    store.recordDecision({
      id: 'decision-1',
      at: 1,
      channel: 'corporate-web',
      pageId: 'home',
      operatorHash: 'hash-1',
      slots: [
        {
          id: 's-1',
          creativeIds: ['cr-1'],
          ledgerExcluded: [],
          disabled: false,
          creativesByVerdict: new Map([
            ['format native not requested', ['cr-2', 'cr-3']],
            [quoted, ['cr-1']],
          ]),
          campaignsLeftOut: { 'targeting not matched': ['c-2'] },
        },
        {
          id: 's-2',
          creativeIds: [],
          ledgerExcluded: [],
          disabled: true,
          creativesByVerdict: new Map(),
          campaignsLeftOut: {},
        },
      ],
    });
    assert.deepEqual(store.decisionRecord('decision-1')?.slots, [
      {
        id: 's-1',
        creativeIds: ['cr-1'],
        ledgerExcluded: [],
        disabled: false,
        reasons: [
          { creativeId: 'cr-2', verdict: 'format native not requested' },
          { creativeId: 'cr-3', verdict: 'format native not requested' },
          { creativeId: 'cr-1', verdict: quoted },
        ],
        campaignsLeftOut: { 'targeting not matched': ['c-2'] },
      },
      { id: 's-2', creativeIds: [], ledgerExcluded: [], disabled: true, reasons: [], campaignsLeftOut: {} },
    ]);
  });

  test('a thread of its own moves the write-ahead log into the database; closing leaves no log behind', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'opslot.sqlite');
    const store = openSqliteStore(path);
    t.after(() => store.close());
    const pagesInFile = () => statSync(path).size / 4096;
    const before = pagesInFile();
    // ~600 pages of audit: under the 1,000 at which SQLite checkpoints by itself, let alone the store's fallback.
    const verdict = 'x'.repeat(4000);
    for (let i = 0; i < 600; i++) {
      store.recordDecision({
        id: `decision-${i}`,
        at: Date.now(),
        channel: 'corporate-web',
        pageId: 'home',
        operatorHash: null,
        slots: [
          {
            id: 'home-banner',
            creativeIds: [],
            ledgerExcluded: [],
            disabled: false,
            creativesByVerdict: new Map([[`${verdict}${i}`, [`cr-${i}`]]]),
            campaignsLeftOut: {},
          },
        ],
      });
    }
    assert.ok(store.decisionRecord('decision-599'), 'written');
    const deadline = Date.now() + 5_000;
    while (pagesInFile() < before + 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(pagesInFile() >= before + 500, `${pagesInFile() - before} pages checkpointed into the file`);
    store.close();
    assert.ok(!existsSync(`${path}-wal`), 'the store closes last, so its close removes the log');
  });
});

describe('stats queries', () => {
  const db = new Database(':memory:');
  migrate(db);
  const plan = ({ sql, parameters }: { sql: string; parameters: object }) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(parameters) as { detail: string }[]).map((r) => r.detail).join('; ');
  const range = { since: Date.UTC(2026, 0, 1), until: Date.UTC(2026, 1, 1) };

  for (const by of STATS_DIMENSIONS) {
    test(`by=${by} reads a date range through events_by_time and a creative through events_by_creative`, () => {
      assert.match(plan(breakdownSql(by, range)), /SEARCH e USING INDEX events_by_time \(ts>\? AND ts<\?\)/);
      assert.match(
        plan(breakdownSql(by, { ...range, creativeId: 'cr-x' })),
        /SEARCH e USING INDEX events_by_creative \(creative_id=\? AND type=\? AND ts>\? AND ts<\?\)/,
      );
    });
  }

  test('the per-creative answer counts each creative through events_by_creative', () => {
    assert.match(
      plan(creativeStatsSql(range)),
      /SEARCH e USING INDEX events_by_creative \(creative_id=\? AND type=\? AND ts>\? AND ts<\?\)/,
    );
  });
});

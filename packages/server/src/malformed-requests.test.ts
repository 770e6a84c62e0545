import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { DEV_ADMIN_TOKEN } from './create-opslot-server.js';
import { shanghaiDate } from './partner-application.js';
import type { RawResponse } from './test-support/start-test-server.js';
import { homeDecisionRequest, rawRequest, startTestServer } from './test-support/start-test-server.js';

/** A seeded generator, so that a failure names a case that can be run again. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const AUTH = { authorization: `Bearer ${DEV_ADMIN_TOKEN}`, 'content-type': 'application/json' };
const PARTNER_AUTH = { authorization: 'Bearer opslot-dev-partner-chengchuan', 'content-type': 'application/json' };
const WEIRD_VALUES: unknown[] = [
  null,
  true,
  -1,
  1.5,
  '',
  'x'.repeat(300),
  [],
  {},
  [[]],
  { $ne: 1 },
  '../../etc/passwd',
  '\u0000',
  '💥',
];

/** The JSON type of a value, telling arrays and null apart. */
const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * Replaces one value somewhere in `value` with one of another JSON type, or drops one of `required` keys at the top:
 * every schema here types each field (only a campaign's `end` also takes null), so the result always breaks a rule.
 */
function mutate(value: unknown, random: () => number, required: readonly string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  if (random() < 0.2) {
    delete copy[required[Math.floor(random() * required.length)] as string];
    return copy;
  }
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      const child = [...path, Array.isArray(node) ? Number(key) : key];
      paths.push(child);
      walk((node as Record<string, unknown>)[key], child);
    }
  };
  walk(copy, []);
  const path = paths[Math.floor(random() * paths.length)] ?? [];
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  const original = jsonType(parent[last]);
  const others = WEIRD_VALUES.filter((v) => jsonType(v) !== original && !(last === 'end' && v === null));
  parent[last] = others[Math.floor(random() * others.length)];
  return copy;
}

const validCampaign = {
  advertiserId: 'adv-qiwu',
  name: 'x',
  status: 'active',
  priority: 1,
  weight: 1,
  start: '2026-01-01T00:00:00+08:00',
  end: null,
  schedule: { days: [1], hours: [{ from: '09:00', to: '17:00' }] },
  budget: { exposures: 10 },
  targeting: { all: [{ segment: 'corporate.small' }, { reach: { partner: 'ent-a', hops: 2, direction: 'both' } }] },
  strategy: {
    type: 'experiment',
    id: 'exp-x',
    buckets: [
      { id: 'a', weight: 1, creativeIds: [] },
      { id: 'b', weight: 1, creativeIds: [] },
    ],
  },
  frequency: {
    caps: [{ scope: 'campaign', max: 2, window: 'day' }],
    minInterval: [{ scope: 'creative', seconds: 60 }],
  },
};
const validCreative = {
  campaignId: 'camp-qiwu-mes-cloud',
  slotId: 'home-strip',
  format: 'banner',
  image: { file: 'qiwu-home-strip.svg', width: 960, height: 90, alt: 'x' },
  landingUrl: 'https://www.qiwu-soft.example/x',
};
const validApplication = {
  campaignName: '五轴加工中心推广',
  slotIds: ['home-banner'],
  startDate: shanghaiDate(Date.now()),
  endDate: shanghaiDate(Date.now() + 7 * 86_400_000),
  landingUrl: 'https://www.chengchuan-precision.example/',
  audience: { kind: 'supply-chain', direction: 'downstream', hops: 1 },
  contact: { name: '王经理', phone: '13812345678', email: 'wang@chengchuan-precision.example' },
};
const validProfile = {
  operator: 'op-fuzz-000001',
  enterpriseId: 'ent-a',
  segments: ['corporate.small'],
  tags: { size: 'small' },
};

/** One malformed request of a kind chosen by `random`: every one must be answered 4xx and change nothing. */
function malformedCase(random: () => number): Case {
  const json = (method: string, path: string, body: unknown, headers: Record<string, string> = AUTH): Case => ({
    method,
    path,
    headers,
    body: JSON.stringify(body),
  });
  const kinds: (() => Case)[] = [
    () =>
      json('POST', '/v1/decisions', mutate(homeDecisionRequest(), random, ['v', 'page', 'slots', 'consent']), {
        'content-type': 'application/json',
      }),
    () => {
      const text = JSON.stringify(homeDecisionRequest());
      return {
        method: 'POST',
        path: '/v1/decisions',
        headers: { 'content-type': 'application/json' },
        body: text.slice(0, Math.floor(random() * text.length)),
      };
    },
    () => ({ method: 'POST', path: '/v1/decisions', headers: { 'content-type': 'application/xml' }, body: '<x/>' }),
    () => ({
      method: 'POST',
      path: '/v1/decisions',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(70_000),
    }),
    () =>
      json(
        'POST',
        '/v1/decisions',
        { ...homeDecisionRequest(), operator: '13800138000 张三' },
        { 'content-type': 'text/plain' },
      ),
    () =>
      json(
        'PUT',
        '/v1/admin/campaigns/camp-fuzz',
        mutate(validCampaign, random, ['advertiserId', 'name', 'status', 'priority', 'weight', 'start', 'end']),
      ),
    () => json('PUT', '/v1/admin/campaigns/camp-fuzz', { ...validCampaign, advertiserId: 'adv-nobody' }),
    () =>
      json('PUT', '/v1/admin/campaigns/camp-fuzz', {
        ...validCampaign,
        strategy: { type: 'ranker', ranker: 'oracle' },
      }),
    () => json('PUT', '/v1/admin/campaigns/camp-fuzz', validCampaign, { ...AUTH, authorization: 'Bearer wrong' }),
    () => json('PUT', '/v1/admin/campaigns/camp-fuzz', validCampaign, { 'content-type': 'application/json' }),
    () =>
      json(
        'PUT',
        '/v1/admin/creatives/cr-fuzz',
        mutate(validCreative, random, ['campaignId', 'slotId', 'format', 'image', 'landingUrl']),
      ),
    () =>
      json('PUT', '/v1/admin/creatives/cr-fuzz', {
        ...validCreative,
        image: { ...validCreative.image, file: '../seed.json' },
      }),
    () => json('PUT', '/v1/admin/creatives/cr-fuzz', { ...validCreative, landingUrl: 'https://evil.example/' }),
    () =>
      json('PUT', '/v1/admin/slots/home-banner', {
        id: 'home-banner',
        channel: 'corporate-web',
        width: 1,
        height: 1,
        formats: ['banner'],
      }),
    () => json('PUT', '/v1/admin/segments/corporate.small', { name: 'x', description: 'y', extra: 1 }),
    () =>
      json(
        'PUT',
        '/v1/admin/catalogue',
        mutate({ advertisers: [], slots: [], campaigns: [validCampaign], creatives: [] }, random, [
          'advertisers',
          'slots',
          'campaigns',
          'creatives',
        ]),
      ),
    () =>
      json(
        'DELETE',
        `/v1/admin/${['advertisers/adv-qiwu', 'slots/home-strip', 'campaigns/camp-qiwu-mes-cloud', 'segments/corporate.large'][Math.floor(random() * 4)]}`,
        undefined,
      ),
    () => json('DELETE', `/v1/admin/campaigns/camp-none-${Math.floor(random() * 1e6)}`, undefined),
    () => ({
      method: 'PUT',
      path: '/v1/admin/whitelists/wl-fuzz?kind=operator',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      body: ['short', 'op-ok-000001\nbad key here', 'a,b,c', '', 'op-ok-000001;DROP'][Math.floor(random() * 5)],
    }),
    () => ({
      method: 'PUT',
      path: '/v1/admin/whitelists/wl-fuzz?kind=robots',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      body: 'op-ok-000001',
    }),
    () => ({
      method: 'PUT',
      path: '/v1/admin/whitelists/%E0%A4%A',
      headers: { ...AUTH, 'content-type': 'text/csv' },
      body: 'op-ok-000001',
    }),
    () =>
      json('POST', '/v1/admin/profiles', {
        profiles: [mutate(validProfile, random, ['operator', 'segments', 'tags'])],
      }),
    () => json('PUT', '/v1/admin/profiles/short', { segments: [], tags: {} }),
    () => json('POST', '/v1/admin/graph-edges', mutate({ edges: [{ from: 'ent-a', to: 'ent-b' }] }, random, ['edges'])),
    () => json('PUT', '/v1/admin/graph-edges', { edges: [{ from: 'ent-a', to: 'ent-a' }] }),
    () => json('PATCH', '/v1/admin/campaigns/camp-qiwu-mes-cloud', validCampaign),
    () =>
      json(
        'POST',
        '/v1/partner/applications',
        mutate(validApplication, random, Object.keys(validApplication)),
        PARTNER_AUTH,
      ),
    () => json('POST', '/v1/partner/applications', validApplication, { 'content-type': 'application/json' }),
    () =>
      json('POST', '/v1/partner/applications', validApplication, {
        ...PARTNER_AUTH,
        authorization: 'Bearer opslot-dev-partner-yunjian',
      }),
    () => json('POST', '/v1/partner/applications/app-nope/creatives', { slotId: 'home-banner' }, PARTNER_AUTH),
    () => json('POST', '/v1/partner/creatives/cr-nope/preview-token', {}, PARTNER_AUTH),
    () => ({
      method: 'POST',
      path: '/v1/partner/uploads',
      headers: {
        ...PARTNER_AUTH,
        'content-type': ['image/png', 'image/gif', 'text/html'][Math.floor(random() * 3)] ?? '',
      },
      body: ['<svg/>', 'GIF89a', '\u0089PNG', ''][Math.floor(random() * 4)],
    }),
    () =>
      json(
        'GET',
        `/v1/partner/${['report?from=2026-02-30', 'report.csv?to=x', 'report?campaignId=camp-qiwu-mes-cloud', 'uploads/..%2f..%2fopslot.sqlite', 'uploads/up-0000000000000000', 'nothing', 'applications/a/b/c'][Math.floor(random() * 7)]}`,
        undefined,
        PARTNER_AUTH,
      ),
    () =>
      json(
        'GET',
        `/v1/admin/${['nothing', 'campaigns/a/b', 'decisions/none', 'profiles/op-nobody-00001'][Math.floor(random() * 4)]}`,
        undefined,
      ),
  ];
  return (kinds[Math.floor(random() * kinds.length)] as () => Case)();
}

/** Every row of every table, in a stable order: what "the database is unchanged" compares. */
function dump(databasePath: string): string {
  const db = new Database(databasePath, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

test('1,000 malformed admin, partner and decision requests get a 4xx with error JSON each, and change nothing', async () => {
  const t = await startTestServer();
  try {
    const before = dump(t.databasePath);
    const random = mulberry32(20260115);
    for (let i = 0; i < 1000; i++) {
      const c = malformedCase(random);
      const res: RawResponse = await rawRequest(t.port, c.path, {
        method: c.method,
        headers: c.headers,
        ...(c.body === undefined ? {} : { body: c.body }),
      });
      const what = `case ${i}: ${c.method} ${c.path} ${c.body?.slice(0, 200) ?? ''} → ${res.status} ${res.body.slice(0, 200)}`;
      assert.ok(res.status >= 400 && res.status < 500, what);
      const answer = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
      assert.deepEqual(Object.keys(answer), ['error'], what);
      assert.equal(typeof answer.error?.code, 'string', what);
      assert.equal(typeof answer.error?.message, 'string', what);
    }
    assert.equal((await rawRequest(t.port, '/v1/health')).status, 200, 'still serving');
    assert.equal(dump(t.databasePath), before);
  } finally {
    await t.dispose();
  }
});

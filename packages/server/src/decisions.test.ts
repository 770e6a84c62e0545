import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DecisionResponse, ErrorResponse } from '@opslot/core';
import Database from 'better-sqlite3';
import { createAjv } from './create-ajv.js';
import { readProtocolSchema } from './protocol-validators.js';
import type { TestServer } from './test-support/start-test-server.js';
import {
  homeDecisionRequest,
  makeTempDir,
  post,
  startTestServer,
  writeSeed,
} from './test-support/start-test-server.js';

const validateResponse = createAjv().compile<DecisionResponse>(readProtocolSchema('decision-response.v1.schema.json'));

const candidateIds = (response: DecisionResponse) =>
  Object.fromEntries(response.slots.map((slot) => [slot.id, slot.candidates.map((c) => c.id)]));

describe('POST /v1/decisions with the shipped seed', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.dispose());

  const decide = async (body: unknown) => {
    const res = await post(`${t.origin}/v1/decisions`, body);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    return (await res.json()) as DecisionResponse;
  };

  test('answers the three home slots in request order, best campaign first, and an unknown slot with nothing', async () => {
    const request = homeDecisionRequest();
    request.slots.splice(1, 0, { id: 'no-such-slot', sizes: [[300, 250]], formats: ['banner'] });
    const response = await decide(request);

    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));
    assert.equal(response.v, 1);
    // A UUID version 7: time-ordered, so that the audit's key index grows at its end.
    assert.match(response.decisionId, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(response.ttl, 300);
    assert.deepEqual(
      response.slots.map((slot) => slot.id),
      ['home-banner', 'no-such-slot', 'home-side', 'home-strip'],
    );
    // The 2025 expo campaign has a higher priority but ended, so it is not offered.
    assert.deepEqual(candidateIds(response), {
      'home-banner': ['cr-chengchuan-home-banner', 'cr-demobank-loan-banner'],
      'no-such-slot': [],
      'home-side': ['cr-beiyu-home-side', 'cr-demobank-payroll-side'],
      'home-strip': ['cr-demobank-cross-border-strip', 'cr-qiwu-home-strip'],
    });
  });

  test('describes each candidate completely: advertiser, image on this server, https landing page, reason', async () => {
    const response = await decide(homeDecisionRequest());
    const first = response.slots[0]?.candidates[0];
    assert.ok(first);
    assert.equal(first.campaignId, 'camp-chengchuan-five-axis');
    assert.deepEqual(first.advertiser, { id: 'adv-chengchuan', name: '澄川精密机械有限公司' });
    assert.equal(first.strategy, 'priority');
    assert.equal(
      first.reason,
      'priority 20 campaign camp-chengchuan-five-axis, slot home-banner, channel corporate-web',
    );
    assert.match(first.landingUrl, /^https:\/\/www\.chengchuan-precision\.example\//);
    const image = first.assets.image;
    assert.ok(image);
    assert.deepEqual([image.width, image.height], [960, 240]);
    assert.match(image.src, /^\/assets\/creatives\/chengchuan-home-banner\.svg\?v=[0-9a-f]{12}$/);
    assert.ok(image.alt.length > 0);

    const asset = await fetch(new URL(image.src, `${t.origin}/v1/decisions`));
    assert.equal(asset.status, 200);
    assert.equal(asset.headers.get('content-type'), 'image/svg+xml');
    assert.equal(asset.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'");
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(await asset.text(), /^<svg [^>]*width="960" height="240"/);
  });

  test('serves the text-based formats their words, logo and brand colour, checked by the creative-assets schema', async () => {
    const request = homeDecisionRequest();
    request.slots = [
      { id: 'corp-web-notice', sizes: [], formats: ['notice'] },
      { id: 'corp-web-messages', sizes: [], formats: ['card-list'] },
      { id: 'corp-web-native', sizes: [[300, 120]], formats: ['native'] },
    ];
    const response = await decide(request);
    // The response schema takes each candidate's assets through creative-assets.v1.schema.json.
    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));
    const [notice, messages, native] = response.slots.map((slot) => slot.candidates);
    assert.deepEqual(notice?.[0]?.assets, {
      text: { body: '企业网银将于 11 月 29 日 00:00–04:00 进行系统升级，期间转账与代发业务暂停，请提前安排资金。' },
    });
    assert.equal(messages?.length, 3, 'every card of the message center');
    assert.deepEqual(Object.keys(messages?.[0]?.assets.text ?? {}).sort(), ['cta', 'publishedAt', 'summary', 'title']);
    const nativeAssets = native?.[0]?.assets;
    assert.equal(nativeAssets?.brandColor, '#0b5f78');
    assert.deepEqual(nativeAssets?.text?.cta, '咨询报价');
    assert.match(nativeAssets?.logo?.src ?? '', /^\/assets\/creatives\/beiyu-logo\.svg\?v=[0-9a-f]{12}$/);
    assert.equal(nativeAssets?.image, undefined);
    const logo = await fetch(new URL(nativeAssets?.logo?.src ?? '', `${t.origin}/v1/decisions`));
    assert.equal(logo.status, 200);
  });

  test('offers only creatives of a requested format', async () => {
    const request = homeDecisionRequest();
    for (const slot of request.slots) slot.formats = ['video'];
    assert.deepEqual(Object.values(candidateIds(await decide(request))), [[], [], []]);
  });

  test('offers only creatives of a requested size, and any size when none is given', async () => {
    const request = homeDecisionRequest();
    request.slots = [
      { id: 'home-banner', sizes: [[300, 250]], formats: ['banner'] },
      { id: 'home-side', sizes: [], formats: ['banner'] },
      {
        id: 'home-strip',
        sizes: [
          [728, 90],
          [960, 90],
        ],
        formats: ['banner'],
      },
    ];
    assert.deepEqual(candidateIds(await decide(request)), {
      'home-banner': [],
      'home-side': ['cr-beiyu-home-side', 'cr-demobank-payroll-side'],
      'home-strip': ['cr-demobank-cross-border-strip', 'cr-qiwu-home-strip'],
    });
  });

  test('offers a slot only on its own channel', async () => {
    const request = homeDecisionRequest();
    request.page.channel = 'personal-web';
    request.slots.push({ id: 'personal-home-banner', sizes: [[960, 240]], formats: ['banner'] });
    // Anonymous, so that the pension campaign's A/B test answers with its first (control) bucket.
    delete request.operator;
    assert.deepEqual(candidateIds(await decide(request)), {
      'home-banner': [],
      'home-side': [],
      'home-strip': [],
      'personal-home-banner': ['cr-demobank-pension-banner'],
    });
  });

  test('ignores unknown fields, as protocol v1 promises', async () => {
    const request = { ...homeDecisionRequest(), experiment: 'b', page: { ...homeDecisionRequest().page, extra: 1 } };
    assert.equal((await decide(request)).slots.length, 3);
  });

  test('answers a slot whose kill switch is off as disabled, with no candidates, on its channel only', async () => {
    const request = homeDecisionRequest();
    request.slots.push({ id: 'home-footer-disabled', sizes: [[960, 90]], formats: ['banner'] });
    const response = await decide(request);
    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));
    assert.deepEqual(response.slots[3], { id: 'home-footer-disabled', candidates: [], disabled: true });
    for (const slot of response.slots.slice(0, 3)) {
      assert.ok(!('disabled' in slot), slot.id);
      assert.ok(slot.candidates.length > 0, slot.id);
    }

    // On another channel the slot is simply unknown: no fill, no kill switch to reveal.
    request.page.channel = 'personal-web';
    assert.deepEqual((await decide(request)).slots[3], { id: 'home-footer-disabled', candidates: [] });
  });

  test('leaves out creatives and campaigns the ledger digest says are capped in this browser', async () => {
    const request = homeDecisionRequest();
    request.ledger = {
      cappedCreatives: ['cr-chengchuan-home-banner', 'cr-not-in-the-catalogue'],
      cappedCampaigns: ['camp-demobank-cross-border', 'camp-beiyu-pharma'],
    };
    const response = await decide(request);
    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));
    assert.deepEqual(candidateIds(response), {
      'home-banner': ['cr-demobank-loan-banner'],
      'home-side': ['cr-demobank-payroll-side'],
      'home-strip': ['cr-qiwu-home-strip'],
    });
    // The reason stays about why the creative was chosen; the audit record says what the ledger removed.
    assert.equal(
      response.slots[0]?.candidates[0]?.reason,
      'priority 10 campaign camp-demobank-inclusive-loan, slot home-banner, channel corporate-web',
    );

    request.ledger = { cappedCampaigns: ['camp-demobank-inclusive-loan', 'camp-chengchuan-five-axis'] };
    assert.deepEqual((await decide(request)).slots[0], { id: 'home-banner', candidates: [] });
    request.ledger = {};
    assert.deepEqual(candidateIds(await decide(request))['home-banner'], [
      'cr-chengchuan-home-banner',
      'cr-demobank-loan-banner',
    ]);
  });

  test('takes a preview token and, for now, ignores it', async () => {
    const request = { ...homeDecisionRequest(), preview: 'pv_2f9c.A-b~c' };
    assert.deepEqual(candidateIds(await decide(request)), candidateIds(await decide(homeDecisionRequest())));
    const bad = await post(`${t.origin}/v1/decisions`, { ...request, preview: 'not a token' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as ErrorResponse).error.message, /\/preview must match pattern/);
  });

  test('keeps every answer for audit, with what the ledger and the kill switch removed, without the operator key', async () => {
    const request = homeDecisionRequest();
    request.slots.push({ id: 'home-footer-disabled', sizes: [[960, 90]], formats: ['banner'] });
    request.ledger = { cappedCreatives: ['cr-chengchuan-home-banner', 'cr-qiwu-home-strip'] };
    const response = await decide(request);
    await t.close();
    const db = new Database(t.databasePath, { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM decisions WHERE id = ?').get(response.decisionId) as Record<
        string,
        unknown
      >;
      assert.equal(row.channel, 'corporate-web');
      assert.equal(row.page_id, 'home');
      assert.deepEqual(JSON.parse(String(row.slot_ids)), [
        'home-banner',
        'home-side',
        'home-strip',
        'home-footer-disabled',
      ]);
      assert.deepEqual(JSON.parse(String(row.creative_ids)), [
        ['cr-demobank-loan-banner'],
        ['cr-beiyu-home-side', 'cr-demobank-payroll-side'],
        ['cr-demobank-cross-border-strip'],
        [],
      ]);
      assert.deepEqual(JSON.parse(String(row.ledger_excluded)), [
        ['cr-chengchuan-home-banner'],
        [],
        ['cr-qiwu-home-strip'],
        [],
      ]);
      assert.deepEqual(JSON.parse(String(row.disabled_slot_ids)), ['home-footer-disabled']);
      assert.ok(!JSON.stringify(row).includes('op-7f3a9c21e4b8'));
    } finally {
      db.close();
    }
  });
});

describe('POST /v1/decisions obeys the kill switch of the seed', () => {
  let t: TestServer;
  before(async () => {
    const dir = makeTempDir();
    const seedPath = writeSeed(dir, (seed) => {
      const side = seed.slots.find((s) => s.id === 'home-side');
      assert.ok(side);
      Object.assign(side, { enabled: false });
    });
    t = await startTestServer({ dir, seedPath });
  });
  after(() => t.dispose());

  test('answers a slot that would fill as disabled, and the others as usual', async () => {
    const response = (await (await post(`${t.origin}/v1/decisions`, homeDecisionRequest())).json()) as DecisionResponse;
    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));
    assert.deepEqual(response.slots[1], { id: 'home-side', candidates: [], disabled: true });
    assert.deepEqual(candidateIds(response), {
      'home-banner': ['cr-chengchuan-home-banner', 'cr-demobank-loan-banner'],
      'home-side': [],
      'home-strip': ['cr-demobank-cross-border-strip', 'cr-qiwu-home-strip'],
    });
  });
});

describe('POST /v1/decisions decides by campaign status, dates, priority and weight', () => {
  let t: TestServer;
  before(async () => {
    const dir = makeTempDir();
    const hour = 3_600_000;
    const seedPath = writeSeed(dir, (seed) => {
      const loan = seed.campaigns.find((c) => c.id === 'camp-demobank-inclusive-loan');
      const partner = seed.campaigns.find((c) => c.id === 'camp-chengchuan-five-axis');
      const expo = seed.campaigns.find((c) => c.id === 'camp-chengchuan-expo-2025');
      assert.ok(loan && partner && expo);
      // Same priority: the heavier weight goes first.
      Object.assign(loan, { priority: 20, weight: 80 });
      // Active again, but only from an hour from now.
      Object.assign(expo, { start: new Date(Date.now() + hour).toISOString(), end: null });
      const side = seed.campaigns.find((c) => c.id === 'camp-beiyu-pharma');
      assert.ok(side);
      side.status = 'paused';
    });
    t = await startTestServer({ dir, seedPath });
  });
  after(() => t.dispose());

  test('serves neither paused nor not-yet-started campaigns, and orders equal priorities by weight', async () => {
    const res = await post(`${t.origin}/v1/decisions`, homeDecisionRequest());
    assert.deepEqual(candidateIds((await res.json()) as DecisionResponse), {
      'home-banner': ['cr-demobank-loan-banner', 'cr-chengchuan-home-banner'],
      'home-side': ['cr-demobank-payroll-side'],
      'home-strip': ['cr-demobank-cross-border-strip', 'cr-qiwu-home-strip'],
    });
  });
});

describe('POST /v1/decisions refuses malformed requests with a JSON error and keeps serving', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.dispose());

  const valid = JSON.stringify(homeDecisionRequest());
  const withHomeRequest = (edit: (request: Record<string, unknown>) => void) => {
    const request = homeDecisionRequest() as unknown as Record<string, unknown>;
    edit(request);
    return JSON.stringify(request);
  };
  const cases: {
    name: string;
    body: string | Uint8Array;
    contentType?: string;
    status: number;
    code: string;
    message?: RegExp;
  }[] = [
    { name: 'bad JSON', body: '{"v":1,', status: 400, code: 'invalid-json' },
    { name: 'an empty body', body: '', status: 400, code: 'invalid-json' },
    { name: 'a JSON array', body: '[]', status: 400, code: 'invalid-request', message: /\/ must be object/ },
    {
      name: 'protocol version 2',
      body: withHomeRequest((r) => {
        r.v = 2;
      }),
      status: 400,
      code: 'invalid-request',
      message: /\/v must be equal to constant/,
    },
    {
      name: 'no slots',
      body: withHomeRequest((r) => {
        delete r.slots;
      }),
      status: 400,
      code: 'invalid-request',
      message: /\/slots is required/,
    },
    {
      name: 'a page without a locale',
      body: withHomeRequest((r) => {
        delete (r.page as Record<string, unknown>).locale;
      }),
      status: 400,
      code: 'invalid-request',
      message: /\/page\/locale is required/,
    },
    {
      name: 'sizes as a string',
      body: valid.replace('[[960,240]]', '"960x240"'),
      status: 400,
      code: 'invalid-request',
      message: /\/slots\/0\/sizes must be array/,
    },
    {
      name: 'an unknown channel',
      body: valid.replace('"corporate-web"', '"atm"'),
      status: 400,
      code: 'invalid-request',
      message: /\/page\/channel/,
    },
    {
      name: 'an operator key that looks like a phone number with spaces',
      body: valid.replace('op-7f3a9c21e4b8', '138 0013 8000'),
      status: 400,
      code: 'invalid-request',
      message: /\/operator must match pattern/,
    },
    {
      name: 'a __proto__ key',
      body: valid.replace('{"v":1,', '{"v":1,"__proto__":{"polluted":true},'),
      status: 400,
      code: 'invalid-request',
      message: /__proto__/,
    },
    {
      name: 'a nested __proto__ key',
      body: valid.replace('"consent":{', '"consent":{"__proto__":{"personalized":true},'),
      status: 400,
      code: 'invalid-request',
    },
    {
      name: 'a __proto__ key spelt with escapes',
      body: valid.replace('"consent":{', '"consent":{"\\u005f_pro\\u0074o__":{"personalized":true},'),
      status: 400,
      code: 'invalid-request',
      message: /__proto__/,
    },
    {
      name: 'a huge string',
      body: valid.replace('"pageId":"home"', `"pageId":"${'页'.repeat(20_000)}"`),
      status: 400,
      code: 'invalid-request',
      message: /\/page\/pageId must match pattern/,
    },
    {
      name: 'a 65 KiB body',
      body: valid.replace('"pageId":"home"', `"pageId":"home","padding":"${'x'.repeat(65 * 1024)}"`),
      status: 413,
      code: 'payload-too-large',
    },
    {
      name: 'a form body',
      body: 'v=1',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'bytes that are not UTF-8',
      body: Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d),
      status: 400,
      code: 'invalid-json',
    },
  ];

  for (const { name, body, contentType, status, code, message } of cases) {
    test(`${name} → ${status} ${code}`, async () => {
      const res = await fetch(`${t.origin}/v1/decisions`, {
        method: 'POST',
        headers: { 'content-type': contentType ?? 'application/json' },
        body,
      });
      assert.equal(res.status, status);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const answer = (await res.json()) as ErrorResponse;
      assert.deepEqual(Object.keys(answer), ['error']);
      assert.equal(answer.error.code, code);
      assert.equal(typeof answer.error.message, 'string');
      assert.ok(answer.error.message.length < 300, 'the message never echoes the request');
      if (message) assert.match(answer.error.message, message);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);

      const health = await fetch(`${t.origin}/v1/health`);
      assert.deepEqual(await health.json(), { ok: true });
    });
  }

  test('GET on the decision endpoint → 405 with Allow', async () => {
    const res = await fetch(`${t.origin}/v1/decisions`);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST, OPTIONS');
    assert.equal(((await res.json()) as ErrorResponse).error.code, 'method-not-allowed');
  });

  test('an unknown route → 404 JSON', async () => {
    for (const path of ['/v1/decision', '/v2/decisions', '/nothing-here']) {
      const res = await fetch(`${t.origin}${path}`);
      assert.equal(res.status, 404, path);
      assert.equal(((await res.json()) as ErrorResponse).error.code, 'not-found');
    }
  });
});

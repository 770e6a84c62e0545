import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BeaconEvent, DecisionRequest, DecisionResponse, FieldError } from '@opslot/core';
import { validateDecisionResponse } from '@opslot/core';
import Database from 'better-sqlite3';
import { DEV_ADMIN_TOKEN } from './create-opslot-server.js';
import { shanghaiDate } from './partner-application.js';
import { createPreviewTokens, loadPreviewSecret, PREVIEW_SECRET_FILE, PREVIEW_TOKEN_TTL_MS } from './preview-token.js';
import { makeJpegHeader, makePng } from './test-support/make-image.js';
import type { TestServer } from './test-support/start-test-server.js';
import {
  beaconEvent,
  homeDecisionRequest,
  rawRequest,
  startTestServer,
  storedEvents,
} from './test-support/start-test-server.js';

const A = 'opslot-dev-partner-chengchuan';
const B = 'opslot-dev-partner-qiwu';
const NOT_IN_PROGRAMME = 'opslot-dev-partner-yunjian';
const DAY_MS = 86_400_000;

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

async function call<T = Record<string, unknown>>(
  t: TestServer,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; bytes?: Buffer; contentType?: string; admin?: boolean } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  const token = options.admin ? DEV_ADMIN_TOKEN : options.token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.bytes) {
    headers['content-type'] = options.contentType ?? 'image/png';
    body = options.bytes;
  }
  const res = await fetch(`${t.origin}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T, headers: res.headers };
}

const errorOf = (answer: Answer) => answer.body.error as { code: string; message: string; fields?: FieldError[] };

function applicationForm(overrides: Record<string, unknown> = {}) {
  const today = shanghaiDate(Date.now());
  return {
    campaignName: '五轴加工中心供应链推广',
    slotIds: ['home-banner', 'corp-web-native'],
    startDate: today,
    endDate: shanghaiDate(Date.now() + 30 * DAY_MS),
    landingUrl: 'https://www.chengchuan-precision.example/five-axis?from=opslot',
    audience: { kind: 'supply-chain', direction: 'downstream', hops: 1 },
    contact: { name: '王经理', phone: '13812345678', email: 'wang@chengchuan-precision.example' },
    ...overrides,
  };
}

function creativeForm(pngUploadId: string, overrides: Record<string, unknown> = {}) {
  return {
    slotId: 'home-banner',
    template: 'banner-left-image',
    fields: {
      title: '五轴联动加工中心',
      subtitle: '精度 0.005 mm，交期 45 天',
      cta: '预约试机',
      brandColor: '#1f5fa8',
    },
    pngUploadId,
    alt: '澄川五轴联动加工中心，预约试机',
    ...overrides,
  };
}

/** Every row of the partner tables and the uploads folder: what "a refused request changes nothing" compares. */
function partnerState(t: TestServer): string {
  const db = new Database(t.databasePath, { readonly: true });
  try {
    const tables = ['partners', 'partner_applications', 'partner_creatives', 'uploads', 'partner_uploads'];
    const rows = tables.map((name) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2`).all()]);
    let files: string[] = [];
    try {
      files = readdirSync(join(t.dir, 'uploads')).sort();
    } catch {
      // No upload yet.
    }
    return JSON.stringify({ rows, files });
  } finally {
    db.close();
  }
}

function previewDecisionCount(t: TestServer): number {
  const db = new Database(t.databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM preview_decisions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function events(decision: DecisionResponse, slotId: string, creativeId: string, campaignId: string): BeaconEvent[] {
  const common = { decisionId: decision.decisionId, slotId, creativeId, campaignId, channel: 'corporate-web' as const };
  return [
    beaconEvent({ ...common, type: 'render' }),
    beaconEvent({ ...common, type: 'viewable', method: 'io2' }),
    beaconEvent({ ...common, type: 'click' }),
  ];
}

async function decide(t: TestServer, request: DecisionRequest): Promise<DecisionResponse> {
  const res = await fetch(`${t.origin}/v1/decisions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  assert.equal(res.status, 200);
  const body = (await res.json()) as DecisionResponse;
  const valid = validateDecisionResponse(body);
  assert.ok(valid.ok, JSON.stringify(valid));
  return body;
}

async function sendEvents(t: TestServer, list: BeaconEvent[]): Promise<void> {
  const res = await fetch(`${t.origin}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ v: 1, events: list }),
  });
  const result = (await res.json()) as { accepted: string[] };
  assert.equal(result.accepted.length, list.length);
}

describe('partner journey: apply, upload, creative, preview, submit, approve, serve, report', () => {
  let t: TestServer;
  let applicationId: string;
  let uploadId: string;
  let creativeId: string;
  let previewToken: string;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.dispose());

  test('a partner in the programme sees itself and the slots it may apply for', async () => {
    const me = await call<{
      partner: { id: string; allowedDomains: string[] };
      eligible: boolean;
      slots: { id: string; formats: string[] }[];
    }>(t, 'GET', '/v1/partner/me', { token: A });
    assert.equal(me.status, 200);
    assert.equal(me.body.partner.id, 'partner-chengchuan');
    assert.deepEqual(me.body.partner.allowedDomains, ['chengchuan-precision.example']);
    assert.equal(me.body.eligible, true);
    const ids = me.body.slots.map((s) => s.id);
    assert.ok(ids.includes('home-banner') && ids.includes('corp-web-native'));
    assert.ok(!ids.includes('home-footer-disabled'), 'disabled slots are not offered');
    assert.ok(!ids.includes('corp-web-notice'), 'only banner and native slots are offered');
    assert.ok(me.body.slots.every((s) => s.formats.includes('banner') || s.formats.includes('native')));
  });

  test('applies: a draft application, its campaign pending and not served', async () => {
    const res = await call<{ v: number; application: Record<string, unknown> }>(t, 'POST', '/v1/partner/applications', {
      token: A,
      json: applicationForm(),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.v, 1);
    const { application } = res.body;
    assert.match(String(application.id), /^app-[0-9a-f]{16}$/);
    assert.equal(application.status, 'draft');
    assert.equal(application.partnerId, 'partner-chengchuan');
    assert.deepEqual(application.creatives, []);
    applicationId = String(application.id);
  });

  test('uploads the exported PNG: checked by content, stored under the data folder, served safely', async () => {
    const png = makePng(960, 240);
    const res = await call<{
      upload: { id: string; type: string; width: number; height: number; bytes: number; url: string };
    }>(t, 'POST', '/v1/partner/uploads', { token: A, bytes: png, contentType: 'image/png' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { upload } = res.body;
    assert.match(upload.id, /^up-[0-9a-f]{64}$/);
    assert.deepEqual(
      { type: upload.type, width: upload.width, height: upload.height, bytes: upload.bytes, url: upload.url },
      { type: 'image/png', width: 960, height: 240, bytes: png.length, url: `/v1/partner/uploads/${upload.id}` },
    );
    assert.deepEqual(readdirSync(join(t.dir, 'uploads')), [`${upload.id}.png`]);
    uploadId = upload.id;

    const served = await fetch(`${t.origin}${upload.url}`);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/png');
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(served.headers.get('content-security-policy'), "default-src 'none'");
    assert.equal(served.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(served.headers.get('cache-control') ?? '', /immutable/);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
  });

  test('makes a creative from a template for the banner slot', async () => {
    const res = await call<{ creative: Record<string, unknown> }>(
      t,
      'POST',
      `/v1/partner/applications/${applicationId}/creatives`,
      { token: A, json: creativeForm(uploadId) },
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const { creative } = res.body;
    assert.equal(creative.format, 'banner');
    assert.equal(creative.slotId, 'home-banner');
    assert.equal(creative.pngUploadId, uploadId);
    creativeId = String(creative.id);
    const read = await call<{ application: { creatives: { id: string }[] } }>(
      t,
      'GET',
      `/v1/partner/applications/${applicationId}`,
      { token: A },
    );
    assert.deepEqual(
      read.body.application.creatives.map((c) => c.id),
      [creativeId],
    );
  });

  test('previews in place: the creative alone in its slot, marked preview; other slots as usual', async () => {
    const issued = await call<{ token: string; expiresAt: number; slotId: string; channel: string }>(
      t,
      'POST',
      `/v1/partner/creatives/${creativeId}/preview-token`,
      { token: A },
    );
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal(issued.body.slotId, 'home-banner');
    assert.equal(issued.body.channel, 'corporate-web');
    assert.ok(Math.abs(issued.body.expiresAt - (Date.now() + PREVIEW_TOKEN_TTL_MS)) < 60_000);
    previewToken = issued.body.token;

    const without = await decide(t, homeDecisionRequest());
    assert.ok(
      without.slots.every((s) => s.candidates.every((c) => c.id !== creativeId)),
      'not served before approval',
    );
    assert.equal(without.preview, undefined);

    const decision = await decide(t, { ...homeDecisionRequest(), preview: previewToken });
    assert.deepEqual(decision.preview, { accepted: true });
    const banner = decision.slots.find((s) => s.id === 'home-banner');
    assert.equal(banner?.candidates.length, 1);
    const [candidate] = banner?.candidates ?? [];
    assert.equal(candidate?.id, creativeId);
    assert.equal(candidate?.preview, true);
    assert.equal(candidate?.strategy, 'preview');
    assert.equal(candidate?.campaignId, applicationId);
    assert.equal(candidate?.assets.image?.src, `/v1/partner/uploads/${uploadId}`);
    assert.equal(candidate?.landingUrl, 'https://www.chengchuan-precision.example/five-axis?from=opslot');
    const side = decision.slots.find((s) => s.id === 'home-side');
    assert.ok((side?.candidates.length ?? 0) > 0 && side?.candidates.every((c) => c.preview === undefined));

    // The client leaves the flag off: the server still knows the decision was a preview.
    const sent = events(decision, 'home-banner', creativeId, applicationId);
    await sendEvents(t, sent);
    const stored = storedEvents(t.databasePath);
    for (const e of sent) assert.equal(stored.get(e.id)?.preview, 1, `${e.type} stored as a preview`);
    const report = await call<{ totals: Record<string, number> }>(t, 'GET', '/v1/partner/report', { token: A });
    assert.deepEqual(report.body.totals, { exposures: 0, clicks: 0, ctr: 0 });
  });

  test('submits for review; a submitted application can no longer be edited', async () => {
    const res = await call<{ application: { status: string } }>(
      t,
      'POST',
      `/v1/partner/applications/${applicationId}/submit`,
      { token: A },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.application.status, 'submitted');
    const edit = await call(t, 'POST', `/v1/partner/applications/${applicationId}/creatives`, {
      token: A,
      json: creativeForm(uploadId),
    });
    assert.equal(edit.status, 409);
    assert.equal(errorOf(edit).code, 'not-editable');
  });

  test('the bank approves it, and the next decision serves it to a downstream customer of the partner', async () => {
    const queue = await call<{ applications: { id: string }[] }>(t, 'GET', '/v1/admin/reviews', { admin: true });
    assert.deepEqual(
      queue.body.applications.map((a) => a.id),
      [applicationId],
    );
    const rejectWithoutReason = await call(t, 'POST', `/v1/admin/reviews/${applicationId}`, {
      admin: true,
      json: { decision: 'reject' },
    });
    assert.equal(rejectWithoutReason.status, 400);
    for (const priority of [0, 101, 2.5, '50']) {
      const misranked = await call(t, 'POST', `/v1/admin/reviews/${applicationId}`, {
        admin: true,
        json: { decision: 'approve', priority },
      });
      assert.equal(misranked.status, 400, `priority ${JSON.stringify(priority)}`);
    }
    const stillQueued = await call<{ applications: { id: string }[] }>(t, 'GET', '/v1/admin/reviews', { admin: true });
    assert.equal(stillQueued.body.applications.length, 1, 'a refused review changes nothing');
    // The reviewer ranks it above the bank's other home-banner campaigns (20–30), so it is offered first.
    const approved = await call<{ application: { status: string } }>(t, 'POST', `/v1/admin/reviews/${applicationId}`, {
      admin: true,
      json: { decision: 'approve', priority: 60 },
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.application.status, 'approved');

    // ent-hangyu-aero is a customer of ent-chengchuan: one hop downstream in the sample graph.
    const downstream = await decide(t, {
      ...homeDecisionRequest(),
      operator: 'op-demo-hangyu-finance',
      consent: { personalized: true },
    });
    const offered = downstream.slots.find((s) => s.id === 'home-banner')?.candidates ?? [];
    const served = offered.find((c) => c.id === creativeId);
    assert.ok(served, 'served to the partner’s downstream customer');
    assert.equal(offered[0]?.id, creativeId, 'first, at the priority the reviewer gave');
    assert.equal(served.preview, undefined);
    assert.equal(served.strategy, 'priority');
    assert.match(served.reason, /downstream of ent-chengchuan/);

    // ent-huaxin-steel supplies ent-chengchuan: upstream, not in the downstream audience.
    const upstream = await decide(t, {
      ...homeDecisionRequest(),
      operator: 'op-demo-huaxin-treasury',
      consent: { personalized: true },
    });
    assert.ok(upstream.slots.every((s) => s.candidates.every((c) => c.id !== creativeId)));

    await sendEvents(t, events(downstream, 'home-banner', creativeId, applicationId));
    const report = await call<{
      from: string;
      to: string;
      totals: Record<string, number>;
      byDay: { day: string; exposures: number; clicks: number; ctr: number }[];
      bySlot: { slotId: string; channel: string; exposures: number; clicks: number; ctr: number }[];
    }>(t, 'GET', `/v1/partner/report?campaignId=${applicationId}`, { token: A });
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const today = shanghaiDate(Date.now());
    assert.equal(report.body.to, today);
    assert.equal(report.body.byDay.length, 30, 'every day of the default range, zeros included');
    assert.deepEqual(report.body.totals, { exposures: 1, clicks: 1, ctr: 1 });
    assert.deepEqual(report.body.byDay.at(-1), { day: today, exposures: 1, clicks: 1, ctr: 1 });
    assert.equal(
      report.body.byDay.slice(0, -1).every((d) => d.exposures === 0 && d.clicks === 0),
      true,
    );
    assert.deepEqual(report.body.bySlot, [
      { slotId: 'home-banner', channel: 'corporate-web', exposures: 1, clicks: 1, ctr: 1 },
    ]);

    // The bank's own statistics count the approved partner creative like any other, previews left out.
    const bankStats = await call<{ creatives: Record<string, unknown>[] }>(
      t,
      'GET',
      `/v1/stats?creativeId=${creativeId}`,
    );
    assert.deepEqual(bankStats.body.creatives, [
      {
        creativeId,
        campaignId: applicationId,
        advertiserId: 'adv-chengchuan',
        advertiserName: '澄川精密机械有限公司',
        renders: 1,
        exposures: 1,
        clicks: 1,
        ctr: 1,
      },
    ]);

    const csv = await fetch(`${t.origin}/v1/partner/report.csv?campaignId=${applicationId}`, {
      headers: { authorization: `Bearer ${A}` },
    });
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with a UTF-8 byte-order mark');
    assert.equal(
      bytes.subarray(3).toString('utf8'),
      `day,slot,channel,exposures,clicks,ctr\r\n${today},home-banner,corporate-web,1,1,1\r\n`,
    );
  });

  test('the whole-partner report also counts the partner’s catalogue campaigns, never another partner’s', async () => {
    const decision = await decide(t, homeDecisionRequest());
    const other = decision.slots
      .flatMap((s) => s.candidates.map((c) => ({ slot: s.id, c })))
      .find(({ c }) => c.advertiser.id === 'adv-qiwu');
    assert.ok(other, 'a qiwu creative on the home page');
    await sendEvents(t, events(decision, other.slot, other.c.id, other.c.campaignId));
    const a = await call<{ totals: Record<string, number> }>(t, 'GET', '/v1/partner/report', { token: A });
    assert.deepEqual(a.body.totals, { exposures: 1, clicks: 1, ctr: 1 });
    const b = await call<{ totals: Record<string, number> }>(t, 'GET', '/v1/partner/report', { token: B });
    assert.deepEqual(b.body.totals, { exposures: 1, clicks: 1, ctr: 1 });
  });
});

describe('partner API authorisation', () => {
  let t: TestServer;
  let applicationId: string;
  let creativeId: string;
  before(async () => {
    t = await startTestServer();
    const upload = await call<{ upload: { id: string } }>(t, 'POST', '/v1/partner/uploads', {
      token: A,
      bytes: makePng(960, 240),
    });
    const application = await call<{ application: { id: string } }>(t, 'POST', '/v1/partner/applications', {
      token: A,
      json: applicationForm(),
    });
    applicationId = application.body.application.id;
    const creative = await call<{ creative: { id: string } }>(
      t,
      'POST',
      `/v1/partner/applications/${applicationId}/creatives`,
      { token: A, json: creativeForm(upload.body.upload.id) },
    );
    creativeId = creative.body.creative.id;
  });
  after(() => t.dispose());

  test("partner B gets 403 on partner A's application, creative, preview token and report, and changes nothing", async () => {
    const before = partnerState(t);
    const attempts: [string, string, unknown?][] = [
      ['GET', `/v1/partner/applications/${applicationId}`],
      ['POST', `/v1/partner/applications/${applicationId}/creatives`, creativeForm('up-0000000000000000')],
      ['POST', `/v1/partner/applications/${applicationId}/submit`],
      ['POST', `/v1/partner/creatives/${creativeId}/preview-token`],
      ['GET', `/v1/partner/report?campaignId=${applicationId}`],
      ['GET', `/v1/partner/report.csv?campaignId=${applicationId}`],
      ['GET', '/v1/partner/report?campaignId=camp-chengchuan-five-axis'],
    ];
    for (const [method, path, json] of attempts) {
      const res = await call(t, method, path, { token: B, ...(json === undefined ? {} : { json }) });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(errorOf(res).code, 'forbidden', `${method} ${path}`);
    }
    const list = await call<{ applications: unknown[] }>(t, 'GET', '/v1/partner/applications', { token: B });
    assert.deepEqual(list.body.applications, [], "B's list holds none of A's applications");
    assert.equal(partnerState(t), before);
  });

  test('a partner outside the programme sees itself as not eligible and nothing else (403)', async () => {
    const me = await call<{ eligible: boolean }>(t, 'GET', '/v1/partner/me', { token: NOT_IN_PROGRAMME });
    assert.equal(me.status, 200);
    assert.equal(me.body.eligible, false);
    const before = partnerState(t);
    for (const [method, path] of [
      ['GET', '/v1/partner/applications'],
      ['POST', '/v1/partner/applications'],
      ['POST', '/v1/partner/uploads'],
      ['GET', '/v1/partner/report'],
    ] as const) {
      const res = await call(t, method, path, {
        token: NOT_IN_PROGRAMME,
        ...(method === 'POST' && path.endsWith('uploads')
          ? { bytes: makePng(10, 10) }
          : method === 'POST'
            ? { json: applicationForm({ landingUrl: 'https://www.yunjian-travel.example/' }) }
            : {}),
      });
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal(errorOf(res).code, 'not-eligible');
    }
    assert.equal(partnerState(t), before);
  });

  test('no token, or an unknown one, is 401 with a WWW-Authenticate challenge', async () => {
    for (const token of [undefined, 'opslot-dev-partner-nobody', `${A}x`, DEV_ADMIN_TOKEN]) {
      const res = await call(t, 'GET', '/v1/partner/me', token === undefined ? {} : { token });
      assert.equal(res.status, 401, String(token));
      assert.equal(errorOf(res).code, 'unauthorized');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
    }
  });

  test('the admin API issues and rotates partner tokens; only the newest works, and only its hash is kept', async () => {
    const created = await call<{ partner: { id: string; allowedDomains: string[] }; token: string }>(
      t,
      'POST',
      '/v1/admin/partners',
      {
        admin: true,
        json: { id: 'partner-beiyu', name: '北屿冷链', enterpriseId: 'ent-beiyu', advertiserId: 'adv-beiyu' },
      },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.partner.allowedDomains, ['beiyu-coldchain.example']);
    const first = created.body.token;
    assert.equal((await call(t, 'GET', '/v1/partner/me', { token: first })).status, 200);
    const again = await call(t, 'POST', '/v1/admin/partners', {
      admin: true,
      json: { id: 'partner-beiyu', name: 'x', enterpriseId: 'ent-beiyu', advertiserId: 'adv-beiyu' },
    });
    assert.equal(again.status, 409);
    const unknownAdvertiser = await call(t, 'POST', '/v1/admin/partners', {
      admin: true,
      json: { id: 'partner-x', name: 'x', enterpriseId: 'ent-x', advertiserId: 'adv-nobody' },
    });
    assert.equal(unknownAdvertiser.status, 400);
    // A second partner for an advertiser (or enterprise) that has one would read the first one's figures.
    const sharing = await call(t, 'POST', '/v1/admin/partners', {
      admin: true,
      json: { id: 'partner-copy', name: 'x', enterpriseId: 'ent-copy', advertiserId: 'adv-chengchuan' },
    });
    assert.equal(sharing.status, 409);

    const rotated = await call<{ token: string }>(t, 'POST', '/v1/admin/partners/partner-beiyu/token', { admin: true });
    assert.equal(rotated.status, 200);
    assert.equal((await call(t, 'GET', '/v1/partner/me', { token: first })).status, 401);
    assert.equal((await call(t, 'GET', '/v1/partner/me', { token: rotated.body.token })).status, 200);
    const lowerCaseScheme = await fetch(`${t.origin}/v1/partner/me`, {
      headers: { authorization: `bearer ${rotated.body.token}` },
    });
    assert.equal(lowerCaseScheme.status, 200, 'the scheme is case-insensitive');
    const listed = await call<{ partners: Record<string, unknown>[] }>(t, 'GET', '/v1/admin/partners', { admin: true });
    assert.deepEqual(
      listed.body.partners.map((p) => p.id),
      ['partner-beiyu', 'partner-chengchuan', 'partner-qiwu', 'partner-yunjian'],
    );
    assert.ok(!JSON.stringify(listed.body).includes(rotated.body.token));
    assert.ok(!JSON.stringify(listed.body).includes('token_hash'));
    const db = new Database(t.databasePath, { readonly: true });
    try {
      const dump = JSON.stringify(db.prepare('SELECT * FROM partners').all());
      assert.ok(!dump.includes(rotated.body.token), 'the clear token is never stored');
    } finally {
      db.close();
    }
  });
});

test('the demo partners’ public tokens stop working once a real admin token is set', async () => {
  const t = await startTestServer({ adminToken: 'a-real-admin-token-of-the-pilot' });
  try {
    assert.equal((await call(t, 'GET', '/v1/partner/me', { token: A })).status, 401);
  } finally {
    await t.dispose();
  }
});

describe('partner API: each bad input gets a clear error and changes nothing', () => {
  let t: TestServer;
  let applicationId: string;
  let bannerUploadId: string;
  before(async () => {
    t = await startTestServer();
    const upload = await call<{ upload: { id: string } }>(t, 'POST', '/v1/partner/uploads', {
      token: A,
      bytes: makePng(960, 240),
    });
    bannerUploadId = upload.body.upload.id;
    const application = await call<{ application: { id: string } }>(t, 'POST', '/v1/partner/applications', {
      token: A,
      json: applicationForm(),
    });
    applicationId = application.body.application.id;
  });
  after(() => t.dispose());

  const refused = async (
    what: string,
    send: () => Promise<Answer>,
    status: number,
    code: string,
    field?: { field: string; code: string },
  ) => {
    const before = partnerState(t);
    const res = await send();
    assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
    const error = errorOf(res);
    assert.equal(error.code, code, what);
    assert.ok(error.message.length > 0, what);
    if (field) {
      assert.ok(
        error.fields?.some((f) => f.field === field.field && f.code === field.code),
        `${what}: ${JSON.stringify(error.fields)}`,
      );
    }
    assert.equal(partnerState(t), before, `${what} changed nothing`);
    return error;
  };

  test('uploads: too large (413), not a picture, wrong type, type mismatch (415), too many pixels (400)', async () => {
    const oversized = Buffer.concat([makePng(10, 10), Buffer.alloc(1024 * 1024)]);
    await refused(
      'oversized',
      () => call(t, 'POST', '/v1/partner/uploads', { token: A, bytes: oversized }),
      413,
      'upload-too-large',
    );
    await refused(
      'gif declared',
      () =>
        call(t, 'POST', '/v1/partner/uploads', { token: A, bytes: Buffer.from('GIF89a'), contentType: 'image/gif' }),
      415,
      'unsupported-media-type',
    );
    await refused(
      'svg as png',
      () =>
        call(t, 'POST', '/v1/partner/uploads', {
          token: A,
          bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
          contentType: 'image/png',
        }),
      415,
      'unsupported-media-type',
    );
    await refused(
      'jpeg as png',
      () =>
        call(t, 'POST', '/v1/partner/uploads', { token: A, bytes: makeJpegHeader(100, 100), contentType: 'image/png' }),
      415,
      'unsupported-media-type',
    );
    await refused(
      'huge canvas',
      () =>
        call(t, 'POST', '/v1/partner/uploads', {
          token: A,
          bytes: makeJpegHeader(5000, 100),
          contentType: 'image/jpeg',
        }),
      400,
      'bad-image',
    );
  });

  test('an upload streamed without Content-Length is cut off at 1 MiB', async () => {
    const before = partnerState(t);
    const chunks = (async function* () {
      yield makePng(10, 10);
      for (let i = 0; i < 40; i++) yield Buffer.alloc(64 * 1024);
    })();
    const res = await fetch(`${t.origin}/v1/partner/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${A}`, 'content-type': 'image/png' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'upload-too-large');
    assert.equal(partnerState(t), before);
  });

  test('landing URLs: javascript:, data:, http: and foreign hosts are refused (400 invalid-application)', async () => {
    for (const [landingUrl, code] of [
      ['javascript:alert(document.cookie)', 'scheme-not-allowed'],
      ['data:text/html,<script>alert(1)</script>', 'scheme-not-allowed'],
      ['http://www.chengchuan-precision.example/', 'scheme-not-allowed'],
      ['https://chengchuan-precision.example.evil.example/', 'domain-not-allowed'],
      ['https://evil.example/?chengchuan-precision.example', 'domain-not-allowed'],
      ['https://user:pw@www.chengchuan-precision.example/', 'invalid'],
      ['/relative/path', 'invalid'],
      // Hosts that other parsers than the browser's (an app's, a reviewer's eye) read as evil.example.
      ['https://www.chengchuan-precision.example\\@evil.example/', 'invalid'],
      ['https://www.chengchuan-precision.example/a\r\nb', 'invalid'],
      [' https://www.chengchuan-precision.example/', 'invalid'],
      ['https://www.chengchuan-precision.example:8443/', 'invalid'],
    ] as const) {
      await refused(
        landingUrl,
        () => call(t, 'POST', '/v1/partner/applications', { token: A, json: applicationForm({ landingUrl }) }),
        400,
        'invalid-application',
        { field: 'landingUrl', code },
      );
    }
  });

  test('a landing URL is stored as the URL standard spells it', async () => {
    const created = await call<{ application: { id: string; landingUrl: string } }>(
      t,
      'POST',
      '/v1/partner/applications',
      {
        token: A,
        json: applicationForm({ landingUrl: 'HTTPS://WWW.Chengchuan-Precision.example/Offer?q=1' }),
      },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.application.landingUrl, 'https://www.chengchuan-precision.example/Offer?q=1');
  });

  test('application forms: every wrong field is listed at once', async () => {
    const error = await refused(
      'many wrong fields',
      () =>
        call(t, 'POST', '/v1/partner/applications', {
          token: A,
          json: applicationForm({
            campaignName: 'x',
            slotIds: ['corp-web-notice'],
            startDate: '2020-01-01',
            endDate: '2020-02-30',
            audience: { kind: 'supply-chain', direction: 'sideways', hops: 9 },
            contact: { name: '', phone: '12345', email: 'nobody' },
          }),
        }),
      400,
      'invalid-application',
    );
    assert.deepEqual(error.fields?.map((f) => `${f.field}:${f.code}`).sort(), [
      'audience:invalid',
      'campaignName:length',
      'contact.email:invalid',
      'contact.name:required',
      'contact.phone:invalid',
      'endDate:invalid',
      'slotIds:not-allowed',
      'startDate:date-in-past',
    ]);
    await refused(
      'end before start',
      () =>
        call(t, 'POST', '/v1/partner/applications', {
          token: A,
          json: applicationForm({ endDate: shanghaiDate(Date.now() - DAY_MS) }),
        }),
      400,
      'invalid-application',
      { field: 'endDate', code: 'date-order' },
    );
    await refused(
      'longer than 366 days',
      () =>
        call(t, 'POST', '/v1/partner/applications', {
          token: A,
          json: applicationForm({ endDate: shanghaiDate(Date.now() + 400 * DAY_MS) }),
        }),
      400,
      'invalid-application',
      { field: 'endDate', code: 'range-too-long' },
    );
    await refused(
      'not JSON',
      () =>
        fetch(`${t.origin}/v1/partner/applications`, {
          method: 'POST',
          headers: { authorization: `Bearer ${A}`, 'content-type': 'application/json' },
          body: '{"campaignName":',
        }).then(async (res) => ({
          status: res.status,
          body: (await res.json()) as Record<string, unknown>,
          headers: res.headers,
        })),
      400,
      'invalid-json',
    );
  });

  test('creatives: forbidden words (400 forbidden-words, with the words), and invalid ones (400 invalid-creative)', async () => {
    const error = await refused(
      'forbidden words',
      () =>
        call(t, 'POST', `/v1/partner/applications/${applicationId}/creatives`, {
          token: A,
          json: creativeForm(bannerUploadId, {
            fields: { title: '全网最佳加工中心', subtitle: '国家级品质', cta: '立即咨询', brandColor: '#1f5fa8' },
          }),
        }),
      400,
      'forbidden-words',
      { field: 'fields.title', code: 'forbidden-words' },
    );
    assert.deepEqual(error.fields?.find((f) => f.field === 'fields.title')?.words, ['全网', '最佳']);
    assert.deepEqual(error.fields?.find((f) => f.field === 'fields.subtitle')?.words, ['国家级']);

    const small = await call<{ upload: { id: string } }>(t, 'POST', '/v1/partner/uploads', {
      token: A,
      bytes: makePng(300, 250),
    });
    const stranger = await call<{ upload: { id: string } }>(t, 'POST', '/v1/partner/uploads', {
      token: B,
      bytes: makePng(960, 240, [1, 2, 3]),
    });
    for (const [what, overrides, field] of [
      ['a slot not applied for', { slotId: 'home-side' }, { field: 'slotId', code: 'not-allowed' }],
      [
        'a native template in a banner slot',
        { template: 'native-card' },
        { field: 'template', code: 'template-mismatch' },
      ],
      [
        'a PNG of the wrong size',
        { pngUploadId: small.body.upload.id },
        { field: 'pngUploadId', code: 'image-mismatch' },
      ],
      [
        "another partner's upload",
        { pngUploadId: stranger.body.upload.id },
        { field: 'pngUploadId', code: 'upload-not-found' },
      ],
      ['no PNG for a banner slot', { pngUploadId: undefined }, { field: 'pngUploadId', code: 'required' }],
      [
        'a bad colour',
        { fields: { title: '五轴加工', subtitle: '', cta: '咨询', brandColor: 'red' } },
        { field: 'fields.brandColor', code: 'invalid' },
      ],
      [
        'a native slot without a logo',
        { slotId: 'corp-web-native', template: 'native-card' },
        { field: 'fields.logoUploadId', code: 'required' },
      ],
    ] as const) {
      await refused(
        what,
        () =>
          call(t, 'POST', `/v1/partner/applications/${applicationId}/creatives`, {
            token: A,
            json: creativeForm(bannerUploadId, overrides),
          }),
        400,
        'invalid-creative',
        field,
      );
    }
    await refused(
      'submit without a creative',
      () => call(t, 'POST', `/v1/partner/applications/${applicationId}/submit`, { token: A }),
      409,
      'conflict',
    );
  });

  test('a native creative takes the words, the logo and the brand colour', async () => {
    const logo = await call<{ upload: { id: string } }>(t, 'POST', '/v1/partner/uploads', {
      token: A,
      bytes: makePng(96, 96),
    });
    const res = await call<{ creative: { format: string; pngUploadId: string | null } }>(
      t,
      'POST',
      `/v1/partner/applications/${applicationId}/creatives`,
      {
        token: A,
        json: creativeForm(bannerUploadId, {
          slotId: 'corp-web-native',
          template: 'native-card',
          pngUploadId: undefined,
          fields: {
            title: '五轴联动加工中心',
            subtitle: '',
            cta: '预约试机',
            brandColor: '#1f5fa8',
            logoUploadId: logo.body.upload.id,
          },
        }),
      },
    );
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.creative.format, 'native');
    assert.equal(res.body.creative.pngUploadId, null);
  });

  test('reports: a bad range is 400, an unknown campaign 404', async () => {
    for (const query of [
      'from=2026-13-01',
      'from=2026-02-01&to=2026-01-01',
      'from=2024-01-01&to=2026-01-01',
      'to=yesterday',
    ]) {
      await refused(query, () => call(t, 'GET', `/v1/partner/report?${query}`, { token: A }), 400, 'invalid-request');
    }
    await refused(
      'unknown campaign',
      () => call(t, 'GET', '/v1/partner/report?campaignId=app-nope', { token: A }),
      404,
      'not-found',
    );
  });

  test('uploads are served by id only: no traversal, no other file, nothing unknown', async () => {
    for (const path of [
      '/v1/partner/uploads/../opslot.sqlite',
      '/v1/partner/uploads/..%2fopslot.sqlite',
      '/v1/partner/uploads/%2e%2e%2f%2e%2e%2fpackage.json',
      `/v1/partner/uploads/${bannerUploadId}.png`,
      `/v1/partner/uploads/${bannerUploadId}/x`,
      '/v1/partner/uploads/up-0000000000000000',
      '/v1/partner/uploads/opslot-preview-secret',
      `/v1/partner/uploads/${bannerUploadId.toUpperCase()}`,
    ]) {
      const res = await rawRequest(t.port, path);
      assert.ok(res.status === 404 || res.status === 401, `${path} → ${res.status}`);
      assert.ok(!res.body.includes('SQLite'), path);
    }
    assert.equal((await rawRequest(t.port, `/v1/partner/uploads/${bannerUploadId}`)).status, 200);
  });

  test('preview tokens: expired, forged or for another slot are refused in the answer; the page decides as usual', async () => {
    const creative = await call<{ creative: { id: string } }>(
      t,
      'POST',
      `/v1/partner/applications/${applicationId}/creatives`,
      { token: A, json: creativeForm(bannerUploadId) },
    );
    const claims = { partnerId: 'partner-chengchuan', creativeId: creative.body.creative.id, slotId: 'home-banner' };
    const secret = loadPreviewSecret(join(t.dir, PREVIEW_SECRET_FILE));
    const expired = createPreviewTokens(secret, () => Date.now() - PREVIEW_TOKEN_TTL_MS - 1000).issue(claims).token;
    const forged = createPreviewTokens(Buffer.alloc(32, 7)).issue(claims).token;
    const otherSlot = createPreviewTokens(secret).issue({ ...claims, slotId: 'home-side' }).token;
    const otherPartner = createPreviewTokens(secret).issue({ ...claims, partnerId: 'partner-qiwu' }).token;
    const good = createPreviewTokens(secret).issue(claims).token;
    const mobilePage: DecisionRequest = {
      ...homeDecisionRequest(),
      page: { channel: 'corporate-mobile', pageId: 'home', locale: 'zh-CN', viewport: { width: 390, height: 844 } },
      slots: [{ id: 'corp-mobile-home-banner', sizes: [[360, 120]], formats: ['banner'] }],
    };
    const baseline = await decide(t, homeDecisionRequest());
    for (const [what, request, reason] of [
      ['expired', { ...homeDecisionRequest(), preview: expired }, 'expired'],
      ['forged', { ...homeDecisionRequest(), preview: forged }, 'invalid'],
      ['garbage', { ...homeDecisionRequest(), preview: 'abc.def' }, 'invalid'],
      ['another slot than its creative’s', { ...homeDecisionRequest(), preview: otherSlot }, 'mismatch'],
      ['another partner’s creative', { ...homeDecisionRequest(), preview: otherPartner }, 'mismatch'],
      ['a page without its slot', { ...mobilePage, preview: good }, 'mismatch'],
    ] as const) {
      const before = previewDecisionCount(t);
      const decision = await decide(t, request);
      assert.deepEqual(decision.preview, { accepted: false, reason }, what);
      assert.ok(
        decision.slots.every((s) => s.candidates.every((c) => !c.preview && c.strategy !== 'preview')),
        what,
      );
      if (request.page.channel === 'corporate-web') {
        assert.deepEqual(
          decision.slots.map((s) => s.candidates.map((c) => c.id)),
          baseline.slots.map((s) => s.candidates.map((c) => c.id)),
          `${what}: the usual decisions`,
        );
      }
      assert.equal(previewDecisionCount(t), before, `${what} remembered no preview`);
    }

    // What changed since the token was issued: the bank's kill switch on its slot, its partner out of the programme.
    const slot = await call<Record<string, unknown>>(t, 'GET', '/v1/admin/slots/home-banner', { admin: true });
    const switched = await call(t, 'PUT', '/v1/admin/slots/home-banner', {
      admin: true,
      json: { ...slot.body, enabled: false },
    });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    const switchedOff = await decide(t, { ...homeDecisionRequest(), preview: good });
    assert.deepEqual(switchedOff.preview, { accepted: false, reason: 'mismatch' });
    assert.equal(switchedOff.slots.find((s) => s.id === 'home-banner')?.disabled, true, 'the kill switch wins');
    await call(t, 'PUT', '/v1/admin/slots/home-banner', { admin: true, json: { ...slot.body, enabled: true } });

    const programme = (entries: string) =>
      call(t, 'PUT', '/v1/admin/whitelists/wl-partner-programme?kind=enterprise', {
        admin: true,
        bytes: Buffer.from(entries),
        contentType: 'text/csv',
      });
    assert.equal((await programme('ent-qiwu\n')).status, 200);
    assert.deepEqual((await decide(t, { ...homeDecisionRequest(), preview: good })).preview, {
      accepted: false,
      reason: 'invalid',
    });
    assert.equal((await programme('ent-chengchuan\nent-qiwu\n')).status, 200);
    assert.deepEqual((await decide(t, { ...homeDecisionRequest(), preview: good })).preview, { accepted: true });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ErrorResponse } from '@opslot/core';
import { DEV_ADMIN_TOKEN } from './create-opslot-server.js';
import type { TestServer } from './test-support/start-test-server.js';
import { makeTempDir, startTestServer, writeSeed } from './test-support/start-test-server.js';

const TOKEN = 'pilot-token-5d1e0c';

describe('the admin API', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ adminToken: TOKEN });
  });
  after(() => t.dispose());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.origin}/v1/admin/${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const json = async (res: Response) => (await res.json()) as Record<string, unknown>;

  test('refuses a missing or wrong bearer token with 401, and the development token once another is set', async () => {
    for (const authorization of ['', `Bearer ${DEV_ADMIN_TOKEN}`, `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const res = await call('GET', 'campaigns', undefined, { authorization });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="opslot admin"');
      assert.equal(((await res.json()) as ErrorResponse).error.code, 'unauthorized');
    }
    assert.equal((await call('GET', 'campaigns')).status, 200);
  });

  test('ships the segment taxonomy: 8 categories, 67 sub-categories', async () => {
    const { segments } = (await json(await call('GET', 'segments'))) as { segments: { id: string }[] };
    assert.equal(segments.length, 67);
    assert.equal(new Set(segments.map((s) => s.id.split('.')[0])).size, 8);
  });

  test('creates, reads, replaces and deletes a campaign, checking references each time', async () => {
    const campaign = {
      advertiserId: 'adv-qiwu',
      name: '工业软件上云补贴',
      status: 'draft',
      priority: 5,
      weight: 10,
      start: '2026-03-01T00:00:00+08:00',
      end: null,
      targeting: { all: [{ segment: 'digital.open-banking' }, { not: { tag: 'size', in: ['large'] } }] },
      frequency: { caps: [{ scope: 'campaign', max: 2, window: 'day' }] },
    };
    const created = await call('PUT', 'campaigns/camp-qiwu-cloud-subsidy', campaign);
    assert.equal(created.status, 201);
    assert.deepEqual(await json(created), {
      id: 'camp-qiwu-cloud-subsidy',
      ...campaign,
      approval: 'approved',
      strategy: { type: 'priority' },
    });
    const replaced = await call('PUT', 'campaigns/camp-qiwu-cloud-subsidy', { ...campaign, status: 'active' });
    assert.equal(replaced.status, 200);
    assert.equal((await json(await call('GET', 'campaigns/camp-qiwu-cloud-subsidy'))).status, 'active');

    const unknownSegment = await call('PUT', 'campaigns/camp-qiwu-cloud-subsidy', {
      ...campaign,
      targeting: { segment: 'digital.telepathy' },
    });
    assert.equal(unknownSegment.status, 400);
    assert.match(((await unknownSegment.json()) as ErrorResponse).error.message, /no segment digital\.telepathy/);
    const wrongId = await call('PUT', 'campaigns/camp-qiwu-cloud-subsidy', { ...campaign, id: 'camp-other' });
    assert.equal(wrongId.status, 400);

    const inUse = await call('DELETE', 'advertisers/adv-qiwu');
    assert.equal(inUse.status, 409);
    assert.match(((await inUse.json()) as ErrorResponse).error.message, /no advertiser adv-qiwu/);
    assert.equal((await call('DELETE', 'campaigns/camp-qiwu-cloud-subsidy')).status, 200);
    assert.equal((await call('GET', 'campaigns/camp-qiwu-cloud-subsidy')).status, 404);
  });

  test('exports the catalogue as a seed document and imports it back unchanged', async () => {
    const exported = await json(await call('GET', 'catalogue'));
    const imported = await call('PUT', 'catalogue', exported);
    assert.equal(imported.status, 200);
    assert.deepEqual(await json(await call('GET', 'catalogue')), exported);
    const broken = await call('PUT', 'catalogue', { ...exported, creatives: [{ id: 'x' }] });
    assert.equal(broken.status, 400);
    assert.deepEqual(await json(await call('GET', 'catalogue')), exported, 'a refused import changes nothing');
  });

  test('takes whitelists as CSV, reporting the first bad line', async () => {
    const upload = (csv: string, query = 'kind=enterprise') =>
      call('PUT', `whitelists/wl-test?${query}`, csv, { 'content-type': 'text/csv' });
    assert.equal((await upload('ent-a\nent-b\n')).status, 201);
    assert.deepEqual(await json(await call('GET', 'whitelists/wl-test')), {
      id: 'wl-test',
      kind: 'enterprise',
      name: 'wl-test',
      entries: 2,
    });
    const bad = await upload('ent-a\nent b\n');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as ErrorResponse).error.message, /^Line 2:/);
    assert.equal((await upload('ent-a', 'kind=people')).status, 400);
    assert.equal((await upload('a,b')).status, 400);
    assert.equal((await json(await call('GET', 'whitelists/wl-test'))).entries, 2, 'refused uploads change nothing');
  });

  test('imports profiles and graph edges in bulk, and replaces the graph', async () => {
    const profiles = Array.from({ length: 50 }, (_, i) => ({
      operator: `op-bulk-${String(i).padStart(5, '0')}`,
      enterpriseId: `ent-bulk-${i}`,
      segments: ['corporate.small'],
      tags: { size: 'small', region: 'CN-ZJ' },
    }));
    assert.deepEqual(await json(await call('POST', 'profiles', { profiles })), { stored: 50 });
    assert.deepEqual(await json(await call('GET', 'profiles/op-bulk-00007')), {
      enterpriseId: 'ent-bulk-7',
      segments: ['corporate.small'],
      tags: { size: 'small', region: 'CN-ZJ' },
    });
    const graph = await json(await call('GET', 'graph-edges'));
    const edges = [
      { from: 'ent-bulk-1', to: 'ent-bulk-2' },
      { from: 'ent-bulk-2', to: 'ent-bulk-3' },
    ];
    assert.deepEqual(await json(await call('POST', 'graph-edges', { edges: [...edges, edges[0]] })), { added: 2 });
    assert.equal((await call('POST', 'graph-edges', { edges: [{ from: 'ent-x', to: 'ent-x' }] })).status, 400);
    assert.deepEqual(await json(await call('PUT', 'graph-edges', { edges })), { edges: 2 });
    assert.deepEqual(await json(await call('GET', 'graph-edges')), { edges });
    assert.deepEqual(await json(await call('PUT', 'graph-edges', graph)), { edges: (graph.edges as unknown[]).length });
  });
});

test('admin edits survive a restart; the seed is applied again only when its file changes', async () => {
  const dir = makeTempDir();
  const first = await startTestServer({ dir });
  const auth = { authorization: `Bearer ${DEV_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const campaignUrl = (origin: string) => `${origin}/v1/admin/campaigns/camp-demobank-payroll`;
  const campaign = (await (await fetch(campaignUrl(first.origin), { headers: auth })).json()) as Record<
    string,
    unknown
  >;
  const paused = await fetch(campaignUrl(first.origin), {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ ...campaign, status: 'paused' }),
  });
  assert.equal(paused.status, 200);
  await first.close();
  const second = await startTestServer({ dir });
  const readStatus = async (origin: string) =>
    ((await (await fetch(campaignUrl(origin), { headers: auth })).json()) as { status: string }).status;
  assert.equal(await readStatus(second.origin), 'paused');
  await second.close();
  const seedPath = writeSeed(dir, (seed) => {
    seed.advertisers[0]?.allowedDomains.push('demobank-events.example');
  });
  const third = await startTestServer({ dir, seedPath });
  try {
    assert.equal(await readStatus(third.origin), 'active', 'the changed seed replaced the catalogue');
  } finally {
    await third.dispose();
  }
});

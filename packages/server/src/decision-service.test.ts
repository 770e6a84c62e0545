import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BeaconEvent, Channel, DecisionRequest, DecisionResponse } from '@opslot/core';
import Database from 'better-sqlite3';
import { createAjv } from './create-ajv.js';
import { DEV_ADMIN_TOKEN } from './create-opslot-server.js';
import { experimentBucket } from './experiment-bucket.js';
import { readProtocolSchema } from './protocol-validators.js';
import type { DecisionRecord } from './store.js';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, post, startTestServer } from './test-support/start-test-server.js';

const validateResponse = createAjv().compile<DecisionResponse>(readProtocolSchema('decision-response.v1.schema.json'));

/** End to end through HTTP: the admin API sets up the audience and campaigns, decisions and events use them. */
describe('the reference decision service', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.dispose());

  const admin = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${t.origin}/v1/admin/${path}`, {
      method,
      headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}`, 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer = (await res.json()) as Record<string, unknown>;
    assert.ok(res.status < 300, `${method} ${path} → ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  const request = (
    slots: { id: string; size: [number, number] }[],
    options: { operator?: string; channel?: Channel; personalized?: boolean } = {},
  ): DecisionRequest => ({
    v: 1,
    page: {
      channel: options.channel ?? 'corporate-web',
      pageId: 'home',
      locale: 'zh-CN',
      viewport: { width: 1280, height: 800 },
    },
    slots: slots.map(({ id, size }) => ({ id, sizes: [size], formats: ['banner'] })),
    ...(options.operator ? { operator: options.operator } : {}),
    consent: { personalized: options.personalized ?? true },
  });
  const decide = async (body: DecisionRequest) => {
    const res = await post(`${t.origin}/v1/decisions`, body);
    assert.equal(res.status, 200);
    const response = (await res.json()) as DecisionResponse;
    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));
    return response;
  };
  const ids = (response: DecisionResponse, slot = 0) => response.slots[slot]?.candidates.map((c) => c.id) ?? [];
  const audit = async (decisionId: string) =>
    (await admin('GET', `decisions/${decisionId}`)) as unknown as DecisionRecord;
  const verdictOf = (record: DecisionRecord, creativeId: string) =>
    record.slots.flatMap((s) => s.reasons).find((r) => r.creativeId === creativeId)?.verdict;
  /** The campaign-wide verdict that left a campaign out, from the audit record. */
  const campaignVerdictOf = (record: DecisionRecord, campaignId: string) =>
    record.slots
      .flatMap((s) => Object.entries(s.campaignsLeftOut))
      .find(([, campaigns]) => campaigns.includes(campaignId))?.[0];
  const send = async (events: BeaconEvent[]) => {
    const res = await post(`${t.origin}/v1/events`, { v: 1, events });
    assert.equal(res.status, 200);
  };

  const SIDE = { id: 'home-side', size: [300, 250] as [number, number] };
  const BANNER = { id: 'home-banner', size: [960, 240] as [number, number] };
  const STRIP = { id: 'home-strip', size: [960, 90] as [number, number] };

  const putCampaign = async (
    id: string,
    extra: Record<string, unknown>,
    slot = SIDE,
    image = 'beiyu-home-side.svg',
  ) => {
    await admin('PUT', `campaigns/${id}`, {
      advertiserId: 'adv-beiyu',
      name: `test ${id}`,
      status: 'active',
      priority: 900,
      weight: 1,
      start: '2025-01-01T00:00:00+08:00',
      end: null,
      ...extra,
    });
    await admin('PUT', `creatives/cr-${id}`, {
      campaignId: id,
      slotId: slot.id,
      format: 'banner',
      image: { file: image, width: slot.size[0], height: slot.size[1], alt: `test ${id}` },
      landingUrl: `https://www.beiyu-coldchain.example/${id}`,
    });
  };

  const removeCampaign = async (id: string) => {
    await admin('DELETE', `creatives/cr-${id}`);
    await admin('DELETE', `campaigns/${id}`);
  };

  test('segment targeting uses the operator profile, and only with consent to personalise', async () => {
    await putCampaign('camp-tech-sme', { targeting: { segment: 'inclusive.tech-sme' } });
    const operator = 'op-test-tech-0001';
    const before = await decide(request([SIDE], { operator }));
    assert.ok(!ids(before).includes('cr-camp-tech-sme'));
    assert.equal(campaignVerdictOf(await audit(before.decisionId), 'camp-tech-sme'), 'targeting not matched');

    await admin('PUT', `profiles/${operator}`, { segments: ['inclusive.tech-sme'], tags: {} });
    const after = await decide(request([SIDE], { operator }));
    assert.equal(ids(after)[0], 'cr-camp-tech-sme');
    assert.match(after.slots[0]?.candidates[0]?.reason ?? '', /segment inclusive\.tech-sme/);
    assert.equal(after.slots[0]?.candidates[0]?.strategy, 'priority');

    const notPersonalised = await decide(request([SIDE], { operator, personalized: false }));
    assert.ok(!ids(notPersonalised).includes('cr-camp-tech-sme'));
    const anonymous = await decide(request([SIDE]));
    assert.deepEqual(
      ids(anonymous),
      ['cr-beiyu-home-side', 'cr-demobank-payroll-side'],
      'untargeted content as before',
    );
    await removeCampaign('camp-tech-sme');
  });

  test('a whitelist uploaded as CSV matches its operators, and is stored only as salted hashes', async () => {
    await putCampaign('camp-whitelisted', { targeting: { whitelist: 'wl-test-operators' } });
    const csv = 'operator\r\nop-listed-000001\r\n"op-listed-000002"\r\n\r\nop-listed-000001\r\n';
    const uploaded = await admin('PUT', 'whitelists/wl-test-operators?kind=operator&name=Test', csv, 'text/csv');
    assert.deepEqual(uploaded, { id: 'wl-test-operators', kind: 'operator', name: 'Test', entries: 2 });
    assert.equal(ids(await decide(request([SIDE], { operator: 'op-listed-000002' })))[0], 'cr-camp-whitelisted');
    assert.ok(!ids(await decide(request([SIDE], { operator: 'op-unlisted-0001' }))).includes('cr-camp-whitelisted'));

    const db = new Database(t.databasePath, { readonly: true });
    try {
      const hashes = db
        .prepare("SELECT entry_hash FROM whitelist_entries WHERE whitelist_id = 'wl-test-operators'")
        .all();
      assert.equal(hashes.length, 2);
      for (const { entry_hash } of hashes as { entry_hash: string }[]) assert.match(entry_hash, /^[0-9a-f]{64}$/);
      const everything = JSON.stringify(db.prepare('SELECT * FROM whitelist_entries').all());
      assert.ok(!everything.includes('op-listed'));
      assert.ok(!JSON.stringify(db.prepare('SELECT * FROM operator_profiles').all()).includes('op-test-tech'));
    } finally {
      db.close();
    }
    await admin('DELETE', 'whitelists/wl-test-operators');
    assert.ok(!ids(await decide(request([SIDE], { operator: 'op-listed-000002' }))).includes('cr-camp-whitelisted'));
    await removeCampaign('camp-whitelisted');
  });

  test('supply-chain reach: the sample graph reaches a partner’s customers, and imported edges extend it', async () => {
    // The shipped campaign runs in office hours only; without its schedule the test holds at any hour.
    const { schedule: _office, ...campaign } = await admin('GET', 'campaigns/camp-chengchuan-supply-chain');
    await admin('PUT', 'campaigns/camp-chengchuan-supply-chain', campaign);
    const customer = await decide(request([BANNER], { operator: 'op-demo-hangyu-finance' }));
    assert.equal(ids(customer)[0], 'cr-chengchuan-supply-chain-banner');
    assert.match(customer.slots[0]?.candidates[0]?.reason ?? '', /downstream of ent-chengchuan ≤2/);
    assert.deepEqual(customer.slots[0]?.candidates[0]?.frequency, {
      caps: [
        { scope: 'campaign', max: 5, window: 'week' },
        { scope: 'creative', max: 3, window: 'day' },
      ],
      minInterval: [{ scope: 'campaign', seconds: 1800 }],
      closeCooldownSeconds: 604800,
      clickCooldownSeconds: 259200,
    });

    const operator = 'op-test-newcustomer';
    await admin('PUT', `profiles/${operator}`, { enterpriseId: 'ent-test-new-customer', segments: [], tags: {} });
    assert.ok(!ids(await decide(request([BANNER], { operator }))).includes('cr-chengchuan-supply-chain-banner'));
    await admin('POST', 'graph-edges', { edges: [{ from: 'ent-tianheng-robotics', to: 'ent-test-new-customer' }] });
    assert.equal(ids(await decide(request([BANNER], { operator })))[0], 'cr-chengchuan-supply-chain-banner');
    await admin('DELETE', 'graph-edges?from=ent-tianheng-robotics&to=ent-test-new-customer');
    assert.ok(!ids(await decide(request([BANNER], { operator }))).includes('cr-chengchuan-supply-chain-banner'));
  });

  test('eligibility: a partner campaign waits for approval, and a spent budget stops delivery', async () => {
    const invited = request([SIDE], { operator: 'op-demo-kangming-cfo' });
    const pending = await decide(invited);
    assert.ok(!ids(pending).includes('cr-chengchuan-expo-invite-side'));
    assert.equal(
      campaignVerdictOf(await audit(pending.decisionId), 'camp-chengchuan-expo-invitations'),
      'approval pending',
    );
    const campaign = await admin('GET', 'campaigns/camp-chengchuan-expo-invitations');
    await admin('PUT', 'campaigns/camp-chengchuan-expo-invitations', { ...campaign, approval: 'approved' });
    assert.equal(ids(await decide(invited))[0], 'cr-chengchuan-expo-invite-side');
    const large = await decide(request([SIDE], { operator: 'op-demo-huaxin-treasury' }));
    assert.ok(!ids(large).includes('cr-chengchuan-expo-invite-side'), 'not on the enterprise whitelist');

    await putCampaign('camp-budget', { budget: { exposures: 2 } }, STRIP, 'qiwu-home-strip.svg');
    const first = await decide(request([STRIP]));
    assert.equal(ids(first)[0], 'cr-camp-budget');
    const exposure = {
      type: 'viewable',
      decisionId: first.decisionId,
      slotId: 'home-strip',
      creativeId: 'cr-camp-budget',
      campaignId: 'camp-budget',
    } as const;
    await send([beaconEvent(exposure)]);
    assert.equal(ids(await decide(request([STRIP])))[0], 'cr-camp-budget', 'one of two delivered');
    await send([beaconEvent(exposure), beaconEvent({ ...exposure, preview: true })]);
    const spent = await decide(request([STRIP]));
    assert.ok(!ids(spent).includes('cr-camp-budget'));
    assert.equal(campaignVerdictOf(await audit(spent.decisionId), 'camp-budget'), 'budget spent (2/2)');
    await removeCampaign('camp-budget');
  });

  test('an A/B experiment answers each operator with their bucket, marked; anonymous pages get the control', async () => {
    const personal = (operator?: string) =>
      request([{ id: 'personal-home-banner', size: [960, 240] }], {
        channel: 'personal-web',
        ...(operator ? { operator } : {}),
      });
    const buckets = [
      { id: 'control', weight: 50, creativeIds: ['cr-demobank-pension-banner'] },
      { id: 'monthly', weight: 50, creativeIds: ['cr-demobank-pension-banner-monthly'] },
    ];
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const operator = `op-ab-test-${String(i).padStart(4, '0')}`;
      const expected = experimentBucket('exp-pension-headline', operator, buckets);
      const [candidate, ...others] = (await decide(personal(operator))).slots[0]?.candidates ?? [];
      assert.equal(others.length, 0);
      assert.deepEqual(candidate?.experiment, { id: 'exp-pension-headline', bucket: expected.id });
      assert.equal(candidate?.id, expected.creativeIds[0]);
      assert.equal(candidate?.strategy, 'experiment');
      seen.add(expected.id);
    }
    assert.equal(seen.size, 2, 'twenty operators land in both buckets');
    const [anonymous] = (await decide(personal())).slots[0]?.candidates ?? [];
    assert.equal(anonymous?.id, 'cr-demobank-pension-banner');
    assert.equal(anonymous?.experiment, undefined);
  });

  test('server caps span channels: an exposure on corporate-web holds the campaign back on corporate-mobile', async () => {
    const operator = 'op-test-crosschannel';
    const web = await decide(request([STRIP], { operator }));
    const strip = web.slots[0]?.candidates.find((c) => c.id === 'cr-qiwu-home-strip');
    assert.deepEqual(strip?.frequency?.minInterval, [{ scope: 'campaign', seconds: 600 }]);
    const mobile = request([{ id: 'corp-mobile-home-banner', size: [360, 120] }], {
      operator,
      channel: 'corporate-mobile',
    });
    assert.ok(ids(await decide(mobile)).includes('cr-qiwu-corp-mobile-banner'));

    await send([
      beaconEvent({
        type: 'viewable',
        decisionId: web.decisionId,
        slotId: 'home-strip',
        creativeId: 'cr-qiwu-home-strip',
        campaignId: 'camp-qiwu-mes-cloud',
      }),
    ]);
    const held = await decide(mobile);
    assert.ok(!ids(held).includes('cr-qiwu-corp-mobile-banner'));
    assert.equal(
      verdictOf(await audit(held.decisionId), 'cr-qiwu-corp-mobile-banner'),
      'server min interval campaign 600s',
    );
    const someoneElse = request([{ id: 'corp-mobile-home-banner', size: [360, 120] }], {
      operator: 'op-test-other-operator',
      channel: 'corporate-mobile',
    });
    assert.ok(ids(await decide(someoneElse)).includes('cr-qiwu-corp-mobile-banner'), 'counts are per operator');
  });

  test('the request’s ledger digest and the audit record: every placed creative or its campaign has a verdict', async () => {
    const body = request([BANNER], { operator: 'op-demo-hangyu-finance' });
    body.ledger = { cappedCreatives: ['cr-chengchuan-home-banner'] };
    const response = await decide(body);
    const record = await audit(response.decisionId);
    assert.equal(record.operatorHash?.length, 64);
    assert.ok(!JSON.stringify(record).includes('op-demo-hangyu-finance'));
    const [slot] = record.slots;
    assert.deepEqual(slot?.ledgerExcluded, ['cr-chengchuan-home-banner']);
    assert.deepEqual(slot?.campaignsLeftOut, { 'campaign ended': ['camp-chengchuan-expo-2025'] });
    assert.deepEqual(slot?.reasons.map((r) => r.creativeId).sort(), [
      'cr-chengchuan-home-banner',
      'cr-chengchuan-supply-chain-banner',
      'cr-demobank-loan-banner',
    ]);
    assert.equal(verdictOf(record, 'cr-chengchuan-home-banner'), 'capped in this browser (ledger digest)');
    for (const candidate of response.slots[0]?.candidates ?? []) {
      assert.equal(verdictOf(record, candidate.id), `offered: ${candidate.reason}`);
    }
  });

  test('the ctr-bayes ranker explores a creative without history before one that has failed to get clicks', async () => {
    const operator = 'op-demo-hangyu-finance';
    const ranked = () => decide(request([STRIP], { operator }));
    const first = await ranked();
    const ours = (r: DecisionResponse) => ids(r).filter((id) => id.startsWith('cr-qiwu-mes-ranked'));
    assert.deepEqual(ours(first), ['cr-qiwu-mes-ranked-strip', 'cr-qiwu-mes-ranked-strip-b'], 'equal scores: by id');
    const shown = {
      decisionId: first.decisionId,
      slotId: 'home-strip',
      creativeId: 'cr-qiwu-mes-ranked-strip',
      campaignId: 'camp-qiwu-mes-specialised',
    };
    // Another operator's exposures: the ranker learns from everyone, while this operator's caps stay untouched.
    const other = await decide(request([STRIP], { operator: 'op-demo-kangming-cfo' }));
    // Three batches: one of 300 would pass the 64 KiB a page may send.
    for (let batch = 0; batch < 3; batch++) {
      await send(
        Array.from({ length: 100 }, () => beaconEvent({ ...shown, decisionId: other.decisionId, type: 'viewable' })),
      );
    }
    const after = await ranked();
    assert.deepEqual(ours(after), ['cr-qiwu-mes-ranked-strip-b', 'cr-qiwu-mes-ranked-strip']);
    const top = after.slots[0]?.candidates.find((c) => c.id === 'cr-qiwu-mes-ranked-strip-b');
    assert.equal(top?.strategy, 'ranker');
    assert.match(top?.reason ?? '', /ctr-bayes ucb 0\.0298 \(0\/0\)/);
  });
});

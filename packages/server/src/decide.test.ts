import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Channel, DecisionRequest } from '@opslot/core';
import { applyAudienceSeed, DEFAULT_AUDIENCE_PATH } from './audience-seed.js';
import type { Catalogue } from './catalogue.js';
import { createKeyHasher } from './create-key-hasher.js';
import { createCtrBayesRanker } from './creative-ranker.js';
import type { DecisionEngine, DecisionOutcome } from './decide.js';
import { createDecisionEngine } from './decide.js';
import { encodeDecisionResponse } from './encode-decision-response.js';
import { DEFAULT_SEED_PATH, loadSeed } from './load-seed.js';
import { openSqliteStore } from './sqlite-store.js';
import type { OperatorProfileRow, Store } from './store.js';
import { makeTempDir } from './test-support/start-test-server.js';

/** Wednesday 10:00 in Asia/Shanghai: inside every day-parting schedule of the shipped seed. */
const NOW = Date.parse('2026-03-04T10:00:00+08:00');
const CHANNELS: Channel[] = ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile'];
const FORMATS = ['banner', 'carousel', 'popup', 'floating', 'notice', 'card-list', 'native'];

/** The decision engine over the shipped seed and sample audience, in a fresh database of a temp folder. */
function engineOnTheSeed({ allowForce = false } = {}) {
  const dir = makeTempDir();
  const store = openSqliteStore(join(dir, 'opslot.sqlite'));
  const hashKey = createKeyHasher(store);
  store.replaceCatalogue(loadSeed(DEFAULT_SEED_PATH).catalogue);
  applyAudienceSeed(store, DEFAULT_AUDIENCE_PATH, hashKey);
  const rankers = new Map([['ctr-bayes', createCtrBayesRanker()]]);
  return { dir, store, hashKey, engine: createDecisionEngine({ store, hashKey, rankers, allowForce }) };
}

/** The decision engine on its own, over the shipped seed and sample audience in a fresh database. */
describe('the decision engine', () => {
  let dir: string;
  let store: Store;
  let hashKey: (key: string) => string;
  let engine: DecisionEngine;
  before(() => {
    ({ dir, store, hashKey, engine } = engineOnTheSeed({ allowForce: true }));
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every slot of the catalogue, asked for by a page of `channel`. */
  const everySlot = (channel: Channel, extra: Partial<DecisionRequest> = {}): DecisionRequest => ({
    v: 1,
    page: { channel, pageId: 'home', locale: 'zh-CN', viewport: { width: 1280, height: 800 } },
    slots: store.catalogue().slots.map((slot) => ({ id: slot.id, sizes: [], formats: FORMATS })),
    consent: { personalized: true },
    ...extra,
  });
  const bytesOf = (outcome: DecisionOutcome) =>
    encodeDecisionResponse(
      { v: 1, decisionId: 'd-1', ttl: 300 },
      outcome.slots.map((slot) => slot.encoded),
    ).toString('utf8');
  const jsonOf = (outcome: DecisionOutcome) =>
    JSON.stringify({ v: 1, decisionId: 'd-1', ttl: 300, slots: outcome.slots.map((slot) => slot.decision) });

  test('the bytes of an answer are JSON.stringify of its decisions, whatever was decided', () => {
    const variants: Partial<DecisionRequest>[] = [
      {},
      { operator: 'op-demo-hangyu-finance' },
      { operator: 'op-demo-kangming-cfo', consent: { personalized: false } },
      { operator: 'op-demo-personal-payroll' },
      { operator: 'op-unknown-to-the-bank' },
      { operator: 'op-demo-huaxin-treasury', ledger: { cappedCreatives: ['cr-chengchuan-home-banner'] } },
      { operator: 'op-demo-hangyu-finance', force: [{ slotId: 'home-side', creativeId: 'cr-beiyu-home-side' }] },
    ];
    let candidates = 0;
    for (const channel of CHANNELS) {
      for (const variant of variants) {
        const outcome = engine.decide(everySlot(channel, variant), NOW);
        assert.equal(bytesOf(outcome), jsonOf(outcome), `${channel} ${JSON.stringify(variant)}`);
        candidates += outcome.slots.reduce((n, slot) => n + slot.decision.candidates.length, 0);
      }
    }
    const disabled = engine.decide(everySlot('corporate-web'), NOW).slots.find((slot) => slot.decision.disabled);
    assert.ok(disabled, 'the seed has a switched-off slot, so that its encoding is covered too');
    assert.ok(candidates > 100, `${candidates} candidates encoded`);

    // A partner's preview: its creative alone in its slot, marked, and the answer's verdict after the slots.
    const previewed = engine.decide(everySlot('corporate-web'), NOW, {
      slotId: 'home-side',
      creativeId: 'cr-beiyu-home-side',
    });
    assert.equal(previewed.preview, 'accepted');
    const side = previewed.slots.find((slot) => slot.decision.id === 'home-side')?.decision.candidates;
    assert.deepEqual(
      side?.map(({ id, strategy, preview }) => ({ id, strategy, preview })),
      [{ id: 'cr-beiyu-home-side', strategy: 'preview', preview: true }],
    );
    const verdict = { accepted: true } as const;
    assert.equal(
      encodeDecisionResponse(
        { v: 1, decisionId: 'd-1', ttl: 300, preview: verdict },
        previewed.slots.map((slot) => slot.encoded),
      ).toString('utf8'),
      JSON.stringify({
        v: 1,
        decisionId: 'd-1',
        ttl: 300,
        slots: previewed.slots.map((slot) => slot.decision),
        preview: verdict,
      }),
    );
    const elsewhere = engine.decide(everySlot('personal-web'), NOW, {
      slotId: 'home-side',
      creativeId: 'cr-beiyu-home-side',
    });
    assert.equal(elsewhere.preview, 'mismatch', 'a slot of another channel’s page');
  });

  test('a catalogue or audience write is seen by the very next decision, in its objects and its bytes', () => {
    const request = everySlot('corporate-web', { operator: 'op-demo-hangyu-finance' });
    const candidateOf = (outcome: DecisionOutcome, id: string) =>
      outcome.slots.flatMap((slot) => slot.decision.candidates).find((c) => c.id === id);
    const before = engine.decide(request, NOW);
    assert.ok(candidateOf(before, 'cr-chengchuan-home-banner'));

    const catalogue = store.catalogue();
    const creative = catalogue.creatives.find((c) => c.id === 'cr-chengchuan-home-banner');
    assert.ok(creative?.image);
    creative.landingUrl = 'https://www.chengchuan.example/edited';
    creative.image.alt = 'edited alt text';
    creative.frequency = { caps: [{ scope: 'creative', max: 1, window: 'day' }] };
    store.replaceCatalogue(catalogue);
    const edited = engine.decide(request, NOW);
    const offered = candidateOf(edited, 'cr-chengchuan-home-banner');
    assert.equal(offered?.landingUrl, 'https://www.chengchuan.example/edited');
    assert.equal(offered?.assets.image?.alt, 'edited alt text');
    assert.deepEqual(offered?.frequency?.caps, [{ scope: 'creative', max: 1, window: 'day' }]);
    assert.equal(bytesOf(edited), jsonOf(edited));

    const campaign = catalogue.campaigns.find((c) => c.id === creative.campaignId);
    assert.ok(campaign);
    campaign.status = 'paused';
    store.replaceCatalogue(catalogue);
    assert.equal(candidateOf(engine.decide(request, NOW), 'cr-chengchuan-home-banner'), undefined);

    // The supply-chain campaign reaches this operator's enterprise through the sample graph; a new partner of a
    // whitelisted enterprise only through an edge added now, and no longer once it is gone.
    const operator = 'op-test-new-customer';
    store.putOperatorProfiles([
      { operatorHash: hashKey(operator), enterpriseId: 'ent-test-new-customer', segments: [], tags: {} },
    ]);
    const reached = () =>
      candidateOf(engine.decide({ ...request, operator }, NOW), 'cr-chengchuan-supply-chain-banner') !== undefined;
    assert.equal(reached(), false);
    store.addGraphEdges([{ from: 'ent-tianheng-robotics', to: 'ent-test-new-customer' }]);
    assert.equal(reached(), true);
    store.deleteGraphEdge({ from: 'ent-tianheng-robotics', to: 'ent-test-new-customer' });
    assert.equal(reached(), false);
  });
});

/** What the engine keeps between requests: an operator's verdicts, the delivery counters. */
describe('what the decision engine keeps between requests', () => {
  let dir: string;
  let store: Store;
  let hashKey: (key: string) => string;
  let engine: DecisionEngine;
  before(() => {
    ({ dir, store, hashKey, engine } = engineOnTheSeed());
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const OPERATOR = 'op-demo-hangyu-finance';
  const request = (channel: Channel = 'corporate-web', operator: string | undefined = OPERATOR): DecisionRequest => ({
    v: 1,
    page: { channel, pageId: 'home', locale: 'zh-CN', viewport: { width: 1280, height: 800 } },
    slots: store.catalogue().slots.map((slot) => ({ id: slot.id, sizes: [], formats: FORMATS })),
    ...(operator === undefined ? {} : { operator }),
    consent: { personalized: true },
  });
  /** Ids of the campaigns offered to the operator, after deciding twice so that the second answer is remembered. */
  const offeredCampaigns = (): string[] => {
    engine.decide(request(), NOW);
    const outcome = engine.decide(request(), NOW);
    return outcome.slots.flatMap((slot) => slot.decision.candidates.map((c) => c.campaignId));
  };
  const editCampaign = (id: string, edit: (campaign: Catalogue['campaigns'][number]) => void) => {
    const catalogue = store.catalogue();
    const campaign = catalogue.campaigns.find((c) => c.id === id);
    assert.ok(campaign, id);
    edit(campaign);
    store.replaceCatalogue(catalogue);
  };

  test("every write an operator's targeting reads is seen by that operator's very next decision", () => {
    // Industry C and a "little giant": the specialised campaign's targeting matches.
    const specialised = 'camp-qiwu-mes-specialised';
    assert.ok(offeredCampaigns().includes(specialised));
    const profile = applyProfile({ tags: { industry: 'F', specialised: 'little-giant' } });
    assert.ok(!offeredCampaigns().includes(specialised), 'profile replaced');
    store.putOperatorProfiles([profile.original]);
    assert.ok(offeredCampaigns().includes(specialised), 'profile put back');
    assert.equal(store.deleteOperatorProfile(hashKey(OPERATOR)), true);
    assert.ok(!offeredCampaigns().includes(specialised), 'profile deleted');
    store.putOperatorProfiles([profile.original]);
    assert.ok(offeredCampaigns().includes(specialised));

    // Catalogue: the same campaign targeting a segment the operator lacks.
    editCampaign(specialised, (c) => {
      c.targeting = { segment: 'corporate.large' };
    });
    assert.ok(!offeredCampaigns().includes(specialised), 'targeting edited');
    editCampaign(specialised, (c) => {
      c.targeting = { segment: 'corporate.medium' };
    });
    assert.ok(offeredCampaigns().includes(specialised));

    // Whitelists: the expo invitations reach enterprises on wl-expo-invitees only.
    const invitations = 'camp-chengchuan-expo-invitations';
    editCampaign(invitations, (c) => {
      c.approval = 'approved';
    });
    const invitees = store.whitelistHashes().find((w) => w.id === 'wl-expo-invitees');
    assert.ok(invitees);
    const own = hashKey('ent-hangyu-aero');
    const listed = invitees.hashes.includes(own);
    assert.equal(offeredCampaigns().includes(invitations), listed);
    const hashes = listed ? invitees.hashes.filter((h) => h !== own) : [...invitees.hashes, own];
    store.replaceWhitelist({ id: invitees.id, kind: invitees.kind, name: 'Expo invitees', hashes });
    assert.equal(offeredCampaigns().includes(invitations), !listed, 'whitelist replaced');
    assert.equal(store.deleteWhitelist(invitees.id), true);
    assert.equal(offeredCampaigns().includes(invitations), false, 'whitelist deleted');

    // Graph: the supply-chain campaign reaches the operator's enterprise only through the edges it has.
    const supplyChain = 'camp-chengchuan-supply-chain';
    const edges = store.graphEdges();
    const reachedBefore = offeredCampaigns().includes(supplyChain);
    store.replaceGraphEdges(reachedBefore ? [] : [{ from: 'ent-chengchuan', to: 'ent-hangyu-aero' }]);
    assert.equal(offeredCampaigns().includes(supplyChain), !reachedBefore, 'graph replaced');
    store.replaceGraphEdges(edges);
    assert.equal(offeredCampaigns().includes(supplyChain), reachedBefore, 'graph restored');
  });

  test("an experiment's buckets follow a catalogue edit at once", () => {
    const pension = 'camp-demobank-pension';
    const personal = 'op-demo-personal-payroll';
    const bucketOf = () => {
      engine.decide(request('personal-web', personal), NOW);
      return engine
        .decide(request('personal-web', personal), NOW)
        .slots.flatMap((slot) => slot.decision.candidates)
        .find((c) => c.campaignId === pension)?.experiment?.bucket;
    };
    const before = bucketOf();
    assert.ok(before, 'the operator is in one of the pension experiment’s buckets');
    editCampaign(pension, (c) => {
      assert.equal(c.strategy.type, 'experiment');
      if (c.strategy.type !== 'experiment') return;
      // Everyone into the other bucket.
      for (const bucket of c.strategy.buckets) bucket.weight = bucket.id === before ? 0 : 1;
    });
    const after = bucketOf();
    assert.ok(after && after !== before, `moved from ${before} to ${after}`);
  });

  test('a catalogue edit keeps the audience index; a whitelist or graph write rebuilds it', () => {
    let graphReads = 0;
    const counting: Store = {
      ...store,
      graphEdges: () => {
        graphReads += 1;
        return store.graphEdges();
      },
    };
    const own = createDecisionEngine({ store: counting, hashKey, rankers: new Map() });
    own.decide(request(), NOW);
    assert.equal(graphReads, 1);
    store.replaceCatalogue(store.catalogue());
    own.decide(request(), NOW);
    assert.equal(graphReads, 1, 'a catalogue write');
    store.putOperatorProfiles([]);
    own.decide(request(), NOW);
    assert.equal(graphReads, 1, 'a profile write');
    store.addGraphEdges([{ from: 'ent-index-test-a', to: 'ent-index-test-b' }]);
    own.decide(request(), NOW);
    assert.equal(graphReads, 2, 'an edge added');
    store.replaceWhitelist({ id: 'wl-index-test', kind: 'operator', name: 'Index test', hashes: [] });
    own.decide(request(), NOW);
    assert.equal(graphReads, 3, 'a whitelist written');
    assert.equal(store.deleteWhitelist('wl-index-test'), true);
    assert.equal(store.deleteGraphEdge({ from: 'ent-index-test-a', to: 'ent-index-test-b' }), true);
    own.decide(request(), NOW);
    assert.equal(graphReads, 4, 'both deleted, rebuilt once');
  });

  test('each offer’s reason names the slot it is offered in, also for a campaign placed in several', () => {
    let checked = 0;
    for (const channel of CHANNELS) {
      for (const operator of [undefined, OPERATOR, 'op-demo-personal-payroll', 'op-demo-kangming-cfo']) {
        for (const slot of engine.decide(request(channel, operator), NOW).slots) {
          for (const candidate of slot.decision.candidates) {
            assert.match(candidate.reason ?? '', new RegExp(`, slot ${slot.decision.id}, `), candidate.id);
            checked += 1;
          }
        }
      }
    }
    assert.ok(checked > 50, `${checked} reasons checked`);
  });

  test('a campaign added back reads its delivery at once, not after the next event', () => {
    const campaignId = 'camp-chengchuan-five-axis';
    const creativeId = 'cr-chengchuan-home-banner';
    const seeded = store.catalogue();
    const spent = () =>
      engine
        .decide(request(), NOW)
        .slots.some((slot) => slot.campaignsLeftOut['budget spent (1/1)']?.includes(campaignId));
    // Out of the catalogue while its exposure is counted (and the counters reloaded without it)…
    store.replaceCatalogue({
      ...seeded,
      campaigns: seeded.campaigns.filter((c) => c.id !== campaignId),
      creatives: seeded.creatives.filter((c) => c.campaignId !== campaignId),
    });
    store.insertEvents(
      [
        {
          id: 'evt-delivered-while-away',
          type: 'viewable',
          ts: NOW,
          decisionId: 'dec-delivered-while-away',
          slotId: 'home-banner',
          creativeId,
          campaignId,
          channel: 'corporate-web',
          pageId: 'home',
          method: 'io2',
        },
      ],
      NOW,
    );
    engine.decide(request(), NOW);
    // …then back, with a budget of one exposure: spent already.
    store.replaceCatalogue({
      ...seeded,
      campaigns: seeded.campaigns.map((c) => (c.id === campaignId ? { ...c, budgetExposures: 1 } : c)),
    });
    assert.equal(spent(), true);
  });

  /** Replaces the operator's profile with `change` applied; returns the original. */
  function applyProfile(change: Partial<OperatorProfileRow>): { original: OperatorProfileRow } {
    const original = store.operatorProfile(hashKey(OPERATOR));
    assert.ok(original);
    store.putOperatorProfiles([{ ...original, ...change }]);
    return { original };
  }
});

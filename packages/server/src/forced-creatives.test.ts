// QA's forced creatives (`?opslot_force=slot:creative` on a page, `force` in the request): honoured only by a server
// that allows forcing, and only for a creative placed in that slot on the page's channel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DecisionResponse } from '@opslot/core';
import type { TestServer } from './test-support/start-test-server.js';
import { homeDecisionRequest, post, startTestServer } from './test-support/start-test-server.js';

const firstCandidates = async (t: TestServer, force: unknown) => {
  const res = await post(`${t.origin}/v1/decisions`, { ...homeDecisionRequest(), force });
  assert.equal(res.status, 200);
  const response = (await res.json()) as DecisionResponse;
  return Object.fromEntries(response.slots.map((slot) => [slot.id, slot.candidates]));
};

describe('forced creatives', () => {
  let allowing: TestServer;
  let refusing: TestServer;
  before(async () => {
    allowing = await startTestServer({ allowForce: true });
    refusing = await startTestServer();
  });
  after(async () => {
    await allowing.dispose();
    await refusing.dispose();
  });

  test('a server that allows forcing offers the forced creative alone, without rules, saying why', async () => {
    const slots = await firstCandidates(allowing, [{ slotId: 'home-banner', creativeId: 'cr-demobank-loan-banner' }]);
    const [forced, ...others] = slots['home-banner'] ?? [];
    assert.equal(forced?.id, 'cr-demobank-loan-banner');
    assert.equal(others.length, 0);
    assert.equal(forced?.strategy, 'forced');
    assert.equal(forced?.reason, 'forced by QA (opslot_force)');
    assert.equal(forced?.frequency, undefined);
    // The other slots are decided as usual.
    assert.ok((slots['home-side'] ?? []).length > 0);
    assert.notEqual(slots['home-side']?.[0]?.strategy, 'forced');
  });

  test('a creative of another slot is not forced, and a server that does not allow forcing ignores it', async () => {
    const elsewhere = await firstCandidates(allowing, [{ slotId: 'home-banner', creativeId: 'cr-beiyu-home-side' }]);
    assert.notEqual(elsewhere['home-banner']?.[0]?.id, 'cr-beiyu-home-side');
    const production = await firstCandidates(refusing, [
      { slotId: 'home-banner', creativeId: 'cr-demobank-loan-banner' },
    ]);
    assert.notEqual(production['home-banner']?.[0]?.strategy, 'forced');
  });

  test('a malformed force is refused like any bad request', async () => {
    const res = await post(`${allowing.origin}/v1/decisions`, {
      ...homeDecisionRequest(),
      force: [{ slotId: '<script>', creativeId: 'x' }],
    });
    assert.equal(res.status, 400);
  });
});

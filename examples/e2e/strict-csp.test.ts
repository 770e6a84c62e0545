import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STRICT_CSP } from '../../scripts/lib/serve-examples.mjs';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

describe('strict-csp example page', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('shows its slots under a strict Content-Security-Policy with Trusted Types, without a single violation', async () => {
    const { page, problems, context } = await openPage(harness, '/examples/strict-csp/', undefined, () => {
      const violations: string[] = [];
      (window as unknown as { violations: string[] }).violations = violations;
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const served = await (await fetch(`${harness.origin}/examples/strict-csp/`)).headers.get('content-security-policy');
    assert.equal(served, STRICT_CSP);
    await waitForSlots(page);
    // The ⓘ panel is a lazily loaded chunk and element of its own: it must obey the policy too.
    await page.locator('op-slot[slot-id="home-banner"] .about-button').click();
    await page.locator('op-slot-about').waitFor();

    const states = await page.$$eval('op-slot', (slots) => slots.map((slot) => slot.getAttribute('state')));
    assert.deepEqual(states, ['rendered', 'rendered', 'rendered']);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), []);
    assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });
    await context.close();
  });
});

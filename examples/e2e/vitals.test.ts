// The page's Core Web Vitals as the corporate-web page reports them (it samples every page view): after the first
// creative, the web-vitals code loads; when the operator leaves, LCP, CLS and INP go out through the outbox to the
// real collector, whose /v1/stats/vitals then shows them with the slots' part, and the slots' share of CLS is zero.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { VitalsResponse } from '@opslot/core';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

describe('web vitals on the corporate-web page', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('reports LCP, CLS and INP when the operator leaves, with no layout shift caused by the slots', async () => {
    const { page, context, problems } = await openPage(harness, '/examples/corporate-web/');
    await waitForSlots(page);
    // An interaction, for INP (and it ends LCP's observation, as a real operator's first click does).
    await page.mouse.click(5, 5);
    await page.waitForTimeout(200);
    await page.goto(`${harness.origin}/examples/`);

    let vitals: VitalsResponse | undefined;
    for (let attempt = 0; attempt < 50; attempt++) {
      vitals = (await (await fetch(`${harness.origin}/v1/stats/vitals`)).json()) as VitalsResponse;
      if (vitals.lcp.count && vitals.cls.count && vitals.inp.count) break;
      await page.waitForTimeout(100);
    }
    assert.ok(vitals, 'an answer from /v1/stats/vitals');
    assert.equal(vitals.lcp.count, 1, JSON.stringify(vitals));
    assert.ok((vitals.lcp.p75 ?? 0) > 0);
    assert.equal(vitals.cls.count, 1, JSON.stringify(vitals));
    assert.equal(vitals.cls.slots, 0, 'no layout shift caused by the slots');
    assert.equal(vitals.inp.count, 1, JSON.stringify(vitals));
    assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });
    console.log(
      `vitals: LCP ${vitals.lcp.p75} ms (a creative: ${vitals.lcp.slots === 1}), CLS ${vitals.cls.p75}, INP ${vitals.inp.p75} ms`,
    );
    await context.close();
  });
});

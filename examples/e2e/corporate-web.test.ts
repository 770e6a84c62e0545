import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatsResponse } from '@opslot/core';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

describe('corporate-web example page', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('shows a banner in each of its three banner slots', async () => {
    const { page, problems, context } = await openPage(harness, '/examples/corporate-web/');
    await waitForSlots(page);

    const slots = await page.$$eval('op-slot[slot-id^="home-"]', (elements) =>
      elements.map((slot) => ({
        id: slot.getAttribute('slot-id'),
        state: slot.getAttribute('state'),
        label: slot.shadowRoot?.querySelector('.label')?.textContent,
        advertiser: slot.shadowRoot?.querySelector('.advertiser')?.textContent,
        link: slot.shadowRoot?.querySelector('a')?.getAttribute('rel'),
        target: slot.shadowRoot?.querySelector('a')?.getAttribute('target'),
        imageLoaded: (slot.shadowRoot?.querySelector('img') as HTMLImageElement | null)?.naturalWidth ?? 0,
      })),
    );
    assert.deepEqual(slots.map((slot) => slot.id).sort(), ['home-banner', 'home-side', 'home-strip']);
    for (const slot of slots) {
      assert.equal(slot.state, 'rendered', `${slot.id} rendered`);
      assert.equal(slot.label, '广告');
      assert.ok(slot.advertiser && slot.advertiser.length > 1, `${slot.id} names its advertiser`);
      assert.equal(slot.link, 'noopener noreferrer');
      assert.equal(slot.target, '_blank');
      assert.ok(slot.imageLoaded > 0, `${slot.id} image loaded`);
    }
    assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });
    await context.close();
  });

  it('sends one decision request for all the slots of the page', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const decisionBodies: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/v1/decisions')) decisionBodies.push(request.postData() ?? '');
    });
    await page.goto(`${harness.origin}/examples/corporate-web/`);
    await waitForSlots(page);
    assert.equal(decisionBodies.length, 1);
    const body = JSON.parse(decisionBodies[0] ?? '{}');
    assert.deepEqual(body.slots.map((slot: { id: string }) => slot.id).sort(), [
      'corp-web-messages',
      'corp-web-native',
      'corp-web-notice',
      'home-banner',
      'home-side',
      'home-strip',
    ]);
    assert.equal(body.page.channel, 'corporate-web');
    await context.close();
  });

  it('does not shift the layout when the creatives arrive', async () => {
    const { page, context } = await openPage(harness, '/examples/corporate-web/');
    await waitForSlots(page);
    const shift = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as PerformanceEntry[] & { value: number }[]) total += entry.value;
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve(total), 200);
        }),
    );
    assert.equal(shift, 0);
    await context.close();
  });

  it('collapses a slot that the decision leaves empty', async () => {
    const { page, context } = await openPage(harness, '/examples/corporate-web/');
    await waitForSlots(page);
    const outcome = await page.evaluate(async () => {
      const slot = document.createElement('op-slot');
      slot.setAttribute('slot-id', 'no-such-slot');
      slot.setAttribute('size', '300x250');
      const empty = new Promise((resolve) => slot.addEventListener('op-empty', resolve, { once: true }));
      document.querySelector('main')?.append(slot);
      // Below the fold it would wait for the operator to scroll near it (lazy loading).
      slot.scrollIntoView();
      await empty;
      return { state: slot.getAttribute('state'), height: slot.getBoundingClientRect().height };
    });
    assert.deepEqual(outcome, { state: 'empty', height: 0 });
    await context.close();
  });
});

// A server and database of its own, so that no beacon of another test's page can land in these counts.
describe('corporate-web example page, measured', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('counts a viewable exposure and a click, names the partner before leaving the bank, and opens its page safely', async () => {
    const { page, context } = await openPage(harness, '/examples/corporate-web/');
    await waitForSlots(page);
    const banner = page.locator('op-slot[slot-id="home-banner"]');
    await banner.scrollIntoViewIfNeeded();
    const creativeId = await banner.evaluate(
      (slot) =>
        new Promise<string>((resolve) =>
          slot.addEventListener('op-viewable', (event) => resolve((event as CustomEvent).detail.creativeId), {
            once: true,
          }),
        ),
    );

    // The landing pages live on partners' sites, outside this machine: answer them here.
    await context.route(/^https:\/\/[^/]+\.example\//, (route) =>
      route.fulfill({ contentType: 'text/html', body: 'landing' }),
    );
    const landingUrl = await banner.evaluate((slot) => slot.shadowRoot?.querySelector('a')?.href);
    const advertiser = await banner.evaluate((slot) => slot.shadowRoot?.querySelector('.advertiser')?.textContent);
    // The banner's partner is not the bank (demobank.example): the corporate channel asks first.
    await banner.locator('a').click();
    const notice = page.locator('op-leave-notice dialog[open]');
    await notice.waitFor();
    const noticeText = (await notice.textContent()) ?? '';
    assert.ok(noticeText.includes(new URL(landingUrl ?? '').host), noticeText);
    assert.ok(advertiser && noticeText.includes(advertiser), noticeText);
    assert.equal(context.pages().length, 1, 'nothing opens before the operator continues');
    const [landing] = await Promise.all([context.waitForEvent('page'), notice.locator('.continue').click()]);
    await landing.waitForLoadState();
    assert.equal(landing.url(), landingUrl);
    assert.match(landing.url(), /^https:\/\//);
    assert.equal(await landing.evaluate(() => window.opener), null, 'the landing page cannot reach the bank page');
    await landing.close();

    // Leaving the page sends what is still pending with sendBeacon; the collector stores it.
    await page.goto('about:blank');

    const row = await waitForStats(harness.origin, creativeId, (stats) => stats.clicks > 0);
    assert.deepEqual(
      { renders: row.renders, exposures: row.exposures, clicks: row.clicks, ctr: row.ctr },
      { renders: 1, exposures: 1, clicks: 1, ctr: 1 },
    );
    await context.close();
  });
});

type CreativeRow = StatsResponse['creatives'][number];

async function statsByCreative(origin: string): Promise<Map<string, CreativeRow>> {
  const stats = (await (await fetch(`${origin}/v1/stats`)).json()) as StatsResponse;
  return new Map(stats.creatives.map((row) => [row.creativeId, row]));
}

/** Polls /v1/stats until the creative's row satisfies `done` (events arrive asynchronously), for up to 5 s. */
async function waitForStats(origin: string, creativeId: string, done: (row: CreativeRow) => boolean) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const row = (await statsByCreative(origin)).get(creativeId);
    if (row && done(row)) return row;
    if (Date.now() > deadline) throw new Error(`stats for ${creativeId} never settled: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

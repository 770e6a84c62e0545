// Measurement against the real collector: what a page has not sent when the operator leaves is sent in beacons
// under the keepalive limit, nothing is lost or counted twice, no beacon carries personal data, and leaving never
// keeps the page out of the back/forward cache.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatsBreakdownResponse } from '@opslot/core';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

// The SDK's and the collector's own patterns, restated here so that the scan does not trust the code it checks.
const PERSONAL_DATA = [
  /(?<!\d)1[3-9]\d{9}(?!\d)/, // mainland mobile
  /(?<!\d)\d{17}[\dXx](?![\dXx])/, // resident ID
  /(?<!\d)\d{13,19}(?!\d)/, // bank card
  /[^\s@"]+@[^\s@"]+\.[a-z]{2,}/i, // e-mail
];

describe('measurement on the corporate-web page', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ backForwardCache: true });
  });
  after(async () => harness?.close());

  it('sends 300 KB of pending events in beacons under 64 KiB on leaving, loses none, and keeps the back/forward cache', async () => {
    const { page, context } = await openPage(harness, '/examples/corporate-web/', undefined, () => {
      addEventListener('pageshow', (event) => {
        if (event.persisted) (window as unknown as { restored: boolean }).restored = true;
      });
    });
    const bodies: string[] = [];
    // Every page of the context: what the first page's beacons did not deliver, the next page view sends.
    context.on('request', (request) => {
      if (request.url().endsWith('/v1/events')) bodies.push(request.postData() ?? '');
    });
    await waitForSlots(page);

    // 1,000 conversions of ~300 bytes each, queued at once, plus what the page itself measures; some carry
    // personal data a careless page might pass, which must never leave the browser.
    const names = await page.evaluate(async () => {
      const opslot = (window as unknown as { opslot: { conversion: (name: string, a?: object) => Promise<void> } })
        .opslot;
      const list: string[] = [];
      for (let index = 0; index < 1000; index++) {
        const name = `loan-application-submitted-${String(index).padStart(4, '0')}-${'x'.repeat(30)}`;
        list.push(name);
        await opslot.conversion(name, {
          slotId: index % 10 ? 'home-banner' : '13800138000',
          creativeId: `cr-${index}`,
        });
      }
      return list;
    });
    await page.goto(`${harness.origin}/examples/index.css`);
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => document.readyState === 'complete');
    assert.equal(await page.evaluate(() => (window as unknown as { restored?: boolean }).restored), true);

    // Anything a beacon did not deliver is sent again on the next page view; the collector de-duplicates.
    const later = await context.newPage();
    await later.goto(`${harness.origin}/examples/corporate-web/`);
    const conversions = await waitForConversions(harness.origin, names.length);
    assert.equal(conversions, 1000);

    assert.ok(bodies.length > 0);
    for (const body of bodies)
      assert.ok(Buffer.byteLength(body) < 64 * 1024, `a body of ${Buffer.byteLength(body)} bytes`);
    // Every string the beacons carried (numbers such as timestamps are no personal data, and 13 digits long).
    const strings = bodies.flatMap((body) =>
      (JSON.parse(body) as { events: Record<string, unknown>[] }).events.flatMap((event) =>
        Object.values(event).filter((value): value is string => typeof value === 'string'),
      ),
    );
    assert.ok(strings.length > 5000);
    // Random UUIDs (event and decision ids) can hold digit runs of a phone's shape by chance; they are ids, not data.
    const UUID = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i;
    const leaked = strings.filter((value) => !UUID.test(value) && PERSONAL_DATA.some((pattern) => pattern.test(value)));
    assert.equal(leaked.length, 0, `personal data in beacons: ${leaked.slice(0, 3).join(', ')}`);
    await context.close();
  });
});

/** Polls the day breakdown until it counts `expected` conversions (or settles elsewhere), for up to 15 s. */
async function waitForConversions(origin: string, expected: number): Promise<number> {
  const deadline = Date.now() + 15_000;
  let counted = 0;
  while (Date.now() < deadline) {
    const stats = (await (await fetch(`${origin}/v1/stats?by=day`)).json()) as StatsBreakdownResponse;
    counted = stats.rows.reduce((total, row) => total + row.conversions, 0);
    if (counted >= expected) return counted;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return counted;
}

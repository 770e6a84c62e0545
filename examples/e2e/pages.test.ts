// Every channel's example page, as QA opens it on a desktop and on a phone: the page loads without a console error
// or a failed request, every slot shows its creative, nothing shifts when the creatives arrive, and nothing
// scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

const PAGES = ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile'];
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
];

describe('the example pages of the four channels', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  for (const name of PAGES) {
    for (const viewport of VIEWPORTS) {
      it(`${name} at ${viewport.width} px: creatives shown, no error, no shift, no sideways scroll`, async () => {
        const { page, problems, context } = await openPage(harness, `/examples/${name}/`, viewport, () => {
          let shift = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & { value: number })[]) shift += entry.value;
          }).observe({ type: 'layout-shift', buffered: true });
          (window as unknown as { layoutShift: () => number }).layoutShift = () => shift;
        });
        // Slots far below the fold are requested only as the operator scrolls near them.
        await page.evaluate(async () => {
          for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
            scrollTo(0, y);
            await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
          }
        });
        await waitForSlots(page);
        const report = await page.evaluate(() => ({
          states: [...document.querySelectorAll('op-slot')].map((slot) => slot.getAttribute('state')),
          shift: (window as unknown as { layoutShift: () => number }).layoutShift(),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        }));

        assert.ok(report.states.length > 0, 'the page has slots');
        assert.ok(
          report.states.every((state) => state === 'rendered'),
          `every slot rendered: ${report.states}`,
        );
        assert.equal(report.shift, 0);
        assert.equal(report.overflow, 0);
        assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });
        await context.close();
      });
    }
  }
});

// Every channel's example page, as QA opens it on a desktop and on a phone: the page loads without a console error
// or a failed request, every slot shows its creative, nothing shifts when the creatives arrive, and nothing
// scrolls sideways. A screenshot of each is kept under test-artifacts/ for review.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Harness, openPage, scrollThrough, startHarness, waitForSlots } from './harness.js';

/** The Layout Instability API's entry (https://wicg.github.io/layout-instability/), not yet in TypeScript's DOM types. */
interface LayoutShift extends PerformanceEntry {
  value: number;
  sources: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
}

const PAGES = ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile'];
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts/pages');

/** The formats each page shows from the seed catalogue (packages/server/seed/seed.json). */
const FORMATS_SHOWN: Record<string, string[]> = {
  // No pop-up here: a modal on the corporate home page would stand between the operator and their approvals.
  'corporate-web': ['notice', 'banner', 'banner', 'banner', 'native', 'card-list'],
  // Nor on the corporate phone, for the same reason; the personal phone shows one on entry.
  'corporate-mobile': ['notice', 'banner', 'carousel', 'native', 'card-list', 'floating'],
  'personal-web': ['notice', 'banner', 'carousel', 'native', 'card-list', 'floating'],
  'personal-mobile': ['popup', 'notice', 'banner', 'carousel', 'native', 'card-list'],
};
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
  { width: 320, height: 640 },
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
          // Each shift with what moved, so that a failure says which element to fix.
          const shifts: string[] = [];
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as LayoutShift[]) {
              const moved = entry.sources.map(({ node, previousRect: from, currentRect: to }) => {
                const name = node instanceof Element ? `${node.localName}.${node.classList}` : node?.nodeName;
                return `${name} (${from.x},${from.y} ${from.width}×${from.height} → ${to.x},${to.y} ${to.width}×${to.height})`;
              });
              shifts.push(`${entry.value.toFixed(4)} at ${Math.round(entry.startTime)} ms: ${moved.join(', ')}`);
            }
          }).observe({ type: 'layout-shift', buffered: true });
          (window as unknown as { layoutShifts: () => string[] }).layoutShifts = () => shifts;
        });
        await scrollThrough(page);
        await waitForSlots(page);
        const report = await page.evaluate(() => ({
          states: [...document.querySelectorAll('op-slot')].map((slot) => slot.getAttribute('state')),
          // A banner renders in the slot's own shadow root; every other format in an element named after it.
          formats: [...document.querySelectorAll('op-slot')].map(
            (slot) => slot.shadowRoot?.querySelector('[exportparts]')?.localName.replace(/^op-/, '') ?? 'banner',
          ),
          shifts: (window as unknown as { layoutShifts: () => string[] }).layoutShifts(),
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        }));

        assert.ok(report.states.length > 0, 'the page has slots');
        assert.ok(
          report.states.every((state) => state === 'rendered'),
          `every slot rendered: ${report.states}`,
        );
        assert.deepEqual(report.formats, FORMATS_SHOWN[name]);
        assert.deepEqual(report.shifts, [], 'nothing shifts');
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport.width}.png`), fullPage: true });
        assert.equal(report.overflow, 0);
        assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });
        await context.close();
      });
    }
  }
});

// QA's debug overlay on every example page, each served under the strict Content-Security-Policy with Trusted Types
// (the strict-csp page's policy, added to the page's own response): the overlay opens from ?opslot_debug=1, explains
// every slot, passes axe, and neither it nor any format on the page causes a single policy violation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { STRICT_CSP } from '../../scripts/lib/serve-examples.mjs';
import { type Harness, openPage, scrollThrough, startHarness, waitForSlots } from './harness.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile', 'spa'];

describe('the debug overlay on every example page, under the strict CSP', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  for (const name of PAGES) {
    it(`${name}: explains every slot, passes axe, and violates nothing`, async () => {
      const { page, problems, context } = await openPage(
        harness,
        `/examples/${name}/?opslot_debug=1`,
        { width: 1280, height: 900 },
        () => {
          const violations: string[] = [];
          (window as unknown as { violations: string[] }).violations = violations;
          document.addEventListener('securitypolicyviolation', (event) =>
            violations.push(
              `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`,
            ),
          );
        },
        (watched) =>
          watched.route(`**/examples/${name}/?opslot_debug=1`, async (route) => {
            const response = await route.fetch();
            await route.fulfill({
              response,
              headers: { ...response.headers(), 'content-security-policy': STRICT_CSP },
            });
          }),
      );
      await scrollThrough(page);
      await waitForSlots(page);
      const overlay = page.locator('op-debug-overlay');
      await overlay.waitFor();
      const slotIds = await page.$$eval('op-slot', (slots) => slots.map((slot) => slot.getAttribute('slot-id')));
      // Every slot of the page has its section in the panel (the overlay reads the page twice a second).
      await page.waitForFunction((ids) => {
        const text = document.querySelector('op-debug-overlay')?.shadowRoot?.textContent ?? '';
        return ids.every((id) => text.includes(`${id} ·`));
      }, slotIds);

      assert.deepEqual(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), []);
      assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });

      // axe is an inline script, which the policy rightly refuses: the overlay's accessibility is checked on the same
      // page served without it.
      const plain = await context.newPage();
      await plain.goto(`${harness.origin}/examples/${name}/?opslot_debug=1`);
      await plain.locator('op-debug-overlay').waitFor();
      await plain.waitForFunction(() =>
        document.querySelector('op-debug-overlay')?.shadowRoot?.querySelector('details'),
      );
      await plain.addScriptTag({ content: AXE_SOURCE });
      const violations = await plain.evaluate(async () => {
        const { axe } = window as unknown as {
          axe: { run: (context: unknown) => Promise<{ violations: { id: string }[] }> };
        };
        return (await axe.run({ include: [['op-debug-overlay']] })).violations.map((violation) => violation.id);
      });
      assert.deepEqual(violations, [], 'axe on the overlay');
      await context.close();
    });
  }
});

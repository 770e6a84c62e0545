// A bank pins the SDK with Subresource Integrity: the build prints the hash, a page that carries it runs the SDK,
// and a copy that does not match (a tampered CDN) is refused by the browser while the bank's page goes on working.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Harness, startHarness } from './harness.js';

const MANIFEST = fileURLToPath(new URL('../../packages/elements/dist/cdn/manifest.json', import.meta.url));
const TAG = '<script type="module" src="/sdk/opslot.js"></script>';

describe('the SDK tag with Subresource Integrity', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  /** Opens corporate-web with the SDK tag carrying `integrity`, and reports what the page then shows. */
  async function openWithIntegrity(integrity: string) {
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route('**/examples/corporate-web/', async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        TAG,
        TAG.replace('></script>', ` integrity="${integrity}"></script>`),
      );
      assert.ok(html.includes(integrity), 'the page carries the integrity attribute');
      await route.fulfill({ response, body: html });
    });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${harness.origin}/examples/corporate-web/`);
    // By the load event the module has run, or been refused; a running SDK then shows its three creatives.
    await page.waitForFunction(
      () =>
        !customElements.get('op-slot') ||
        [...document.querySelectorAll('op-slot')].every((slot) => slot.getAttribute('state') === 'rendered'),
    );
    const shown = await page.evaluate(() => ({
      defined: customElements.get('op-slot') !== undefined,
      rendered: [...document.querySelectorAll('op-slot')].filter((slot) => slot.getAttribute('state') === 'rendered')
        .length,
      heading: document.querySelector('h1')?.textContent?.trim(),
    }));
    await context.close();
    return { ...shown, pageErrors };
  }

  it('runs the SDK whose hash the build printed', async () => {
    const { integrity } = JSON.parse(readFileSync(MANIFEST, 'utf8'))['opslot.js'];
    const shown = await openWithIntegrity(integrity);
    assert.deepEqual(shown, { defined: true, rendered: 6, heading: '您好，欢迎使用企业网上银行', pageErrors: [] });
  });

  it('refuses a copy that does not match, and the page goes on working without it', async () => {
    const shown = await openWithIntegrity(`sha384-${Buffer.alloc(48).toString('base64')}`);
    assert.deepEqual(shown, { defined: false, rendered: 0, heading: '您好，欢迎使用企业网上银行', pageErrors: [] });
  });
});

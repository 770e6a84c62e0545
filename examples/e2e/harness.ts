// The end-to-end harness: the real reference server (built, on a fresh SQLite database in a temp folder)
// serving the real example pages and CDN bundle, driven in Debian's Chromium through playwright-core.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/lib/chromium.mjs';
import { serveExamples } from '../../scripts/lib/serve-examples.mjs';

export interface Harness {
  origin: string;
  browser: Browser;
  close(): Promise<void>;
}

/** `backForwardCache`: let Chromium keep pages for back/forward, which playwright turns off by default. */
export async function startHarness({ backForwardCache = false } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opslot-e2e-'));
  const server = await serveExamples({ port: 0, databasePath: join(dataDir, 'opslot.sqlite'), log: () => {} });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found; npm test installs it (see scripts/lib/toolchain.mjs)');
  const browser = await chromium.launch({
    executablePath,
    args: CHROMIUM_ARGS,
    ...(backForwardCache && { ignoreDefaultArgs: ['--disable-back-forward-cache'] }),
  });
  return {
    origin: `http://127.0.0.1:${server.port}`,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** What went wrong on a page that a QA engineer would see in DevTools. */
export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  pageErrors: string[];
}

/**
 * Opens a page that records console errors, uncaught exceptions and failed requests to its own origin.
 * `beforeLoad` runs in the page before any of its scripts, to instrument it; `watch` gets the page before it
 * navigates, to listen to (or route) all of its requests.
 */
export async function openPage(
  harness: Harness,
  path: string,
  viewport = { width: 1280, height: 900 },
  beforeLoad?: () => void,
  watch?: (page: Page) => unknown,
) {
  const context = await harness.browser.newContext({ viewport });
  const page = await context.newPage();
  if (beforeLoad) await page.addInitScript(beforeLoad);
  await watch?.(page);
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], pageErrors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(harness.origin))
      problems.failedRequests.push(`${request.url()} ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    if (response.url().startsWith(harness.origin) && response.status() >= 400) {
      problems.failedRequests.push(`${response.status()} ${response.url()}`);
    }
  });
  await page.goto(`${harness.origin}${path}`);
  return { page, problems, context };
}

/** Resolves when every `<op-slot>` on the page has settled into one of the given states. */
export async function waitForSlots(page: Page, states = ['rendered', 'empty', 'error']) {
  await page.waitForFunction(
    (settled) =>
      [...document.querySelectorAll('op-slot')].every((slot) => settled.includes(slot.getAttribute('state') ?? '')),
    states,
  );
}

/** Scrolls the page from top to bottom, half a viewport at a time: slots far below the fold are requested only as the
 * operator scrolls near them. */
export async function scrollThrough(page: Page) {
  await page.evaluate(async () => {
    for (let y = 0; y <= document.documentElement.scrollHeight; y += innerHeight / 2) {
      scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)));
    }
  });
}

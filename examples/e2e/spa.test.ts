import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type Harness, openPage, startHarness, waitForSlots } from './harness.js';

// Counts the elements that IntersectionObservers are watching, so leaks of observers show up as a growing count.
const COUNT_OBSERVED = () => {
  const observed = new Map<IntersectionObserver, Set<Element>>();
  const Native = window.IntersectionObserver;
  window.IntersectionObserver = class extends Native {
    override observe(target: Element) {
      const targets = observed.get(this) ?? new Set<Element>();
      targets.add(target);
      observed.set(this, targets);
      super.observe(target);
    }
    override unobserve(target: Element) {
      observed.get(this)?.delete(target);
      super.unobserve(target);
    }
    override disconnect() {
      observed.delete(this);
      super.disconnect();
    }
  };
  (window as unknown as { observedCount: () => number }).observedCount = () =>
    [...observed.values()].reduce((total, targets) => total + targets.size, 0);
};

const ROUTES = ['home', 'accounts', 'transfer-confirm', 'notices'];
const SLOTS_BY_ROUTE: Record<string, string[]> = {
  home: ['home-banner', 'home-side'],
  accounts: ['home-strip'],
  'transfer-confirm': [],
  notices: ['home-side'],
};

async function go(page: Page, route: string) {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/${route}`);
  await page.waitForFunction((title) => document.querySelector('h1')?.textContent !== title, '');
  await page.waitForFunction(
    (expected) => document.querySelector('#view')?.querySelectorAll('op-slot').length === expected,
    route === 'home' ? 2 : 1,
  );
  await waitForSlots(page);
}

describe('spa example page', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.close());

  it('mounts and unmounts slots over 50 route changes without leaks or duplicate decisions', async () => {
    const decisions: string[][] = [];
    const { page, problems, context } = await openPage(
      harness,
      '/examples/spa/#/home',
      undefined,
      COUNT_OBSERVED,
      (tab) =>
        tab.on('request', (request) => {
          if (request.url().endsWith('/v1/decisions')) {
            // Slots that come near in the same frame share a request, in no particular order.
            decisions.push(
              JSON.parse(request.postData() ?? '{}')
                .slots.map((slot: { id: string }) => slot.id)
                .sort(),
            );
          }
        }),
    );
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      return {
        listeners: metrics.find((metric) => metric.name === 'JSEventListeners')?.value,
        observed: await page.evaluate(() => (window as unknown as { observedCount: () => number }).observedCount()),
      };
    };
    await waitForSlots(page);

    const visited: string[] = [];
    let baseline: Awaited<ReturnType<typeof measure>> | undefined;
    for (let step = 1; step <= 50; step++) {
      const route = ROUTES[step % ROUTES.length] as string;
      await go(page, route);
      visited.push(route);
      if (step === ROUTES.length) baseline = await measure();
    }
    await go(page, 'home');
    const end = await measure();

    // Same route as the baseline (home), after 46 more route changes: nothing piles up. (Listeners may be fewer:
    // the page's own lazily loaded code settles in after the baseline.)
    assert.equal(end.observed, baseline?.observed);
    assert.ok(end.listeners !== undefined && baseline?.listeners !== undefined);
    assert.ok(end.listeners <= baseline.listeners, `listeners grew from ${baseline.listeners} to ${end.listeners}`);
    // One decision per visit to a view with slots, for exactly its slots; none on the quiet page.
    const expected = [
      ['home-banner', 'home-side'],
      ...[...visited, 'home'].map((route) => SLOTS_BY_ROUTE[route] ?? []).filter((ids) => ids.length > 0),
    ];
    assert.deepEqual(decisions, expected);
    const quietSlot = await page.evaluate(() => {
      location.hash = '#/transfer-confirm';
      return new Promise((resolve) =>
        setTimeout(() => resolve(document.querySelector('#view op-slot')?.getAttribute('state')), 500),
      );
    });
    assert.equal(quietSlot, 'empty');
    assert.deepEqual(problems, { consoleErrors: [], failedRequests: [], pageErrors: [] });
    await context.close();
  });
});

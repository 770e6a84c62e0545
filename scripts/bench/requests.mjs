// Part 4: the requests one page view makes, on the ten-slot page: the slots are decided, render and become viewable
// (the SDK reports each slot's request and fill, render and viewable exposure), and once those events have been
// sent the page reports conversions until 100 events have been made in all; then the operator leaves (the page is
// closed, which fires `pagehide`). Counted where they arrive, at the bench's proxy,
// so that a request is counted once whichever API sent it: `sendBeacon` requests are told apart by their
// `Sec-Fetch-Mode: no-cors`. Each events request's body is read to count the events it carried.
import { join } from 'node:path';
import { writeBenchSeed } from './bench-seed.mjs';
import { startBenchSite, tenSlotsPage } from './bench-site.mjs';
import { launchChromium } from './chromium.mjs';

const SLOTS = 10;
const EVENTS = 100;
const PAGE = '/bench/ten-slots/';
const VIEWPORT = { width: 1280, height: 900 };
const TIMEOUT_MS = 30_000;
/** How long beacons sent at `pagehide` may take to arrive before the count is closed. */
const BEACON_GRACE_MS = 3000;
/** Time between the last conversion and leaving: an operator does not leave within the same millisecond. */
const DWELL_AFTER_LAST_EVENT_MS = 500;

const KINDS = [
  { name: 'decisions (`POST /v1/decisions`)', test: (request) => request.path === '/v1/decisions' },
  {
    name: 'events by fetch keepalive (`POST /v1/events`)',
    test: (request) => request.path === '/v1/events' && request.fetchMode !== 'no-cors',
  },
  {
    name: 'events by sendBeacon (`POST /v1/events`)',
    test: (request) => request.path === '/v1/events' && request.fetchMode === 'no-cors',
  },
  { name: 'SDK files (`/sdk/`)', test: (request) => request.path.startsWith('/sdk/') },
  { name: 'creative images', test: (request) => request.path.startsWith('/assets/creatives/') },
  { name: 'the page and its styles', test: () => true },
];

const eventsOf = (request) => {
  try {
    return JSON.parse(request.body).events ?? [];
  } catch {
    return [];
  }
};

export async function benchRequests({ tempDir }) {
  const folder = join(tempDir, 'requests');
  const seed = await writeBenchSeed(join(folder, 'seed'), SLOTS);
  const site = await startBenchSite({ dataDir: folder, seedPath: seed.seedPath });
  let browser;
  try {
    site.setPage(PAGE, tenSlotsPage(seed));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`${site.origin}${PAGE}`);
    // The events the SDK makes on its own for the slots are known once the batch with the viewable ones has arrived.
    const received = (type) =>
      site.requests
        .filter((request) => request.path === '/v1/events')
        .flatMap((request) => eventsOf(request))
        .filter((event) => !type || event.type === type).length;
    const deadline = performance.now() + TIMEOUT_MS;
    while (received('viewable') < SLOTS) {
      if (performance.now() > deadline) throw new Error(`the viewable events of ${SLOTS} slots never arrived`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const slotEvents = received();
    const conversions = EVENTS - slotEvents;
    await page.evaluate(
      (count) => Promise.all(Array.from({ length: count }, () => window.opslot.conversion('bench-conversion'))),
      conversions,
    );
    await page.waitForTimeout(DWELL_AFTER_LAST_EVENT_MS);
    const hiddenFrom = site.requests.length;
    await page.close({ runBeforeUnload: true });
    const graceEnds = performance.now() + BEACON_GRACE_MS;
    while (received() < EVENTS && performance.now() < graceEnds)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await context.close();

    const rows = KINDS.map((kind) => ({ name: kind.name, shown: 0, hidden: 0, events: 0 }));
    site.requests.forEach((request, index) => {
      const row = rows[KINDS.findIndex((kind) => kind.test(request))];
      row[index < hiddenFrom ? 'shown' : 'hidden'] += 1;
      row.events += eventsOf(request).length;
    });
    for (const row of rows) if (!row.name.startsWith('events')) row.events = undefined;
    return {
      rows,
      notes: [
        `${SLOTS} slots decided, rendered and viewable (${slotEvents} events from the SDK itself: request, fill, ` +
          `render, viewable), then ${conversions} \`conversion()\` calls: ${EVENTS} events in all; the page closed ` +
          `${DWELL_AFTER_LAST_EVENT_MS} ms after the last. The collector received ${received()} events ` +
          `(${new Set(site.requests.flatMap((request) => eventsOf(request).map((event) => event.id))).size} distinct).`,
      ],
    };
  } finally {
    await browser?.close();
    await site.close();
  }
}

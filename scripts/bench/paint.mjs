// Part 2: time from navigation to the first creative painted, on the corporate-web example page served by the
// reference server, with the decision service answering 100 ms late, against the floor: the same page without the
// SDK, whose few inline lines send the same decision request (so it waits the same 100 ms and the same server
// work), then load the image the answer names for each slot. What is left between the two is what the SDK costs:
// its download, parse and run, validating the answer, rendering the slot and anything it waits for.
//
// "Painted" is the same in both pages: when the image's `load` has fired (`op-render` on the SDK's page, `load` on
// the floor's), the next frame (requestAnimationFrame) and then a message posted from it, which is delivered once
// that frame has been painted. Times are `performance.now()`, i.e. from the start of the navigation.
import { join } from 'node:path';
import { replaceSdkTag, startBenchSite } from './bench-site.mjs';
import { launchChromium } from './chromium.mjs';
import { median, p90 } from './statistics.mjs';

const PAGE = '/examples/corporate-web/';
const FLOOR = '/bench/floor/corporate-web/';
/**
 * The same page with `lazyLoad: false` in its configuration: slots ask at once instead of after an
 * IntersectionObserver has seen them near the viewport, which shows what that wait costs the first creative.
 */
const EAGER = '/bench/eager/corporate-web/';
const CONFIG_BLOCK = /(<script type="application\/json" id="opslot-config">)(.*?)(<\/script>)/s;
/** The end-to-end harness's desktop viewport. */
const VIEWPORT = { width: 1280, height: 900 };
const RUN_TIMEOUT_MS = 15_000;

/**
 * Runs in each page before its own scripts: `__benchFirstCreative` resolves with the first creative's image load
 * and paint times.
 */
function recordFirstPaint() {
  window.__benchFirstCreative = new Promise((resolve) => {
    const afterNextPaint = () => {
      const loaded = performance.now();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ loaded, painted: performance.now() });
        channel.port2.postMessage(null);
      });
    };
    document.addEventListener('op-render', afterNextPaint, { once: true, capture: true });
    document.addEventListener('bench-floor-image-load', afterNextPaint, { once: true, capture: true });
  });
}

/**
 * Where the time went, from the page's resource timing: when the SDK's script had arrived (none on the floor), when
 * the decision request left and when its answer had arrived.
 */
function milestones() {
  const resource = (suffix) => performance.getEntriesByType('resource').find((entry) => entry.name.endsWith(suffix));
  const decision = resource('/v1/decisions');
  return {
    sdkLoaded: resource('/sdk/opslot.js')?.responseEnd,
    decisionSent: decision?.startTime,
    decisionAnswered: decision?.responseEnd,
  };
}

/**
 * The floor's script, in the SDK tag's place (a deferred module, so it starts when the SDK would): the decision
 * request the SDK sent, replayed, and the first candidate's image of every slot put into the slot's box.
 */
const floorScript = (decisionRequest) => `<script type="module">
  const answer = await fetch('/v1/decisions', {
    method: 'POST',
    headers: { 'Content-Type': ${JSON.stringify(decisionRequest.contentType)} },
    body: ${JSON.stringify(decisionRequest.body)},
  }).then((response) => response.json());
  for (const slot of answer.slots) {
    const image = slot.candidates[0]?.assets.image;
    if (!image) continue;
    const element = new Image(image.width, image.height);
    element.alt = image.alt;
    element.style.cssText = 'display: block; width: 100%; height: auto';
    element.onload = () => document.dispatchEvent(new Event('bench-floor-image-load'));
    element.src = new URL(image.src, new URL('/v1/', location.href)).href;
    document.querySelector(\`op-slot[slot-id="\${slot.id}"]\`).append(element);
  }
</script>
`;

async function firstPaint(browser, url) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(RUN_TIMEOUT_MS);
    await page.addInitScript(recordFirstPaint);
    await page.goto(url);
    const times = await page.evaluate(() => window.__benchFirstCreative);
    return { ...times, ...(await page.evaluate(milestones)) };
  } finally {
    await context.close();
  }
}

/** The page with `changes` merged into its `#opslot-config` block. */
function withConfig(html, changes) {
  if (!CONFIG_BLOCK.test(html)) throw new Error('the page has no #opslot-config block');
  return html.replace(
    CONFIG_BLOCK,
    (_, open, json, close) => `${open}${JSON.stringify({ ...JSON.parse(json), ...changes })}${close}`,
  );
}

/** `runs` paints of each page, taking turns so that a busy moment of the machine hits all of them. */
export async function benchPaint({ tempDir, runs = 20, decisionDelayMs = 100 }) {
  const site = await startBenchSite({ dataDir: join(tempDir, 'paint'), decisionDelayMs });
  let browser;
  try {
    browser = await launchChromium();
    const page = await site.get(PAGE);
    // A first, unmeasured view of the SDK's page: it warms the server and gives the decision request to replay.
    await firstPaint(browser, `${site.origin}${PAGE}`);
    const decisionRequest = site.requests.find((request) => request.path === '/v1/decisions');
    if (!decisionRequest) throw new Error(`the SDK on ${PAGE} sent no decision request`);
    site.setPage(FLOOR, replaceSdkTag(page, floorScript(decisionRequest)));
    site.setPage(EAGER, withConfig(page, { lazyLoad: false }));
    const variants = [
      { name: `SDK: ${PAGE}`, path: PAGE },
      { name: 'SDK, the same page with `"lazyLoad": false`', path: EAGER },
      { name: 'floor: the same page without the SDK (see above)', path: FLOOR },
    ].map((variant) => ({ ...variant, url: `${site.origin}${variant.path}`, samples: [] }));
    for (const variant of variants.slice(1)) await firstPaint(browser, variant.url);
    for (let run = 0; run < runs; run += 1) {
      const order = [...variants.slice(run % variants.length), ...variants.slice(0, run % variants.length)];
      for (const variant of order) variant.samples.push(await firstPaint(browser, variant.url));
    }
    const row = ({ name, samples }) => {
      const at = (key) => samples.map((sample) => sample[key]);
      return {
        name,
        runs: samples.length,
        median: median(at('painted')),
        p90: p90(at('painted')),
        sdkLoaded: median(at('sdkLoaded').filter((value) => value !== undefined)),
        decisionSent: median(at('decisionSent')),
        decisionAnswered: median(at('decisionAnswered')),
        imageLoaded: median(at('loaded')),
      };
    };
    const [lazy, eager, floor] = variants.map(row);
    // Besides the difference of the medians, each run's paint minus the floor's of the same turn: the two ran
    // seconds apart, so a slow minute of the machine weighs on both and cancels out.
    const paired = (variant) => variant.samples.map((sample, run) => sample.painted - variants[2].samples[run].painted);
    const above = (name, measured, variant) => ({
      name,
      runs,
      ...Object.fromEntries(
        // Not the p90s: a difference of two tails is no run's figure; the paired p90 is.
        ['median', 'decisionSent', 'decisionAnswered', 'imageLoaded'].map((key) => [key, measured[key] - floor[key]]),
      ),
      pairedMedian: median(paired(variant)),
      pairedP90: p90(paired(variant)),
    });
    return {
      rows: [
        lazy,
        eager,
        floor,
        above('SDK − floor', lazy, variants[0]),
        above('SDK with `"lazyLoad": false` − floor', eager, variants[1]),
      ],
      decisionDelayMs,
    };
  } finally {
    await browser?.close();
    await site.close();
  }
}

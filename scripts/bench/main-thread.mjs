// Part 3: what ten slots cost the page's main thread, with the CPU slowed down 4× (Chromium's
// Emulation.setCPUThrottlingRate, as Lighthouse's mobile profile does) to stand for a bank's older office PCs and
// phones. Each run loads the ten-slot page in a fresh context, with a trace and Chromium's own counters running, from
// navigation until every slot has settled and `IDLE_AFTER_SETTLED_MS` more, so that the viewability checks and the
// first flush of events fall inside. The same page without the SDK's script tag is the baseline; the SDK's cost
// is the difference.
//
// Script and task time are Chromium's counters (Performance.getMetrics: ScriptDuration, TaskDuration). Long
// tasks are the renderer main thread's tasks over 50 ms in the trace, as the Long Tasks API defines them; blocking
// time sums what each long task runs past 50 ms, as Lighthouse's Total Blocking Time does (here until the end of
// the window, not until Time to Interactive).
import { join } from 'node:path';
import { writeBenchSeed } from './bench-seed.mjs';
import { startBenchSite, tenSlotsPage, WITHOUT_SDK } from './bench-site.mjs';
import { launchChromium } from './chromium.mjs';
import { median } from './statistics.mjs';

const SLOTS = 10;
const CPU_SLOWDOWN = 4;
const PAGE = '/bench/ten-slots/';
const VIEWPORT = { width: 1280, height: 900 };
/** Viewability needs a slot in view for 1 s; the outbox sends its first batch 2 s after the first event. */
const IDLE_AFTER_SETTLED_MS = 2500;
const LONG_TASK_MS = 50;
const RUN_TIMEOUT_MS = 30_000;
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'];

/** The renderer main thread's tasks in a trace, as `[{ start, duration }]` in ms, for the page at `url`. */
function mainThreadTasks(trace, url) {
  const events = trace.traceEvents ?? trace;
  const mains = new Set(
    events
      .filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
      .map((event) => `${event.pid}:${event.tid}`),
  );
  // Chromium may keep more than one renderer (the first about:blank); the page's is the one that parsed it.
  const parsing = events.find(
    (event) =>
      event.name === 'ParseHTML' &&
      event.args?.beginData?.url?.startsWith(url) &&
      mains.has(`${event.pid}:${event.tid}`),
  );
  if (!parsing) throw new Error(`no main thread parsed ${url} in the trace`);
  return events
    .filter(
      (event) => event.ph === 'X' && event.name === 'RunTask' && event.pid === parsing.pid && event.tid === parsing.tid,
    )
    .map((event) => ({ start: event.ts / 1000, duration: event.dur / 1000 }));
}

async function measureOnce(browser, url, settle) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(RUN_TIMEOUT_MS);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    // Wall time (the default), like the trace's task durations: the slowdown shows in it.
    await cdp.send('Performance.enable');
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    let trace;
    try {
      await page.goto(url);
      await settle(page);
      await page.waitForTimeout(IDLE_AFTER_SETTLED_MS);
    } finally {
      trace = JSON.parse((await browser.stopTracing()).toString('utf8'));
    }
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => (metrics.find((each) => each.name === name)?.value ?? Number.NaN) * 1000;
    const tasks = mainThreadTasks(trace, url);
    const long = tasks.filter((task) => task.duration > LONG_TASK_MS);
    return {
      script: metric('ScriptDuration'),
      tasks: metric('TaskDuration'),
      longTasks: long.length,
      longestTask: Math.max(0, ...tasks.map((task) => task.duration)),
      blocking: long.reduce((total, task) => total + task.duration - LONG_TASK_MS, 0),
    };
  } finally {
    await context.close();
  }
}

const slotsSettled = (page) =>
  page.waitForFunction(() =>
    [...document.querySelectorAll('op-slot')].every((slot) =>
      ['rendered', 'empty', 'error'].includes(slot.getAttribute('state') ?? ''),
    ),
  );

/** `runs` runs of the page with and without the SDK, alternating, and the medians of each figure. */
export async function benchMainThread({ tempDir, runs = 5 }) {
  const folder = join(tempDir, 'main-thread');
  const seed = await writeBenchSeed(join(folder, 'seed'), SLOTS);
  const site = await startBenchSite({ dataDir: folder, seedPath: seed.seedPath });
  let browser;
  try {
    site.setPage(PAGE, tenSlotsPage(seed));
    browser = await launchChromium();
    const variants = [
      { name: `${SLOTS} slots, with the SDK`, url: `${site.origin}${PAGE}`, settle: slotsSettled, samples: [] },
      {
        name: 'the same page without the SDK',
        url: `${site.origin}${WITHOUT_SDK}${PAGE}`,
        settle: async () => {},
        samples: [],
      },
    ];
    // One unmeasured load of each warms the server and the disk cache.
    for (const variant of variants) await measureOnce(browser, variant.url, variant.settle);
    for (let run = 0; run < runs; run += 1) {
      for (const variant of run % 2 === 0 ? variants : [...variants].reverse()) {
        variant.samples.push(await measureOnce(browser, variant.url, variant.settle));
      }
    }
    const keys = ['script', 'tasks', 'longTasks', 'longestTask', 'blocking'];
    const rows = variants.map((variant) => ({
      name: variant.name,
      runs: variant.samples.length,
      ...Object.fromEntries(keys.map((key) => [key, median(variant.samples.map((sample) => sample[key]))])),
    }));
    const [withSdk, without] = rows;
    rows.push({
      name: 'SDK (difference of medians)',
      runs,
      ...Object.fromEntries(keys.map((key) => [key, withSdk[key] - without[key]])),
      // A difference of two pages' longest tasks is no task at all.
      longestTask: undefined,
    });
    return {
      rows,
      notes: [
        `CPU slowed down ${CPU_SLOWDOWN}×; ${runs} runs per page; window: navigation until every slot ` +
          `settled, plus ${IDLE_AFTER_SETTLED_MS} ms. The machine was running other work.`,
      ],
    };
  } finally {
    await browser?.close();
    await site.close();
  }
}

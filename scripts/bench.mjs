// `pnpm bench`: what opslot costs a bank page, measured on this machine and printed as Markdown tables — bundle
// bytes beside peer SDKs fetched from the npm registry in this run, time to the first creative against the floor,
// main-thread cost of ten slots, requests per page view, and Lighthouse scores. Run on demand, never by `npm test`:
// timings depend on the machine and what else runs on it. Each part fails on its own and says why.
//
//   pnpm bench                          every part
//   pnpm bench -- --only size,paint     some of them (size, paint, main-thread, requests, lighthouse)
//   pnpm bench -- --runs 20             paint runs per page (default 20)
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchBundleBytes } from './bench/bundle-bytes.mjs';
import { benchLighthouse } from './bench/lighthouse.mjs';
import { benchMainThread } from './bench/main-thread.mjs';
import { markdownTable } from './bench/markdown-table.mjs';
import { benchPaint } from './bench/paint.mjs';
import { benchRequests } from './bench/requests.mjs';
import { ROOT } from './lib/toolchain.mjs';

const kb = (bytes) => `${(bytes / 1000).toFixed(2)} KB`;
const ms = (value) => (value === undefined || Number.isNaN(value) ? '—' : `${value.toFixed(1)} ms`);

const PARTS = {
  size: {
    title: 'Bundle bytes (min and gzip level 9, as `pnpm size` measures them)',
    run: ({ tempDir }) => benchBundleBytes({ tempDir }),
    print: ({ rows, notes }) => [
      markdownTable(
        [
          { title: 'SDK', value: (row) => row.sdk },
          { title: 'what is measured', value: (row) => row.what },
          { title: 'min', value: (row) => kb(row.min), align: 'right' },
          { title: 'gzip', value: (row) => kb(row.gzip), align: 'right' },
        ],
        rows,
      ),
      ...notes,
    ],
  },
  paint: {
    title: 'Time from navigation to the first creative painted',
    run: ({ tempDir, runs }) => benchPaint({ tempDir, ...(runs && { runs }) }),
    print: ({ rows, decisionDelayMs }) => [
      `corporate-web example page, reference server on loopback, POST /v1/decisions held ${decisionDelayMs} ms by a ` +
        "proxy; fresh browser context per run, the pages taking turns. Painted = the frame after the image's " +
        'load (requestAnimationFrame, then a posted message). The machine was running other work: medians are the ' +
        'figures to read.',
      markdownTable(
        [
          { title: 'page', value: (row) => row.name },
          { title: 'runs', value: (row) => row.runs, align: 'right' },
          { title: 'painted, median', value: (row) => ms(row.median), align: 'right' },
          { title: 'painted, p90', value: (row) => ms(row.p90), align: 'right' },
          {
            title: 'paired with the floor, median / p90',
            value: (row) => (row.pairedMedian === undefined ? '—' : `${ms(row.pairedMedian)} / ${ms(row.pairedP90)}`),
            align: 'right',
          },
          { title: 'SDK script loaded (median)', value: (row) => ms(row.sdkLoaded), align: 'right' },
          { title: 'decision sent (median)', value: (row) => ms(row.decisionSent), align: 'right' },
          { title: 'decision answered (median)', value: (row) => ms(row.decisionAnswered), align: 'right' },
          { title: 'image loaded (median)', value: (row) => ms(row.imageLoaded), align: 'right' },
        ],
        rows,
      ),
    ],
  },
  'main-thread': {
    title: 'Main-thread cost of ten slots at 4× CPU slowdown',
    run: ({ tempDir }) => benchMainThread({ tempDir }),
    print: ({ rows, notes }) => [
      markdownTable(
        [
          { title: 'page', value: (row) => row.name },
          { title: 'runs', value: (row) => row.runs, align: 'right' },
          { title: 'script (median)', value: (row) => ms(row.script), align: 'right' },
          { title: 'all tasks (median)', value: (row) => ms(row.tasks), align: 'right' },
          { title: 'long tasks (median)', value: (row) => row.longTasks, align: 'right' },
          { title: 'longest task (median)', value: (row) => ms(row.longestTask), align: 'right' },
          { title: 'blocking time (median)', value: (row) => ms(row.blocking), align: 'right' },
        ],
        rows,
      ),
      ...notes,
    ],
  },
  requests: {
    title: 'Requests per page view: ten slots, 100 events',
    run: ({ tempDir }) => benchRequests({ tempDir }),
    print: ({ rows, notes }) => [
      markdownTable(
        [
          { title: 'request', value: (row) => row.name },
          { title: 'while the page is shown', value: (row) => row.shown, align: 'right' },
          { title: 'when it is hidden', value: (row) => row.hidden, align: 'right' },
          { title: 'events carried', value: (row) => row.events, align: 'right' },
        ],
        rows,
      ),
      ...notes,
    ],
  },
  lighthouse: {
    title: 'Lighthouse scores of the four channel pages, with and without the SDK',
    run: ({ tempDir }) => benchLighthouse({ tempDir }),
    print: ({ rows, notes }) => [
      markdownTable(
        [
          { title: 'page', value: (row) => row.page },
          { title: 'form factor', value: (row) => row.formFactor },
          { title: 'performance, with SDK', value: (row) => row.withSdk?.performance, align: 'right' },
          { title: 'without', value: (row) => row.withoutSdk?.performance, align: 'right' },
          { title: 'accessibility, with SDK', value: (row) => row.withSdk?.accessibility, align: 'right' },
          { title: 'without', value: (row) => row.withoutSdk?.accessibility, align: 'right' },
          { title: 'LCP with / without', value: (row) => `${ms(row.withSdk?.lcp)} / ${ms(row.withoutSdk?.lcp)}` },
          { title: 'TBT with / without', value: (row) => `${ms(row.withSdk?.tbt)} / ${ms(row.withoutSdk?.tbt)}` },
          { title: 'CLS with / without', value: (row) => `${row.withSdk?.cls ?? '—'} / ${row.withoutSdk?.cls ?? '—'}` },
        ],
        rows,
      ),
      ...notes,
    ],
  },
};

const { values } = parseArgs({
  // pnpm passes a literal `--` through to the script (`pnpm bench -- --only size`).
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: { only: { type: 'string' }, runs: { type: 'string' } },
});
const chosen = values.only ? values.only.split(',').map((name) => name.trim()) : Object.keys(PARTS);
const unknown = chosen.filter((name) => !(name in PARTS));
if (unknown.length > 0) {
  console.error(`bench: unknown part ${unknown.join(', ')}; choose among ${Object.keys(PARTS).join(', ')}`);
  process.exit(2);
}
const runs = values.runs ? Number(values.runs) : undefined;
if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) {
  console.error('bench: --runs takes a positive integer');
  process.exit(2);
}
for (const built of ['packages/elements/dist/cdn/manifest.json', 'packages/server/dist/index.js']) {
  if (!existsSync(join(ROOT, built))) {
    console.error(`bench: build first (pnpm build): ${built} is missing`);
    process.exit(1);
  }
}

const tempDir = mkdtempSync(join(tmpdir(), 'opslot-bench-'));
const started = performance.now();
// Timings depend on what else the machine runs: the load average is printed with them so a reader can judge.
const loadAtStart = loadavg()[0];
let failed = 0;
try {
  for (const name of chosen) {
    const part = PARTS[name];
    const partStarted = performance.now();
    console.log(`\n## ${part.title}\n`);
    try {
      const result = await part.run({ tempDir, runs });
      console.log(part.print(result).join('\n\n'));
    } catch (error) {
      failed += 1;
      console.log(`Not measured: ${error.message}`);
    }
    console.log(`\n(${name}: ${((performance.now() - partStarted) / 1000).toFixed(0)} s)`);
  }
} finally {
  rmSync(tempDir, { recursive: true, force: true });
}
console.log(
  `\n${new Date().toISOString()}, Node ${process.version}, ${((performance.now() - started) / 1000).toFixed(0)} s in all; ` +
    `1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0].toFixed(1)} at the end, ` +
    `on ${availableParallelism()} cores`,
);
// A part that could not run is reported above; the exit code says so too, for anyone scripting the bench.
process.exitCode = failed > 0 ? 1 : 0;

// Part 5: Lighthouse's performance and accessibility scores of the four channel pages, as served by the reference
// server (`serveExamples`), with the SDK and without it (the same page with its script tag taken out by the bench's
// proxy, so that nothing fails to load). Lighthouse is installed from the npm registry in this run, like the peers,
// and drives Debian's Chromium (chrome-launcher honours CHROME_PATH). Web pages are scored with Lighthouse's desktop
// preset, mobile pages with its default mobile profile (a Moto G Power, simulated slow 4G and 4× CPU slowdown).
// Lighthouse's scores move by a few points from run to run; one run of each is made.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM_ARGS, findChromium } from '../lib/chromium.mjs';
import { startBenchSite, WITHOUT_SDK } from './bench-site.mjs';
import { installFromRegistry } from './install-from-registry.mjs';

const execFileAsync = promisify(execFile);

/** Lighthouse 13 needs Node 22.19 or later; 12.8 is the newest line that runs on the Node 20 this project supports. */
const LIGHTHOUSE = 'lighthouse@12';
const CHANNELS = ['corporate-web', 'corporate-mobile', 'personal-web', 'personal-mobile'];
const RUN_TIMEOUT_MS = 120_000;

async function score(cli, url, { desktop, output }) {
  const chromium = findChromium();
  await execFileAsync(
    process.execPath,
    [
      cli,
      url,
      '--quiet',
      '--output=json',
      `--output-path=${output}`,
      '--only-categories=performance,accessibility',
      ...(desktop ? ['--preset=desktop'] : []),
      `--chrome-flags=--headless=new ${CHROMIUM_ARGS.join(' ')}`,
    ],
    { env: { ...process.env, CHROME_PATH: chromium }, timeout: RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
  );
  const report = JSON.parse(readFileSync(output, 'utf8'));
  if (report.runtimeError) throw new Error(`${report.runtimeError.code}: ${report.runtimeError.message}`);
  const category = (name) => Math.round(report.categories[name].score * 100);
  const audit = (name) => report.audits[name]?.numericValue;
  return {
    performance: category('performance'),
    accessibility: category('accessibility'),
    lcp: audit('largest-contentful-paint'),
    tbt: audit('total-blocking-time'),
    cls: audit('cumulative-layout-shift')?.toFixed(3),
  };
}

export async function benchLighthouse({ tempDir }) {
  if (!findChromium()) throw new Error("no Chromium found (npm test installs Debian's; or set CHROME_PATH)");
  const folder = join(tempDir, 'lighthouse');
  const versions = await installFromRegistry(folder, [LIGHTHOUSE]);
  const cli = join(folder, 'node_modules/lighthouse/cli/index.js');
  const site = await startBenchSite({ dataDir: join(folder, 'server') });
  const notes = [`Lighthouse ${versions.lighthouse}, Chromium ${findChromium()}; one run per page and variant.`];
  try {
    const rows = [];
    for (const channel of CHANNELS) {
      const path = `/examples/${channel}/`;
      const desktop = !channel.endsWith('-mobile');
      const row = { page: path, formFactor: desktop ? 'desktop' : 'mobile' };
      for (const [key, url] of [
        ['withSdk', `${site.origin}${path}`],
        ['withoutSdk', `${site.origin}${WITHOUT_SDK}${path}`],
      ]) {
        try {
          row[key] = await score(cli, url, { desktop, output: join(folder, `${channel}-${key}.json`) });
        } catch (error) {
          notes.push(
            `${path} ${key === 'withSdk' ? 'with' : 'without'} the SDK not scored: ${error.message.split('\n')[0]}`,
          );
        }
      }
      rows.push(row);
    }
    return { rows, notes };
  } finally {
    await site.close();
  }
}

// Browser tests of the browser packages, in Debian's Chromium (see scripts/lib/chromium.mjs).
//
// @web/test-runner stays on the 0.20 line: it declares Node 20, the Node this project supports;
// the 1.x line declares Node 22.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROMIUM_ARGS, findChromium } from './scripts/lib/chromium.mjs';

export default {
  files: ['packages/{core,elements,partner}/src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['source', 'browser'] },
  // esnext: the tests run in a current Chromium only, and an older target strips the `with { type: 'json' }`
  // import attributes that the schema imports need.
  plugins: [esbuildPlugin({ ts: true, target: 'esnext', tsconfig: './tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS },
      // One browser context per test file: pages that share a context compete for focus, and the background
      // one gets no animation frames, so fixtures and IntersectionObserver stall (modernweb-dev/web#2588).
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  coverageConfig: { include: ['packages/*/src/**/*.ts'], exclude: ['**/*.test.ts'] },
};

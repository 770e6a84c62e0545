// Debian's Chromium driven by playwright-core, as in the end-to-end tests. playwright-core is a dependency of the
// examples workspace (their harness), so the bench resolves it from there rather than adding it to the root.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CHROMIUM_ARGS, findChromium } from '../lib/chromium.mjs';
import { ROOT } from '../lib/toolchain.mjs';

/** Launches headless Chromium; throws with the reason when there is none or playwright-core is not installed. */
export async function launchChromium() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("no Chromium found (npm test installs Debian's; or set CHROME_PATH)");
  const { chromium } = createRequire(join(ROOT, 'examples/package.json'))('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

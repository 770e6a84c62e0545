// Installs what `npm start` and `npm test` need on a machine that has only Node and npm:
// the pinned pnpm, the workspace's dependencies and, for the tests, a Chromium.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from './chromium.mjs';
import { read, run } from './run.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const { packageManager } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const PNPM_VERSION = packageManager.replace(/^pnpm@/, '');
const LOCAL_PNPM_DIR = join(ROOT, '.tools', 'pnpm');
const LOCAL_PNPM = join(LOCAL_PNPM_DIR, 'node_modules', '.bin', 'pnpm');

export function say(line) {
  console.log(`\n▶ ${line}`);
}

export function fail(line) {
  console.error(`\n✖ ${line}`);
  process.exit(1);
}

/**
 * The pnpm pinned in package.json: the one on the PATH when it is that version, else a copy installed into
 * `.tools/` with npm (no root needed; corepack is not used because it cannot verify signatures here).
 */
export async function ensurePnpm() {
  if ((await read('pnpm', ['--version'])) === PNPM_VERSION) return 'pnpm';
  if ((await read(LOCAL_PNPM, ['--version'])) === PNPM_VERSION) return LOCAL_PNPM;
  say(`installing pnpm ${PNPM_VERSION} into .tools/ (the version pinned in package.json)`);
  const { code } = await run(
    'npm',
    [
      'install',
      '--prefix',
      LOCAL_PNPM_DIR,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `pnpm@${PNPM_VERSION}`,
    ],
    { cwd: ROOT },
  );
  if (code !== 0 || !existsSync(LOCAL_PNPM)) fail(`could not install pnpm ${PNPM_VERSION} with npm (exit ${code})`);
  return LOCAL_PNPM;
}

/**
 * Installs the workspace's dependencies exactly as the lockfile says. better-sqlite3 compiles its addon
 * against Node's headers; where npm is set up with a local `nodedir`, pnpm is pointed at the same headers
 * so the build needs no download.
 */
export async function ensureDependencies(pnpm) {
  const env = {};
  if (!process.env.npm_config_nodedir) {
    const nodedir = await read('npm', ['config', 'get', 'nodedir']);
    if (nodedir && nodedir !== 'undefined' && existsSync(join(nodedir, 'include', 'node')))
      env.npm_config_nodedir = nodedir;
  }
  say('installing dependencies (pnpm install --frozen-lockfile)');
  const { code } = await run(pnpm, ['install', '--frozen-lockfile', '--prefer-offline'], { cwd: ROOT, env });
  if (code !== 0) fail(`pnpm install failed (exit ${code})`);
}

/** A Chromium for the browser tests: Debian's package, installed with apt-get when running as root. */
export async function ensureChromium() {
  if (findChromium()) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    say("installing Debian's chromium for the browser tests (apt-get install chromium)");
    const update = await run('apt-get', ['update'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
    const install =
      update.code === 0 &&
      (await run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
        env: { DEBIAN_FRONTEND: 'noninteractive' },
      }));
    if (install && install.code === 0 && findChromium()) return;
  }
  fail(
    'The browser tests need Chromium and none was found.\n' +
      '  On Debian or Ubuntu: sudo apt-get install chromium   (npm test does this itself when run as root)\n' +
      '  Elsewhere: install Chrome or Chromium and set CHROME_PATH to its executable.',
  );
}

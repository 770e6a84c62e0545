// Builds everything `npm start` serves and the packages publish: type declarations (tsc), the npm packages,
// the CDN bundle and the partner bundle (rollup), and the reference server (tsc). Expects dependencies to be installed.
import { readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { run } from './lib/run.mjs';
import { fail, ROOT, say } from './lib/toolchain.mjs';

const STEPS = [
  ['type declarations of @opslot/core', 'tsc', ['-p', 'packages/core/tsconfig.build.json']],
  ['type declarations of @opslot/elements', 'tsc', ['-p', 'packages/elements/tsconfig.build.json']],
  ['type declarations of @opslot/partner', 'tsc', ['-p', 'packages/partner/tsconfig.build.json']],
  ['npm packages, the CDN bundle and the partner bundle', 'rollup', ['-c', 'rollup.config.mjs', '--silent']],
  ['reference server', 'tsc', ['-p', 'packages/server']],
];

/** Rollup's CDN outputs, emptied first: their chunks are named by content hash, so every change adds new files. */
const CDN_DIRS = ['packages/elements/dist/cdn', 'packages/partner/dist/cdn'];

export async function build() {
  for (const dir of CDN_DIRS) rmSync(`${ROOT}${dir}`, { recursive: true, force: true });
  for (const [what, bin, args] of STEPS) {
    say(`building ${what}`);
    const started = performance.now();
    const { code } = await run(`${ROOT}node_modules/.bin/${bin}`, args, { cwd: ROOT });
    if (code !== 0) fail(`building ${what} failed (exit ${code})`);
    console.log(`  done in ${Math.round(performance.now() - started)} ms`);
  }
  // The hash a bank pins in its script tag (integrity="…"), so that a tampered CDN copy is refused by the browser.
  const manifest = JSON.parse(readFileSync(`${ROOT}packages/elements/dist/cdn/manifest.json`, 'utf8'));
  console.log(`\n  /sdk/opslot.js integrity="${manifest['opslot.js'].integrity}"`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await build();

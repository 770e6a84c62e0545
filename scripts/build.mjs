// Builds everything `npm start` serves and the packages publish: type declarations (tsc), the npm packages,
// the CDN bundle and the partner bundle (rollup), and the reference server (tsc). Expects dependencies to be installed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * Rollup's CDN outputs. Their chunks are named by content hash, so every build adds files; after a build, the files
 * of neither this build nor the one before it are deleted. The one before is kept for the tabs still running its
 * opslot.js: their lazy chunks (the ledger, the reporter, the page API's actions) must still load.
 */
const CDN_DIRS = ['packages/elements/dist/cdn', 'packages/partner/dist/cdn'];

/** The files a CDN folder's build wrote, by its manifest (their source maps beside them); none before a first build. */
function filesOfBuild(dir) {
  const manifest = join(ROOT, dir, 'manifest.json');
  if (!existsSync(manifest)) return [];
  return Object.keys(JSON.parse(readFileSync(manifest, 'utf8'))).flatMap((file) => [file, `${file}.map`]);
}

/** Deletes the chunks of a CDN folder that neither of its last two builds wrote. */
function pruneChunks(dir, previousBuild) {
  const kept = new Set([...previousBuild, ...filesOfBuild(dir)]);
  const chunks = join(ROOT, dir, 'chunks');
  if (!existsSync(chunks)) return;
  for (const name of readdirSync(chunks)) {
    if (!kept.has(`chunks/${name}`)) rmSync(join(chunks, name));
  }
}

export async function build() {
  const previousBuilds = new Map(CDN_DIRS.map((dir) => [dir, filesOfBuild(dir)]));
  for (const [what, bin, args] of STEPS) {
    say(`building ${what}`);
    const started = performance.now();
    const { code } = await run(`${ROOT}node_modules/.bin/${bin}`, args, { cwd: ROOT });
    if (code !== 0) fail(`building ${what} failed (exit ${code})`);
    console.log(`  done in ${Math.round(performance.now() - started)} ms`);
  }
  for (const [dir, previousBuild] of previousBuilds) pruneChunks(dir, previousBuild);
  // The hash a bank pins in its script tag (integrity="…"), so that a tampered CDN copy is refused by the browser.
  const manifest = JSON.parse(readFileSync(`${ROOT}packages/elements/dist/cdn/manifest.json`, 'utf8'));
  console.log(`\n  /sdk/opslot.js integrity="${manifest['opslot.js'].integrity}"`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await build();

// `npm test`: installs what is missing (pnpm, dependencies, Chromium), then lints, builds, type-checks,
// checks the byte budgets and runs every test: server tests in Node, component tests in Chromium through
// @web/test-runner, and the end-to-end tests of the example pages against the real server and bundle.
// Stops at the first failing step and exits non-zero.

import { build } from './build.mjs';
import { run } from './lib/run.mjs';
import { ensureChromium, ensureDependencies, ensurePnpm, fail, ROOT, say } from './lib/toolchain.mjs';

const started = performance.now();
const pnpm = await ensurePnpm();
await ensureDependencies(pnpm);
await ensureChromium();

const bin = (name) => `${ROOT}node_modules/.bin/${name}`;
const STEPS = [
  ['lint and format (biome)', bin('biome'), ['ci', '.']],
  ['build', null, null],
  ['type-check (tsc)', bin('tsc'), ['-p', 'tsconfig.json']],
  ['type-check of the end-to-end suite (tsc)', bin('tsc'), ['-p', 'examples/e2e/tsconfig.json']],
  ['byte budgets (pnpm size)', process.execPath, ['scripts/size.mjs']],
  ['server tests (node --test)', process.execPath, ['scripts/run-node-tests.mjs', 'packages/server/src']],
  ['browser tests (@web/test-runner, Chromium)', bin('wtr'), []],
  ['end-to-end tests (example pages, Chromium)', process.execPath, ['scripts/run-node-tests.mjs', 'examples/e2e']],
];

let passed = 0;
let failed = 0;
for (const [what, command, args] of STEPS) {
  if (command === null) {
    await build();
    continue;
  }
  say(what);
  const { code, output } = await run(command, args, { cwd: ROOT, capture: true });
  const counts = countTests(output);
  passed += counts.passed;
  failed += counts.failed;
  if (code !== 0) {
    console.log(`\nopslot: ${passed} passed, ${Math.max(failed, 1)} failed`);
    fail(`${what} failed (exit ${code})`);
  }
}
console.log(`\nAll steps passed in ${Math.round((performance.now() - started) / 1000)} s.`);
console.log(`opslot: ${passed} passed, ${failed} failed`);

/** Test counts from Node's spec reporter (`ℹ pass 12`) and @web/test-runner's summary (`12 passed, 0 failed`). */
function countTests(output) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal colour codes the runners print.
  const plain = output.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
  const node = { passed: sum(plain, /^ℹ pass (\d+)$/gm), failed: sum(plain, /^ℹ fail (\d+)$/gm) };
  const wtr = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].at(-1);
  return wtr ? { passed: node.passed + Number(wtr[1]), failed: node.failed + Number(wtr[2]) } : node;
}

function sum(text, pattern) {
  return [...text.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
}

// Runs the `*.test.ts` files under the given folders with Node's test runner, TypeScript through tsx.
// (Node 20's `--test` takes no glob patterns, so the files are listed here.)
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from './lib/run.mjs';
import { fail, ROOT } from './lib/toolchain.mjs';

const folders = process.argv.slice(2);
const files = folders.flatMap((folder) =>
  readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: false })
    .filter((name) => /\.test\.ts$/.test(name) && !name.includes('node_modules'))
    .map((name) => relative(ROOT, join(ROOT, folder, name))),
);
if (files.length === 0) fail(`no *.test.ts files under ${folders.join(', ')}`);
const { code } = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.sort()], {
  cwd: ROOT,
});
process.exit(code);

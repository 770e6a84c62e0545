// Part 1: what each SDK costs on the wire. opslot's CDN files are measured exactly as `pnpm size` measures them
// (the built, minified files, gzip level 9, a group's gzip being the sum of its files' because each travels
// compressed on its own); each peer is installed from the npm registry in this run and bundled from a small entry
// with esbuild (minify, esm, browser), so that every row is minified by a bundler and compressed the same way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT } from '../lib/toolchain.mjs';
import { installFromRegistry } from './install-from-registry.mjs';

const CDN = join(ROOT, 'packages/elements/dist/cdn');

/**
 * The peers and the entry measured for each: what a bank page would import for the job opslot does (get content
 * chosen by a server and show it), as each vendor documents its tree-shakable use. `entry` is an ES module
 * bundled as is; `define` fills in Node globals that a package expects and a browser bundler must replace.
 */
const PEERS = [
  {
    name: '@adzerk/decision-sdk',
    what: 'decision client only',
    entry: `export { Client } from '@adzerk/decision-sdk';`,
    // Its CommonJS build assigns `global.FormData` and reads `process.title` to tell Node from a browser.
    define: { global: 'globalThis', 'process.title': '"browser"' },
  },
  {
    name: '@braze/web-sdk',
    what: 'in-app messages + content cards',
    entry: `export {
      initialize, openSession, automaticallyShowInAppMessages, showInAppMessage, subscribeToInAppMessage,
      showContentCards, hideContentCards, requestContentCardsRefresh, subscribeToContentCardsUpdates,
      getCachedContentCards,
    } from '@braze/web-sdk';`,
  },
  {
    name: '@adobe/alloy',
    what: 'the Web SDK as its `alloy.js` ships it, every component',
    entry: `export { createInstance } from '@adobe/alloy';`,
  },
];

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Each file of the CDN bundle, by the name rollup gave it without its hash (`chunks/ledger-BQvw.js` → `ledger`). */
function opslotRows() {
  const manifestPath = join(CDN, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new Error('build first (pnpm build): packages/elements/dist/cdn/manifest.json is missing');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const measure = (file) => {
    const bytes = readFileSync(join(CDN, file));
    return { min: bytes.length, gzip: gzip(bytes) };
  };
  const firstCreative = new Set();
  const visit = (file) => {
    if (firstCreative.has(file)) return;
    firstCreative.add(file);
    for (const imported of manifest[file]?.imports ?? []) visit(imported);
  };
  visit('opslot.js');
  const sum = (files) =>
    files.map(measure).reduce((total, each) => ({ min: total.min + each.min, gzip: total.gzip + each.gzip }), {
      min: 0,
      gzip: 0,
    });
  const lazy = Object.keys(manifest)
    .filter((file) => !firstCreative.has(file))
    .sort();
  return [
    {
      sdk: 'opslot',
      what: `before the first creative (${[...firstCreative].join(' + ')})`,
      ...sum([...firstCreative]),
    },
    ...lazy.map((file) => ({
      sdk: 'opslot',
      what: `lazy: ${file.replace(/^chunks\//, '').replace(/-[\w-]{8}\.js$/, '')}`,
      ...measure(file),
    })),
    { sdk: 'opslot', what: 'everything, every lazy chunk loaded', ...sum(Object.keys(manifest)) },
  ];
}

async function bundlePeer(folder, peer) {
  const result = await build({
    stdin: { contents: peer.entry, resolveDir: folder, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    define: peer.define ?? {},
    nodePaths: [join(folder, 'node_modules')],
  });
  const bytes = result.outputFiles[0].contents;
  return { min: bytes.length, gzip: gzip(bytes) };
}

/** Measures opslot and the peers; a peer that cannot be installed or bundled gets a row that says why. */
export async function benchBundleBytes({ tempDir }) {
  const rows = opslotRows();
  const folder = join(tempDir, 'peers');
  let versions;
  try {
    versions = await installFromRegistry(folder, [...new Set(PEERS.map((peer) => peer.name))]);
  } catch (error) {
    return { rows, notes: [`Peers not measured: ${error.message}`] };
  }
  const notes = [
    'Peers: the entry below, bundled with esbuild (bundle, minify, format esm, platform browser, target es2022):',
    ...PEERS.map(
      (peer) =>
        `- ${peer.name}, ${peer.what}: \`${peer.entry.replace(/\s+/g, ' ')}\`` +
        (peer.define ? ` (esbuild \`define\`: ${JSON.stringify(peer.define)})` : ''),
    ),
  ];
  for (const peer of PEERS) {
    const sdk = `${peer.name}@${versions[peer.name]}`;
    try {
      rows.push({ sdk, what: peer.what, ...(await bundlePeer(folder, peer)) });
    } catch (error) {
      notes.push(`${sdk} (${peer.what}) not measured: ${error.errors?.[0]?.text ?? error.message}`);
    }
  }
  return { rows, notes };
}

// What the browser talks to during the bench: the real reference server (on a database in the temp folder) behind
// a small proxy on loopback. The proxy holds `POST /v1/decisions` for a fixed delay (a decision service's latency,
// the same for every page measured, and outside the browser so that no request interception skews the page), counts
// every request a page makes, and serves the bench's own pages: a copy of any page without the SDK's script tag, the
// floor page of the paint benchmark and the ten-slot page.
import { mkdirSync, readFileSync } from 'node:fs';
import { Agent, createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serveExamples } from '../lib/serve-examples.mjs';
import { ROOT } from '../lib/toolchain.mjs';

const PAGES = join(ROOT, 'scripts/bench/pages');

/** The prefix under which the proxy serves any upstream page with the SDK's script tag taken out. */
export const WITHOUT_SDK = '/bench/without-sdk';

/** The SDK's tag as every page carries it; a page without it cannot be served "without the SDK" by removing it. */
const SDK_SCRIPT_TAG = /<script\b[^>]*\bsrc="\/sdk\/opslot\.js"[^>]*><\/script>\s*/;

/** Takes the SDK's script tag out of a page, or puts `replacement` in its place. */
export function replaceSdkTag(html, replacement = '') {
  if (!SDK_SCRIPT_TAG.test(html)) throw new Error('the page has no <script src="/sdk/opslot.js"> tag');
  return html.replace(SDK_SCRIPT_TAG, replacement);
}

/**
 * Starts the server and the proxy. `seedPath` replaces the shipped catalogue (the ten-slot page's); without one,
 * the server is started exactly as `npm start` and the end-to-end tests start it (`serveExamples`).
 * Resolves with `{ origin, requests, get(path), setPage(path, html), close() }`; `requests` lists what reached the
 * proxy: `{ at, method, path, fetchMode, contentType, body }`.
 */
export async function startBenchSite({ dataDir, seedPath, decisionDelayMs = 0 }) {
  mkdirSync(dataDir, { recursive: true });
  const upstream = seedPath
    ? await serveWithSeed(dataDir, seedPath)
    : await serveExamples({
        port: 0,
        databasePath: join(dataDir, 'opslot.sqlite'),
        log: () => {},
      });
  // Keep-alive, like a browser's connection to a real server: no TCP handshake per proxied request.
  const agent = new Agent({ keepAlive: true });
  const requests = [];
  const pages = new Map();

  const forward = (incoming, body, response) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', (error) => {
      response.writeHead(502).end(String(error));
    });
    outgoing.end(body);
  };

  const get = (path) =>
    new Promise((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: upstream.port, path, agent }, (answer) => {
        let text = '';
        answer.setEncoding('utf8');
        answer.on('data', (chunk) => {
          text += chunk;
        });
        answer.on('end', () =>
          answer.statusCode === 200 ? resolve(text) : reject(new Error(`GET ${path}: ${answer.statusCode}`)),
        );
      })
        .on('error', reject)
        .end();
    });

  const serveOwn = async (path) => {
    if (pages.has(path)) return pages.get(path);
    if (path.startsWith(`${WITHOUT_SDK}/`)) return replaceSdkTag(await get(path.slice(WITHOUT_SDK.length)));
    if (path === '/bench/ten-slots.css') return readFileSync(join(PAGES, 'ten-slots.css'), 'utf8');
    return undefined;
  };

  const proxy = createServer((incoming, response) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      const path = new URL(incoming.url ?? '/', 'http://bench').pathname;
      requests.push({
        at: performance.now(),
        method: incoming.method,
        path,
        fetchMode: incoming.headers['sec-fetch-mode'],
        contentType: incoming.headers['content-type'],
        body: body.toString('utf8'),
      });
      if (path.startsWith('/bench/')) {
        try {
          const page = await serveOwn(path);
          if (page === undefined) response.writeHead(404).end();
          else {
            const type = path.endsWith('.css') ? 'text/css' : 'text/html';
            response
              .writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' })
              .end(page);
          }
        } catch (error) {
          response.writeHead(502, { 'Content-Type': 'text/plain' }).end(String(error));
        }
        return;
      }
      if (incoming.method === 'POST' && path === '/v1/decisions' && decisionDelayMs > 0) {
        setTimeout(() => forward(incoming, body, response), decisionDelayMs);
      } else {
        forward(incoming, body, response);
      }
    });
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));

  return {
    origin: `http://127.0.0.1:${proxy.address().port}`,
    requests,
    get,
    /** Serves `html` at `path` (under `/bench/`). */
    setPage(path, html) {
      pages.set(path, html);
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      agent.destroy();
      await upstream.close();
    },
  };
}

/** The reference server on another catalogue, with the same static files as `serveExamples`. */
async function serveWithSeed(dataDir, seedPath) {
  const { createOpslotServer } = await import(pathToFileURL(join(ROOT, 'packages/server/dist/index.js')).href);
  const server = createOpslotServer({
    databasePath: join(dataDir, 'opslot.sqlite'),
    seedPath,
    staticMounts: [
      { urlPrefix: '/sdk/', dir: join(ROOT, 'packages/elements/dist/cdn') },
      { urlPrefix: '/examples/', dir: join(ROOT, 'examples') },
    ],
  });
  const address = await server.listen(0, '127.0.0.1');
  return { port: address.port, close: () => server.close() };
}

/** The ten-slot page for the bench seed's slots (see bench-seed.mjs). */
export function tenSlotsPage({ channel, slots }) {
  const [first] = slots;
  return readFileSync(join(PAGES, 'ten-slots.html'), 'utf8')
    .replace(/<!--[\s\S]*?-->\n/, '')
    .replaceAll('{{count}}', String(slots.length))
    .replaceAll('{{channel}}', channel)
    .replaceAll('{{slot-width}}', String(first.width))
    .replace(
      '{{slots}}',
      slots
        .map(
          (slot) =>
            `    <op-slot slot-id="${slot.id}" size="${slot.width}x${slot.height}" style="--slot-ratio: ${slot.width} / ${slot.height}"></op-slot>`,
        )
        .join('\n'),
    );
}

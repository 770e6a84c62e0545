// Wires the repository's layout into the reference server: the example pages, their index, the CDN bundle and
// the partner bundle as static files beside the API. Used by `npm start` and by the end-to-end tests.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './toolchain.mjs';

/**
 * The policy the strict-CSP example page is served with: no inline script or style, no eval, and Trusted Types for
 * every DOM sink (Lit's own policy is `lit-html`). The SDK must run under it without a single violation.
 */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html opslot',
].join('; ');

/** Starts the built server on `port` (0 for any free one); resolves with `{ port, close() }`. */
export async function serveExamples({ port, host = '127.0.0.1', databasePath, log }) {
  const { createOpslotServer } = await import(pathToFileURL(join(ROOT, 'packages/server/dist/index.js')).href);
  const server = await createOpslotServer({
    databasePath,
    staticMounts: [
      { urlPrefix: '/sdk/', dir: join(ROOT, 'packages/elements/dist/cdn') },
      { urlPrefix: '/partner/', dir: join(ROOT, 'packages/partner/dist/cdn') },
      { urlPrefix: '/examples/', dir: join(ROOT, 'examples') },
      {
        urlPrefix: '/examples/strict-csp/',
        dir: join(ROOT, 'examples/strict-csp'),
        headers: { 'Content-Security-Policy': STRICT_CSP },
      },
    ],
    indexFile: join(ROOT, 'examples/index.html'),
    // The example pages are QA's test environment: ?opslot_force=slot:creative works there.
    allowForce: true,
    ...(log ? { log } : {}),
  });
  const address = await server.listen(port, host);
  return { port: address.port, close: () => server.close() };
}

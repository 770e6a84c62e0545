import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ErrorResponse } from '@opslot/core';
import type { TestServer } from './test-support/start-test-server.js';
import { makeTempDir, rawRequest, startTestServer } from './test-support/start-test-server.js';

const SECRET = 'do-not-serve-this';

function writeSite(dir: string): { examples: string; sdk: string; index: string } {
  const site = join(dir, 'site');
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>opslot examples</title>',
    'package.json': `{"secret":"${SECRET}"}`,
    'examples/style.css': 'body { margin: 0 }',
    'examples/corporate-web/index.html': '<!doctype html><title>企业网银首页</title>',
    'examples/corporate-web/app.js': 'export const page = "home";',
    'examples/.env': SECRET,
    'examples/notes.xyz': 'bytes',
    'sdk/opslot.js': 'export {};',
    'sdk/chunk-a1b2.mjs': 'export {};',
    'sdk/opslot.js.map': '{"version":3}',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(site, path, '..'), { recursive: true });
    writeFileSync(join(site, path), content);
  }
  symlinkSync(join(site, 'package.json'), join(site, 'examples', 'escape.json'));
  return { examples: join(site, 'examples'), sdk: join(site, 'sdk'), index: join(site, 'index.html') };
}

describe('static mounts', () => {
  let t: TestServer;
  before(async () => {
    const dir = makeTempDir();
    const site = writeSite(dir);
    t = await startTestServer({
      dir,
      staticMounts: [
        { urlPrefix: '/examples/', dir: site.examples },
        // A nested mount with headers of its own wins over the one it sits in, being the longer prefix.
        {
          urlPrefix: '/examples/corporate-web/',
          dir: join(site.examples, 'corporate-web'),
          headers: { 'Content-Security-Policy': "default-src 'self'" },
        },
        { urlPrefix: '/sdk', dir: site.sdk },
      ],
      indexFile: site.index,
    });
  });
  after(() => t.dispose());

  test('serves the index file at / as HTML that is always revalidated', async () => {
    const res = await fetch(`${t.origin}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await res.text(), /opslot examples/);
  });

  test("sends a mount's own headers with its files, and only with them", async () => {
    const page = await fetch(`${t.origin}/examples/corporate-web/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), "default-src 'self'");
    const other = await fetch(`${t.origin}/examples/style.css`);
    assert.equal(other.headers.get('content-security-policy'), null);
  });

  test('serves each kind of file with its content type', async () => {
    const expected: Record<string, string> = {
      '/examples/style.css': 'text/css; charset=utf-8',
      '/examples/corporate-web/app.js': 'text/javascript; charset=utf-8',
      '/sdk/opslot.js': 'text/javascript; charset=utf-8',
      '/sdk/chunk-a1b2.mjs': 'text/javascript; charset=utf-8',
      '/sdk/opslot.js.map': 'application/json; charset=utf-8',
      '/examples/notes.xyz': 'application/octet-stream',
    };
    for (const [path, type] of Object.entries(expected)) {
      const res = await fetch(`${t.origin}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      await res.arrayBuffer();
    }
  });

  test('redirects a directory to its slash form and serves its index.html', async () => {
    const redirect = await rawRequest(t.port, '/examples/corporate-web?debug=1');
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, '/examples/corporate-web/?debug=1');
    assert.equal((await rawRequest(t.port, '/examples')).headers.location, '/examples/');
    const page = await fetch(`${t.origin}/examples/corporate-web/`);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await page.text(), /企业网银首页/);
  });

  test('answers HEAD without a body and a matching If-None-Match with 304', async () => {
    const head = await rawRequest(t.port, '/sdk/opslot.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '10');
    assert.equal(head.body, '');
    const etag = String(head.headers.etag);
    const again = await rawRequest(t.port, '/sdk/opslot.js', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
  });

  test('refuses to write: POST → 405 with Allow', async () => {
    const res = await fetch(`${t.origin}/examples/style.css`, { method: 'POST', body: 'x' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  test('never serves a file outside its mount, however the path is spelled', async () => {
    const attempts: [string, number][] = [
      ['/examples/../package.json', 404],
      ['/examples/%2e%2e/package.json', 404],
      ['/examples/%2E%2E%2Fpackage.json', 404],
      ['/examples/..%2fpackage.json', 404],
      ['/examples/..%5cpackage.json', 404],
      ['/examples/corporate-web/..%2F..%2Fpackage.json', 404],
      ['/examples/%c0%ae%c0%ae/package.json', 400],
      ['/examples/corporate-web/index.html%00.css', 400],
      ['/examples/.env', 404],
      ['/examples/escape.json', 404],
      ['/examples//package.json', 404],
      ['/assets/creatives/..%2f..%2fseed.json', 404],
    ];
    for (const [path, status] of attempts) {
      const res = await rawRequest(t.port, path);
      assert.equal(res.status, status, path);
      assert.ok(!res.body.includes(SECRET), path);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', path);
      assert.ok(['not-found', 'invalid-path'].includes((JSON.parse(res.body) as ErrorResponse).error.code), path);
    }
  });

  test('serves the seed creatives as locked-down SVG; unknown ones are 404', async () => {
    const res = await fetch(`${t.origin}/assets/creatives/beiyu-home-side.svg`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=3600');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal((await fetch(`${t.origin}/assets/creatives/missing.svg`)).status, 404);
    assert.equal((await fetch(`${t.origin}/assets/creatives/seed.json`)).status, 404);
  });
});

test('a static mount whose directory is missing fails at start, naming it', async (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(
    startTestServer({ dir, staticMounts: [{ urlPrefix: '/examples/', dir: join(dir, 'nope') }] }),
    /Static mount \/examples\/: directory .*nope does not exist/,
  );
});

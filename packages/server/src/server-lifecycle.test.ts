import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { dirname, extname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ErrorResponse, StatsResponse } from '@opslot/core';
import { createOpslotServer } from './create-opslot-server.js';
import type { TestServer } from './test-support/start-test-server.js';
import { beaconEvent, makeTempDir, rawRequest, startTestServer, writeSeed } from './test-support/start-test-server.js';

const BANK = 'https://ebank.demobank.example';

describe('CORS', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ allowedOrigins: [`${BANK}:443/`] });
  });
  after(() => t.dispose());

  const preflight = (origin: string) =>
    rawRequest(t.port, '/v1/events', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
  const postEvent = (origin: string) =>
    rawRequest(t.port, '/v1/events', {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'text/plain' },
      body: JSON.stringify({ v: 1, events: [beaconEvent({ creativeId: 'cr-demobank-payroll-side' })] }),
    });
  const payrollRenders = async () => {
    const stats = (await (
      await fetch(`${t.origin}/v1/stats?creativeId=cr-demobank-payroll-side`)
    ).json()) as StatsResponse;
    return stats.creatives[0]?.renders;
  };

  test('answers the preflight of an allowed origin', async () => {
    const res = await preflight(BANK);
    assert.equal(res.status, 204);
    assert.equal(res.headers['access-control-allow-origin'], BANK);
    assert.equal(res.headers['access-control-allow-methods'], 'POST, OPTIONS');
    assert.equal(res.headers['access-control-allow-headers'], 'Content-Type');
    assert.equal(res.headers.vary, 'Origin');
  });

  test('lets an allowed origin read the answers of its writes and reads', async () => {
    const res = await postEvent(BANK);
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], BANK);
    const stats = await rawRequest(t.port, '/v1/stats', { headers: { Origin: BANK } });
    assert.equal(stats.headers['access-control-allow-origin'], BANK);
  });

  test('gives any other origin no CORS header, and refuses its preflight and its writes', async () => {
    const evil = 'https://evil.example';
    const refused = await preflight(evil);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);

    const before = await payrollRenders();
    const write = await postEvent(evil);
    assert.equal(write.status, 403);
    assert.equal((JSON.parse(write.body) as ErrorResponse).error.code, 'origin-not-allowed');
    assert.equal(write.headers['access-control-allow-origin'], undefined);
    assert.equal(await payrollRenders(), before);

    const read = await rawRequest(t.port, '/v1/stats', { headers: { Origin: evil } });
    assert.equal(read.status, 200);
    assert.equal(read.headers['access-control-allow-origin'], undefined);
  });

  test('needs nothing for a same-origin write', async () => {
    const res = await postEvent(t.origin);
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });
});

test('sets the security headers on every kind of answer', async (t) => {
  const server = await startTestServer();
  t.after(() => server.dispose());
  for (const path of ['/v1/health', '/v1/nope', '/assets/creatives/qiwu-home-strip.svg', '/missing']) {
    const res = await fetch(`${server.origin}${path}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN', path);
    await res.arrayBuffer();
  }
});

test('a server given a log gets one line per answered request, with its status', async (t) => {
  const lines: string[] = [];
  const server = await startTestServer({ log: (line) => lines.push(line) });
  t.after(() => server.dispose());
  for (const path of ['/v1/health', '/v1/nope?x=1']) await (await fetch(`${server.origin}${path}`)).arrayBuffer();
  await server.close();
  const requests = lines.filter((line) => /^GET /.test(line));
  assert.equal(requests.length, 2, lines.join('\n'));
  assert.match(requests[0] ?? '', /^GET \/v1\/health 200 \d+ms$/);
  assert.match(requests[1] ?? '', /^GET \/v1\/nope\?x=1 404 \d+ms$/);
});

test('an origin that is not one fails at start', async (t) => {
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(
    startTestServer({ dir, allowedOrigins: ['ebank.demobank.example'] }),
    /allowedOrigins: ebank\.demobank\.example is not an origin/,
  );
});

test('a taken port rejects listen() with code EADDRINUSE', async (t) => {
  const running = await startTestServer();
  t.after(() => running.dispose());
  const dir = makeTempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const second = createOpslotServer({ databasePath: join(dir, 'opslot.sqlite') });
  t.after(() => second.close());
  await assert.rejects(second.listen(running.port, '127.0.0.1'), { code: 'EADDRINUSE' });
});

test('close() ends idle keep-alive connections at once and closes the database cleanly', async (t) => {
  const server = await startTestServer();
  t.after(() => server.dispose());
  await (await fetch(`${server.origin}/v1/health`)).arrayBuffer();
  const started = Date.now();
  await server.close();
  assert.ok(Date.now() - started < 1_000);
  // SQLite checkpoints and removes the write-ahead log when its last connection closes.
  assert.ok(!existsSync(`${server.databasePath}-wal`));
  await server.close();
});

describe('the command line', () => {
  const self = fileURLToPath(import.meta.url);
  const main = join(dirname(self), `main${extname(self)}`);
  const nodeArgs = extname(self) === '.ts' ? ['--import', import.meta.resolve('tsx')] : [];

  const run = (args: string[], env: Record<string, string>) => {
    const child = spawn(process.execPath, [...nodeArgs, main, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { child, exited, output: () => ({ stdout, stderr }) };
  };

  test('prints one clear line and exits 1 when the port is taken', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    t.after(() => blocker.close());
    const { port } = blocker.address() as AddressInfo;

    const cli = run([], { PORT: String(port), OPSLOT_DATA_DIR: join(dir, 'data') });
    assert.equal(await cli.exited, 1);
    assert.equal(
      cli.output().stderr,
      `Port ${port} is already in use. Stop the other process or set PORT to a free port.\n`,
    );
  });

  test('creates its data folder, serves, and exits 0 on SIGTERM', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const cli = run([], { PORT: '0', OPSLOT_DATA_DIR: join(dir, 'data') });
    t.after(() => cli.child.kill('SIGKILL'));
    const port = await new Promise<string>((resolve) => {
      cli.child.stdout.on('data', () => {
        const match = /opslot server on http:\/\/127\.0\.0\.1:(\d+)\//.exec(cli.output().stdout);
        if (match?.[1]) resolve(match[1]);
      });
    });
    assert.deepEqual(await (await fetch(`http://127.0.0.1:${port}/v1/health`)).json(), { ok: true });
    assert.ok(existsSync(join(dir, 'data', 'opslot.sqlite')));
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
    assert.match(cli.output().stdout, /GET \/v1\/health 200 \d+ms/);
  });

  test('prints the seed problems without a stack trace and exits 1', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const seedPath = writeSeed(dir, (seed) => {
      const first = seed.creatives[0];
      assert.ok(first);
      first.landingUrl = 'https://phish.example/';
    });
    const cli = run(['--seed', seedPath], { PORT: '0', OPSLOT_DATA_DIR: join(dir, 'data') });
    assert.equal(await cli.exited, 1);
    const { stderr } = cli.output();
    assert.match(
      stderr,
      /cannot be loaded:\n {2}- creatives\[0\]\.landingUrl: host phish\.example is not on the allowed domains/,
    );
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  test('refuses an unusable OPSLOT_SIGNING_KEY with one clear message and exits 1', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const keyPath = join(dir, 'key.json');
    writeFileSync(keyPath, 'not a key');
    const cli = run([], { PORT: '0', OPSLOT_DATA_DIR: join(dir, 'data'), OPSLOT_SIGNING_KEY: keyPath });
    assert.equal(await cli.exited, 1);
    const { stderr } = cli.output();
    assert.ok(stderr.startsWith(`The signing key ${keyPath} cannot be used: it is not JSON. `), stderr);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  test('explains a malformed --static flag', async () => {
    const cli = run(['--static', 'examples'], { PORT: '0' });
    assert.equal(await cli.exited, 1);
    assert.match(cli.output().stderr, /--static takes \/prefix\/=dir/);
  });
});

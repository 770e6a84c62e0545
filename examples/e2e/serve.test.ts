// What a person sees of `npm start` once it has built: the server answers on every public path, a taken port is
// one clear line, and Ctrl-C stops it cleanly. (scripts/serve.mjs is the part of `npm start` that serves.)
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SERVE = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'opslot-serve-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function serve(port: number): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [SERVE], {
    env: { ...process.env, PORT: String(port), OPSLOT_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

async function until(condition: () => RegExpMatchArray | null, what: string): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const match = condition();
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('serving the example pages (npm start)', () => {
  it('answers on /, the example page, the SDK and partner bundles and the API, and stops cleanly on Ctrl-C', async () => {
    const { child, output } = serve(0);
    const [, origin] = await until(() => output().match(/opslot is running at (http:\/\/[\d.]+:\d+)\//), 'the banner');

    const expected: [path: string, type: RegExp][] = [
      ['/', /text\/html/],
      ['/examples/corporate-web/', /text\/html/],
      ['/sdk/opslot.js', /javascript/],
      ['/partner/partner.js', /javascript/],
      ['/v1/stats', /application\/json/],
    ];
    for (const [path, type] of expected) {
      const response = await fetch(`${origin}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', type, path);
    }

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(output(), /opslot stopped\./);
  });

  it('says in one line that the port is taken, without a stack trace', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const { child, output } = serve(port);
      const [code] = await once(child, 'exit');
      assert.equal(code, 1);
      assert.match(output(), new RegExp(`Port ${port} is already in use\\. Stop the other process or set PORT`));
      assert.doesNotMatch(output(), /^\s+at /m);
    } finally {
      blocker.close();
    }
  });
});

import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { after, before, describe, test } from 'node:test';
import type { DecisionResponse } from '@opslot/core';
import { createAjv } from './create-ajv.js';
import type { KeysResponse } from './handle-keys.js';
import { SIGNING_KEY_FILE } from './load-signing-key.js';
import { readProtocolSchema } from './protocol-validators.js';
import { SigningKeyError } from './signing-key-error.js';
import type { TestServer } from './test-support/start-test-server.js';
import {
  homeDecisionRequest,
  makeTempDir,
  post,
  rawRequest,
  startTestServer,
} from './test-support/start-test-server.js';

const validateResponse = createAjv().compile<DecisionResponse>(readProtocolSchema('decision-response.v1.schema.json'));
const HEADER = /^keyid="([\w-]+)", alg="ES256", sig="([\w-]+)"$/;
const BANK = 'https://ebank.demobank.example';

type Jwk = KeysResponse['keys'][number];

async function keysOf(t: TestServer): Promise<KeysResponse> {
  const res = await fetch(`${t.origin}/v1/keys`);
  assert.equal(res.status, 200);
  return (await res.json()) as KeysResponse;
}

/** The answer's raw bytes and the parts of its signature header. */
async function signedDecision(t: TestServer): Promise<{ body: Buffer; keyid: string; sig: Buffer }> {
  const res = await post(`${t.origin}/v1/decisions`, homeDecisionRequest());
  assert.equal(res.status, 200);
  const header = res.headers.get('opslot-signature') ?? '';
  const [, keyid, sig] = HEADER.exec(header) ?? [];
  assert.ok(keyid && sig, `Opslot-Signature: ${header}`);
  return { body: Buffer.from(await res.arrayBuffer()), keyid, sig: Buffer.from(sig, 'base64url') };
}

/** Starts a server that is expected not to start; should it start, it is closed, so that the run does not hang. */
function startOrClose(t: TestContext, options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const started = startTestServer(options);
  t.after(() => started.then((server) => server.close()).catch(() => {}));
  return started;
}

const verifyWith = (jwk: Jwk, body: Uint8Array, sig: Uint8Array) =>
  verify('sha256', body, { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, sig);

describe('signed decisions', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ allowedOrigins: [BANK] });
  });
  after(() => t.dispose());

  test('GET /v1/keys publishes the signing key as a cacheable JWKS whose kid is derived from the key', async () => {
    const res = await fetch(`${t.origin}/v1/keys`);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    const jwks = (await res.json()) as KeysResponse;
    assert.deepEqual(Object.keys(jwks), ['v', 'keys']);
    assert.equal(jwks.v, 1);
    assert.equal(jwks.keys.length, 1);
    const [jwk] = jwks.keys;
    assert.ok(jwk);
    assert.deepEqual(Object.keys(jwk).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    assert.deepEqual([jwk.kty, jwk.crv, jwk.alg, jwk.use], ['EC', 'P-256', 'ES256', 'sig']);
    assert.ok(!('d' in jwk), 'never the private part');
    const spki = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    assert.equal(jwk.kid, createHash('sha256').update(spki).digest().subarray(0, 8).toString('base64url'));
    assert.deepEqual(t.server.signingKey, jwk);
  });

  test('signs the exact bytes of every decision answer; one changed byte fails verification', async () => {
    const [jwk] = (await keysOf(t)).keys;
    assert.ok(jwk);
    const { body, keyid, sig } = await signedDecision(t);
    assert.equal(keyid, jwk.kid);
    assert.equal(sig.byteLength, 64, 'IEEE P1363 r‖s, not DER');
    assert.ok(verifyWith(jwk, body, sig));
    const response = JSON.parse(body.toString('utf8')) as DecisionResponse;
    assert.ok(validateResponse(response), JSON.stringify(validateResponse.errors));

    for (const at of [0, body.indexOf('"ttl":300') + 7, body.byteLength - 1]) {
      const tampered = Buffer.from(body);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      assert.ok(!verifyWith(jwk, tampered, sig), `byte ${at} changed`);
    }
    // Another answer's signature does not fit this body: every answer is signed on its own.
    const other = await signedDecision(t);
    assert.ok(!verifyWith(jwk, body, other.sig));
  });

  test('verifies with WebCrypto as a browser would, from the published JWK', async () => {
    const [jwk] = (await keysOf(t)).keys;
    assert.ok(jwk);
    const { body, sig } = await signedDecision(t);
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const key = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['verify']);
    assert.ok(await crypto.subtle.verify(algorithm, key, sig, body));
  });

  test('lets an allowed cross-origin page read the signature header', async () => {
    const allowed = await rawRequest(t.port, '/v1/decisions', {
      method: 'POST',
      headers: { Origin: BANK, 'Content-Type': 'application/json' },
      body: JSON.stringify(homeDecisionRequest()),
    });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], BANK);
    assert.equal(allowed.headers['access-control-expose-headers'], 'Opslot-Signature, Retry-After');
    assert.match(String(allowed.headers['opslot-signature']), HEADER);

    const keys = await rawRequest(t.port, '/v1/keys', { headers: { Origin: BANK } });
    assert.equal(keys.headers['access-control-allow-origin'], BANK);

    const foreign = await rawRequest(t.port, '/v1/keys', { headers: { Origin: 'https://evil.example' } });
    assert.equal(foreign.headers['access-control-expose-headers'], undefined);
  });
});

describe('the signing key file', () => {
  test('is made on first start beside the database with mode 0600, and reused after a restart', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const first = await startTestServer({ dir });
    t.after(() => first.close());
    const before = await keysOf(first);
    const signed = await signedDecision(first);
    await first.close();

    const path = join(dir, SIGNING_KEY_FILE);
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    const file = JSON.parse(readFileSync(path, 'utf8')) as { kid: string; privateKey: { d?: string } };
    assert.equal(file.kid, before.keys[0]?.kid);
    assert.equal(typeof file.privateKey.d, 'string');

    const second = await startTestServer({ dir });
    t.after(() => second.close());
    const after = await keysOf(second);
    assert.deepEqual(after, before, 'same kid, same public key');
    const [jwk] = after.keys;
    assert.ok(jwk);
    // A page that pinned the key before the restart still accepts answers signed after it, and old ones too.
    const fresh = await signedDecision(second);
    assert.ok(verifyWith(jwk, fresh.body, fresh.sig));
    assert.ok(verifyWith(jwk, signed.body, signed.sig));
  });

  test('lives at signingKeyPath when that is given', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const signingKeyPath = join(dir, 'elsewhere.json');
    const server = await startTestServer({ dir, signingKeyPath });
    t.after(() => server.close());
    const file = JSON.parse(readFileSync(signingKeyPath, 'utf8')) as { kid: string };
    assert.equal(file.kid, (await keysOf(server)).keys[0]?.kid);
    assert.throws(() => statSync(join(dir, SIGNING_KEY_FILE)), { code: 'ENOENT' });
  });

  const corruptions: { name: string; edit: (text: string) => string; problem: RegExp }[] = [
    { name: 'not JSON', edit: (text) => text.slice(0, 40), problem: /it is not JSON/ },
    { name: 'an empty file', edit: () => '', problem: /it is not JSON/ },
    { name: 'another kind of file', edit: () => '{"keys":[]}', problem: /not an opslot key file/ },
    {
      name: 'a damaged private key',
      edit: (text) => text.replace(/"d": "[^"]+"/, '"d": "AAAA"'),
      problem: /privateKey is not a private JWK|public coordinates do not belong/,
    },
    {
      name: 'the public coordinates of another key',
      edit: (text) => {
        const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
        return text.replace(/"x": "[^"]+"/, `"x": "${other.x}"`).replace(/"y": "[^"]+"/, `"y": "${other.y}"`);
      },
      problem: /its public coordinates do not belong to its private key/,
    },
    {
      name: 'a kid that is not its key’s',
      edit: (text) => text.replace(/"kid": "[^"]+"/, '"kid": "AAAAAAAAAAA"'),
      problem: /kid "AAAAAAAAAAA" is not the id of its key/,
    },
  ];
  for (const { name, edit, problem } of corruptions) {
    test(`${name} stops the start with a clear message and is left as it is`, async (t) => {
      const dir = makeTempDir();
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      await (await startTestServer({ dir })).close();
      const path = join(dir, SIGNING_KEY_FILE);
      const broken = edit(readFileSync(path, 'utf8'));
      writeFileSync(path, broken);

      await assert.rejects(startOrClose(t, { dir }), (error: unknown) => {
        assert.ok(error instanceof SigningKeyError);
        assert.ok(error.message.startsWith(`The signing key ${path} cannot be used: `), error.message);
        assert.match(error.message, problem);
        assert.match(error.message, /Restore it from a backup/);
        return true;
      });
      assert.equal(readFileSync(path, 'utf8'), broken, 'never silently regenerated');
    });
  }

  test('a folder that cannot hold the key stops the start with a clear message', async (t) => {
    const dir = makeTempDir();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    await assert.rejects(
      startOrClose(t, { dir, signingKeyPath: join(dir, 'missing-folder', 'key.json') }),
      /cannot be used: it cannot be written .*Make its folder exist/,
    );
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createPreviewTokens, loadPreviewSecret, PREVIEW_TOKEN_TTL_MS } from './preview-token.js';
import { makeTempDir } from './test-support/start-test-server.js';

const claims = { partnerId: 'partner-chengchuan', creativeId: 'cr-0123456789abcdef', slotId: 'home-banner' };

test('a token verifies with its claims until it expires, then is refused as expired', () => {
  let now = 1_767_225_600_000;
  const tokens = createPreviewTokens(randomBytes(32), () => now);
  const { token, expiresAt } = tokens.issue(claims);
  assert.equal(expiresAt, now + PREVIEW_TOKEN_TTL_MS);
  assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(tokens.verify(token), { ok: true, claims: { ...claims, exp: expiresAt } });
  now = expiresAt - 1;
  assert.equal(tokens.verify(token).ok, true);
  now = expiresAt;
  assert.deepEqual(tokens.verify(token), { ok: false, reason: 'expired' });
});

test('forged tokens are invalid: another secret, an edited payload, a bad MAC, garbage', () => {
  const tokens = createPreviewTokens(randomBytes(32));
  const { token } = createPreviewTokens(randomBytes(32)).issue(claims);
  assert.deepEqual(tokens.verify(token), { ok: false, reason: 'invalid' });

  const genuine = tokens.issue(claims).token;
  const [payload, mac] = genuine.split('.') as [string, string];
  const edited = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), slotId: 'home-side' }),
  ).toString('base64url');
  assert.deepEqual(tokens.verify(`${edited}.${mac}`), { ok: false, reason: 'invalid' });
  const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
  assert.deepEqual(tokens.verify(`${payload}.${flipped}`), { ok: false, reason: 'invalid' });
  for (const junk of ['', 'x', `${payload}.`, `${payload}.${mac}.x`, '..', 'a.b']) {
    assert.deepEqual(tokens.verify(junk), { ok: false, reason: 'invalid' }, junk);
  }
});

test('the secret is made once with mode 0600 and reused; a damaged file stops the start', () => {
  const dir = makeTempDir();
  try {
    const path = join(dir, 'opslot-preview-secret');
    const first = loadPreviewSecret(path);
    assert.equal(first.length, 32);
    if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(loadPreviewSecret(path), first);
    assert.equal(readFileSync(path, 'utf8').trim(), first.toString('hex'));
    writeFileSync(path, 'not a secret');
    assert.throws(() => loadPreviewSecret(path), /not 64 hex digits/);
    rmSync(path);
    assert.notDeepEqual(loadPreviewSecret(path), first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

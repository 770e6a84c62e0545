import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCliArgs } from './parse-cli-args.js';

test('the admin token comes from --admin-token, else OPSLOT_ADMIN_TOKEN, else the development default', () => {
  const token = 'a'.repeat(40);
  assert.equal(parseCliArgs([], {}, '/srv').adminToken, undefined);
  assert.equal(parseCliArgs([], { OPSLOT_ADMIN_TOKEN: token }, '/srv').adminToken, token);
  assert.equal(
    parseCliArgs(['--admin-token', `${token}b`], { OPSLOT_ADMIN_TOKEN: token }, '/srv').adminToken,
    `${token}b`,
  );
  assert.throws(() => parseCliArgs([], { OPSLOT_ADMIN_TOKEN: 'short' }, '/srv'), /at least 32 characters/);
  assert.throws(() => parseCliArgs([], { OPSLOT_ADMIN_TOKEN: `${token} x` }, '/srv'), /without spaces/);
});

test('--audience names the audience file, resolved against the working folder', () => {
  assert.equal(
    parseCliArgs(['--audience', 'pilot/audience.json'], {}, '/srv').audiencePath,
    '/srv/pilot/audience.json',
  );
});

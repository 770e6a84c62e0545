import type { ServerResponse } from 'node:http';
import type { PublicSigningJwk, SigningKey } from './load-signing-key.js';
import { sendJson } from './respond.js';

/** Answer to `GET /v1/keys`: a JSON Web Key Set with a protocol version. */
export interface KeysResponse {
  v: 1;
  keys: PublicSigningJwk[];
}

/**
 * `GET /v1/keys`: the public keys that decision answers are signed with. Cacheable for a few minutes: pages do not
 * fetch it (they pin keys in their configuration), people and deploy scripts do.
 */
export function handleKeys(res: ServerResponse, signingKey: SigningKey): void {
  const body: KeysResponse = { v: 1, keys: [signingKey.publicJwk] };
  sendJson(res, 200, body, { 'Cache-Control': 'public, max-age=300' });
}

/** The signature algorithms of the `Opslot-Signature` header: ECDSA P-256 with SHA-256, and Ed25519. */
export type SignatureAlgorithm = 'ES256' | 'EdDSA';

/** A public key that decision answers may be signed with, ready for `crypto.subtle.verify`. */
export interface VerificationKey {
  /** The JWK's `kid`. A key without one is tried whatever `keyid` a signature names. */
  kid?: string;
  alg: SignatureAlgorithm;
  key: CryptoKey;
}

// One object serves both importKey and verify: WebCrypto ignores the members an operation does not use.
const ALGORITHMS = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
} as const;

// Quoted values hold no comma, so a header is split on commas first; names are case-sensitive.
const PARAM = /^\s*(keyid|alg|sig)="([^"]*)"\s*$/;
// Both algorithms sign with 64 bytes: 86 base64url characters, unpadded.
const SIG = /^[\w-]{86}$/;

/**
 * Imports the public keys that decision answers must be signed with: one JWK or an array of them. EC P-256 keys
 * verify ES256, OKP Ed25519 keys verify EdDSA where the browser has it. Only `kty`, `crv`, `x`, `y` and `kid` are
 * read, so a JWK's `key_ops` or private `d` cannot get in the way. Anything else, malformed or not importable is
 * skipped. Never rejects; resolves to `[]` where there is no WebCrypto (outside secure contexts), so that
 * {@link verifySignature} then refuses everything.
 *
 * @param subtle Default `crypto.subtle`.
 * @example
 * const keys = await importVerificationKeys(config.publicKey); // [{ kid: 'k1', alg: 'ES256', key }]
 */
export async function importVerificationKeys(
  jwks: unknown,
  subtle = globalThis.crypto?.subtle,
): Promise<VerificationKey[]> {
  try {
    const keys = await Promise.all(
      (Array.isArray(jwks) ? jwks : [jwks]).map(async (jwk: JsonWebKey | undefined) => {
        try {
          const { kty, crv, x, y, kid } = jwk as JsonWebKey & { kid?: unknown };
          const alg: SignatureAlgorithm | 0 =
            kty === 'EC' && crv === 'P-256' ? 'ES256' : kty === 'OKP' && crv === 'Ed25519' ? 'EdDSA' : 0;
          if (!alg) return;
          const key = await subtle.importKey('jwk', { kty, crv, x, y }, ALGORITHMS[alg], false, ['verify']);
          return typeof kid === 'string' ? { kid, alg, key } : { alg, key };
        } catch {
          // Not a key WebCrypto accepts (bad point, no Ed25519 in this browser, no WebCrypto at all): skipped.
        }
      }),
    );
    return keys.filter((key) => key !== undefined);
  } catch {
    // Only a hostile array (a Proxy whose reads throw) gets here.
    return [];
  }
}

/**
 * Checks an `Opslot-Signature` header, `keyid="…", alg="ES256"|"EdDSA", sig="<base64url>"`, against the exact
 * bytes of the body. The header is parsed strictly: `alg` and `sig` are required, `keyid` optional, no parameter may
 * repeat or be unknown, and `sig` must be 64 bytes of unpadded base64url. The keys tried are those of the header's
 * algorithm whose `kid` is the header's `keyid` or who have no `kid`; every key of the algorithm when the header names
 * none. Resolves false for a missing or malformed header, no matching key, or no WebCrypto: it fails closed.
 * Never rejects.
 *
 * @param subtle Default `crypto.subtle`.
 * @example
 * const ok = await verifySignature(keys, response.headers.get('opslot-signature'), await response.arrayBuffer());
 */
export async function verifySignature(
  keys: readonly VerificationKey[],
  headerValue: string | null,
  body: BufferSource,
  subtle = globalThis.crypto?.subtle,
): Promise<boolean> {
  try {
    const params: Record<string, string> = {};
    for (const part of (headerValue as string).split(',')) {
      const [, name, value] = PARAM.exec(part) ?? [];
      if (!name || Object.hasOwn(params, name)) return false;
      params[name] = value as string;
    }
    const { keyid, alg, sig } = params;
    if ((alg !== 'ES256' && alg !== 'EdDSA') || !SIG.test(sig as string)) return false;
    const bytes = Uint8Array.from(atob((sig as string).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    for (const key of keys) {
      if (
        key.alg === alg &&
        (keyid === undefined || key.kid === undefined || key.kid === keyid) &&
        (await subtle.verify(ALGORITHMS[alg], key.key, bytes, body))
      ) {
        return true;
      }
    }
  } catch {
    // A null header, no WebCrypto, or a key WebCrypto refuses for this algorithm: not verified.
  }
  return false;
}

/** Checks an `Opslot-Signature` header over the body bytes it came with; never rejects. */
export type SignatureVerifier = (headerValue: string | null, body: BufferSource) => Promise<boolean>;

/**
 * The `verify` option of the decision client for these JWKs (see {@link importVerificationKeys}): the keys are
 * imported once, now, and every call checks one answer with {@link verifySignature}. Never rejects.
 *
 * @param subtle Default `crypto.subtle`.
 * @example
 * createDecisionClient({ endpoint, verify: createSignatureVerifier(config.publicKey) });
 */
export function createSignatureVerifier(jwks: unknown, subtle = globalThis.crypto?.subtle): SignatureVerifier {
  const keys = importVerificationKeys(jwks, subtle);
  return async (headerValue, body) => verifySignature(await keys, headerValue, body, subtle);
}

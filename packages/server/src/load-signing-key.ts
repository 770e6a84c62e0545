import type { JsonWebKey, KeyObject } from 'node:crypto';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SigningKeyError } from './signing-key-error.js';
import { writeFileAtomically } from './write-file-atomically.js';

/** Name of the key file beside the database, unless `signingKeyPath` names another file. */
export const SIGNING_KEY_FILE = 'opslot-signing-key.json';

/** Response header carrying the detached signature of a decision answer; docs/protocol.md gives its grammar. */
export const SIGNATURE_HEADER = 'Opslot-Signature';

/** The reference server signs with ECDSA over P-256 with SHA-256, the signature as r‖s (what WebCrypto verifies). */
const ALG = 'ES256';

/**
 * A public signing key as published at `GET /v1/keys` and pinned in page configuration. A type rather than an
 * interface, so that it passes as a `JsonWebKey` to node:crypto and WebCrypto.
 */
export type PublicSigningJwk = {
  kid: string;
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  alg: typeof ALG;
  use: 'sig';
};

export interface SigningKey {
  /** base64url of the first 8 bytes of SHA-256 over the public key's SPKI DER: stable for the key's lifetime. */
  readonly kid: string;
  readonly publicJwk: PublicSigningJwk;
  /** The `Opslot-Signature` header value for exactly `body`, the bytes that are sent. */
  signatureHeader(body: Uint8Array): string;
}

/** What the key file holds. `kid` and `createdAt` are for the people who look after the file. */
interface KeyFile {
  v: 1;
  kid: string;
  alg: typeof ALG;
  createdAt: string;
  privateKey: JsonWebKey;
}

/** Where the key lives when `signingKeyPath` is not given: beside the database. */
export function defaultSigningKeyPath(databasePath: string): string {
  return join(dirname(resolve(databasePath)), SIGNING_KEY_FILE);
}

/**
 * Reads the server's ECDSA P-256 signing key from `path`, or makes one and writes it there (mode 0600, atomically)
 * when the file does not exist. A file that exists but cannot be used stops the start: making a new key instead
 * would silently break every page that pins the old public key.
 *
 * @throws {SigningKeyError} when the file cannot be read, parsed or written, or holds no usable P-256 key.
 * @example
 * const key = loadSigningKey('data/opslot-signing-key.json');
 * res.setHeader(SIGNATURE_HEADER, key.signatureHeader(bytes));
 */
export function loadSigningKey(path: string): SigningKey {
  const privateKey = readKeyFile(path) ?? createKeyFile(path);
  const publicKey = createPublicKey(privateKey);
  const kid = keyIdOf(publicKey);
  const { x, y } = publicKey.export({ format: 'jwk' });
  if (x === undefined || y === undefined) throw new SigningKeyError(path, 'its public key has no coordinates');
  return {
    kid,
    publicJwk: { kid, kty: 'EC', crv: 'P-256', x, y, alg: ALG, use: 'sig' },
    signatureHeader(body) {
      const sig = sign('sha256', body, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
      return `keyid="${kid}", alg="${ALG}", sig="${sig}"`;
    },
  };
}

function keyIdOf(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest().subarray(0, 8).toString('base64url');
}

/** The key in `path`, or undefined when there is no such file. */
function readKeyFile(path: string): KeyObject | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SigningKeyError(path, `it cannot be read (${(error as Error).message})`);
  }

  let file: Partial<KeyFile>;
  try {
    file = JSON.parse(text) as Partial<KeyFile>;
  } catch {
    throw new SigningKeyError(path, 'it is not JSON');
  }
  if (file === null || typeof file !== 'object' || file.v !== 1 || file.alg !== ALG) {
    throw new SigningKeyError(path, `it is not an opslot key file ("v": 1, "alg": "${ALG}")`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: file.privateKey as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw new SigningKeyError(path, `its privateKey is not a private JWK (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SigningKeyError(path, 'its privateKey is not an EC key on P-256');
  }
  // A JWK whose x/y do not belong to its d would sign with one key and publish another: every page would refuse.
  const probe = Buffer.from('opslot signing key self-test');
  const publicKey = createPublicKey(key);
  if (!verify('sha256', probe, publicKey, sign('sha256', probe, key))) {
    throw new SigningKeyError(path, 'its public coordinates do not belong to its private key');
  }
  if (file.kid !== keyIdOf(publicKey)) {
    throw new SigningKeyError(path, `its kid ${JSON.stringify(file.kid)} is not the id of its key`);
  }
  return key;
}

/** Makes a key and writes it to `path` through a temporary file, so that a crash never leaves half a key. */
function createKeyFile(path: string): KeyObject {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const file: KeyFile = {
    v: 1,
    kid: keyIdOf(publicKey),
    alg: ALG,
    createdAt: new Date().toISOString(),
    privateKey: privateKey.export({ format: 'jwk' }),
  };
  try {
    // 0600: the key is for this user only.
    writeFileAtomically(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  } catch (error) {
    throw new SigningKeyError(
      path,
      `it cannot be written (${(error as Error).message})`,
      'Make its folder exist and writable by this user, or set signingKeyPath (OPSLOT_SIGNING_KEY) to another file.',
    );
  }
  syncFolder(dirname(path));
  return privateKey;
}

/** Makes the rename itself durable, so that a power cut cannot undo a key that pages may already have pinned. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms (Windows) cannot open or sync a folder; the file itself is already synced.
  }
}

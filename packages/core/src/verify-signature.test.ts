import { expect } from '@open-wc/testing';
import {
  createSignatureVerifier,
  importVerificationKeys,
  type VerificationKey,
  verifySignature,
} from './verify-signature.js';

const BODY = new TextEncoder().encode('{"v":1,"decisionId":"d-1","ttl":60,"slots":[]}');
const ES256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

const base64url = (bytes: ArrayBuffer) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** A real key pair, its public JWK (with a kid), and a signer of the `Opslot-Signature` header. */
async function signer(algorithm: { name: string } = ES256, kid = 'k1') {
  const pair = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid };
  const alg = algorithm.name === 'ECDSA' ? 'ES256' : 'EdDSA';
  const sig = async (body: BufferSource = BODY) =>
    base64url(await crypto.subtle.sign(algorithm, pair.privateKey, body));
  const header = async (body: BufferSource = BODY) => `keyid="${kid}", alg="${alg}", sig="${await sig(body)}"`;
  return { jwk, privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey), sig, header };
}

/** Runs `body` with `crypto.subtle` gone, as on an http: page. */
async function withoutSubtle<T>(body: () => Promise<T>): Promise<T> {
  Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });
  try {
    return await body();
  } finally {
    delete (crypto as { subtle?: unknown }).subtle;
  }
}

describe('importVerificationKeys', () => {
  it('imports one EC P-256 JWK or an array of them, keeping the kid', async () => {
    const { jwk } = await signer();
    const [one] = await importVerificationKeys(jwk);
    expect(one).to.include({ kid: 'k1', alg: 'ES256' });
    expect(one?.key.usages).to.deep.equal(['verify']);
    const { jwk: other } = await signer(ES256, 'k2');
    const { kid: _, ...withoutKid } = other;
    expect((await importVerificationKeys([jwk, withoutKid])).map((key) => key.kid)).to.deep.equal(['k1', undefined]);
  });

  it('imports an OKP Ed25519 JWK as EdDSA where the browser has Ed25519', async function () {
    const { jwk } = await signer({ name: 'Ed25519' }).catch(() => this.skip());
    expect((await importVerificationKeys(jwk)).map((key) => key.alg)).to.deep.equal(['EdDSA']);
  });

  it('imports only the public part of a private JWK, whatever its key_ops', async () => {
    const { privateJwk } = await signer();
    const [key] = await importVerificationKeys({ ...privateJwk, key_ops: ['sign'] });
    expect(key?.key.type).to.equal('public');
  });

  it('skips what it cannot use and resolves to the rest, never rejecting', async () => {
    const { jwk } = await signer();
    const rsa = await crypto.subtle.exportKey(
      'jwk',
      (
        (await crypto.subtle.generateKey(
          { name: 'RSA-PSS', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
          true,
          ['sign', 'verify'],
        )) as CryptoKeyPair
      ).publicKey,
    );
    const throwing = Object.defineProperty({}, 'kty', {
      get() {
        throw new Error('boom');
      },
    });
    const hostile = [
      null,
      undefined,
      'k1',
      42,
      rsa,
      { ...jwk, crv: 'P-384' },
      { ...jwk, kty: 'OKP' },
      { ...jwk, x: 'not-a-point' },
      { kty: 'EC', crv: 'P-256' },
      throwing,
      JSON.parse('{"__proto__":{"kty":"EC"}}'),
    ];
    const keys = await importVerificationKeys([...hostile, jwk]);
    expect(keys.map((key) => key.kid)).to.deep.equal(['k1']);
    for (const input of hostile) expect(await importVerificationKeys(input)).to.deep.equal([]);
    const trap = new Proxy([jwk], {
      get() {
        throw new Error('trap');
      },
    });
    expect(await importVerificationKeys(trap)).to.deep.equal([]);
  });

  it('resolves to no key where there is no WebCrypto', async () => {
    const { jwk } = await signer();
    expect(await withoutSubtle(() => importVerificationKeys(jwk))).to.deep.equal([]);
  });
});

describe('verifySignature', () => {
  let es: Awaited<ReturnType<typeof signer>>;
  let keys: VerificationKey[];
  let sig: string;
  before(async () => {
    es = await signer();
    keys = await importVerificationKeys(es.jwk);
    sig = await es.sig();
  });

  it('verifies a signature over the exact bytes', async () => {
    expect(await verifySignature(keys, await es.header(), BODY)).to.equal(true);
    expect(await verifySignature(keys, await es.header(), BODY.buffer)).to.equal(true);
  });

  it('refuses a body with one byte changed', async () => {
    const tampered = BODY.slice();
    tampered[tampered.length - 3] = 0x20;
    expect(await verifySignature(keys, await es.header(), tampered)).to.equal(false);
  });

  it('verifies EdDSA where the browser has Ed25519', async function () {
    const ed = await signer({ name: 'Ed25519' }, 'ed').catch(() => this.skip());
    const both = [...keys, ...(await importVerificationKeys(ed.jwk))];
    expect(await verifySignature(both, await ed.header(), BODY)).to.equal(true);
    // An ES256 header naming the Ed25519 key's signature tries no key of the wrong algorithm.
    expect(await verifySignature(both, `keyid="ed", alg="ES256", sig="${await ed.sig()}"`, BODY)).to.equal(false);
  });

  it('picks the key by kid; tries every key when the header names none, and kid-less keys whatever it names', async () => {
    const other = await signer(ES256, 'k2');
    const rotated = [...(await importVerificationKeys(other.jwk)), ...keys];
    expect(await verifySignature(rotated, `keyid="k1", alg="ES256", sig="${sig}"`, BODY)).to.equal(true);
    expect(await verifySignature(rotated, `keyid="k2", alg="ES256", sig="${sig}"`, BODY)).to.equal(false);
    expect(await verifySignature(rotated, `keyid="k3", alg="ES256", sig="${sig}"`, BODY)).to.equal(false);
    expect(await verifySignature(rotated, `alg="ES256", sig="${sig}"`, BODY)).to.equal(true);
    const { kid: _, ...withoutKid } = es.jwk;
    const kidless = await importVerificationKeys(withoutKid);
    expect(await verifySignature(kidless, `keyid="any", alg="ES256", sig="${sig}"`, BODY)).to.equal(true);
  });

  it('accepts spaces around parameters and any order', async () => {
    expect(await verifySignature(keys, ` sig="${sig}" ,alg="ES256",  keyid="k1" `, BODY)).to.equal(true);
  });

  const malformed: [string, (sig: string) => string | null][] = [
    ['no header', () => null],
    ['an empty header', () => ''],
    ['an unknown alg', (s) => `keyid="k1", alg="RS256", sig="${s}"`],
    ['alg in another case', (s) => `keyid="k1", alg="es256", sig="${s}"`],
    ['no alg', (s) => `keyid="k1", sig="${s}"`],
    ['no sig', () => 'keyid="k1", alg="ES256"'],
    ['a repeated parameter', (s) => `keyid="k1", alg="ES256", sig="${s}", sig="${s}"`],
    ['two headers folded into one', (s) => `keyid="k1", alg="ES256", sig="${s}", keyid="k1", alg="ES256", sig="${s}"`],
    ['an unknown parameter', (s) => `keyid="k1", alg="ES256", sig="${s}", created="1"`],
    ['a parameter name in another case', (s) => `keyid="k1", alg="ES256", Sig="${s}"`],
    ['a trailing comma', (s) => `keyid="k1", alg="ES256", sig="${s}",`],
    ['an unquoted value', (s) => `keyid="k1", alg=ES256, sig="${s}"`],
    ['standard base64', (s) => `keyid="k1", alg="ES256", sig="+${s.slice(1)}"`],
    ['padded base64url', (s) => `keyid="k1", alg="ES256", sig="${s}=="`],
    ['a short sig', (s) => `keyid="k1", alg="ES256", sig="${s.slice(0, 85)}"`],
    ['a sig with a space', (s) => `keyid="k1", alg="ES256", sig="${s.slice(0, 40)} ${s.slice(41)}"`],
    ['a DER signature', () => `keyid="k1", alg="ES256", sig="${'A'.repeat(96)}"`],
  ];
  for (const [what, header] of malformed) {
    it(`refuses ${what}`, async () => {
      expect(await verifySignature(keys, header(sig), BODY)).to.equal(false);
    });
  }

  it('refuses everything without a usable key', async () => {
    expect(await verifySignature([], await es.header(), BODY)).to.equal(false);
  });

  it('fails closed without WebCrypto, or with a WebCrypto that fails', async () => {
    const header = await es.header();
    expect(await withoutSubtle(() => verifySignature(keys, header, BODY))).to.equal(false);
    const broken = {
      verify: () => Promise.reject(new DOMException('nope', 'OperationError')),
    } as unknown as SubtleCrypto;
    expect(await verifySignature(keys, header, BODY, broken)).to.equal(false);
  });
});

describe('createSignatureVerifier', () => {
  it('imports the keys once and verifies each answer with them', async () => {
    const es = await signer();
    let imports = 0;
    const counting = new Proxy(crypto.subtle, {
      get: (target, name) => {
        const value = Reflect.get(target, name, target);
        if (name === 'importKey') imports++;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const verify = createSignatureVerifier([es.jwk], counting);
    expect(await verify(await es.header(), BODY)).to.equal(true);
    expect(await verify(await es.header(), BODY.slice(1))).to.equal(false);
    expect(await verify(null, BODY)).to.equal(false);
    expect(imports).to.equal(1);
  });

  it('refuses everything for JWKs it cannot use, never rejecting', async () => {
    const es = await signer();
    expect(await createSignatureVerifier('not a key')(await es.header(), BODY)).to.equal(false);
  });
});

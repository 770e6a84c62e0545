import { expect } from '@open-wc/testing';
import { createDecisionClient, DECISION_ERRORS, type DecisionClientOptions } from './decision-client.js';
import type { DecisionRequest, DecisionResponse } from './protocol.js';
import { createSignatureVerifier, importVerificationKeys, verifySignature } from './verify-signature.js';

const ENDPOINT = new URL('https://ebank.demo-bank.example/v1/decisions');

const REQUEST: DecisionRequest = {
  v: 1,
  page: { channel: 'corporate-web', pageId: 'home', locale: 'zh-CN', viewport: { width: 1280, height: 800 } },
  slots: [{ id: 'home-banner', sizes: [[960, 240]], formats: ['banner'] }],
  operator: 'op.9f2c4e1ab37d',
  consent: { personalized: true },
};

const RESPONSE: DecisionResponse = {
  v: 1,
  decisionId: 'd-7f3a9c21',
  ttl: 300,
  slots: [
    {
      id: 'home-banner',
      candidates: [
        {
          id: 'cr-1',
          campaignId: 'cmp-1',
          format: 'banner',
          advertiser: { id: 'adv-hengtai', name: '恒泰精密机械（示例）' },
          assets: { image: { src: '/v1/assets/cr-1.png', width: 960, height: 240, alt: '恒泰精密机械' } },
          landingUrl: 'https://partner.example/landing',
          strategy: 'priority',
          reason: '白名单企业',
        },
      ],
    },
  ],
};

type FetchStep = (init: RequestInit) => Promise<Response>;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const answer =
  (body: unknown, status = 200): FetchStep =>
  () =>
    Promise.resolve(json(body, status));
const networkError: FetchStep = () => Promise.reject(new TypeError('Failed to fetch'));
/** A request that never gets an answer, and ignores its signal: the client must not rely on fetch honouring it. */
const never: FetchStep = () => new Promise(() => {});

/** A fetch that plays the given steps in order and records what it was called with. */
function fakeFetch(...steps: FetchStep[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => {
    calls.push({ url: String(input), init });
    const step = steps[calls.length - 1];
    return step ? step(init) : Promise.reject(new Error('unexpected extra fetch'));
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

/**
 * A sleep that resolves the retry delay at once and holds the timeout until the test fires it, so that no test
 * waits on a real timer.
 */
function fakeSleep(timeoutMs: number) {
  const slept: number[] = [];
  let fireTimeout = () => {};
  const sleep = (ms: number) => {
    slept.push(ms);
    if (ms !== timeoutMs) return Promise.resolve();
    return new Promise<void>((resolve) => {
      fireTimeout = resolve;
    });
  };
  return { sleep, slept, fireTimeout: () => fireTimeout() };
}

function client(steps: FetchStep[], options: Partial<DecisionClientOptions> = {}) {
  const fetch = fakeFetch(...steps);
  const sleep = fakeSleep(options.timeoutMs ?? 1500);
  const decisionClient = createDecisionClient({
    endpoint: ENDPOINT,
    fetch: fetch.fetch,
    sleep: sleep.sleep,
    ...options,
  });
  return { ...fetch, ...sleep, decide: decisionClient.decide };
}

describe('createDecisionClient', () => {
  it('POSTs the request as JSON with same-origin credentials and returns the validated answer', async () => {
    const { decide, calls } = client([answer(RESPONSE)]);
    const result = await decide(REQUEST);
    expect(result).to.deep.equal({ ok: true, response: RESPONSE });
    expect(calls).to.have.length(1);
    const [{ url, init }] = calls as [(typeof calls)[0]];
    expect(url).to.equal(ENDPOINT.href);
    expect(init.method).to.equal('POST');
    expect(init.headers).to.deep.equal({ 'content-type': 'application/json' });
    expect(init.credentials).to.equal('same-origin');
    expect(JSON.parse(init.body as string)).to.deep.equal(REQUEST);
  });

  it('lets the bank choose the credentials mode', async () => {
    const { decide, calls } = client([answer(RESPONSE)], { credentials: 'include' });
    await decide(REQUEST);
    expect(calls[0]?.init.credentials).to.equal('include');
  });

  describe('timeout', () => {
    it('gives up after timeoutMs with `timeout` and aborts the fetch', async () => {
      const { decide, calls, slept, fireTimeout } = client([never], { timeoutMs: 50 });
      const pending = decide(REQUEST);
      await Promise.resolve();
      expect(slept).to.deep.equal([50]);
      fireTimeout();
      const result = await pending;
      expect(result).to.include({ ok: false, code: DECISION_ERRORS.timeout });
      expect(calls[0]?.init.signal?.aborted).to.equal(true);
      expect(calls).to.have.length(1);
    });

    it('defaults to 1500 ms, with a real timer when no sleep is given', async () => {
      const { decide, slept } = client([answer(RESPONSE)]);
      await decide(REQUEST);
      expect(slept[0]).to.equal(1500);
      const fetch = fakeFetch(never);
      const real = createDecisionClient({ endpoint: ENDPOINT, fetch: fetch.fetch, timeoutMs: 30 });
      expect(await real.decide(REQUEST)).to.include({ code: DECISION_ERRORS.timeout });
    });

    it('bounds a body that stops arriving', async () => {
      const stalled = new ReadableStream({
        start: (controller) => controller.enqueue(new TextEncoder().encode('{"v":')),
      });
      const { decide, fireTimeout } = client([() => Promise.resolve(new Response(stalled))], { timeoutMs: 50 });
      const pending = decide(REQUEST);
      setTimeout(fireTimeout, 0);
      expect(await pending).to.include({ code: DECISION_ERRORS.timeout });
    });
  });

  describe('abort', () => {
    it('stops with `aborted` when the caller aborts, and aborts the fetch', async () => {
      const { decide, calls } = client([never]);
      const caller = new AbortController();
      const pending = decide(REQUEST, caller.signal);
      caller.abort();
      expect(await pending).to.include({ ok: false, code: DECISION_ERRORS.aborted });
      expect(calls[0]?.init.signal?.aborted).to.equal(true);
    });

    it('does not fetch at all for a signal that is already aborted', async () => {
      const { decide, calls } = client([answer(RESPONSE)]);
      expect(await decide(REQUEST, AbortSignal.abort())).to.include({ code: DECISION_ERRORS.aborted });
      expect(calls).to.have.length(0);
    });
  });

  describe('retry', () => {
    it('retries once after a jittered 100–300 ms delay when the request got no answer', async () => {
      const { decide, calls, slept } = client([networkError, answer(RESPONSE)], { random: () => 0.5 });
      expect(await decide(REQUEST)).to.deep.equal({ ok: true, response: RESPONSE });
      expect(calls).to.have.length(2);
      expect(slept.slice(1)).to.deep.equal([200]);
    });

    it('spreads the delay over 100–300 ms with the injected randomness', async () => {
      for (const [random, delay] of [
        [0, 100],
        [0.999, 299.8],
      ] as const) {
        const { decide, slept } = client([networkError, answer(RESPONSE)], { random: () => random });
        await decide(REQUEST);
        expect(slept[1]).to.be.closeTo(delay, 1e-9);
      }
    });

    it('gives up with `network` after the second failure', async () => {
      const { decide, calls } = client([networkError, networkError]);
      expect(await decide(REQUEST)).to.include({ ok: false, code: DECISION_ERRORS.network });
      expect(calls).to.have.length(2);
    });

    it('retries a body that breaks off mid-way', async () => {
      const broken = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"v":1,'));
          controller.error(new TypeError('network changed'));
        },
      });
      const { decide, calls } = client([() => Promise.resolve(new Response(broken)), answer(RESPONSE)]);
      expect(await decide(REQUEST)).to.include({ ok: true });
      expect(calls).to.have.length(2);
    });

    for (const status of [400, 404, 429, 500, 503]) {
      it(`does not retry HTTP ${status} and reports the status`, async () => {
        const { decide, calls } = client([answer({ error: { code: 'x', message: 'y' } }, status), answer(RESPONSE)]);
        expect(await decide(REQUEST)).to.include({ ok: false, code: DECISION_ERRORS.httpStatus, status });
        expect(calls).to.have.length(1);
      });
    }

    it('lets go of a refused answer unread, and never aborts an answer it read in full', async () => {
      let cancelled = false;
      const refusedBody = new ReadableStream({
        cancel: () => {
          cancelled = true;
        },
      });
      const refused = client([() => Promise.resolve(new Response(refusedBody, { status: 503 }))]);
      expect(await refused.decide(REQUEST)).to.include({ code: DECISION_ERRORS.httpStatus });
      expect(cancelled).to.equal(true);

      // Aborting a request whose answer was read would show in DevTools as a cancelled request.
      const read = client([answer(RESPONSE)]);
      expect(await read.decide(REQUEST)).to.include({ ok: true });
      expect(read.calls[0]?.init.signal?.aborted).to.equal(false);
    });

    it('does not retry after a timeout', async () => {
      const { decide, calls, fireTimeout } = client([never, answer(RESPONSE)], { timeoutMs: 50 });
      const pending = decide(REQUEST);
      fireTimeout();
      expect(await pending).to.include({ code: DECISION_ERRORS.timeout });
      expect(calls).to.have.length(1);
    });

    it('does not retry once the caller aborted during the delay', async () => {
      const caller = new AbortController();
      const fetch = fakeFetch(networkError, answer(RESPONSE));
      const decisionClient = createDecisionClient({
        endpoint: ENDPOINT,
        fetch: fetch.fetch,
        sleep: (ms, signal) => {
          if (ms === 1500) return new Promise(() => {});
          caller.abort();
          return signal.aborted ? Promise.resolve() : new Promise(() => {});
        },
      });
      expect(await decisionClient.decide(REQUEST, caller.signal)).to.include({ code: DECISION_ERRORS.aborted });
      expect(fetch.calls).to.have.length(1);
    });
  });

  describe('answers', () => {
    it('reports an answer that is not JSON as `invalid-json`, without retrying', async () => {
      const html = () => Promise.resolve(new Response('<html>login</html>', { status: 200 }));
      const { decide, calls } = client([html, answer(RESPONSE)]);
      expect(await decide(REQUEST)).to.include({ ok: false, code: DECISION_ERRORS.invalidJson });
      expect(calls).to.have.length(1);
    });

    it('reports an empty 204 as `invalid-json`', async () => {
      const { decide } = client([() => Promise.resolve(new Response(null, { status: 204 }))]);
      expect(await decide(REQUEST)).to.include({ code: DECISION_ERRORS.invalidJson });
    });

    it('reports another protocol version as `unsupported-version` before checking the schema', async () => {
      const { decide } = client([answer({ v: 2, decisions: 'a shape this SDK does not know' })]);
      expect(await decide(REQUEST)).to.include({ ok: false, code: DECISION_ERRORS.unsupportedVersion });
    });

    it('reports a schema failure as `invalid-response` with its path', async () => {
      const broken = structuredClone(RESPONSE) as unknown as { slots: { candidates: { landingUrl: unknown }[] }[] };
      (broken.slots[0]?.candidates[0] as { landingUrl: unknown }).landingUrl = 42;
      const { decide } = client([answer(broken)]);
      expect(await decide(REQUEST)).to.include({
        ok: false,
        code: DECISION_ERRORS.invalidResponse,
        path: '/slots/0/candidates/0/landingUrl',
      });
    });

    it('refuses a missing v as `invalid-response`', async () => {
      const { v: _, ...unversioned } = RESPONSE;
      const { decide } = client([answer(unversioned)]);
      expect(await decide(REQUEST)).to.include({ code: DECISION_ERRORS.invalidResponse, path: '/v' });
    });

    it('refuses an answer larger than maxResponseBytes that says so in content-length', async () => {
      const big = { ...RESPONSE, padding: 'x'.repeat(300 * 1024) };
      const { decide } = client([answer(big)]);
      expect(await decide(REQUEST)).to.include({ ok: false, code: DECISION_ERRORS.invalidResponse });
    });

    it('stops reading an endless body at maxResponseBytes', async () => {
      let pulled = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        },
      });
      const { decide } = client([() => Promise.resolve(new Response(endless))], { maxResponseBytes: 64 * 1024 });
      const result = await decide(REQUEST);
      expect(result).to.include({ ok: false, code: DECISION_ERRORS.invalidResponse });
      expect(result.ok ? '' : result.message).to.contain('65536');
      expect(pulled).to.be.lessThan(10);
    });

    it('reads a body of exactly maxResponseBytes', async () => {
      const text = JSON.stringify(RESPONSE);
      const { decide } = client([answer(RESPONSE)], { maxResponseBytes: new TextEncoder().encode(text).byteLength });
      expect(await decide(REQUEST)).to.include({ ok: true });
    });
  });

  describe('signatures', () => {
    const ES256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    // Indented on purpose: the signature covers these bytes, not a re-serialisation of the JSON.
    const BYTES = new TextEncoder().encode(JSON.stringify(RESPONSE, null, 2));
    let pair: CryptoKeyPair;
    let publicJwk: JsonWebKey;

    before(async () => {
      pair = (await crypto.subtle.generateKey(ES256, true, ['sign', 'verify'])) as CryptoKeyPair;
      publicJwk = { ...(await crypto.subtle.exportKey('jwk', pair.publicKey)), kid: 'k1' } as JsonWebKey;
    });

    const sign = async (bytes: Uint8Array<ArrayBuffer>) =>
      btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign(ES256, pair.privateKey, bytes))))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const signedHeader = async (bytes = BYTES, kid = 'k1', alg = 'ES256') =>
      `keyid="${kid}", alg="${alg}", sig="${await sign(bytes)}"`;
    /** An answer of `bytes` carrying `header` as its `Opslot-Signature`, or none when null. */
    const signed =
      (bytes: Uint8Array<ArrayBuffer>, header: string | null): FetchStep =>
      () =>
        Promise.resolve(new Response(bytes, { headers: header === null ? {} : { 'opslot-signature': header } }));
    const verifying = (step: FetchStep, verify: DecisionClientOptions['verify'] = createSignatureVerifier(publicJwk)) =>
      client([step], { verify }).decide(REQUEST);

    it('accepts an answer whose signature verifies over its exact bytes', async () => {
      expect(await verifying(signed(BYTES, await signedHeader()))).to.deep.equal({ ok: true, response: RESPONSE });
    });

    it('refuses an answer with one byte changed as `bad-signature`, though it is valid JSON', async () => {
      const header = await signedHeader();
      const tampered = new TextEncoder().encode(JSON.stringify(RESPONSE, null, 2).replace('cr-1', 'cr-2'));
      expect(await verifying(signed(tampered, header))).to.include({ ok: false, code: DECISION_ERRORS.badSignature });
    });

    it('refuses an answer without the header as `unsigned`', async () => {
      expect(await verifying(signed(BYTES, null))).to.include({ ok: false, code: DECISION_ERRORS.unsigned });
    });

    it('accepts unsigned answers when no key is configured', async () => {
      expect(await client([signed(BYTES, null)]).decide(REQUEST)).to.include({ ok: true });
    });

    it('refuses a wrong kid, an unknown alg and a malformed header as `bad-signature`', async () => {
      const sig = await sign(BYTES);
      for (const header of [
        await signedHeader(BYTES, 'k2'),
        await signedHeader(BYTES, 'k1', 'RS256'),
        `keyid="k1", alg="ES256", sig="${sig}", sig="${sig}"`,
        `keyid="k1" alg="ES256" sig="${sig}"`,
        `keyid="k1", alg="ES256", sig="${sig.slice(1)}"`,
        '',
      ]) {
        expect(await verifying(signed(BYTES, header)), header).to.include({ code: DECISION_ERRORS.badSignature });
      }
    });

    it('refuses everything as `bad-signature` when no configured key is usable', async () => {
      const header = await signedHeader();
      const rsaOnly = createSignatureVerifier({ kty: 'RSA', n: 'AQAB', e: 'AQAB' });
      expect(await verifying(signed(BYTES, header), rsaOnly)).to.include({ code: DECISION_ERRORS.badSignature });
    });

    it('refuses as `bad-signature` when the verifier throws, rejects or answers anything but true', async () => {
      const header = await signedHeader();
      const verifiers = [
        () => {
          throw new Error('sync');
        },
        () => Promise.reject(new Error('chunk failed to load')),
        () => Promise.resolve('true'),
        () => Promise.resolve(1),
      ] as unknown as DecisionClientOptions['verify'][];
      for (const verify of verifiers) {
        expect(await verifying(signed(BYTES, header), verify)).to.include({ code: DECISION_ERRORS.badSignature });
      }
    });

    it('fails closed without WebCrypto (an http: page), whether the keys were imported before or not', async () => {
      const header = await signedHeader();
      const keys = await importVerificationKeys(publicJwk);
      Object.defineProperty(crypto, 'subtle', { value: undefined, configurable: true });
      try {
        const importedBefore = (signature: string, body: Uint8Array<ArrayBuffer>) =>
          verifySignature(keys, signature, body);
        for (const verify of [importedBefore, createSignatureVerifier(publicJwk)]) {
          expect(await verifying(signed(BYTES, header), verify)).to.include({ code: DECISION_ERRORS.badSignature });
        }
      } finally {
        delete (crypto as { subtle?: unknown }).subtle;
      }
    });

    it('keeps the size cap for signed answers', async () => {
      const { decide } = client([signed(BYTES, await signedHeader())], {
        verify: createSignatureVerifier(publicJwk),
        maxResponseBytes: BYTES.byteLength - 1,
      });
      expect(await decide(REQUEST)).to.include({ code: DECISION_ERRORS.invalidResponse });
    });

    it('times out while the verifier is still busy, e.g. loading its code', async () => {
      const { decide, fireTimeout } = client([signed(BYTES, await signedHeader())], {
        verify: () => new Promise(() => {}),
        timeoutMs: 50,
      });
      const pending = decide(REQUEST);
      setTimeout(fireTimeout, 0);
      expect(await pending).to.include({ code: DECISION_ERRORS.timeout });
    });
  });

  it('turns a request that cannot be serialised into `invalid-request` instead of throwing', async () => {
    const { decide, calls } = client([answer(RESPONSE)]);
    const circular = { ...REQUEST } as DecisionRequest & { self?: unknown };
    circular.self = circular;
    expect(await decide(circular)).to.include({ ok: false, code: DECISION_ERRORS.invalidRequest });
    expect(calls).to.have.length(0);
  });

  it('never throws, whatever the injected fetch does', async () => {
    const throwsSync = (() => {
      throw new Error('sync');
    }) as unknown as typeof fetch;
    const resolvesGarbage = (() => Promise.resolve({ ok: true, body: 5 })) as unknown as typeof fetch;
    for (const fetch of [throwsSync, resolvesGarbage]) {
      const decisionClient = createDecisionClient({ endpoint: ENDPOINT, fetch, sleep: () => Promise.resolve() });
      const result = await decisionClient.decide(REQUEST);
      expect(result.ok).to.equal(false);
    }
  });
});

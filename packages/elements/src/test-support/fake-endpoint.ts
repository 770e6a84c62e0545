import type { BeaconEvent, Creative, DecisionRequest, DecisionResponse, EventBatch } from '@opslot/core';

/**
 * The far side of the network boundary for component tests: a `fetch` that answers decisions from a table
 * and records every request and every event batch, as the reference server would.
 */
export interface FakeEndpoint {
  fetch: typeof fetch;
  decisionRequests: DecisionRequest[];
  events: BeaconEvent[];
}

export type DecisionAnswer = (request: DecisionRequest) => Response | Promise<Response>;

export function fakeEndpoint(answer: DecisionAnswer): FakeEndpoint {
  const endpoint: FakeEndpoint = {
    decisionRequests: [],
    events: [],
    fetch: async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const body = JSON.parse(String(init?.body));
      if (url.endsWith('/decisions')) {
        endpoint.decisionRequests.push(body as DecisionRequest);
        return answer(body as DecisionRequest);
      }
      const batch = body as EventBatch;
      endpoint.events.push(...batch.events);
      return Response.json({ v: 1, accepted: batch.events.map((event) => event.id), duplicates: [], rejected: [] });
    },
  };
  return endpoint;
}

/** Answers every requested slot with the creatives the table gives for its id (none: no-fill). */
export function answerFrom(table: Record<string, Creative[]>): DecisionAnswer {
  return (request) =>
    Response.json({
      v: 1,
      decisionId: 'dec-test-1',
      ttl: 300,
      slots: request.slots.map((slot) => ({ id: slot.id, candidates: table[slot.id] ?? [] })),
    } satisfies DecisionResponse);
}

const TEST_IMAGE = new URL('./creative-960x240.svg', import.meta.url).pathname;

export function bannerCreative(overrides: Partial<Creative> = {}): Creative {
  return {
    id: 'cr-hengtai-1',
    campaignId: 'camp-hengtai',
    format: 'banner',
    advertiser: { id: 'adv-hengtai', name: '恒泰精密机械' },
    assets: { image: { src: TEST_IMAGE, width: 960, height: 240, alt: '恒泰精密机械 数控机床以旧换新' } },
    landingUrl: 'https://www.hengtai-precision.example/offer',
    strategy: 'priority',
    reason: 'priority 10',
    ...overrides,
  };
}

/** Signs every answer of `answer` as the reference server does: ES256 over the body bytes, in `Opslot-Signature`. */
export function signedBy(privateKey: CryptoKey, answer: DecisionAnswer, tamper = false): DecisionAnswer {
  return async (request) => {
    const original = await answer(request);
    const body = new Uint8Array(await original.arrayBuffer());
    const signature = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, body));
    const sig = btoa(String.fromCharCode(...signature))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    // A tampered answer changes one byte after signing, as an attacker on the path would.
    if (tamper) body[body.indexOf('d'.charCodeAt(0))] = 'D'.charCodeAt(0);
    return new Response(body, {
      status: original.status,
      headers: { 'content-type': 'application/json', 'opslot-signature': `keyid="test", alg="ES256", sig="${sig}"` },
    });
  };
}

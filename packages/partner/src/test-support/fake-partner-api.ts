// The far side of the network boundary for the partner components' tests: a `fetch` that answers the partner API
// from handlers, recording every request, as the reference server would.
import type { PartnerMe } from '@opslot/core';
import { createPartnerClient, type PartnerClient } from '../partner-client.js';

export interface RecordedRequest {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakePartnerApi {
  client: PartnerClient;
  requests: RecordedRequest[];
  /** Answers `METHOD path` (path under `/v1/partner/`) from now on. */
  on(route: string, handler: Handler): void;
}

export function fakePartnerApi(routes: Record<string, Handler> = {}, createXhr?: () => XMLHttpRequest): FakePartnerApi {
  const table = new Map(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const fetch: typeof window.fetch = async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/v1\/partner\//, '');
    const request = {
      method,
      path,
      search: url.search,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const handler = table.get(`${method} ${path}`);
    return handler ? handler(request) : errorJson(404, 'not-found', 'Not found.');
  };
  const client = createPartnerClient({
    endpoint: '/v1/partner',
    token: 'test-token',
    fetch,
    ...(createXhr && { createXhr }),
  });
  return { client, requests, on: (route, handler) => table.set(route, handler) };
}

export function errorJson(status: number, code: string, message: string, fields?: unknown[]): Response {
  return Response.json({ v: 1, error: { code, message, ...(fields && { fields }) } }, { status });
}

export const ME: PartnerMe = {
  partner: { id: 'partner-chengchuan', name: '澄川精密机械有限公司', allowedDomains: ['chengchuan-precision.example'] },
  eligible: true,
  slots: [
    { id: 'home-banner', channel: 'corporate-web', width: 960, height: 240, formats: ['banner'] },
    { id: 'corp-web-native', channel: 'corporate-web', width: 300, height: 120, formats: ['native'] },
    { id: 'corp-mobile-home-banner', channel: 'corporate-mobile', width: 360, height: 120, formats: ['banner'] },
  ],
};

export const meAnswer =
  (me: PartnerMe = ME) =>
  () =>
    Response.json({ v: 1, ...me });

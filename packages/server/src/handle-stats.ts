import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatsResponse } from '@opslot/core';
import { ERROR_CODES, HttpError } from './http-error.js';
import { sendJson } from './respond.js';
import type { Store } from './store.js';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** `GET /v1/stats[?creativeId=…]`: counters of every catalogue creative, zero rows included. */
export function handleStats(req: IncomingMessage, res: ServerResponse, store: Store): void {
  const creativeId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('creativeId') ?? undefined;
  if (creativeId !== undefined && !ID_PATTERN.test(creativeId)) {
    throw new HttpError(400, ERROR_CODES.invalidRequest, 'creativeId must be a creative id.');
  }
  const body: StatsResponse = { v: 1, creatives: store.stats(creativeId) };
  sendJson(res, 200, body);
}

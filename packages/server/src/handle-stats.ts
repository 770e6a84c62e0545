import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatsBreakdownResponse, StatsResponse, VitalsResponse } from '@opslot/core';
import { ERROR_CODES, HttpError } from './http-error.js';
import { parseStatsQuery } from './parse-stats-query.js';
import { sendJson } from './respond.js';
import type { Store } from './store.js';

/**
 * `GET /v1/stats[?by=creative|slot|advertiser|bucket|day][&from=YYYY-MM-DD][&to=YYYY-MM-DD][&creativeId=…]`.
 * Without `by`: counters of every catalogue creative, zero rows included (`StatsResponse`). With `by`: one row per
 * value of that dimension that has counted events (`StatsBreakdownResponse`). Preview events never count.
 */
export function handleStats(req: IncomingMessage, res: ServerResponse, store: Store): void {
  const { by, filter } = parseStatsQuery(new URL(req.url ?? '/', 'http://localhost').searchParams);
  const body: StatsResponse | StatsBreakdownResponse =
    by === undefined ? { v: 1, creatives: store.stats(filter) } : { v: 1, by, rows: store.statsBy(by, filter) };
  sendJson(res, 200, body);
}

/**
 * `GET /v1/stats/vitals[?from=YYYY-MM-DD][&to=YYYY-MM-DD]`: the Core Web Vitals that the sampled page views
 * reported (p75 of LCP, CLS and INP) and the slots' part in them. `by` and `creativeId` do not apply and are refused.
 */
export function handleVitals(req: IncomingMessage, res: ServerResponse, store: Store): void {
  const search = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (search.has('by') || search.has('creativeId')) {
    throw new HttpError(400, ERROR_CODES.invalidRequest, 'Vitals take only from and to.');
  }
  const body: VitalsResponse = { v: 1, ...store.vitals(parseStatsQuery(search).filter) };
  sendJson(res, 200, body);
}

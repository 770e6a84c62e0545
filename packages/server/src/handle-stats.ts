import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatsBreakdownResponse, StatsResponse } from '@opslot/core';
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

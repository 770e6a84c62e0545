import type { StatsDimension } from '@opslot/core';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { StatsFilter } from './stats-breakdown.js';
import { STATS_DIMENSIONS, STATS_UTC_OFFSET_MS } from './stats-breakdown.js';

/** What `GET /v1/stats` was asked: a breakdown dimension (none: the per-creative answer) and a filter. */
export interface StatsQuery {
  by?: StatsDimension;
  filter: StatsFilter;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const PARAMETERS = new Set(['by', 'from', 'to', 'creativeId']);

/**
 * Reads and checks the query of `GET /v1/stats`: `by`, `from` and `to` (inclusive days `YYYY-MM-DD` in
 * Asia/Shanghai) and `creativeId`, each at most once and none empty. Anything else is refused (400
 * `invalid-request`) rather than ignored, because a report silently built without a misspelt filter looks right
 * and is wrong.
 *
 * @example
 * parseStatsQuery(new URLSearchParams('by=day&from=2026-01-01&to=2026-01-31'));
 */
export function parseStatsQuery(search: URLSearchParams): StatsQuery {
  const seen = new Set<string>();
  for (const [name, value] of search) {
    if (!PARAMETERS.has(name)) throw invalid(`Unknown query parameter; use ${[...PARAMETERS].join(', ')}.`);
    if (seen.has(name)) throw invalid(`${name} may be given only once.`);
    if (value === '') throw invalid(`${name} must not be empty.`);
    seen.add(name);
  }
  const by = search.get('by') ?? undefined;
  if (by !== undefined && !isDimension(by)) throw invalid(`by must be one of ${STATS_DIMENSIONS.join(', ')}.`);
  const creativeId = search.get('creativeId') ?? undefined;
  if (creativeId !== undefined && !ID_PATTERN.test(creativeId)) throw invalid('creativeId must be a creative id.');
  const from = dayParameter(search, 'from');
  const to = dayParameter(search, 'to');
  if (from !== undefined && to !== undefined && from > to) throw invalid('from must not be after to.');

  const filter: StatsFilter = {};
  if (creativeId !== undefined) filter.creativeId = creativeId;
  if (from !== undefined) filter.since = from - STATS_UTC_OFFSET_MS;
  if (to !== undefined) filter.until = to + DAY_MS - STATS_UTC_OFFSET_MS;
  return by === undefined ? { filter } : { by, filter };
}

/** Midnight UTC of the day named by the parameter, or undefined when it is absent. */
function dayParameter(search: URLSearchParams, name: 'from' | 'to'): number | undefined {
  const value = search.get(name);
  if (value === null) return undefined;
  const [, year, month, day] = DATE_PATTERN.exec(value) ?? [];
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day));
  // The round trip refuses what Date.UTC would quietly roll over (2026-02-30) or move (years 0–99 become 19xx).
  if (year === undefined || Number.isNaN(utc) || new Date(utc).toISOString().slice(0, 10) !== value) {
    throw invalid(`${name} must be a date as YYYY-MM-DD.`);
  }
  return utc;
}

function isDimension(value: string): value is StatsDimension {
  return (STATS_DIMENSIONS as readonly string[]).includes(value);
}

function invalid(message: string): HttpError {
  return new HttpError(400, ERROR_CODES.invalidRequest, message);
}

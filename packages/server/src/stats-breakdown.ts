// What `GET /v1/stats?by=…` needs beyond the protocol types (`StatsBreakdownResponse`, `StatsRow` and
// `StatsDimension` in @opslot/core): the dimensions as a value, the time zone of its days, and its filters.
import type { StatsDimension } from '@opslot/core';

/** The dimensions of `?by=`, one per request; the same list as @opslot/core's `STATS_DIMENSIONS`. */
export const STATS_DIMENSIONS = [
  'creative',
  'slot',
  'advertiser',
  'bucket',
  'day',
] as const satisfies readonly StatsDimension[];

/** Days of `?by=day`, `?from=` and `?to=` are calendar days in this time zone. */
export const STATS_TIME_ZONE = 'Asia/Shanghai';

/**
 * The offset of {@link STATS_TIME_ZONE} from UTC. Fixed, because China has kept UTC+8 all year since 1991, so SQL
 * can turn a timestamp into a day without a time zone database.
 */
export const STATS_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Which events the stats count; every field is optional and they combine with AND. */
export interface StatsFilter {
  creativeId?: string;
  /** Epoch milliseconds, inclusive: events with `ts` from then on. */
  since?: number;
  /** Epoch milliseconds, exclusive: events with `ts` before then. */
  until?: number;
}

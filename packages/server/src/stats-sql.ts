import type { StatsDimension } from '@opslot/core';
import type { StatsFilter } from './stats-breakdown.js';
import { STATS_UTC_OFFSET_MS } from './stats-breakdown.js';

/**
 * The SQLite queries behind `GET /v1/stats`. Each filter adds its condition only when given, so that the planner
 * sees a plain `creative_id = ?` or `ts` range and takes `events_by_creative` or `events_by_time` for it, rather
 * than an `@x IS NULL OR …` that no index serves. Preview events are never counted.
 */

/** Named parameters of a stats query: the filter's fields that are set. */
export type StatsParameters = Partial<Record<keyof StatsFilter, string | number>>;

const COUNTED = "e.type IN ('render', 'viewable', 'click', 'conversion')";

const COUNTERS = `COUNT(*) FILTER (WHERE e.type = 'render') AS renders,
  COUNT(*) FILTER (WHERE e.type = 'viewable') AS exposures,
  COUNT(*) FILTER (WHERE e.type = 'click') AS clicks,
  COUNT(*) FILTER (WHERE e.type = 'conversion') AS conversions`;

interface Dimension {
  key: string;
  /** More columns, selected and grouped before the key. */
  extra?: string;
  joins?: string;
}

const DIMENSIONS: Record<StatsDimension, Dimension> = {
  creative: { key: 'e.creative_id' },
  slot: { key: 'e.slot_id' },
  // Events stored before advertiserId was sent (schema version 2) name it through their campaign or creative.
  advertiser: {
    key: 'COALESCE(e.advertiser_id, ca.advertiser_id)',
    joins: `LEFT JOIN creatives cr ON cr.id = e.creative_id
      LEFT JOIN campaigns ca ON ca.id = COALESCE(e.campaign_id, cr.campaign_id)`,
  },
  bucket: { key: 'e.bucket', extra: 'e.experiment_id' },
  day: { key: `date((e.ts + ${STATS_UTC_OFFSET_MS}) / 1000, 'unixepoch')` },
};

/**
 * Conditions on `events e` for the filter's set fields, with their parameters; `creativeId` is left to the caller
 * when `withCreative` is false. Preview events are always left out.
 */
function eventConditions(filter: StatsFilter, withCreative = true): { sql: string[]; parameters: StatsParameters } {
  const sql = ['e.preview IS NOT 1'];
  const parameters: StatsParameters = {};
  if (filter.creativeId !== undefined) {
    if (withCreative) sql.push('e.creative_id = @creativeId');
    parameters.creativeId = filter.creativeId;
  }
  if (filter.since !== undefined) {
    sql.push('e.ts >= @since');
    parameters.since = filter.since;
  }
  if (filter.until !== undefined) {
    sql.push('e.ts < @until');
    parameters.until = filter.until;
  }
  return { sql, parameters };
}

/**
 * Counters by one dimension, one row per value with at least one counted event, sorted by value.
 * Rows: `key`, `experimentId` (bucket only), `renders`, `exposures`, `clicks`, `conversions`.
 */
export function breakdownSql(by: StatsDimension, filter: StatsFilter): { sql: string; parameters: StatsParameters } {
  const { key, extra, joins = '' } = DIMENSIONS[by];
  const conditions = eventConditions(filter);
  const groups = extra ? [extra, key] : [key];
  const sql = `SELECT ${key} AS key, ${extra ? `${extra} AS experimentId, ` : ''}${COUNTERS}
    FROM events e ${joins}
    WHERE ${[COUNTED, ...conditions.sql, ...groups.map((g) => `${g} IS NOT NULL`)].join(' AND ')}
    GROUP BY ${groups.join(', ')}
    ORDER BY ${groups.join(', ')}`;
  return { sql, parameters: conditions.parameters };
}

/**
 * Counters of every catalogue creative and every creative of an approved partner application (or only
 * `filter.creativeId`), zero rows included, sorted by creative id.
 * Rows: `creativeId`, `campaignId`, `advertiserId`, `advertiserName`, `renders`, `exposures`, `clicks`.
 */
export function creativeStatsSql(filter: StatsFilter): { sql: string; parameters: StatsParameters } {
  const conditions = eventConditions(filter, false);
  // A partner application is its own campaign (its id is the campaign id), outside the catalogue tables.
  const sql = `WITH served AS (
      SELECT cr.id, cr.campaign_id, ca.advertiser_id FROM creatives cr JOIN campaigns ca ON ca.id = cr.campaign_id
      UNION ALL
      SELECT pc.id, pa.id, pa.advertiser_id FROM partner_creatives pc
        JOIN partner_applications pa ON pa.id = pc.application_id AND pa.status = 'approved'
    )
    SELECT s.id AS creativeId, s.campaign_id AS campaignId, a.id AS advertiserId, a.name AS advertiserName,
      COUNT(e.id) FILTER (WHERE e.type = 'render') AS renders,
      COUNT(e.id) FILTER (WHERE e.type = 'viewable') AS exposures,
      COUNT(e.id) FILTER (WHERE e.type = 'click') AS clicks
    FROM served s
    JOIN advertisers a ON a.id = s.advertiser_id
    LEFT JOIN events e ON e.creative_id = s.id AND e.type IN ('render', 'viewable', 'click')
      AND ${conditions.sql.join(' AND ')}
    ${filter.creativeId === undefined ? '' : 'WHERE s.id = @creativeId'}
    GROUP BY s.id
    ORDER BY s.id`;
  return { sql, parameters: conditions.parameters };
}

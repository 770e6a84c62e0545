import type { BeaconEvent, Channel, CreativeStats, StatsRow } from '@opslot/core';
import type { Statement } from 'better-sqlite3';
import Database from 'better-sqlite3';
import type { CampaignStatus, CandidateCreative, Catalogue, CatalogueSlot } from './catalogue.js';
import { clickThroughRate } from './click-through-rate.js';
import { migrate } from './migrations.js';
import type { StatsParameters } from './stats-sql.js';
import { breakdownSql, creativeStatsSql } from './stats-sql.js';
import type { DecisionRecord, InsertEventsResult, Store } from './store.js';

interface CandidateRow {
  id: string;
  campaign_id: string;
  slot_id: string;
  format: string;
  image_file: string;
  image_hash: string;
  image_width: number;
  image_height: number;
  image_alt: string;
  landing_url: string;
  slot_channel: string;
  slot_width: number;
  slot_height: number;
  slot_formats: string;
  slot_enabled: number;
  advertiser_id: string;
  advertiser_name: string;
  campaign_name: string;
  status: string;
  priority: number;
  weight: number;
  start_at: number;
  end_at: number | null;
}

interface SlotRow {
  id: string;
  channel: string;
  width: number;
  height: number;
  formats: string;
  enabled: number;
}

type CreativeStatsRow = Omit<CreativeStats, 'ctr'>;
type BreakdownRow = Omit<StatsRow, 'ctr'> & { experimentId?: string | null };

/**
 * Opens (creating and migrating as needed) the SQLite database at `path` in WAL mode, so that stats
 * reads never wait for event writes.
 *
 * @example
 * const store = openSqliteStore('./data/opslot.sqlite');
 */
export function openSqliteStore(path: string): Store {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // synchronous stays FULL (the default): an event acknowledged as accepted is dropped by the client, so it must
    // survive a power cut.
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }

  const clear = ['creatives', 'campaigns', 'slots', 'advertisers'].map((table) => db.prepare(`DELETE FROM ${table}`));
  const insertAdvertiser = db.prepare('INSERT INTO advertisers (id, name, allowed_domains) VALUES (?, ?, ?)');
  const insertSlot = db.prepare(
    'INSERT INTO slots (id, channel, width, height, formats, enabled) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertCampaign = db.prepare(
    `INSERT INTO campaigns (id, advertiser_id, name, status, priority, weight, start_at, end_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCreative = db.prepare(
    `INSERT INTO creatives (id, campaign_id, slot_id, format, image_file, image_hash, image_width, image_height,
       image_alt, landing_url)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectCandidates = db.prepare<[string], CandidateRow>(
    `SELECT cr.*, s.channel AS slot_channel, s.width AS slot_width, s.height AS slot_height, s.formats AS slot_formats,
       s.enabled AS slot_enabled, a.id AS advertiser_id, a.name AS advertiser_name, ca.name AS campaign_name, ca.status, ca.priority, ca.weight,
       ca.start_at, ca.end_at
     FROM creatives cr
     JOIN slots s ON s.id = cr.slot_id
     JOIN campaigns ca ON ca.id = cr.campaign_id
     JOIN advertisers a ON a.id = ca.advertiser_id
     WHERE cr.slot_id IN (SELECT value FROM json_each(?))`,
  );
  const selectSlots = db.prepare<[string], SlotRow>('SELECT * FROM slots WHERE id IN (SELECT value FROM json_each(?))');
  const insertDecision = db.prepare(
    `INSERT INTO decisions (id, created_at, channel, page_id, slot_ids, creative_ids, ledger_excluded, disabled_slot_ids)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // ON CONFLICT (id), not INSERT OR IGNORE: that would also skip a row breaking NOT NULL or CHECK, and report an
  // event that was never stored as a duplicate, which the client then drops for good.
  const insertEvent = db.prepare(
    `INSERT INTO events (id, type, ts, received_at, channel, page_id, decision_id, slot_id, creative_id, campaign_id,
       advertiser_id, experiment_id, bucket, method, code, name, preview)
     VALUES (@id, @type, @ts, @receivedAt, @channel, @pageId, @decisionId, @slotId, @creativeId, @campaignId,
       @advertiserId, @experimentId, @bucket, @method, @code, @name, @preview)
     ON CONFLICT (id) DO NOTHING`,
  );
  // A handful of query shapes (dimension × which filters are set); each is prepared once.
  const statements = new Map<string, Statement<[StatsParameters], unknown>>();
  const query = <Row>({ sql, parameters }: { sql: string; parameters: StatsParameters }): Row[] => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare<[StatsParameters], unknown>(sql);
      statements.set(sql, statement);
    }
    return statement.all(parameters) as Row[];
  };

  const replaceCatalogue = db.transaction((catalogue: Catalogue) => {
    for (const statement of clear) statement.run();
    for (const a of catalogue.advertisers) insertAdvertiser.run(a.id, a.name, JSON.stringify(a.allowedDomains));
    for (const s of catalogue.slots) {
      insertSlot.run(s.id, s.channel, s.width, s.height, JSON.stringify(s.formats), s.enabled ? 1 : 0);
    }
    for (const c of catalogue.campaigns) {
      insertCampaign.run(c.id, c.advertiserId, c.name, c.status, c.priority, c.weight, c.start, c.end);
    }
    for (const c of catalogue.creatives) {
      const { image } = c;
      insertCreative.run(
        c.id,
        c.campaignId,
        c.slotId,
        c.format,
        image.file,
        image.hash,
        image.width,
        image.height,
        image.alt,
        c.landingUrl,
      );
    }
  });

  const insertEvents = db.transaction((events: readonly BeaconEvent[], receivedAt: number): InsertEventsResult => {
    const result: InsertEventsResult = { accepted: [], duplicates: [] };
    for (const e of events) {
      const { changes } = insertEvent.run({
        id: e.id,
        type: e.type,
        ts: e.ts,
        receivedAt,
        channel: e.channel,
        pageId: e.pageId,
        decisionId: e.decisionId ?? null,
        slotId: e.slotId ?? null,
        creativeId: e.creativeId ?? null,
        campaignId: e.campaignId ?? null,
        advertiserId: e.advertiserId ?? null,
        experimentId: e.experimentId ?? null,
        bucket: e.bucket ?? null,
        method: e.method ?? null,
        code: e.code ?? null,
        name: e.name ?? null,
        preview: e.preview === undefined ? null : Number(e.preview),
      });
      (changes === 1 ? result.accepted : result.duplicates).push(e.id);
    }
    return result;
  });

  return {
    replaceCatalogue,
    slots: (slotIds) => selectSlots.all(JSON.stringify(slotIds)).map(toSlot),
    creativesForSlots: (slotIds) => selectCandidates.all(JSON.stringify(slotIds)).map(toCandidate),
    recordDecision(record: DecisionRecord) {
      insertDecision.run(
        record.id,
        record.at,
        record.channel,
        record.pageId,
        JSON.stringify(record.slots.map((slot) => slot.id)),
        JSON.stringify(record.slots.map((slot) => slot.creativeIds)),
        JSON.stringify(record.slots.map((slot) => slot.ledgerExcluded)),
        JSON.stringify(record.slots.filter((slot) => slot.disabled).map((slot) => slot.id)),
      );
    },
    insertEvents,
    stats: (filter = {}): CreativeStats[] =>
      query<CreativeStatsRow>(creativeStatsSql(filter)).map((row) => ({
        ...row,
        ctr: clickThroughRate(row.clicks, row.exposures),
      })),
    statsBy: (by, filter = {}): StatsRow[] =>
      query<BreakdownRow>(breakdownSql(by, filter)).map(
        ({ key, experimentId, renders, exposures, clicks, conversions }) => ({
          key,
          ...(experimentId == null ? {} : { experimentId }),
          renders,
          exposures,
          clicks,
          ctr: clickThroughRate(clicks, exposures),
          conversions,
        }),
      ),
    close: () => db.close(),
  };
}

function toCandidate(row: CandidateRow): CandidateCreative {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    slotId: row.slot_id,
    format: row.format,
    image: {
      file: row.image_file,
      hash: row.image_hash,
      width: row.image_width,
      height: row.image_height,
      alt: row.image_alt,
    },
    landingUrl: row.landing_url,
    slot: toSlot({
      id: row.slot_id,
      channel: row.slot_channel,
      width: row.slot_width,
      height: row.slot_height,
      formats: row.slot_formats,
      enabled: row.slot_enabled,
    }),
    campaign: {
      id: row.campaign_id,
      advertiserId: row.advertiser_id,
      name: row.campaign_name,
      status: row.status as CampaignStatus,
      priority: row.priority,
      weight: row.weight,
      start: row.start_at,
      end: row.end_at,
    },
    advertiser: { id: row.advertiser_id, name: row.advertiser_name },
  };
}

function toSlot(row: SlotRow): CatalogueSlot {
  return {
    id: row.id,
    channel: row.channel as Channel,
    width: row.width,
    height: row.height,
    formats: JSON.parse(row.formats) as string[],
    enabled: row.enabled === 1,
  };
}

import type { BeaconEvent, Channel, CreativeStats, StatsRow } from '@opslot/core';
import type { Statement } from 'better-sqlite3';
import Database from 'better-sqlite3';
import type { GraphEdge, WhitelistHashes, WhitelistKind } from './audience-index.js';
import type {
  ApprovalState,
  CampaignStatus,
  Catalogue,
  CatalogueCampaign,
  CatalogueCreative,
  CatalogueSlot,
} from './catalogue.js';
import { clickThroughRate } from './click-through-rate.js';
import { migrate } from './migrations.js';
import type { OperatorEvent } from './server-caps.js';
import { createSqlitePartnerStore } from './sqlite-partner-store.js';
import type { StatsParameters } from './stats-sql.js';
import { breakdownSql, creativeStatsSql } from './stats-sql.js';
import type {
  CreativeDelivery,
  DecisionAudit,
  DecisionRecord,
  InsertEventsResult,
  OperatorProfileRow,
  Store,
} from './store.js';
import type { WalCheckpointer } from './wal-checkpointer.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/** Decisions waiting to be written wait at most this long, or until this many have gathered. */
const DECISION_FLUSH_MS = 100;
const DECISION_FLUSH_COUNT = 50;

/** SQLite's own threshold of automatic checkpoints, in pages of the write-ahead log. */
const DEFAULT_CHECKPOINT_PAGES = 1_000;
/** The threshold while a thread checkpoints: reached only if that thread has failed. */
const FALLBACK_CHECKPOINT_PAGES = 10_000;

/** Event types that join an operator's history, for server-side caps. */
const HISTORY_EVENT_TYPES = new Set(['render', 'viewable', 'click', 'close']);

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
    // synchronous stays FULL (the default) for everything but the decision audit: an event acknowledged as accepted
    // is dropped by the client, so it must survive a power cut.
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  // Checkpoints run in a thread of their own (see startWalCheckpointer); this connection checkpoints only if the log
  // grows ten times past SQLite's default, should that thread fail, and as SQLite does by default where no thread
  // can be started (a runtime whose permission model refuses worker threads).
  const checkpointer = db.memory ? undefined : startCheckpointing(path);
  db.pragma(`wal_autocheckpoint = ${checkpointer ? FALLBACK_CHECKPOINT_PAGES : DEFAULT_CHECKPOINT_PAGES}`);

  const clear = ['creatives', 'campaigns', 'slots', 'advertisers', 'segments'].map((table) =>
    db.prepare(`DELETE FROM ${table}`),
  );
  const insertAdvertiser = db.prepare('INSERT INTO advertisers (id, name, allowed_domains) VALUES (?, ?, ?)');
  const insertSlot = db.prepare(
    'INSERT INTO slots (id, channel, width, height, formats, enabled) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertCampaign = db.prepare(
    `INSERT INTO campaigns (id, advertiser_id, name, status, priority, weight, start_at, end_at, approval, schedule,
       budget_exposures, targeting, strategy, frequency)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCreative = db.prepare(
    `INSERT INTO creatives (id, campaign_id, slot_id, format, image_file, image_hash, image_width, image_height,
       image_alt, landing_url, frequency, text, logo, brand_color)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSegment = db.prepare('INSERT INTO segments (id, category, name, description) VALUES (?, ?, ?, ?)');
  const selectAll = (table: string) => db.prepare(`SELECT * FROM ${table} ORDER BY id`);
  const selectCatalogue = {
    advertisers: selectAll('advertisers'),
    slots: selectAll('slots'),
    campaigns: selectAll('campaigns'),
    creatives: selectAll('creatives'),
    segments: selectAll('segments'),
  };
  const selectMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const upsertMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const selectProfile = db.prepare<[string], ProfileRow>('SELECT * FROM operator_profiles WHERE operator_hash = ?');
  const upsertProfile = db.prepare(
    `INSERT INTO operator_profiles (operator_hash, enterprise_id, segments, tags) VALUES (?, ?, ?, ?)
     ON CONFLICT (operator_hash) DO UPDATE SET enterprise_id = excluded.enterprise_id, segments = excluded.segments,
       tags = excluded.tags`,
  );
  const deleteProfile = db.prepare('DELETE FROM operator_profiles WHERE operator_hash = ?');
  const countProfiles = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM operator_profiles');
  const upsertWhitelist = db.prepare(
    `INSERT INTO whitelists (id, kind, name) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name`,
  );
  const clearWhitelist = db.prepare('DELETE FROM whitelist_entries WHERE whitelist_id = ?');
  const insertWhitelistEntry = db.prepare(
    'INSERT OR IGNORE INTO whitelist_entries (whitelist_id, entry_hash) VALUES (?, ?)',
  );
  const deleteWhitelistRow = db.prepare('DELETE FROM whitelists WHERE id = ?');
  const selectWhitelistSummaries = db.prepare<[], { id: string; kind: string; name: string; entries: number }>(
    `SELECT w.id, w.kind, w.name, (SELECT COUNT(*) FROM whitelist_entries e WHERE e.whitelist_id = w.id) AS entries
     FROM whitelists w ORDER BY w.id`,
  );
  const selectWhitelistEntries = db.prepare<[], { whitelist_id: string; entry_hash: string }>(
    'SELECT whitelist_id, entry_hash FROM whitelist_entries',
  );
  const selectEdges = db.prepare<[], GraphEdge>(
    'SELECT from_id AS "from", to_id AS "to" FROM graph_edges ORDER BY from_id, to_id',
  );
  const insertEdge = db.prepare('INSERT OR IGNORE INTO graph_edges (from_id, to_id) VALUES (?, ?)');
  const clearEdges = db.prepare('DELETE FROM graph_edges');
  const deleteEdge = db.prepare('DELETE FROM graph_edges WHERE from_id = ? AND to_id = ?');
  const selectOperatorEvents = db.prepare<[string, number], OperatorEventRow>(
    `SELECT type, at, creative_id, campaign_id, slot_id FROM operator_events
     WHERE operator_hash = ? AND at >= ? ORDER BY at`,
  );
  // The delivery counters live in memory as well, updated as event batches commit: the decision engine reloads them
  // after every batch that counted something, and reading ~450 rows back took ~550 µs of the decision that did it.
  const deliveryByCreative = new Map<string, CreativeDelivery>(
    db
      .prepare<[], DeliveryRow>('SELECT creative_id, campaign_id, exposures, clicks FROM creative_delivery')
      .all()
      .map((row) => [
        row.creative_id,
        { creativeId: row.creative_id, campaignId: row.campaign_id, exposures: row.exposures, clicks: row.clicks },
      ]),
  );
  /** Counts of the event transaction under way, added to `deliveryByCreative` once it commits. */
  const uncommittedDelivery: CreativeDelivery[] = [];
  const insertOperatorEvent = db.prepare(
    `INSERT INTO operator_events (operator_hash, type, at, creative_id, campaign_id, slot_id)
     SELECT operator_hash, @type, @ts, @creativeId, @campaignId, @slotId FROM decisions
     WHERE id = @decisionId AND operator_hash IS NOT NULL`,
  );
  const countDelivery = db.prepare(
    `INSERT INTO creative_delivery (creative_id, campaign_id, exposures, clicks) VALUES (@creativeId, @campaignId,
       @exposures, @clicks)
     ON CONFLICT (creative_id) DO UPDATE SET exposures = exposures + excluded.exposures,
       clicks = clicks + excluded.clicks`,
  );
  const selectDecision = db.prepare<[string], DecisionRow>('SELECT * FROM decisions WHERE id = ?');
  const insertDecision = db.prepare(
    `INSERT INTO decisions (id, created_at, channel, page_id, slot_ids, creative_ids, ledger_excluded, disabled_slot_ids,
       operator_hash, reasons)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // ON CONFLICT (id), not INSERT OR IGNORE: that would also skip a row breaking NOT NULL or CHECK, and report an
  // event that was never stored as a duplicate, which the client then drops for good.
  const insertEvent = db.prepare(
    `INSERT INTO events (id, type, ts, received_at, channel, page_id, decision_id, slot_id, creative_id, campaign_id,
       advertiser_id, experiment_id, bucket, method, code, name, preview, value, slot_shift)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  );
  const selectVitals = db.prepare<
    { since: number; until: number },
    { name: string; value: number; slot_id: string | null; slot_shift: number | null }
  >(
    `SELECT name, value, slot_id, slot_shift FROM events
     WHERE type = 'vital' AND value IS NOT NULL AND ts >= @since AND ts < @until AND (preview IS NULL OR preview = 0)`,
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

  // Every decision answered as a preview, in memory: an event batch asks about each of its events' decisions, and
  // previews are few (a partner checking its own creative) while answered decisions are many.
  const previewDecisionIds = new Set(
    db
      .prepare<[], { decision_id: string }>('SELECT decision_id FROM preview_decisions')
      .all()
      .map((row) => row.decision_id),
  );

  let version = 0;
  let deliveryVersion = 0;
  let profileVersion = 0;
  let audienceVersion = 0;
  const partnerStore = createSqlitePartnerStore(db, () => {
    version += 1;
  });
  const replaceCatalogue = db.transaction((catalogue: Catalogue) => {
    for (const statement of clear) statement.run();
    for (const a of catalogue.advertisers) insertAdvertiser.run(a.id, a.name, JSON.stringify(a.allowedDomains));
    for (const s of catalogue.slots) {
      insertSlot.run(s.id, s.channel, s.width, s.height, JSON.stringify(s.formats), s.enabled ? 1 : 0);
    }
    for (const c of catalogue.campaigns) {
      insertCampaign.run(
        c.id,
        c.advertiserId,
        c.name,
        c.status,
        c.priority,
        c.weight,
        c.start,
        c.end,
        c.approval,
        jsonOrNull(c.schedule),
        c.budgetExposures,
        jsonOrNull(c.targeting),
        JSON.stringify(c.strategy),
        jsonOrNull(c.frequency),
      );
    }
    for (const c of catalogue.creatives) {
      const { image } = c;
      insertCreative.run(
        c.id,
        c.campaignId,
        c.slotId,
        c.format,
        image?.file ?? null,
        image?.hash ?? null,
        image?.width ?? null,
        image?.height ?? null,
        image?.alt ?? null,
        c.landingUrl,
        jsonOrNull(c.frequency),
        jsonOrNull(c.text),
        jsonOrNull(c.logo),
        c.brandColor,
      );
    }
    for (const s of catalogue.segments) insertSegment.run(s.id, s.category, s.name, s.description);
    version += 1;
  });

  const pendingDecisions: DecisionAudit[] = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const writeDecisions = db.transaction(() => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    for (const record of pendingDecisions) {
      insertDecision.run(
        record.id,
        record.at,
        record.channel,
        record.pageId,
        JSON.stringify(record.slots.map((slot) => slot.id)),
        JSON.stringify(record.slots.map((slot) => slot.creativeIds)),
        JSON.stringify(record.slots.map((slot) => slot.ledgerExcluded)),
        JSON.stringify(record.slots.filter((slot) => slot.disabled).map((slot) => slot.id)),
        record.operatorHash,
        // Verdicts stored as `{ verdict: [creative ids] }`: most creatives of a slot share a handful of verdicts (the
        // same targeting miss, beyond the candidates a slot takes), so the audit row stays a fraction of the size.
        `[${record.slots
          .map(
            (slot) =>
              `{"creatives":${mapToJson(slot.creativesByVerdict)},"campaigns":${JSON.stringify(slot.campaignsLeftOut)}}`,
          )
          .join(',')}]`,
      );
    }
    pendingDecisions.length = 0;
  });
  // The audit commits without waiting for the disk: its rows reach it with the next event batch's sync or the next
  // checkpoint, a fraction of a second later. A decision is not acknowledged to anyone the way an event is, and a
  // sync per batch held the event loop ~1 ms each time. Inside an event batch's transaction, they share its sync.
  const flushDecisions = () => {
    if (db.inTransaction) {
      writeDecisions();
      return;
    }
    db.pragma('synchronous = NORMAL');
    try {
      writeDecisions();
    } finally {
      db.pragma('synchronous = FULL');
    }
  };

  // On a timer nothing can catch a throw, and an audit write that fails (disk full) must not stop the server: the
  // batch is reported on stderr and dropped, as a failed log write would be.
  // A failed audit write (a full disk) costs those records, with a warning, never the decisions being answered; and
  // the batch is dropped, so that records cannot pile up in memory while the disk stays full.
  const flushDecisionsOrDrop = () => {
    try {
      flushDecisions();
    } catch (error) {
      process.emitWarning(`opslot: ${pendingDecisions.length} decision audit records not written: ${String(error)}`);
      pendingDecisions.length = 0;
    }
  };

  const storeEvents = (events: readonly BeaconEvent[], receivedAt: number): InsertEventsResult => {
    // An event may follow its decision within the flush delay; its operator must be found.
    if (pendingDecisions.length > 0) flushDecisions();
    const result: InsertEventsResult = { accepted: [], duplicates: [] };
    const delivered = new Map<string, { creativeId: string; campaignId: string; exposures: number; clicks: number }>();
    for (const event of events) {
      // A client that leaves the flag off (or lies) cannot make a preview count: the server knows its decisions.
      const e =
        event.preview !== true && event.decisionId !== undefined && previewDecisionIds.has(event.decisionId)
          ? { ...event, preview: true }
          : event;
      // Positional, in the column order above: binding 19 named parameters cost ~3.5 µs of the ~11 µs an insert took.
      const { changes } = insertEvent.run(
        e.id,
        e.type,
        e.ts,
        receivedAt,
        e.channel,
        e.pageId,
        e.decisionId ?? null,
        e.slotId ?? null,
        e.creativeId ?? null,
        e.campaignId ?? null,
        e.advertiserId ?? null,
        e.experimentId ?? null,
        e.bucket ?? null,
        e.method ?? null,
        e.code ?? null,
        e.name ?? null,
        e.preview === undefined ? null : Number(e.preview),
        e.value ?? null,
        e.slotShift ?? null,
      );
      if (changes !== 1) {
        result.duplicates.push(e.id);
        continue;
      }
      result.accepted.push(e.id);
      if (e.preview === true || !e.creativeId || !e.campaignId) continue;
      if (e.decisionId && e.slotId && HISTORY_EVENT_TYPES.has(e.type)) {
        insertOperatorEvent.run({
          type: e.type,
          ts: e.ts,
          creativeId: e.creativeId,
          campaignId: e.campaignId,
          slotId: e.slotId,
          decisionId: e.decisionId,
        });
      }
      if (e.type === 'viewable' || e.type === 'click') {
        const counts = delivered.get(e.creativeId) ?? {
          creativeId: e.creativeId,
          campaignId: e.campaignId,
          exposures: 0,
          clicks: 0,
        };
        if (e.type === 'viewable') counts.exposures += 1;
        else counts.clicks += 1;
        delivered.set(e.creativeId, counts);
      }
    }
    // One counter update per creative and batch: a batch mostly repeats the few creatives of one page.
    for (const counts of delivered.values()) {
      countDelivery.run(counts);
      uncommittedDelivery.push(counts);
    }
    return result;
  };
  /** Runs an event transaction; the counts it made reach memory only if it commits. */
  const countingDelivery = <A extends unknown[], R>(transaction: (...args: A) => R) => {
    return (...args: A): R => {
      uncommittedDelivery.length = 0;
      try {
        const result = transaction(...args);
        // The same upsert as countDelivery's: a creative keeps the campaign it was first counted for.
        for (const counts of uncommittedDelivery) {
          const known = deliveryByCreative.get(counts.creativeId);
          if (known) {
            known.exposures += counts.exposures;
            known.clicks += counts.clicks;
          } else deliveryByCreative.set(counts.creativeId, { ...counts });
        }
        if (uncommittedDelivery.length > 0) deliveryVersion += 1;
        return result;
      } finally {
        uncommittedDelivery.length = 0;
      }
    };
  };
  const insertEvents = countingDelivery(db.transaction(storeEvents));
  const insertEventBatches = countingDelivery(
    db.transaction((batches: readonly { events: readonly BeaconEvent[]; receivedAt: number }[]) =>
      batches.map(({ events, receivedAt }) => storeEvents(events, receivedAt)),
    ),
  );

  const putOperatorProfiles = db.transaction((profiles: readonly OperatorProfileRow[]) => {
    for (const p of profiles) {
      upsertProfile.run(p.operatorHash, p.enterpriseId, JSON.stringify(p.segments), JSON.stringify(p.tags));
    }
    profileVersion += 1;
  });
  const replaceWhitelist = db.transaction((list: WhitelistHashes & { name: string }) => {
    upsertWhitelist.run(list.id, list.kind, list.name);
    clearWhitelist.run(list.id);
    for (const hash of list.hashes) insertWhitelistEntry.run(list.id, hash);
    version += 1;
    audienceVersion += 1;
  });
  const addGraphEdges = db.transaction((edges: readonly GraphEdge[]) => {
    let added = 0;
    for (const { from, to } of edges) added += insertEdge.run(from, to).changes;
    version += 1;
    audienceVersion += 1;
    return added;
  });
  const replaceGraphEdges = db.transaction((edges: readonly GraphEdge[]) => {
    clearEdges.run();
    for (const { from, to } of edges) insertEdge.run(from, to);
    version += 1;
    audienceVersion += 1;
  });

  return {
    ...partnerStore,
    recordPreviewDecision(record) {
      partnerStore.recordPreviewDecision(record);
      previewDecisionIds.add(record.decisionId);
    },
    replaceCatalogue,
    catalogue: (): Catalogue => ({
      advertisers: (selectCatalogue.advertisers.all() as AdvertiserRow[]).map((row) => ({
        id: row.id,
        name: row.name,
        allowedDomains: JSON.parse(row.allowed_domains) as string[],
      })),
      slots: (selectCatalogue.slots.all() as SlotRow[]).map(toSlot),
      campaigns: (selectCatalogue.campaigns.all() as CampaignRow[]).map(toCampaign),
      creatives: (selectCatalogue.creatives.all() as CreativeRow[]).map(toCreative),
      segments: selectCatalogue.segments.all() as Catalogue['segments'],
    }),
    dataVersion: () => version,
    audienceVersion: () => audienceVersion,
    profileVersion: () => profileVersion,
    meta: (key) => selectMeta.get(key)?.value,
    setMeta: (key, value) => {
      upsertMeta.run(key, value);
    },
    operatorProfile(operatorHash) {
      const row = selectProfile.get(operatorHash);
      return (
        row && {
          operatorHash: row.operator_hash,
          enterpriseId: row.enterprise_id,
          segments: JSON.parse(row.segments) as string[],
          tags: JSON.parse(row.tags) as Record<string, string>,
        }
      );
    },
    putOperatorProfiles,
    deleteOperatorProfile(operatorHash) {
      const deleted = deleteProfile.run(operatorHash).changes > 0;
      if (deleted) profileVersion += 1;
      return deleted;
    },
    operatorProfileCount: () => countProfiles.get()?.n ?? 0,
    replaceWhitelist,
    deleteWhitelist(id) {
      const deleted = deleteWhitelistRow.run(id).changes > 0;
      if (deleted) {
        version += 1;
        audienceVersion += 1;
      }
      return deleted;
    },
    whitelistSummaries: () =>
      selectWhitelistSummaries.all().map((row) => ({ ...row, kind: row.kind as WhitelistKind })),
    whitelistHashes() {
      const lists = new Map(
        selectWhitelistSummaries
          .all()
          .map((row) => [row.id, { id: row.id, kind: row.kind as WhitelistKind, hashes: [] as string[] }]),
      );
      for (const row of selectWhitelistEntries.iterate()) lists.get(row.whitelist_id)?.hashes.push(row.entry_hash);
      return [...lists.values()];
    },
    graphEdges: () => selectEdges.all(),
    addGraphEdges,
    replaceGraphEdges,
    deleteGraphEdge({ from, to }) {
      const deleted = deleteEdge.run(from, to).changes > 0;
      if (deleted) {
        version += 1;
        audienceVersion += 1;
      }
      return deleted;
    },
    operatorEvents: (operatorHash, since): OperatorEvent[] =>
      selectOperatorEvents.all(operatorHash, since).map((row) => ({
        type: row.type as OperatorEvent['type'],
        at: row.at,
        creativeId: row.creative_id,
        campaignId: row.campaign_id,
        slotId: row.slot_id,
      })),
    deliveryVersion: () => deliveryVersion,
    delivery(campaignIds) {
      const wanted = new Set(campaignIds);
      const rows: CreativeDelivery[] = [];
      for (const row of deliveryByCreative.values()) if (wanted.has(row.campaignId)) rows.push({ ...row });
      return rows;
    },
    recordDecision(record: DecisionAudit) {
      pendingDecisions.push(record);
      if (pendingDecisions.length >= DECISION_FLUSH_COUNT) flushDecisionsOrDrop();
      else flushTimer ??= setTimeout(flushDecisionsOrDrop, DECISION_FLUSH_MS);
    },
    decisionRecord(id) {
      if (pendingDecisions.length > 0) flushDecisions();
      const row = selectDecision.get(id);
      return row && toDecisionRecord(row);
    },
    insertEvents,
    insertEventBatches,
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
    vitals(filter = {}) {
      const rows = selectVitals.all({ since: filter.since ?? 0, until: filter.until ?? Number.MAX_SAFE_INTEGER });
      const of = (name: string) => rows.filter((row) => row.name === name);
      const share = (reports: typeof rows) =>
        reports.length ? reports.filter((row) => row.slot_id !== null).length / reports.length : null;
      const cls = of('cls');
      return {
        lcp: { count: of('lcp').length, p75: p75(of('lcp')), slots: share(of('lcp')) },
        cls: {
          count: cls.length,
          p75: p75(cls),
          slots: cls.length ? Math.max(...cls.map((row) => row.slot_shift ?? 0)) : null,
        },
        inp: { count: of('inp').length, p75: p75(of('inp')), slots: share(of('inp')) },
      };
    },
    close() {
      if (!db.open) return;
      if (pendingDecisions.length > 0) flushDecisions();
      clearTimeout(flushTimer);
      // Its connection closes first, so that this one is the last and its close checkpoints and removes the log.
      checkpointer?.stop();
      db.close();
    },
  };
}

function startCheckpointing(path: string): WalCheckpointer | undefined {
  const warn = (error: unknown) => process.emitWarning(`opslot: the checkpointing thread failed: ${String(error)}`);
  try {
    return startWalCheckpointer(path, warn);
  } catch (error) {
    warn(error);
    return undefined;
  }
}

/**
 * `JSON.stringify(Object.fromEntries(map))`, without making each key an object's property first: V8 interns property
 * keys, which for an audit's long, fresh verdict strings costs more than writing them.
 */
function mapToJson(map: ReadonlyMap<string, unknown>): string {
  let json = '{';
  for (const [key, value] of map)
    json += `${json.length > 1 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}`;
  return `${json}}`;
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function parseOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

interface AdvertiserRow {
  id: string;
  name: string;
  allowed_domains: string;
}

interface SlotRow {
  id: string;
  channel: string;
  width: number;
  height: number;
  formats: string;
  enabled: number;
}

interface CampaignRow {
  id: string;
  advertiser_id: string;
  name: string;
  status: string;
  priority: number;
  weight: number;
  start_at: number;
  end_at: number | null;
  approval: string;
  schedule: string | null;
  budget_exposures: number | null;
  targeting: string | null;
  strategy: string | null;
  frequency: string | null;
}

interface CreativeRow {
  id: string;
  campaign_id: string;
  slot_id: string;
  format: string;
  image_file: string | null;
  image_hash: string | null;
  image_width: number | null;
  image_height: number | null;
  image_alt: string | null;
  landing_url: string;
  frequency: string | null;
  text: string | null;
  logo: string | null;
  brand_color: string | null;
}

interface ProfileRow {
  operator_hash: string;
  enterprise_id: string | null;
  segments: string;
  tags: string;
}

interface OperatorEventRow {
  type: string;
  at: number;
  creative_id: string;
  campaign_id: string;
  slot_id: string;
}

interface DeliveryRow {
  creative_id: string;
  campaign_id: string;
  exposures: number;
  clicks: number;
}

interface DecisionRow {
  id: string;
  created_at: number;
  channel: string;
  page_id: string;
  slot_ids: string;
  creative_ids: string;
  ledger_excluded: string | null;
  disabled_slot_ids: string | null;
  operator_hash: string | null;
  reasons: string | null;
}

function toCampaign(row: CampaignRow): CatalogueCampaign {
  return {
    id: row.id,
    advertiserId: row.advertiser_id,
    name: row.name,
    status: row.status as CampaignStatus,
    priority: row.priority,
    weight: row.weight,
    start: row.start_at,
    end: row.end_at,
    approval: row.approval as ApprovalState,
    schedule: parseOrNull(row.schedule),
    budgetExposures: row.budget_exposures,
    targeting: parseOrNull(row.targeting),
    strategy: parseOrNull(row.strategy) ?? { type: 'priority' },
    frequency: parseOrNull(row.frequency),
  };
}

function toCreative(row: CreativeRow): CatalogueCreative {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    slotId: row.slot_id,
    format: row.format,
    // The image columns are set or NULL together (see migration 7).
    image:
      row.image_file === null
        ? null
        : {
            file: row.image_file,
            hash: row.image_hash as string,
            width: row.image_width as number,
            height: row.image_height as number,
            alt: row.image_alt as string,
          },
    text: parseOrNull(row.text),
    logo: parseOrNull(row.logo),
    brandColor: row.brand_color,
    landingUrl: row.landing_url,
    frequency: parseOrNull(row.frequency),
  };
}

function toDecisionRecord(row: DecisionRow): DecisionRecord {
  const slotIds = JSON.parse(row.slot_ids) as string[];
  const creativeIds = JSON.parse(row.creative_ids) as string[][];
  const ledgerExcluded = parseOrNull<string[][]>(row.ledger_excluded);
  const disabled = new Set(parseOrNull<string[]>(row.disabled_slot_ids));
  const reasons = parseOrNull<{ creatives: Record<string, string[]>; campaigns: Record<string, string[]> }[]>(
    row.reasons,
  );
  return {
    id: row.id,
    at: row.created_at,
    channel: row.channel as Channel,
    pageId: row.page_id,
    operatorHash: row.operator_hash,
    slots: slotIds.map((id, index) => ({
      id,
      creativeIds: creativeIds[index] ?? [],
      ledgerExcluded: ledgerExcluded?.[index] ?? [],
      disabled: disabled.has(id),
      reasons: Object.entries(reasons?.[index]?.creatives ?? {}).flatMap(([verdict, ids]) =>
        ids.map((creativeId) => ({ creativeId, verdict })),
      ),
      campaignsLeftOut: reasons?.[index]?.campaigns ?? {},
    })),
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

/** The 75th percentile by nearest rank, as the Core Web Vitals are assessed; null without values. */
function p75(rows: readonly { value: number }[]): number | null {
  if (rows.length === 0) return null;
  const sorted = rows.map((row) => row.value).sort((a, b) => a - b);
  return sorted[Math.ceil(0.75 * sorted.length) - 1] ?? null;
}

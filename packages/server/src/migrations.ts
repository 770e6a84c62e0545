import type { Database } from 'better-sqlite3';

type Migration = (db: Database) => void;

/**
 * Schema history, oldest first; `PRAGMA user_version` counts how many have run. Append only: a shipped
 * migration never changes, because databases in the field have already run it.
 */
const MIGRATIONS: readonly Migration[] = [
  (db) => {
    db.exec(`
      CREATE TABLE advertisers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        allowed_domains TEXT NOT NULL
      ) STRICT;
      CREATE TABLE slots (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        formats TEXT NOT NULL
      ) STRICT;
      CREATE TABLE campaigns (
        id TEXT PRIMARY KEY,
        advertiser_id TEXT NOT NULL REFERENCES advertisers (id),
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        priority INTEGER NOT NULL,
        weight INTEGER NOT NULL,
        start_at INTEGER NOT NULL,
        end_at INTEGER
      ) STRICT;
      CREATE TABLE creatives (
        id TEXT PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES campaigns (id),
        slot_id TEXT NOT NULL REFERENCES slots (id),
        format TEXT NOT NULL,
        image_file TEXT NOT NULL,
        image_hash TEXT NOT NULL,
        image_width INTEGER NOT NULL,
        image_height INTEGER NOT NULL,
        image_alt TEXT NOT NULL,
        landing_url TEXT NOT NULL
      ) STRICT;
      CREATE INDEX creatives_by_slot ON creatives (slot_id);

      -- Audit and events keep ids as plain values, without foreign keys: they outlive catalogue edits.
      CREATE TABLE decisions (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        channel TEXT NOT NULL,
        page_id TEXT NOT NULL,
        slot_ids TEXT NOT NULL,
        creative_ids TEXT NOT NULL
      ) STRICT;
      CREATE INDEX decisions_by_time ON decisions (created_at);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        decision_id TEXT NOT NULL,
        slot_id TEXT NOT NULL,
        creative_id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        page_id TEXT NOT NULL,
        method TEXT
      ) STRICT;
      CREATE INDEX events_by_creative ON events (creative_id, type);
    `);
  },
  // Issue 3: the per-slot kill switch, and what the browser's ledger digest removed from each decision.
  (db) => {
    db.exec(`
      ALTER TABLE slots ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1;
      -- Both JSON, and NULL on decisions recorded before this migration (not known, rather than none).
      -- ledger_excluded runs parallel to slot_ids, like creative_ids.
      ALTER TABLE decisions ADD COLUMN ledger_excluded TEXT;
      ALTER TABLE decisions ADD COLUMN disabled_slot_ids TEXT;
    `);
  },
  // Issue 5: every event type (request, fill, no-fill, close, error, conversion too), so the ids that only some types
  // carry become nullable, and the fields added to the event. SQLite cannot drop NOT NULL in place: the table is
  // rebuilt and its rows copied, ids and all, so de-duplication still holds for events stored before.
  (db) => {
    db.exec(`
      CREATE TABLE events_v3 (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        channel TEXT NOT NULL,
        page_id TEXT NOT NULL,
        decision_id TEXT,
        slot_id TEXT,
        creative_id TEXT,
        campaign_id TEXT,
        advertiser_id TEXT,
        experiment_id TEXT,
        bucket TEXT,
        method TEXT,
        code TEXT,
        name TEXT,
        -- NULL when the event did not say: only 1 marks a preview, which stats never count.
        preview INTEGER CHECK (preview IN (0, 1))
      ) STRICT;
      INSERT INTO events_v3 (id, type, ts, received_at, channel, page_id, decision_id, slot_id, creative_id,
        campaign_id, method)
      SELECT id, type, ts, received_at, channel, page_id, decision_id, slot_id, creative_id, campaign_id, method
      FROM events;
      DROP TABLE events;
      ALTER TABLE events_v3 RENAME TO events;
      -- Per creative (the default stats and ?creativeId=), then by time (?from= and ?to=); see stats-sql.ts.
      CREATE INDEX events_by_creative ON events (creative_id, type, ts);
      CREATE INDEX events_by_time ON events (ts);
    `);
  },
  // Issue 8: targeting, distribution strategies, frequency rules and approval on the catalogue (JSON columns, NULL
  // when unset); audience data (profiles, hashed whitelists, the relation graph); the server's own per-operator event
  // history and delivery counters; the salt that hashes operator keys and enterprise ids at rest; and the reasons of
  // each decision for audit.
  (db) => {
    db.exec(`
      ALTER TABLE campaigns ADD COLUMN approval TEXT NOT NULL DEFAULT 'approved';
      ALTER TABLE campaigns ADD COLUMN schedule TEXT;
      ALTER TABLE campaigns ADD COLUMN budget_exposures INTEGER;
      ALTER TABLE campaigns ADD COLUMN targeting TEXT;
      ALTER TABLE campaigns ADD COLUMN strategy TEXT;
      ALTER TABLE campaigns ADD COLUMN frequency TEXT;
      ALTER TABLE creatives ADD COLUMN frequency TEXT;
      CREATE TABLE segments (
        id TEXT PRIMARY KEY,
        category TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT NOT NULL
      ) STRICT;

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE operator_profiles (
        operator_hash TEXT PRIMARY KEY,
        enterprise_id TEXT,
        segments TEXT NOT NULL,
        tags TEXT NOT NULL
      ) STRICT;
      CREATE TABLE whitelists (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('operator', 'enterprise')),
        name TEXT NOT NULL
      ) STRICT;
      CREATE TABLE whitelist_entries (
        whitelist_id TEXT NOT NULL REFERENCES whitelists (id) ON DELETE CASCADE,
        entry_hash TEXT NOT NULL,
        PRIMARY KEY (whitelist_id, entry_hash)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE graph_edges (
        from_id TEXT NOT NULL,
        to_id TEXT NOT NULL,
        PRIMARY KEY (from_id, to_id)
      ) STRICT, WITHOUT ROWID;

      -- Exposures, clicks and closes of operators the server knows, found through the event's decision.
      CREATE TABLE operator_events (
        operator_hash TEXT NOT NULL,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        creative_id TEXT NOT NULL,
        campaign_id TEXT NOT NULL,
        slot_id TEXT NOT NULL
      ) STRICT;
      CREATE INDEX operator_events_by_operator ON operator_events (operator_hash, at);
      CREATE TABLE creative_delivery (
        creative_id TEXT PRIMARY KEY,
        campaign_id TEXT NOT NULL,
        exposures INTEGER NOT NULL DEFAULT 0,
        clicks INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX creative_delivery_by_campaign ON creative_delivery (campaign_id);
      -- Budgets and the ranker count what was delivered before this migration too.
      INSERT INTO creative_delivery (creative_id, campaign_id, exposures, clicks)
      SELECT creative_id, MAX(campaign_id), SUM(type = 'viewable'), SUM(type = 'click')
      FROM events
      WHERE creative_id IS NOT NULL AND campaign_id IS NOT NULL AND preview IS NOT 1
      GROUP BY creative_id;

      ALTER TABLE decisions ADD COLUMN operator_hash TEXT;
      ALTER TABLE decisions ADD COLUMN reasons TEXT;
    `);
  },
  // Issue 10: the page's Core Web Vitals ('vital' events): the metric's value, and of a CLS the slots' part.
  (db) => {
    db.exec(`
      ALTER TABLE events ADD COLUMN value REAL;
      ALTER TABLE events ADD COLUMN slot_shift REAL;
    `);
  },
  // Issue 6: text-based formats (notice, card-list, native) carry words, a logo and a brand colour, and a notice has
  // no picture, so the image columns become nullable. As in issue 5, SQLite cannot drop NOT NULL in place: the table
  // is rebuilt and its rows copied. `text` and `logo` are JSON (the logo with its content hash), NULL when unset.
  (db) => {
    db.exec(`
      CREATE TABLE creatives_v7 (
        id TEXT PRIMARY KEY,
        campaign_id TEXT NOT NULL REFERENCES campaigns (id),
        slot_id TEXT NOT NULL REFERENCES slots (id),
        format TEXT NOT NULL,
        image_file TEXT,
        image_hash TEXT,
        image_width INTEGER,
        image_height INTEGER,
        image_alt TEXT,
        landing_url TEXT NOT NULL,
        frequency TEXT,
        text TEXT,
        logo TEXT,
        brand_color TEXT
      ) STRICT;
      INSERT INTO creatives_v7 (id, campaign_id, slot_id, format, image_file, image_hash, image_width, image_height,
        image_alt, landing_url, frequency)
      SELECT id, campaign_id, slot_id, format, image_file, image_hash, image_width, image_height, image_alt,
        landing_url, frequency
      FROM creatives;
      DROP TABLE creatives;
      ALTER TABLE creatives_v7 RENAME TO creatives;
      CREATE INDEX creatives_by_slot ON creatives (slot_id);
    `);
  },
  // Issue 7: partner self-service. Partners and their hashed tokens; applications, each also the partner's campaign
  // (its id is the campaign id), and their creatives in catalogue form (JSON columns as in the creatives table); the
  // uploaded pictures' metadata and who uploaded them (the files live in <data>/uploads/); and the decisions answered
  // as a preview, whose events are stored as previews whatever the client says.
  (db) => {
    db.exec(`
      CREATE TABLE partners (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        enterprise_id TEXT NOT NULL,
        advertiser_id TEXT NOT NULL,
        -- SHA-256 hex of the bearer token; NULL for a seeded demo partner that has not been issued one.
        token_hash TEXT,
        -- 1 for the demo partners of the shipped audience file, whose public development tokens work in development.
        seeded INTEGER NOT NULL DEFAULT 0 CHECK (seeded IN (0, 1)),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE partner_applications (
        id TEXT PRIMARY KEY,
        partner_id TEXT NOT NULL REFERENCES partners (id),
        advertiser_id TEXT NOT NULL,
        enterprise_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
        campaign_name TEXT NOT NULL,
        slot_ids TEXT NOT NULL,
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        landing_url TEXT NOT NULL,
        audience TEXT NOT NULL,
        contact TEXT NOT NULL,
        review_reason TEXT,
        -- Set by the bank's reviewer on approval; NULL ranks the campaign at the partner default.
        priority INTEGER CHECK (priority BETWEEN 1 AND 100),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        submitted_at INTEGER
      ) STRICT;
      CREATE INDEX partner_applications_by_partner ON partner_applications (partner_id, created_at);
      CREATE TABLE partner_creatives (
        id TEXT PRIMARY KEY,
        application_id TEXT NOT NULL REFERENCES partner_applications (id),
        slot_id TEXT NOT NULL,
        template TEXT NOT NULL,
        fields TEXT NOT NULL,
        png_upload_id TEXT,
        alt TEXT NOT NULL,
        format TEXT NOT NULL,
        image TEXT,
        text TEXT,
        logo TEXT,
        brand_color TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX partner_creatives_by_application ON partner_creatives (application_id, created_at);
      CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE partner_uploads (
        partner_id TEXT NOT NULL REFERENCES partners (id),
        upload_id TEXT NOT NULL REFERENCES uploads (id),
        PRIMARY KEY (partner_id, upload_id)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE preview_decisions (
        decision_id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        partner_id TEXT NOT NULL,
        creative_id TEXT NOT NULL
      ) STRICT;
    `);
  },
];

/** The schema version that {@link migrate} brings a database to. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to the newest schema, one transaction per migration. `target` stops earlier, so that tests
 * can make a database as an older server left it.
 */
export function migrate(db: Database, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The database has schema version ${current}, but this server only knows versions up to ${MIGRATIONS.length}. ` +
        'It was written by a newer opslot server; run that one or point OPSLOT_DB at another file.',
    );
  }
  for (const [index, migration] of MIGRATIONS.entries()) {
    if (index < current || index >= target) continue;
    db.transaction(() => {
      migration(db);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
}

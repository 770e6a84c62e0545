import type { ApplicationStatus, Channel } from '@opslot/core';
import type { Database } from 'better-sqlite3';
import type {
  PartnerRecord,
  StoredApplication,
  StoredApplicationCreative,
  UploadRecord,
} from './partner-application.js';
import { applicationCampaign, applicationCreatives } from './partner-application.js';
import { STATS_UTC_OFFSET_MS } from './stats-breakdown.js';
import type { PartnerReportRow, Store } from './store.js';

/** The part of the store that the partner API adds. */
export type PartnerStore = Pick<
  Store,
  | 'partners'
  | 'partner'
  | 'insertPartner'
  | 'setPartnerTokenHash'
  | 'seedPartners'
  | 'isOnWhitelist'
  | 'insertApplication'
  | 'application'
  | 'applications'
  | 'applicationOfCreative'
  | 'insertApplicationCreative'
  | 'setApplicationStatus'
  | 'partnerCatalogue'
  | 'insertUpload'
  | 'upload'
  | 'partnerHasUpload'
  | 'recordPreviewDecision'
  | 'partnerReport'
>;

/**
 * The partner tables of migration 8 on SQLite. `changed` is called after every write that changes what the decision
 * service serves (applications and their creatives), so that its snapshot is rebuilt.
 */
export function createSqlitePartnerStore(db: Database, changed: () => void): PartnerStore {
  const selectPartners = db.prepare<[], PartnerRow>('SELECT * FROM partners ORDER BY id');
  const selectPartner = db.prepare<[string], PartnerRow>('SELECT * FROM partners WHERE id = ?');
  const insertPartnerRow = db.prepare(
    `INSERT INTO partners (id, name, enterprise_id, advertiser_id, token_hash, seeded, created_at)
     VALUES (@id, @name, @enterpriseId, @advertiserId, @tokenHash, @seeded, @createdAt) ON CONFLICT (id) DO NOTHING`,
  );
  const updateTokenHash = db.prepare('UPDATE partners SET token_hash = ? WHERE id = ?');
  const upsertSeeded = db.prepare(
    `INSERT INTO partners (id, name, enterprise_id, advertiser_id, token_hash, seeded, created_at)
     VALUES (@id, @name, @enterpriseId, @advertiserId, NULL, 1, @at)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, enterprise_id = excluded.enterprise_id,
       advertiser_id = excluded.advertiser_id WHERE seeded = 1`,
  );
  const selectOnWhitelist = db.prepare<[string, string], { found: number }>(
    'SELECT 1 AS found FROM whitelist_entries WHERE whitelist_id = ? AND entry_hash = ?',
  );
  const insertApplicationRow = db.prepare(
    `INSERT INTO partner_applications (id, partner_id, advertiser_id, enterprise_id, status, campaign_name, slot_ids,
       start_date, end_date, landing_url, audience, contact, review_reason, created_at, updated_at, submitted_at)
     VALUES (@id, @partnerId, @advertiserId, @enterpriseId, @status, @campaignName, @slotIds, @startDate, @endDate,
       @landingUrl, @audience, @contact, @reviewReason, @createdAt, @updatedAt, @submittedAt)`,
  );
  const selectApplication = db.prepare<[string], ApplicationRow>('SELECT * FROM partner_applications WHERE id = ?');
  const selectApplicationsOf = db.prepare<[string], ApplicationRow>(
    'SELECT * FROM partner_applications WHERE partner_id = ? ORDER BY created_at, id',
  );
  const selectApplicationsIn = db.prepare<[string], ApplicationRow>(
    'SELECT * FROM partner_applications WHERE status = ? ORDER BY submitted_at, id',
  );
  const selectAllApplications = db.prepare<[], ApplicationRow>('SELECT * FROM partner_applications ORDER BY id');
  const selectApplicationOfCreative = db.prepare<[string], ApplicationRow>(
    `SELECT a.* FROM partner_applications a JOIN partner_creatives c ON c.application_id = a.id WHERE c.id = ?`,
  );
  const selectCreativesOf = db.prepare<[string], CreativeRow>(
    'SELECT * FROM partner_creatives WHERE application_id = ? ORDER BY created_at, id',
  );
  const insertCreativeRow = db.prepare(
    `INSERT INTO partner_creatives (id, application_id, slot_id, template, fields, png_upload_id, alt, format, image,
       text, logo, brand_color, created_at)
     VALUES (@id, @applicationId, @slotId, @template, @fields, @pngUploadId, @alt, @format, @image, @text, @logo,
       @brandColor, @createdAt)`,
  );
  const touchApplication = db.prepare('UPDATE partner_applications SET updated_at = ? WHERE id = ?');
  const updateStatus = db.prepare(
    `UPDATE partner_applications SET status = @status, review_reason = @reviewReason, updated_at = @at,
       priority = COALESCE(@priority, priority),
       submitted_at = CASE WHEN @status = 'submitted' THEN @at ELSE submitted_at END
     WHERE id = @id`,
  );
  const insertUploadRow = db.prepare(
    `INSERT INTO uploads (id, type, width, height, bytes, created_at)
     VALUES (@id, @type, @width, @height, @bytes, @createdAt) ON CONFLICT (id) DO NOTHING`,
  );
  const insertUploadOwner = db.prepare(
    'INSERT INTO partner_uploads (partner_id, upload_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const selectUpload = db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?');
  const selectUploadOwner = db.prepare<[string, string], { found: number }>(
    'SELECT 1 AS found FROM partner_uploads WHERE partner_id = ? AND upload_id = ?',
  );
  const insertPreviewDecision = db.prepare(
    'INSERT INTO preview_decisions (decision_id, created_at, partner_id, creative_id) VALUES (?, ?, ?, ?)',
  );
  const selectReport = db.prepare<[string, number, number], ReportRow>(
    `SELECT date((ts + ${STATS_UTC_OFFSET_MS}) / 1000, 'unixepoch') AS day, slot_id, channel,
       SUM(type = 'viewable') AS exposures, SUM(type = 'click') AS clicks
     FROM events
     WHERE campaign_id IN (SELECT value FROM json_each(?)) AND ts >= ? AND ts < ?
       AND type IN ('viewable', 'click') AND preview IS NOT 1 AND slot_id IS NOT NULL
     GROUP BY day, slot_id, channel ORDER BY day, slot_id, channel`,
  );

  const withCreatives = (row: ApplicationRow): StoredApplication =>
    toApplication(row, selectCreativesOf.all(row.id).map(toStoredCreative));

  const seedPartners = db.transaction(
    (partners: readonly Pick<PartnerRecord, 'id' | 'name' | 'enterpriseId' | 'advertiserId'>[], at: number) => {
      for (const p of partners) upsertSeeded.run({ ...p, at });
    },
  );
  const insertApplicationCreative = db.transaction(
    (applicationId: string, creative: StoredApplicationCreative, at: number) => {
      insertCreativeRow.run({
        ...creative,
        applicationId,
        fields: JSON.stringify(creative.fields),
        image: jsonOrNull(creative.image),
        text: jsonOrNull(creative.text),
        logo: jsonOrNull(creative.logo),
      });
      touchApplication.run(at, applicationId);
      changed();
    },
  );
  const insertUpload = db.transaction((upload: UploadRecord, partnerId: string) => {
    insertUploadRow.run(upload);
    insertUploadOwner.run(partnerId, upload.id);
  });

  return {
    partners: () => selectPartners.all().map(toPartner),
    partner: (id) => {
      const row = selectPartner.get(id);
      return row && toPartner(row);
    },
    insertPartner: (partner) => insertPartnerRow.run({ ...partner, seeded: partner.seeded ? 1 : 0 }).changes === 1,
    setPartnerTokenHash: (id, tokenHash) => updateTokenHash.run(tokenHash, id).changes === 1,
    seedPartners,
    isOnWhitelist: (whitelistId, entryHash) => selectOnWhitelist.get(whitelistId, entryHash) !== undefined,
    insertApplication(application) {
      insertApplicationRow.run({
        ...application,
        slotIds: JSON.stringify(application.slotIds),
        audience: JSON.stringify(application.audience),
        contact: JSON.stringify(application.contact),
      });
      changed();
    },
    application(id) {
      const row = selectApplication.get(id);
      return row && withCreatives(row);
    },
    applications: (query) =>
      ('partnerId' in query ? selectApplicationsOf.all(query.partnerId) : selectApplicationsIn.all(query.status)).map(
        withCreatives,
      ),
    applicationOfCreative(creativeId) {
      const row = selectApplicationOfCreative.get(creativeId);
      return row && withCreatives(row);
    },
    insertApplicationCreative,
    setApplicationStatus(id, status, reviewReason, at, priority = null) {
      const updated = updateStatus.run({ id, status, reviewReason, at, priority }).changes === 1;
      if (updated) changed();
      return updated;
    },
    partnerCatalogue() {
      const applications = selectAllApplications.all().map(withCreatives);
      return {
        campaigns: applications.map(applicationCampaign),
        creatives: applications.flatMap(applicationCreatives),
      };
    },
    insertUpload,
    upload: (id) => {
      const row = selectUpload.get(id);
      return row && toUpload(row);
    },
    partnerHasUpload: (partnerId, uploadId) => selectUploadOwner.get(partnerId, uploadId) !== undefined,
    recordPreviewDecision({ decisionId, at, partnerId, creativeId }) {
      insertPreviewDecision.run(decisionId, at, partnerId, creativeId);
    },
    partnerReport: (campaignIds, since, until): PartnerReportRow[] =>
      selectReport.all(JSON.stringify(campaignIds), since, until).map((row) => ({
        day: row.day,
        slotId: row.slot_id,
        channel: row.channel as Channel,
        exposures: row.exposures,
        clicks: row.clicks,
      })),
  };
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function parseOrNull<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

interface PartnerRow {
  id: string;
  name: string;
  enterprise_id: string;
  advertiser_id: string;
  token_hash: string | null;
  seeded: number;
  created_at: number;
}

interface ApplicationRow {
  id: string;
  partner_id: string;
  advertiser_id: string;
  enterprise_id: string;
  status: string;
  campaign_name: string;
  slot_ids: string;
  start_date: string;
  end_date: string;
  landing_url: string;
  audience: string;
  contact: string;
  review_reason: string | null;
  priority: number | null;
  created_at: number;
  updated_at: number;
  submitted_at: number | null;
}

interface CreativeRow {
  id: string;
  application_id: string;
  slot_id: string;
  template: string;
  fields: string;
  png_upload_id: string | null;
  alt: string;
  format: string;
  image: string | null;
  text: string | null;
  logo: string | null;
  brand_color: string | null;
  created_at: number;
}

interface UploadRow {
  id: string;
  type: string;
  width: number;
  height: number;
  bytes: number;
  created_at: number;
}

interface ReportRow {
  day: string;
  slot_id: string;
  channel: string;
  exposures: number;
  clicks: number;
}

function toPartner(row: PartnerRow): PartnerRecord {
  return {
    id: row.id,
    name: row.name,
    enterpriseId: row.enterprise_id,
    advertiserId: row.advertiser_id,
    tokenHash: row.token_hash,
    seeded: row.seeded === 1,
    createdAt: row.created_at,
  };
}

function toApplication(row: ApplicationRow, creatives: StoredApplicationCreative[]): StoredApplication {
  return {
    id: row.id,
    partnerId: row.partner_id,
    advertiserId: row.advertiser_id,
    enterpriseId: row.enterprise_id,
    status: row.status as ApplicationStatus,
    campaignName: row.campaign_name,
    slotIds: JSON.parse(row.slot_ids) as string[],
    startDate: row.start_date,
    endDate: row.end_date,
    landingUrl: row.landing_url,
    audience: JSON.parse(row.audience) as StoredApplication['audience'],
    contact: JSON.parse(row.contact) as StoredApplication['contact'],
    reviewReason: row.review_reason,
    priority: row.priority,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    creatives,
  };
}

function toStoredCreative(row: CreativeRow): StoredApplicationCreative {
  return {
    id: row.id,
    slotId: row.slot_id,
    template: row.template as StoredApplicationCreative['template'],
    fields: JSON.parse(row.fields) as StoredApplicationCreative['fields'],
    pngUploadId: row.png_upload_id,
    alt: row.alt,
    format: row.format as StoredApplicationCreative['format'],
    image: parseOrNull(row.image),
    text: parseOrNull(row.text),
    logo: parseOrNull(row.logo),
    brandColor: row.brand_color,
    createdAt: row.created_at,
  };
}

function toUpload(row: UploadRow): UploadRecord {
  return {
    id: row.id,
    type: row.type as UploadRecord['type'],
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    createdAt: row.created_at,
  };
}

import type {
  ApplicationInput,
  ApplicationStatus,
  PartnerApplication,
  PartnerCreative,
  UploadType,
} from '@opslot/core';
import type { CatalogueCampaign, CatalogueCreative, CatalogueImage, CatalogueText } from './catalogue.js';
import { startOfShanghaiDay } from './shanghai-time.js';
import type { TargetingRule } from './targeting-rule.js';

/** A partner enterprise of the programme, as stored; `tokenHash` never leaves the server. */
export interface PartnerRecord {
  id: string;
  name: string;
  enterpriseId: string;
  advertiserId: string;
  /** SHA-256 hex of the partner's bearer token; null until the admin API issues one. */
  tokenHash: string | null;
  /** A demo partner of the audience file, whose public development token works while the admin token is the dev one. */
  seeded: boolean;
  createdAt: number;
}

/** A creative as stored: also what the decision service serves of it, in catalogue form. */
export interface StoredApplicationCreative extends PartnerCreative {
  image: CatalogueImage | null;
  text: CatalogueText | null;
  logo: CatalogueImage | null;
  brandColor: string | null;
}

/** An application as stored. Its id is also the id of the catalogue campaign it stands for. */
export interface StoredApplication extends ApplicationInput {
  id: string;
  partnerId: string;
  advertiserId: string;
  enterpriseId: string;
  status: ApplicationStatus;
  reviewReason: string | null;
  /** The rank the bank's reviewer gave the campaign on approval; null for {@link PARTNER_CAMPAIGN_PRIORITY}. */
  priority: number | null;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  creatives: StoredApplicationCreative[];
}

/** An uploaded picture's metadata; the file is `<data>/uploads/<id>.<ext>`. */
export interface UploadRecord {
  id: string;
  type: UploadType;
  width: number;
  height: number;
  bytes: number;
  createdAt: number;
}

/**
 * Partner campaigns rank with the bank's ordinary ones (the seed's are 10–40), below its own announcements, unless
 * the reviewer who approves one ranks it otherwise.
 */
export const PARTNER_CAMPAIGN_PRIORITY = 10;

const DAY_MS = 86_400_000;

/**
 * The catalogue campaign an application stands for: a draft awaiting review until approved, then active from the
 * start day's Asia/Shanghai midnight to the end of its end day, shown to the audience the partner chose.
 */
export function applicationCampaign(application: StoredApplication): CatalogueCampaign {
  const { audience } = application;
  const targeting: TargetingRule | null =
    audience.kind === 'all'
      ? null
      : { reach: { partner: application.enterpriseId, hops: audience.hops, direction: audience.direction } };
  return {
    id: application.id,
    advertiserId: application.advertiserId,
    name: application.campaignName,
    status: application.status === 'approved' ? 'active' : 'draft',
    priority: application.priority ?? PARTNER_CAMPAIGN_PRIORITY,
    weight: 1,
    start: shanghaiDateToEpoch(application.startDate),
    end: shanghaiDateToEpoch(application.endDate) + DAY_MS,
    approval:
      application.status === 'approved' ? 'approved' : application.status === 'rejected' ? 'rejected' : 'pending',
    schedule: null,
    budgetExposures: null,
    targeting,
    strategy: { type: 'priority' },
    frequency: null,
  };
}

/** The catalogue creatives of an application, landing on its landing URL. */
export function applicationCreatives(application: StoredApplication): CatalogueCreative[] {
  return application.creatives.map((creative) => ({
    id: creative.id,
    campaignId: application.id,
    slotId: creative.slotId,
    format: creative.format,
    image: creative.image,
    text: creative.text,
    logo: creative.logo,
    brandColor: creative.brandColor,
    landingUrl: application.landingUrl,
    frequency: null,
  }));
}

/** The application as the partner API answers it: no internal ids, no catalogue form of the creatives. */
export function toApplicationAnswer(application: StoredApplication): PartnerApplication {
  return {
    id: application.id,
    partnerId: application.partnerId,
    status: application.status,
    campaignName: application.campaignName,
    slotIds: application.slotIds,
    startDate: application.startDate,
    endDate: application.endDate,
    landingUrl: application.landingUrl,
    audience: application.audience,
    contact: application.contact,
    creatives: application.creatives.map(toCreativeAnswer),
    ...(application.reviewReason === null ? {} : { reviewReason: application.reviewReason }),
    createdAt: application.createdAt,
    updatedAt: application.updatedAt,
  };
}

/** The creative as the partner API answers it: without its catalogue form. */
export function toCreativeAnswer(creative: StoredApplicationCreative): PartnerCreative {
  const { id, slotId, template, fields, pngUploadId, alt, format, createdAt } = creative;
  return { id, slotId, template, fields, pngUploadId, alt, format, createdAt };
}

/** Epoch milliseconds of 00:00 Asia/Shanghai on `YYYY-MM-DD`. */
export function shanghaiDateToEpoch(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

/** `YYYY-MM-DD` of the Asia/Shanghai day holding `epochMs`. */
export function shanghaiDate(epochMs: number): string {
  return new Date(startOfShanghaiDay(epochMs) + 8 * 3600_000).toISOString().slice(0, 10);
}

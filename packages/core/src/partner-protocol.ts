/**
 * Wire types of the partner API (`/v1/partner/…`, version 1), and the limits both its sides enforce.
 *
 * `docs/protocol.md` ("Partner API") explains them. The reference server answers with these shapes and checks forms
 * with these limits; `@opslot/partner` sends and reads them and checks the same limits as the partner types, so that
 * most mistakes never make a round trip. Nothing here is used by the SDK's own entry, which tree-shakes it away.
 */
import type { LandingUrlReason } from './landing-url-problem.js';

/** One slot a partner may apply for, as `GET /me` lists it. */
export interface PartnerSlot {
  id: string;
  channel: string;
  width: number;
  height: number;
  formats: string[];
}

export interface Partner {
  id: string;
  name: string;
  allowedDomains: string[];
}

/** `GET /me`: who the partner is, whether the programme admits it, and the slots it may apply for. */
export interface PartnerMe {
  partner: Partner;
  eligible: boolean;
  slots: PartnerSlot[];
}

/** Whom a supply-chain audience reaches from the partner's enterprise: its customers, its suppliers or both. */
export const SUPPLY_CHAIN_DIRECTIONS = ['downstream', 'upstream', 'both'] as const;
export type SupplyChainDirection = (typeof SUPPLY_CHAIN_DIRECTIONS)[number];

/** Who an approved application is shown to: everyone, or the partner's supply chain in the bank's relation graph. */
export type PartnerAudience =
  | { kind: 'all' }
  | { kind: 'supply-chain'; direction: SupplyChainDirection; hops: 1 | 2 | 3 };

export interface PartnerContact {
  name: string;
  phone: string;
  email: string;
}

/** What the application form sends to `POST /applications`. */
export interface ApplicationInput {
  campaignName: string;
  slotIds: string[];
  /** `YYYY-MM-DD`, a day in Asia/Shanghai; both days are inclusive. */
  startDate: string;
  endDate: string;
  landingUrl: string;
  audience: PartnerAudience;
  contact: PartnerContact;
}

/** Where an application stands; only `draft` and `rejected` ones may be edited, only `approved` ones are served. */
export const APPLICATION_STATUSES = {
  draft: 'draft',
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
} as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[keyof typeof APPLICATION_STATUSES];

/** The templates of the partner studio: the two banner ones for banner slots, `native-card` for native ones. */
export const CREATIVE_TEMPLATES = {
  bannerLeftImage: 'banner-left-image',
  bannerCentered: 'banner-centered',
  nativeCard: 'native-card',
} as const;
export type CreativeTemplate = (typeof CREATIVE_TEMPLATES)[keyof typeof CREATIVE_TEMPLATES];

/** What the partner typed into the studio's template. */
export interface CreativeFields {
  title: string;
  subtitle: string;
  cta: string;
  /** `#rrggbb`. */
  brandColor: string;
  logoUploadId?: string;
  imageUploadId?: string;
}

/** What the studio sends to `POST /applications/{id}/creatives`. */
export interface CreativeInput {
  slotId: string;
  template: CreativeTemplate;
  fields: CreativeFields;
  /** The PNG the studio rendered at the slot's pixel size; required for banner slots, ignored for native ones. */
  pngUploadId?: string;
  alt: string;
}

/** A creative of an application as the API answers it. */
export interface PartnerCreative {
  id: string;
  slotId: string;
  template: CreativeTemplate;
  fields: CreativeFields;
  /** The banner's PNG; null on native slots, whose creative the browser renders from its words. */
  pngUploadId: string | null;
  alt: string;
  /** What the slot made of it: a `banner` of the PNG, or a `native` creative of the words, logo and colour. */
  format: 'banner' | 'native';
  /** Epoch ms. */
  createdAt: number;
}

/** An application as the API answers it. */
export interface PartnerApplication extends ApplicationInput {
  id: string;
  partnerId: string;
  status: ApplicationStatus;
  creatives: PartnerCreative[];
  /** Why the bank rejected it; only on a rejected application. */
  reviewReason?: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

/** The picture types `POST /uploads` takes, read from the bytes. */
export type UploadType = 'image/png' | 'image/jpeg' | 'image/webp';

/** An uploaded picture as `POST /uploads` answers it. */
export interface PartnerUpload {
  /** `up-` and the picture's SHA-256 in hex. */
  id: string;
  type: UploadType;
  width: number;
  height: number;
  bytes: number;
  /** Relative to the API's origin: `/v1/partner/uploads/<id>`. */
  url: string;
}

/** What `POST /creatives/{id}/preview-token` answers. */
export interface PartnerPreviewToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  slotId: string;
  channel: string;
}

export interface ReportCounts {
  exposures: number;
  clicks: number;
  /** Clicks per exposure, 0..1. */
  ctr: number;
}

/** `GET /report`: every day of the range (zeros included) and every slot and channel with something counted. */
export interface PartnerReport {
  from: string;
  to: string;
  totals: ReportCounts;
  byDay: (ReportCounts & { day: string })[];
  bySlot: (ReportCounts & { slotId: string; channel: string })[];
}

/** The query of `GET /report` and `GET /report.csv`; days are `YYYY-MM-DD`, by default the last 30 up to today. */
export interface PartnerReportQuery {
  from?: string;
  to?: string;
  campaignId?: string;
}

/** The `code` of one refused field; docs/protocol.md says when each is given. */
export const FIELD_CODES = {
  required: 'required',
  invalid: 'invalid',
  length: 'length',
  notAllowed: 'not-allowed',
  schemeNotAllowed: 'scheme-not-allowed',
  domainNotAllowed: 'domain-not-allowed',
  dateInPast: 'date-in-past',
  dateOrder: 'date-order',
  rangeTooLong: 'range-too-long',
  uploadNotFound: 'upload-not-found',
  imageMismatch: 'image-mismatch',
  templateMismatch: 'template-mismatch',
  forbiddenWords: 'forbidden-words',
} as const;
export type FieldCode = (typeof FIELD_CODES)[keyof typeof FIELD_CODES];

/** One refused field of a form, in an error answer's `fields`. */
export interface FieldError {
  /** The field's path with dots, such as `landingUrl` or `contact.phone`; `''` for the body as a whole. */
  field: string;
  code: FieldCode;
  /** The server's zh-CN words for it. */
  message: string;
  /** For `forbidden-words`: the terms found. */
  words?: string[];
  /** For `landingUrl`: why, more precisely than `code` (see `landingUrlProblem`). */
  reason?: LandingUrlReason;
}

/** What an application may hold; lengths count characters as a person does (a CJK character or an emoji is one). */
export const APPLICATION_LIMITS = {
  campaignName: { min: 2, max: 40 },
  slots: { min: 1, max: 6 },
  /** Longest campaign, first and last day included. */
  maxDays: 366,
  contactName: { min: 1, max: 20 },
} as const;

/** Longest contact email an application may give. */
export const MAX_EMAIL_LENGTH = 100;
/** Longest landing URL an application may give. */
export const MAX_LANDING_URL_LENGTH = 2048;

/** Lengths of a creative's words, counted as {@link APPLICATION_LIMITS} counts them. */
export const CREATIVE_LIMITS = {
  title: { min: 2, max: 18 },
  subtitle: { min: 0, max: 30 },
  cta: { min: 2, max: 8 },
  alt: { min: 2, max: 60 },
} as const;

export const UPLOAD_LIMITS = {
  /** Simple material (a logo, a product photo, the studio's exported banner): 1 MiB is plenty. */
  maxBytes: 1024 * 1024,
  /** Larger pictures are never needed at slot sizes and cost memory in every browser that shows them. */
  maxSide: 4096,
} as const;

/** The days of `GET /report`: by default the last 30 up to today, at most 366 (first and last included). */
export const REPORT_LIMITS = {
  defaultDays: 30,
  maxDays: 366,
} as const;

/** Mainland mobile numbers: `1[3-9]` and 9 digits. */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
/** Area code 0xx or 0xxx, an optional hyphen, a 7–8 digit number, an optional extension. */
export const LANDLINE_PATTERN = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
/** ASCII only, as the server stores and mails it: a local part of 1–64 characters, a dotted host. */
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
/** A day as `YYYY-MM-DD` (whether it is a real day is checked apart). */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A brand colour, `#rrggbb`. */
export const BRAND_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

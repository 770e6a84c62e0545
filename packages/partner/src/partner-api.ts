// The partner API's wire types (issue 7; the contract of `/v1/partner/…`, documented in docs/protocol.md by the
// server). Types only.

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

export type Audience =
  | { kind: 'all' }
  | { kind: 'supply-chain'; direction: 'downstream' | 'upstream' | 'both'; hops: 1 | 2 | 3 };

export interface Contact {
  name: string;
  phone: string;
  email: string;
}

/** What the application form sends to `POST /applications`. */
export interface ApplicationInput {
  campaignName: string;
  slotIds: string[];
  /** `YYYY-MM-DD`, a day in Asia/Shanghai. */
  startDate: string;
  endDate: string;
  landingUrl: string;
  audience: Audience;
  contact: Contact;
}

export const APPLICATION_STATUSES = {
  draft: 'draft',
  submitted: 'submitted',
  approved: 'approved',
  rejected: 'rejected',
} as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[keyof typeof APPLICATION_STATUSES];

export const TEMPLATES = {
  bannerLeftImage: 'banner-left-image',
  bannerCentered: 'banner-centered',
  nativeCard: 'native-card',
} as const;
export type TemplateId = (typeof TEMPLATES)[keyof typeof TEMPLATES];

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
  template: TemplateId;
  fields: CreativeFields;
  /** The PNG the studio rendered at the slot's pixel size; required for banner slots. */
  pngUploadId?: string;
  alt: string;
}

export interface PartnerCreative extends CreativeInput {
  id: string;
  format: string;
  createdAt: number;
}

export interface Application extends ApplicationInput {
  id: string;
  partnerId: string;
  status: ApplicationStatus;
  creatives: PartnerCreative[];
  reviewReason?: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

export interface Upload {
  id: string;
  type: 'image/png' | 'image/jpeg' | 'image/webp';
  width: number;
  height: number;
  bytes: number;
  /** Relative to the API's origin: `/v1/partner/uploads/<id>`. */
  url: string;
}

export interface PreviewToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  slotId: string;
  channel: string;
}

export interface ReportRow {
  exposures: number;
  clicks: number;
  /** Clicks per exposure, 0..1. */
  ctr: number;
}

export interface PartnerReport {
  from: string;
  to: string;
  totals: ReportRow;
  byDay: (ReportRow & { day: string })[];
  bySlot: (ReportRow & { slotId: string; channel: string })[];
}

export interface ReportQuery {
  from?: string;
  to?: string;
  campaignId?: string;
}

/** One invalid field of a form, as the server reports it (`error.fields`) and as the components check it. */
export interface FieldError {
  /** The field's path, such as `landingUrl` or `contact.phone`. */
  field: string;
  code: string;
  message?: string;
  /** For `forbidden-words`: the terms found. */
  words?: string[];
}

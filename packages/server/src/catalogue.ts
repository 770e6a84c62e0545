import type { Channel, FrequencyRules } from '@opslot/core';
import type { DistributionStrategy } from './distribution-strategy.js';
import type { TargetingRule } from './targeting-rule.js';

/** The bank's review of a partner's campaign; only `approved` campaigns are served. */
export const APPROVAL_STATES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** Lifecycle of a campaign; only `active` campaigns inside their start/end window are served. */
export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'ended'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface CatalogueAdvertiser {
  id: string;
  name: string;
  /** Hosts a landing URL may point at; a domain also allows its subdomains. */
  allowedDomains: string[];
}

export interface CatalogueSlot {
  id: string;
  channel: Channel;
  width: number;
  height: number;
  formats: string[];
  /** The kill switch: a disabled slot is answered `disabled: true` with no candidates, whatever is placed in it. */
  enabled: boolean;
}

export interface CatalogueCampaign {
  id: string;
  advertiserId: string;
  name: string;
  status: CampaignStatus;
  /** Higher is served first. */
  priority: number;
  /** Breaks ties between campaigns of equal priority; higher is served first. */
  weight: number;
  /** Epoch milliseconds, inclusive. */
  start: number;
  /** Epoch milliseconds, exclusive; null when open-ended. */
  end: number | null;
  approval: ApprovalState;
  /** Day-parting in Asia/Shanghai; null serves at every hour of every day. */
  schedule: DaySchedule | null;
  /** Viewable exposures to deliver, after which the campaign stops; null when unlimited. */
  budgetExposures: number | null;
  /** Who may see it; null targets everyone, anonymous operators included. */
  targeting: TargetingRule | null;
  strategy: DistributionStrategy;
  /** Sent on every candidate of the campaign, and enforced by the server too, across channels. */
  frequency: FrequencyRules | null;
}

/** When a campaign runs, in Asia/Shanghai local time. */
export interface DaySchedule {
  /** ISO weekdays, 1 = Monday … 7 = Sunday; absent means every day. */
  days?: number[];
  /** Local time ranges `HH:MM`, `from` inclusive and `to` exclusive; absent means all day. */
  hours?: { from: string; to: string }[];
}

export interface CatalogueImage {
  /** File name inside the seed's `creatives/` folder. */
  file: string;
  /** Short content hash, appended to the asset URL so that it can be cached forever. */
  hash: string;
  width: number;
  height: number;
  alt: string;
  /**
   * Where the image is published when it is not one of the seed's files: a partner's upload,
   * `/v1/partner/uploads/<id>`. Absent for the seed's images, which live under `/assets/creatives/`.
   */
  url?: string;
}

/** The words of a text-based creative, as `assets.text` carries them (creative-assets.v1.schema.json). */
export interface CatalogueText {
  title?: string;
  subtitle?: string;
  summary?: string;
  body?: string;
  cta?: string;
  publishedAt?: string;
}

export interface CatalogueCreative {
  id: string;
  campaignId: string;
  slotId: string;
  format: string;
  /** The picture of banner, carousel, popup and floating creatives; optional on card-list, absent on notice. */
  image: CatalogueImage | null;
  /** notice (body), card-list (title, summary, publishedAt, cta), native (title, subtitle, cta). */
  text: CatalogueText | null;
  /** native: the advertiser's logo. */
  logo: CatalogueImage | null;
  /** native: the call to action's background, `#rrggbb`. */
  brandColor: string | null;
  landingUrl: string;
  /** The creative's own rules, added to its campaign's (a creative's cooldowns and countOn win). */
  frequency: FrequencyRules | null;
}

/** A customer group of the segment taxonomy, such as `inclusive.tech-sme` in category `inclusive`. */
export interface CatalogueSegment {
  id: string;
  /** The category, the part of `id` before the dot. */
  category: string;
  name: string;
  description: string;
}

/** Everything the decision service serves from, as loaded from the seed. */
export interface Catalogue {
  advertisers: CatalogueAdvertiser[];
  slots: CatalogueSlot[];
  campaigns: CatalogueCampaign[];
  creatives: CatalogueCreative[];
  segments: CatalogueSegment[];
}

/** A creative joined with what a decision needs to know about its slot, campaign and advertiser. */
export interface CandidateCreative extends CatalogueCreative {
  slot: CatalogueSlot;
  campaign: CatalogueCampaign;
  advertiser: { id: string; name: string };
}

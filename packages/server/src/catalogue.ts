import type { Channel } from '@opslot/core';

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
}

export interface CatalogueImage {
  /** File name inside the seed's `creatives/` folder. */
  file: string;
  /** Short content hash, appended to the asset URL so that it can be cached forever. */
  hash: string;
  width: number;
  height: number;
  alt: string;
}

export interface CatalogueCreative {
  id: string;
  campaignId: string;
  slotId: string;
  format: string;
  image: CatalogueImage;
  landingUrl: string;
}

/** Everything the decision service serves from, as loaded from the seed. */
export interface Catalogue {
  advertisers: CatalogueAdvertiser[];
  slots: CatalogueSlot[];
  campaigns: CatalogueCampaign[];
  creatives: CatalogueCreative[];
}

/** A creative joined with what a decision needs to know about its slot, campaign and advertiser. */
export interface CandidateCreative extends CatalogueCreative {
  slot: CatalogueSlot;
  campaign: CatalogueCampaign;
  advertiser: { id: string; name: string };
}

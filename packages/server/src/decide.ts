import type { Creative, DecisionRequest, SlotDecision, SlotRequest } from '@opslot/core';
import type { CandidateCreative } from './catalogue.js';
import { creativeAssetUrl } from './creative-asset-url.js';

/** The decision response schema allows at most this many candidates per slot. */
const MAX_CANDIDATES = 20;

const STRATEGY = 'priority';

/**
 * Answers every requested slot, in request order. A creative is a candidate when its campaign is active at `now`,
 * its slot is the requested one on the request's channel, its format was asked for, and its image has one of the
 * requested sizes (any size when none is given). Candidates come by campaign priority, then weight, highest
 * first, then by creative id so that equal campaigns answer the same way every time. An unknown slot gets no
 * candidates: the page collapses it instead of failing.
 *
 * @example
 * decide(request, store.creativesForSlots(request.slots.map((s) => s.id)), Date.now());
 */
export function decide(request: DecisionRequest, creatives: readonly CandidateCreative[], now: number): SlotDecision[] {
  return request.slots.map((slot) => ({
    id: slot.id,
    candidates: creatives
      .filter((creative) => isEligible(creative, slot, request.page.channel, now))
      .sort(byPreference)
      .slice(0, MAX_CANDIDATES)
      .map((creative) => toWire(creative, request.page.channel)),
  }));
}

function isEligible(creative: CandidateCreative, slot: SlotRequest, channel: string, now: number): boolean {
  const { campaign, image } = creative;
  return (
    creative.slotId === slot.id &&
    creative.slot.channel === channel &&
    campaign.status === 'active' &&
    campaign.start <= now &&
    (campaign.end === null || now < campaign.end) &&
    slot.formats.includes(creative.format) &&
    (slot.sizes.length === 0 || slot.sizes.some(([width, height]) => width === image.width && height === image.height))
  );
}

function byPreference(a: CandidateCreative, b: CandidateCreative): number {
  return (
    b.campaign.priority - a.campaign.priority ||
    b.campaign.weight - a.campaign.weight ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

function toWire(creative: CandidateCreative, channel: string): Creative {
  const { campaign, image } = creative;
  return {
    id: creative.id,
    campaignId: campaign.id,
    format: creative.format,
    advertiser: creative.advertiser,
    assets: { image: { src: creativeAssetUrl(image), width: image.width, height: image.height, alt: image.alt } },
    landingUrl: creative.landingUrl,
    strategy: STRATEGY,
    reason: `priority ${campaign.priority} campaign ${campaign.id}, slot ${creative.slotId}, channel ${channel}`,
  };
}

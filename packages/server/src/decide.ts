import type { Creative, DecisionRequest, SlotDecision, SlotRequest } from '@opslot/core';
import type { CandidateCreative, CatalogueSlot } from './catalogue.js';
import { creativeAssetUrl } from './creative-asset-url.js';

/** The decision response schema allows at most this many candidates per slot. */
const MAX_CANDIDATES = 20;

const STRATEGY = 'priority';

/** One requested slot's answer, with what the audit record keeps beside it. */
export interface SlotOutcome {
  decision: SlotDecision;
  /** Eligible creatives left out because the request's ledger digest says they are capped in this browser. */
  ledgerExcluded: string[];
}

/**
 * Answers every requested slot, in request order. A slot of the request's channel whose kill switch is off is
 * answered `disabled: true` with no candidates. Otherwise a creative is a candidate when its campaign is active at
 * `now`, its slot is the requested one on the request's channel, its format was asked for, its image has one of the
 * requested sizes (any size when none is given), and neither it nor its campaign is capped in the request's ledger
 * digest. Candidates come by campaign priority, then weight, highest first, then by creative id so that equal
 * campaigns answer the same way every time. An unknown slot gets no candidates: the page collapses it instead of
 * failing.
 *
 * @example
 * const ids = request.slots.map((s) => s.id);
 * decide(request, store.slots(ids), store.creativesForSlots(ids), Date.now());
 */
export function decide(
  request: DecisionRequest,
  slots: readonly CatalogueSlot[],
  creatives: readonly CandidateCreative[],
  now: number,
): SlotOutcome[] {
  const { channel } = request.page;
  const disabled = new Set(slots.filter((s) => s.channel === channel && !s.enabled).map((s) => s.id));
  const cappedCreatives = new Set(request.ledger?.cappedCreatives);
  const cappedCampaigns = new Set(request.ledger?.cappedCampaigns);
  const isCapped = (creative: CandidateCreative) =>
    cappedCreatives.has(creative.id) || cappedCampaigns.has(creative.campaign.id);

  return request.slots.map((slot) => {
    if (disabled.has(slot.id)) return { decision: { id: slot.id, candidates: [], disabled: true }, ledgerExcluded: [] };
    const eligible = creatives.filter((creative) => isEligible(creative, slot, channel, now)).sort(byPreference);
    return {
      decision: {
        id: slot.id,
        candidates: eligible
          .filter((creative) => !isCapped(creative))
          .slice(0, MAX_CANDIDATES)
          .map((creative) => toWire(creative, channel)),
      },
      ledgerExcluded: eligible.filter(isCapped).map((creative) => creative.id),
    };
  });
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

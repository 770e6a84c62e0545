import type { Creative, DecisionRequest, FrequencyRules, ImageAsset, SlotDecision, SlotRequest } from '@opslot/core';
import { AudienceIndex } from './audience-index.js';
import type { CandidateCreative, Catalogue, CatalogueImage } from './catalogue.js';
import { creativeAssetUrl } from './creative-asset-url.js';
import type { CreativeHistory, CreativeRanker, RankerScore } from './creative-ranker.js';
import { isInSchedule } from './day-schedule.js';
import type { ExperimentBucket } from './distribution-strategy.js';
import { experimentBucket } from './experiment-bucket.js';
import { mergeFrequencyRules } from './merge-frequency-rules.js';
import type { OperatorEvent, ScopeFacts } from './server-caps.js';
import { HISTORY_DAYS, serverCapBreach } from './server-caps.js';
import type { CreativeDelivery, Store } from './store.js';
import type { OperatorProfile, TargetingFacts } from './targeting-rule.js';
import { evaluateTargeting, matchesTargeting } from './targeting-rule.js';

/**
 * Candidates offered per slot (the response schema allows 20): enough fallbacks for creatives the browser's ledger
 * vetoes, without sending a page the whole catalogue.
 */
const MAX_CANDIDATES = 8;
/** The response schema's limit on `reason`; the audit record keeps the same text. */
const MAX_REASON_LENGTH = 200;

/** One requested slot's answer, with what the audit record keeps beside it. */
export interface SlotOutcome {
  decision: SlotDecision;
  /** Eligible creatives left out because the request's ledger digest says they are capped in this browser. */
  ledgerExcluded: string[];
  /** Every creative placed in the slot on the request's channel, and the offer's reason or why it was left out. */
  reasons: { creativeId: string; verdict: string }[];
  /** Campaigns left out as a whole (state, schedule, budget, targeting), by verdict: every creative of theirs here. */
  campaignsLeftOut: Record<string, string[]>;
}

export interface DecisionOutcome {
  slots: SlotOutcome[];
  /** Salted hash of the operator key, when the request sent one; the audit keeps it instead of the key. */
  operatorHash: string | null;
  /**
   * With a verified preview: whether its creative was placed in its slot (`accepted`), or `mismatch` when the slot is
   * not among the request's on its channel, or the creative is no longer in it.
   */
  preview?: 'accepted' | 'mismatch';
}

/** A partner's creative to show in its slot for this request only, from a preview token the server verified. */
export interface PreviewPlacement {
  slotId: string;
  creativeId: string;
}

export interface DecisionEngineOptions {
  store: Store;
  /** Salted hash of an operator key or enterprise id, as whitelists and profiles store them. */
  hashKey: (key: string) => string;
  /** Rankers campaigns may name in `strategy.ranker`, by id. */
  rankers: ReadonlyMap<string, CreativeRanker>;
  /** Whether a request's `force` (QA's forced creatives) is honoured: in a test environment only. Default false. */
  allowForce?: boolean;
}

export interface DecisionEngine {
  decide(request: DecisionRequest, now: number, preview?: PreviewPlacement): DecisionOutcome;
}

/** What deciding reads from the catalogue and audience data, rebuilt only when the store says they changed. */
interface Snapshot {
  version: number;
  disabledSlots: Set<string>;
  creativesBySlot: Map<string, CandidateCreative[]>;
  factsByCreative: Map<string, ScopeFacts>;
  /** Each creative's rules with its campaign's, merged once. */
  rulesByCreative: Map<string, FrequencyRules | null>;
  campaignIds: string[];
  audience: AudienceIndex;
}

/** Delivery counters by creative and campaign, reloaded when the store has counted new events. */
interface DeliverySnapshot {
  version: number;
  byCreative: Map<string, CreativeHistory>;
  exposuresByCampaign: Map<string, number>;
}

/**
 * The reference decision service. For each requested slot it goes through every creative placed there and keeps
 * those that pass, in this order:
 * 1. fit: the slot on the request's channel, a requested format and size;
 * 2. eligibility: campaign active, approved, inside start/end and its Asia/Shanghai day-parting, budget not spent;
 * 3. targeting (skipped into "no match" for targeted campaigns when `consent.personalized` is false);
 * 4. the campaign's experiment: only the operator's bucket's creatives (anonymous operators get the first bucket,
 *    unmarked, so they stay out of the experiment's figures);
 * 5. the request's ledger digest, then the server's own caps over the operator's events on every channel.
 * The survivors are ordered by campaign priority, then weight, then creative id, and a ranker campaign's creatives
 * trade places among themselves by score. Every creative gets a verdict, returned as `reason` when offered and kept
 * for audit either way.
 *
 * @example
 * const engine = createDecisionEngine({ store, hashKey, rankers: new Map([['ctr-bayes', createCtrBayesRanker()]]) });
 * engine.decide(request, Date.now());
 */
export function createDecisionEngine({
  store,
  hashKey,
  rankers,
  allowForce = false,
}: DecisionEngineOptions): DecisionEngine {
  let snapshot: Snapshot | undefined;
  const current = (): Snapshot => {
    const version = store.dataVersion();
    if (snapshot?.version !== version) snapshot = buildSnapshot(version, store);
    return snapshot;
  };
  let delivery: DeliverySnapshot | undefined;
  const currentDelivery = (campaignIds: readonly string[]): DeliverySnapshot => {
    const version = store.deliveryVersion();
    if (delivery?.version !== version) delivery = buildDelivery(version, store.delivery(campaignIds));
    return delivery;
  };

  return {
    decide(request, now, preview) {
      const { creativesBySlot, disabledSlots, factsByCreative, rulesByCreative, campaignIds, audience } = current();
      const { channel } = request.page;
      const operatorHash = request.operator === undefined ? null : hashKey(request.operator);
      const personalised = request.consent.personalized && operatorHash !== null;
      const profileRow = personalised ? store.operatorProfile(operatorHash) : undefined;
      const profile: OperatorProfile | null = profileRow
        ? { enterpriseId: profileRow.enterpriseId, segments: profileRow.segments, tags: profileRow.tags }
        : null;
      const enterpriseHash = profile?.enterpriseId ? hashKey(profile.enterpriseId) : null;
      const facts: TargetingFacts = {
        operatorHash: personalised ? operatorHash : null,
        enterpriseHash,
        profile,
        isWhitelisted: (id, operator, enterprise) => audience.isWhitelisted(id, operator, enterprise),
        reach: (partner, hops, direction) => audience.reach(partner, hops, direction),
      };
      const placed = request.slots.map((slot) => creativesBySlot.get(slot.id) ?? []);
      const hasRules = placed.some((list) => list.some((c) => rulesByCreative.get(c.id)));
      const history =
        operatorHash !== null && hasRules ? store.operatorEvents(operatorHash, now - HISTORY_DAYS * 86_400_000) : [];
      const context: SlotContext = {
        request,
        now,
        facts,
        delivery: currentDelivery(campaignIds),
        history,
        factsByCreative,
        rulesByCreative,
        campaignVerdicts: new Map(),
        rankers,
        cappedCreatives: new Set(request.ledger?.cappedCreatives),
        cappedCampaigns: new Set(request.ledger?.cappedCampaigns),
        targetingAllowed: request.consent.personalized,
      };
      const forced = new Map(allowForce ? request.force?.map((force) => [force.slotId, force.creativeId]) : []);
      let previewShown = false;
      const slots = request.slots.map((slot, index): SlotOutcome => {
        const inSlot = (creativeId: string | undefined) =>
          (placed[index] ?? []).find((creative) => creative.id === creativeId && creative.slot.channel === channel);
        const previewCreative = preview?.slotId === slot.id ? inSlot(preview.creativeId) : undefined;
        if (previewCreative) {
          previewShown = true;
          return soleOutcome(slot, previewCreative, PREVIEW_REASON, { strategy: 'preview', preview: true });
        }
        const forcedCreative = inSlot(forced.get(slot.id));
        if (forcedCreative) return soleOutcome(slot, forcedCreative, FORCED_REASON, { strategy: 'forced' });
        if (disabledSlots.has(`${channel}\u0000${slot.id}`)) {
          return {
            decision: { id: slot.id, candidates: [], disabled: true },
            ledgerExcluded: [],
            reasons: [],
            campaignsLeftOut: {},
          };
        }
        return decideSlot(slot, placed[index] ?? [], context);
      });
      return { slots, operatorHash, ...(preview ? { preview: previewShown ? 'accepted' : 'mismatch' } : {}) };
    },
  };
}

interface SlotContext {
  request: DecisionRequest;
  now: number;
  facts: TargetingFacts;
  delivery: DeliverySnapshot;
  history: readonly OperatorEvent[];
  factsByCreative: ReadonlyMap<string, ScopeFacts>;
  rulesByCreative: ReadonlyMap<string, FrequencyRules | null>;
  /** What the campaign-wide checks said, once per campaign and request. */
  campaignVerdicts: Map<string, CampaignVerdict | string>;
  rankers: ReadonlyMap<string, CreativeRanker>;
  cappedCreatives: ReadonlySet<string>;
  cappedCampaigns: ReadonlySet<string>;
  targetingAllowed: boolean;
}

/** A creative that passed, with what its reason says. */
interface Offer {
  creative: CandidateCreative;
  because: string[];
  experiment?: { id: string; bucket: string };
  rules: FrequencyRules | null;
  score?: RankerScore;
}

function decideSlot(slot: SlotRequest, placed: readonly CandidateCreative[], context: SlotContext): SlotOutcome {
  const { channel } = context.request.page;
  const reasons: SlotOutcome['reasons'] = [];
  const ledgerExcluded: string[] = [];
  const offers: Offer[] = [];
  // A campaign-wide verdict is kept once per campaign: the audit row stays small when most campaigns miss.
  const campaignsLeftOut: Record<string, string[]> = {};
  for (const creative of placed) {
    if (creative.slot.channel !== channel) continue;
    const verdict = judge(creative, slot, context);
    if (verdict instanceof CampaignLeftOut) {
      const ids = campaignsLeftOut[verdict.verdict];
      if (!ids) campaignsLeftOut[verdict.verdict] = [creative.campaign.id];
      else if (!ids.includes(creative.campaign.id)) ids.push(creative.campaign.id);
    } else if (typeof verdict === 'string') {
      if (verdict === LEDGER_VERDICT) ledgerExcluded.push(creative.id);
      reasons.push({ creativeId: creative.id, verdict });
    } else {
      offers.push(verdict);
    }
  }
  const ordered = order(offers, context);
  const candidates = ordered.slice(0, MAX_CANDIDATES).map((offer) => toWire(offer));
  for (const offer of ordered.slice(MAX_CANDIDATES)) {
    reasons.push({ creativeId: offer.creative.id, verdict: `beyond the ${MAX_CANDIDATES} candidates a slot takes` });
  }
  for (const candidate of candidates)
    reasons.push({ creativeId: candidate.id, verdict: `offered: ${candidate.reason}` });
  return { decision: { id: slot.id, candidates }, ledgerExcluded, reasons, campaignsLeftOut };
}

/**
 * A creative QA forced into its slot (where the server allows forcing), or a partner previews there: offered alone,
 * whatever its campaign's state, targeting or caps, and without frequency rules, so that the page shows it for
 * certain. The audit says so.
 */
function soleOutcome(
  slot: SlotRequest,
  creative: CandidateCreative,
  reason: string,
  marks: { strategy: string; preview?: true },
): SlotOutcome {
  const candidate = { ...toWire({ creative, because: [reason], rules: null }), ...marks };
  return {
    decision: { id: slot.id, candidates: [candidate] },
    ledgerExcluded: [],
    reasons: [{ creativeId: creative.id, verdict: `offered: ${reason}` }],
    campaignsLeftOut: {},
  };
}

const FORCED_REASON = 'forced by QA (opslot_force)';
const PREVIEW_REASON = "the partner's preview of its own creative (preview token)";

/** The verdict of a campaign-wide check, which holds for every creative of the campaign. */
class CampaignLeftOut {
  readonly verdict: string;
  constructor(verdict: string) {
    this.verdict = verdict;
  }
}

const LEDGER_VERDICT = 'capped in this browser (ledger digest)';

/** A campaign that passed its campaign-wide checks for this request. */
interface CampaignVerdict {
  because: string[];
  /** The operator's bucket when the campaign runs an experiment; `enrolled` is false for anonymous requests. */
  bucket?: { experimentId: string; bucket: ExperimentBucket; enrolled: boolean; buckets: readonly ExperimentBucket[] };
}

/** The creative's offer, or in a few words why it is left out. */
function judge(creative: CandidateCreative, slot: SlotRequest, context: SlotContext): Offer | string | CampaignLeftOut {
  const { campaign } = creative;
  if (!slot.formats.includes(creative.format)) return `format ${creative.format} not requested`;
  // A creative that is its picture has the picture's size; a text-based one takes its slot's.
  const size = creative.image && creative.format !== 'card-list' ? creative.image : creative.slot;
  const sizeFits =
    slot.sizes.length === 0 || slot.sizes.some(([width, height]) => width === size.width && height === size.height);
  if (!sizeFits) return `size ${size.width}×${size.height} not requested`;
  let verdict = context.campaignVerdicts.get(campaign.id);
  if (verdict === undefined) {
    verdict = judgeCampaign(creative, context);
    context.campaignVerdicts.set(campaign.id, verdict);
  }
  if (typeof verdict === 'string') return new CampaignLeftOut(verdict);
  const because = [...verdict.because];
  let experiment: Offer['experiment'];
  if (verdict.bucket) {
    const { experimentId, bucket, enrolled, buckets } = verdict.bucket;
    const inSomeBucket = buckets.some((b) => b.creativeIds.includes(creative.id));
    if (inSomeBucket && !bucket.creativeIds.includes(creative.id)) {
      return `experiment ${experimentId}: operator in ${bucket.id}`;
    }
    if (!enrolled) because.push(`experiment ${experimentId}: anonymous, ${bucket.id}`);
    else if (inSomeBucket) {
      experiment = { id: experimentId, bucket: bucket.id };
      because.push(`experiment ${experimentId} bucket ${bucket.id}`);
    }
  }
  if (context.cappedCreatives.has(creative.id) || context.cappedCampaigns.has(campaign.id)) return LEDGER_VERDICT;
  const rules = context.rulesByCreative.get(creative.id) ?? null;
  const facts = context.factsByCreative.get(creative.id);
  if (rules && facts && context.history.length > 0) {
    const breach = serverCapBreach(rules, facts, context.history, context.now, (id) => context.factsByCreative.get(id));
    if (breach) return breach;
  }
  return { creative, because, rules, ...(experiment ? { experiment } : {}) };
}

/** The checks that hold for every creative of a campaign: state, schedule, budget, targeting, experiment bucket. */
function judgeCampaign(creative: CandidateCreative, context: SlotContext): CampaignVerdict | string {
  const { campaign } = creative;
  const { now } = context;
  if (campaign.status !== 'active') return `campaign ${campaign.status}`;
  if (campaign.approval !== 'approved') return `approval ${campaign.approval}`;
  if (now < campaign.start) return 'campaign not started';
  if (campaign.end !== null && now >= campaign.end) return 'campaign ended';
  if (campaign.schedule && !isInSchedule(campaign.schedule, now)) return 'outside the day-parting schedule';
  if (campaign.budgetExposures !== null) {
    const delivered = context.delivery.exposuresByCampaign.get(campaign.id) ?? 0;
    if (delivered >= campaign.budgetExposures) return `budget spent (${delivered}/${campaign.budgetExposures})`;
  }
  const because = [
    `priority ${campaign.priority} campaign ${campaign.id}, slot ${creative.slotId}, channel ${creative.slot.channel}`,
  ];
  if (campaign.targeting) {
    if (!context.targetingAllowed) return 'targeted, but the request is not personalised';
    // The explanation is built only for a match: most campaigns do not match most operators.
    if (!matchesTargeting(campaign.targeting, context.facts)) return 'targeting not matched';
    because.push(evaluateTargeting(campaign.targeting, context.facts).because);
  }
  if (campaign.strategy.type !== 'experiment') return { because };
  const { id, buckets } = campaign.strategy;
  const operator = context.request.operator;
  const enrolled = operator !== undefined;
  const bucket = enrolled ? experimentBucket(id, operator, buckets) : (buckets[0] as ExperimentBucket);
  return { because, bucket: { experimentId: id, bucket, enrolled, buckets } };
}

/**
 * By campaign priority, then weight, then creative id (the same answer every time); then the creatives of each
 * ranker campaign are re-dealt into the places they hold, best score first.
 */
function order(offers: Offer[], context: SlotContext): Offer[] {
  const sorted = [...offers].sort(
    (a, b) =>
      b.creative.campaign.priority - a.creative.campaign.priority ||
      b.creative.campaign.weight - a.creative.campaign.weight ||
      (a.creative.id < b.creative.id ? -1 : a.creative.id > b.creative.id ? 1 : 0),
  );
  const byCampaign = new Map<string, number[]>();
  for (const [index, offer] of sorted.entries()) {
    if (offer.creative.campaign.strategy.type !== 'ranker') continue;
    const places = byCampaign.get(offer.creative.campaign.id) ?? [];
    places.push(index);
    byCampaign.set(offer.creative.campaign.id, places);
  }
  for (const places of byCampaign.values()) {
    const group = places.map((index) => sorted[index] as Offer);
    const strategy = group[0]?.creative.campaign.strategy;
    const ranker = strategy?.type === 'ranker' ? context.rankers.get(strategy.ranker) : undefined;
    if (!ranker) continue;
    for (const offer of group) {
      const history = context.delivery.byCreative.get(offer.creative.id) ?? NO_HISTORY;
      offer.score = ranker.score(offer.creative.id, history);
      offer.because.push(`${ranker.id} ${offer.score.explanation}`);
    }
    group.sort((a, b) => (b.score?.score ?? 0) - (a.score?.score ?? 0));
    for (const [i, index] of places.entries()) sorted[index] = group[i] as Offer;
  }
  return sorted;
}

function toWire({ creative, because, experiment, rules }: Offer): Creative {
  const { campaign, image, logo, text, brandColor } = creative;
  const reason = because.join(' · ');
  return {
    id: creative.id,
    campaignId: campaign.id,
    format: creative.format,
    advertiser: creative.advertiser,
    assets: {
      ...(image ? { image: imageAsset(image) } : {}),
      ...(text ? { text } : {}),
      ...(logo ? { logo: imageAsset(logo) } : {}),
      ...(brandColor ? { brandColor } : {}),
    },
    landingUrl: creative.landingUrl,
    strategy: campaign.strategy.type,
    ...(experiment ? { experiment } : {}),
    reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
    ...(rules ? { frequency: rules } : {}),
  };
}

function imageAsset(image: CatalogueImage): ImageAsset {
  return { src: creativeAssetUrl(image), width: image.width, height: image.height, alt: image.alt };
}

const NO_HISTORY: CreativeHistory = { exposures: 0, clicks: 0 };

function buildDelivery(version: number, rows: readonly CreativeDelivery[]): DeliverySnapshot {
  const byCreative = new Map<string, CreativeHistory>();
  const exposuresByCampaign = new Map<string, number>();
  for (const row of rows) {
    byCreative.set(row.creativeId, { exposures: row.exposures, clicks: row.clicks });
    exposuresByCampaign.set(row.campaignId, (exposuresByCampaign.get(row.campaignId) ?? 0) + row.exposures);
  }
  return { version, byCreative, exposuresByCampaign };
}

function buildSnapshot(version: number, store: Store): Snapshot {
  // Partner campaigns sit beside the catalogue's: unapproved ones are judged out like any, but a preview finds them.
  const own = store.catalogue();
  const partner = store.partnerCatalogue();
  const catalogue: Catalogue = {
    ...own,
    campaigns: [...own.campaigns, ...partner.campaigns],
    creatives: [...own.creatives, ...partner.creatives],
  };
  const slots = new Map(catalogue.slots.map((s) => [s.id, s]));
  const campaigns = new Map(catalogue.campaigns.map((c) => [c.id, c]));
  const advertisers = new Map(catalogue.advertisers.map((a) => [a.id, a]));
  const creativesBySlot = new Map<string, CandidateCreative[]>();
  const factsByCreative = new Map<string, ScopeFacts>();
  const rulesByCreative = new Map<string, FrequencyRules | null>();
  for (const creative of catalogue.creatives) {
    const slot = slots.get(creative.slotId);
    const campaign = campaigns.get(creative.campaignId);
    const advertiser = campaign && advertisers.get(campaign.advertiserId);
    if (!slot || !campaign || !advertiser) continue;
    const candidate: CandidateCreative = {
      ...creative,
      slot,
      campaign,
      advertiser: { id: advertiser.id, name: advertiser.name },
    };
    const list = creativesBySlot.get(slot.id) ?? [];
    list.push(candidate);
    creativesBySlot.set(slot.id, list);
    factsByCreative.set(creative.id, {
      creativeId: creative.id,
      campaignId: campaign.id,
      slotId: slot.id,
      advertiserId: advertiser.id,
      format: creative.format,
    });
    rulesByCreative.set(creative.id, mergeFrequencyRules(campaign.frequency, creative.frequency));
  }
  return {
    version,
    disabledSlots: new Set(catalogue.slots.filter((s) => !s.enabled).map((s) => `${s.channel}\u0000${s.id}`)),
    creativesBySlot,
    factsByCreative,
    rulesByCreative,
    campaignIds: catalogue.campaigns.map((c) => c.id),
    audience: new AudienceIndex(store.whitelistHashes(), store.graphEdges()),
  };
}

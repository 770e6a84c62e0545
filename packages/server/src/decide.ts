import type { Creative, DecisionRequest, FrequencyRules, ImageAsset, SlotDecision, SlotRequest } from '@opslot/core';
import { AudienceIndex } from './audience-index.js';
import type { CandidateCreative, Catalogue, CatalogueCampaign, CatalogueImage, CatalogueSlot } from './catalogue.js';
import { creativeAssetUrl } from './creative-asset-url.js';
import type { CreativeHistory, CreativeRanker, RankerScore } from './creative-ranker.js';
import { isInSchedule } from './day-schedule.js';
import type { ExperimentBucket } from './distribution-strategy.js';
import { experimentBucket } from './experiment-bucket.js';
import { mergeFrequencyRules } from './merge-frequency-rules.js';
import type { OperatorVerdicts } from './operator-verdicts.js';
import { OperatorVerdictCache } from './operator-verdicts.js';
import type { OperatorEvent, ScopeFacts } from './server-caps.js';
import { HISTORY_DAYS, serverCapBreach } from './server-caps.js';
import type { CreativeDelivery, DecisionAudit, Store } from './store.js';
import type { OperatorProfile, TargetingFacts, TargetingMatcher } from './targeting-rule.js';
import { compileExplanation, compileTargeting } from './targeting-rule.js';

/**
 * Candidates offered per slot (the response schema allows 20): enough fallbacks for creatives the browser's ledger
 * vetoes, without sending a page the whole catalogue.
 */
const MAX_CANDIDATES = 8;
/** The response schema's limit on `reason`; the audit record keeps the same text. */
const MAX_REASON_LENGTH = 200;
/**
 * Operators whose targeting verdicts and experiment buckets are kept between their requests: a few kilobytes each
 * with a few hundred campaigns, so some tens of megabytes at most.
 */
const REMEMBERED_OPERATORS = 5_000;

/** One requested slot's answer, with what the audit record keeps beside it. */
export interface SlotOutcome {
  decision: SlotDecision;
  /** Eligible creatives left out because the request's ledger digest says they are capped in this browser. */
  ledgerExcluded: string[];
  /**
   * Creatives placed in the slot whose campaign passed the campaign-wide checks, by verdict: `offered: ` and the
   * offer's reason, or why it was left out. Grouped as the audit row stores them, verdicts and ids in judging order.
   */
  creativesByVerdict: ReadonlyMap<string, readonly string[]>;
  /** Campaigns left out as a whole (state, schedule, budget, targeting), by verdict: every creative of theirs here. */
  campaignsLeftOut: Record<string, string[]>;
  /**
   * `decision` as JSON, in pieces whose concatenation (strings as UTF-8) is exactly `JSON.stringify(decision)`: what
   * does not change between requests (a candidate's ids, advertiser, assets, landing URL, rules) is encoded once per
   * catalogue version, so an answer costs a copy of those bytes rather than a fresh serialisation; what changes (the
   * reason) stays a string until the answer is written.
   */
  encoded: (Buffer | string)[];
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
/** The audit record of a decision: what the request asked and what the engine made of each slot, keyed by its id. */
export function decisionAudit(
  id: string,
  at: number,
  request: DecisionRequest,
  { slots, operatorHash }: DecisionOutcome,
): DecisionAudit {
  return {
    id,
    at,
    channel: request.page.channel,
    pageId: request.page.pageId,
    operatorHash,
    slots: slots.map(({ decision, ledgerExcluded, creativesByVerdict, campaignsLeftOut }) => ({
      id: decision.id,
      creativeIds: decision.candidates.map((creative) => creative.id),
      ledgerExcluded,
      disabled: decision.disabled === true,
      creativesByVerdict,
      campaignsLeftOut,
    })),
  };
}

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

/**
 * What deciding reads from the catalogue and audience data, rebuilt only when the store says they changed: everything
 * that does not depend on the request is worked out here once, so that a decision only does the request's part.
 */
interface Snapshot {
  version: number;
  slots: Map<string, SlotPlan>;
  factsByCreative: Map<string, ScopeFacts>;
  campaignCount: number;
  campaignIds: string[];
  audience: AudienceIndex;
  /** The store's audience version the index was built at. */
  audienceVersion: number;
}

/** A slot of the catalogue with the creatives placed in it, in catalogue (creative id) order. */
interface SlotPlan {
  slot: CatalogueSlot;
  placed: PlacedCreative[];
  /** Whether any creative here has frequency rules, so that the operator's events are worth reading. */
  hasRules: boolean;
}

/** A creative in its slot, with what does not change between requests. */
interface PlacedCreative {
  creative: CandidateCreative;
  campaign: CampaignPlan;
  /** Its place in the slot by campaign priority, then weight, then creative id: the order offers are made in. */
  rank: number;
  /** The size a requested size must equal: a picture's own, or its slot's for text-based formats. */
  width: number;
  height: number;
  facts: ScopeFacts;
  /** The creative's rules with its campaign's, merged. */
  rules: FrequencyRules | null;
  /** Whether its campaign's experiment lists it in some bucket (otherwise every bucket gets it). */
  inSomeBucket: boolean;
  /** The first words of its reason, naming its campaign's priority, its slot and channel. */
  campaignReason: string;
  /** Its verdicts when the request asks for other formats or sizes. */
  formatVerdict: string;
  sizeVerdict: string;
  /** Its `assets` as the wire carries them, shared by every answer that offers it. */
  assets: Creative['assets'];
  /** The wire JSON of its candidate up to `strategy` (no closing brace), and from `frequency` on (or just `}`). */
  wireHead: Buffer;
  wireTail: Buffer;
}

interface CampaignPlan {
  campaign: CatalogueCampaign;
  /** Index into a request's campaign verdicts. */
  index: number;
  /** The campaign's targeting compiled against this snapshot's audience; null when it targets everyone. */
  matches: TargetingMatcher | null;
  /** The words of a match, compiled likewise. */
  explain: ((facts: TargetingFacts) => string) | null;
  /** The buckets of its experiment, when it runs one. */
  arms: ReadonlyMap<ExperimentBucket, ExperimentArm> | null;
}

/** A bucket of an experiment, with the words and the wire mark every request in it shares. */
interface ExperimentArm {
  creativeIds: ReadonlySet<string>;
  /** The verdict of a creative listed in another bucket. */
  outVerdict: string;
  /** The reason's words for an operator in the bucket, and for an anonymous request (always the first bucket). */
  enrolledReason: string;
  anonymousReason: string;
  /** The candidate's `experiment`. */
  mark: { id: string; bucket: string };
}

/** Delivery counters by creative and campaign, reloaded when the store has counted new events. */
interface DeliverySnapshot {
  version: number;
  /** The catalogue whose campaigns' counters these are. */
  snapshot: Snapshot;
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
  let latest: Snapshot | undefined;
  const currentSnapshot = (): Snapshot => {
    const version = store.dataVersion();
    if (latest?.version !== version) latest = buildSnapshot(version, store, latest);
    return latest;
  };
  let delivery: DeliverySnapshot | undefined;
  // Reloaded when events counted new deliveries, and when the catalogue changed: a campaign added back, or one that
  // names creatives already delivered, must see its counters at once rather than after the next event batch.
  const currentDelivery = (of: Snapshot): DeliverySnapshot => {
    const version = store.deliveryVersion();
    if (delivery?.version !== version || delivery.snapshot !== of) {
      delivery = buildDelivery(version, of, store.delivery(of.campaignIds));
    }
    return delivery;
  };
  const operators = new OperatorVerdictCache(REMEMBERED_OPERATORS);
  const readProfile = (operatorHash: string): NonNullable<OperatorVerdicts['profile']> => {
    const row = store.operatorProfile(operatorHash);
    const profile: OperatorProfile | null = row
      ? { enterpriseId: row.enterpriseId, segments: row.segments, tags: row.tags }
      : null;
    return { profile, enterpriseHash: profile?.enterpriseId ? hashKey(profile.enterpriseId) : null };
  };

  return {
    decide(request, now, preview) {
      const snapshot = currentSnapshot();
      const { slots: slotPlans, factsByCreative, campaignCount, audience } = snapshot;
      const { channel } = request.page;
      const operatorHash = request.operator === undefined ? null : hashKey(request.operator);
      const personalised = request.consent.personalized && operatorHash !== null;
      const known =
        operatorHash === null ? null : operators.get(operatorHash, snapshot.version, store.profileVersion());
      if (known && personalised) known.profile ??= readProfile(operatorHash);
      const profile = (personalised && known?.profile?.profile) || null;
      const enterpriseHash = (personalised && known?.profile?.enterpriseHash) || null;
      const facts: TargetingFacts = {
        operatorHash: personalised ? operatorHash : null,
        enterpriseHash,
        profile,
        isWhitelisted: (id, operator, enterprise) => audience.isWhitelisted(id, operator, enterprise),
        reach: (partner, hops, direction) => audience.reach(partner, hops, direction),
      };
      const plans = request.slots.map((slot) => slotPlans.get(slot.id));
      const hasRules = plans.some((plan) => plan?.hasRules);
      const history =
        operatorHash !== null && hasRules ? store.operatorEvents(operatorHash, now - HISTORY_DAYS * 86_400_000) : [];
      const context: SlotContext = {
        request,
        now,
        facts,
        delivery: currentDelivery(snapshot),
        history,
        factsByCreative,
        campaignVerdicts: new Array(campaignCount),
        known,
        rankers,
        cappedCreatives: new Set(request.ledger?.cappedCreatives),
        cappedCampaigns: new Set(request.ledger?.cappedCampaigns),
        targetingAllowed: request.consent.personalized,
      };
      const forced = allowForce && request.force ? new Map(request.force.map((f) => [f.slotId, f.creativeId])) : null;
      let previewShown = false;
      const slots = request.slots.map((slot, index): SlotOutcome => {
        const plan = plans[index];
        // Slot ids are unique across channels: a slot of another channel has nothing for this page.
        if (!plan || plan.slot.channel !== channel) return decideSlot(slot, [], context);
        const placedAs = (creativeId: string | undefined) =>
          creativeId === undefined ? undefined : plan.placed.find((p) => p.creative.id === creativeId);
        const forcedCreative = placedAs(forced?.get(slot.id));
        // The bank's kill switch wins over everything, a partner's preview included, but QA's forcing, which only a
        // test environment allows.
        if (!plan.slot.enabled && !forcedCreative) {
          const decision: SlotDecision = { id: slot.id, candidates: [], disabled: true };
          return {
            decision,
            ledgerExcluded: [],
            creativesByVerdict: new Map(),
            campaignsLeftOut: {},
            encoded: [JSON.stringify(decision)],
          };
        }
        const previewCreative = preview?.slotId === slot.id ? placedAs(preview.creativeId) : undefined;
        if (previewCreative) {
          previewShown = true;
          return soleOutcome(slot, previewCreative, PREVIEW_REASON, { strategy: 'preview', preview: true });
        }
        if (forcedCreative) return soleOutcome(slot, forcedCreative, FORCED_REASON, { strategy: 'forced' });
        return decideSlot(slot, plan.placed, context);
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
  /** What earlier requests of the operator found out, kept for later ones; null for anonymous requests. */
  known: OperatorVerdicts | null;
  /** What the campaign-wide checks said, once per campaign and request, by `CampaignPlan.index`. */
  campaignVerdicts: (CampaignVerdict | CampaignLeftOut | undefined)[];
  rankers: ReadonlyMap<string, CreativeRanker>;
  cappedCreatives: ReadonlySet<string>;
  cappedCampaigns: ReadonlySet<string>;
  targetingAllowed: boolean;
}

/**
 * A creative that passed, with what its reason will say: the words are joined only for the few candidates offered,
 * not for the many offers a slot has beyond them.
 */
interface Offer {
  placed: PlacedCreative;
  /** The reason's first words: the creative's campaign, priority, slot and channel, or why it is offered alone. */
  lead: string;
  /** What the campaign's targeting matched, when it targets. */
  targetingReason: string | undefined;
  /** What the experiment says of this creative, when the campaign runs one. */
  experimentReason: string | undefined;
  experiment: { id: string; bucket: string } | undefined;
  /** The ranker's score, when the campaign is ranked. */
  ranked: { rankerId: string; score: RankerScore } | undefined;
}

function decideSlot(slot: SlotRequest, placed: readonly PlacedCreative[], context: SlotContext): SlotOutcome {
  // A Map, not an object: most verdicts are fresh strings, which an object's keys would have to intern.
  const creativesByVerdict = new Map<string, string[]>();
  const ledgerExcluded: string[] = [];
  const offers: Offer[] = [];
  // A campaign-wide verdict is kept once per campaign: the audit row stays small when most campaigns miss.
  const campaignsLeftOut: Record<string, string[]> = {};
  for (const creative of placed) {
    const verdict = judge(creative, slot, context);
    if (verdict instanceof CampaignLeftOut) {
      if (verdict.listedIn === slot) continue;
      verdict.listedIn = slot;
      const ids = campaignsLeftOut[verdict.verdict];
      if (ids) ids.push(creative.campaign.campaign.id);
      else campaignsLeftOut[verdict.verdict] = [creative.campaign.campaign.id];
    } else if (typeof verdict === 'string') {
      if (verdict === LEDGER_VERDICT) ledgerExcluded.push(creative.creative.id);
      listCreative(creativesByVerdict, verdict, creative.creative.id);
    } else {
      offers.push(verdict);
    }
  }
  const ordered = order(offers, placed.length, context);
  const offered = ordered.slice(0, MAX_CANDIDATES);
  const candidates = offered.map((offer) => toWire(offer));
  if (ordered.length > MAX_CANDIDATES) {
    const beyond = ordered.slice(MAX_CANDIDATES).map((offer) => offer.placed.creative.id);
    const earlier = creativesByVerdict.get(BEYOND_CANDIDATES_VERDICT);
    if (earlier) earlier.push(...beyond);
    else creativesByVerdict.set(BEYOND_CANDIDATES_VERDICT, beyond);
  }
  for (const candidate of candidates) listCreative(creativesByVerdict, `offered: ${candidate.reason}`, candidate.id);
  // The same JSON as JSON.stringify(decision), key for key: `{"id":…,"candidates":[…]}`.
  const encoded: SlotOutcome['encoded'] = [`{"id":${JSON.stringify(slot.id)},"candidates":[`];
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as Creative;
    const { wireHead, wireTail } = (offered[i] as Offer).placed;
    const experiment = candidate.experiment ? `,"experiment":${JSON.stringify(candidate.experiment)}` : '';
    encoded.push(wireHead, `${experiment},"reason":${JSON.stringify(candidate.reason)}`, wireTail);
    if (i < candidates.length - 1) encoded.push(',');
  }
  encoded.push(']}');
  return { decision: { id: slot.id, candidates }, ledgerExcluded, creativesByVerdict, campaignsLeftOut, encoded };
}

function listCreative(byVerdict: Map<string, string[]>, verdict: string, creativeId: string): void {
  const ids = byVerdict.get(verdict);
  if (ids) ids.push(creativeId);
  else byVerdict.set(verdict, [creativeId]);
}

const BEYOND_CANDIDATES_VERDICT = `beyond the ${MAX_CANDIDATES} candidates a slot takes`;

/**
 * A creative QA forced into its slot (where the server allows forcing), or a partner previews there: offered alone,
 * whatever its campaign's state, targeting or caps, and without frequency rules, so that the page shows it for
 * certain. The audit says so.
 */
function soleOutcome(
  slot: SlotRequest,
  placed: PlacedCreative,
  reason: string,
  marks: { strategy: string; preview?: true },
): SlotOutcome {
  const offer: Offer = {
    placed,
    lead: reason,
    targetingReason: undefined,
    experimentReason: undefined,
    experiment: undefined,
    ranked: undefined,
  };
  const candidate = { ...toWire(offer, null), ...marks };
  const decision: SlotDecision = { id: slot.id, candidates: [candidate] };
  return {
    decision,
    ledgerExcluded: [],
    creativesByVerdict: new Map([[`offered: ${reason}`, [placed.creative.id]]]),
    campaignsLeftOut: {},
    encoded: [JSON.stringify(decision)],
  };
}

const FORCED_REASON = 'forced by QA (opslot_force)';
const PREVIEW_REASON = "the partner's preview of its own creative (preview token)";

/**
 * The verdict of a campaign-wide check, which holds for every creative of the campaign: one object per campaign and
 * request, so that a slot lists each campaign once.
 */
class CampaignLeftOut {
  readonly verdict: string;
  /** The slot whose audit lists the campaign already. */
  listedIn: SlotRequest | undefined;
  constructor(verdict: string) {
    this.verdict = verdict;
  }
}

const LEDGER_VERDICT = 'capped in this browser (ledger digest)';

/** A campaign that passed its campaign-wide checks for this request. */
interface CampaignVerdict {
  /** What its targeting matched, when it targets. */
  targetingReason: string | undefined;
  /** The operator's bucket when the campaign runs an experiment; `enrolled` is false for anonymous requests. */
  arm?: ExperimentArm;
  enrolled?: boolean;
}

/** The creative's offer, or in a few words why it is left out. */
function judge(placed: PlacedCreative, slot: SlotRequest, context: SlotContext): Offer | string | CampaignLeftOut {
  const { creative } = placed;
  if (!slot.formats.includes(creative.format)) return placed.formatVerdict;
  if (!fitsSizes(slot.sizes, placed.width, placed.height)) return placed.sizeVerdict;
  const { index } = placed.campaign;
  let verdict = context.campaignVerdicts[index];
  if (verdict === undefined) {
    verdict = judgeCampaign(placed, context);
    context.campaignVerdicts[index] = verdict;
  }
  if (verdict instanceof CampaignLeftOut) return verdict;
  let experimentReason: string | undefined;
  let experiment: Offer['experiment'];
  const { arm } = verdict;
  if (arm) {
    if (placed.inSomeBucket && !arm.creativeIds.has(creative.id)) return arm.outVerdict;
    if (!verdict.enrolled) experimentReason = arm.anonymousReason;
    else if (placed.inSomeBucket) {
      experiment = arm.mark;
      experimentReason = arm.enrolledReason;
    }
  }
  if (context.cappedCreatives.has(creative.id) || context.cappedCampaigns.has(creative.campaignId)) {
    return LEDGER_VERDICT;
  }
  const { rules } = placed;
  if (rules && context.history.length > 0) {
    const { factsByCreative } = context;
    const breach = serverCapBreach(rules, placed.facts, context.history, context.now, (id) => factsByCreative.get(id));
    if (breach) return breach;
  }
  return {
    placed,
    lead: placed.campaignReason,
    targetingReason: verdict.targetingReason,
    experimentReason,
    experiment,
    ranked: undefined,
  };
}

/** Whether a creative of this size may fill a slot requested in `sizes` (no sizes: any). */
function fitsSizes(sizes: SlotRequest['sizes'], width: number, height: number): boolean {
  if (sizes.length === 0) return true;
  for (const [w, h] of sizes) if (w === width && h === height) return true;
  return false;
}

/** The checks that hold for every creative of a campaign: state, schedule, budget, targeting, experiment bucket. */
function judgeCampaign(placed: PlacedCreative, context: SlotContext): CampaignVerdict | CampaignLeftOut {
  const { campaign, matches, explain, index, arms } = placed.campaign;
  const { now } = context;
  if (campaign.status !== 'active') return new CampaignLeftOut(`campaign ${campaign.status}`);
  if (campaign.approval !== 'approved') return new CampaignLeftOut(`approval ${campaign.approval}`);
  if (now < campaign.start) return new CampaignLeftOut('campaign not started');
  if (campaign.end !== null && now >= campaign.end) return new CampaignLeftOut('campaign ended');
  if (campaign.schedule && !isInSchedule(campaign.schedule, now)) {
    return new CampaignLeftOut('outside the day-parting schedule');
  }
  if (campaign.budgetExposures !== null) {
    const delivered = context.delivery.exposuresByCampaign.get(campaign.id) ?? 0;
    if (delivered >= campaign.budgetExposures) {
      return new CampaignLeftOut(`budget spent (${delivered}/${campaign.budgetExposures})`);
    }
  }
  let targetingReason: string | undefined;
  if (matches && explain) {
    if (!context.targetingAllowed) return new CampaignLeftOut('targeted, but the request is not personalised');
    // Personalised requests have an operator, and so a place to keep what their targeting said.
    const known = context.known;
    let matched = known?.targeting[index];
    if (matched === undefined) {
      // The explanation is built only for a match: most campaigns do not match most operators.
      matched = matches(context.facts) && explain(context.facts);
      if (known) known.targeting[index] = matched;
    }
    if (matched === false) return new CampaignLeftOut('targeting not matched');
    targetingReason = matched;
  }
  if (campaign.strategy.type !== 'experiment' || !arms) return { targetingReason };
  const { id, buckets } = campaign.strategy;
  const operator = context.request.operator;
  if (operator === undefined) {
    return { targetingReason, arm: arms.get(buckets[0] as ExperimentBucket), enrolled: false };
  }
  const known = context.known;
  let bucket = known?.buckets[index];
  if (bucket === undefined) {
    bucket = experimentBucket(id, operator, buckets);
    if (known) known.buckets[index] = bucket;
  }
  return { targetingReason, arm: arms.get(bucket), enrolled: true };
}

/**
 * By campaign priority, then weight, then creative id (the same answer every time, ranked once per catalogue
 * version); then the creatives of each ranker campaign are re-dealt into the places they hold, best score first.
 */
function order(offers: readonly Offer[], placedCount: number, context: SlotContext): Offer[] {
  const byRank = new Array<Offer | undefined>(placedCount);
  for (const offer of offers) byRank[offer.placed.rank] = offer;
  const sorted = byRank.filter((offer) => offer !== undefined);
  let byCampaign: Map<CampaignPlan, number[]> | undefined;
  for (let index = 0; index < sorted.length; index++) {
    const offer = sorted[index] as Offer;
    if (offer.placed.campaign.campaign.strategy.type !== 'ranker') continue;
    byCampaign ??= new Map();
    const places = byCampaign.get(offer.placed.campaign);
    if (places) places.push(index);
    else byCampaign.set(offer.placed.campaign, [index]);
  }
  for (const [plan, places] of byCampaign ?? []) {
    const { strategy } = plan.campaign;
    const ranker = strategy.type === 'ranker' ? context.rankers.get(strategy.ranker) : undefined;
    if (!ranker) continue;
    const group = places.map((index) => sorted[index] as Offer);
    for (const offer of group) {
      const history = context.delivery.byCreative.get(offer.placed.creative.id) ?? NO_HISTORY;
      offer.ranked = { rankerId: ranker.id, score: ranker.score(offer.placed.creative.id, history) };
    }
    group.sort((a, b) => (b.ranked?.score.score ?? 0) - (a.ranked?.score.score ?? 0));
    for (const [i, index] of places.entries()) sorted[index] = group[i] as Offer;
  }
  return sorted;
}

/** The candidate as the wire carries it; `rules` are the placed creative's unless the caller says otherwise. */
function toWire(
  { placed, lead, targetingReason, experimentReason, experiment, ranked }: Offer,
  rules: FrequencyRules | null = placed.rules,
): Creative {
  const { creative, assets } = placed;
  let reason = lead;
  if (targetingReason) reason += ` · ${targetingReason}`;
  if (experimentReason) reason += ` · ${experimentReason}`;
  if (ranked) reason += ` · ${ranked.rankerId} ${ranked.score.explanation}`;
  return {
    id: creative.id,
    campaignId: creative.campaignId,
    format: creative.format,
    advertiser: creative.advertiser,
    assets,
    landingUrl: creative.landingUrl,
    strategy: creative.campaign.strategy.type,
    ...(experiment ? { experiment } : {}),
    reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
    ...(rules ? { frequency: rules } : {}),
  };
}

function wireAssets({ image, text, logo, brandColor }: CandidateCreative): Creative['assets'] {
  return {
    ...(image ? { image: imageAsset(image) } : {}),
    ...(text ? { text } : {}),
    ...(logo ? { logo: imageAsset(logo) } : {}),
    ...(brandColor ? { brandColor } : {}),
  };
}

function imageAsset(image: CatalogueImage): ImageAsset {
  return { src: creativeAssetUrl(image), width: image.width, height: image.height, alt: image.alt };
}

const NO_HISTORY: CreativeHistory = { exposures: 0, clicks: 0 };

function buildDelivery(version: number, snapshot: Snapshot, rows: readonly CreativeDelivery[]): DeliverySnapshot {
  const byCreative = new Map<string, CreativeHistory>();
  const exposuresByCampaign = new Map<string, number>();
  for (const row of rows) {
    byCreative.set(row.creativeId, { exposures: row.exposures, clicks: row.clicks });
    exposuresByCampaign.set(row.campaignId, (exposuresByCampaign.get(row.campaignId) ?? 0) + row.exposures);
  }
  return { version, snapshot, byCreative, exposuresByCampaign };
}

function experimentArms({ strategy }: CatalogueCampaign): Map<ExperimentBucket, ExperimentArm> | null {
  if (strategy.type !== 'experiment') return null;
  const { id } = strategy;
  return new Map(
    strategy.buckets.map((bucket) => [
      bucket,
      {
        creativeIds: new Set(bucket.creativeIds),
        outVerdict: `experiment ${id}: operator in ${bucket.id}`,
        enrolledReason: `experiment ${id} bucket ${bucket.id}`,
        anonymousReason: `experiment ${id}: anonymous, ${bucket.id}`,
        mark: { id, bucket: bucket.id },
      },
    ]),
  );
}

/**
 * The snapshot of the store's data at `version`. The audience index (whitelists, and the relation graph with its reach
 * sets: most of the work with a large graph) is the previous snapshot's when no whitelist or edge changed since.
 */
function buildSnapshot(version: number, store: Store, previous: Snapshot | undefined): Snapshot {
  // Partner campaigns sit beside the catalogue's: unapproved ones are judged out like any, but a preview finds them.
  const own = store.catalogue();
  const partner = store.partnerCatalogue();
  const catalogue: Catalogue = {
    ...own,
    campaigns: [...own.campaigns, ...partner.campaigns],
    creatives: [...own.creatives, ...partner.creatives],
  };
  const audienceVersion = store.audienceVersion();
  const audience =
    previous?.audienceVersion === audienceVersion
      ? previous.audience
      : new AudienceIndex(store.whitelistHashes(), store.graphEdges());
  const slots = new Map<string, SlotPlan>(
    catalogue.slots.map((slot) => [slot.id, { slot, placed: [], hasRules: false }]),
  );
  const campaigns = new Map(
    catalogue.campaigns.map((campaign, index): [string, CampaignPlan] => [
      campaign.id,
      {
        campaign,
        index,
        matches: campaign.targeting ? compileTargeting(campaign.targeting, audience) : null,
        explain: campaign.targeting ? compileExplanation(campaign.targeting, audience) : null,
        arms: experimentArms(campaign),
      },
    ]),
  );
  const advertisers = new Map(catalogue.advertisers.map((a) => [a.id, a]));
  const factsByCreative = new Map<string, ScopeFacts>();
  for (const creative of catalogue.creatives) {
    const plan = slots.get(creative.slotId);
    const campaignPlan = campaigns.get(creative.campaignId);
    const advertiser = campaignPlan && advertisers.get(campaignPlan.campaign.advertiserId);
    if (!plan || !campaignPlan || !advertiser) continue;
    const { slot } = plan;
    const { campaign } = campaignPlan;
    const candidate: CandidateCreative = {
      ...creative,
      slot,
      campaign,
      advertiser: { id: advertiser.id, name: advertiser.name },
    };
    const facts: ScopeFacts = {
      creativeId: creative.id,
      campaignId: campaign.id,
      slotId: slot.id,
      advertiserId: advertiser.id,
      format: creative.format,
    };
    factsByCreative.set(creative.id, facts);
    // A creative that is its picture has the picture's size; a text-based one takes its slot's.
    const size = creative.image && creative.format !== 'card-list' ? creative.image : slot;
    const { strategy } = campaign;
    const rules = mergeFrequencyRules(campaign.frequency, creative.frequency);
    const assets = wireAssets(candidate);
    // toWire's keys in toWire's order, up to the ones that change between requests.
    const head: Omit<Creative, 'experiment' | 'reason' | 'frequency'> = {
      id: creative.id,
      campaignId: campaign.id,
      format: creative.format,
      advertiser: candidate.advertiser,
      assets,
      landingUrl: creative.landingUrl,
      strategy: strategy.type,
    };
    plan.placed.push({
      creative: candidate,
      campaign: campaignPlan,
      rank: 0,
      width: size.width,
      height: size.height,
      facts,
      rules,
      inSomeBucket: strategy.type === 'experiment' && strategy.buckets.some((b) => b.creativeIds.includes(creative.id)),
      campaignReason: `priority ${campaign.priority} campaign ${campaign.id}, slot ${slot.id}, channel ${slot.channel}`,
      formatVerdict: `format ${creative.format} not requested`,
      sizeVerdict: `size ${size.width}×${size.height} not requested`,
      assets,
      wireHead: Buffer.from(JSON.stringify(head).slice(0, -1)),
      wireTail: Buffer.from(rules ? `,"frequency":${JSON.stringify(rules)}}` : '}'),
    });
    if (rules) plan.hasRules = true;
  }
  for (const { placed } of slots.values()) {
    const ranked = [...placed].sort(
      (a, b) =>
        b.campaign.campaign.priority - a.campaign.campaign.priority ||
        b.campaign.campaign.weight - a.campaign.campaign.weight ||
        (a.creative.id < b.creative.id ? -1 : a.creative.id > b.creative.id ? 1 : 0),
    );
    for (const [rank, creative] of ranked.entries()) creative.rank = rank;
  }
  return {
    version,
    slots,
    factsByCreative,
    campaignCount: catalogue.campaigns.length,
    campaignIds: catalogue.campaigns.map((c) => c.id),
    audience,
    audienceVersion,
  };
}

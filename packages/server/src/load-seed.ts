import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrequencyRules } from '@opslot/core';
import type { ValidateFunction } from 'ajv';
import type {
  ApprovalState,
  CampaignStatus,
  Catalogue,
  CatalogueAdvertiser,
  CatalogueCampaign,
  CatalogueCreative,
  CatalogueImage,
  CatalogueSegment,
  CatalogueSlot,
  CatalogueText,
  DaySchedule,
} from './catalogue.js';
import { createAjv } from './create-ajv.js';
import { describeSchemaError } from './describe-schema-error.js';
import type { DistributionStrategy } from './distribution-strategy.js';
import { DEFAULT_STRATEGY } from './distribution-strategy.js';
import { mergeFrequencyRules } from './merge-frequency-rules.js';
import { SeedError } from './seed-error.js';
import type { TargetingRule } from './targeting-rule.js';
import { targetingReferences } from './targeting-rule.js';

/** The catalogue shipped with the package: a fictional bank and fictional partner enterprises. */
export const DEFAULT_SEED_PATH = fileURLToPath(new URL('../seed/seed.json', import.meta.url));

/** The segment taxonomy shipped with the package, used by catalogues that bring none of their own. */
export const DEFAULT_SEGMENTS_PATH = fileURLToPath(new URL('../seed/segments.json', import.meta.url));

const SEED_SCHEMA_PATH = fileURLToPath(new URL('../seed/seed.schema.json', import.meta.url));

type SeedSegment = Omit<CatalogueSegment, 'category'>;

/** The seed file's shape: also what the admin API exports and imports as the catalogue. */
export interface SeedFile {
  advertisers: CatalogueAdvertiser[];
  slots: (Omit<CatalogueSlot, 'enabled'> & { enabled?: boolean })[];
  campaigns: SeedCampaign[];
  creatives: SeedCreative[];
  segments?: SeedSegment[];
}

export interface SeedCreative {
  id: string;
  campaignId: string;
  slotId: string;
  format: string;
  image?: SeedImage;
  text?: CatalogueText;
  logo?: SeedImage;
  brandColor?: string;
  landingUrl: string;
  frequency?: FrequencyRules;
}

/** An image as the seed names it: the server adds the file's content hash. */
type SeedImage = Omit<CatalogueImage, 'hash'>;

export interface SeedCampaign {
  id: string;
  advertiserId: string;
  name: string;
  status: CampaignStatus;
  priority: number;
  weight: number;
  start: string;
  end: string | null;
  approval?: ApprovalState;
  schedule?: DaySchedule;
  budget?: { exposures: number };
  targeting?: TargetingRule;
  strategy?: DistributionStrategy;
  frequency?: FrequencyRules;
}

export interface LoadedSeed {
  catalogue: Catalogue;
  /** Folder of the creative images, `creatives/` beside the seed file. */
  creativesDir: string;
  /** SHA-256 of the file's bytes, so a start can tell whether the seed changed since it was last applied. */
  hash: string;
}

/** Rankers a catalogue may name in `strategy.ranker`, the shipped one unless the server was given others. */
export const SHIPPED_RANKER_IDS: readonly string[] = ['ctr-bayes'];

/**
 * Reads and checks a seed file: its schema, that every referenced id exists, that every image exists and fits its
 * slot, and that every landing URL is https on its advertiser's allowed domains.
 *
 * @throws {SeedError} listing every problem found.
 * @example
 * const { catalogue, creativesDir } = loadSeed(DEFAULT_SEED_PATH);
 */
export function loadSeed(path: string, rankerIds: readonly string[] = SHIPPED_RANKER_IDS): LoadedSeed {
  let bytes: Buffer;
  let data: unknown;
  try {
    bytes = readFileSync(path);
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new SeedError(path, [error instanceof Error ? error.message : String(error)]);
  }
  const creativesDir = join(dirname(path), 'creatives');
  const catalogue = parseCatalogue(data, creativesDir, rankerIds, path);
  return { catalogue, creativesDir, hash: createHash('sha256').update(bytes).digest('hex') };
}

let validateSeed: ValidateFunction<SeedFile> | undefined;

/**
 * Checks a catalogue document (a seed file's content, or the admin API's body) as `loadSeed` does and turns it into
 * a catalogue; images are looked up in `creativesDir`.
 *
 * @param source names the document in the error, such as a file path or `the request body`.
 * @throws {SeedError} listing every problem found.
 */
export function parseCatalogue(
  data: unknown,
  creativesDir: string,
  rankerIds: readonly string[],
  source: string,
): Catalogue {
  validateSeed ??= createAjv().compile<SeedFile>(JSON.parse(readFileSync(SEED_SCHEMA_PATH, 'utf8')));
  if (!validateSeed(data)) throw new SeedError(source, [describeSchemaError(validateSeed.errors?.[0])]);
  const seed = data;
  const segments = (seed.segments ?? shippedSegments()).map((s) => ({
    ...s,
    category: s.id.slice(0, s.id.indexOf('.')),
  }));
  const segmentIds = new Set(segments.map((s) => s.id));
  const problems = [
    ...duplicateIds(seed),
    ...seed.campaigns.flatMap((campaign, index) =>
      checkCampaign(seed, campaign, `campaigns[${index}]`, segmentIds, rankerIds),
    ),
    ...seed.creatives.flatMap((creative, index) => checkCreative(seed, creative, `creatives[${index}]`)),
  ];
  const creatives: CatalogueCreative[] = [];
  for (const [index, { image, logo, text, brandColor, frequency, ...creative }] of seed.creatives.entries()) {
    // Each picture gets its content hash, which its URL carries so that browsers may cache it for good.
    const hashed = (seedImage: SeedImage | undefined, field: string): CatalogueImage | null => {
      if (!seedImage) return null;
      const file = join(creativesDir, seedImage.file);
      const hash = hashFile(file);
      if (hash === undefined) problems.push(`creatives[${index}].${field}.file: ${file} is not a readable file`);
      return { ...seedImage, hash: hash ?? '' };
    };
    creatives.push({
      ...creative,
      image: hashed(image, 'image'),
      logo: hashed(logo, 'logo'),
      text: text ?? null,
      brandColor: brandColor ?? null,
      frequency: frequency ?? null,
    });
  }
  if (problems.length > 0) throw new SeedError(source, problems);

  const campaigns = seed.campaigns.map(
    ({ budget, schedule, targeting, strategy, frequency, approval, ...c }): CatalogueCampaign => ({
      ...c,
      start: Date.parse(c.start),
      end: c.end === null ? null : Date.parse(c.end),
      approval: approval ?? 'approved',
      schedule: schedule ?? null,
      budgetExposures: budget?.exposures ?? null,
      targeting: targeting ?? null,
      strategy: strategy ?? DEFAULT_STRATEGY,
      frequency: frequency ?? null,
    }),
  );
  const slots = seed.slots.map((s) => ({ ...s, enabled: s.enabled ?? true }));
  return { advertisers: seed.advertisers, slots, campaigns, creatives, segments };
}

/**
 * The catalogue as a seed document, the inverse of `parseCatalogue`: what `GET /v1/admin/catalogue` exports and
 * admin edits change before they are checked again. Times come back in Asia/Shanghai (`+08:00`).
 */
export function catalogueToDocument(catalogue: Catalogue): SeedFile {
  return {
    advertisers: catalogue.advertisers,
    slots: catalogue.slots,
    campaigns: catalogue.campaigns.map((c) => ({
      id: c.id,
      advertiserId: c.advertiserId,
      name: c.name,
      status: c.status,
      priority: c.priority,
      weight: c.weight,
      start: shanghaiIso(c.start),
      end: c.end === null ? null : shanghaiIso(c.end),
      approval: c.approval,
      ...(c.schedule ? { schedule: c.schedule } : {}),
      ...(c.budgetExposures === null ? {} : { budget: { exposures: c.budgetExposures } }),
      ...(c.targeting ? { targeting: c.targeting } : {}),
      strategy: c.strategy,
      ...(c.frequency ? { frequency: c.frequency } : {}),
    })),
    creatives: catalogue.creatives.map(({ image, logo, text, brandColor, frequency, ...c }) => ({
      ...c,
      ...(image ? { image: withoutHash(image) } : {}),
      ...(text ? { text } : {}),
      ...(logo ? { logo: withoutHash(logo) } : {}),
      ...(brandColor ? { brandColor } : {}),
      ...(frequency ? { frequency } : {}),
    })),
    segments: catalogue.segments.map(({ category: _category, ...s }) => s),
  };
}

function withoutHash({ hash: _hash, ...image }: CatalogueImage): SeedImage {
  return image;
}

function shanghaiIso(epochMs: number): string {
  const local = new Date(epochMs + 8 * 3600_000).toISOString();
  return `${local.slice(0, 19)}${local.slice(19, 23) === '.000' ? '' : local.slice(19, 23)}+08:00`;
}

let segmentsCache: SeedSegment[] | undefined;
function shippedSegments(): SeedSegment[] {
  segmentsCache ??= (JSON.parse(readFileSync(DEFAULT_SEGMENTS_PATH, 'utf8')) as { segments: SeedSegment[] }).segments;
  return segmentsCache;
}

function duplicateIds(seed: SeedFile): string[] {
  return (['advertisers', 'slots', 'campaigns', 'creatives', 'segments'] as const).flatMap((table) => {
    const seen = new Set<string>();
    return (seed[table] ?? []).flatMap(({ id }) => {
      if (!seen.has(id)) {
        seen.add(id);
        return [];
      }
      return [`${table}: id ${id} appears more than once`];
    });
  });
}

function checkCampaign(
  seed: SeedFile,
  campaign: SeedCampaign,
  at: string,
  segmentIds: ReadonlySet<string>,
  rankerIds: readonly string[],
): string[] {
  const problems: string[] = [];
  if (campaign.targeting) {
    for (const segment of targetingReferences(campaign.targeting).segments) {
      if (!segmentIds.has(segment)) problems.push(`${at}.targeting: no segment ${segment} in the taxonomy`);
    }
  }
  const { strategy } = campaign;
  if (strategy?.type === 'ranker' && !rankerIds.includes(strategy.ranker)) {
    problems.push(`${at}.strategy.ranker: no ranker ${strategy.ranker} (known: ${rankerIds.join(', ')})`);
  }
  if (strategy?.type === 'experiment') {
    const own = new Set(seed.creatives.filter((c) => c.campaignId === campaign.id).map((c) => c.id));
    const bucketIds = new Set<string>();
    for (const [index, bucket] of strategy.buckets.entries()) {
      if (bucketIds.has(bucket.id)) problems.push(`${at}.strategy.buckets[${index}]: bucket ${bucket.id} repeats`);
      bucketIds.add(bucket.id);
      for (const id of bucket.creativeIds) {
        if (!own.has(id)) problems.push(`${at}.strategy.buckets[${index}]: ${id} is not a creative of this campaign`);
      }
    }
  }
  for (const [index, { from, to }] of (campaign.schedule?.hours ?? []).entries()) {
    if (from === to) problems.push(`${at}.schedule.hours[${index}]: from and to are both ${from}`);
  }
  problems.push(...checkFrequency(campaign.frequency, `${at}.frequency`));
  if (!seed.advertisers.some((a) => a.id === campaign.advertiserId)) {
    problems.push(`${at}.advertiserId: no advertiser ${campaign.advertiserId}`);
  }
  const start = Date.parse(campaign.start);
  const end = campaign.end === null ? null : Date.parse(campaign.end);
  if (Number.isNaN(start)) problems.push(`${at}.start: ${campaign.start} is not a real date`);
  if (end !== null && Number.isNaN(end)) problems.push(`${at}.end: ${campaign.end} is not a real date`);
  if (end !== null && start >= end) problems.push(`${at}: end must be after start`);
  return problems;
}

function checkCreative(seed: SeedFile, creative: SeedFile['creatives'][number], at: string): string[] {
  const problems: string[] = [];
  const campaign = seed.campaigns.find((c) => c.id === creative.campaignId);
  const slot = seed.slots.find((s) => s.id === creative.slotId);
  if (!campaign) problems.push(`${at}.campaignId: no campaign ${creative.campaignId}`);
  if (!slot) problems.push(`${at}.slotId: no slot ${creative.slotId}`);
  if (slot && !slot.formats.includes(creative.format)) {
    problems.push(`${at}.format: slot ${slot.id} does not take format ${creative.format}`);
  }
  // A card-list card's picture is a thumbnail beside the words, so only the formats that are their picture must
  // match the slot's size.
  const { image } = creative;
  if (
    slot &&
    image &&
    creative.format !== 'card-list' &&
    (image.width !== slot.width || image.height !== slot.height)
  ) {
    problems.push(
      `${at}.image: ${image.width}×${image.height} does not fit slot ${slot.id} (${slot.width}×${slot.height})`,
    );
  }
  const rules = mergeFrequencyRules(campaign?.frequency ?? null, creative.frequency ?? null);
  problems.push(...checkFrequency(rules ?? undefined, `${at}.frequency`));
  if ((rules?.caps?.length ?? 0) > 20 || (rules?.minInterval?.length ?? 0) > 6) {
    problems.push(`${at}.frequency: with its campaign's rules, more than 20 caps or 6 minimum intervals`);
  }
  const advertiser = campaign && seed.advertisers.find((a) => a.id === campaign.advertiserId);
  const landingProblem = advertiser && checkLandingUrl(creative.landingUrl, advertiser);
  if (landingProblem) problems.push(`${at}.landingUrl: ${landingProblem}`);
  return problems;
}

/** The schema allows `seconds` on any cap; only a rolling window can be counted without it. */
function checkFrequency(rules: FrequencyRules | undefined, at: string): string[] {
  return (rules?.caps ?? []).flatMap((cap, index) =>
    cap.window === 'rolling' && cap.seconds === undefined
      ? [`${at}.caps[${index}]: a rolling window needs seconds`]
      : [],
  );
}

/** Returns why `landingUrl` may not be served for `advertiser`, or undefined when it may. */
function checkLandingUrl(landingUrl: string, advertiser: CatalogueAdvertiser): string | undefined {
  if (!URL.canParse(landingUrl)) return `${landingUrl} is not an absolute URL`;
  const url = new URL(landingUrl);
  if (url.protocol !== 'https:') return `${landingUrl} is not https`;
  if (url.username || url.password) return `${landingUrl} carries credentials`;
  const allowed = advertiser.allowedDomains.some(
    (domain) => url.hostname === domain || url.hostname.endsWith(`.${domain}`),
  );
  if (!allowed) {
    return `host ${url.hostname} is not on the allowed domains of advertiser ${advertiser.id} (${advertiser.allowedDomains.join(', ')})`;
  }
  return undefined;
}

/** A short content hash of `path`, or undefined when it is not a readable file. */
function hashFile(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
  } catch {
    return undefined;
  }
}

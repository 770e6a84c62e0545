import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  Catalogue,
  CatalogueAdvertiser,
  CatalogueCampaign,
  CatalogueCreative,
  CatalogueImage,
  CatalogueSlot,
} from './catalogue.js';
import { createAjv } from './create-ajv.js';
import { describeSchemaError } from './describe-schema-error.js';
import { SeedError } from './seed-error.js';

/** The catalogue shipped with the package: a fictional bank and fictional partner enterprises. */
export const DEFAULT_SEED_PATH = fileURLToPath(new URL('../seed/seed.json', import.meta.url));

const SEED_SCHEMA_PATH = fileURLToPath(new URL('../seed/seed.schema.json', import.meta.url));

interface SeedFile {
  advertisers: CatalogueAdvertiser[];
  slots: (Omit<CatalogueSlot, 'enabled'> & { enabled?: boolean })[];
  campaigns: (Omit<CatalogueCampaign, 'start' | 'end'> & { start: string; end: string | null })[];
  creatives: (Omit<CatalogueCreative, 'image'> & { image: Omit<CatalogueImage, 'hash'> })[];
}

export interface LoadedSeed {
  catalogue: Catalogue;
  /** Folder of the creative images, `creatives/` beside the seed file. */
  creativesDir: string;
}

/**
 * Reads and checks a seed file: its schema, that every referenced id exists, that every image exists and fits its
 * slot, and that every landing URL is https on its advertiser's allowed domains.
 *
 * @throws {SeedError} listing every problem found.
 * @example
 * const { catalogue, creativesDir } = loadSeed(DEFAULT_SEED_PATH);
 */
export function loadSeed(path: string): LoadedSeed {
  const seed = parseSeed(path);
  const creativesDir = join(dirname(path), 'creatives');
  const problems = [
    ...duplicateIds(seed),
    ...seed.campaigns.flatMap((campaign, index) => checkCampaign(seed, campaign, `campaigns[${index}]`)),
    ...seed.creatives.flatMap((creative, index) => checkCreative(seed, creative, `creatives[${index}]`)),
  ];
  const creatives: CatalogueCreative[] = [];
  for (const [index, creative] of seed.creatives.entries()) {
    const file = join(creativesDir, creative.image.file);
    const hash = hashFile(file);
    if (hash === undefined) problems.push(`creatives[${index}].image.file: ${file} is not a readable file`);
    else creatives.push({ ...creative, image: { ...creative.image, hash } });
  }
  if (problems.length > 0) throw new SeedError(path, problems);

  const campaigns = seed.campaigns.map((c) => ({
    ...c,
    start: Date.parse(c.start),
    end: c.end === null ? null : Date.parse(c.end),
  }));
  const slots = seed.slots.map((s) => ({ ...s, enabled: s.enabled ?? true }));
  return { creativesDir, catalogue: { advertisers: seed.advertisers, slots, campaigns, creatives } };
}

function parseSeed(path: string): SeedFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedError(path, [error instanceof Error ? error.message : String(error)]);
  }
  const ajv = createAjv();
  const validate = ajv.compile<SeedFile>(JSON.parse(readFileSync(SEED_SCHEMA_PATH, 'utf8')));
  if (!validate(data)) throw new SeedError(path, [describeSchemaError(validate.errors?.[0])]);
  return data;
}

function duplicateIds(seed: SeedFile): string[] {
  return (['advertisers', 'slots', 'campaigns', 'creatives'] as const).flatMap((table) => {
    const seen = new Set<string>();
    return seed[table].flatMap(({ id }) => {
      if (!seen.has(id)) {
        seen.add(id);
        return [];
      }
      return [`${table}: id ${id} appears more than once`];
    });
  });
}

function checkCampaign(seed: SeedFile, campaign: SeedFile['campaigns'][number], at: string): string[] {
  const problems: string[] = [];
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
  if (slot && (creative.image.width !== slot.width || creative.image.height !== slot.height)) {
    problems.push(
      `${at}.image: ${creative.image.width}×${creative.image.height} does not fit slot ${slot.id} (${slot.width}×${slot.height})`,
    );
  }
  const advertiser = campaign && seed.advertisers.find((a) => a.id === campaign.advertiserId);
  const landingProblem = advertiser && checkLandingUrl(creative.landingUrl, advertiser);
  if (landingProblem) problems.push(`${at}.landingUrl: ${landingProblem}`);
  return problems;
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

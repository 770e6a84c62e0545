import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type { GraphEdge, WhitelistKind } from './audience-index.js';
import { createAjv } from './create-ajv.js';
import { describeSchemaError } from './describe-schema-error.js';
import { SeedError } from './seed-error.js';
import type { OperatorProfileRow, Store } from './store.js';
import type { ProfileTag } from './targeting-rule.js';

/**
 * The sample audience shipped with the package: profiles of the demo operators, three whitelists (one of them the
 * partner programme's), a relation graph and the demo partners.
 */
export const DEFAULT_AUDIENCE_PATH = fileURLToPath(new URL('../seed/audience.json', import.meta.url));

const AUDIENCE_SCHEMA_PATH = fileURLToPath(new URL('../seed/audience.schema.json', import.meta.url));
const AUDIENCE_HASH_META_KEY = 'audience-seed-hash';

/** A profile as the audience file and the admin API take it: the clear operator key, hashed before it is stored. */
export interface ProfileInput {
  operator: string;
  enterpriseId?: string;
  segments: string[];
  tags: Partial<Record<ProfileTag, string>>;
}

export interface WhitelistInput {
  id: string;
  kind: WhitelistKind;
  name: string;
  entries: string[];
}

/** A demo partner of the partner API, as the audience file declares it. */
export interface PartnerInput {
  id: string;
  name: string;
  enterpriseId: string;
  advertiserId: string;
}

export interface AudienceFile {
  profiles: ProfileInput[];
  whitelists: WhitelistInput[];
  edges: GraphEdge[];
  partners?: PartnerInput[];
}

/** Validators of the audience file and of its parts, which the admin API takes one at a time. */
export interface AudienceValidators {
  file: ValidateFunction<AudienceFile>;
  profile: ValidateFunction<ProfileInput>;
  edge: ValidateFunction<GraphEdge>;
}

let validators: AudienceValidators | undefined;

export function audienceValidators(): AudienceValidators {
  if (validators) return validators;
  const ajv = createAjv();
  const schema = JSON.parse(readFileSync(AUDIENCE_SCHEMA_PATH, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  const part = <T>(name: string) => {
    const validate = ajv.getSchema<T>(`${schema.$id}#/$defs/${name}`);
    if (!validate) throw new Error(`audience.schema.json has no #/$defs/${name}`);
    return validate;
  };
  const file = ajv.getSchema<AudienceFile>(schema.$id);
  if (!file) throw new Error('audience.schema.json did not compile');
  validators = { file, profile: part<ProfileInput>('profile'), edge: part<GraphEdge>('edge') };
  return validators;
}

/** The profile as stored: the operator key and, in whitelists, the entries only as salted hashes. */
export function toProfileRow(profile: ProfileInput, hashKey: (key: string) => string): OperatorProfileRow {
  return {
    operatorHash: hashKey(profile.operator),
    enterpriseId: profile.enterpriseId ?? null,
    segments: profile.segments,
    tags: profile.tags as Record<string, string>,
  };
}

/**
 * Applies an audience file when it differs from the one last applied (by SHA-256): its profiles are upserted, its
 * whitelists replace those of the same id, and its edges are added. Data imported through the admin API beside it
 * stays.
 *
 * @throws {SeedError} when the file is unreadable or invalid.
 */
export function applyAudienceSeed(store: Store, path: string, hashKey: (key: string) => string): void {
  let bytes: Buffer;
  let data: unknown;
  try {
    bytes = readFileSync(path);
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new SeedError(path, [error instanceof Error ? error.message : String(error)]);
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (store.meta(AUDIENCE_HASH_META_KEY) === hash) return;
  const { file } = audienceValidators();
  if (!file(data)) throw new SeedError(path, [describeSchemaError(file.errors?.[0])]);
  const advertisers = new Set(store.catalogue().advertisers.map((a) => a.id));
  const strangers = (data.partners ?? []).filter((p) => !advertisers.has(p.advertiserId));
  if (strangers.length > 0) {
    throw new SeedError(
      path,
      strangers.map((p) => `partners: ${p.id} names advertiser ${p.advertiserId}, which the catalogue does not have`),
    );
  }
  store.putOperatorProfiles(data.profiles.map((profile) => toProfileRow(profile, hashKey)));
  for (const list of data.whitelists) {
    store.replaceWhitelist({ id: list.id, kind: list.kind, name: list.name, hashes: list.entries.map(hashKey) });
  }
  store.addGraphEdges(data.edges);
  store.seedPartners(data.partners ?? [], Date.now());
  store.setMeta(AUDIENCE_HASH_META_KEY, hash);
}

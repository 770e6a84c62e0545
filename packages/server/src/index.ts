export type {
  CampaignStatus,
  CandidateCreative,
  Catalogue,
  CatalogueAdvertiser,
  CatalogueCampaign,
  CatalogueCreative,
  CatalogueImage,
  CatalogueSlot,
} from './catalogue.js';
export { clickThroughRate } from './click-through-rate.js';
export type { OpslotServer, OpslotServerOptions } from './create-opslot-server.js';
export { createOpslotServer } from './create-opslot-server.js';
export type { KeysResponse } from './handle-keys.js';
export type { LoadedSeed } from './load-seed.js';
export { DEFAULT_SEED_PATH, loadSeed } from './load-seed.js';
export type { PublicSigningJwk } from './load-signing-key.js';
export { SIGNATURE_HEADER } from './load-signing-key.js';
export { SeedError } from './seed-error.js';
export { SigningKeyError } from './signing-key-error.js';
export { openSqliteStore } from './sqlite-store.js';
export type { StaticMount } from './static-files.js';
export type { StatsFilter } from './stats-breakdown.js';
export { STATS_DIMENSIONS, STATS_TIME_ZONE } from './stats-breakdown.js';
export type { DecisionRecord, DecisionRecordSlot, InsertEventsResult, Store } from './store.js';

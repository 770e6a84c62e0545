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
export type { LoadedSeed } from './load-seed.js';
export { DEFAULT_SEED_PATH, loadSeed } from './load-seed.js';
export { SeedError } from './seed-error.js';
export { openSqliteStore } from './sqlite-store.js';
export type { StaticMount } from './static-files.js';
export type { DecisionRecord, InsertEventsResult, Store } from './store.js';

export type { GraphEdge, WhitelistKind } from './audience-index.js';
export type { AudienceFile, PartnerInput, ProfileInput, WhitelistInput } from './audience-seed.js';
export { DEFAULT_AUDIENCE_PATH } from './audience-seed.js';
export type {
  ApprovalState,
  CampaignStatus,
  CandidateCreative,
  Catalogue,
  CatalogueAdvertiser,
  CatalogueCampaign,
  CatalogueCreative,
  CatalogueImage,
  CatalogueSegment,
  CatalogueSlot,
  DaySchedule,
} from './catalogue.js';
export { clickThroughRate } from './click-through-rate.js';
export type { OpslotServer, OpslotServerOptions } from './create-opslot-server.js';
export { createOpslotServer, DEV_ADMIN_TOKEN } from './create-opslot-server.js';
export type { CreativeHistory, CreativeRanker, CtrBayesOptions, RankerScore } from './creative-ranker.js';
export { createCtrBayesRanker } from './creative-ranker.js';
export type { DistributionStrategy, ExperimentBucket } from './distribution-strategy.js';
export { experimentBucket } from './experiment-bucket.js';
export type { KeysResponse } from './handle-keys.js';
export type { LoadedSeed, SeedFile } from './load-seed.js';
export { DEFAULT_SEED_PATH, DEFAULT_SEGMENTS_PATH, loadSeed } from './load-seed.js';
export type { PublicSigningJwk } from './load-signing-key.js';
export { SIGNATURE_HEADER } from './load-signing-key.js';
// The partner API's wire types are @opslot/core's (partner-protocol.ts); these are the server's stored forms.
export type {
  PartnerRecord,
  StoredApplication,
  StoredApplicationCreative,
  UploadRecord,
} from './partner-application.js';
export { SeedError } from './seed-error.js';
export { SigningKeyError } from './signing-key-error.js';
export { openSqliteStore } from './sqlite-store.js';
export type { StaticMount } from './static-files.js';
export type { StatsFilter } from './stats-breakdown.js';
export { STATS_DIMENSIONS, STATS_TIME_ZONE } from './stats-breakdown.js';
export type {
  CreativeDelivery,
  DecisionAudit,
  DecisionRecord,
  DecisionRecordSlot,
  InsertEventsResult,
  OperatorProfileRow,
  PartnerReportRow,
  PreviewDecisionRecord,
  Store,
  WhitelistSummary,
} from './store.js';
export type { OperatorProfile, ProfileTag, ReachDirection, TargetingRule } from './targeting-rule.js';

// The public surface of @opslot/core, listed by hand: anything not named here is internal and may change.

export { FORBIDDEN_TERMS, findForbiddenTerms, forbiddenTermSpans, type TermSpan } from './advertising-law.js';
export { type Attribution, lastClick, rememberClick } from './attribution.js';
export { type BankCalendar, bankCalendar, DEFAULT_TIME_ZONE } from './bank-calendar.js';
export {
  COLLAPSE_MODES,
  CONFIG_BLOCK_ID,
  CONFIG_ERRORS,
  type CollapseMode,
  type ConfigError,
  type ConfigErrorCode,
  type ConfigProblem,
  isQuiet,
  type LazyLoadConfig,
  type OpslotConfig,
  type OpslotConfigInput,
  readConfigBlock,
  type SlotConfig,
} from './config.js';
export {
  createOpslot,
  type Opslot,
  type OpslotOptions,
  type SessionDiagnostic,
  type SlotChoice,
  type TrackedEvent,
} from './create-opslot.js';
export {
  type BatchResult,
  createDecisionBatcher,
  type DecisionBatcher,
  type DecisionBatcherOptions,
  EMPTY_REASONS,
  type EmptyReason,
  SLOT_ERRORS,
  SLOT_OUTCOMES,
  type SlotOutcome,
  type SlotOutcomeKind,
} from './decision-batcher.js';
export {
  createDecisionClient,
  DECISION_ERRORS,
  type DecisionClient,
  type DecisionClientOptions,
  type DecisionErrorCode,
  type DecisionFailure,
  type DecisionResult,
} from './decision-client.js';
export { createEventId } from './event-id.js';
export { type CapHistory, type CapReason, type CapVerdict, evaluateCaps, ROLLING_KEPT } from './frequency-caps.js';
export {
  LANDING_URL_REASONS,
  type LandingUrlProblem,
  type LandingUrlReason,
  landingUrlProblem,
} from './landing-url-problem.js';
export {
  type Claim,
  createLedger,
  forgetOperator,
  type Ledger,
  type LedgerChoice,
  type LedgerDiagnostic,
  type LedgerInspection,
  type LedgerOptions,
  type SessionLedger,
} from './ledger.js';
export type { LedgerState, Subject } from './ledger-state.js';
export { indexedDbLedgerStore, type LedgerStore, memoryLedgerStore } from './ledger-store.js';
export type { JournalEntry, SessionMeasurement } from './measurement.js';
export { observeNearViewport } from './observe-near-viewport.js';
export { type ObserveViewabilityOptions, observeViewability } from './observe-viewability.js';
export { onPageHide } from './on-page-hide.js';
export {
  createOutbox,
  FLUSH_MODES,
  type FlushMode,
  type Outbox,
  type OutboxDelivery,
  type OutboxDiagnostic,
  type OutboxOptions,
} from './outbox.js';
export {
  APPLICATION_LIMITS,
  APPLICATION_STATUSES,
  type ApplicationInput,
  type ApplicationStatus,
  BRAND_COLOR_PATTERN,
  CREATIVE_LIMITS,
  CREATIVE_TEMPLATES,
  type CreativeFields,
  type CreativeInput,
  type CreativeTemplate,
  DAY_PATTERN,
  EMAIL_PATTERN,
  FIELD_CODES,
  type FieldCode,
  type FieldError,
  LANDLINE_PATTERN,
  MAX_EMAIL_LENGTH,
  MAX_LANDING_URL_LENGTH,
  MOBILE_PATTERN,
  type Partner,
  type PartnerApplication,
  type PartnerAudience,
  type PartnerContact,
  type PartnerCreative,
  type PartnerMe,
  type PartnerPreviewToken,
  type PartnerReport,
  type PartnerReportQuery,
  type PartnerSlot,
  type PartnerUpload,
  REPORT_LIMITS,
  type ReportCounts,
  SUPPLY_CHAIN_DIRECTIONS,
  type SupplyChainDirection,
  UPLOAD_LIMITS,
  type UploadType,
} from './partner-protocol.js';
export {
  type Advertiser,
  type BeaconEvent,
  type Cap,
  type CapScope,
  type CapWindow,
  CHANNELS,
  type Channel,
  type Creative,
  type CreativeAssets,
  type CreativeStats,
  type DecisionRequest,
  type DecisionResponse,
  type ErrorResponse,
  EVENT_TYPES,
  type EventBatch,
  type EventBatchResult,
  type EventType,
  FORMATS,
  type Format,
  type FrequencyRules,
  type ImageAsset,
  type LedgerDigest,
  type PageContext,
  PROTOCOL_VERSION,
  type PreviewRefusal,
  type PreviewVerdict,
  type Size,
  type SlotDecision,
  type SlotRequest,
  STATS_DIMENSIONS,
  type StatsBreakdownResponse,
  type StatsDimension,
  type StatsResponse,
  type StatsRow,
  type TextAssets,
  type ViewabilityMethod,
  type VitalSummary,
  type VitalsResponse,
} from './protocol.js';
export { resolveConfig } from './resolve-config.js';
export { toSafeUrl } from './safe-url.js';
export { observeViewable, trackEvent } from './session-measurement.js';
export { validateDecisionResponse } from './validate-decision-response.js';
export { validateEventBatchResult } from './validate-event-batch-result.js';
export type { ValidationResult } from './validate-schema.js';
export {
  createSignatureVerifier,
  importVerificationKeys,
  type SignatureAlgorithm,
  type SignatureVerifier,
  type VerificationKey,
  verifySignature,
} from './verify-signature.js';
export {
  initialViewability,
  msUntilViewable,
  nextViewability,
  VIEWABILITY_STATUS,
  type ViewabilityInput,
  type ViewabilityState,
  type ViewabilityStatus,
} from './viewability.js';

import type {
  ApplicationStatus,
  BeaconEvent,
  Channel,
  CreativeStats,
  StatsDimension,
  StatsRow,
  VitalsResponse,
} from '@opslot/core';
import type { GraphEdge, WhitelistHashes, WhitelistKind } from './audience-index.js';
import type { Catalogue, CatalogueCampaign, CatalogueCreative } from './catalogue.js';
import type { CreativeHistory } from './creative-ranker.js';
import type {
  PartnerRecord,
  StoredApplication,
  StoredApplicationCreative,
  UploadRecord,
} from './partner-application.js';
import type { OperatorEvent } from './server-caps.js';
import type { StatsFilter } from './stats-breakdown.js';

/** One answered decision request, kept for audit ("why did this page show that?"). */
export interface DecisionRecord {
  id: string;
  /** Epoch milliseconds. */
  at: number;
  channel: Channel;
  pageId: string;
  /** Salted hash of the request's operator key, when it sent one. */
  operatorHash: string | null;
  /** Requested slots in request order, each with what was offered and why something was not. */
  slots: DecisionRecordSlot[];
}

/**
 * A decision as `recordDecision` takes it: the record with each slot's creative verdicts grouped by verdict, as the
 * decision engine makes them and the audit row keeps them.
 */
export interface DecisionAudit extends Omit<DecisionRecord, 'slots'> {
  slots: (Omit<DecisionRecordSlot, 'reasons'> & {
    /** Creative ids by verdict, verdicts and ids in the order the decision judged them. */
    creativesByVerdict: ReadonlyMap<string, readonly string[]>;
  })[];
}

export interface DecisionRecordSlot {
  id: string;
  /** Creative ids offered, in order of preference. */
  creativeIds: string[];
  /** Creatives that would have been offered but were capped in the browser, per the request's ledger digest. */
  ledgerExcluded: string[];
  /** The slot's kill switch was off, so nothing was offered. */
  disabled: boolean;
  /**
   * What the decision made of each creative placed in the slot whose campaign passed the campaign-wide checks: the
   * offer's reason, or why it was left out (format, size, experiment bucket, ledger, server caps).
   */
  reasons: { creativeId: string; verdict: string }[];
  /** The other campaigns placed in the slot, by why they were left out (status, approval, schedule, budget, targeting). */
  campaignsLeftOut: Record<string, string[]>;
}

/** An operator profile as the admin API takes it, with the clear key that the store hashes. */
export interface OperatorProfileRow {
  operatorHash: string;
  enterpriseId: string | null;
  segments: string[];
  tags: Record<string, string>;
}

export interface WhitelistSummary {
  id: string;
  kind: WhitelistKind;
  name: string;
  entries: number;
}

/** Per creative, what delivery counting has seen: viewable exposures and clicks, every channel, previews excluded. */
export interface CreativeDelivery extends CreativeHistory {
  creativeId: string;
  campaignId: string;
}

export interface InsertEventsResult {
  /** Ids stored by this call. */
  accepted: string[];
  /** Ids that were already stored, by an earlier batch or earlier in this one. */
  duplicates: string[];
}

/** Exposures and clicks of one Asia/Shanghai day, slot and channel, previews excluded. */
export interface PartnerReportRow {
  day: string;
  slotId: string;
  channel: Channel;
  exposures: number;
  clicks: number;
}

/** A decision answered as a partner's preview: its events are stored as previews whatever the client says. */
export interface PreviewDecisionRecord {
  decisionId: string;
  at: number;
  partnerId: string;
  creativeId: string;
}

/**
 * Everything the HTTP layer needs from storage. The reference server implements it on SQLite
 * (`openSqliteStore`); a bank that outgrows one machine implements the same methods on its own stack.
 */
export interface Store {
  /** Makes the catalogue exactly `catalogue`, atomically; events and decisions are never touched. */
  replaceCatalogue(catalogue: Catalogue): void;
  /** The whole catalogue, in id order. */
  catalogue(): Catalogue;
  /**
   * Grows whenever this store changes the catalogue or the audience data (whitelists, graph; profiles have
   * `profileVersion`), so that caches built from them know when to rebuild.
   */
  dataVersion(): number;
  /**
   * Grows whenever this store changes a whitelist or the relation graph (`dataVersion` grows with it), so that the
   * in-memory audience index is rebuilt for those writes only, not for every catalogue edit.
   */
  audienceVersion(): number;
  /** Grows whenever this store changes an operator profile, so that what was decided from profiles is re-decided. */
  profileVersion(): number;
  /** A value of the key-value table kept beside the data, such as the hash of the seed last applied. */
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;

  operatorProfile(operatorHash: string): OperatorProfileRow | undefined;
  /** Inserts or replaces profiles, atomically. */
  putOperatorProfiles(profiles: readonly OperatorProfileRow[]): void;
  /** Returns whether there was one. */
  deleteOperatorProfile(operatorHash: string): boolean;
  operatorProfileCount(): number;

  /** Creates or replaces a whitelist and all its entries, atomically. */
  replaceWhitelist(whitelist: WhitelistHashes & { name: string }): void;
  /** Returns whether there was one. */
  deleteWhitelist(id: string): boolean;
  whitelistSummaries(): WhitelistSummary[];
  whitelistHashes(): WhitelistHashes[];

  graphEdges(): GraphEdge[];
  /** Adds edges, ignoring ones already present; returns how many were new. */
  addGraphEdges(edges: readonly GraphEdge[]): number;
  /** Makes the graph exactly `edges`, atomically. */
  replaceGraphEdges(edges: readonly GraphEdge[]): void;
  /** Returns whether there was one. */
  deleteGraphEdge(edge: GraphEdge): boolean;

  /** The operator's counted events at or after `since`, oldest first. */
  operatorEvents(operatorHash: string, since: number): OperatorEvent[];
  /** Grows whenever stored events change the delivery counters, so that caches of them know when to reload. */
  deliveryVersion(): number;
  /** Delivery counters of every creative of `campaignIds` that has any. */
  delivery(campaignIds: readonly string[]): CreativeDelivery[];

  /**
   * Keeps a decision for audit. Records are written in batches (every 100 ms, or sooner when many wait, before any
   * event batch is stored, and on close) so that an audit row does not cost a disk sync per decision; the SQLite store
   * does not wait for the disk at all for them, and leaves that to the next event batch or checkpoint.
   */
  recordDecision(record: DecisionAudit): void;
  /** The audit record of a decision, once written. */
  decisionRecord(id: string): DecisionRecord | undefined;
  /**
   * Stores events atomically, every field as sent, de-duplicating on event id across all batches ever stored.
   * Throws (storing nothing) rather than skip an event it cannot hold: only a duplicate id may be skipped.
   * Renders, viewable exposures, clicks and closes of a decision made for an operator also join that operator's
   * history (what server-side caps count, across channels); viewable exposures and clicks that are not previews
   * count in the delivery counters (budgets and the ranker). An event of a decision recorded as a preview is stored
   * as a preview whatever its own `preview` says.
   */
  insertEvents(events: readonly BeaconEvent[], receivedAt: number): InsertEventsResult;
  /**
   * Stores several batches in one transaction, as `insertEvents` would one after the other: one disk sync for all.
   * If it throws, nothing of any batch is stored.
   */
  insertEventBatches(batches: readonly { events: readonly BeaconEvent[]; receivedAt: number }[]): InsertEventsResult[];
  /**
   * Counters of every catalogue creative and every creative of an approved partner application (or only
   * `filter.creativeId`) over the filter's events, zero rows included, sorted by creative id. Events with
   * `preview: true` are never counted.
   */
  stats(filter?: StatsFilter): CreativeStats[];
  /**
   * Counters by one dimension over the filter's events, one row per value with at least one counted event, sorted
   * by key (experiment id first for `bucket`). Events without the dimension's value are left out; `day` is the
   * event's `ts` as a day in Asia/Shanghai; an event without `advertiserId` counts for its campaign's advertiser.
   * Events with `preview: true` are never counted.
   */
  statsBy(by: StatsDimension, filter?: StatsFilter): StatsRow[];
  /** The Core Web Vitals that page views reported in the filter's time range (`creativeId` does not apply). */
  vitals(filter?: StatsFilter): Omit<VitalsResponse, 'v'>;

  /** Every partner, in id order. */
  partners(): PartnerRecord[];
  partner(id: string): PartnerRecord | undefined;
  /** Adds a partner; returns false, changing nothing, when the id is taken. */
  insertPartner(partner: PartnerRecord): boolean;
  /** Replaces a partner's token hash; returns whether there was such a partner. */
  setPartnerTokenHash(id: string, tokenHash: string): boolean;
  /**
   * Adds the audience file's demo partners that are missing (marked seeded, without a token) and brings the names
   * and ids of seeded ones up to date; partners added through the admin API are left alone.
   */
  seedPartners(
    partners: readonly Pick<PartnerRecord, 'id' | 'name' | 'enterpriseId' | 'advertiserId'>[],
    at: number,
  ): void;
  /** Whether whitelist `whitelistId` holds `entryHash`. */
  isOnWhitelist(whitelistId: string, entryHash: string): boolean;

  /** Stores a new application (its `creatives` are ignored: they are added one by one). */
  insertApplication(application: StoredApplication): void;
  application(id: string): StoredApplication | undefined;
  /** A partner's applications, oldest first; or every application in a status, oldest submission first. */
  applications(query: { partnerId: string } | { status: ApplicationStatus }): StoredApplication[];
  /** The application a creative belongs to. */
  applicationOfCreative(creativeId: string): StoredApplication | undefined;
  /** Adds a creative to an application and marks the application updated at `at`. */
  insertApplicationCreative(applicationId: string, creative: StoredApplicationCreative, at: number): void;
  /**
   * Moves an application to `status` with the review's reason (null clears it) and, when given, the campaign's
   * priority; returns whether it existed.
   */
  setApplicationStatus(
    id: string,
    status: ApplicationStatus,
    reviewReason: string | null,
    at: number,
    priority?: number | null,
  ): boolean;
  /**
   * The campaigns and creatives of every application, in catalogue form: the decision service serves them beside the
   * catalogue's (approved ones only, or one in a preview). `dataVersion` grows whenever they change.
   */
  partnerCatalogue(): { campaigns: CatalogueCampaign[]; creatives: CatalogueCreative[] };

  /** Records an upload's metadata (once per content) and that `partnerId` uploaded it. */
  insertUpload(upload: UploadRecord, partnerId: string): void;
  upload(id: string): UploadRecord | undefined;
  /** Whether `partnerId` uploaded `uploadId`: a creative may only use its own partner's pictures. */
  partnerHasUpload(partnerId: string, uploadId: string): boolean;

  /** Remembers a decision answered as a preview, at once (not batched): its events may follow within milliseconds. */
  recordPreviewDecision(record: PreviewDecisionRecord): void;
  /**
   * Viewable exposures and clicks of `campaignIds` with `ts` in [since, until), by Asia/Shanghai day, slot and
   * channel, previews never counted; rows with neither are left out.
   */
  partnerReport(campaignIds: readonly string[], since: number, until: number): PartnerReportRow[];
  close(): void;
}

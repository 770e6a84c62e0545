import type { BeaconEvent, Channel, CreativeStats, StatsDimension, StatsRow } from '@opslot/core';
import type { CandidateCreative, Catalogue, CatalogueSlot } from './catalogue.js';
import type { StatsFilter } from './stats-breakdown.js';

/** One answered decision request, kept for audit ("why did this page show that?"). */
export interface DecisionRecord {
  id: string;
  /** Epoch milliseconds. */
  at: number;
  channel: Channel;
  pageId: string;
  /** Requested slots in request order, each with what was offered and why something was not. */
  slots: DecisionRecordSlot[];
}

export interface DecisionRecordSlot {
  id: string;
  /** Creative ids offered, in order of preference. */
  creativeIds: string[];
  /** Creatives that would have been offered but were capped in the browser, per the request's ledger digest. */
  ledgerExcluded: string[];
  /** The slot's kill switch was off, so nothing was offered. */
  disabled: boolean;
}

export interface InsertEventsResult {
  /** Ids stored by this call. */
  accepted: string[];
  /** Ids that were already stored, by an earlier batch or earlier in this one. */
  duplicates: string[];
}

/**
 * Everything the HTTP layer needs from storage. The reference server implements it on SQLite
 * (`openSqliteStore`); a bank that outgrows one machine implements the same methods on its own stack.
 */
export interface Store {
  /** Makes the catalogue exactly `catalogue`, atomically; events and decisions are never touched. */
  replaceCatalogue(catalogue: Catalogue): void;
  /** The catalogue slots among `slotIds`, enabled or not; unknown ids are left out. */
  slots(slotIds: readonly string[]): CatalogueSlot[];
  /** Every creative placed in one of `slotIds`, whatever its campaign's status; deciding is the caller's job. */
  creativesForSlots(slotIds: readonly string[]): CandidateCreative[];
  recordDecision(record: DecisionRecord): void;
  /**
   * Stores events atomically, every field as sent, de-duplicating on event id across all batches ever stored.
   * Throws (storing nothing) rather than skip an event it cannot hold: only a duplicate id may be skipped.
   */
  insertEvents(events: readonly BeaconEvent[], receivedAt: number): InsertEventsResult;
  /**
   * Counters of every catalogue creative (or only `filter.creativeId`) over the filter's events, zero rows
   * included, sorted by creative id. Events with `preview: true` are never counted.
   */
  stats(filter?: StatsFilter): CreativeStats[];
  /**
   * Counters by one dimension over the filter's events, one row per value with at least one counted event, sorted
   * by key (experiment id first for `bucket`). Events without the dimension's value are left out; `day` is the
   * event's `ts` as a day in Asia/Shanghai; an event without `advertiserId` counts for its campaign's advertiser.
   * Events with `preview: true` are never counted.
   */
  statsBy(by: StatsDimension, filter?: StatsFilter): StatsRow[];
  close(): void;
}

import type { BeaconEvent, Channel, CreativeStats } from '@opslot/core';
import type { CandidateCreative, Catalogue } from './catalogue.js';

/** One answered decision request, kept for audit ("why did this page show that?"). */
export interface DecisionRecord {
  id: string;
  /** Epoch milliseconds. */
  at: number;
  channel: Channel;
  pageId: string;
  /** Requested slot ids with the creative ids offered for each, in request order. */
  slots: { id: string; creativeIds: string[] }[];
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
  /** Every creative placed in one of `slotIds`, whatever its campaign's status; deciding is the caller's job. */
  creativesForSlots(slotIds: readonly string[]): CandidateCreative[];
  recordDecision(record: DecisionRecord): void;
  /** Stores events atomically, de-duplicating on event id across all batches ever stored. */
  insertEvents(events: readonly BeaconEvent[], receivedAt: number): InsertEventsResult;
  /** Counters of every catalogue creative (or only `creativeId`), sorted by creative id. */
  stats(creativeId?: string): CreativeStats[];
  close(): void;
}

import type { SlotOutcome } from './decision-batcher.js';
import type { BeaconEvent } from './protocol.js';

/** An event before the outbox gives it its id. */
export type PendingEvent = Omit<BeaconEvent, 'id'>;

/**
 * The events one slot's decision makes: the `request` when the slot asked, then `fill`, `no-fill` (with its
 * reason as `code`) or `error` (with its code) when the answer came. An aborted request (the slot left the page)
 * is no error of the endpoint's and reports nothing. (A quiet page never gets here: it asks nothing.)
 *
 * @example
 * decisionEvents('home-banner', outcome, askedAt, { channel: 'corporate-web', pageId: 'home' });
 */
export function decisionEvents(
  slotId: string,
  outcome: SlotOutcome,
  askedAt: number,
  page: Pick<BeaconEvent, 'channel' | 'pageId'>,
): PendingEvent[] {
  if (outcome.kind === 'error' && outcome.code === 'aborted') return [];
  const base = { ...page, slotId };
  const answeredAt = Date.now();
  const answer: PendingEvent =
    outcome.kind === 'filled'
      ? { ...base, type: 'fill', ts: answeredAt, decisionId: outcome.decisionId }
      : outcome.kind === 'empty'
        ? {
            ...base,
            type: 'no-fill',
            ts: answeredAt,
            code: outcome.reason,
            ...(outcome.decisionId && { decisionId: outcome.decisionId }),
          }
        : { ...base, type: 'error', ts: answeredAt, code: outcome.code };
  return [{ ...base, type: 'request', ts: askedAt }, answer];
}

import type { DecisionResult } from './decision-client.js';
import { type Creative, type DecisionResponse, FORMATS, type SlotRequest } from './protocol.js';

export const SLOT_OUTCOMES = { filled: 'filled', empty: 'empty', error: 'error' } as const;
export type SlotOutcomeKind = (typeof SLOT_OUTCOMES)[keyof typeof SLOT_OUTCOMES];

/** Error codes of the batcher itself; an outcome may also carry a code of the failed `send`. */
export const SLOT_ERRORS = {
  /** The caller's signal aborted before its answer arrived. */
  aborted: 'aborted',
  /** The server sent candidates, none of them in a format this SDK renders; the protocol collapses the slot. */
  unsupportedFormat: 'unsupported-format',
  /** `send` threw or broke its contract. */
  sendFailed: 'send-failed',
} as const;

/**
 * Why a slot has nothing to show: the decision had nothing for it (`no-fill`), the bank's kill switch is on for it
 * (`disabled`: do not ask again before `ttl` seconds), or the page is one where opslot stays silent (`quiet-zone`).
 */
export const EMPTY_REASONS = { noFill: 'no-fill', disabled: 'disabled', quietZone: 'quiet-zone' } as const;
export type EmptyReason = (typeof EMPTY_REASONS)[keyof typeof EMPTY_REASONS];

/** What one slot learns from a decision. */
export type SlotOutcome =
  | { kind: typeof SLOT_OUTCOMES.filled; decisionId: string; ttl: number; candidates: Creative[] }
  | { kind: typeof SLOT_OUTCOMES.empty; reason: EmptyReason; decisionId?: string; ttl?: number }
  | { kind: typeof SLOT_OUTCOMES.error; code: string; message: string };

/** What `send` resolves to: a decision client's result, or a failure of the caller's own such as missing configuration. */
export type BatchResult = DecisionResult | { ok: false; code: string; message: string };

export interface DecisionBatcherOptions {
  /** Sends one decision request for these slots; normally a decision client's `decide`. */
  send: (slots: SlotRequest[], signal: AbortSignal) => Promise<BatchResult>;
  /** Calls `flush` once the current batch should go; default the next task, see {@link nextTask}. */
  schedule?: (flush: () => void) => void;
  /** Slots per request, at most the protocol's 50; default 50. */
  maxSlotsPerRequest?: number;
}

export interface DecisionBatcher {
  /** Asks for one slot's decision. Never rejects; an aborted `signal` gives an `aborted` error outcome at once. */
  request(slot: SlotRequest, signal?: AbortSignal): Promise<SlotOutcome>;
}

const MAX_SLOTS_PER_REQUEST = 50;

interface Caller {
  slot: SlotRequest;
  /** Set once the caller has its outcome, or has left. */
  done?: boolean;
  settle(outcome: SlotOutcome): void;
  /** Once sent: called when the caller leaves, to abort the request if nobody is left waiting for it. */
  left?(): void;
}

/**
 * Gathers the slots that ask within one task into one decision request, as the protocol intends: one request per
 * page view rather than one per slot. Callers of the same slot id share one request slot (the first caller's) and
 * its outcome. A caller
 * whose signal aborts leaves the batch, and a batch nobody is left in is not sent (or, in flight, is aborted).
 * A slot missing from the answer is `empty`, and so is one the bank's kill switch `disabled`; candidates in formats
 * outside {@link FORMATS} are dropped, and a slot left with none of the candidates it was sent is an
 * `unsupported-format` error.
 *
 * @example
 * const batcher = createDecisionBatcher({ send: (slots, signal) => client.decide({ ...base, slots }, signal) });
 * const outcome = await batcher.request({ id: 'home-banner', sizes: [[960, 240]], formats: ['banner'] });
 */
export function createDecisionBatcher({
  send,
  schedule = nextTask,
  maxSlotsPerRequest: requested = MAX_SLOTS_PER_REQUEST,
}: DecisionBatcherOptions): DecisionBatcher {
  // At least one, so that a zero or NaN cannot stall the split below.
  const maxSlots = Math.max(1, Math.min(requested, MAX_SLOTS_PER_REQUEST) | 0);
  /** Callers since the last flush, in the order they asked; a flush is scheduled while there are any. */
  let pending: Caller[] = [];

  /** Sends one request slot per group of callers of the same slot id and settles every caller. */
  const dispatch = async (groups: Caller[][]) => {
    const controller = new AbortController();
    const callers = groups.flat();
    const left = () => {
      if (callers.every((caller) => caller.done)) controller.abort();
    };
    for (const caller of callers) caller.left = left;
    try {
      // Callers of one slot id share the first one's request slot (tags of one slot declare the same size and formats).
      const result = await send(
        groups.map(([first]) => (first as Caller).slot),
        controller.signal,
      );
      for (const caller of callers) {
        caller.settle(
          result.ok ? toOutcome(result.response, caller.slot.id) : errorOutcome(result.code, result.message),
        );
      }
    } catch {
      // `send` threw, rejected or resolved to something that is not a result.
      for (const caller of callers) caller.settle(errorOutcome(SLOT_ERRORS.sendFailed));
    }
  };

  const flush = () => {
    const bySlot = new Map<string, Caller[]>();
    for (const caller of pending) {
      if (!caller.done) bySlot.set(caller.slot.id, [...(bySlot.get(caller.slot.id) ?? []), caller]);
    }
    pending = [];
    const groups = [...bySlot.values()];
    for (let start = 0; start < groups.length; start += maxSlots) void dispatch(groups.slice(start, start + maxSlots));
  };

  return {
    request(slot, signal) {
      return new Promise((resolve) => {
        const onAbort = () => {
          caller.settle(errorOutcome(SLOT_ERRORS.aborted));
          caller.left?.();
        };
        const caller: Caller = {
          slot,
          settle(outcome) {
            if (caller.done) return;
            caller.done = true;
            signal?.removeEventListener('abort', onAbort);
            resolve(outcome);
          },
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort);
        // The first caller since the last flush schedules the next one.
        if (pending.push(caller) > 1) return;
        try {
          schedule(flush);
        } catch {
          // A scheduler that throws must not leave its callers waiting forever.
          queueMicrotask(flush);
        }
      });
    },
  };
}

/**
 * The default schedule: the next task. The slots a page (or a router) inserts, the slots its module upgrades when it
 * defines `<op-slot>`, and the slots the browser finds near the viewport in one intersection pass all ask within one
 * task, so they share a request; and the request leaves before the page's next frame is laid out and painted, which
 * an animation frame would have waited for (the time to the first creative, `pnpm bench`). A message channel, not a
 * zero timer, which browsers clamp after nesting and throttle in background tabs.
 */
function nextTask(flush: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    flush();
  };
  channel.port2.postMessage(undefined);
}

function toOutcome({ decisionId, ttl, slots }: DecisionResponse, id: string): SlotOutcome {
  // The first decision for an id wins, should the server repeat one.
  const decision = slots.find((decision) => decision.id === id);
  if (decision?.disabled || !decision?.candidates.length) {
    const reason = decision?.disabled ? EMPTY_REASONS.disabled : EMPTY_REASONS.noFill;
    return { kind: SLOT_OUTCOMES.empty, reason, decisionId, ttl };
  }
  const candidates = decision.candidates.filter((creative) => (FORMATS as readonly string[]).includes(creative.format));
  return candidates.length
    ? { kind: SLOT_OUTCOMES.filled, decisionId, ttl, candidates }
    : errorOutcome(SLOT_ERRORS.unsupportedFormat, `no candidate in ${FORMATS}`);
}

/** The message adds what the code cannot say; where there is nothing to add, it is the code. */
function errorOutcome(code: string, message = code): SlotOutcome {
  return { kind: SLOT_OUTCOMES.error, code, message };
}

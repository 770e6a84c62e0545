import type { DecisionResult } from './decision-client.js';
import { type Creative, FORMATS, type SlotDecision, type SlotRequest } from './protocol.js';

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

/** What one slot learns from a decision. */
export type SlotOutcome =
  | { kind: typeof SLOT_OUTCOMES.filled; decisionId: string; candidates: Creative[] }
  | { kind: typeof SLOT_OUTCOMES.empty; decisionId: string }
  | { kind: typeof SLOT_OUTCOMES.error; code: string; message: string };

/** What `send` resolves to: a decision client's result, or a failure of the caller's own such as missing configuration. */
export type BatchResult = DecisionResult | { ok: false; code: string; message: string };

export interface DecisionBatcherOptions {
  /** Sends one decision request for these slots; normally a decision client's `decide`. */
  send: (slots: SlotRequest[], signal: AbortSignal) => Promise<BatchResult>;
  /** Calls `flush` once the current batch should go; default the next animation frame, see {@link nextFrame}. */
  schedule?: (flush: () => void) => void;
  /** Slots per request, at most the protocol's 50; default 50. */
  maxSlotsPerRequest?: number;
}

export interface DecisionBatcher {
  /** Asks for one slot's decision. Never rejects; an aborted `signal` gives an `aborted` error outcome at once. */
  request(slot: SlotRequest, signal?: AbortSignal): Promise<SlotOutcome>;
}

const MAX_SLOTS_PER_REQUEST = 50;
// The protocol's limits on one request slot, which merging duplicate slot ids must keep to.
const MAX_SIZES = 10;
const MAX_FORMATS = 10;
const HIDDEN_TAB_DELAY_MS = 50;

interface Caller {
  slot: SlotRequest;
  batch: Batch;
  settle(outcome: SlotOutcome): void;
}

/** Callers by slot id; once sent, the controller aborts the request when every caller has left. */
interface Batch {
  callers: Map<string, Caller[]>;
  controller?: AbortController;
}

/**
 * Gathers the slots that ask within one frame into one decision request, as the protocol intends: one request per
 * page view rather than one per slot. Callers of the same slot id share one request slot and its outcome. A caller
 * whose signal aborts leaves the batch, and a batch nobody is left in is not sent (or, in flight, is aborted).
 * A slot missing from the answer is `empty`; candidates in formats outside {@link FORMATS} are dropped, and a slot
 * left with none of the candidates it was sent is an `unsupported-format` error.
 *
 * @example
 * const batcher = createDecisionBatcher({ send: (slots, signal) => client.decide({ ...base, slots }, signal) });
 * const outcome = await batcher.request({ id: 'home-banner', sizes: [[960, 240]], formats: ['banner'] });
 */
export function createDecisionBatcher(options: DecisionBatcherOptions): DecisionBatcher {
  const { send, schedule = nextFrame } = options;
  const requested = options.maxSlotsPerRequest;
  const maxSlots =
    requested !== undefined && Number.isInteger(requested) && requested >= 1
      ? Math.min(requested, MAX_SLOTS_PER_REQUEST)
      : MAX_SLOTS_PER_REQUEST;
  let pending: Batch = { callers: new Map() };
  let scheduled = false;

  const leave = (caller: Caller) => {
    const { batch, slot } = caller;
    const callers = batch.callers.get(slot.id)?.filter((other) => other !== caller) ?? [];
    if (callers.length > 0) batch.callers.set(slot.id, callers);
    else batch.callers.delete(slot.id);
    if (batch.callers.size === 0) batch.controller?.abort();
  };

  const dispatch = async (batch: Batch, signal: AbortSignal) => {
    try {
      const result = await send([...batch.callers.values()].map(mergeSlots), signal);
      const decisions = new Map<string, SlotDecision>();
      if (result.ok) {
        // The first decision for an id wins, should the server repeat one.
        for (const decision of result.response.slots) {
          if (!decisions.has(decision.id)) decisions.set(decision.id, decision);
        }
      }
      for (const [id, callers] of batch.callers) {
        const outcome: SlotOutcome = result.ok
          ? toOutcome(result.response.decisionId, decisions.get(id))
          : { kind: SLOT_OUTCOMES.error, code: result.code, message: result.message };
        for (const caller of callers) caller.settle(outcome);
      }
    } catch {
      const outcome = errorOutcome(SLOT_ERRORS.sendFailed, 'the decision request failed unexpectedly');
      for (const callers of batch.callers.values()) for (const caller of callers) caller.settle(outcome);
    }
  };

  const flush = () => {
    scheduled = false;
    const entries = [...pending.callers];
    pending = { callers: new Map() };
    for (let start = 0; start < entries.length; start += maxSlots) {
      const controller = new AbortController();
      const batch: Batch = { callers: new Map(entries.slice(start, start + maxSlots)), controller };
      for (const callers of batch.callers.values()) for (const caller of callers) caller.batch = batch;
      void dispatch(batch, controller.signal);
    }
  };

  return {
    request(slot, signal) {
      return new Promise((resolve) => {
        if (signal?.aborted) {
          resolve(errorOutcome(SLOT_ERRORS.aborted, 'the slot stopped waiting for its decision'));
          return;
        }
        let settled = false;
        const onAbort = () => {
          caller.settle(errorOutcome(SLOT_ERRORS.aborted, 'the slot stopped waiting for its decision'));
          leave(caller);
        };
        const caller: Caller = {
          slot,
          batch: pending,
          settle(outcome) {
            if (settled) return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            resolve(outcome);
          },
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.callers.set(slot.id, [...(pending.callers.get(slot.id) ?? []), caller]);
        if (scheduled) return;
        scheduled = true;
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
 * The default schedule: the next animation frame, so that every slot connected while the page renders joins one
 * request. A hidden tab (opened in the background, prerendering) runs no frames, so there a short timer stands in.
 */
function nextFrame(flush: () => void): void {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState !== 'hidden') {
    requestAnimationFrame(() => flush());
  } else {
    setTimeout(flush, HIDDEN_TAB_DELAY_MS);
  }
}

function toOutcome(decisionId: string, decision: SlotDecision | undefined): SlotOutcome {
  if (!decision || decision.candidates.length === 0) return { kind: SLOT_OUTCOMES.empty, decisionId };
  const candidates = decision.candidates.filter((creative) => (FORMATS as readonly string[]).includes(creative.format));
  if (candidates.length === 0) {
    return errorOutcome(
      SLOT_ERRORS.unsupportedFormat,
      `no candidate is in a format this SDK renders (${FORMATS.join(', ')})`,
    );
  }
  return { kind: SLOT_OUTCOMES.filled, decisionId, candidates };
}

function errorOutcome(code: string, message: string): SlotOutcome {
  return { kind: SLOT_OUTCOMES.error, code, message };
}

/** One request slot for every caller of a slot id: the union of their sizes and formats, within the protocol's limits. */
function mergeSlots(callers: Caller[]): SlotRequest {
  const [first] = callers as [Caller, ...Caller[]];
  if (callers.length === 1) return first.slot;
  const sizes = new Map(callers.flatMap(({ slot }) => slot.sizes.map((size) => [size.join('x'), size] as const)));
  const formats = new Set(callers.flatMap(({ slot }) => slot.formats));
  return {
    id: first.slot.id,
    sizes: [...sizes.values()].slice(0, MAX_SIZES),
    formats: [...formats].slice(0, MAX_FORMATS),
  };
}

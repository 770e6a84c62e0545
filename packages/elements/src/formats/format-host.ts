// The contract between `<op-slot>` and the lazily loaded formats. Types only: nothing here reaches the entry bundle.
import type { Claim, Creative } from '@opslot/core';
import type { OpSlot } from '../op-slot/op-slot.component.js';
import type { FormatReporter } from './format-reporter.js';

/**
 * What a slot gives the element of a format. The element measures and reports its creatives itself
 * (format-reporter.ts): the slot's entry code stays the banner's only.
 */
export interface FormatHost {
  /** The slot: its id, its `state` (the format sets `rendered`, `closed` and `error`), and where events come from. */
  readonly slot: OpSlot;
  readonly decisionId: string;
  /**
   * The first creative's place in the operator's frequency ledger, when rules apply: its exposure, click and close
   * are recorded there. The creatives after it were allowed by the rules when the slot chose, and are not claimed.
   */
  readonly claim?: Claim | undefined;
}

/** A lazily loaded format's module. */
export interface FormatModule {
  /**
   * The element that shows `candidates[0]` (and, for the formats that show several creatives, the candidates of the
   * same format after it), or undefined when `candidates[0]` cannot be shown safely: a malformed asset or an unsafe
   * URL. The slot then tries the next candidate.
   */
  create(candidates: readonly Creative[], report: FormatReporter): HTMLElement | undefined;
}

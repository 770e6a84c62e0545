import type { CapReason, EmptyReason } from '@opslot/core';

/** `op-render`: the creative's image has loaded and is on the page. */
export interface OpRenderDetail {
  slotId: string;
  decisionId: string;
  creativeId: string;
  campaignId: string;
  advertiserId: string;
}

/**
 * `op-empty`: nothing to show; the slot collapses. `reason`: `no-fill` (the decision had nothing for it),
 * `disabled` (the bank's kill switch is on for it), `quiet-zone` (opslot stays silent on this page), a frequency
 * reason such as `capped:day` or `cooldown` (the operator's ledger refused every candidate; the first refusal),
 * `ledger-unavailable` (the candidates have rules and the ledger's code could not load), or `ledger-busy` (the
 * ledger's storage did not finish checking the rules within a second, busy with the operator's other tabs).
 */
export interface OpEmptyDetail {
  slotId: string;
  reason: EmptyReason | CapReason | 'ledger-unavailable' | 'ledger-busy';
  decisionId?: string;
}

/** `op-viewable`: a viewable exposure (MRC: ≥50 % of pixels, one continuous second, visible focused tab). */
export interface OpViewableDetail extends OpRenderDetail {
  method: 'io2' | 'io1';
}

/**
 * `op-click`: the operator clicked the creative. `op-navigate` follows with the same detail; cancel it to handle
 * `url` yourself (an app route, a native bridge), otherwise the landing page opens in a new tab.
 */
export interface OpClickDetail extends OpRenderDetail {
  url: string;
}

/**
 * `op-close`: the operator closed a pop-up, floating or notice creative with its close control (or Esc); the slot
 * collapses for the rest of the page view. `dontShowAgain`: they chose "don't show again".
 */
export interface OpCloseDetail extends OpRenderDetail {
  dontShowAgain: boolean;
}

/** `op-error`: the slot could not show anything and collapsed. `code` is stable; `message` is for people. */
export interface OpErrorDetail {
  slotId: string;
  code: string;
  message: string;
}

export interface OpSlotEventMap {
  'op-render': CustomEvent<OpRenderDetail>;
  'op-empty': CustomEvent<OpEmptyDetail>;
  'op-viewable': CustomEvent<OpViewableDetail>;
  'op-click': CustomEvent<OpClickDetail>;
  'op-navigate': CustomEvent<OpClickDetail>;
  'op-close': CustomEvent<OpCloseDetail>;
  'op-error': CustomEvent<OpErrorDetail>;
}

declare global {
  interface GlobalEventHandlersEventMap extends OpSlotEventMap {}
}

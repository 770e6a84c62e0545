// The contact-frequency rules of a creative, evaluated against what the operator has already been shown. Pure:
// the ledger supplies the history, this module decides. Reason codes are the ones docs/protocol.md lists.
import type { CapScope, CapWindow, FrequencyRules } from './protocol.js';

export type CapReason =
  | `capped:${CapWindow}`
  | 'interval'
  | 'closed'
  | 'cooldown'
  | 'dismissed'
  | 'clicked'
  | 'invalid-rule';

export type CapVerdict = { eligible: true } | { eligible: false; reason: CapReason };

/** How many exposure times the ledger keeps per scope, so the most a rolling cap can count. */
export const ROLLING_KEPT = 50;

/** What the rules are checked against: the history of one candidate's scopes, as the operator's ledger holds it. */
export interface CapHistory {
  /** Exposures in the candidate's `scope` during the window (for `rolling`, the last `seconds`, both ends included). */
  count(scope: CapScope, window: CapWindow, seconds?: number): number;
  /** Time (epoch ms) of the latest exposure in the candidate's `scope`; -Infinity when none. */
  lastExposure(scope: CapScope): number;
  /** The campaign's latest close (epoch ms); -Infinity when never. */
  closedAt: number;
  /** Whether the campaign was closed during this page view. */
  closedThisPage: boolean;
  /** Whether the operator asked never to see the campaign again. */
  dismissed: boolean;
  /** The campaign's latest click (epoch ms); -Infinity when never. */
  clickedAt: number;
}

const within = (since: number, seconds: number | undefined, now: number) =>
  seconds !== undefined && now - since < seconds * 1000;

/**
 * Whether a candidate may be shown now under every one of `rules` (the creative's, the page's), and if not, the first
 * reason in this order: dismissed, closed on this page, close cooldown, click cooldown, caps, minimum interval.
 * A rule that cannot be applied as written (a rolling cap without `seconds`, or counting beyond what the ledger keeps)
 * refuses the candidate: never over-contacting matters more than filling the slot.
 *
 * @example
 * evaluateCaps([{ caps: [{ scope: 'creative', max: 3, window: 'day' }] }], history, Date.now());
 * // { eligible: false, reason: 'capped:day' } once the creative was seen three times today
 */
export function evaluateCaps(
  rules: readonly (FrequencyRules | undefined)[],
  history: CapHistory,
  now: number,
): CapVerdict {
  const refuse = (reason: CapReason): CapVerdict => ({ eligible: false, reason });
  if (history.dismissed) return refuse('dismissed');
  if (history.closedThisPage) return refuse('closed');
  for (const rule of rules) {
    if (!rule) continue;
    if (within(history.closedAt, rule.closeCooldownSeconds, now)) return refuse('cooldown');
    if (within(history.clickedAt, rule.clickCooldownSeconds, now)) return refuse('clicked');
  }
  for (const rule of rules) {
    for (const { scope, max, window, seconds } of rule?.caps ?? []) {
      if (window === 'rolling' && (seconds === undefined || max > ROLLING_KEPT)) return refuse('invalid-rule');
      if (history.count(scope, window, seconds) >= max) return refuse(`capped:${window}`);
    }
  }
  for (const rule of rules) {
    for (const { scope, seconds } of rule?.minInterval ?? []) {
      if (within(history.lastExposure(scope), seconds, now)) return refuse('interval');
    }
  }
  return { eligible: true };
}

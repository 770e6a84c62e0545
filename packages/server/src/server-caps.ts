import type { CapScope, FrequencyRules } from '@opslot/core';
import { startOfShanghaiDay, startOfShanghaiWeek } from './shanghai-time.js';

/** One event the server counted for an operator, from any channel. */
export interface OperatorEvent {
  type: 'render' | 'viewable' | 'click' | 'close';
  /** Epoch milliseconds, the event's own `ts`. */
  at: number;
  creativeId: string;
  campaignId: string;
  slotId: string;
}

/** What the rules' scopes compare: the creative being decided, and the same facts of any counted creative. */
export interface ScopeFacts {
  creativeId: string;
  campaignId: string;
  slotId: string;
  advertiserId: string;
  format: string;
}

/** How far back the server keeps reading an operator's events: lifetime caps count within this too. */
export const HISTORY_DAYS = 400;

/**
 * The second line of defence: whether `rules` let the server offer `creative` to an operator with `history`, counted
 * across every channel. Returns the first rule that is broken, in words, or null. Page and session windows exist only
 * in the browser and are left to it; day and week are calendar periods in Asia/Shanghai.
 *
 * @param factsOf the scope facts of a creative in the history, or undefined when it has left the catalogue (its
 *   events then still count for its creative, campaign and slot ids, and for `global`).
 */
export function serverCapBreach(
  rules: FrequencyRules,
  creative: ScopeFacts,
  history: readonly OperatorEvent[],
  now: number,
  factsOf: (creativeId: string) => ScopeFacts | undefined,
): string | null {
  const exposureType = rules.countOn === 'rendered' ? 'render' : 'viewable';
  const inScope = (scope: CapScope) => (event: OperatorEvent) => sameScope(scope, creative, event, factsOf);
  const exposures = history.filter((event) => event.type === exposureType);

  for (const cap of rules.caps ?? []) {
    const since = windowStart(cap.window, cap.seconds, now);
    if (since === undefined) continue;
    const count = exposures.filter((event) => event.at >= since && inScope(cap.scope)(event)).length;
    if (count >= cap.max) return `server cap ${cap.scope} ${cap.max}/${cap.window}`;
  }
  for (const { scope, seconds } of rules.minInterval ?? []) {
    if (exposures.some((event) => event.at > now - seconds * 1000 && inScope(scope)(event))) {
      return `server min interval ${scope} ${seconds}s`;
    }
  }
  const cooldowns = [
    ['close', rules.closeCooldownSeconds],
    ['click', rules.clickCooldownSeconds],
  ] as const;
  for (const [type, seconds] of cooldowns) {
    if (seconds === undefined) continue;
    const recent = history.some(
      (event) => event.type === type && event.at > now - seconds * 1000 && event.campaignId === creative.campaignId,
    );
    if (recent) return `server ${type} cooldown ${seconds}s`;
  }
  return null;
}

/** Start of a cap's window, or undefined for windows only the browser can count. */
function windowStart(window: string, seconds: number | undefined, now: number): number | undefined {
  switch (window) {
    case 'day':
      return startOfShanghaiDay(now);
    case 'week':
      return startOfShanghaiWeek(now);
    case 'lifetime':
      return Number.NEGATIVE_INFINITY;
    case 'rolling':
      return seconds === undefined ? undefined : now - seconds * 1000;
    default:
      return undefined;
  }
}

function sameScope(
  scope: CapScope,
  creative: ScopeFacts,
  event: OperatorEvent,
  factsOf: (creativeId: string) => ScopeFacts | undefined,
): boolean {
  switch (scope) {
    case 'creative':
      return event.creativeId === creative.creativeId;
    case 'campaign':
      return event.campaignId === creative.campaignId;
    case 'slot':
      return event.slotId === creative.slotId;
    case 'advertiser':
      return factsOf(event.creativeId)?.advertiserId === creative.advertiserId;
    case 'format':
      return factsOf(event.creativeId)?.format === creative.format;
    default:
      // global
      return true;
  }
}

// What a page or an operator asks of the slots after the first creative: new decisions (refresh) and the switch
// between personalised and non-personalised content. Loaded on first use (the CDN bundle's refresh() and
// setPersonalized(), the "about this content" panel), so that pages pay for it only then.
import { type Attribution, isQuiet, lastClick, type Opslot, trackEvent } from '@opslot/core';
import { PERSONALIZED_KEY, pageSession } from './page-session.js';

/**
 * The operator's switch between personalised and non-personalised content (PIPL Art. 24): remembered for the
 * bank's whole site, applied to the next decisions, and every slot of the session shows new content at once.
 */
export function setPersonalized(personalized: boolean, target: Opslot = pageSession()): void {
  try {
    localStorage.setItem(PERSONALIZED_KEY, personalized ? '1' : '0');
  } catch {
    // Storage is off or full: the choice still holds for this page.
  }
  target.configure({ personalized });
  // Forced, it refreshes at once, before it returns.
  void refreshSlots(target, undefined, true);
}

/** refresh() asks anew for a slot at most this often, unless forced: Google Publisher Tag's pace for refreshes. */
const REFRESH_INTERVAL_MS = 30_000;
/** When refresh() last had each slot of a session ask anew (epoch ms), so that a decision in flight counts too. */
const refreshedAt = new WeakMap<Opslot, Map<string, number>>();

/**
 * Asks for new decisions for the page's slots (all of them, or those named) and shows their creatives. A slot is
 * refreshed only 30 seconds after its latest decision unless `force` is set. Resolves with the ids of the slots it
 * refreshed.
 *
 * @example
 * await refresh(['home-banner']);
 */
export function refresh(slotIds?: readonly string[], options: { force?: boolean } = {}): Promise<string[]> {
  return refreshSlots(pageSession(), slotIds, options.force ?? false);
}

/**
 * {@link refresh} for the slots of `target` (all, or those named). On a quiet page, or with no such slot, it does
 * nothing and loads nothing.
 */
export async function refreshSlots(
  target: Opslot,
  slotIds: readonly string[] | undefined,
  force: boolean,
): Promise<string[]> {
  const { config } = target;
  if (config && isQuiet(config, location.pathname)) return [];
  const slots = [...document.querySelectorAll('op-slot')].filter(
    ({ slotId, session }) => slotId && (session ?? pageSession()) === target && (!slotIds || slotIds.includes(slotId)),
  );
  if (!slots.length) return [];
  // When each slot was last decided, the measurement noted (its code loaded with the first decision). Without it,
  // the page's first decisions are taken to have just been made when the page started.
  const measurement = force ? undefined : await target.measurement().catch(() => undefined);
  const decidedAt = (slotId: string) =>
    measurement?.decidedAt.get(slotId) ?? (measurement ? 0 : performance.timeOrigin);
  const now = Date.now();
  const refreshed = refreshedAt.get(target) ?? new Map<string, number>();
  refreshedAt.set(target, refreshed);
  const ids: string[] = [];
  for (const slot of slots) {
    const slotId = slot.slotId as string;
    const lastAsked = Math.max(decidedAt(slotId), refreshed.get(slotId) ?? 0);
    if (!force && now < lastAsked + REFRESH_INTERVAL_MS) continue;
    refreshed.set(slotId, now);
    slot.refresh();
    ids.push(slotId);
  }
  return ids;
}

/**
 * Reports a conversion — something the operator did that an operation slot led to, such as
 * `loan-application-submitted`. It is credited to the creative the operator last clicked in this tab, unless the
 * page says which. The name must be an id (letters, digits, `._:-`); it never carries what the operator typed.
 *
 * @example
 * conversion('loan-application-submitted');
 */
export function conversion(name: string, attribution: Attribution = lastClick()): void {
  trackEvent(pageSession(), { type: 'conversion', name, ...attribution });
}

/**
 * The operator now at the terminal (an opaque key, never personal data). Later decisions, the frequency ledger and
 * the events are theirs; another operator's counts and closes never apply to them.
 *
 * @example
 * setOperator('op-7f3a9c2e'); // after the bank's login
 */
export function setOperator(operator: string): void {
  pageSession().configure({ operator });
}

/**
 * Logout: later requests are anonymous, and what the frequency ledger kept about the operator is forgotten, on
 * every channel. Resolves once it is.
 */
export async function clearOperator(): Promise<void> {
  const session = pageSession();
  const operator = session.config?.operator;
  session.configure({ operator: null });
  if (operator) await (await session.ledger())?.forget(operator);
}

/**
 * QA's debug overlay: shows it (`true`), hides it (`false`) or toggles it. Its code loads only now.
 *
 * @example
 * debug(true); // in the console: window.opslot.debug(true)
 */
export async function debug(on?: boolean): Promise<void> {
  (await import('./debug/op-debug-overlay.js')).toggleDebugOverlay(on);
}

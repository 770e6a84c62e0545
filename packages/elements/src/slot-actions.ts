// What a page or an operator asks of the slots after the first creative: new decisions (refresh) and the switch
// between personalised and non-personalised content. Loaded on first use (the CDN bundle's refresh() and
// setPersonalized(), the "about this content" panel), so that pages pay for it only then.
import { type Attribution, lastClick, type Opslot } from '@opslot/core';
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
  refreshSlots(target, undefined, true);
}

/**
 * Asks for new decisions for the page's slots (all of them, or those named) and shows their creatives. Each slot is
 * refreshed at most once per 30 seconds unless `force` is set. Returns the ids of the slots it refreshed.
 *
 * @example
 * refresh(['home-banner']);
 */
export function refresh(slotIds?: readonly string[], options: { force?: boolean } = {}): string[] {
  return refreshSlots(pageSession(), slotIds, options.force ?? false);
}

/** Refreshes the slots of `target` (all, or those named) that may be refreshed now; returns their ids. */
function refreshSlots(target: Opslot, slotIds: readonly string[] | undefined, force: boolean): string[] {
  const refreshed: string[] = [];
  for (const slot of document.querySelectorAll('op-slot')) {
    const slotId = slot.slotId;
    if (!slotId || (slot.session ?? pageSession()) !== target || (slotIds && !slotIds.includes(slotId))) continue;
    if (!target.mayRefresh(slotId, force)) continue;
    slot.refresh();
    refreshed.push(slotId);
  }
  return refreshed;
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
  pageSession().track({ type: 'conversion', name, ...attribution });
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

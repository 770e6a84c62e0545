import { isId } from './config.js';
import type { DecisionRequest } from './protocol.js';

/**
 * QA's `?opslot_force=slot:creative` (repeatable), as the request's `force`; the server honours it only where it
 * allows forcing. A value that is not two ids is left out, so that a hostile URL cannot break the request; at most
 * 10 are sent. createOpslot loads this module only on a page whose URL has the parameter.
 *
 * @example
 * forcedCreatives('?opslot_force=home-banner:cr-1'); // { force: [{ slotId: 'home-banner', creativeId: 'cr-1' }] }
 */
export function forcedCreatives(search: string): Pick<DecisionRequest, 'force'> {
  const force = new URLSearchParams(search).getAll('opslot_force').flatMap((value) => {
    const [slotId, creativeId] = value.split(/:(.*)/);
    return isId(slotId) && isId(creativeId) ? [{ slotId: slotId as string, creativeId: creativeId as string }] : [];
  });
  return force.length ? { force: force.slice(0, 10) } : {};
}

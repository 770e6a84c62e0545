import { isId } from './config.js';
import type { SessionDiagnostic } from './create-opslot.js';
import type { DecisionResult } from './decision-client.js';
import type { DecisionRequest } from './protocol.js';

/** A preview token as the request schema takes it. */
const PREVIEW_TOKEN = /^[\w.~-]{1,2048}$/;

/**
 * What the page's URL asks of the decision: QA's `?opslot_force=slot:creative` (repeatable, at most 10 sent), which
 * the server honours only where it allows forcing, and a partner's `?opslot_preview=<token>`. A value of the wrong
 * shape is left out, so that a hostile or mangled URL cannot make the request invalid. createOpslot loads this
 * module only on a page whose URL has one of the parameters.
 *
 * @example
 * fieldsOf('?opslot_force=home-banner:cr-1'); // { force: [{ slotId: 'home-banner', creativeId: 'cr-1' }] }
 * fieldsOf('?opslot_preview=eyJ….c2ln'); // { preview: 'eyJ….c2ln' }
 */
export function fieldsOf(search: string): Pick<DecisionRequest, 'force' | 'preview'> {
  const query = new URLSearchParams(search);
  const force = query.getAll('opslot_force').flatMap((value) => {
    const [slotId, creativeId] = value.split(/:(.*)/);
    return isId(slotId) && isId(creativeId) ? [{ slotId: slotId as string, creativeId: creativeId as string }] : [];
  });
  const preview = query.get('opslot_preview');
  return {
    ...(force.length > 0 && { force: force.slice(0, 10) }),
    ...(preview && PREVIEW_TOKEN.test(preview) && { preview }),
  };
}

/** Tells the page, through `op-diagnostic` `preview-refused`, when the server refused its preview token and why. */
export function reportRefusal(
  result: DecisionResult,
  onDiagnostic: ((diagnostic: SessionDiagnostic) => void) | undefined,
): void {
  const answer = result.ok && result.response.preview;
  if (answer && !answer.accepted) onDiagnostic?.({ code: 'preview-refused', message: answer.reason });
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreviewRefusal, PreviewVerdict } from '@opslot/core';
import { type DecisionEngine, decisionAudit } from './decide.js';
import { describeSchemaError } from './describe-schema-error.js';
import { encodeDecisionResponse } from './encode-decision-response.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { SigningKey } from './load-signing-key.js';
import { SIGNATURE_HEADER } from './load-signing-key.js';
import type { PreviewCheck, PreviewTokens } from './preview-token.js';
import type { ProtocolValidators } from './protocol-validators.js';
import { readJsonBody } from './read-json-body.js';
import { sendJsonBytes } from './respond.js';
import type { Store } from './store.js';
import { timeOrderedUuid } from './time-ordered-uuid.js';

/** Seconds a page may reuse a decision; long enough for a tab's lifetime of slot reconnects, short for campaign edits. */
const DECISION_TTL_SECONDS = 300;

/**
 * `POST /v1/decisions`: answers every requested slot, keeps the answer and its reasons for audit, and signs the exact
 * bytes it sends. A valid preview token puts its partner's creative alone into its slot, marked `preview`, and the
 * decision is remembered as a preview so that none of its events count; a refused token is only reported in the
 * answer's `preview`, and the page decides as usual.
 */
export async function handleDecisions(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  engine: DecisionEngine,
  validators: ProtocolValidators,
  signingKey: SigningKey,
  previews: { tokens: PreviewTokens; isInProgramme: (partnerId: string) => boolean },
): Promise<void> {
  const request = await readJsonBody(req);
  if (!validators.decisionRequest(request)) {
    const where = describeSchemaError(validators.decisionRequest.errors?.[0]);
    throw new HttpError(400, ERROR_CODES.invalidRequest, `Invalid decision request: ${where}`);
  }
  const now = Date.now();
  const preview = request.preview === undefined ? undefined : checkPreview(request.preview, store, previews);
  const placement = preview?.ok ? { slotId: preview.claims.slotId, creativeId: preview.claims.creativeId } : undefined;
  const outcome = engine.decide(request, now, placement);
  const verdict: PreviewVerdict | undefined =
    preview === undefined
      ? undefined
      : !preview.ok
        ? { accepted: false, reason: preview.reason }
        : outcome.preview === 'accepted'
          ? { accepted: true }
          : { accepted: false, reason: 'mismatch' };
  const decisionId = timeOrderedUuid(now);
  if (verdict?.accepted && preview?.ok) {
    store.recordPreviewDecision({
      decisionId,
      at: now,
      partnerId: preview.claims.partnerId,
      creativeId: preview.claims.creativeId,
    });
  }
  store.recordDecision(decisionAudit(decisionId, now, request, outcome));
  // Encoded once: the signature covers these bytes, and no other serialisation may stand in for them.
  const body = encodeDecisionResponse(
    { v: 1, decisionId, ttl: DECISION_TTL_SECONDS, ...(verdict && { preview: verdict }) },
    outcome.slots.map((slot) => slot.encoded),
  );
  sendJsonBytes(res, 200, body, { [SIGNATURE_HEADER]: signingKey.signatureHeader(body) });
}

/**
 * The token's claims when this server issued it, it has not expired, its partner is still in the programme, and its
 * creative is still that partner's in its slot, in an application the bank has not rejected; otherwise why not
 * (`invalid` for a partner taken out of the programme or a rejected application, `mismatch` when the creative is gone
 * or was moved).
 */
function checkPreview(
  token: string,
  store: Store,
  { tokens, isInProgramme }: { tokens: PreviewTokens; isInProgramme: (partnerId: string) => boolean },
): PreviewCheck | PreviewMismatch {
  const check = tokens.verify(token);
  if (!check.ok) return check;
  const { partnerId, creativeId, slotId } = check.claims;
  const application = store.applicationOfCreative(creativeId);
  const creative = application?.creatives.find((c) => c.id === creativeId);
  if (application?.partnerId !== partnerId || creative?.slotId !== slotId) return { ok: false, reason: 'mismatch' };
  if (application.status === 'rejected' || !isInProgramme(partnerId)) return { ok: false, reason: 'invalid' };
  return check;
}

/** A verified token the server refuses all the same, for what has changed since it was issued. */
type PreviewMismatch = { ok: false; reason: Extract<PreviewRefusal, 'mismatch' | 'invalid'> };

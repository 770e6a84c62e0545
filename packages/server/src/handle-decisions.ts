import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DecisionEngine } from './decide.js';
import { describeSchemaError } from './describe-schema-error.js';
import { encodeDecisionResponse } from './encode-decision-response.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { SigningKey } from './load-signing-key.js';
import { SIGNATURE_HEADER } from './load-signing-key.js';
import type { ProtocolValidators } from './protocol-validators.js';
import { readJsonBody } from './read-json-body.js';
import { sendJsonBytes } from './respond.js';
import type { Store } from './store.js';

/** Seconds a page may reuse a decision; long enough for a tab's lifetime of slot reconnects, short for campaign edits. */
const DECISION_TTL_SECONDS = 300;

/**
 * `POST /v1/decisions`: answers every requested slot, keeps the answer and its reasons for audit, and signs the exact
 * bytes it sends.
 * `preview` is validated by the schema and otherwise ignored until the partner API uses it.
 */
export async function handleDecisions(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  engine: DecisionEngine,
  validators: ProtocolValidators,
  signingKey: SigningKey,
): Promise<void> {
  const request = await readJsonBody(req);
  if (!validators.decisionRequest(request)) {
    const where = describeSchemaError(validators.decisionRequest.errors?.[0]);
    throw new HttpError(400, ERROR_CODES.invalidRequest, `Invalid decision request: ${where}`);
  }
  const now = Date.now();
  const { slots: outcomes, operatorHash } = engine.decide(request, now);
  const decisionId = randomUUID();
  store.recordDecision({
    id: decisionId,
    at: now,
    channel: request.page.channel,
    pageId: request.page.pageId,
    operatorHash,
    slots: outcomes.map(({ decision, ledgerExcluded, reasons, campaignsLeftOut }) => ({
      id: decision.id,
      creativeIds: decision.candidates.map((c) => c.id),
      ledgerExcluded,
      disabled: decision.disabled === true,
      reasons,
      campaignsLeftOut,
    })),
  });
  // Encoded once: the signature covers these bytes, and no other serialisation may stand in for them.
  const body = encodeDecisionResponse(
    { v: 1, decisionId, ttl: DECISION_TTL_SECONDS },
    outcomes.map((outcome) => outcome.encoded),
  );
  sendJsonBytes(res, 200, body, { [SIGNATURE_HEADER]: signingKey.signatureHeader(body) });
}

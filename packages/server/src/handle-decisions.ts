import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DecisionResponse } from '@opslot/core';
import { decide } from './decide.js';
import { describeSchemaError } from './describe-schema-error.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { ProtocolValidators } from './protocol-validators.js';
import { readJsonBody } from './read-json-body.js';
import { sendJson } from './respond.js';
import type { Store } from './store.js';

/** Seconds a page may reuse a decision; long enough for a tab's lifetime of slot reconnects, short for campaign edits. */
const DECISION_TTL_SECONDS = 300;

/** `POST /v1/decisions`: answers every requested slot and keeps the answer for audit. */
export async function handleDecisions(
  req: IncomingMessage,
  res: ServerResponse,
  store: Store,
  validators: ProtocolValidators,
): Promise<void> {
  const request = await readJsonBody(req);
  if (!validators.decisionRequest(request)) {
    const where = describeSchemaError(validators.decisionRequest.errors?.[0]);
    throw new HttpError(400, ERROR_CODES.invalidRequest, `Invalid decision request: ${where}`);
  }
  const now = Date.now();
  const slotIds = [...new Set(request.slots.map((slot) => slot.id))];
  const response: DecisionResponse = {
    v: 1,
    decisionId: randomUUID(),
    ttl: DECISION_TTL_SECONDS,
    slots: decide(request, store.creativesForSlots(slotIds), now),
  };
  store.recordDecision({
    id: response.decisionId,
    at: now,
    channel: request.page.channel,
    pageId: request.page.pageId,
    slots: response.slots.map((slot) => ({ id: slot.id, creativeIds: slot.candidates.map((c) => c.id) })),
  });
  sendJson(res, 200, response);
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BeaconEvent, EventBatchResult } from '@opslot/core';
import { containsPersonalData } from './contains-personal-data.js';
import { describeSchemaError } from './describe-schema-error.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { ProtocolValidators } from './protocol-validators.js';
import { readJsonBody } from './read-json-body.js';
import { sendJson } from './respond.js';
import type { InsertEventsResult } from './store.js';

/** The `code` of a rejected event, in the answer's `rejected` list. */
export const REJECTION_CODES = {
  /** The event does not match `#/$defs/event` of the batch schema. */
  invalidEvent: 'invalid-event',
  /** A string in the event looks like personal data ({@link containsPersonalData}); nothing of it is stored. */
  personalData: 'personal-data',
} as const;

/**
 * `POST /v1/events`: stores the valid events of a batch in one transaction (shared with the batches that arrived in
 * the same turn of the event loop, see `createEventCommitter`) and settles every id in the answer,
 * so the client can drop the whole batch from its outbox. An event that looks like it carries personal data is
 * refused alone, behind the SDK's own guard: the collector is the last place it could still be kept out of storage.
 */
export async function handleEvents(
  req: IncomingMessage,
  res: ServerResponse,
  commit: (events: readonly BeaconEvent[], receivedAt: number) => Promise<InsertEventsResult>,
  validators: ProtocolValidators,
): Promise<void> {
  const batch = await readJsonBody(req);
  if (!validators.eventEnvelope(batch)) {
    const where = describeSchemaError(validators.eventEnvelope.errors?.[0]);
    throw new HttpError(400, ERROR_CODES.invalidRequest, `Invalid event batch: ${where}`);
  }
  const valid: BeaconEvent[] = [];
  const rejected: EventBatchResult['rejected'] = [];
  for (const [index, event] of batch.events.entries()) {
    // Before the schema: an e-mail in an id also fails the id pattern, and the answer should say why it matters.
    if (containsPersonalData(event)) rejected.push({ index, code: REJECTION_CODES.personalData });
    else if (validators.event(event)) valid.push(event);
    else rejected.push({ index, code: REJECTION_CODES.invalidEvent });
  }
  const stored = valid.length > 0 ? await commit(valid, Date.now()) : { accepted: [], duplicates: [] };
  const result: EventBatchResult = { v: 1, ...stored, rejected };
  sendJson(res, 200, result);
}

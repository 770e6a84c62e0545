// A module of its own, apart from the decision-response validator: only the lazily loaded outbox needs it, so its
// schema stays out of the bytes that load before the first creative.
import eventBatchResultSchema from '../schema/event-batch-result.v1.schema.json' with { type: 'json' };
import { compileSchema, type ValidationResult, type Validator } from './validate-schema.js';

let eventBatchResult: Validator | undefined;

/**
 * Checks the collector's answer to `POST /v1/events` against `event-batch-result.v1.schema.json`.
 *
 * @example
 * if (validateEventBatchResult(JSON.parse(text)).ok) dropSettled(answer);
 */
export function validateEventBatchResult(value: unknown): ValidationResult {
  eventBatchResult ??= compileSchema(eventBatchResultSchema);
  return eventBatchResult(value);
}

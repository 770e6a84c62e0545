import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BeaconEvent, DecisionRequest } from '@opslot/core';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './create-ajv.js';

export interface ProtocolValidators {
  decisionRequest: ValidateFunction<DecisionRequest>;
  /** The batch without its events, so that one bad event is rejected alone instead of failing the batch. */
  eventEnvelope: ValidateFunction<{ v: 1; events: unknown[] }>;
  event: ValidateFunction<BeaconEvent>;
}

/** Reads one of the protocol's JSON Schema files, which `@opslot/core` publishes under `schema/`. */
export function readProtocolSchema(name: string): Record<string, unknown> {
  const path = fileURLToPath(import.meta.resolve(`@opslot/core/schema/${name}`));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Compiles the request-side schemas once, at start, so a broken schema stops the server before it serves. */
export function createProtocolValidators(): ProtocolValidators {
  const ajv = createAjv();
  const batchSchema = readProtocolSchema('event-batch.v1.schema.json');
  ajv.addSchema(batchSchema);
  const event = ajv.getSchema<BeaconEvent>(`${String(batchSchema.$id)}#/$defs/event`);
  if (!event) throw new Error('event-batch.v1.schema.json has no #/$defs/event');
  return {
    decisionRequest: ajv.compile<DecisionRequest>(readProtocolSchema('decision-request.v1.schema.json')),
    eventEnvelope: ajv.compile<{ v: 1; events: unknown[] }>(envelopeOf(batchSchema)),
    event,
  };
}

function envelopeOf(batchSchema: Record<string, unknown>): Record<string, unknown> {
  const envelope = structuredClone(batchSchema) as {
    $id?: string;
    properties: { events: { items?: unknown } };
  };
  // Without its $id: the full batch schema is already registered under that id.
  delete envelope.$id;
  delete envelope.properties.events.items;
  return envelope;
}

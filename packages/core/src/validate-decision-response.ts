// The import attribute is what browsers and Node need for a JSON module; TypeScript, esbuild and
// @rollup/plugin-json accept it too. The schema files are the normative protocol, so they are read, not copied.
import decisionResponseSchema from '../schema/decision-response.v1.schema.json' with { type: 'json' };
import { compileSchema, type ValidationResult, type Validator } from './validate-schema.js';

// Compiled on first use, so that importing this module does no work.
let decisionResponse: Validator | undefined;

/**
 * Checks an answer of `POST /v1/decisions` against `decision-response.v1.schema.json`. Unknown fields are allowed.
 * Formats are not checked against {@link FORMATS} here: an unknown format collapses only its slot.
 *
 * @example
 * const result = validateDecisionResponse(JSON.parse(text));
 * if (!result.ok) console.warn(`opslot: ${result.path} ${result.message}`);
 */
export function validateDecisionResponse(value: unknown): ValidationResult {
  // Format assets are checked by the format's code, a lazy chunk (and frequency rules, which the response schema
  // leaves out, by the ledger).
  decisionResponse ??= compileSchema(decisionResponseSchema, { refs: { 'creative-assets.v1.schema.json': true } });
  return decisionResponse(value);
}

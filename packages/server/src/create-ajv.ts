import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * An Ajv for the draft 2020-12 schemas of opslot. It stops at the first error, because the answer names one
 * failing path, and it is strict so that a typo in a schema fails loudly at start instead of validating nothing.
 */
export function createAjv(): Ajv2020 {
  return new Ajv2020({ allErrors: false, strict: true });
}

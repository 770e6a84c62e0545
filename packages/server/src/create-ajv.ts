import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** Protocol schemas that others refer to by `$ref`, registered in every Ajv so that those references resolve. */
const REFERENCED_SCHEMAS = ['frequency-rules.v1.schema.json', 'creative-assets.v1.schema.json'];

/**
 * An Ajv for the draft 2020-12 schemas of opslot. It stops at the first error, because the answer names one
 * failing path, and it is strict so that a typo in a schema fails loudly at start instead of validating nothing.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: false, strict: true });
  for (const name of REFERENCED_SCHEMAS) {
    const path = fileURLToPath(import.meta.resolve(`@opslot/core/schema/${name}`));
    ajv.addSchema(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
  }
  return ajv;
}

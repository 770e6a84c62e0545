import type { ErrorObject } from 'ajv';

/**
 * One line naming the failing JSON pointer, such as `/page/locale is required` or
 * `/slots/0/sizes/1 must be array`. Never quotes the offending value, which may be huge or personal.
 */
export function describeSchemaError(error: ErrorObject | undefined): string {
  if (!error) return 'does not match the schema';
  if (error.keyword === 'required') {
    return `${error.instancePath}/${String(error.params.missingProperty)} is required`;
  }
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${String(error.params.additionalProperty)} is not allowed`;
  }
  return `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`;
}

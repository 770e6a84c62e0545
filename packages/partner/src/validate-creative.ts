// The studio's rules for a creative's fields, as the server checks them (the partner contract,
// `POST /applications/{id}/creatives`), the Advertising Law's forbidden terms included, with the server's field codes.
import {
  BRAND_COLOR_PATTERN,
  CREATIVE_LIMITS,
  CREATIVE_TEMPLATES,
  type CreativeTemplate,
  type FieldCode,
  findForbiddenTerms,
} from '@opslot/core';
import type { FormFieldError } from './form-field-error.js';

export interface CreativeDraftFields {
  template: CreativeTemplate;
  title: string;
  subtitle: string;
  cta: string;
  brandColor: string;
  alt: string;
  hasLogo: boolean;
}

/** Every rule the fields break, one error per field, in the studio's order. */
export function validateCreative(draft: CreativeDraftFields): FormFieldError[] {
  const errors: FormFieldError[] = [];
  const fail = (field: string, code: FieldCode, words?: string[]) =>
    errors.push({ field, code, ...(words && { words }) });
  for (const field of ['title', 'subtitle', 'cta', 'alt'] as const) {
    const value = draft[field].trim();
    const length = [...value].length;
    const { min, max } = CREATIVE_LIMITS[field];
    const words = findForbiddenTerms(value);
    if (length === 0 && min > 0) fail(field, 'required');
    else if (length < min || length > max) fail(field, 'length');
    else if (words.length > 0) fail(field, 'forbidden-words', words);
  }
  if (!BRAND_COLOR_PATTERN.test(draft.brandColor)) fail('brandColor', 'invalid');
  // The native format shows the logo: a native card without one cannot be served.
  if (draft.template === CREATIVE_TEMPLATES.nativeCard && !draft.hasLogo) fail('logo', 'required');
  return errors;
}

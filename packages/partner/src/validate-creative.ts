// The studio's rules for a creative's fields, as the server checks them (the partner contract,
// `POST /applications/{id}/creatives`), the Advertising Law's forbidden terms included, with the server's field codes.
import { findForbiddenTerms } from '@opslot/core';
import type { FieldError, TemplateId } from './partner-api.js';

export const CREATIVE_LIMITS = {
  title: { min: 2, max: 18 },
  subtitle: { min: 0, max: 30 },
  cta: { min: 2, max: 8 },
  alt: { min: 2, max: 60 },
} as const;

export interface CreativeDraftFields {
  template: TemplateId;
  title: string;
  subtitle: string;
  cta: string;
  brandColor: string;
  alt: string;
  hasLogo: boolean;
}

/** Every rule the fields break, one error per field, in the studio's order. */
export function validateCreative(draft: CreativeDraftFields): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['title', 'subtitle', 'cta', 'alt'] as const) {
    const value = draft[field].trim();
    const length = [...value].length;
    const { min, max } = CREATIVE_LIMITS[field];
    const words = findForbiddenTerms(value);
    if (length === 0 && min > 0) errors.push({ field, code: 'required' });
    else if (length < min || length > max) errors.push({ field, code: 'length' });
    else if (words.length > 0) errors.push({ field, code: 'forbidden-words', words });
  }
  if (!/^#[0-9a-f]{6}$/i.test(draft.brandColor)) errors.push({ field: 'brandColor', code: 'invalid' });
  // The native format shows the logo: a native card without one cannot be served.
  if (draft.template === 'native-card' && !draft.hasLogo) errors.push({ field: 'logo', code: 'required' });
  return errors;
}

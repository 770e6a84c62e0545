// The application form's rules, as the server checks them (the partner contract, `POST /applications`): checked in
// the browser as the partner types, so that most mistakes never make a round trip. The server stays the judge; the
// rules here are those of validateApplication in @opslot/server's validate-partner-input.ts, with the limits, patterns,
// field codes and the landing-URL rule both take from @opslot/core.
import {
  APPLICATION_LIMITS,
  type ApplicationInput,
  DAY_PATTERN,
  EMAIL_PATTERN,
  type FieldCode,
  LANDLINE_PATTERN,
  landingUrlProblem,
  MAX_EMAIL_LENGTH,
  MOBILE_PATTERN,
} from '@opslot/core';
import type { FormFieldError } from './form-field-error.js';

export interface ApplicationContext {
  /** Today in Asia/Shanghai, `YYYY-MM-DD`. */
  today: string;
  /** The partner's allowlisted domains: a landing host must equal one or lie below one. */
  allowedDomains: readonly string[];
  /** The slots the partner may apply for. */
  slotIds: readonly string[];
}

/** Today's date in Asia/Shanghai as `YYYY-MM-DD`, whatever the computer's time zone. */
export function shanghaiToday(now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/** Days from `from` to `to` (`YYYY-MM-DD`), or NaN when either is not a real date. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

function dayNumber(date: string): number {
  if (!DAY_PATTERN.test(date)) return Number.NaN;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const time = Date.UTC(year, month - 1, day);
  // 2026-02-30 rolls over to March: not a real date.
  return new Date(time).getUTCDate() === day ? time / 86_400_000 : Number.NaN;
}

/** Every rule the application breaks, one error per field at most, in the form's order. */
export function validateApplication(input: ApplicationInput, context: ApplicationContext): FormFieldError[] {
  const errors: FormFieldError[] = [];
  const fail = (field: string, code: FieldCode) => errors.push({ field, code });

  const nameLength = [...input.campaignName.trim()].length;
  if (nameLength === 0) fail('campaignName', 'required');
  else if (nameLength < APPLICATION_LIMITS.campaignName.min || nameLength > APPLICATION_LIMITS.campaignName.max) {
    fail('campaignName', 'length');
  }

  const slotCount = input.slotIds.length;
  if (slotCount < APPLICATION_LIMITS.slots.min || slotCount > APPLICATION_LIMITS.slots.max) fail('slotIds', 'length');
  else if (input.slotIds.some((id) => !context.slotIds.includes(id))) fail('slotIds', 'not-allowed');

  // As the server: a date that is missing or not a real date is `invalid`; the end is judged against a valid start.
  const start = dayNumber(input.startDate);
  const end = dayNumber(input.endDate);
  if (Number.isNaN(start)) fail('startDate', 'invalid');
  else if (start < dayNumber(context.today)) fail('startDate', 'date-in-past');
  if (Number.isNaN(end)) fail('endDate', 'invalid');
  else if (!Number.isNaN(start) && end < start) fail('endDate', 'date-order');
  else if (!Number.isNaN(start) && end - start + 1 > APPLICATION_LIMITS.maxDays) fail('endDate', 'range-too-long');

  // The rule the server applies, to the value the form sends (trimmed: see the form's `_input`).
  const landing = landingUrlProblem(input.landingUrl, context.allowedDomains);
  if (landing) errors.push({ field: 'landingUrl', ...landing });

  const contactName = [...input.contact.name.trim()].length;
  if (contactName === 0) fail('contact.name', 'required');
  else if (contactName > APPLICATION_LIMITS.contactName.max) fail('contact.name', 'length');
  const phone = input.contact.phone.trim();
  if (!MOBILE_PATTERN.test(phone) && !LANDLINE_PATTERN.test(phone)) fail('contact.phone', 'invalid');
  const email = input.contact.email.trim();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(email)) fail('contact.email', 'invalid');

  return errors;
}

// The application form's rules, as the server checks them (the partner contract, `POST /applications`): checked in
// the browser as the partner types, so that most mistakes never make a round trip. The server stays the judge.
import type { ApplicationInput, FieldError } from './partner-api.js';

export const APPLICATION_LIMITS = {
  campaignName: { min: 2, max: 40 },
  slots: { min: 1, max: 6 },
  /** Longest campaign, first and last day included. */
  maxDays: 366,
  contactName: { min: 1, max: 20 },
} as const;

/** Mainland mobile numbers, and landlines with an area code (`010-12345678`, `0755 1234567`, an extension after `-`). */
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}[- ]?\d{7,8}(-\d{1,6})?$/;
/** Deliberately loose, as browsers' own `type=email`: something@host.tld, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

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
  if (!DATE.test(date)) return Number.NaN;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const time = Date.UTC(year, month - 1, day);
  // 2026-02-30 rolls over to March: not a real date.
  return new Date(time).getUTCDate() === day ? time / 86_400_000 : Number.NaN;
}

/**
 * Why a landing URL is refused, or undefined when it is fine: `https:` only (`javascript:`, `data:` and `http:` are
 * refused), no credentials, and a host equal to or below one of `allowedDomains`.
 */
export function landingUrlProblem(raw: string, allowedDomains: readonly string[]): string | undefined {
  const value = raw.trim();
  if (value === '') return 'required';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'invalid-url';
  }
  if (url.protocol !== 'https:') return 'https-only';
  if (url.username || url.password) return 'invalid-url';
  const host = url.hostname.toLowerCase();
  const allowed = allowedDomains.some((domain) => {
    const allowedHost = domain.toLowerCase();
    return host === allowedHost || host.endsWith(`.${allowedHost}`);
  });
  return allowed ? undefined : 'domain-not-allowed';
}

/** Every rule the application breaks, one error per field at most, in the form's order. */
export function validateApplication(input: ApplicationInput, context: ApplicationContext): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (field: string, code: string) => errors.push({ field, code });

  const nameLength = [...input.campaignName.trim()].length;
  if (nameLength === 0) fail('campaignName', 'required');
  else if (nameLength < APPLICATION_LIMITS.campaignName.min) fail('campaignName', 'too-short');
  else if (nameLength > APPLICATION_LIMITS.campaignName.max) fail('campaignName', 'too-long');

  if (input.slotIds.length < APPLICATION_LIMITS.slots.min) fail('slotIds', 'required');
  else if (input.slotIds.length > APPLICATION_LIMITS.slots.max) fail('slotIds', 'too-many');
  else if (input.slotIds.some((id) => !context.slotIds.includes(id))) fail('slotIds', 'unknown-slot');

  const start = dayNumber(input.startDate);
  const end = dayNumber(input.endDate);
  if (input.startDate === '') fail('startDate', 'required');
  else if (Number.isNaN(start)) fail('startDate', 'invalid-date');
  else if (start < dayNumber(context.today)) fail('startDate', 'in-past');
  if (input.endDate === '') fail('endDate', 'required');
  else if (Number.isNaN(end)) fail('endDate', 'invalid-date');
  else if (!Number.isNaN(start) && end < start) fail('endDate', 'before-start');
  else if (!Number.isNaN(start) && end - start + 1 > APPLICATION_LIMITS.maxDays) fail('endDate', 'range-too-long');

  const landing = landingUrlProblem(input.landingUrl, context.allowedDomains);
  if (landing) fail('landingUrl', landing);

  const contactName = [...input.contact.name.trim()].length;
  if (contactName === 0) fail('contact.name', 'required');
  else if (contactName > APPLICATION_LIMITS.contactName.max) fail('contact.name', 'too-long');
  const phone = input.contact.phone.trim();
  if (phone === '') fail('contact.phone', 'required');
  else if (!MOBILE.test(phone) && !LANDLINE.test(phone)) fail('contact.phone', 'invalid-phone');
  const email = input.contact.email.trim();
  if (email === '') fail('contact.email', 'required');
  else if (!EMAIL.test(email)) fail('contact.email', 'invalid-email');

  return errors;
}

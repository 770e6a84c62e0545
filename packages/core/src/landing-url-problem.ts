/**
 * The one rule for a partner application's landing URL (docs/protocol.md, "Applications"), shared by the partner
 * form and the reference server, so that the browser never lets through what the server refuses, nor the reverse.
 * Each side words the refusal itself (the server in zh-CN, the components in the partner's language) from its code
 * and its precise reason.
 */
import { type FIELD_CODES, MAX_LANDING_URL_LENGTH } from './partner-protocol.js';

/** Why a landing URL is refused, more precisely than its field code. */
export const LANDING_URL_REASONS = {
  /** Nothing given, or only spaces. */
  missing: 'missing',
  /** Longer than MAX_LANDING_URL_LENGTH characters. */
  tooLong: 'too-long',
  /** Not an absolute URL. */
  notAUrl: 'not-a-url',
  /** A space, backslash or control character anywhere, surrounding spaces included. */
  forbiddenCharacter: 'forbidden-character',
  /** A scheme other than `https:`. */
  scheme: 'scheme',
  /** A user name or password before the host. */
  credentials: 'credentials',
  /** An explicit port. */
  port: 'port',
  /** A host that is neither one of the allowed domains nor below one. */
  domain: 'domain',
} as const;
export type LandingUrlReason = (typeof LANDING_URL_REASONS)[keyof typeof LANDING_URL_REASONS];

/** A refused landing URL: the field code of the protocol and the reason behind it. */
export type LandingUrlProblem =
  | { code: typeof FIELD_CODES.required; reason: typeof LANDING_URL_REASONS.missing }
  | {
      code: typeof FIELD_CODES.invalid;
      reason:
        | typeof LANDING_URL_REASONS.tooLong
        | typeof LANDING_URL_REASONS.notAUrl
        | typeof LANDING_URL_REASONS.forbiddenCharacter
        | typeof LANDING_URL_REASONS.credentials
        | typeof LANDING_URL_REASONS.port;
    }
  | { code: typeof FIELD_CODES.schemeNotAllowed; reason: typeof LANDING_URL_REASONS.scheme }
  | { code: typeof FIELD_CODES.domainNotAllowed; reason: typeof LANDING_URL_REASONS.domain };

/**
 * Why `value` may not be a partner's landing URL, or undefined when it may: `https:` only (`javascript:`, `data:`
 * and `http:` are refused), no space, backslash or control character anywhere, no credentials, no port, and a host
 * equal to or below one of `allowedDomains`, whatever the case of either.
 *
 * The value is judged as it would be stored: surrounding spaces are refused, not trimmed. A form that trims what the
 * partner typed checks, and sends, the trimmed value.
 *
 * @example
 * landingUrlProblem('https://shop.partner.example/a', ['partner.example']); // undefined
 * landingUrlProblem('https://partner.example:8443/', ['partner.example']); // { code: 'invalid', reason: 'port' }
 */
export function landingUrlProblem(value: unknown, allowedDomains: readonly string[]): LandingUrlProblem | undefined {
  if (typeof value !== 'string' || value.trim() === '') return { code: 'required', reason: 'missing' };
  if (value.length > MAX_LANDING_URL_LENGTH) return { code: 'invalid', reason: 'too-long' };
  if (!URL.canParse(value)) return { code: 'invalid', reason: 'not-a-url' };
  // Browsers forgive a backslash, spaces, tabs and line breaks that other parsers (an app's, a reviewer's eye) read
  // differently: `https://partner.example\@evil.example/` is the partner's host to one and evil.example to another.
  if (/[\\\s]/.test(value) || [...value].some((character) => character < ' ' || character === '\x7f')) {
    return { code: 'invalid', reason: 'forbidden-character' };
  }
  const url = new URL(value);
  if (url.protocol !== 'https:') return { code: 'scheme-not-allowed', reason: 'scheme' };
  if (url.username || url.password) return { code: 'invalid', reason: 'credentials' };
  if (url.port !== '') return { code: 'invalid', reason: 'port' };
  // The URL parser lower-cases an https host; the allowed domains are compared lower-cased too.
  const host = url.hostname;
  const allowed = allowedDomains.some((domain) => {
    const allowedHost = domain.toLowerCase();
    return host === allowedHost || host.endsWith(`.${allowedHost}`);
  });
  return allowed ? undefined : { code: 'domain-not-allowed', reason: 'domain' };
}

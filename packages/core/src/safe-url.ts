/**
 * Whitespace, control, zero-width and bidi characters, and the backslash. The URL parser silently drops or rewrites
 * several of them (`java\tscript:` parses as `javascript:`, `\\host` as `//host`), so a string that carries one is
 * refused rather than second-guessed; a real URL from the server has them percent-encoded.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const SUSPICIOUS = /[\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\\]/u;

/**
 * Resolves a URL from a decision (an image source, a landing page) against `base`, normally the decision endpoint,
 * and returns it only when it is safe to load or follow: `https:`, or `http:` when `base` itself is `http:`
 * (a development or loopback endpoint), and without credentials. Everything else — `javascript:`, `data:`,
 * `vbscript:`, `blob:`, `file:`, `user:pass@` URLs, control-character tricks, unparsable input — gives `null`.
 * Never throws.
 *
 * @example
 * toSafeUrl('/go/42', 'https://bank.example/v1/decisions')?.href; // 'https://bank.example/go/42'
 * toSafeUrl('JavaScript:alert(1)', 'https://bank.example/'); // null
 */
export function toSafeUrl(raw: string, base: string | URL): URL | null {
  if (typeof raw !== 'string' || raw === '' || SUSPICIOUS.test(raw)) return null;
  try {
    const baseUrl = new URL(base);
    const url = new URL(raw, baseUrl);
    const schemeAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && baseUrl.protocol === 'http:');
    return schemeAllowed && url.username === '' && url.password === '' ? url : null;
  } catch {
    return null;
  }
}

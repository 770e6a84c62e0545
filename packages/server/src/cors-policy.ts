import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CODES, HttpError } from './http-error.js';

export interface CorsPolicy {
  /**
   * Adds `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers` for an allowed cross origin; every answer
   * varies by origin.
   */
  decorate(req: IncomingMessage, res: ServerResponse): void;
  /** Answers an `OPTIONS` preflight of an API route; `headers` are the request headers it may send. */
  preflight(req: IncomingMessage, res: ServerResponse, allow: string, headers?: string): void;
  /**
   * Refuses a write from a foreign page. Beacons are text/plain, which any site can send without a preflight; this
   * keeps other sites from filling the stats and the audit trail.
   */
  assertMayWrite(req: IncomingMessage): void;
}

/**
 * Response headers a cross-origin page may read besides the CORS-safelisted ones: the decision signature, which the
 * client must verify, and the back-off a collector asks for.
 */
const EXPOSED_HEADERS = 'Opslot-Signature, Retry-After';

/**
 * CORS for the bank pages on other origins that embed the SDK. Same-origin requests and requests without an
 * `Origin` (servers, curl) need nothing.
 *
 * @example
 * createCorsPolicy(['https://ebank.demobank.example']);
 */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const allowed = new Set(allowedOrigins.map(normalizeOrigin));
  const isAllowed = (origin: string | undefined): origin is string => origin !== undefined && allowed.has(origin);

  return {
    decorate(req, res) {
      res.setHeader('Vary', 'Origin');
      if (!isAllowed(req.headers.origin)) return;
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    },
    preflight(req, res, allow, headers = 'Content-Type') {
      const { origin } = req.headers;
      if (origin !== undefined && !isAllowed(origin) && !isSameOrigin(req)) {
        throw new HttpError(403, ERROR_CODES.originNotAllowed, `Origin ${origin} is not allowed.`);
      }
      res.writeHead(204, {
        Allow: allow,
        'Access-Control-Allow-Methods': allow,
        'Access-Control-Allow-Headers': headers,
        'Access-Control-Max-Age': '600',
      });
      res.end();
    },
    assertMayWrite(req) {
      const { origin } = req.headers;
      if (origin === undefined || isAllowed(origin) || isSameOrigin(req)) return;
      throw new HttpError(403, ERROR_CODES.originNotAllowed, `Origin ${origin} is not allowed.`);
    },
  };
}

/** `https://Bank.example:443/` and `https://bank.example` are the same origin; a typo fails at start, not per request. */
function normalizeOrigin(origin: string): string {
  if (!URL.canParse(origin)) throw new Error(`allowedOrigins: ${origin} is not an origin such as https://bank.example`);
  const { protocol, origin: normalized } = new URL(origin);
  if (protocol !== 'https:' && protocol !== 'http:') throw new Error(`allowedOrigins: ${origin} is not http(s)`);
  return normalized;
}

/** Compares the host only: behind a TLS-terminating proxy the scheme the browser saw is not the one we see. */
function isSameOrigin(req: IncomingMessage): boolean {
  const { origin, host } = req.headers;
  return origin !== undefined && URL.canParse(origin) && new URL(origin).host === host;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CorsPolicy } from './cors-policy.js';
import { CREATIVE_ASSET_PREFIX } from './creative-asset-url.js';
import type { DecisionEngine } from './decide.js';
import { createEventCommitter } from './event-committer.js';
import type { AdminDeps } from './handle-admin.js';
import { ADMIN_PREFIX, handleAdmin } from './handle-admin.js';
import { handleDecisions } from './handle-decisions.js';
import { handleEvents } from './handle-events.js';
import { handleKeys } from './handle-keys.js';
import type { PartnerDeps } from './handle-partner.js';
import { handlePartner, isInProgramme, PARTNER_PREFIX } from './handle-partner.js';
import { handleStats, handleVitals } from './handle-stats.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { SigningKey } from './load-signing-key.js';
import type { ProtocolValidators } from './protocol-validators.js';
import { SECURITY_HEADERS, sendError, sendJson } from './respond.js';
import { serveCreativeAsset } from './serve-creative-asset.js';
import type { StaticFiles } from './static-files.js';
import type { Store } from './store.js';

export interface RequestHandlerDeps {
  store: Store;
  engine: DecisionEngine;
  /** The admin API's token, key hasher and known rankers. */
  admin: Omit<AdminDeps, 'store' | 'creativesDir'>;
  /** The partner API's preview tokens, uploads folder, clock and whether demo tokens work. */
  partner: Omit<PartnerDeps, 'store' | 'hashKey'>;
  validators: ProtocolValidators;
  signingKey: SigningKey;
  cors: CorsPolicy;
  staticFiles: StaticFiles;
  creativesDir: string;
  log: (line: string) => void;
  /** Whether `log` gets a line per answered request; false when nobody reads the log, to spare every request. */
  logRequests: boolean;
}

type ApiHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
type ApiRoute = Partial<Record<'GET' | 'POST', ApiHandler>>;

const STATIC_ALLOW = 'GET, HEAD';
const PARTNER_ALLOW = 'GET, HEAD, POST, OPTIONS';

/** Routes one request: the API under `/v1/`, the creative images, then the static mounts; anything else is 404. */
export function createRequestHandler(deps: RequestHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const api = apiRoutes(deps);
  return (req, res) => {
    if (deps.logRequests) {
      const started = performance.now();
      res.on('finish', () => {
        const ms = Math.round(performance.now() - started);
        deps.log(`${req.method} ${printable(req.url ?? '')} ${res.statusCode} ${ms}ms`);
      });
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    route(req, res, deps, api).catch((error: unknown) => fail(res, error, deps.log));
  };
}

function apiRoutes({
  store,
  engine,
  validators,
  signingKey,
  partner,
  admin,
}: RequestHandlerDeps): Map<string, ApiRoute> {
  const commitEvents = createEventCommitter(store);
  const preview = { tokens: partner.previewTokens, isInProgramme: isInProgramme(store, admin.hashKey) };
  return new Map<string, ApiRoute>([
    [
      '/v1/decisions',
      { POST: (req, res) => handleDecisions(req, res, store, engine, validators, signingKey, preview) },
    ],
    ['/v1/keys', { GET: (_req, res) => handleKeys(res, signingKey) }],
    ['/v1/events', { POST: (req, res) => handleEvents(req, res, commitEvents, validators) }],
    ['/v1/stats', { GET: (req, res) => handleStats(req, res, store) }],
    ['/v1/stats/vitals', { GET: (req, res) => handleVitals(req, res, store) }],
    ['/v1/health', { GET: (_req, res) => sendJson(res, 200, { ok: true }) }],
  ]);
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RequestHandlerDeps,
  api: Map<string, ApiRoute>,
): Promise<void> {
  const url = req.url ?? '';
  if (!url.startsWith('/')) throw new HttpError(400, ERROR_CODES.invalidPath, 'The request target must be a path.');
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : url.slice(queryAt);
  deps.cors.decorate(req, res);

  if (rawPath.startsWith(ADMIN_PREFIX)) {
    if (req.method === 'OPTIONS')
      throw new HttpError(405, ERROR_CODES.methodNotAllowed, 'The admin API takes no cross-origin calls.');
    if (req.method !== 'GET' && req.method !== 'HEAD') deps.cors.assertMayWrite(req);
    const admin: AdminDeps = { ...deps.admin, store: deps.store, creativesDir: deps.creativesDir };
    return handleAdmin(req, res, rawPath, new URLSearchParams(rawQuery), admin);
  }
  if (rawPath.startsWith(PARTNER_PREFIX)) {
    // Cross-origin partner portals send a bearer token, so their preflight must allow the Authorization header.
    if (req.method === 'OPTIONS') return deps.cors.preflight(req, res, PARTNER_ALLOW, 'Content-Type, Authorization');
    if (req.method !== 'GET' && req.method !== 'HEAD') deps.cors.assertMayWrite(req);
    const partner: PartnerDeps = { ...deps.partner, store: deps.store, hashKey: deps.admin.hashKey };
    return handlePartner(req, res, rawPath, new URLSearchParams(rawQuery), partner);
  }
  if (rawPath.startsWith('/v1/')) return routeApi(req, res, deps.cors, api.get(rawPath));
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new HttpError(405, ERROR_CODES.methodNotAllowed, `Use ${STATIC_ALLOW}.`, { Allow: STATIC_ALLOW });
  }
  const served = rawPath.startsWith(CREATIVE_ASSET_PREFIX)
    ? await serveCreativeAsset(req, res, rawPath, rawQuery, deps.creativesDir)
    : await deps.staticFiles.serve(req, res, rawPath, rawQuery);
  if (!served) throw new HttpError(404, ERROR_CODES.notFound, 'Not found.');
}

async function routeApi(
  req: IncomingMessage,
  res: ServerResponse,
  cors: CorsPolicy,
  apiRoute: ApiRoute | undefined,
): Promise<void> {
  if (!apiRoute) throw new HttpError(404, ERROR_CODES.notFound, 'No such API route.');
  const methods = Object.keys(apiRoute);
  const allow = [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  if (req.method === 'OPTIONS') return cors.preflight(req, res, allow);
  const handler = apiRoute[req.method === 'HEAD' ? 'GET' : (req.method as 'GET' | 'POST')];
  if (!handler) throw new HttpError(405, ERROR_CODES.methodNotAllowed, `Use ${allow}.`, { Allow: allow });
  if (req.method === 'POST') cors.assertMayWrite(req);
  await handler(req, res);
}

function fail(res: ServerResponse, error: unknown, log: (line: string) => void): void {
  const httpError =
    error instanceof HttpError ? error : new HttpError(500, ERROR_CODES.internalError, 'Internal server error.');
  if (!(error instanceof HttpError)) log(`internal error: ${error instanceof Error ? error.stack : String(error)}`);
  if (res.headersSent) res.destroy();
  else sendError(res, httpError);
}

/** Request targets are attacker-chosen: keep log lines single-line and bounded. */
function printable(target: string): string {
  const safe = target.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphEdge } from './audience-index.js';
import { WHITELIST_KINDS } from './audience-index.js';
import type { ProfileInput } from './audience-seed.js';
import { audienceValidators, toProfileRow } from './audience-seed.js';
import { describeSchemaError } from './describe-schema-error.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import { catalogueToDocument, parseCatalogue } from './load-seed.js';
import type { PartnerRecord, StoredApplication } from './partner-application.js';
import { toApplicationAnswer } from './partner-application.js';
import { hashPartnerToken, newPartnerToken } from './partner-auth.js';
import { readJsonBody, readTextBody } from './read-json-body.js';
import { sendJson } from './respond.js';
import { SeedError } from './seed-error.js';
import type { Store } from './store.js';

export interface AdminDeps {
  store: Store;
  /** The bearer token every admin request must carry. */
  token: string;
  hashKey: (key: string) => string;
  rankerIds: readonly string[];
  creativesDir: string;
}

/** Catalogue imports, 10,000-line whitelists and 50,000-edge graphs are far above the 64 KiB of page traffic. */
const ADMIN_BODY_BYTES = 16 * 1024 * 1024;
const CSV_MEDIA_TYPES = new Set(['text/csv', 'text/plain']);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const OPERATOR_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** The catalogue's collections, edited one item at a time and checked as a whole after every edit. */
const CATALOGUE_COLLECTIONS = ['advertisers', 'slots', 'campaigns', 'creatives', 'segments'] as const;
type CatalogueCollection = (typeof CATALOGUE_COLLECTIONS)[number];

export const ADMIN_PREFIX = '/v1/admin/';

/**
 * `/v1/admin/…`: the bank operator's API. Every request needs `Authorization: Bearer <token>`; every write is checked
 * in full (schema, references, images, landing domains) before anything is stored, and is stored atomically, so a
 * refused request changes nothing. docs/protocol.md lists the routes.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  deps: AdminDeps,
): Promise<void> {
  authorize(req, deps.token);
  const parts = path.slice(ADMIN_PREFIX.length).split('/').map(decodePart);
  const [collection, id, ...rest] = parts;
  const isTokenRoute = collection === 'partners' && id !== undefined && rest.length === 1 && rest[0] === 'token';
  if ((rest.length > 0 && !isTokenRoute) || collection === undefined || collection === '') throw notFound();
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  if (collection === 'partners') return partnerRoute(req, res, method, id, isTokenRoute, deps);
  if (collection === 'reviews') return reviewRoute(req, res, method, id, deps);

  if (collection === 'catalogue' && id === undefined) return catalogueRoute(req, res, method, deps);
  if ((CATALOGUE_COLLECTIONS as readonly string[]).includes(collection)) {
    return catalogueItemRoute(req, res, method, collection as CatalogueCollection, id, deps);
  }
  if (collection === 'whitelists') return whitelistRoute(req, res, method, id, query, deps);
  if (collection === 'profiles') return profileRoute(req, res, method, id, deps);
  if (collection === 'graph-edges' && id === undefined) return graphRoute(req, res, method, query, deps);
  if (collection === 'decisions' && id !== undefined) {
    allow(method, ['GET']);
    const record = deps.store.decisionRecord(id);
    if (!record) throw notFound(`No decision ${id}.`);
    return sendJson(res, 200, record);
  }
  throw notFound();
}

function authorize(req: IncomingMessage, token: string): void {
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  // Compared as digests so that neither the length nor the content leaks through timing.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  if (given === '' || !timingSafeEqual(digest(given), digest(token))) {
    throw new HttpError(401, ERROR_CODES.unauthorized, 'Send Authorization: Bearer <admin token>.', {
      'WWW-Authenticate': 'Bearer realm="opslot admin"',
    });
  }
}

async function catalogueRoute(req: IncomingMessage, res: ServerResponse, method: string, deps: AdminDeps) {
  allow(method, ['GET', 'PUT']);
  if (method === 'GET') return sendJson(res, 200, catalogueToDocument(deps.store.catalogue()));
  const body = await readJsonBody(req, ADMIN_BODY_BYTES);
  store(deps, body, 400);
  sendJson(res, 200, summary(deps.store));
}

async function catalogueItemRoute(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  collection: CatalogueCollection,
  id: string | undefined,
  deps: AdminDeps,
) {
  const document = catalogueToDocument(deps.store.catalogue());
  const items = (document[collection] ?? []) as { id: string }[];
  if (id === undefined) {
    allow(method, ['GET']);
    return sendJson(res, 200, { [collection]: items });
  }
  allow(method, ['GET', 'PUT', 'DELETE']);
  const index = items.findIndex((item) => item.id === id);
  if (method === 'GET') {
    if (index === -1) throw notFound(`No ${collection} item ${id}.`);
    return sendJson(res, 200, items[index]);
  }
  if (method === 'DELETE') {
    if (index === -1) throw notFound(`No ${collection} item ${id}.`);
    items.splice(index, 1);
    // What still refers to the item is a conflict with the stored data, not a malformed request.
    store(deps, { ...document, [collection]: items }, 409);
    return sendJson(res, 200, { deleted: id });
  }
  const body = await readJsonBody(req, ADMIN_BODY_BYTES);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`The body must be one ${collection} item, a JSON object.`);
  }
  const item = body as { id?: unknown };
  if (item.id !== undefined && item.id !== id) throw invalid(`The body's id ${String(item.id)} is not ${id}.`);
  const next = { ...item, id };
  if (index === -1) items.push(next);
  else items[index] = next;
  store(deps, { ...document, [collection]: items }, 400);
  const stored = (catalogueToDocument(deps.store.catalogue())[collection] ?? []) as { id: string }[];
  sendJson(
    res,
    index === -1 ? 201 : 200,
    stored.find((i) => i.id === id),
  );
}

/** Checks the whole document and stores it, or throws `status` listing what is wrong. */
function store(deps: AdminDeps, document: unknown, status: 400 | 409): void {
  let catalogue: ReturnType<typeof parseCatalogue>;
  try {
    catalogue = parseCatalogue(document, deps.creativesDir, deps.rankerIds, 'the catalogue');
  } catch (error) {
    if (!(error instanceof SeedError)) throw error;
    const code = status === 409 ? ERROR_CODES.conflict : ERROR_CODES.invalidRequest;
    throw new HttpError(status, code, `The catalogue would not be valid: ${error.problems.slice(0, 10).join('; ')}`);
  }
  deps.store.replaceCatalogue(catalogue);
}

function summary(store: Store) {
  const catalogue = store.catalogue();
  return Object.fromEntries(CATALOGUE_COLLECTIONS.map((c) => [c, (catalogue[c] as unknown[]).length]));
}

async function whitelistRoute(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  id: string | undefined,
  query: URLSearchParams,
  deps: AdminDeps,
) {
  if (id === undefined) {
    allow(method, ['GET']);
    return sendJson(res, 200, { whitelists: deps.store.whitelistSummaries() });
  }
  if (!ID_PATTERN.test(id))
    throw invalid('A whitelist id is 1–64 of A-Z a-z 0-9 . _ : - and starts with a letter or digit.');
  allow(method, ['GET', 'PUT', 'DELETE']);
  if (method === 'GET') {
    const found = deps.store.whitelistSummaries().find((w) => w.id === id);
    if (!found) throw notFound(`No whitelist ${id}.`);
    return sendJson(res, 200, found);
  }
  if (method === 'DELETE') {
    if (!deps.store.deleteWhitelist(id)) throw notFound(`No whitelist ${id}.`);
    return sendJson(res, 200, { deleted: id });
  }
  const kind = query.get('kind');
  if (!(WHITELIST_KINDS as readonly (string | null)[]).includes(kind)) {
    throw invalid(`?kind= must be ${WHITELIST_KINDS.join(' or ')}.`);
  }
  const name = query.get('name') ?? id;
  if (name.length === 0 || name.length > 100) throw invalid('?name= must be 1–100 characters.');
  const entries = parseKeyCsv(await readTextBody(req, CSV_MEDIA_TYPES, ADMIN_BODY_BYTES), kind as 'operator');
  const existed = deps.store.whitelistSummaries().some((w) => w.id === id);
  deps.store.replaceWhitelist({ id, kind: kind as 'operator' | 'enterprise', name, hashes: entries.map(deps.hashKey) });
  const stored = deps.store.whitelistSummaries().find((w) => w.id === id);
  sendJson(res, existed ? 200 : 201, stored);
}

/**
 * One key per line, optionally quoted, with an optional header line `key`, `operator` or `enterprise`; blank lines
 * are skipped, duplicates kept once. Operator keys follow the decision request's pattern, enterprise ids the id one.
 */
export function parseKeyCsv(text: string, kind: 'operator' | 'enterprise'): string[] {
  const pattern = kind === 'operator' ? OPERATOR_KEY_PATTERN : ID_PATTERN;
  const keys = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const cell = line.trim().replace(/^"(.*)"$/, '$1');
    if (cell === '') continue;
    if (index === 0 && ['key', 'operator', 'enterprise'].includes(cell.toLowerCase())) continue;
    if (cell.includes(',')) throw invalid(`Line ${index + 1}: one column only, a key per line.`);
    if (!pattern.test(cell)) throw invalid(`Line ${index + 1}: not a valid ${kind} key.`);
    keys.add(cell);
  }
  if (keys.size === 0) throw invalid('The CSV holds no keys.');
  return [...keys];
}

async function profileRoute(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  operator: string | undefined,
  deps: AdminDeps,
) {
  const { profile: validate } = audienceValidators();
  if (operator === undefined) {
    allow(method, ['GET', 'POST']);
    if (method === 'GET') return sendJson(res, 200, { profiles: deps.store.operatorProfileCount() });
    const body = (await readJsonBody(req, ADMIN_BODY_BYTES)) as { profiles?: unknown };
    if (typeof body !== 'object' || body === null || !Array.isArray(body.profiles) || Object.keys(body).length !== 1) {
      throw invalid('The body must be {"profiles": [...]}.');
    }
    for (const [index, profile] of body.profiles.entries()) {
      if (!validate(profile)) throw invalid(`/profiles/${index}: ${describeSchemaError(validate.errors?.[0])}`);
    }
    const profiles = body.profiles as ProfileInput[];
    deps.store.putOperatorProfiles(profiles.map((p) => toProfileRow(p, deps.hashKey)));
    return sendJson(res, 200, { stored: profiles.length });
  }
  if (!OPERATOR_KEY_PATTERN.test(operator)) throw invalid('An operator key is 8–128 of A-Z a-z 0-9 . _ : -.');
  allow(method, ['GET', 'PUT', 'DELETE']);
  const operatorHash = deps.hashKey(operator);
  if (method === 'GET') {
    const row = deps.store.operatorProfile(operatorHash);
    if (!row) throw notFound('No profile for that operator.');
    return sendJson(res, 200, { enterpriseId: row.enterpriseId, segments: row.segments, tags: row.tags });
  }
  if (method === 'DELETE') {
    if (!deps.store.deleteOperatorProfile(operatorHash)) throw notFound('No profile for that operator.');
    return sendJson(res, 200, { deleted: true });
  }
  const body = await readJsonBody(req, ADMIN_BODY_BYTES);
  const profile = { ...(typeof body === 'object' && body !== null ? body : {}), operator };
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !validate(profile)) {
    throw invalid(`Invalid profile: ${describeSchemaError(validate.errors?.[0])}`);
  }
  const existed = deps.store.operatorProfile(operatorHash) !== undefined;
  deps.store.putOperatorProfiles([toProfileRow(profile, deps.hashKey)]);
  sendJson(res, existed ? 200 : 201, { stored: true });
}

async function graphRoute(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  query: URLSearchParams,
  deps: AdminDeps,
) {
  allow(method, ['GET', 'POST', 'PUT', 'DELETE']);
  if (method === 'GET') return sendJson(res, 200, { edges: deps.store.graphEdges() });
  if (method === 'DELETE') {
    const edge = { from: query.get('from') ?? '', to: query.get('to') ?? '' };
    if (!ID_PATTERN.test(edge.from) || !ID_PATTERN.test(edge.to)) throw invalid('Name the edge: ?from=…&to=….');
    if (!deps.store.deleteGraphEdge(edge)) throw notFound(`No edge ${edge.from} → ${edge.to}.`);
    return sendJson(res, 200, { deleted: edge });
  }
  const body = (await readJsonBody(req, ADMIN_BODY_BYTES)) as { edges?: unknown };
  if (typeof body !== 'object' || body === null || !Array.isArray(body.edges) || Object.keys(body).length !== 1) {
    throw invalid('The body must be {"edges": [{"from": …, "to": …}, …]}.');
  }
  const { edge: validate } = audienceValidators();
  for (const [index, edge] of body.edges.entries()) {
    if (!validate(edge)) throw invalid(`/edges/${index}: ${describeSchemaError(validate.errors?.[0])}`);
    if ((edge as GraphEdge).from === (edge as GraphEdge).to)
      throw invalid(`/edges/${index}: an enterprise cannot supply itself.`);
  }
  const edges = body.edges as GraphEdge[];
  if (method === 'PUT') {
    deps.store.replaceGraphEdges(edges);
    return sendJson(res, 200, { edges: edges.length });
  }
  sendJson(res, 200, { added: deps.store.addGraphEdges(edges) });
}

/** A partner as the admin API shows it: never its token hash. */
function partnerAnswer(partner: PartnerRecord, store: Store) {
  const advertiser = store.catalogue().advertisers.find((a) => a.id === partner.advertiserId);
  return {
    id: partner.id,
    name: partner.name,
    enterpriseId: partner.enterpriseId,
    advertiserId: partner.advertiserId,
    allowedDomains: advertiser?.allowedDomains ?? [],
    hasToken: partner.tokenHash !== null,
    createdAt: partner.createdAt,
  };
}

/**
 * `GET /v1/admin/partners`, `POST /v1/admin/partners` (201 with the partner and its token, shown this once) and
 * `POST /v1/admin/partners/{id}/token` (a new token; the old one stops working at once).
 */
async function partnerRoute(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  id: string | undefined,
  isTokenRoute: boolean,
  deps: AdminDeps,
) {
  if (isTokenRoute) {
    allow(method, ['POST']);
    const partner = deps.store.partner(id as string);
    if (!partner) throw notFound(`No partner ${id}.`);
    const token = newPartnerToken();
    deps.store.setPartnerTokenHash(partner.id, hashPartnerToken(token));
    return sendJson(res, 200, { v: 1, partner: partnerAnswer(partner, deps.store), token });
  }
  if (id !== undefined) throw notFound();
  allow(method, ['GET', 'POST']);
  if (method === 'GET') {
    return sendJson(res, 200, { v: 1, partners: deps.store.partners().map((p) => partnerAnswer(p, deps.store)) });
  }
  const body = await readJsonBody(req, ADMIN_BODY_BYTES);
  const input = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  const { id: partnerId, name, enterpriseId, advertiserId } = input;
  if (typeof partnerId !== 'string' || !ID_PATTERN.test(partnerId)) throw invalid('id: 1–64 of A-Z a-z 0-9 . _ : -.');
  if (typeof name !== 'string' || name.trim() === '' || name.length > 100) throw invalid('name: 1–100 characters.');
  if (typeof enterpriseId !== 'string' || !ID_PATTERN.test(enterpriseId)) {
    throw invalid('enterpriseId: 1–64 of A-Z a-z 0-9 . _ : -.');
  }
  if (typeof advertiserId !== 'string' || !deps.store.catalogue().advertisers.some((a) => a.id === advertiserId)) {
    throw invalid('advertiserId: not an advertiser of the catalogue.');
  }
  // A partner reads every campaign of its advertiser and lands on its domains: one partner per advertiser and per
  // enterprise, or two would read each other's figures.
  const sharing = deps.store
    .partners()
    .find((p) => p.id !== partnerId && (p.advertiserId === advertiserId || p.enterpriseId === enterpriseId));
  if (sharing) {
    throw new HttpError(
      409,
      ERROR_CODES.conflict,
      `Partner ${sharing.id} already stands for that advertiser or enterprise.`,
    );
  }
  const token = newPartnerToken();
  const partner: PartnerRecord = {
    id: partnerId,
    name: name.trim(),
    enterpriseId,
    advertiserId,
    tokenHash: hashPartnerToken(token),
    seeded: false,
    createdAt: Date.now(),
  };
  if (!deps.store.insertPartner(partner)) {
    throw new HttpError(409, ERROR_CODES.conflict, `Partner ${partnerId} exists; rotate its token instead.`);
  }
  sendJson(res, 201, { v: 1, partner: partnerAnswer(partner, deps.store), token });
}

/**
 * `GET /v1/admin/reviews`: submitted applications, oldest submission first. `POST /v1/admin/reviews/{id}`
 * `{decision: "approve"|"reject", reason, priority}`: approval serves the application's campaign from its start day
 * to its audience, ranked at `priority` (1–100) when the reviewer gives one; rejection sends it back to the partner
 * with the reason.
 */
async function reviewRoute(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  id: string | undefined,
  deps: AdminDeps,
) {
  if (id === undefined) {
    allow(method, ['GET']);
    const applications = deps.store.applications({ status: 'submitted' });
    return sendJson(res, 200, { v: 1, applications: applications.map(toApplicationAnswer) });
  }
  allow(method, ['POST']);
  const body = await readJsonBody(req, ADMIN_BODY_BYTES);
  const { decision, reason, priority } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (decision !== 'approve' && decision !== 'reject') throw invalid('decision: "approve" or "reject".');
  const trimmed = typeof reason === 'string' ? reason.trim() : '';
  if (decision === 'reject' && ([...trimmed].length < 2 || [...trimmed].length > 200)) {
    throw invalid('reason: 2–200 characters, required to reject.');
  }
  if (reason !== undefined && typeof reason !== 'string') throw invalid('reason: a string.');
  if (
    priority !== undefined &&
    !(Number.isInteger(priority) && (priority as number) >= 1 && (priority as number) <= 100)
  ) {
    throw invalid('priority: an integer from 1 to 100.');
  }
  if (priority !== undefined && decision === 'reject') throw invalid('priority: only an approval ranks the campaign.');
  const application = deps.store.application(id);
  if (!application) throw notFound(`No application ${id}.`);
  if (application.status !== 'submitted') {
    throw new HttpError(409, ERROR_CODES.conflict, `Application ${id} is ${application.status}, not submitted.`);
  }
  deps.store.setApplicationStatus(
    id,
    decision === 'approve' ? 'approved' : 'rejected',
    decision === 'reject' ? trimmed : null,
    Date.now(),
    (priority as number | undefined) ?? null,
  );
  sendJson(res, 200, { v: 1, application: toApplicationAnswer(deps.store.application(id) as StoredApplication) });
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    const list = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    throw new HttpError(405, ERROR_CODES.methodNotAllowed, `Use ${list}.`, { Allow: list });
  }
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new HttpError(400, ERROR_CODES.invalidPath, 'The path is not valid percent-encoding.');
  }
}

function invalid(message: string): HttpError {
  return new HttpError(400, ERROR_CODES.invalidRequest, message);
}

function notFound(message = 'No such admin route.'): HttpError {
  return new HttpError(404, ERROR_CODES.notFound, message);
}

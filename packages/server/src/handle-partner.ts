import { createHash, randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdirSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  DAY_PATTERN,
  type PartnerMe,
  type PartnerPreviewToken,
  type PartnerReport,
  type PartnerUpload,
  REPORT_LIMITS,
  UPLOAD_LIMITS,
} from '@opslot/core';
import type { CatalogueSlot } from './catalogue.js';
import { clickThroughRate } from './click-through-rate.js';
import { ERROR_CODES, HttpError } from './http-error.js';
import type { ImageType } from './image-header.js';
import { IMAGE_TYPES, readImageHeader } from './image-header.js';
import type { PartnerRecord, StoredApplication, UploadRecord } from './partner-application.js';
import { shanghaiDate, shanghaiDateToEpoch, toApplicationAnswer, toCreativeAnswer } from './partner-application.js';
import { authenticatePartner } from './partner-auth.js';
import type { PreviewTokens } from './preview-token.js';
import { readBytes, readJsonBody } from './read-json-body.js';
import { sendJson } from './respond.js';
import { sendFile } from './send-file.js';
import type { PartnerReportRow, Store } from './store.js';
import { UPLOAD_ID, validateApplication, validateCreative } from './validate-partner-input.js';
import { writeFileAtomically } from './write-file-atomically.js';

export const PARTNER_PREFIX = '/v1/partner/';

/** The enterprise whitelist of the programme: a partner whose enterprise is not on it sees no entry. */
export const PROGRAMME_WHITELIST = 'wl-partner-programme';

/** Whether a partner's enterprise is on the programme's whitelist now (the bank may take it off at any time). */
export function isInProgramme(store: Store, hashKey: (key: string) => string): (partnerId: string) => boolean {
  return (partnerId) => {
    const partner = store.partner(partnerId);
    return partner !== undefined && store.isOnWhitelist(PROGRAMME_WHITELIST, hashKey(partner.enterpriseId));
  };
}

const DAY_MS = 86_400_000;

export interface PartnerDeps {
  store: Store;
  /** Salted hash of an enterprise id, as whitelists store it. */
  hashKey: (key: string) => string;
  previewTokens: PreviewTokens;
  /** `<data>/uploads/`, made on the first upload. */
  uploadsDir: string;
  /** Whether the seeded demo partners' public development tokens are accepted. */
  devTokens: boolean;
  now: () => number;
}

/** What a partner may see of itself. */
interface PartnerContext {
  partner: PartnerRecord;
  allowedDomains: string[];
  slots: CatalogueSlot[];
}

/**
 * `/v1/partner/…`: the partner self-service API of the traffic-opening programme. Every route but the uploaded
 * pictures needs the partner's bearer token; every route but `me` needs the partner's enterprise on the programme's
 * whitelist; a resource of another partner is refused 403, changing nothing. Each write is checked in full before
 * anything is stored. docs/protocol.md ("Partner API") lists the routes.
 */
export async function handlePartner(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  deps: PartnerDeps,
): Promise<void> {
  const parts = path.slice(PARTNER_PREFIX.length).split('/');
  const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET');
  const [collection, id, action, ...rest] = parts;
  if (rest.length > 0 || collection === undefined) throw notFound();

  // The pictures are public: their ids are content hashes, and approved creatives show them to everyone anyway.
  if (collection === 'uploads' && id !== undefined && action === undefined) {
    allow(method, ['GET']);
    return serveUpload(req, res, id, deps);
  }

  const partner = authenticatePartner(req, deps.store, deps.devTokens);
  const context = partnerContext(partner, deps.store);
  const eligible = isInProgramme(deps.store, deps.hashKey)(partner.id);
  if (collection === 'me' && id === undefined) {
    allow(method, ['GET']);
    const me: PartnerMe = {
      partner: { id: partner.id, name: partner.name, allowedDomains: context.allowedDomains },
      eligible,
      slots: context.slots.map(({ id: slotId, channel, width, height, formats }) => ({
        id: slotId,
        channel,
        width,
        height,
        formats,
      })),
    };
    return sendJson(res, 200, { v: 1, ...me });
  }
  const route = routeOf(collection, id, action);
  if (!route) throw notFound();
  allow(method, route.methods);
  if (!eligible) {
    throw new HttpError(403, ERROR_CODES.notEligible, '贵司暂未加入流量开放计划，请联系客户经理。');
  }
  return route.handle({ req, res, method, id: id ?? '', query, deps, context });
}

interface RouteCall {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  id: string;
  query: URLSearchParams;
  deps: PartnerDeps;
  context: PartnerContext;
}

interface Route {
  methods: string[];
  handle(call: RouteCall): Promise<void> | void;
}

function routeOf(collection: string, id: string | undefined, action: string | undefined): Route | undefined {
  if (collection === 'applications' && id === undefined) return { methods: ['GET', 'POST'], handle: applications };
  if (collection === 'applications' && id !== undefined && action === undefined) {
    return {
      methods: ['GET'],
      handle: ({ res, id: appId, deps, context }) => sendApplication(res, own(appId, deps, context)),
    };
  }
  if (collection === 'applications' && action === 'creatives') return { methods: ['POST'], handle: addCreative };
  if (collection === 'applications' && action === 'submit') return { methods: ['POST'], handle: submit };
  if (collection === 'uploads' && id === undefined) return { methods: ['POST'], handle: upload };
  if (collection === 'creatives' && action === 'preview-token') return { methods: ['POST'], handle: previewToken };
  if ((collection === 'report' || collection === 'report.csv') && id === undefined) {
    return { methods: ['GET'], handle: (call) => report(call, collection === 'report.csv') };
  }
  return undefined;
}

function partnerContext(partner: PartnerRecord, store: Store): PartnerContext {
  const catalogue = store.catalogue();
  const advertiser = catalogue.advertisers.find((a) => a.id === partner.advertiserId);
  return {
    partner,
    allowedDomains: advertiser?.allowedDomains ?? [],
    slots: catalogue.slots.filter((s) => s.enabled && (s.formats.includes('banner') || s.formats.includes('native'))),
  };
}

/** The application `id` if it is this partner's: 404 when there is none, 403 when it is another partner's. */
/**
 * What one partner may have at once: each application is served from the decision service's snapshot, so these
 * bound what a partner's writes can make every decision carry.
 */
const MAX_OPEN_APPLICATIONS = 20;
const MAX_CREATIVES_PER_APPLICATION = 12;

function own(id: string, deps: PartnerDeps, context: PartnerContext): StoredApplication {
  const application = deps.store.application(id);
  if (!application) throw notFound('没有这个申请。');
  if (application.partnerId !== context.partner.id) throw forbidden();
  return application;
}

function sendApplication(res: ServerResponse, application: StoredApplication, status = 200): void {
  sendJson(res, status, { v: 1, application: toApplicationAnswer(application) });
}

async function applications({ req, res, method, deps, context }: RouteCall): Promise<void> {
  if (method === 'GET') {
    const list = deps.store.applications({ partnerId: context.partner.id });
    return sendJson(res, 200, { v: 1, applications: list.map(toApplicationAnswer) });
  }
  const body = await readJsonBody(req);
  const open = deps.store
    .applications({ partnerId: context.partner.id })
    .filter((application) => application.status === 'draft' || application.status === 'submitted');
  if (open.length >= MAX_OPEN_APPLICATIONS) {
    throw new HttpError(
      409,
      ERROR_CODES.conflict,
      `进行中的申请最多 ${MAX_OPEN_APPLICATIONS} 个，请先提交或完成已有申请。`,
    );
  }
  const now = deps.now();
  const input = validateApplication(body, {
    slots: context.slots,
    allowedDomains: context.allowedDomains,
    now,
  });
  const application: StoredApplication = {
    ...input,
    id: `app-${randomBytes(8).toString('hex')}`,
    partnerId: context.partner.id,
    advertiserId: context.partner.advertiserId,
    enterpriseId: context.partner.enterpriseId,
    status: 'draft',
    reviewReason: null,
    priority: null,
    createdAt: now,
    updatedAt: now,
    submittedAt: null,
    creatives: [],
  };
  deps.store.insertApplication(application);
  sendApplication(res, application, 201);
}

async function addCreative({ req, res, id, deps, context }: RouteCall): Promise<void> {
  // The body first: checked before it had arrived, the application could be submitted and approved meanwhile, and a
  // creative nobody reviewed would join it. From here on nothing awaits until the insert.
  const body = await readJsonBody(req);
  const application = own(id, deps, context);
  assertEditable(application);
  if (application.creatives.length >= MAX_CREATIVES_PER_APPLICATION) {
    throw new HttpError(409, ERROR_CODES.conflict, `一个申请最多 ${MAX_CREATIVES_PER_APPLICATION} 个广告创意。`);
  }
  const slots = application.slotIds.flatMap((slotId) => context.slots.filter((s) => s.id === slotId));
  const input = validateCreative(body, {
    slots,
    ownUpload: (uploadId) =>
      deps.store.partnerHasUpload(context.partner.id, uploadId) ? deps.store.upload(uploadId) : undefined,
  });
  const now = deps.now();
  const creative = { ...input, id: `cr-${randomBytes(8).toString('hex')}`, createdAt: now };
  deps.store.insertApplicationCreative(application.id, creative, now);
  sendJson(res, 201, { v: 1, creative: toCreativeAnswer(creative) });
}

function submit({ res, id, deps, context }: RouteCall): void {
  const application = own(id, deps, context);
  assertEditable(application);
  if (application.creatives.length === 0) {
    throw new HttpError(409, ERROR_CODES.conflict, '请至少制作一个广告创意后再提交审核。');
  }
  deps.store.setApplicationStatus(application.id, 'submitted', null, deps.now());
  sendApplication(res, deps.store.application(application.id) as StoredApplication);
}

function assertEditable(application: StoredApplication): void {
  if (application.status !== 'draft' && application.status !== 'rejected') {
    throw new HttpError(409, ERROR_CODES.notEditable, '申请已提交或已通过审核，不能再修改。');
  }
}

function previewToken({ res, id, deps, context }: RouteCall): void {
  const application = deps.store.applicationOfCreative(id);
  const creative = application?.creatives.find((c) => c.id === id);
  if (!application || !creative) throw notFound('没有这个广告创意。');
  if (application.partnerId !== context.partner.id) throw forbidden();
  const slot = context.slots.find((s) => s.id === creative.slotId);
  if (!slot) throw new HttpError(409, ERROR_CODES.conflict, '该广告位已停用，暂时无法预览。');
  const { token, expiresAt } = deps.previewTokens.issue({
    partnerId: context.partner.id,
    creativeId: creative.id,
    slotId: creative.slotId,
  });
  const answer: PartnerPreviewToken = { token, expiresAt, slotId: slot.id, channel: slot.channel };
  sendJson(res, 201, { v: 1, ...answer });
}

async function upload({ req, res, deps, context }: RouteCall): Promise<void> {
  const declared = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!(declared in IMAGE_TYPES)) {
    req.resume();
    throw new HttpError(415, ERROR_CODES.unsupportedMediaType, '只能上传 PNG、JPEG 或 WebP 图片。', {
      Connection: 'close',
    });
  }
  const bytes = await readBytes(
    req,
    UPLOAD_LIMITS.maxBytes,
    () =>
      new HttpError(413, ERROR_CODES.uploadTooLarge, '图片不能超过 1 MB。', {
        Connection: 'close',
      }),
  );
  const header = readImageHeader(bytes);
  if (!header) {
    throw new HttpError(415, ERROR_CODES.unsupportedMediaType, '文件内容不是 PNG、JPEG 或 WebP 图片。');
  }
  if (header.type !== declared) {
    throw new HttpError(
      415,
      ERROR_CODES.unsupportedMediaType,
      `文件内容是 ${header.type}，与声明的 ${declared} 不符。`,
    );
  }
  const { maxSide } = UPLOAD_LIMITS;
  if (header.width > maxSide || header.height > maxSide) {
    throw new HttpError(400, ERROR_CODES.badImage, `图片尺寸不能超过 ${maxSide}×${maxSide}。`);
  }
  const id = `up-${createHash('sha256').update(bytes).digest('hex')}`;
  storeUploadFile(deps.uploadsDir, `${id}.${IMAGE_TYPES[header.type]}`, bytes);
  const record: UploadRecord = { id, ...header, bytes: bytes.length, createdAt: deps.now() };
  deps.store.insertUpload(record, context.partner.id);
  const stored = deps.store.upload(id) as UploadRecord;
  const answer: PartnerUpload = {
    id,
    type: stored.type,
    width: stored.width,
    height: stored.height,
    bytes: stored.bytes,
    url: `${PARTNER_PREFIX}uploads/${id}`,
  };
  sendJson(res, 201, { v: 1, upload: answer });
}

/**
 * Writes atomically, so that a crash never leaves half a picture under its content-hash name. A file
 * already under the name is the same picture (the name is its whole SHA-256) and is never replaced: what was reviewed
 * stays what is served.
 */
function storeUploadFile(dir: string, name: string, bytes: Buffer): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  try {
    if (statSync(path).isFile()) return;
  } catch {
    // Not there yet.
  }
  writeFileAtomically(path, bytes, 0o644);
}

/** Only files named by a known upload id are ever served: the id pattern keeps any path out of `join`. */
async function serveUpload(req: IncomingMessage, res: ServerResponse, id: string, deps: PartnerDeps): Promise<void> {
  const record = UPLOAD_ID.test(id) ? deps.store.upload(id) : undefined;
  if (!record) throw notFound('没有这张图片。');
  const path = join(deps.uploadsDir, `${id}.${IMAGE_TYPES[record.type as ImageType]}`);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch {
    throw notFound('没有这张图片。');
  }
  await sendFile(req, res, path, stats, {
    'Content-Type': record.type,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'",
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': 'public, max-age=31536000, immutable',
  });
}

/** The report's range: `from`/`to` as given, or the last 30 days up to today (Asia/Shanghai). */
function reportRange(query: URLSearchParams, now: number): { from: string; to: string } {
  const isDate = (value: string) =>
    DAY_PATTERN.test(value) &&
    !Number.isNaN(Date.parse(value)) &&
    new Date(Date.parse(value)).toISOString().startsWith(value);
  const to = query.get('to') ?? shanghaiDate(now);
  if (!isDate(to)) throw new HttpError(400, ERROR_CODES.invalidRequest, '?to= 应为有效日期 YYYY-MM-DD。');
  const from = query.get('from') ?? shanghaiDate(shanghaiDateToEpoch(to) - (REPORT_LIMITS.defaultDays - 1) * DAY_MS);
  if (!isDate(from)) throw new HttpError(400, ERROR_CODES.invalidRequest, '?from= 应为有效日期 YYYY-MM-DD。');
  if (from > to) throw new HttpError(400, ERROR_CODES.invalidRequest, '?from= 不能晚于 ?to=。');
  if ((shanghaiDateToEpoch(to) - shanghaiDateToEpoch(from)) / DAY_MS + 1 > REPORT_LIMITS.maxDays) {
    throw new HttpError(400, ERROR_CODES.invalidRequest, `报表范围最长 ${REPORT_LIMITS.maxDays} 天。`);
  }
  return { from, to };
}

/** The partner's own campaigns: its applications and the catalogue campaigns of its advertiser. */
function ownCampaignIds(deps: PartnerDeps, context: PartnerContext, campaignId: string | null): string[] {
  const { partner } = context;
  const catalogueCampaigns = deps.store.catalogue().campaigns;
  if (campaignId !== null) {
    const application = deps.store.application(campaignId);
    const campaign = catalogueCampaigns.find((c) => c.id === campaignId);
    if (!application && !campaign) throw notFound('没有这个活动。');
    const mine = application ? application.partnerId === partner.id : campaign?.advertiserId === partner.advertiserId;
    if (!mine) throw forbidden();
    return [campaignId];
  }
  return [
    ...catalogueCampaigns.filter((c) => c.advertiserId === partner.advertiserId).map((c) => c.id),
    ...deps.store.applications({ partnerId: partner.id }).map((a) => a.id),
  ];
}

function report({ res, query, deps, context }: RouteCall, csv: boolean): void {
  const { from, to } = reportRange(query, deps.now());
  const campaignIds = ownCampaignIds(deps, context, query.get('campaignId'));
  const rows = deps.store.partnerReport(campaignIds, shanghaiDateToEpoch(from), shanghaiDateToEpoch(to) + DAY_MS);
  if (csv) {
    sendCsv(res, rows, from, to);
    return;
  }
  const counts = (exposures: number, clicks: number) => ({
    exposures,
    clicks,
    ctr: clickThroughRate(clicks, exposures),
  });
  const sum = (list: readonly PartnerReportRow[]) =>
    counts(
      list.reduce((n, r) => n + r.exposures, 0),
      list.reduce((n, r) => n + r.clicks, 0),
    );
  const byDay = [];
  for (let day = shanghaiDateToEpoch(from); day <= shanghaiDateToEpoch(to); day += DAY_MS) {
    const date = shanghaiDate(day);
    byDay.push({ day: date, ...sum(rows.filter((r) => r.day === date)) });
  }
  const slotKeys = [...new Set(rows.map((r) => `${r.slotId}\u0000${r.channel}`))].sort();
  const bySlot = slotKeys.map((key) => {
    const [slotId, channel] = key.split('\u0000') as [string, string];
    return { slotId, channel, ...sum(rows.filter((r) => r.slotId === slotId && r.channel === channel)) };
  });
  const answer: PartnerReport = { from, to, totals: sum(rows), byDay, bySlot };
  sendJson(res, 200, { v: 1, ...answer });
}

/** With a byte-order mark, so that Excel reads the zh-CN rows as UTF-8. */
function sendCsv(res: ServerResponse, rows: readonly PartnerReportRow[], from: string, to: string): void {
  const lines = ['day,slot,channel,exposures,clicks,ctr'];
  // Slot ids and channels come from events, whose schema gives them the id pattern (a letter or digit first, no
  // commas or quotes): no cell needs quoting. A text cell that a spreadsheet could take for a formula is defused all
  // the same, should that pattern ever widen.
  const text = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);
  for (const r of rows) {
    const cells = [
      r.day,
      text(r.slotId),
      text(r.channel),
      r.exposures,
      r.clicks,
      clickThroughRate(r.clicks, r.exposures),
    ];
    lines.push(cells.join(','));
  }
  const body = Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Length': body.byteLength,
    'Content-Disposition': `attachment; filename="opslot-report-${from}-${to}.csv"`,
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function allow(method: string, methods: string[]): void {
  if (!methods.includes(method)) {
    const list = [...methods, ...(methods.includes('GET') ? ['HEAD'] : [])].join(', ');
    throw new HttpError(405, ERROR_CODES.methodNotAllowed, `Use ${list}.`, { Allow: list });
  }
}

function forbidden(): HttpError {
  return new HttpError(403, ERROR_CODES.forbidden, '无权访问其他合作方的数据。');
}

function notFound(message = '没有这个合作方接口。'): HttpError {
  return new HttpError(404, ERROR_CODES.notFound, message);
}

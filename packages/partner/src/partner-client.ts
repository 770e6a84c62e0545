// The browser's side of the partner API (`/v1/partner/…`): one typed method per endpoint, the partner's bearer token
// on every request, error JSON turned into a PartnerApiError the components can show field by field.
import type {
  ApplicationInput,
  CreativeInput,
  PartnerApplication,
  PartnerCreative,
  PartnerMe,
  PartnerPreviewToken,
  PartnerReport,
  PartnerReportQuery,
  PartnerUpload,
  UploadType,
} from '@opslot/core';
import type { FormFieldError } from './form-field-error.js';

/** Codes the client itself gives, besides the server's (`unauthorized`, `not-eligible`, `invalid-application`…). */
export const CLIENT_ERRORS = {
  /** No answer at all: offline, DNS, CORS, a dropped connection. */
  network: 'network-error',
  /** An answer that is not the contract's JSON (a proxy's HTML page, a truncated body). */
  unexpectedResponse: 'unexpected-response',
} as const;

/** A failed request: the server's error code and, for a form, its invalid fields. */
export class PartnerApiError extends Error {
  override readonly name = 'PartnerApiError';

  constructor(
    /** The HTTP status; 0 when no answer came. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: readonly FormFieldError[] = [],
  ) {
    super(message);
  }
}

export interface UploadOptions {
  /** Called as the body goes out: bytes sent so far and in all. */
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

export interface PartnerClient {
  /** The API's base URL, absolute. */
  readonly endpoint: string;
  me(signal?: AbortSignal): Promise<PartnerMe>;
  createApplication(input: ApplicationInput, signal?: AbortSignal): Promise<PartnerApplication>;
  applications(signal?: AbortSignal): Promise<PartnerApplication[]>;
  application(id: string, signal?: AbortSignal): Promise<PartnerApplication>;
  /** Uploads an image of `type` (which the caller has checked by its bytes) through XMLHttpRequest, for progress. */
  upload(image: Blob, type: UploadType, options?: UploadOptions): Promise<PartnerUpload>;
  /** A picture uploaded earlier (`GET /uploads/{id}`), such as a saved creative's logo. */
  uploadedImage(uploadId: string, signal?: AbortSignal): Promise<Blob>;
  createCreative(applicationId: string, input: CreativeInput, signal?: AbortSignal): Promise<PartnerCreative>;
  previewToken(creativeId: string, signal?: AbortSignal): Promise<PartnerPreviewToken>;
  submit(applicationId: string, signal?: AbortSignal): Promise<PartnerApplication>;
  report(query?: PartnerReportQuery, signal?: AbortSignal): Promise<PartnerReport>;
  /** The same report as CSV (UTF-8 with a BOM, for Excel), as a Blob to offer for download. */
  reportCsv(query?: PartnerReportQuery, signal?: AbortSignal): Promise<Blob>;
  /** An absolute URL for a path the API answered with, such as an upload's `url`. */
  resolve(path: string): string;
}

export interface PartnerClientOptions {
  /** Base URL of the partner API, absolute or relative to the page; default `/v1/partner`. */
  endpoint?: string;
  /** The partner's bearer token (in the pilot, issued by the bank's admin API; in production, from the bank's SSO). */
  token: string;
  fetch?: typeof fetch;
  /** Creates the XMLHttpRequest of an upload; default the page's. */
  createXhr?: () => XMLHttpRequest;
}

/**
 * A client of the partner API. Every method rejects with a {@link PartnerApiError} (or the signal's AbortError);
 * none throws synchronously.
 *
 * @example
 * const client = createPartnerClient({ endpoint: '/v1/partner', token });
 * const { eligible, slots } = await client.me();
 */
export function createPartnerClient(options: PartnerClientOptions): PartnerClient {
  const endpoint = new URL(`${(options.endpoint ?? '/v1/partner').replace(/\/+$/, '')}/`, document.baseURI).href;
  const fetchImpl = options.fetch ?? fetch.bind(globalThis);
  const createXhr = options.createXhr ?? (() => new XMLHttpRequest());
  const authorization = `Bearer ${options.token}`;
  const url = (path: string, query?: PartnerReportQuery) => {
    const target = new URL(path, endpoint);
    for (const [key, value] of Object.entries(query ?? {})) if (value) target.searchParams.set(key, value);
    return target.href;
  };

  async function request(path: string, init: RequestInit & { query?: PartnerReportQuery } = {}): Promise<Response> {
    const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(url(path, init.query), { ...init, headers, credentials: 'omit' });
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new PartnerApiError(0, CLIENT_ERRORS.network, String((error as Error)?.message ?? error));
    }
    if (!response.ok) throw errorOf(response.status, await response.text().catch(() => ''));
    return response;
  }

  /**
   * The answer's JSON, or undefined when it is not JSON. An abort while the body streams in rejects with the abort,
   * as it does before the answer: the caller stopped waiting, the answer was not wrong.
   */
  async function bodyOf(response: Response, signal: AbortSignal | undefined): Promise<unknown> {
    const body = await response.json().catch(() => undefined);
    if (signal?.aborted) throw signal.reason;
    return body;
  }

  /** The answer's `key`, once its JSON is read and the key is there as `check` wants it. */
  async function json<T>(
    response: Response,
    signal: AbortSignal | undefined,
    key: string,
    check: (value: unknown) => boolean = isObject,
  ): Promise<T> {
    const body = await bodyOf(response, signal);
    const value = isObject(body) ? body[key] : undefined;
    if (!check(value)) {
      throw new PartnerApiError(response.status, CLIENT_ERRORS.unexpectedResponse, `The answer carries no ${key}.`);
    }
    return value as T;
  }

  /** The answer's body as a Blob; a connection dropped while it streams in is a network error. */
  async function blobOf(response: Response, signal: AbortSignal | undefined): Promise<Blob> {
    try {
      return await response.blob();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new PartnerApiError(0, CLIENT_ERRORS.network, String((error as Error)?.message ?? error));
    }
  }

  const post = (path: string, body: unknown, signal?: AbortSignal) =>
    request(path, { method: 'POST', body: JSON.stringify(body ?? {}), signal: signal ?? null });
  const get = (path: string, signal?: AbortSignal, query?: PartnerReportQuery) =>
    request(path, { signal: signal ?? null, ...(query && { query }) });
  const id = (value: string) => encodeURIComponent(value);

  return {
    endpoint,
    async me(signal) {
      const response = await get('me', signal);
      const body = await bodyOf(response, signal);
      const partner = isObject(body) && isObject(body.partner) ? body.partner : undefined;
      if (
        !isObject(body) ||
        typeof body.eligible !== 'boolean' ||
        typeof partner?.id !== 'string' ||
        typeof partner.name !== 'string' ||
        !Array.isArray(partner.allowedDomains)
      ) {
        throw new PartnerApiError(response.status, CLIENT_ERRORS.unexpectedResponse, 'The answer is not a partner.');
      }
      return {
        partner: partner as unknown as PartnerMe['partner'],
        eligible: body.eligible,
        slots: Array.isArray(body.slots) ? (body.slots as PartnerMe['slots']) : [],
      };
    },
    createApplication: async (input, signal) => json(await post('applications', input, signal), signal, 'application'),
    applications: async (signal) => json(await get('applications', signal), signal, 'applications', Array.isArray),
    application: async (applicationId, signal) =>
      json(await get(`applications/${id(applicationId)}`, signal), signal, 'application'),
    createCreative: async (applicationId, input, signal) =>
      json(await post(`applications/${id(applicationId)}/creatives`, input, signal), signal, 'creative'),
    async previewToken(creativeId, signal) {
      const response = await post(`creatives/${id(creativeId)}/preview-token`, {}, signal);
      const body = await bodyOf(response, signal);
      if (!isObject(body) || typeof body.token !== 'string' || typeof body.expiresAt !== 'number') {
        throw new PartnerApiError(response.status, CLIENT_ERRORS.unexpectedResponse, 'The answer carries no token.');
      }
      return body as unknown as PartnerPreviewToken;
    },
    submit: async (applicationId, signal) =>
      json(await post(`applications/${id(applicationId)}/submit`, {}, signal), signal, 'application'),
    async report(query, signal) {
      const response = await get('report', signal, query);
      const body = await bodyOf(response, signal);
      if (!isObject(body) || !isObject(body.totals) || !Array.isArray(body.byDay) || !Array.isArray(body.bySlot)) {
        throw new PartnerApiError(response.status, CLIENT_ERRORS.unexpectedResponse, 'The answer is not a report.');
      }
      return body as unknown as PartnerReport;
    },
    reportCsv: async (query, signal) => blobOf(await get('report.csv', signal, query), signal),
    uploadedImage: async (uploadId, signal) => blobOf(await get(`uploads/${id(uploadId)}`, signal), signal),
    upload(image, type, { onProgress, signal } = {}) {
      return new Promise<PartnerUpload>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const xhr = createXhr();
        xhr.open('POST', url('uploads'));
        xhr.setRequestHeader('Authorization', authorization);
        xhr.setRequestHeader('Content-Type', type);
        xhr.setRequestHeader('Accept', 'application/json');
        xhr.upload.onprogress = (event) =>
          onProgress?.(event.loaded, event.lengthComputable ? event.total : image.size);
        const stop = () => xhr.abort();
        signal?.addEventListener('abort', stop, { once: true });
        const settle = () => signal?.removeEventListener('abort', stop);
        xhr.onload = () => {
          settle();
          if (xhr.status < 200 || xhr.status > 299) {
            reject(errorOf(xhr.status, xhr.responseText));
            return;
          }
          const body = parse(xhr.responseText);
          const upload = isObject(body) ? body.upload : undefined;
          if (isObject(upload) && typeof upload.id === 'string' && typeof upload.url === 'string') {
            resolve(upload as unknown as PartnerUpload);
          } else reject(new PartnerApiError(xhr.status, CLIENT_ERRORS.unexpectedResponse, 'The answer is no upload.'));
        };
        xhr.onerror = () => {
          settle();
          reject(new PartnerApiError(0, CLIENT_ERRORS.network, 'The upload did not reach the server.'));
        };
        xhr.onabort = () => {
          settle();
          reject(signal?.reason ?? new DOMException('The upload was aborted.', 'AbortError'));
        };
        xhr.send(image);
      });
    },
    resolve: (path) => new URL(path, endpoint).href,
  };
}

/** The error JSON of the protocol (`{ v, error: { code, message, fields? } }`) as a PartnerApiError. */
function errorOf(status: number, text: string): PartnerApiError {
  const body = parse(text);
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (!error || typeof error.code !== 'string') {
    return new PartnerApiError(status, CLIENT_ERRORS.unexpectedResponse, `HTTP ${status} without error JSON.`);
  }
  const fields = Array.isArray(error.fields) ? error.fields.flatMap(fieldOf) : [];
  return new PartnerApiError(status, error.code, typeof error.message === 'string' ? error.message : '', fields);
}

/** A field error, its path written with dots (`contact.phone`) also when the server sends a JSON pointer. */
function fieldOf(value: unknown): FormFieldError[] {
  if (!isObject(value) || typeof value.field !== 'string' || typeof value.code !== 'string') return [];
  const field = value.field.replace(/^\//, '').replaceAll('/', '.');
  const words = Array.isArray(value.words) ? value.words.filter((word) => typeof word === 'string') : undefined;
  return [
    {
      field,
      code: value.code,
      ...(typeof value.message === 'string' && { message: value.message }),
      ...(words && { words }),
      ...(typeof value.reason === 'string' && { reason: value.reason }),
    },
  ];
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

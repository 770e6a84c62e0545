import type { ServerResponse } from 'node:http';
import type { ErrorResponse, FieldError } from '@opslot/core';
import type { HttpError } from './http-error.js';

/** Set on every answer, whatever it carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'SAMEORIGIN',
};

/** API answers are data, never documents: nothing in them may run, be framed or be cached. */
const JSON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  sendJsonBytes(res, status, Buffer.from(JSON.stringify(body), 'utf8'), headers);
}

/** Sends `bytes` as they are, for answers whose exact bytes matter (they are signed). */
export function sendJsonBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...JSON_HEADERS, 'Content-Length': bytes.byteLength, ...headers });
  res.end(bytes);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  const body: ErrorResponse & { error: { fields?: readonly FieldError[] } } = {
    error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
  };
  sendJson(res, error.status, body, { ...error.headers });
}

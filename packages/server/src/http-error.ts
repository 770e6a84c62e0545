import type { FieldError } from '@opslot/core';

/** The `code` values of error answers; docs/protocol.md lists when each is used. */
export const ERROR_CODES = {
  invalidJson: 'invalid-json',
  invalidRequest: 'invalid-request',
  invalidPath: 'invalid-path',
  payloadTooLarge: 'payload-too-large',
  unsupportedMediaType: 'unsupported-media-type',
  originNotAllowed: 'origin-not-allowed',
  unauthorized: 'unauthorized',
  notFound: 'not-found',
  conflict: 'conflict',
  methodNotAllowed: 'method-not-allowed',
  internalError: 'internal-error',
  // The partner API (docs/protocol.md, "Partner API").
  notEligible: 'not-eligible',
  forbidden: 'forbidden',
  invalidApplication: 'invalid-application',
  invalidCreative: 'invalid-creative',
  forbiddenWords: 'forbidden-words',
  notEditable: 'not-editable',
  uploadTooLarge: 'upload-too-large',
  badImage: 'bad-image',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Thrown by request handlers; the server turns it into `{ "error": { code, message } }` with `status`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  /** Which fields of a form were refused, and why; absent on errors that are not about a form. */
  readonly fields: readonly FieldError[] | undefined;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    headers: Record<string, string> = {},
    fields?: readonly FieldError[],
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.fields = fields;
  }
}

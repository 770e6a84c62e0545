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
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Thrown by request handlers; the server turns it into `{ "error": { code, message } }` with `status`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

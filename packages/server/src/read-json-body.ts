import type { IncomingMessage } from 'node:http';
import { ERROR_CODES, HttpError } from './http-error.js';

/** The SDK keeps every body under the 64 KiB that keepalive fetch and sendBeacon allow; nothing legitimate is larger. */
export const MAX_BODY_BYTES = 64 * 1024;

/** sendBeacon and keepalive fetch send text/plain so that they need no CORS preflight; the body is JSON all the same. */
const JSON_MEDIA_TYPES = new Set(['application/json', 'text/plain']);

/** Fatal: bytes that are not UTF-8 are refused rather than replaced. One call decodes a whole body, so it is shared. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON body of at most `limit` bytes. Refuses other media types (415), larger bodies (413), bytes that are
 * not UTF-8 JSON (400 invalid-json) and `__proto__` keys (400 invalid-request), which would turn into prototype
 * pollution the moment some code merges the value into another object.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readTextBody(req, JSON_MEDIA_TYPES, limit);
  try {
    // A reviver runs for every value and made parsing ~4× slower; a `__proto__` key can only be spelt with those
    // letters or with \u escapes, so a body with neither is parsed without it.
    return mayHideProtoKey(text) ? JSON.parse(text, refuseProtoKeys) : JSON.parse(text);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, ERROR_CODES.invalidJson, 'The body is not valid JSON.');
  }
}

/** Reads a UTF-8 body of one of `mediaTypes` and at most `limit` bytes, with the same refusals as `readJsonBody`. */
export async function readTextBody(
  req: IncomingMessage,
  mediaTypes: ReadonlySet<string>,
  limit = MAX_BODY_BYTES,
): Promise<string> {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!mediaTypes.has(mediaType)) {
    throw new HttpError(415, ERROR_CODES.unsupportedMediaType, `Send the body as ${[...mediaTypes].join(' or ')}.`);
  }
  const bytes = await readBytes(req, limit);
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new HttpError(400, ERROR_CODES.invalidJson, 'The body is not UTF-8.');
  }
}

function mayHideProtoKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('\\u');
}

function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__')
    throw new HttpError(400, ERROR_CODES.invalidRequest, 'Keys named __proto__ are not allowed.');
  return value;
}

/**
 * Reads a body of at most `limit` bytes as it streams in, keeping nothing past the limit: a larger body is refused
 * (413, `tooLarge()`) as soon as its `Content-Length` or its bytes say so, and the rest is discarded.
 */
export function readBytes(
  req: IncomingMessage,
  limit: number,
  tooLarge = () =>
    new HttpError(413, ERROR_CODES.payloadTooLarge, `The body exceeds ${limit} bytes.`, { Connection: 'close' }),
): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    // Discard the upload; `Connection: close` ends the socket once the answer is out.
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.resume();
      reject(tooLarge());
    };
    let ended = false;
    const onEnd = () => {
      ended = true;
      resolve(Buffer.concat(chunks, size));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
    // A client that hangs up mid-body gets no answer, but its request must not wait forever either. Every request
    // closes once answered: the error (and its stack trace) is made only for a body that never ended.
    req.on('close', () => {
      if (!ended) reject(new HttpError(400, ERROR_CODES.invalidRequest, 'The body was cut off.'));
    });
  });
}

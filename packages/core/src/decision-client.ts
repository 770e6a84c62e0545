import { type DecisionRequest, type DecisionResponse, PROTOCOL_VERSION } from './protocol.js';
import { validateDecisionResponse } from './validate-decision-response.js';

export const DECISION_ERRORS = {
  /** The whole call, retry included, took longer than `timeoutMs`. */
  timeout: 'timeout',
  /** The request did not get an answer, twice. */
  network: 'network',
  /** The endpoint answered with a status outside 200–299; `status` has it. */
  httpStatus: 'http-status',
  invalidJson: 'invalid-json',
  /** The answer breaks the schema (`path` names where) or is larger than `maxResponseBytes`. */
  invalidResponse: 'invalid-response',
  /** The answer speaks another protocol version, so none of it is trusted. */
  unsupportedVersion: 'unsupported-version',
  /** The caller's signal aborted. */
  aborted: 'aborted',
  /** The request could not be serialised to JSON: a programming error in the caller. */
  invalidRequest: 'invalid-request',
  /** Keys are configured and the answer has no `Opslot-Signature` header. */
  unsigned: 'unsigned',
  /** The signature does not verify, or cannot be checked (no usable key; no WebCrypto outside HTTPS). */
  badSignature: 'bad-signature',
} as const;
export type DecisionErrorCode = (typeof DECISION_ERRORS)[keyof typeof DECISION_ERRORS];

export interface DecisionFailure {
  ok: false;
  code: DecisionErrorCode;
  message: string;
  /** The HTTP status, for `http-status`. */
  status?: number;
  /** Where the answer broke the schema, for `invalid-response`, such as `/slots/0/candidates/1/landingUrl`. */
  path?: string;
}

export type DecisionResult = { ok: true; response: DecisionResponse } | DecisionFailure;

export interface DecisionClientOptions {
  /** URL of `POST /v1/decisions`. */
  endpoint: URL;
  /** Default: the global `fetch`, looked up when a request is made. */
  fetch?: typeof fetch;
  /** Budget of one `decide()` call, retry included; default 1500 ms. */
  timeoutMs?: number;
  /**
   * Default `'same-origin'`: a bank's own endpoint may need the session cookie to know the operator, while a
   * cross-origin endpoint gets no cookies unless the bank opts in with `'include'`.
   */
  credentials?: RequestCredentials;
  /** Source of the retry jitter; default `Math.random`. */
  random?: () => number;
  /** Resolves after `ms`, or early once `signal` aborts; default a `setTimeout`. Drives both timeout and retry delay. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Answers larger than this are refused unread; default 256 KiB. */
  maxResponseBytes?: number;
  /**
   * Checks the `Opslot-Signature` header against the answer's exact bytes, such as `createSignatureVerifier(jwks)`.
   * When given, an answer is refused before it is parsed unless this resolves true; a cross-origin endpoint must list
   * the header in `Access-Control-Expose-Headers`, or it reads as `unsigned`. Default: answers need no signature.
   * A function rather than keys, so that a page can load the WebCrypto code only when it has a key.
   */
  verify?: (signature: string, body: Uint8Array<ArrayBuffer>) => Promise<boolean>;
}

export interface DecisionClient {
  /** Asks the endpoint for decisions. Never rejects: every problem is a {@link DecisionFailure}. */
  decide(request: DecisionRequest, signal?: AbortSignal): Promise<DecisionResult>;
}

/**
 * Creates the client of the decision endpoint. It POSTs JSON, bounds the whole call by `timeoutMs`, retries once
 * after 100–300 ms (jittered, so that slots of many pages do not return in step) when the request got no answer at
 * all, and never retries an HTTP error status or a timeout. With `verify`, the answer's signature is checked
 * over its raw bytes before anything parses them. Then its protocol version, so that a newer server gives
 * `unsupported-version` rather than a confusing schema error, then the schema.
 *
 * @example
 * const client = createDecisionClient({ endpoint: new URL('/v1/decisions', location.href) });
 * const result = await client.decide(request, abortController.signal);
 * if (!result.ok) console.warn(`opslot: ${result.code} ${result.message}`);
 */
export function createDecisionClient(options: DecisionClientOptions): DecisionClient {
  const {
    endpoint,
    timeoutMs = 1500,
    credentials = 'same-origin',
    random = Math.random,
    sleep = sleepFor,
    maxResponseBytes = 256 * 1024,
    verify,
  } = options;

  const attempt = async (body: string, signal: AbortSignal): Promise<DecisionResult> => {
    let signature: string | null | undefined;
    let bytes: Uint8Array<ArrayBuffer> | undefined;
    try {
      const response = await untilAborted(
        () =>
          // The global fetch is looked up now, so that a wrapper the page installs later is used.
          (options.fetch ?? fetch)(endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            credentials,
            signal,
          }),
        signal,
      );
      const { status, headers } = response;
      signature = verify && headers.get(SIGNATURE_HEADER);
      if (!response.ok || signature === null) {
        // A refused answer is left unread; cancelling its body lets go of the connection.
        response.body?.cancel().catch(ignore);
        return response.ok
          ? failure(DECISION_ERRORS.unsigned, `no ${SIGNATURE_HEADER} header`)
          : failure(DECISION_ERRORS.httpStatus, `answered ${status}`, { status });
      }
      bytes = await readBytes(response, maxResponseBytes, signal);
    } catch {
      // No answer, or one cut off: the only failure worth a retry.
      return failure(DECISION_ERRORS.network);
    }
    if (!bytes) return failure(DECISION_ERRORS.invalidResponse, `over ${maxResponseBytes} bytes`);

    // Only exactly true lets the answer through: a verifier that throws or rejects, an abort while it runs, or any
    // other value (a truthy string, say) is a bad signature.
    if (verify && (await untilAborted(() => verify(signature as string, bytes), signal).catch(ignore)) !== true) {
      return failure(DECISION_ERRORS.badSignature);
    }

    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return failure(DECISION_ERRORS.invalidJson);
    }
    // An inherited `v` (a polluted prototype) can only turn one refusal into another: the schema wants it own.
    const version = (json as { v?: unknown } | null)?.v;
    if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
      return failure(DECISION_ERRORS.unsupportedVersion, `version ${version}`);
    }
    const validation = validateDecisionResponse(json);
    return validation.ok
      ? { ok: true, response: json as DecisionResponse }
      : failure(DECISION_ERRORS.invalidResponse, `${validation.path || '/'} ${validation.message}`, {
          path: validation.path,
        });
  };

  return {
    async decide(request, callerSignal) {
      if (callerSignal?.aborted) return failure(DECISION_ERRORS.aborted);
      let body: string;
      try {
        body = JSON.stringify(request);
      } catch {
        return failure(DECISION_ERRORS.invalidRequest);
      }

      // `controller` stops the request, when the caller aborts or the timeout comes first; `settled` ends the timer and
      // the listener on the caller's signal once the call is over. An answer that was read in full is never aborted
      // afterwards, which DevTools would show as a cancelled request. The code is kept aside rather than as the
      // abort reason, which browsers older than Chrome 98 drop.
      const controller = new AbortController();
      const settled = new AbortController();
      const { signal } = controller;
      let stoppedBy: DecisionErrorCode | undefined;
      const stop = (code: DecisionErrorCode) => {
        if (settled.signal.aborted) return;
        stoppedBy ??= code;
        controller.abort();
      };
      callerSignal?.addEventListener('abort', () => stop(DECISION_ERRORS.aborted), { signal: settled.signal });
      try {
        sleep(timeoutMs, settled.signal).then(() => stop(DECISION_ERRORS.timeout), ignore);
        let result = await attempt(body, signal);
        if (!result.ok && result.code === DECISION_ERRORS.network && !signal.aborted) {
          // Jittered over 100–300 ms.
          await sleep(100 + random() * 200, signal);
          if (!signal.aborted) result = await attempt(body, signal);
        }
        return stoppedBy
          ? failure(stoppedBy, stoppedBy === DECISION_ERRORS.timeout ? `over ${timeoutMs} ms` : undefined)
          : result;
      } catch {
        // Only an injected sleep or random that throws gets here.
        return failure(DECISION_ERRORS.network);
      } finally {
        settled.abort();
      }
    },
  };
}

const SIGNATURE_HEADER = 'opslot-signature';

/** The message adds what the code cannot say, such as the status or the path; where there is nothing to add, it is the code. */
function failure(code: DecisionErrorCode, message: string = code, detail?: Partial<DecisionFailure>): DecisionFailure {
  return { ok: false, code, message, ...detail };
}

function ignore(): void {}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    // The signal always aborts once the call has settled, so this listener does not outlive the call.
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Settles as `start()` does, or rejects as soon as `signal` aborts: a fetch polyfill or a stream that ignores its
 * signal must not hold a slot past its timeout. A `start` that throws rejects too.
 */
function untilAborted<T>(start: () => Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort);
    // Removed at once rather than when the call ends: a body may come in many small chunks.
    start()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Reads the body's bytes, or returns undefined as soon as it proves larger than `limit` bytes, leaving the rest
 * unread (the call's signal aborts once the call has settled, which lets go of it).
 */
async function readBytes(
  response: Response,
  limit: number,
  signal: AbortSignal,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const declared = response.headers.get('content-length');
  if (Number(declared) > limit) {
    response.body?.cancel().catch(ignore);
    return undefined;
  }
  // With a declared length the browser reads no more than that, so the whole body can be taken at once. (Reading it
  // through a stream reader instead makes Chromium report some finished requests as cancelled in DevTools.)
  if (declared) return new Uint8Array(await untilAborted(() => response.arrayBuffer(), signal));
  const reader = response.body?.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await untilAborted(() => reader.read(), signal);
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(ignore);
      return undefined;
    }
    chunks.push(value);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

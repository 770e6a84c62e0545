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
}

export interface DecisionClient {
  /** Asks the endpoint for decisions. Never rejects: every problem is a {@link DecisionFailure}. */
  decide(request: DecisionRequest, signal?: AbortSignal): Promise<DecisionResult>;
}

const DEFAULT_TIMEOUT_MS = 1500;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
const RETRY_DELAY_MS = [100, 300] as const;

/**
 * Creates the client of the decision endpoint. It POSTs JSON, bounds the whole call by `timeoutMs`, retries once
 * after 100–300 ms (jittered, so that slots of many pages do not return in step) when the request got no answer at
 * all, and never retries an HTTP error status or a timeout. The answer is checked for its protocol version first, so
 * that a newer server gives `unsupported-version` rather than a confusing schema error, then against the schema.
 *
 * @example
 * const client = createDecisionClient({ endpoint: new URL('/v1/decisions', location.href) });
 * const result = await client.decide(request, abortController.signal);
 * if (!result.ok) console.warn(`opslot: ${result.code} ${result.message}`);
 */
export function createDecisionClient(options: DecisionClientOptions): DecisionClient {
  const {
    endpoint,
    timeoutMs = DEFAULT_TIMEOUT_MS,
    credentials = 'same-origin',
    random = Math.random,
    sleep = sleepFor,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
  } = options;
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));

  const attempt = async (body: string, signal: AbortSignal): Promise<DecisionResult> => {
    let response: Response;
    try {
      response = await untilAborted(
        fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          credentials,
          signal,
        }),
        signal,
      );
    } catch {
      return failure(DECISION_ERRORS.network, 'the decision request got no answer');
    }
    if (!response.ok) {
      void response.body?.cancel().catch(ignore);
      return {
        ...failure(DECISION_ERRORS.httpStatus, `the decision endpoint answered ${response.status}`),
        status: response.status,
      };
    }

    let text: string | undefined;
    try {
      text = await readText(response, maxResponseBytes, signal);
    } catch {
      return failure(DECISION_ERRORS.network, 'the decision answer was cut off');
    }
    if (text === undefined) {
      return failure(DECISION_ERRORS.invalidResponse, `the decision answer is larger than ${maxResponseBytes} bytes`);
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return failure(DECISION_ERRORS.invalidJson, 'the decision answer is not JSON');
    }
    const version =
      typeof json === 'object' && json !== null && Object.hasOwn(json, 'v') ? (json as { v: unknown }).v : undefined;
    if (typeof version === 'number' && version !== PROTOCOL_VERSION) {
      return failure(
        DECISION_ERRORS.unsupportedVersion,
        `protocol version ${version} is not supported; this SDK speaks ${PROTOCOL_VERSION}`,
      );
    }
    const validation = validateDecisionResponse(json);
    if (!validation.ok) {
      return {
        ...failure(
          DECISION_ERRORS.invalidResponse,
          `the decision answer ${validation.message} at ${validation.path || '/'}`,
        ),
        path: validation.path,
      };
    }
    return { ok: true, response: json as DecisionResponse };
  };

  return {
    async decide(request, signal) {
      if (signal?.aborted) return failure(DECISION_ERRORS.aborted, 'the decision request was aborted');
      let body: string;
      try {
        body = JSON.stringify(request);
      } catch {
        return failure(DECISION_ERRORS.invalidRequest, 'the decision request could not be serialised');
      }

      const controller = new AbortController();
      let stoppedBy: typeof DECISION_ERRORS.timeout | typeof DECISION_ERRORS.aborted | undefined;
      const stop = (code: typeof stoppedBy) => {
        if (controller.signal.aborted) return;
        stoppedBy = code;
        controller.abort();
      };
      const onCallerAbort = () => stop(DECISION_ERRORS.aborted);
      signal?.addEventListener('abort', onCallerAbort, { once: true });
      // Ends the timeout's sleep once the call has settled, so that no timer outlives it.
      const settled = new AbortController();

      try {
        sleep(timeoutMs, settled.signal).then(() => {
          if (!settled.signal.aborted) stop(DECISION_ERRORS.timeout);
        }, ignore);
        let result = await attempt(body, controller.signal);
        if (!result.ok && result.code === DECISION_ERRORS.network && !controller.signal.aborted) {
          const [min, max] = RETRY_DELAY_MS;
          await sleep(min + random() * (max - min), controller.signal);
          if (!controller.signal.aborted) result = await attempt(body, controller.signal);
        }
        if (stoppedBy === DECISION_ERRORS.timeout) {
          return failure(DECISION_ERRORS.timeout, `the decision endpoint did not answer within ${timeoutMs} ms`);
        }
        if (stoppedBy === DECISION_ERRORS.aborted)
          return failure(DECISION_ERRORS.aborted, 'the decision request was aborted');
        return result;
      } catch {
        // Only an injected sleep or random that throws gets here.
        return failure(DECISION_ERRORS.network, 'the decision request failed');
      } finally {
        settled.abort();
        signal?.removeEventListener('abort', onCallerAbort);
      }
    },
  };
}

function failure(code: DecisionErrorCode, message: string): DecisionFailure {
  return { ok: false, code, message };
}

function ignore(): void {}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts: a fetch polyfill or a stream that ignores its
 * signal must not hold a slot past its timeout.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Reads the body as UTF-8 text, or returns undefined as soon as it proves larger than `limit` bytes. */
async function readText(response: Response, limit: number, signal: AbortSignal): Promise<string | undefined> {
  if (!response.body) return '';
  if (Number(response.headers.get('content-length')) > limit) {
    void response.body.cancel().catch(ignore);
    return undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await untilAborted(reader.read(), signal);
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel().catch(ignore);
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

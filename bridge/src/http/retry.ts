/**
 * Retries with exponential backoff `min(initial·2^(n-1), max)` plus jitter, honouring
 * `Retry-After` (seconds or HTTP-date). What is retried:
 * - 429: always. The server refused the request before doing anything, so repeating it is safe
 *   whatever the method.
 * - 5xx, connection failures and timeouts, and errors the factory marked `retryable` (lock
 *   timeouts): only when the request is idempotent (GET/PUT/DELETE, or a write that carries an
 *   idempotency key), because a write may have been applied before the failure.
 * - Anything else (400/401/403/404/409/422): never.
 */
import { BillingBridgeError, ConnectionError, RateLimitError, parseRetryAfter } from '../errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from './types.ts';

export { parseRetryAfter };

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown. Default 5 min. */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/**
 * Delay before retry number `attempt` (1-based). Equal jitter: half the exponential base plus a
 * random share of the other half, so delays grow but concurrent clients spread out. When the
 * server sent `Retry-After`, wait at least that long.
 */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const n = Math.max(1, Math.floor(attempt));
  const exponential = policy.initialDelayMs * 2 ** (n - 1);
  const base = Math.min(exponential, policy.maxDelayMs);
  const r = Math.min(1, Math.max(0, random()));
  const jittered = Math.round(base / 2 + (base / 2) * r);
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.max(retryAfterMs, jittered);
  return jittered;
}

const IDEMPOTENCY_HEADERS = ['idempotency-key', 'chargebee-idempotency-key', 'x-idempotency-key'];

/** GET/PUT/DELETE, or any request with an idempotency-key header. */
export function isIdempotentRequest(request: Pick<HttpRequest, 'method' | 'headers'>): boolean {
  if (request.method === 'GET' || request.method === 'PUT' || request.method === 'DELETE') {
    return true;
  }
  return Object.keys(request.headers).some((h) => IDEMPOTENCY_HEADERS.includes(h.toLowerCase()));
}

/** The retry decision, separate from the loop so it can be tested as a table. */
export function shouldRetry(error: unknown, idempotent: boolean): boolean {
  if (error instanceof RateLimitError) return true;
  if (!(error instanceof BillingBridgeError)) return false;
  if (error instanceof ConnectionError) return idempotent;
  if (error.status !== undefined && error.status >= 500) return idempotent;
  return error.retryable && idempotent;
}

export interface RetryEvent {
  /** The retry about to happen (1 = first retry). */
  attempt: number;
  delayMs: number;
  error: BillingBridgeError;
  request: HttpRequest;
}

export interface RequestWithRetryOptions {
  policy?: RetryPolicy;
  /** Defaults to `isIdempotentRequest(request)`; pass true for writes with a body-level key (Maxio `uniqueness_token`). */
  idempotent?: boolean;
  /** Turns a non-2xx response into an error (the provider's `createApiError` call). */
  toError: (response: HttpResponse, request: HttpRequest) => BillingBridgeError;
  /** Which statuses are successes; default 200–299. */
  isSuccess?: (status: number) => boolean;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Send `request`, retrying per the rules above. Resolves with the successful response; rejects
 * with the last error (from `toError`, or the client's `ConnectionError`).
 */
export async function requestWithRetry(
  client: HttpClient,
  request: HttpRequest,
  options: RequestWithRetryOptions,
): Promise<HttpResponse> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const idempotent = options.idempotent ?? isIdempotentRequest(request);
  const isSuccess = options.isSuccess ?? ((status: number) => status >= 200 && status < 300);
  const wait = options.sleep ?? sleep;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs ?? 0;

  for (let attempt = 0; ; attempt++) {
    let error: BillingBridgeError;
    try {
      const response = await client.request(request);
      if (isSuccess(response.status)) return response;
      error = options.toError(response, request);
      if (error.retryAfterMs === undefined) {
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        if (retryAfter !== undefined) error.retryAfterMs = retryAfter;
      }
    } catch (caught) {
      if (caught instanceof BillingBridgeError) {
        error = caught;
      } else {
        throw caught;
      }
    }
    if (attempt >= policy.maxRetries || !shouldRetry(error, idempotent)) throw error;
    if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfterMs) throw error;
    const delayMs = backoffDelayMs(attempt + 1, policy, options.random, error.retryAfterMs);
    options.onRetry?.({ attempt: attempt + 1, delayMs, error, request });
    await wait(delayMs);
  }
}

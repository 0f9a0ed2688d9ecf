/**
 * One error tree for the whole bridge (stripe-node's shape): every provider, Salesforce and
 * transport failure is a `BillingBridgeError` leaf built by one factory, `createApiError`, from the
 * HTTP status and the provider's machine-readable code. Callers branch with `instanceof` and read
 * `code`, `status`, `requestId`, `param`, `retryable` and `retryAfterMs`.
 *
 * Secrets never reach a message: `redact` masks credentials in free text and `redactHeaders` in
 * header maps, and the factory runs every message through `redact`.
 */
import type { Provider } from './model/canonical.ts';

export type ErrorSource = Provider | 'salesforce';

export interface BillingBridgeErrorOptions {
  provider?: ErrorSource;
  status?: number;
  code?: string;
  requestId?: string;
  param?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

export class BillingBridgeError extends Error {
  provider?: ErrorSource;
  status?: number;
  /** The provider's or Salesforce's machine-readable code, e.g. `api_request_limit_exceeded`. */
  code?: string;
  requestId?: string;
  /** The request parameter the error is about, when the provider says (Chargebee `param`). */
  param?: string;
  /** True when repeating the same (idempotent) request may succeed. */
  retryable: boolean;
  /** Server-requested wait before retrying (from `Retry-After`). */
  retryAfterMs?: number;

  constructor(message: string, options: BillingBridgeErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.provider !== undefined) this.provider = options.provider;
    if (options.status !== undefined) this.status = options.status;
    if (options.code !== undefined) this.code = options.code;
    if (options.requestId !== undefined) this.requestId = options.requestId;
    if (options.param !== undefined) this.param = options.param;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? false;
  }

  /** A log-safe plain object (no stack, no cause payloads). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      provider: this.provider,
      status: this.status,
      code: this.code,
      requestId: this.requestId,
      param: this.param,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** 401: missing or wrong credentials. */
export class AuthenticationError extends BillingBridgeError {}
/** 403: the credentials are valid but not allowed to do this. */
export class PermissionError extends BillingBridgeError {}
/** 404: the resource or endpoint does not exist. */
export class NotFoundError extends BillingBridgeError {}
/** 400/422: the request was understood but refused (validation). */
export class InvalidRequestError extends BillingBridgeError {}
/** 409: the state of the resource does not allow this. */
export class ConflictError extends BillingBridgeError {}
/** 409 on an idempotency key reused with a different request, or still in progress. */
export class IdempotencyError extends ConflictError {}
/** 429 (or a provider's request-limit code): back off, honour `retryAfterMs`. */
export class RateLimitError extends BillingBridgeError {
  constructor(message: string, options: BillingBridgeErrorOptions = {}) {
    super(message, { ...options, retryable: options.retryable ?? true });
  }
}
/** 5xx: the provider failed; retryable for idempotent requests. */
export class ApiServerError extends BillingBridgeError {
  constructor(message: string, options: BillingBridgeErrorOptions = {}) {
    super(message, { ...options, retryable: options.retryable ?? true });
  }
}
/** Transport failure: refused, reset, DNS, timeout. No HTTP status. */
export class ConnectionError extends BillingBridgeError {
  constructor(message: string, options: BillingBridgeErrorOptions = {}) {
    super(message, { ...options, retryable: options.retryable ?? true });
  }
}
/** A webhook delivery that is not authentic (bad HMAC or Basic credentials). */
export class WebhookSignatureError extends BillingBridgeError {}
/** A webhook delivery that is authentic but cannot be parsed; keep it for inspection. */
export class WebhookPayloadError extends BillingBridgeError {}
/** The bridge's own configuration is missing or invalid. */
export class ConfigurationError extends BillingBridgeError {}

export type ApiErrorClass = new (
  message: string,
  options?: BillingBridgeErrorOptions,
) => BillingBridgeError;

/**
 * Provider/Salesforce codes that pick a class regardless of (or more precisely than) the status.
 * Keys are lower-cased.
 */
const CODE_CLASSES: Record<string, ApiErrorClass> = {
  // Chargebee api_error_code / type values
  api_authentication_failed: AuthenticationError,
  api_authorization_failed: PermissionError,
  basic_authentication_failed: AuthenticationError,
  api_request_limit_exceeded: RateLimitError,
  resource_not_found: NotFoundError,
  resource_limit_exhausted: InvalidRequestError,
  duplicate_entry: ConflictError,
  invalid_state_for_request: ConflictError,
  payment_processing_failed: InvalidRequestError,
  invalid_request: InvalidRequestError,
  param_wrong_value: InvalidRequestError,
  internal_error: ApiServerError,
  internal_temporary_error: ApiServerError,
  database_connection_failure: ApiServerError,
  site_not_ready: ApiServerError,
  site_read_only_mode: ApiServerError,
  lock_timeout: ApiServerError,
  // idempotency
  idempotency_key_in_use: IdempotencyError,
  idempotency_key_reused: IdempotencyError,
  idempotency_error: IdempotencyError,
  // Salesforce errorCode values
  invalid_session_id: AuthenticationError,
  insufficient_access: PermissionError,
  insufficient_access_or_readonly: PermissionError,
  not_found: NotFoundError,
  entity_is_deleted: NotFoundError,
  request_limit_exceeded: RateLimitError,
  unable_to_lock_row: ConflictError,
  duplicate_value: ConflictError,
  server_unavailable: ApiServerError,
};

/** Codes that are transient even though their class is not retryable by default. */
const RETRYABLE_CODES = new Set(['unable_to_lock_row', 'lock_timeout', 'internal_temporary_error']);

export function classForStatus(status: number | undefined): ApiErrorClass {
  if (status === undefined || status === 0) return ConnectionError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 429) return RateLimitError;
  if (status === 400 || status === 422) return InvalidRequestError;
  if (status >= 500) return ApiServerError;
  if (status >= 400) return InvalidRequestError;
  return BillingBridgeError;
}

export interface ApiErrorInput {
  provider?: ErrorSource;
  status?: number;
  code?: string | null;
  message?: string | null;
  requestId?: string | null;
  param?: string | null;
  /** Response headers (lower-cased names); `retry-after` and request-id headers are read. */
  headers?: Record<string, string | string[] | undefined>;
  cause?: unknown;
}

const REQUEST_ID_HEADERS = [
  'x-request-id',
  'request-id',
  'sforce-request-id',
  'x-chargebee-request-id',
];

function headerValue(
  headers: Record<string, string | string[] | undefined> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * `Retry-After` in milliseconds: delta-seconds ("120") or an HTTP-date. Undefined when absent or
 * unparseable; never negative.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** The single factory: status + provider code → the right leaf, fields kept, message redacted. */
export function createApiError(input: ApiErrorInput): BillingBridgeError {
  const code = input.code ?? undefined;
  const byCode = code ? CODE_CLASSES[code.toLowerCase()] : undefined;
  const Cls = byCode ?? classForStatus(input.status);
  const requestId =
    input.requestId ??
    REQUEST_ID_HEADERS.map((h) => headerValue(input.headers, h)).find((v) => v !== undefined);
  const retryAfterMs = parseRetryAfter(headerValue(input.headers, 'retry-after'));
  const who = input.provider ?? 'api';
  const fallback =
    input.status !== undefined ? `${who} request failed with HTTP ${input.status}` : `${who} error`;
  const message = input.message && input.message.trim() !== '' ? input.message : fallback;
  const options: BillingBridgeErrorOptions = {};
  if (input.provider !== undefined) options.provider = input.provider;
  if (input.status !== undefined) options.status = input.status;
  if (code !== undefined) options.code = code;
  if (requestId !== undefined && requestId !== null) options.requestId = requestId;
  if (input.param !== undefined && input.param !== null) options.param = input.param;
  if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
  if (code && RETRYABLE_CODES.has(code.toLowerCase())) options.retryable = true;
  if (input.cause !== undefined) options.cause = input.cause;
  return new Cls(message, options);
}

// ---------------------------------------------------------------------------------------------
// Redaction

const MASK = '[REDACTED]';

/** Header names whose values are credentials. */
const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-chargify-webhook-signature.*|x-signature.*|x-bridge-token|x-org-token)$/i;

/** Key names (JSON/form/query) whose values are secrets. */
const SECRET_KEY =
  /(pass(word|wd)?|secret|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|client[_-]?secret|token|private[_-]?key|shared[_-]?key|authorization)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactHeaders(
  headers: Record<string, string | string[] | undefined> | undefined,
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  if (!headers) return out;
  for (const [key, value] of Object.entries(headers)) {
    out[key] = SECRET_HEADER.test(key) && value !== undefined ? MASK : value;
  }
  return out;
}

/**
 * Mask credentials in free text: Authorization schemes, URL userinfo, key=value / "key": "value"
 * pairs whose key looks secret, and vendor key shapes (Chargebee `live_…`/`test_…`).
 */
export function redact(text: string): string {
  if (!text) return text;
  return (
    text
      // Authorization: Basic xxx / Bearer xxx
      // (a credential token has a digit, an upper-case letter or base64 punctuation: "Basic auth" stays)
      .replace(
        /\b(Basic|Bearer|Digest|Token)\s+(?=[A-Za-z0-9._~+/=-]*[A-Z0-9+/=])[A-Za-z0-9._~+/=-]{8,}/g,
        `$1 ${MASK}`,
      )
      // scheme://user:pass@host
      .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/:@]+(:[^\s/@]*)?@/gi, `$1${MASK}@`)
      // "apiKey": "value" / 'password': 'value'
      .replace(
        /(["']?)([A-Za-z0-9_.-]*(?:pass(?:word|wd)?|secret|api[_-]?key|apikey|token|authorization|private[_-]?key|shared[_-]?key)[A-Za-z0-9_.-]*)\1(\s*[:=]\s*)(["'])(?:\\.|(?!\4).)*\4/gi,
        `$1$2$1$3$4${MASK}$4`,
      )
      // api_key=value (query strings, form bodies, env-style), value up to a delimiter
      .replace(
        /\b([A-Za-z0-9_.-]*(?:pass(?:word|wd)?|secret|api[_-]?key|apikey|token|private[_-]?key|shared[_-]?key)[A-Za-z0-9_.\]-]*)(=|:\s*)(?!\[REDACTED\])(?!["'])[^\s&,;"'}]+/gi,
        `$1$2${MASK}`,
      )
      // Chargebee-style API keys
      .replace(/\b(live|test)_[A-Za-z0-9]{16,}\b/g, MASK)
  );
}

/**
 * Salesforce failures in the bridge's one error tree. jsforce throws `HttpApiError`s carrying
 * Salesforce's `errorCode` (`INVALID_SESSION_ID`, `REQUEST_LIMIT_EXCEEDED`, `ERROR_HTTP_503`, …) but
 * not the HTTP status, so the status is recovered from the code where it implies one; the factory
 * in errors.ts then picks the class from the code first, the status second.
 */
import { BillingBridgeError, createApiError } from '../errors.ts';

/** One per-record error as sObject Collections and Bulk API 2.0 report it. */
export interface SalesforceRecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

const HTTP_CODE = /^ERROR_HTTP_(\d{3})$/;

/** Codes that say "the org is busy, try the same call again shortly". */
export const TRANSIENT_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'SERVER_UNAVAILABLE',
  'ERROR_HTTP_500',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

function statusFor(code: string | undefined): number | undefined {
  if (!code) return undefined;
  const http = HTTP_CODE.exec(code);
  if (http) return Number(http[1]);
  if (code === 'INVALID_SESSION_ID') return 401;
  if (code === 'REQUEST_LIMIT_EXCEEDED') return 403;
  if (code === 'NOT_FOUND') return 404;
  return undefined;
}

/** Any error jsforce (or fetch under it) throws → a BillingBridgeError with source `salesforce`. */
export function toSalesforceError(error: unknown): BillingBridgeError {
  if (error instanceof BillingBridgeError) return error;
  const e = error as { errorCode?: unknown; code?: unknown; message?: unknown; data?: unknown };
  const code =
    typeof e?.errorCode === 'string'
      ? e.errorCode
      : typeof e?.code === 'string'
        ? e.code
        : undefined;
  const data = e?.data as { error?: unknown; error_description?: unknown } | undefined;
  // OAuth endpoint errors: {"error":"invalid_grant","error_description":"..."}
  const oauthCode = typeof data?.error === 'string' ? data.error : undefined;
  const message =
    typeof data?.error_description === 'string'
      ? data.error_description
      : typeof e?.message === 'string'
        ? e.message
        : String(error);
  const finalCode = code ?? oauthCode;
  const status = oauthCode && !code ? 400 : statusFor(finalCode);
  const err = createApiError({
    provider: 'salesforce',
    ...(status !== undefined ? { status } : {}),
    ...(finalCode !== undefined ? { code: finalCode } : {}),
    message,
    cause: error,
  });
  if (finalCode && TRANSIENT_CODES.has(finalCode)) err.retryable = true;
  return err;
}

export function isTransientSalesforceError(error: unknown): boolean {
  const err = toSalesforceError(error);
  return err.retryable || (err.code !== undefined && TRANSIENT_CODES.has(err.code));
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiServerError,
  AuthenticationError,
  BillingBridgeError,
  ConflictError,
  ConnectionError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  createApiError,
  parseRetryAfter,
  redact,
  redactHeaders,
} from '../../src/errors.ts';
import type { ApiErrorClass } from '../../src/errors.ts';

describe('createApiError', () => {
  const byStatus: [number, ApiErrorClass, boolean][] = [
    [400, InvalidRequestError, false],
    [401, AuthenticationError, false],
    [403, PermissionError, false],
    [404, NotFoundError, false],
    [409, ConflictError, false],
    [418, InvalidRequestError, false],
    [422, InvalidRequestError, false],
    [429, RateLimitError, true],
    [500, ApiServerError, true],
    [502, ApiServerError, true],
    [503, ApiServerError, true],
  ];
  for (const [status, Cls, retryable] of byStatus) {
    it(`maps HTTP ${status} to ${Cls.name}`, () => {
      const error = createApiError({ provider: 'maxio', status, message: 'boom' });
      assert.ok(error instanceof Cls);
      assert.ok(error instanceof BillingBridgeError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, Cls.name);
      assert.equal(error.status, status);
      assert.equal(error.retryable, retryable);
    });
  }

  const byCode: [number, string, ApiErrorClass][] = [
    [400, 'api_request_limit_exceeded', RateLimitError],
    [401, 'api_authentication_failed', AuthenticationError],
    [403, 'api_authorization_failed', PermissionError],
    [404, 'resource_not_found', NotFoundError],
    [400, 'duplicate_entry', ConflictError],
    [409, 'idempotency_key_reused', IdempotencyError],
    [400, 'INVALID_SESSION_ID', AuthenticationError],
    [403, 'REQUEST_LIMIT_EXCEEDED', RateLimitError],
    [400, 'UNABLE_TO_LOCK_ROW', ConflictError],
    [503, 'site_not_ready', ApiServerError],
  ];
  for (const [status, code, Cls] of byCode) {
    it(`maps code ${code} (HTTP ${status}) to ${Cls.name}`, () => {
      const error = createApiError({ provider: 'chargebee', status, code, message: 'x' });
      assert.ok(error instanceof Cls, `${error.name} is not ${Cls.name}`);
      assert.equal(error.code, code, 'the provider code is kept verbatim');
    });
  }

  it('IdempotencyError is a ConflictError', () => {
    const error = createApiError({ status: 409, code: 'idempotency_key_in_use' });
    assert.ok(error instanceof IdempotencyError);
    assert.ok(error instanceof ConflictError);
  });

  it('keeps provider, code, message, param, request id and Retry-After', () => {
    const error = createApiError({
      provider: 'chargebee',
      status: 400,
      code: 'param_wrong_value',
      message: 'customer[email] : invalid email',
      param: 'customer[email]',
      headers: { 'X-Request-Id': 'req-42', 'retry-after': '7' },
    });
    assert.equal(error.provider, 'chargebee');
    assert.equal(error.message, 'customer[email] : invalid email');
    assert.equal(error.param, 'customer[email]');
    assert.equal(error.requestId, 'req-42');
    assert.equal(error.retryAfterMs, 7000);
    assert.deepEqual(JSON.parse(JSON.stringify(error)), {
      name: 'InvalidRequestError',
      message: 'customer[email] : invalid email',
      provider: 'chargebee',
      status: 400,
      code: 'param_wrong_value',
      requestId: 'req-42',
      param: 'customer[email]',
      retryable: false,
      retryAfterMs: 7000,
    });
  });

  it('an explicit requestId wins over headers', () => {
    const error = createApiError({ status: 500, requestId: 'a', headers: { 'x-request-id': 'b' } });
    assert.equal(error.requestId, 'a');
  });

  it('gives a readable message when the provider sent none', () => {
    const error = createApiError({ provider: 'maxio', status: 502 });
    assert.equal(error.message, 'maxio request failed with HTTP 502');
  });

  it('transient lock codes are retryable', () => {
    assert.equal(createApiError({ status: 400, code: 'UNABLE_TO_LOCK_ROW' }).retryable, true);
    assert.equal(createApiError({ status: 409, code: 'duplicate_entry' }).retryable, false);
  });

  it('no status means a transport failure', () => {
    assert.ok(createApiError({ message: 'ECONNRESET' }) instanceof ConnectionError);
  });

  it('never puts a secret in the message', () => {
    const secrets = ['live_Abcdefghijklmnop1234', 'hunter2hunter2', 'dGVzdDp4eHh4eA=='];
    const error = createApiError({
      provider: 'maxio',
      status: 401,
      message: `bad key live_Abcdefghijklmnop1234 for https://key123:x@acme.chargify.com; password=hunter2hunter2; Authorization: Basic dGVzdDp4eHh4eA==`,
    });
    for (const secret of secrets) assert.ok(!error.message.includes(secret), error.message);
    assert.ok(!error.message.includes('key123'), error.message);
    assert.match(error.message, /\[REDACTED\]/);
    const direct = new AuthenticationError('token=abcdef123456');
    assert.equal(direct.message, 'token=[REDACTED]');
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const cases: [string | undefined, number | undefined][] = [
    ['3', 3000],
    ['0', 0],
    [' 120 ', 120_000],
    ['1.5', 1500],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [value, expected] of cases) {
    it(`${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(parseRetryAfter(value, now), expected);
    });
  }
});

describe('redact', () => {
  const cases: [string, string[]][] = [
    ['Authorization: Basic YWJjOng=', ['YWJjOng=']],
    ['Bearer eyJhbGciOi.payload.sig', ['eyJhbGciOi']],
    ['https://apikey:x@acme.chargify.com/customers.json', ['apikey']],
    ['GET /x?api_key=s3cr3t&page=2', ['s3cr3t']],
    ['{"password":"p@ss w0rd","user":"bob"}', ['p@ss w0rd']],
    ["{ apiKey: 'k-123456' }", ['k-123456']],
    ['client_secret=abc123&grant_type=x', ['abc123']],
    ['CHARGEBEE_API_KEY=test_1234567890abcdefXYZ', ['test_1234567890abcdefXYZ']],
    ['webhookSecret: shh-very-secret', ['shh-very-secret']],
  ];
  for (const [text, secrets] of cases) {
    it(`masks ${JSON.stringify(text)}`, () => {
      const out = redact(text);
      for (const secret of secrets) assert.ok(!out.includes(secret), out);
      assert.match(out, /\[REDACTED\]/);
    });
  }

  it('leaves ordinary text alone', () => {
    const text = 'GET /subscriptions.json?page=2&per_page=200 → 200 in 12 ms (user bob)';
    assert.equal(redact(text), text);
  });

  it('redactHeaders masks credential headers only', () => {
    assert.deepEqual(
      redactHeaders({
        authorization: 'Basic abc',
        Cookie: 'sid=1',
        'x-chargify-webhook-signature-hmac-sha-256': 'deadbeef',
        'content-type': 'application/json',
        'x-request-id': 'r1',
      }),
      {
        authorization: '[REDACTED]',
        Cookie: '[REDACTED]',
        'x-chargify-webhook-signature-hmac-sha-256': '[REDACTED]',
        'content-type': 'application/json',
        'x-request-id': 'r1',
      },
    );
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiServerError,
  AuthenticationError,
  BillingBridgeError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
  createApiError,
} from '../../src/errors.ts';
import { FetchHttpClient } from '../../src/http/fetch-client.ts';
import {
  backoffDelayMs,
  isIdempotentRequest,
  requestWithRetry,
  shouldRetry,
} from '../../src/http/retry.ts';
import type { RetryEvent, RetryPolicy } from '../../src/http/retry.ts';
import type { HttpMethod, HttpRequest, HttpResponse } from '../../src/http/types.ts';
import { closedPort, reply, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

const policy: RetryPolicy = { maxRetries: 3, initialDelayMs: 100, maxDelayMs: 1000 };
const toError = (response: HttpResponse): BillingBridgeError =>
  createApiError({
    provider: 'maxio',
    status: response.status,
    message: response.body,
    headers: response.headers,
  });

describe('retry decision table', () => {
  // status (0 = connection failure) × method × idempotency key → retry?
  const rows: [number, HttpMethod, boolean, boolean][] = [
    [429, 'GET', false, true],
    [429, 'POST', false, true],
    [429, 'POST', true, true],
    [500, 'GET', false, true],
    [502, 'DELETE', false, true],
    [503, 'PUT', false, true],
    [500, 'POST', false, false],
    [503, 'PATCH', false, false],
    [500, 'POST', true, true],
    [503, 'PATCH', true, true],
    [0, 'GET', false, true],
    [0, 'POST', false, false],
    [0, 'POST', true, true],
    [400, 'GET', false, false],
    [401, 'GET', false, false],
    [403, 'GET', false, false],
    [404, 'GET', false, false],
    [409, 'POST', true, false],
    [422, 'POST', true, false],
  ];
  for (const [status, method, keyed, expected] of rows) {
    it(`${status || 'connection error'} ${method}${keyed ? ' with idempotency key' : ''} → ${expected ? 'retry' : 'no retry'}`, () => {
      const headers: Record<string, string> = keyed ? { 'Idempotency-Key': 'k1' } : {};
      const idempotent = isIdempotentRequest({ method, headers });
      const error =
        status === 0 ? new ConnectionError('ECONNRESET') : createApiError({ status, message: 'x' });
      assert.equal(shouldRetry(error, idempotent), expected);
    });
  }

  it('chargebee-idempotency-key makes a POST idempotent', () => {
    assert.equal(
      isIdempotentRequest({ method: 'POST', headers: { 'chargebee-idempotency-key': 'x' } }),
      true,
    );
    assert.equal(isIdempotentRequest({ method: 'POST', headers: {} }), false);
  });

  it('non-bridge errors are never retried', () => {
    assert.equal(shouldRetry(new TypeError('bug'), true), false);
  });

  it('a retryable lock error is retried only when idempotent', () => {
    const error = createApiError({ status: 400, code: 'UNABLE_TO_LOCK_ROW' });
    assert.equal(shouldRetry(error, true), true);
    assert.equal(shouldRetry(error, false), false);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the initial delay and stops at the cap (random = 1)', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, policy, () => 1));
    assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
  });

  it('jitter keeps at least half the base (random = 0)', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 0));
    assert.deepEqual(delays, [50, 100, 200, 400, 500]);
  });

  it('stays within [base/2, base] for any random value', () => {
    for (let n = 1; n <= 8; n++) {
      const base = Math.min(100 * 2 ** (n - 1), 1000);
      for (const r of [0, 0.25, 0.5, 0.99, 1]) {
        const d = backoffDelayMs(n, policy, () => r);
        assert.ok(d >= base / 2 && d <= base, `attempt ${n} r ${r}: ${d}`);
      }
    }
  });

  it('waits at least Retry-After', () => {
    assert.equal(
      backoffDelayMs(1, policy, () => 1, 3000),
      3000,
    );
    assert.equal(
      backoffDelayMs(4, policy, () => 1, 10),
      800,
    );
  });
});

describe('requestWithRetry against a real server', () => {
  let server: TestServer;
  let script: ((index: number) => [number, Record<string, string>?]) | null = null;
  const client = new FetchHttpClient({ defaultTimeoutMs: 2000 });

  before(async () => {
    server = await startServer((_req, res, index) => {
      const [status, headers] = script ? script(index) : [200];
      reply(res, status, { index }, headers ?? {});
    });
  });
  after(() => server.close());

  const run = async (
    request: Partial<HttpRequest>,
    steps: [number, Record<string, string>?][],
    extra: { idempotent?: boolean; policy?: RetryPolicy } = {},
  ) => {
    server.requests.length = 0;
    script = (index) => steps[Math.min(index, steps.length - 1)] ?? [200];
    const slept: number[] = [];
    const retries: RetryEvent[] = [];
    const promise = requestWithRetry(
      client,
      { method: 'GET', url: `${server.url}/things`, headers: {}, ...request },
      {
        policy: extra.policy ?? policy,
        ...(extra.idempotent === undefined ? {} : { idempotent: extra.idempotent }),
        toError,
        random: () => 1,
        sleep: async (ms) => {
          slept.push(ms);
        },
        onRetry: (event) => retries.push(event),
      },
    );
    return { promise, slept, retries };
  };

  it('retries 429 honouring Retry-After seconds, then succeeds', async () => {
    const { promise, slept, retries } = await run({}, [[429, { 'retry-after': '2' }], [200]]);
    const response = await promise;
    assert.equal(response.status, 200);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(slept, [2000]);
    assert.ok(retries[0]?.error instanceof RateLimitError);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const date = new Date(Date.now() + 5000).toUTCString();
    const { promise, slept } = await run({}, [[429, { 'retry-after': date }], [200]]);
    await promise;
    assert.equal(slept.length, 1);
    assert.ok((slept[0] ?? 0) > 3000 && (slept[0] ?? 0) <= 5000, `slept ${slept[0]}`);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs', async () => {
    const { promise } = await run({}, [[429, { 'retry-after': '3600' }], [200]], {
      policy: { ...policy, maxRetryAfterMs: 60_000 },
    });
    await assert.rejects(promise, RateLimitError);
    assert.equal(server.requests.length, 1);
  });

  it('retries a 5xx GET with growing delays, then gives up with the last error', async () => {
    const { promise, slept } = await run({}, [[503], [502], [500], [500], [200]]);
    await assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof ApiServerError);
      assert.equal(error.status, 500);
      return true;
    });
    assert.equal(server.requests.length, 4, '1 attempt + 3 retries');
    assert.deepEqual(slept, [100, 200, 400]);
  });

  it('does not retry a 5xx POST without an idempotency key', async () => {
    const { promise } = await run({ method: 'POST', body: '{}' }, [[500], [200]]);
    await assert.rejects(promise, ApiServerError);
    assert.equal(server.requests.length, 1);
  });

  it('retries a 5xx POST that carries an idempotency key, sending the same key', async () => {
    const { promise } = await run(
      { method: 'POST', body: '{"a":1}', headers: { 'chargebee-idempotency-key': 'opp-1' } },
      [[500], [200]],
    );
    assert.equal((await promise).status, 200);
    assert.equal(server.requests.length, 2);
    for (const r of server.requests) {
      assert.equal(r.headers['chargebee-idempotency-key'], 'opp-1');
      assert.equal(r.body, '{"a":1}');
    }
  });

  it('idempotent: true covers body-level keys (Maxio uniqueness_token)', async () => {
    const { promise } = await run({ method: 'POST', body: '{}' }, [[503], [201]], {
      idempotent: true,
    });
    assert.equal((await promise).status, 201);
    assert.equal(server.requests.length, 2);
  });

  for (const [status, Cls] of [
    [401, AuthenticationError],
    [404, NotFoundError],
    [422, InvalidRequestError],
  ] as const) {
    it(`does not retry ${status}`, async () => {
      const { promise } = await run({}, [[status], [200]]);
      await assert.rejects(promise, Cls);
      assert.equal(server.requests.length, 1);
    });
  }

  it('retries connection failures on GET and reports ConnectionError at the end', async () => {
    const port = await closedPort();
    const slept: number[] = [];
    await assert.rejects(
      requestWithRetry(
        client,
        { method: 'GET', url: `http://127.0.0.1:${port}/x`, headers: {} },
        {
          policy: { maxRetries: 2, initialDelayMs: 1, maxDelayMs: 1 },
          toError,
          sleep: async (ms) => {
            slept.push(ms);
          },
        },
      ),
      ConnectionError,
    );
    assert.equal(slept.length, 2);
  });
});

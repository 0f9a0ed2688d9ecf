import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionError } from '../../src/errors.ts';
import { FetchHttpClient, safeUrl } from '../../src/http/fetch-client.ts';
import { closedPort, reply, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

describe('FetchHttpClient', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer(async (req, res) => {
      if (req.url === '/slow') {
        await new Promise((r) => setTimeout(r, 500));
        reply(res, 200, {});
        return;
      }
      if (req.url === '/redirect') {
        reply(res, 302, '', { location: '/elsewhere' });
        return;
      }
      const status = Number(/status=(\d+)/.exec(req.url)?.[1] ?? 200);
      reply(res, status, { method: req.method, body: req.body }, { 'X-Request-Id': 'abc' });
    });
  });
  after(() => server.close());

  it('sends method, headers and body; returns status, lower-cased headers and text body', async () => {
    const client = new FetchHttpClient({ defaultHeaders: { 'user-agent': 'billing-bridge-test' } });
    const response = await client.request({
      method: 'POST',
      url: `${server.url}/echo`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic eDp4' },
      body: 'customer[id]=c1',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-request-id'], 'abc');
    assert.deepEqual(JSON.parse(response.body), { method: 'POST', body: 'customer[id]=c1' });
    const received = server.requests.at(-1);
    assert.equal(received?.headers['user-agent'], 'billing-bridge-test');
    assert.equal(received?.headers['authorization'], 'Basic eDp4');
    assert.equal(received?.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  it('resolves (does not throw) for error statuses', async () => {
    const response = await new FetchHttpClient().request({
      method: 'GET',
      url: `${server.url}/x?status=503`,
      headers: {},
    });
    assert.equal(response.status, 503);
  });

  it('does not follow redirects', async () => {
    const response = await new FetchHttpClient().request({
      method: 'GET',
      url: `${server.url}/redirect`,
      headers: {},
    });
    assert.equal(response.status, 302);
    assert.equal(response.headers['location'], '/elsewhere');
  });

  it('times out with ConnectionError code "timeout"', async () => {
    const started = Date.now();
    await assert.rejects(
      new FetchHttpClient().request({
        method: 'GET',
        url: `${server.url}/slow`,
        headers: {},
        timeoutMs: 100,
      }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionError);
        assert.equal(error.code, 'timeout');
        assert.equal(error.retryable, true);
        return true;
      },
    );
    assert.ok(Date.now() - started < 450);
  });

  it('a refused connection is a ConnectionError without the credentials of the URL', async () => {
    const port = await closedPort();
    await assert.rejects(
      new FetchHttpClient().request({
        method: 'GET',
        url: `http://topsecretkey:x@127.0.0.1:${port}/customers.json?api_key=abc123`,
        headers: {},
      }),
      (error: unknown) => {
        assert.ok(error instanceof ConnectionError);
        assert.equal(error.code, 'ECONNREFUSED');
        assert.ok(!error.message.includes('topsecretkey'), error.message);
        assert.ok(!error.message.includes('abc123'), error.message);
        return true;
      },
    );
  });

  it('safeUrl strips userinfo and secret query values', () => {
    assert.equal(
      safeUrl('https://k:x@acme.chargify.com/a.json?page=2&api_key=zz'),
      'https://acme.chargify.com/a.json?page=2&api_key=[REDACTED]',
    );
  });
});

describe('FetchHttpClient userinfo', () => {
  it('turns URL credentials into a Basic Authorization header', async () => {
    const server = await startServer((_req, res) => reply(res, 200, {}));
    try {
      const url = new URL(server.url);
      await new FetchHttpClient().request({
        method: 'GET',
        url: `http://key%3A1:x@${url.host}/customers.json`,
        headers: {},
      });
      const auth = server.requests[0]?.headers['authorization'];
      assert.equal(auth, `Basic ${Buffer.from('key:1:x').toString('base64')}`);
    } finally {
      await server.close();
    }
  });
});

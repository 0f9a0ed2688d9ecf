import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { FaultInjector } from '../../../stand-ins/common/faults.ts';
import { FetchHttpClient } from '../../src/http/fetch-client.ts';
import { ConnectionError } from '../../src/errors.ts';

describe('FaultInjector on a fastify server', () => {
  let app: FastifyInstance;
  let url: string;
  const faults = new FaultInjector();
  const client = new FetchHttpClient({ defaultTimeoutMs: 3000 });
  const get = (path: string, method: 'GET' | 'POST' = 'GET') =>
    client.request({
      method,
      url: `${url}${path}`,
      headers: {},
      ...(method === 'POST' ? { body: '' } : {}),
    });

  before(async () => {
    app = Fastify();
    faults.fastifyHook(app);
    app.get('/customers.json', async () => ({ ok: true }));
    app.get('/subscriptions.json', async () => ({ ok: 'subs' }));
    app.post('/subscriptions.json', async () => ({ created: true }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => app.close());
  beforeEach(() => faults.reset());

  it('passes requests through when no rule matches', async () => {
    faults.add({ match: { path: '/other' }, action: { type: 'status', status: 500 } });
    const response = await get('/customers.json');
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.body), { ok: true });
    assert.equal(faults.applied.length, 0);
  });

  it('answers a status with Retry-After, `times` times, then lets requests through', async () => {
    const id = faults.add({
      match: { method: 'GET', path: '/customers.json' },
      times: 2,
      action: { type: 'status', status: 429, retryAfterSeconds: 3 },
    });
    const first = await get('/customers.json?page=2');
    assert.equal(first.status, 429);
    assert.equal(first.headers['retry-after'], '3');
    assert.equal((await get('/customers.json')).status, 429);
    assert.equal(faults.hits(id), 0, 'an exhausted rule is removed');
    assert.equal(faults.size, 0);
    assert.equal((await get('/customers.json')).status, 200);
    assert.equal(faults.applied.length, 2);
    assert.deepEqual(
      faults.applied.map((a) => [a.method, a.path, a.action]),
      [
        ['GET', '/customers.json', 'status'],
        ['GET', '/customers.json', 'status'],
      ],
    );
  });

  it('uses the given body, or the vendor default body', async () => {
    const vendor = new FaultInjector({
      defaultBody: (status) => ({ errors: [`vendor ${status}`] }),
    });
    assert.equal(vendor.size, 0);
    faults.add({ times: 1, action: { type: 'status', status: 503, body: { message: 'down' } } });
    const response = await get('/customers.json');
    assert.equal(response.status, 503);
    assert.deepEqual(JSON.parse(response.body), { message: 'down' });
  });

  it('matches on method, exact path, prefix and RegExp', async () => {
    faults.add({ match: { method: 'POST' }, action: { type: 'status', status: 500 } });
    assert.equal((await get('/subscriptions.json')).status, 200);
    assert.equal((await get('/subscriptions.json', 'POST')).status, 500);
    faults.clear();
    faults.add({ match: { path: '/subs*' }, times: 1, action: { type: 'status', status: 502 } });
    assert.equal((await get('/subscriptions.json')).status, 502);
    faults.add({ match: { path: /^\/cust/ }, times: 1, action: { type: 'status', status: 504 } });
    assert.equal((await get('/subscriptions.json')).status, 200);
    assert.equal((await get('/customers.json')).status, 504);
  });

  it('delays a response', async () => {
    faults.add({ times: 1, action: { type: 'delay', ms: 250 } });
    const started = Date.now();
    const response = await get('/customers.json');
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 240, `took ${Date.now() - started} ms`);
  });

  it('drop destroys the socket: the client sees a connection error, not a response', async () => {
    faults.add({ times: 1, action: { type: 'drop' } });
    await assert.rejects(get('/customers.json'), ConnectionError);
    assert.equal((await get('/customers.json')).status, 200, 'the server keeps serving');
  });

  it('dropResponse runs the route, then cuts the connection instead of answering', async () => {
    let created = 0;
    const local = Fastify();
    const injector = new FaultInjector();
    injector.fastifyHook(local);
    local.post('/subscriptions.json', async () => {
      created++;
      return { created };
    });
    const localUrl = await local.listen({ port: 0, host: '127.0.0.1' });
    try {
      injector.add({ match: { method: 'POST' }, times: 1, action: { type: 'dropResponse' } });
      const post = () =>
        client.request({
          method: 'POST',
          url: `${localUrl}/subscriptions.json`,
          headers: {},
          body: '',
        });
      await assert.rejects(post(), ConnectionError);
      assert.equal(created, 1, 'the write happened');
      const response = await post();
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(response.body), { created: 2 });
    } finally {
      await local.close();
    }
  });

  it('the first matching rule with uses left wins', async () => {
    faults.add({ times: 1, action: { type: 'status', status: 500 } });
    faults.add({ times: 1, action: { type: 'status', status: 502 } });
    assert.equal((await get('/customers.json')).status, 500);
    assert.equal((await get('/customers.json')).status, 502);
    assert.equal((await get('/customers.json')).status, 200);
  });

  it('remove() deletes a rule; invalid times are refused', async () => {
    const id = faults.add({ action: { type: 'status', status: 500 } });
    assert.equal(faults.remove(id), true);
    assert.equal(faults.remove(id), false);
    assert.equal((await get('/customers.json')).status, 200);
    assert.throws(() => faults.add({ times: 0, action: { type: 'drop' } }), RangeError);
  });
});

import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookEmitter } from '../../../stand-ins/common/webhooks.ts';
import { basicAuthHeader, hmacSha256Hex } from '../../../stand-ins/common/auth.ts';
import { createRng } from '../../../stand-ins/common/prng.ts';
import { closedPort, reply, startServer } from './helpers.ts';
import type { TestServer } from './helpers.ts';

describe('WebhookEmitter', () => {
  let server: TestServer;
  /** Status to answer for the n-th request overall. */
  let statuses: number[] = [];
  const emitters: WebhookEmitter[] = [];
  const make = (overrides: Partial<ConstructorParameters<typeof WebhookEmitter>[0]> = {}) => {
    const emitter = new WebhookEmitter({
      url: `${server.url}/webhooks/maxio:acme`,
      schedule: [20, 40, 80],
      contentType: 'application/x-www-form-urlencoded',
      sign: (body) => ({ 'x-chargify-webhook-signature-hmac-sha-256': hmacSha256Hex('123', body) }),
      ...overrides,
    });
    emitters.push(emitter);
    return emitter;
  };

  before(async () => {
    server = await startServer((_req, res, index) =>
      reply(res, statuses[index] ?? 200, { ok: true }),
    );
  });
  afterEach(async () => {
    await Promise.all(emitters.splice(0).map((e) => e.close()));
    server.requests.length = 0;
    statuses = [];
  });
  after(() => server.close());

  it('delivers the raw body with content type and signature (design.md test vector)', async () => {
    const emitter = make();
    const body = 'payload[chargify]=testing&event=test';
    const delivery = await emitter.emit(body);
    assert.equal(delivery.state, 'delivered');
    assert.equal(delivery.attempts.length, 1);
    const received = server.requests[0];
    assert.equal(received?.method, 'POST');
    assert.equal(received?.url, '/webhooks/maxio:acme');
    assert.equal(received?.body, body);
    assert.equal(received?.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(
      received?.headers['x-chargify-webhook-signature-hmac-sha-256'],
      '19826d51b9f866b26eda1f154de192593360f8d0bcb63df8a28540a5dcf733f1',
    );
  });

  it('retries non-2xx answers on the schedule, same body and headers each time', async () => {
    statuses = [500, 503, 200];
    const emitter = make();
    const delivery = await emitter.emit('event=a');
    assert.equal(delivery.state, 'delivered');
    assert.deepEqual(
      delivery.attempts.map((a) => a.status),
      [500, 503, 200],
    );
    assert.equal(server.requests.length, 3);
    const gaps = server.requests.slice(1).map((r, i) => r.at - (server.requests[i]?.at ?? 0));
    assert.ok((gaps[0] ?? 0) >= 15, `first gap ${gaps[0]}`);
    assert.ok((gaps[1] ?? 0) >= 35, `second gap ${gaps[1]}`);
    assert.ok(server.requests.every((r) => r.body === 'event=a'));
    assert.equal(
      new Set(server.requests.map((r) => r.headers['x-chargify-webhook-signature-hmac-sha-256']))
        .size,
      1,
    );
  });

  it('gives up after 1 + schedule.length attempts', async () => {
    statuses = [500, 500, 500, 500, 500];
    const emitter = make();
    const delivery = await emitter.emit('event=b');
    assert.equal(delivery.state, 'failed');
    assert.equal(delivery.attempts.length, 4);
    assert.equal(server.requests.length, 4);
  });

  it('records transport failures and retries them', async () => {
    const port = await closedPort();
    const emitter = make({ url: `http://127.0.0.1:${port}/x`, schedule: [5] });
    const delivery = await emitter.emit('{}');
    assert.equal(delivery.state, 'failed');
    assert.equal(delivery.attempts.length, 2);
    assert.ok(delivery.attempts.every((a) => !a.ok && a.error));
  });

  it('duplicateNext delivers the same webhook twice', async () => {
    const emitter = make({
      contentType: 'application/json',
      sign: () => ({ authorization: basicAuthHeader('u', 'p') }),
    });
    emitter.duplicateNext(1);
    await emitter.emit('{"id":"ev_1"}');
    await emitter.emit('{"id":"ev_2"}');
    await emitter.idle();
    assert.deepEqual(server.requests.map((r) => r.body).sort(), [
      '{"id":"ev_1"}',
      '{"id":"ev_1"}',
      '{"id":"ev_2"}',
    ]);
    assert.equal(emitter.deliveries.filter((d) => d.duplicateOf !== null).length, 1);
    assert.ok(
      server.requests.every((r) => r.headers['authorization'] === basicAuthHeader('u', 'p')),
    );
  });

  it('duplicateRate with a seeded rng duplicates deterministically', async () => {
    const run = async () => {
      const emitter = make({ rng: createRng(7), duplicateRate: 0.5, schedule: [] });
      for (let i = 0; i < 10; i++) await emitter.emit(`n=${i}`);
      await emitter.idle();
      return emitter.deliveries.filter((d) => d.duplicateOf !== null).map((d) => d.body);
    };
    const a = await run();
    const b = await run();
    assert.deepEqual(a, b);
    assert.ok(a.length > 0 && a.length < 10, `duplicated ${a.length}`);
  });

  it('hold + release("reverse") delivers out of order', async () => {
    const emitter = make();
    emitter.hold();
    const promises = [1, 2, 3, 4].map((n) => emitter.emit(`seq=${n}`));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(server.requests.length, 0, 'nothing sent while held');
    assert.equal(emitter.heldCount, 4);
    await emitter.release('reverse');
    await Promise.all(promises);
    assert.deepEqual(
      server.requests.map((r) => r.body),
      ['seq=4', 'seq=3', 'seq=2', 'seq=1'],
    );
  });

  it('release("shuffle") is seeded', async () => {
    const order = async () => {
      server.requests.length = 0;
      const emitter = make({ rng: createRng(3) });
      emitter.hold();
      const all = [1, 2, 3, 4, 5, 6].map((n) => emitter.emit(`s=${n}`));
      await emitter.release('shuffle');
      await Promise.all(all);
      return server.requests.map((r) => r.body);
    };
    const a = await order();
    const b = await order();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, ['s=1', 's=2', 's=3', 's=4', 's=5', 's=6']);
  });

  it('close() cancels pending retries and held deliveries; emit after close throws', async () => {
    statuses = [500, 500, 500, 500];
    const emitter = make({ schedule: [10_000] });
    const pending = emitter.emit('x=1');
    emitter.hold();
    const held = emitter.emit('x=2');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await emitter.close();
    assert.ok(Date.now() - started < 1000, 'close does not wait for the retry timer');
    assert.equal((await pending).state, 'cancelled');
    assert.equal((await held).state, 'cancelled');
    assert.throws(() => emitter.emit('x=3'), /closed/);
  });
});

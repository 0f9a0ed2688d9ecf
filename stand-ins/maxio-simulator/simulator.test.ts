/**
 * The Maxio simulator on its own, over real HTTP: auth, the 4-request limit, pagination and
 * wrappers, errors, previews that add up, idempotent signup, the event feed, signed form-encoded
 * webhooks with retries, and data volume.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import Fastify from 'fastify';
import { basicAuthHeader, hmacSha256Hex } from '../common/auth.ts';
import { startMaxioSimulator } from './index.ts';
import type { MaxioSimulator } from './index.ts';
import { signatureOf } from './webhooks.ts';

type Json = Record<string, unknown>;
const AUTH = basicAuthHeader('sim-test-key', 'x');

async function call(
  sim: { url: string },
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = AUTH,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (auth) headers.authorization = auth;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : null,
  };
}

describe('Maxio simulator: HTTP surface', () => {
  let sim: MaxioSimulator;
  before(async () => {
    sim = await startMaxioSimulator({ seed: 5, site: 'simtest', scale: 10 });
  });
  after(async () => {
    await sim.close();
  });

  it('refuses a missing or empty key with 401 and Maxio’s errors body', async () => {
    const missing = await call(sim, 'GET', '/customers.json', undefined, null);
    assert.equal(missing.status, 401);
    assert.ok(Array.isArray((missing.body as Json).errors));
    const empty = await call(sim, 'GET', '/customers.json', undefined, basicAuthHeader('', 'x'));
    assert.equal(empty.status, 401);
  });

  it('lists wrapped records, page by page, at most 200 per page', async () => {
    const first = (await call(sim, 'GET', '/customers.json?per_page=5&page=1')).body as Json[];
    const second = (await call(sim, 'GET', '/customers.json?per_page=5&page=2')).body as Json[];
    assert.equal(first.length, 5);
    assert.ok(first.every((row) => typeof (row.customer as Json).id === 'number'));
    const ids = (rows: Json[]) => rows.map((r) => (r.customer as Json).id);
    assert.deepEqual(
      ids(first).filter((id) => ids(second).includes(id)),
      [],
      'pages overlap',
    );
    const huge = (await call(sim, 'GET', '/customers.json?per_page=5000')).body as Json[];
    assert.equal(huge.length, 200, 'per_page above 200 is clamped');
    const beyond = (await call(sim, 'GET', '/customers.json?page=9999')).body as Json[];
    assert.deepEqual(beyond, []);
    const desc = (await call(sim, 'GET', '/customers.json?per_page=3&direction=desc'))
      .body as Json[];
    const all = sim.data.customers;
    assert.deepEqual(
      ids(desc),
      all
        .slice(-3)
        .reverse()
        .map((c) => c.id),
    );
  });

  it('wraps invoice lists as {invoices:[…]} and answers a single invoice unwrapped', async () => {
    const list = (await call(sim, 'GET', '/invoices.json?per_page=2')).body as {
      invoices: Json[];
    };
    assert.equal(list.invoices.length, 2);
    const uid = list.invoices[0]?.uid as string;
    assert.match(uid, /^inv_/);
    const one = (await call(sim, 'GET', `/invoices/${uid}.json`)).body as Json;
    assert.equal(one.uid, uid);
    assert.equal(typeof one.total_amount, 'string', 'invoice amounts are decimal strings');
  });

  it('answers unknown ids with 404 and invalid updates with 422, both as {errors:[…]}', async () => {
    const missing = await call(sim, 'GET', '/customers/999999999.json');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { errors: ['Not Found'] });
    const id = sim.data.customers[0]?.id as number;
    const bad = await call(sim, 'PUT', `/customers/${id}.json`, {
      customer: { email: 'not an email', colour: 'blue' },
    });
    assert.equal(bad.status, 422);
    const errors = (bad.body as { errors: string[] }).errors;
    assert.ok(errors.some((e) => /Email address/.test(e)));
    assert.ok(errors.some((e) => /Unknown attribute: colour/.test(e)));
  });

  it('uses the site offset in timestamps', () => {
    const customer = sim.data.customers[0] as Json;
    assert.match(String(customer.created_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-05:00$/);
  });

  it('seeds subscriptions in every state and customers in a hierarchy', () => {
    const states = new Set(sim.data.subscriptions.map((s) => s.state));
    for (const state of ['active', 'trialing', 'past_due', 'canceled', 'expired', 'on_hold']) {
      assert.ok(states.has(state), `no ${state} subscription`);
    }
    const ids = new Set(sim.data.customers.map((c) => c.id));
    const children = sim.data.customers.filter((c) => c.parent_id !== null);
    assert.ok(children.length > 0, 'no child customers');
    assert.ok(children.every((c) => ids.has(c.parent_id)));
    const schemes = new Set(sim.data.componentPricePoints.map((p) => p.pricing_scheme));
    for (const scheme of ['per_unit', 'tiered', 'volume', 'stairstep']) {
      assert.ok(schemes.has(scheme), `no ${scheme} component price point`);
    }
  });

  it('previews a subscription: manifests whose line items add up, nothing created', async () => {
    const plan = sim.data.productPricePoints.find(
      (pp) => pp.trial_interval === null && Number(pp.price_in_cents) > 0,
    ) as Json;
    const component = sim.data.components.find((c) => c.kind === 'quantity_based_component');
    const coupon = sim.data.coupons.find((c) => c.percentage !== null && !c.archived_at) as Json;
    const customer = sim.data.customers.find((c) => !c.tax_exempt) as Json;
    const eventsBefore = sim.data.events.length;
    const subsBefore = sim.data.subscriptions.length;
    const result = await call(sim, 'POST', '/subscriptions/preview.json', {
      subscription: {
        product_id: plan.product_id,
        product_price_point_id: plan.id,
        customer_id: customer.id,
        coupon_codes: [coupon.code],
        components: component ? [{ component_id: component.id, allocated_quantity: 3 }] : [],
      },
    });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const preview = (result.body as Json).subscription_preview as Json;
    for (const name of ['current_billing_manifest', 'next_billing_manifest']) {
      const m = preview[name] as Json;
      const items = m.line_items as Json[];
      const sum = (kinds: string[]) =>
        items
          .filter((l) => kinds.includes(String(l.kind)))
          .reduce((a, l) => a + Number(l.amount_in_cents), 0);
      const charges = sum(['baseline', 'initial', 'trial', 'component']);
      assert.equal(m.subtotal_in_cents, charges, `${name} subtotal`);
      assert.equal(0 - sum(['coupon']), m.total_discount_in_cents, `${name} discount`);
      assert.equal(sum(['tax']), m.total_tax_in_cents, `${name} tax`);
      assert.equal(
        m.total_in_cents,
        Number(m.subtotal_in_cents) -
          Number(m.total_discount_in_cents) +
          Number(m.total_tax_in_cents),
        `${name} total`,
      );
      assert.ok(items.some((l) => l.kind === 'baseline'));
      if (component) assert.ok(items.some((l) => l.kind === 'component'));
    }
    assert.ok(
      ((preview.current_billing_manifest as Json).line_items as Json[]).some(
        (l) => l.kind === 'coupon',
      ),
    );
    assert.equal(sim.data.events.length, eventsBefore, 'a preview recorded an event');
    assert.equal(sim.data.subscriptions.length, subsBefore, 'a preview created a subscription');
  });

  it('refuses a preview of an unknown product with 422', async () => {
    const result = await call(sim, 'POST', '/subscriptions/preview.json', {
      subscription: { product_id: 424242, customer_id: sim.data.customers[0]?.id },
    });
    assert.equal(result.status, 422);
    assert.ok((result.body as { errors: string[] }).errors.length > 0);
  });

  it('a signup replayed with its uniqueness_token returns the first subscription', async () => {
    const plan = sim.data.productPricePoints[0] as Json;
    const customer = sim.data.customers[1] as Json;
    const body = {
      subscription: {
        product_id: plan.product_id,
        product_price_point_id: plan.id,
        customer_id: customer.id,
        uniqueness_token: 'token-replay-1',
      },
    };
    const before = sim.data.subscriptions.length;
    const first = await call(sim, 'POST', '/subscriptions.json', body);
    const replay = await call(sim, 'POST', '/subscriptions.json', body);
    assert.equal(first.status, 201);
    assert.equal(replay.status, 200);
    const id = ((first.body as Json).subscription as Json).id;
    assert.equal(((replay.body as Json).subscription as Json).id, id);
    assert.equal(sim.data.subscriptions.length, before + 1);
    const concurrent = await Promise.all(
      [1, 2, 3].map(() =>
        call(sim, 'POST', '/subscriptions.json', {
          ...body,
          subscription: { ...body.subscription, uniqueness_token: 'token-concurrent' },
        }),
      ),
    );
    const ids = new Set(
      concurrent.map((r) => ((r.body as Json).subscription as Json | undefined)?.id),
    );
    assert.equal(ids.size, 1, `concurrent replays made ${ids.size} subscriptions`);
  });

  it('a taken subscription reference is 422; lookup finds the subscription by it', async () => {
    const plan = sim.data.productPricePoints[0] as Json;
    const body = {
      subscription: {
        product_id: plan.product_id,
        customer_id: sim.data.customers[2]?.id,
        reference: 'ref-unique-1',
      },
    };
    const first = await call(sim, 'POST', '/subscriptions.json', body);
    assert.equal(first.status, 201);
    const again = await call(sim, 'POST', '/subscriptions.json', body);
    assert.equal(again.status, 422);
    assert.match((again.body as { errors: string[] }).errors[0] ?? '', /Reference/);
    const found = await call(sim, 'GET', '/subscriptions/lookup.json?reference=ref-unique-1');
    assert.equal(
      ((found.body as Json).subscription as Json).id,
      ((first.body as Json).subscription as Json).id,
    );
  });

  it('reads the event feed after since_id, oldest first, or newest first with direction=desc', async () => {
    const all = sim.data.events;
    const sinceId = all[10]?.id as number;
    const page = (await call(sim, 'GET', `/events.json?since_id=${sinceId}&per_page=4`))
      .body as Json[];
    assert.deepEqual(
      page.map((r) => (r.event as Json).id),
      all.slice(11, 15).map((e) => e.id),
    );
    const desc = (await call(sim, 'GET', '/events.json?per_page=2&direction=desc')).body as Json[];
    assert.deepEqual(
      desc.map((r) => (r.event as Json).id),
      [all.at(-1)?.id, all.at(-2)?.id],
    );
  });
});

describe('Maxio simulator: at most 4 requests in flight', () => {
  it('answers the 5th concurrent request with 429 and Retry-After, then serves again', async () => {
    const sim = await startMaxioSimulator({ seed: 2 });
    const url = new URL(sim.url);
    const open: ClientRequest[] = [];
    try {
      // Four PUTs whose bodies never finish: each holds a slot until its body ends.
      const answered = [] as Promise<number>[];
      for (let i = 0; i < 4; i++) {
        const req = httpRequest({
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `/customers/${String(sim.data.customers[i]?.id)}.json`,
          headers: { authorization: AUTH, 'content-type': 'application/json' },
        });
        answered.push(
          new Promise((resolve, reject) => {
            req.on('response', (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on('error', reject);
          }),
        );
        req.write('{"customer":');
        req.flushHeaders();
        open.push(req);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const fifth = await call(sim, 'GET', '/customers.json?per_page=1');
      assert.equal(fifth.status, 429);
      assert.equal(fifth.headers.get('retry-after'), '1');
      for (const req of open) req.end('{"phone":"+1 555 0101"}}');
      assert.deepEqual(await Promise.all(answered), [200, 200, 200, 200]);
      const later = await call(sim, 'GET', '/customers.json?per_page=1');
      assert.equal(later.status, 200);
    } finally {
      for (const req of open) req.destroy();
      await sim.close();
    }
  });
});

describe('Maxio simulator: API key option', () => {
  it('accepts only the configured key', async () => {
    const sim = await startMaxioSimulator({ apiKey: 'only-this-key' });
    try {
      const wrong = await call(
        sim,
        'GET',
        '/customers.json',
        undefined,
        basicAuthHeader('other', 'x'),
      );
      assert.equal(wrong.status, 401);
      const right = await call(
        sim,
        'GET',
        '/customers.json',
        undefined,
        basicAuthHeader('only-this-key', 'x'),
      );
      assert.equal(right.status, 200);
    } finally {
      await sim.close();
    }
  });
});

describe('Maxio simulator: webhooks', () => {
  it('signs like Maxio: the design.md test vector', () => {
    assert.equal(
      signatureOf('123', 'payload[chargify]=testing&event=test'),
      '19826d51b9f866b26eda1f154de192593360f8d0bcb63df8a28540a5dcf733f1',
    );
  });

  interface Received {
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }

  async function receiver(statuses: number[]) {
    const received: Received[] = [];
    const app = Fastify();
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    app.post('/hook', async (request, reply) => {
      received.push({ headers: request.headers, body: request.body as string });
      return reply.code(statuses[received.length - 1] ?? 200).send('ok');
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: `${url}/hook`, received, close: () => app.close() };
  }

  it('a customer update through the API sends a signed, form-encoded customer_update', async () => {
    const hook = await receiver([]);
    const sim = await startMaxioSimulator({
      seed: 3,
      webhook: { url: hook.url, secret: 'shared-key-1' },
    });
    try {
      const id = sim.data.customers[0]?.id as number;
      const put = await call(sim, 'PUT', `/customers/${id}.json`, {
        customer: { organization: 'Renamed Ltd' },
      });
      assert.equal(put.status, 200);
      await sim.webhooks?.idle();
      assert.equal(hook.received.length, 1);
      const delivery = hook.received[0] as Received;
      assert.match(String(delivery.headers['content-type']), /application\/x-www-form-urlencoded/);
      assert.equal(
        delivery.headers['x-chargify-webhook-signature-hmac-sha-256'],
        hmacSha256Hex('shared-key-1', delivery.body),
      );
      const form = new URLSearchParams(delivery.body);
      assert.equal(form.get('event'), 'customer_update');
      assert.equal(form.get('payload[customer][id]'), String(id));
      assert.equal(form.get('payload[customer][organization]'), 'Renamed Ltd');
      assert.equal(form.get('id'), String(sim.data.events.at(-1)?.id));
      assert.equal(delivery.headers['x-chargify-webhook-id'], form.get('id'));
    } finally {
      await sim.close();
      await hook.close();
    }
  });

  it('retries a failed delivery, 5 attempts in all, then gives up', async () => {
    const hook = await receiver([500, 503, 200]);
    const failing = await receiver([500, 500, 500, 500, 500, 500]);
    const sim = await startMaxioSimulator({
      webhook: { url: hook.url, secret: 'k' },
      webhookSchedule: [5, 5, 5, 5],
    });
    try {
      const subscription = sim.data.subscriptions[0] as Json;
      const delivered = await sim.emitEvent('subscription_state_change', { subscription });
      assert.equal(delivered?.state, 'delivered');
      assert.equal(hook.received.length, 3);
      assert.equal(sim.data.events.at(-1)?.key, 'subscription_state_change');
      assert.equal(sim.data.events.at(-1)?.subscription_id, subscription.id);
      if (sim.webhooks) sim.webhooks.url = failing.url;
      const failed = await sim.emitEvent('renewal_failure', { subscription });
      assert.equal(failed?.state, 'failed');
      assert.equal(failing.received.length, 5);
    } finally {
      await sim.close();
      await hook.close();
      await failing.close();
    }
  });

  it('can deliver duplicates and out of order', async () => {
    const hook = await receiver([]);
    const sim = await startMaxioSimulator({ webhook: { url: hook.url, secret: 'k' } });
    try {
      const webhooks = sim.webhooks;
      assert.ok(webhooks);
      webhooks.hold();
      const subscriptions = sim.data.subscriptions.slice(0, 3);
      const pending = subscriptions.map((subscription) =>
        sim.emitEvent('subscription_updated', { subscription }),
      );
      await webhooks.release('reverse');
      await Promise.all(pending);
      const order = hook.received.map((d) =>
        new URLSearchParams(d.body).get('payload[subscription][id]'),
      );
      assert.deepEqual(order, subscriptions.map((s) => String(s.id)).reverse());
      webhooks.duplicateNext(1);
      await sim.emitEvent('subscription_updated', { subscription: subscriptions[0] as Json });
      await webhooks.idle();
      const last = hook.received.slice(-2).map((d) => new URLSearchParams(d.body).get('id'));
      assert.equal(last[0], last[1], 'the duplicate carries the same id');
    } finally {
      await sim.close();
      await hook.close();
    }
  });
});

describe('Maxio simulator: volume', () => {
  it(
    'generates 100k+ customers and subscriptions and still answers quickly',
    { timeout: 120_000 },
    async () => {
      const started = Date.now();
      const sim = await startMaxioSimulator({ seed: 1, scale: 1900 });
      const startup = Date.now() - started;
      try {
        const count = sim.data.customers.length + sim.data.subscriptions.length;
        assert.ok(count >= 100_000, `${count} customers + subscriptions`);
        assert.ok(startup < 60_000, `startup took ${startup} ms`);
        const last = sim.data.subscriptions.at(-1) as Json;
        const t0 = Date.now();
        const got = await call(sim, 'GET', `/subscriptions/${String(last.id)}.json`);
        const lastPage = await call(sim, 'GET', '/customers.json?per_page=200&page=250');
        const sinceEnd = await call(
          sim,
          'GET',
          `/events.json?since_id=${String(sim.data.events.at(-5)?.id)}`,
        );
        const elapsed = Date.now() - t0;
        assert.equal(((got.body as Json).subscription as Json).id, last.id);
        assert.equal((lastPage.body as Json[]).length, 200);
        assert.equal((sinceEnd.body as Json[]).length, 4);
        assert.ok(elapsed < 2_000, `three lookups took ${elapsed} ms`);
      } finally {
        await sim.close();
      }
    },
  );
});

/**
 * Maxio fidelity: simulator responses and the adapter's request bodies validate against JSON
 * schemas written from Maxio's API reference (schemas/); the design's HMAC test vector; and
 * form-encoded webhooks with Rails-style EST timestamps parsed by the adapter.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { hmacSha256Hex } from '../common/auth.ts';
import { MaxioProvider } from '../../bridge/src/providers/maxio/index.ts';
import { mapMaxioPayload } from '../../bridge/src/providers/maxio/map.ts';
import { startMaxioSimulator, toFormBody } from './index.ts';
import type { MaxioSimulator } from './index.ts';

const ajv = new Ajv({ allErrors: true, strict: false });
for (const file of readdirSync(new URL('./schemas/', import.meta.url))) {
  ajv.addSchema(
    JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as object,
  );
}
const check = (schema: string, value: unknown) => {
  const validate = ajv.getSchema(schema);
  assert.ok(validate, `schema ${schema}`);
  const ok = validate(value);
  assert.ok(ok, `${schema}: ${ajv.errorsText(validate.errors)}`);
};

describe('the Maxio simulator against schemas from the Maxio reference', () => {
  let sim: MaxioSimulator;
  let provider: MaxioProvider;
  const get = async (path: string) => {
    const res = await fetch(`${sim.url}${path}`, {
      headers: { authorization: `Basic ${Buffer.from('key:x').toString('base64')}` },
    });
    assert.equal(res.status, 200, path);
    return (await res.json()) as unknown;
  };
  before(async () => {
    sim = await startMaxioSimulator({ seed: 11 });
    provider = new MaxioProvider({ siteName: 'acme', apiKey: 'key', baseUrl: sim.url });
  });
  after(() => sim.close());

  it('customers, subscriptions, invoices and previews have the documented shapes', async () => {
    for (const row of (await get('/customers.json?per_page=200')) as { customer: unknown }[])
      check('maxio/customer', row.customer);
    for (const row of (await get('/subscriptions.json?per_page=200')) as {
      subscription: unknown;
    }[])
      check('maxio/subscription', row.subscription);
    const invoices = (await get('/invoices.json?per_page=200')) as { invoices: unknown[] };
    assert.ok(invoices.invoices.length > 0);
    for (const invoice of invoices.invoices) check('maxio/invoice', invoice);
    const one = (invoices.invoices[0] as { uid: string }).uid;
    check('maxio/invoice', await get(`/invoices/${one}.json`));
  });

  it("the adapter's preview and create bodies are valid requests, and previews valid answers", async () => {
    const plan = sim.data.products[0] as { id: number; default_product_price_point_id: number };
    const component = sim.data.components[0] as { id: number; default_price_point_id: number };
    const request = {
      customer: { id: String((sim.data.customers[0] as { id: number }).id) },
      productId: String(plan.id),
      pricePointId: String(plan.default_product_price_point_id),
      items: [
        {
          productId: `component:${component.id}`,
          pricePointId: `component-pp:${component.default_price_point_id}`,
          quantity: '3',
        },
      ],
      couponCodes: ['WELCOME20'],
    };
    await provider.previewSubscription(request);
    await provider.createSubscription(
      {
        ...request,
        customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
        opportunityId: '006000000000001AAA',
      },
      'schema-check-key',
    );
    const bodies = sim.requests.filter(
      (r) => r.method === 'POST' && r.path.startsWith('/subscriptions'),
    );
    assert.equal(bodies.length, 2);
    for (const r of bodies) check('maxio/create-subscription-request', r.body);
    const preview = await fetch(`${sim.url}/subscriptions/preview.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('key:x').toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(bodies[0]?.body),
    });
    check('maxio/subscription-preview', await preview.json());
  });
});

describe('Maxio webhooks and awkward payloads', () => {
  it('passes the HMAC-SHA256 test vector from design.md', () => {
    assert.equal(
      hmacSha256Hex('123', 'payload[chargify]=testing&event=test'),
      '19826d51b9f866b26eda1f154de192593360f8d0bcb63df8a28540a5dcf733f1',
    );
    const provider = new MaxioProvider({ siteName: 'acme', apiKey: 'k', webhookSecret: '123' });
    const delivery = {
      headers: {
        'X-Chargify-Webhook-Signature-Hmac-Sha-256':
          '19826d51b9f866b26eda1f154de192593360f8d0bcb63df8a28540a5dcf733f1',
      },
      rawBody: 'payload[chargify]=testing&event=test',
    };
    provider.verifyWebhook(delivery);
    assert.throws(
      () => provider.verifyWebhook({ ...delivery, rawBody: `${delivery.rawBody}&x=1` }),
      /does not match/,
    );
  });

  it('parses a signup_success form body with EST timestamps into canonical UTC records', () => {
    const provider = new MaxioProvider({ siteName: 'acme', apiKey: 'k', webhookSecret: 's' });
    const body = toFormBody({
      id: '4321',
      event: 'signup_success',
      payload: {
        subscription: {
          id: '77',
          state: 'trialing',
          product_price_in_cents: '2900',
          currency: 'USD',
          created_at: '2026-01-02 10:11:12 -0500',
          updated_at: '2026-01-02 10:11:12 -0500',
          trial_ended_at: '2026-01-16 10:11:12 -0500',
          coupon_codes: ['WELCOME20'],
          customer: {
            id: '9',
            first_name: 'Ada',
            last_name: 'Lovelace',
            organization: 'Acme',
            updated_at: '2026-01-02 10:11:12 -0500',
          },
          product: { id: '5001', name: 'Starter', handle: 'starter' },
        },
        event_id: '4321',
      },
    }).join('&');
    const parsed = provider.parseWebhook({ headers: {}, rawBody: body });
    assert.equal(parsed.known, true);
    assert.equal(parsed.eventId, '4321');
    const subscription = parsed.changes.find((c) => c.resource === 'subscription')?.record as {
      status: string;
      updatedAt: string;
      trialEnd: string;
      productPrice: string;
      customerId: string;
    };
    assert.equal(subscription.status, 'in_trial');
    assert.equal(subscription.updatedAt, '2026-01-02T15:11:12.000Z');
    assert.equal(subscription.trialEnd, '2026-01-16T15:11:12.000Z');
    assert.equal(subscription.productPrice, '29.00');
    assert.equal(subscription.customerId, '9');
    assert.ok(parsed.changes.some((c) => c.resource === 'customer' && c.record.id === '9'));
    assert.throws(
      () => provider.parseWebhook({ headers: {}, rawBody: 'payload[subscription][id]=1' }),
      /lacks id or event/,
    );
    assert.throws(() => provider.parseWebhook({ headers: {}, rawBody: '' }), /empty/);
  });

  it('reads wrapped lists, the {invoices:[…]} list and an unwrapped invoice alike, money exact', () => {
    const invoice = {
      uid: 'inv_1',
      customer_id: 9,
      subscription_id: 77,
      status: 'paid',
      currency: 'USD',
      issue_date: '2026-01-02',
      subtotal_amount: '100.0',
      discount_amount: '10.0',
      tax_amount: '6.53',
      total_amount: '96.53',
      paid_amount: '96.53',
      due_amount: '0.0',
      line_items: [
        {
          uid: 'li_1',
          title: 'Seats',
          quantity: '3.0',
          unit_price: '33.333333',
          subtotal_amount: '100.0',
          discount_amount: '10.0',
          tax_amount: '6.53',
          total_amount: '96.53',
          component_id: 40001,
          price_point_id: 60001,
        },
      ],
      payments: [],
      taxes: [{ title: 'Sales Tax', percentage: '7.25', tax_amount: '6.53' }],
      discounts: [],
    };
    const fromList = mapMaxioPayload('invoice', { invoices: [invoice] }, 'maxio:acme')[0] as {
      total: string;
      lines: { unitPrice: string; componentId: string; pricePointId: string }[];
    };
    const single = mapMaxioPayload('invoice', invoice, 'maxio:acme')[0];
    assert.deepEqual({ ...fromList, raw: null }, { ...(single as object), raw: null });
    assert.equal(fromList.total, '96.53');
    assert.equal(fromList.lines[0]?.unitPrice, '33.333333');
    assert.equal(fromList.lines[0]?.componentId, 'component:40001');
    assert.equal(fromList.lines[0]?.pricePointId, 'component-pp:60001');
    const customers = mapMaxioPayload(
      'customer',
      [{ customer: { id: 1, first_name: 'A', created_at: '2026-01-02T10:11:12-05:00' } }],
      'maxio:acme',
    );
    assert.equal((customers[0] as { createdAt: string }).createdAt, '2026-01-02T15:11:12.000Z');
  });
});

/**
 * JSON schemas written from Maxio's API reference (stand-ins/maxio-simulator/schemas/) hold both
 * sides to Maxio's shapes: what the simulator answers (customers, subscriptions, invoices,
 * previews) and what the adapter sends (signup, preview and customer-update bodies).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { basicAuthHeader } from '../../../stand-ins/common/auth.ts';
import { startMaxioSimulator } from '../../../stand-ins/maxio-simulator/index.ts';
import type { MaxioSimulator } from '../../../stand-ins/maxio-simulator/index.ts';
import { MaxioProvider } from '../../src/providers/maxio/index.ts';
import type { PricePoint, Product } from '../../src/model/canonical.ts';

type Json = Record<string, unknown>;
const DIR = new URL('../../../stand-ins/maxio-simulator/schemas/', import.meta.url);

const ajv = new Ajv({ allErrors: true });
for (const file of readdirSync(DIR)) {
  if (file.endsWith('.json')) ajv.addSchema(JSON.parse(readFileSync(new URL(file, DIR), 'utf8')));
}
const schema = (name: string): ValidateFunction => {
  const validate = ajv.getSchema(`maxio/${name}.json`);
  assert.ok(validate, `no schema ${name}`);
  return validate;
};

function problems(validate: ValidateFunction, value: unknown, label: string): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${label}${e.instancePath} ${e.message ?? ''}`);
}

async function walk(provider: MaxioProvider, resource: 'product' | 'pricePoint') {
  const records: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page: { records: unknown[]; nextCursor: string | null } = await provider.list(resource, {
      pageSize: 200,
      cursor,
    });
    records.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return records;
}

describe('Maxio schemas', () => {
  let sim: MaxioSimulator;
  const auth = basicAuthHeader('schema-test', 'x');
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${sim.url}${path}`, { headers: { authorization: auth } });
    assert.equal(response.status, 200, path);
    return response.json();
  };
  before(async () => {
    sim = await startMaxioSimulator({ seed: 9, scale: 3 });
  });
  after(async () => {
    await sim.close();
  });

  it('the schemas reject what Maxio would never send', () => {
    const customer = sim.data.customers[0] as Json;
    const invoice = sim.data.invoices[0] as Json;
    assert.deepEqual(problems(schema('customer'), customer, 'customer'), []);
    assert.notDeepEqual(
      problems(schema('customer'), { ...customer, id: '12' }, 'customer'),
      [],
      'a string id passed',
    );
    assert.notDeepEqual(
      problems(schema('customer'), { ...customer, created_at: '2024-01-02 10:11:12' }, 'customer'),
      [],
      'a timestamp without offset passed',
    );
    assert.notDeepEqual(
      problems(schema('invoice'), { ...invoice, total_amount: 12.5 }, 'invoice'),
      [],
      'a float amount passed',
    );
    assert.notDeepEqual(
      problems(
        schema('create-subscription-request'),
        { subscription: { product_id: 1, customer_id: 2, quantity: 3 } },
        'request',
      ),
      [],
      'an undocumented attribute passed',
    );
  });

  it('every listed customer, subscription and invoice matches, and single reads too', async () => {
    const found: string[] = [];
    for (let page = 1; ; page++) {
      const rows = (await get(`/customers.json?per_page=200&page=${page}`)) as Json[];
      if (rows.length === 0) break;
      rows.forEach((r, i) =>
        found.push(...problems(schema('customer'), r.customer, `customers[${i}]`)),
      );
    }
    for (let page = 1; ; page++) {
      const rows = (await get(`/subscriptions.json?per_page=200&page=${page}`)) as Json[];
      if (rows.length === 0) break;
      rows.forEach((r, i) =>
        found.push(...problems(schema('subscription'), r.subscription, `subscriptions[${i}]`)),
      );
    }
    const invoices = (await get('/invoices.json?per_page=200')) as { invoices: Json[] };
    assert.ok(invoices.invoices.length > 0);
    invoices.invoices.forEach((inv, i) =>
      found.push(...problems(schema('invoice'), inv, `invoices[${i}]`)),
    );
    const one = (await get(`/invoices/${String(invoices.invoices[0]?.uid)}.json`)) as Json;
    found.push(...problems(schema('invoice'), one, 'invoice'));
    const customer = (await get(`/customers/${String(sim.data.customers[0]?.id)}.json`)) as Json;
    found.push(...problems(schema('customer'), customer.customer, 'customer'));
    assert.deepEqual(found.slice(0, 10), [], `${found.length} problems`);
  });

  it('the adapter’s requests and the simulator’s preview answers match', async () => {
    const provider = new MaxioProvider({
      siteName: 'acme',
      apiKey: 'schema-test',
      baseUrl: sim.url,
    });
    const products = (await walk(provider, 'product')) as Product[];
    const pricePoints = (await walk(provider, 'pricePoint')) as PricePoint[];
    const plan = pricePoints.find(
      (pp) => !pp.productId.startsWith('component:') && !pp.trialPeriod && pp.status === 'active',
    ) as PricePoint;
    const seats = products.find((p) => p.componentKind === 'quantity_based_component') as Product;
    const seatPrice = pricePoints.find((pp) => pp.productId === seats.id) as PricePoint;
    const customer = sim.data.customers[0] as Json;
    const request = {
      customer: { id: String(customer.id) },
      productId: plan.productId,
      pricePointId: plan.id,
      items: [{ productId: seats.id, pricePointId: seatPrice.id, quantity: '2' }],
      couponCodes: [],
      opportunityId: '006000000000123AAA',
    };
    const from = sim.requests.length;
    await provider.previewSubscription(request);
    await provider.createSubscription(request, 'schema-key-1');
    await provider.createSubscription(
      {
        ...request,
        customer: {
          firstName: 'Schema',
          lastName: 'Test',
          email: 'schema@example.com',
          company: 'Schema Ltd',
          billingAddress: { line1: '1 Main St', city: 'Springfield', zip: '62701', country: 'US' },
        },
      },
      'schema-key-2',
    );
    await provider.updateCustomer(String(customer.id), {
      phone: '+1 555 0199',
      shippingAddress: { line1: '2 Side St', city: 'Shelbyville', country: 'US' },
    });
    const sent = sim.requests.slice(from);
    const writes = sent.filter((r) => r.method !== 'GET');
    assert.deepEqual(
      writes.map((r) => `${r.method} ${r.path}`),
      [
        'POST /subscriptions/preview.json',
        'POST /subscriptions.json',
        'POST /subscriptions.json',
        `PUT /customers/${String(customer.id)}.json`,
      ],
    );
    const found: string[] = [];
    for (const write of writes) {
      const label = `${write.method} ${write.path}`;
      if (write.method === 'POST') {
        found.push(...problems(schema('create-subscription-request'), write.body, label));
      } else {
        const body = write.body as Json;
        assert.deepEqual(Object.keys(body), ['customer']);
        found.push(...problems(schema('customer-attributes'), body.customer, label));
      }
    }
    assert.deepEqual(found, []);

    const response = await fetch(`${sim.url}/subscriptions/preview.json`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(writes[0]?.body),
    });
    assert.deepEqual(
      problems(schema('subscription-preview'), await response.json(), 'preview'),
      [],
    );
  });
});

/**
 * The Maxio adapter's mapping on payloads shaped like Maxio's documentation (not the simulator's
 * output): list wrappers, unwrapped invoices, cents and decimal strings, site-offset and Rails
 * webhook timestamps, form-encoded webhooks and their HMAC, and how API errors and request
 * bodies look. Transport is a stub HttpClient, so these tests see exactly what goes out.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  WebhookPayloadError,
  WebhookSignatureError,
} from '../../src/errors.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/http/types.ts';
import type {
  Customer,
  Invoice,
  PricePoint,
  Product,
  Subscription,
  Transaction,
} from '../../src/model/canonical.ts';
import { MaxioProvider, mapMaxioPayload } from '../../src/providers/maxio/index.ts';
import { mapManifest } from '../../src/providers/maxio/map.ts';
import { hmacSha256Hex } from '../../../stand-ins/common/auth.ts';
import { checkManifest, checkRecord } from './contract.ts';

const SITE = 'maxio:acme' as const;

// ---------------------------------------------------------------------------------------------
// Doc-shaped payloads

const customerList = [
  {
    customer: {
      id: 14967442,
      first_name: 'Martha',
      last_name: 'Washington',
      email: 'martha@example.com',
      cc_emails: 'george@example.com',
      organization: 'ABC, Inc.',
      reference: '1234567',
      created_at: '2021-05-05T16:00:21-04:00',
      updated_at: '2021-05-05T16:00:21-04:00',
      address: '123 Main St',
      address_2: 'Apt 1',
      city: 'Anytown',
      state: 'MA',
      state_name: 'Massachusetts',
      zip: '02120',
      country: 'US',
      country_name: 'United States',
      phone: '555-555-1212',
      verified: false,
      tax_exempt: false,
      vat_number: null,
      parent_id: null,
      locale: 'en-US',
    },
  },
  {
    customer: {
      id: 14967443,
      first_name: 'John',
      last_name: 'Adams',
      email: 'john@example.com',
      organization: 'ABC Boston',
      reference: null,
      created_at: '2021-05-06T09:00:00-04:00',
      updated_at: '2021-05-07T09:00:00-04:00',
      address: null,
      city: null,
      zip: null,
      country: null,
      tax_exempt: true,
      parent_id: 14967442,
    },
  },
];

const invoice = {
  uid: 'inv_8gk5bwkct3gqt',
  site_id: 51288,
  customer_id: 14967442,
  subscription_id: 20003361,
  number: '117',
  sequence_number: 117,
  transaction_time: '2018-09-20T17:29:53Z',
  created_at: '2018-09-20T13:29:53-04:00',
  updated_at: '2018-09-21T09:00:00-04:00',
  issue_date: '2018-09-20',
  due_date: '2018-09-20',
  paid_date: '2018-09-20',
  status: 'paid',
  role: 'renewal',
  collection_method: 'automatic',
  currency: 'USD',
  subtotal_amount: '100.0',
  discount_amount: '10.0',
  tax_amount: '6.53',
  total_amount: '96.53',
  credit_amount: '0.0',
  refund_amount: '0.0',
  paid_amount: '96.53',
  due_amount: '0.0',
  line_items: [
    {
      uid: 'li_8gk5bwkct3gqu',
      title: 'Professional',
      description: 'Sep 20, 2018 - Oct 20, 2018',
      quantity: '1.0',
      unit_price: '70.0',
      subtotal_amount: '70.0',
      discount_amount: '7.0',
      tax_amount: '4.57',
      total_amount: '67.57',
      period_range_start: '2018-09-20',
      period_range_end: '2018-10-20',
      product_id: 4581816,
      product_price_point_id: 433180,
      price_point_id: null,
      component_id: null,
      kind: 'baseline',
    },
    {
      uid: 'li_8gk5bwkct3gqv',
      title: 'Seats',
      description: '3 seats',
      quantity: '3.0',
      unit_price: '10.0',
      subtotal_amount: '30.0',
      discount_amount: '3.0',
      tax_amount: '1.96',
      total_amount: '28.96',
      period_range_start: '2018-09-20',
      period_range_end: '2018-10-20',
      product_id: 4581816,
      price_point_id: 9001,
      component_id: 399853,
      kind: 'component',
    },
  ],
  discounts: [
    { title: 'Coupon: SAVE10', code: 'SAVE10', eligible_amount: '100.0', discount_amount: '10.0' },
  ],
  taxes: [
    { title: 'MA Sales Tax', percentage: '7.25', taxable_amount: '90.0', tax_amount: '6.53' },
  ],
  payments: [
    {
      transaction_time: '2018-09-20T17:29:53Z',
      memo: 'Payment for invoice 117',
      original_amount: '96.53',
      applied_amount: '96.53',
      payment_method: { type: 'credit_card', card_brand: 'visa', masked_card_number: 'XXXX-1111' },
      transaction_id: 251725189,
      prepayment: false,
    },
  ],
};

const subscription = {
  subscription: {
    id: 20003361,
    state: 'past_due',
    balance_in_cents: 9653,
    total_revenue_in_cents: 120000,
    product_price_in_cents: 7000,
    product_version_number: 1,
    current_period_ends_at: '2018-10-20T13:29:53-04:00',
    next_assessment_at: '2018-10-20T13:29:53-04:00',
    trial_started_at: null,
    trial_ended_at: null,
    activated_at: '2018-08-20T13:29:53-04:00',
    expires_at: null,
    created_at: '2018-08-20T13:29:53-04:00',
    updated_at: '2018-09-21T09:00:00-04:00',
    cancellation_message: null,
    canceled_at: null,
    current_period_started_at: '2018-09-20T13:29:53-04:00',
    previous_state: 'active',
    coupon_code: 'SAVE10',
    coupon_codes: ['SAVE10'],
    payment_collection_method: 'automatic',
    current_billing_amount_in_cents: 10000,
    product_price_point_id: 433180,
    currency: 'USD',
    customer: customerList[0]?.customer,
    product: {
      id: 4581816,
      name: 'Professional',
      handle: 'professional',
      price_in_cents: 7000,
      interval: 1,
      interval_unit: 'month',
      product_family: { id: 1025627, name: 'Acme Projects', handle: 'acme-projects' },
    },
    components: [
      {
        component: {
          component_id: 399853,
          subscription_id: 20003361,
          allocated_quantity: 3,
          name: 'Seats',
          kind: 'quantity_based_component',
          unit_name: 'seat',
          pricing_scheme: 'per_unit',
          price_point_id: 9001,
        },
      },
      {
        component: {
          component_id: 399854,
          subscription_id: 20003361,
          enabled: true,
          name: 'Premium support',
          kind: 'on_off_component',
          price_point_id: 9002,
        },
      },
    ],
  },
};

// ---------------------------------------------------------------------------------------------

describe('Maxio mapping: customers', () => {
  const [martha, john] = mapMaxioPayload('customer', customerList, SITE) as Customer[];

  it('unwraps the [{customer:{…}}] list into valid canonical customers', () => {
    assert.ok(martha && john);
    assert.deepEqual(checkRecord('customer', martha, SITE), []);
    assert.equal(martha.id, '14967442');
    assert.equal(martha.externalId, 'maxio:acme:14967442');
    assert.equal(martha.company, 'ABC, Inc.');
    assert.equal(martha.ccEmails, 'george@example.com');
  });

  it('converts the site offset (-04:00) to UTC', () => {
    assert.equal(martha?.createdAt, '2021-05-05T20:00:21.000Z');
  });

  it('keeps the hierarchy and the address', () => {
    assert.equal(john?.parentId, '14967442');
    assert.equal(martha?.parentId, null);
    assert.equal(john?.taxExempt, true);
    assert.deepEqual(
      [
        martha?.shippingAddress?.line1,
        martha?.shippingAddress?.line2,
        martha?.shippingAddress?.zip,
      ],
      ['123 Main St', 'Apt 1', '02120'],
    );
    assert.equal(martha?.billingAddress?.city, 'Anytown');
    assert.equal(john?.shippingAddress, null, 'no address at all is null, not an empty object');
  });

  it('maps a single wrapped or bare customer the same way', () => {
    const wrapped = mapMaxioPayload('customer', customerList[0], SITE)[0];
    const bare = mapMaxioPayload('customer', customerList[0]?.customer, SITE)[0];
    assert.deepEqual(wrapped, martha);
    assert.deepEqual(bare, martha);
  });
});

describe('Maxio mapping: invoices', () => {
  const [listed] = mapMaxioPayload('invoice', { invoices: [invoice] }, SITE) as Invoice[];
  const [single] = mapMaxioPayload('invoice', invoice, SITE) as Invoice[];

  it('reads {invoices:[…]} lists and unwrapped single invoices alike', () => {
    assert.ok(listed);
    assert.deepEqual(single, listed);
    assert.deepEqual(checkRecord('invoice', listed, SITE), []);
    assert.equal(listed.id, 'inv_8gk5bwkct3gqt');
    assert.equal(listed.customerId, '14967442');
    assert.equal(listed.subscriptionId, '20003361');
  });

  it('normalises decimal strings without floats', () => {
    assert.deepEqual(
      [listed?.subtotal, listed?.discount, listed?.tax, listed?.total, listed?.paid, listed?.due],
      ['100.00', '10.00', '6.53', '96.53', '96.53', '0.00'],
    );
    assert.equal(listed?.issueDate, '2018-09-20');
  });

  it('maps lines, taxes and payments; component lines use component:<id>', () => {
    const [base, seats] = listed?.lines ?? [];
    assert.equal(base?.productId, '4581816');
    assert.equal(base?.pricePointId, '433180');
    assert.equal(base?.componentId, null);
    assert.equal(seats?.componentId, 'component:399853');
    assert.equal(seats?.quantity, '3.00');
    assert.equal(seats?.amount, '30.00');
    assert.deepEqual(listed?.taxes, [{ name: 'MA Sales Tax', rate: '7.25', amount: '6.53' }]);
    assert.equal(listed?.payments[0]?.amount, '96.53');
    assert.equal(listed?.payments[0]?.transactionId, '251725189');
    assert.equal(listed?.payments[0]?.appliedAt, '2018-09-20T17:29:53.000Z');
  });
});

describe('Maxio mapping: subscriptions, catalog, transactions, events', () => {
  it('maps a subscription: cents → decimals, state → canonical, components as items', () => {
    const [s] = mapMaxioPayload('subscription', subscription, SITE) as Subscription[];
    assert.ok(s);
    assert.deepEqual(checkRecord('subscription', s, SITE), []);
    assert.equal(s.status, 'past_due');
    assert.equal(s.providerStatus, 'past_due');
    assert.equal(s.balance, '96.53');
    assert.equal(s.productPrice, '70.00');
    assert.equal(s.totalRevenue, '1200.00');
    assert.equal(s.currentBillingAmount, '100.00');
    assert.equal(s.customerId, '14967442');
    assert.equal(s.productId, '4581816');
    assert.equal(s.activatedAt, '2018-08-20T17:29:53.000Z');
    assert.deepEqual(
      s.items.map((i) => [i.productId, i.kind, i.quantity]),
      [
        ['component:399853', 'component', '3'],
        ['component:399854', 'component', '1'],
      ],
    );
    assert.deepEqual(
      s.coupons.map((c) => c.code),
      ['SAVE10'],
    );
  });

  it('maps every Maxio state onto a canonical status', () => {
    const expected: Record<string, string> = {
      active: 'active',
      trialing: 'in_trial',
      past_due: 'past_due',
      soft_failure: 'past_due',
      unpaid: 'unpaid',
      canceled: 'cancelled',
      expired: 'expired',
      on_hold: 'on_hold',
      awaiting_signup: 'pending',
    };
    for (const [state, status] of Object.entries(expected)) {
      const [s] = mapMaxioPayload(
        'subscription',
        { subscription: { ...subscription.subscription, state } },
        SITE,
      ) as Subscription[];
      assert.equal(s?.status, status, state);
    }
  });

  it('gives components their own id space: component:<id> products and price points', () => {
    const [component] = mapMaxioPayload(
      'product',
      {
        component: {
          id: 399853,
          name: 'Seats',
          handle: 'seats',
          kind: 'quantity_based_component',
          unit_name: 'seat',
          product_family_id: 1025627,
          default_price_point_id: 9001,
          archived: false,
        },
      },
      SITE,
    ) as Product[];
    assert.equal(component?.id, 'component:399853');
    assert.equal(component?.kind, 'component');
    assert.equal(component?.componentKind, 'quantity_based_component');
    const [tiered] = mapMaxioPayload(
      'pricePoint',
      {
        price_point: {
          id: 9003,
          component_id: 399853,
          name: 'Volume',
          pricing_scheme: 'tiered',
          default: true,
          prices: [
            { starting_quantity: 11, ending_quantity: null, unit_price: '8.5' },
            { starting_quantity: 1, ending_quantity: 10, unit_price: '10.0' },
          ],
        },
      },
      SITE,
    ) as PricePoint[];
    assert.equal(tiered?.productId, 'component:399853');
    assert.equal(tiered?.pricingModel, 'tiered');
    assert.equal(tiered?.isDefault, true);
    assert.deepEqual(tiered?.tiers, [
      { startingUnit: '1', endingUnit: '10', price: '10.00' },
      { startingUnit: '11', endingUnit: null, price: '8.50' },
    ]);
    assert.deepEqual(checkRecord('pricePoint', tiered, SITE), []);
  });

  it('marks the product’s default price point', () => {
    const pp = (type: string) =>
      (
        mapMaxioPayload(
          'pricePoint',
          {
            price_point: {
              id: 433180,
              product_id: 4581816,
              name: 'Monthly',
              handle: 'monthly',
              price_in_cents: 7000,
              interval: 1,
              interval_unit: 'month',
              initial_charge_in_cents: 1500,
              type,
            },
          },
          SITE,
        ) as PricePoint[]
      )[0];
    assert.equal(pp('default')?.isDefault, true);
    assert.equal(pp('catalog')?.isDefault, false);
    assert.equal(pp('default')?.price, '70.00');
    assert.equal(pp('default')?.setupFee, '15.00');
  });

  it('maps a component charge transaction with component:<id>', () => {
    const [t] = mapMaxioPayload(
      'transaction',
      [
        {
          transaction: {
            id: 251725190,
            transaction_type: 'charge',
            kind: 'component',
            amount_in_cents: 3000,
            memo: 'Seats: 3 seats',
            success: true,
            created_at: '2018-09-20T13:29:53-04:00',
            subscription_id: 20003361,
            customer_id: 14967442,
            product_id: 4581816,
            component_id: 399853,
            invoice_uid: 'inv_8gk5bwkct3gqt',
          },
        },
      ],
      SITE,
    ) as Transaction[];
    assert.deepEqual(checkRecord('transaction', t, SITE), []);
    assert.equal(t?.amount, '30.00');
    assert.equal(t?.componentId, 'component:399853');
    assert.equal(t?.invoiceId, 'inv_8gk5bwkct3gqt');
  });

  it('maps a preview manifest whose totals add up', () => {
    const manifest = mapManifest({
      line_items: [
        {
          transaction_type: 'charge',
          kind: 'baseline',
          amount_in_cents: 7000,
          memo: 'Professional',
          product_id: 4581816,
          price_point_id: 433180,
        },
        {
          transaction_type: 'charge',
          kind: 'component',
          amount_in_cents: 3000,
          memo: 'Seats: 3 seats',
          component_id: 399853,
          price_point_id: 9001,
        },
        {
          transaction_type: 'adjustment',
          kind: 'coupon',
          amount_in_cents: -1000,
          memo: 'Coupon: SAVE10 - Save 10%',
        },
        { transaction_type: 'tax', kind: 'tax', amount_in_cents: 653, memo: 'Sales Tax' },
      ],
      total_in_cents: 9653,
      total_discount_in_cents: 1000,
      total_tax_in_cents: 653,
      subtotal_in_cents: 10000,
    });
    assert.deepEqual(checkManifest(manifest, 'manifest'), []);
    assert.equal(manifest.lines[1]?.componentId, 'component:399853');
    assert.deepEqual(manifest.discounts, [
      { code: 'SAVE10', description: 'Coupon: SAVE10 - Save 10%', amount: '10.00' },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Webhooks

function delivery(body: string, key: string | null) {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(key === null
        ? {}
        : { 'X-Chargify-Webhook-Signature-Hmac-Sha-256': hmacSha256Hex(key, body) }),
    },
    rawBody: body,
  };
}

describe('Maxio webhooks', () => {
  const provider = new MaxioProvider({ siteName: 'acme', apiKey: 'k', webhookSecret: '123' });

  it('accepts the design.md test vector and parses the test event', () => {
    const body = 'payload[chargify]=testing&event=test';
    const vector = {
      headers: {
        'x-chargify-webhook-signature-hmac-sha-256':
          '19826d51b9f866b26eda1f154de192593360f8d0bcb63df8a28540a5dcf733f1',
      },
      rawBody: body,
    };
    assert.doesNotThrow(() => provider.verifyWebhook(vector));
    const parsed = provider.parseWebhook(vector);
    assert.equal(parsed.eventType, 'test');
    assert.equal(parsed.changes.length, 0);
    assert.equal(provider.parseWebhook(vector).eventId, parsed.eventId, 'stable id');
  });

  it('refuses a wrong signature, a missing one, and any signature without a shared key', () => {
    const body = 'payload[chargify]=testing&event=test';
    assert.throws(() => provider.verifyWebhook(delivery(body, '124')), WebhookSignatureError);
    assert.throws(
      () => provider.verifyWebhook(delivery(`${body}&x=1`, null)),
      WebhookSignatureError,
    );
    const tampered = { ...delivery(body, '123'), rawBody: `${body}&evil=1` };
    assert.throws(() => provider.verifyWebhook(tampered), WebhookSignatureError);
    const keyless = new MaxioProvider({ siteName: 'acme', apiKey: 'k' });
    assert.throws(() => keyless.verifyWebhook(delivery(body, '123')), WebhookSignatureError);
  });

  it('parses a form-encoded signup_success into subscription and customer changes', () => {
    const body = [
      'id=3054012',
      'event=signup_success',
      'payload[site][id]=51288',
      'payload[site][subdomain]=acme',
      'payload[subscription][id]=20003361',
      'payload[subscription][state]=active',
      'payload[subscription][product_price_in_cents]=7000',
      'payload[subscription][balance_in_cents]=0',
      'payload[subscription][currency]=USD',
      'payload[subscription][created_at]=2018-08-20 13:29:53 -0400',
      'payload[subscription][updated_at]=2018-08-20 13:29:53 -0400',
      'payload[subscription][customer][id]=14967442',
      'payload[subscription][customer][first_name]=Martha',
      'payload[subscription][customer][last_name]=Washington',
      'payload[subscription][customer][organization]=ABC%2C+Inc.',
      'payload[subscription][customer][updated_at]=2018-08-20 13:29:53 -0400',
      'payload[subscription][product][id]=4581816',
      'payload[subscription][product][name]=Professional',
      'payload[event_id]=3054012',
    ].join('&');
    const d = delivery(body, '123');
    provider.verifyWebhook(d);
    const parsed = provider.parseWebhook(d);
    assert.equal(parsed.known, true);
    assert.equal(parsed.eventId, '3054012');
    assert.equal(parsed.occurredAt, '2018-08-20T17:29:53.000Z');
    const sub = parsed.changes.find((c) => c.resource === 'subscription')?.record as Subscription;
    const customer = parsed.changes.find((c) => c.resource === 'customer')?.record as Customer;
    assert.equal(sub.id, '20003361');
    assert.equal(sub.productPrice, '70.00');
    assert.equal(sub.customerId, '14967442');
    assert.equal(customer.company, 'ABC, Inc.');
    for (const change of parsed.changes) {
      assert.deepEqual(checkRecord(change.resource, change.record, SITE), []);
    }
  });

  it('keeps an unknown event as known = false', () => {
    const parsed = provider.parseWebhook(
      delivery('id=77&event=brand_new_thing&payload[x]=1', '123'),
    );
    assert.equal(parsed.known, false);
    assert.equal(parsed.eventType, 'brand_new_thing');
    assert.deepEqual(parsed.changes, []);
  });

  it('a malformed body is WebhookPayloadError', () => {
    for (const body of ['', '   ', '%%%&&&==', 'payload[subscription][id]=1', 'id=1', '{"id":1}']) {
      assert.throws(
        () => provider.parseWebhook(delivery(body, '123')),
        WebhookPayloadError,
        JSON.stringify(body),
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Requests and errors, through a stub transport

class StubClient implements HttpClient {
  readonly requests: HttpRequest[] = [];
  readonly #answer: (request: HttpRequest) => HttpResponse;
  constructor(answer: (request: HttpRequest) => HttpResponse) {
    this.#answer = answer;
  }
  async request(request: HttpRequest): Promise<HttpResponse> {
    this.requests.push(request);
    return this.#answer(request);
  }
}

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('Maxio adapter: requests and errors', () => {
  const API_KEY = 'secret-api-key-98765';
  const make = (client: HttpClient) =>
    new MaxioProvider({
      siteName: 'acme',
      apiKey: API_KEY,
      httpClient: client,
      retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 2 },
    });

  it('calls https://<subdomain>.chargify.com (EU: ebilling.maxio.com) with Basic key:x', async () => {
    const client = new StubClient(() => json(200, []));
    await make(client).list('customer', { pageSize: 5 });
    const request = client.requests[0] as HttpRequest;
    assert.match(request.url, /^https:\/\/acme\.chargify\.com\/customers\.json\?/);
    assert.match(request.url, /per_page=5/);
    assert.equal(
      request.headers.authorization,
      `Basic ${Buffer.from(`${API_KEY}:x`).toString('base64')}`,
    );
    const eu = new StubClient(() => json(200, []));
    await new MaxioProvider({ siteName: 'acme', apiKey: 'k', region: 'eu', httpClient: eu }).list(
      'customer',
    );
    assert.match(eu.requests[0]?.url ?? '', /^https:\/\/acme\.ebilling\.maxio\.com\//);
  });

  it('keeps Maxio’s 422 messages and never the key', async () => {
    const client = new StubClient(() =>
      json(422, { errors: ['Email address: must be a valid email address.'] }),
    );
    await assert.rejects(make(client).updateCustomer('1', { email: 'x' }), (error: unknown) => {
      assert.ok(error instanceof InvalidRequestError);
      assert.match(error.message, /Email address: must be a valid email address\./);
      assert.equal(error.status, 422);
      assert.ok(!JSON.stringify(error).includes(API_KEY));
      assert.ok(!error.message.includes(API_KEY));
      return true;
    });
  });

  it('401 is AuthenticationError, 404 NotFoundError', async () => {
    const unauthorised = new StubClient(() =>
      json(401, { errors: ['HTTP Basic: Access denied.'] }),
    );
    await assert.rejects(make(unauthorised).get('customer', '1'), AuthenticationError);
    assert.equal(unauthorised.requests.length, 1, 'a 401 is not retried');
    const missing = new StubClient(() => json(404, { errors: ['Not Found'] }));
    await assert.rejects(make(missing).get('invoice', 'inv_missing'), NotFoundError);
  });

  it('a signup carries uniqueness_token, reference, metafields and bare component ids', async () => {
    const created = {
      subscription: {
        ...subscription.subscription,
        id: 555,
        state: 'active',
        components: undefined,
      },
    };
    const client = new StubClient((request) => {
      if (request.method === 'POST') return json(201, created);
      if (request.url.includes('/coupons.json')) {
        return json(200, [{ coupon: { id: 601, code: 'SAVE10', name: 'Save 10%' } }]);
      }
      if (request.url.includes('/components.json')) return json(200, []);
      if (request.url.includes('/metadata.json')) {
        return json(200, {
          metadata: [
            { name: 'Salesforce Opportunity', value: '006000000000001AAA', resource_id: 555 },
          ],
        });
      }
      return json(200, created);
    });
    const sub = await make(client).createSubscription(
      {
        customer: { id: '14967442' },
        productId: '4581816',
        pricePointId: '433180',
        items: [
          { productId: 'component:399853', pricePointId: 'component-pp:9001', quantity: '3' },
        ],
        couponCodes: ['SAVE10'],
        opportunityId: '006000000000001AAA',
      },
      'key-123',
    );
    const post = client.requests.find((r) => r.method === 'POST') as HttpRequest;
    assert.ok(post.url.endsWith('/subscriptions.json'));
    const body = JSON.parse(post.body ?? '{}') as { subscription: Record<string, unknown> };
    assert.equal(body.subscription.uniqueness_token, 'key-123');
    assert.equal(body.subscription.reference, 'key-123');
    assert.equal(body.subscription.customer_id, 14967442);
    assert.equal(body.subscription.product_id, 4581816);
    assert.deepEqual(body.subscription.components, [
      { component_id: 399853, allocated_quantity: 3, price_point_id: 9001 },
    ]);
    assert.deepEqual(body.subscription.coupon_codes, ['SAVE10']);
    assert.deepEqual(body.subscription.metafields, {
      'Salesforce Opportunity': '006000000000001AAA',
    });
    assert.equal(sub.id, '555');
    assert.deepEqual(
      sub.coupons.map((c) => [c.couponId, c.code]),
      [['601', 'SAVE10']],
    );
    assert.equal(sub.opportunityId, '006000000000001AAA');
  });
});

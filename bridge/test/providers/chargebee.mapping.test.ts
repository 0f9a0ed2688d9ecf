/**
 * Chargebee payloads shaped like the API reference's examples → canonical records: the
 * `{list, next_offset}` envelope, Unix timestamps, minor units (and zero-decimal currencies),
 * `resource_version`, `deleted`, `cf_*` fields kept in `raw` only, customer hierarchy and
 * contacts, the bridge's opportunity id in `meta_data`; and webhook authentication.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basicAuthHeader } from '../../../stand-ins/common/auth.ts';
import { encodeForm } from '../../src/providers/chargebee/form.ts';
import { ChargebeeProvider } from '../../src/providers/chargebee/index.ts';
import { mapChargebeePayload } from '../../src/providers/chargebee/map.ts';
import type { Customer, PricePoint, Subscription } from '../../src/model/canonical.ts';

describe('Chargebee payloads', () => {
  it('reads a customer list page: envelope, timestamps, hierarchy, contacts, cf_ fields in raw only', () => {
    const page = {
      list: [
        {
          customer: {
            id: 'AzZlGJT7Yq',
            first_name: 'Ada',
            last_name: 'Lovelace',
            email: 'ada@example.com',
            company: 'Acme',
            auto_collection: 'off',
            net_term_days: 30,
            taxability: 'exempt',
            created_at: 1767261600,
            updated_at: 1767265200,
            resource_version: 1767265200123,
            deleted: false,
            object: 'customer',
            business_entity_id: 'acme-us',
            relationship: {
              parent_id: 'AzParent01',
              payment_owner_id: 'AzParent01',
              invoice_owner_id: 'AzParent01',
            },
            contacts: [
              {
                id: 'ct_1',
                first_name: 'Pat',
                email: 'ap@example.com',
                label: 'billing',
                object: 'contact',
              },
            ],
            billing_address: {
              line1: '1 Main St',
              city: 'Boston',
              state_code: 'MA',
              zip: '02110',
              country: 'US',
              object: 'billing_address',
            },
            cf_industry: 'SaaS',
          },
        },
      ],
      next_offset: '["1767261600000","230000000046"]',
    };
    const [customer] = mapChargebeePayload('customer', page, 'chargebee:acme-test') as Customer[];
    assert.equal(customer?.externalId, 'chargebee:acme-test:AzZlGJT7Yq');
    assert.equal(customer?.createdAt, '2026-01-01T10:00:00.000Z');
    assert.equal(customer?.resourceVersion, 1767265200123);
    assert.equal(customer?.parentId, 'AzParent01');
    assert.equal(customer?.autoCollection, 'off');
    assert.equal(customer?.taxExempt, true);
    assert.equal(customer?.billingAddress?.state, 'MA');
    assert.deepEqual(
      customer?.contacts?.map((c) => c.id),
      ['ct_1'],
    );
    assert.equal(customer?.businessEntityId, 'acme-us');
    assert.ok(
      !Object.keys(customer ?? {}).some((k) => k.startsWith('cf_')),
      'cf_ fields are not canonical fields',
    );
    assert.equal((customer?.raw as { cf_industry: string }).cf_industry, 'SaaS');
  });

  it('money in minor units, zero-decimal currencies, tiers, and the default-price rule', () => {
    const prices = mapChargebeePayload(
      'pricePoint',
      {
        list: [
          {
            item_price: {
              id: 'pro-USD-monthly',
              item_id: 'pro',
              pricing_model: 'flat_fee',
              price: 4900,
              currency_code: 'USD',
              period: 1,
              period_unit: 'month',
              status: 'active',
            },
          },
          {
            item_price: {
              id: 'pro-JPY-monthly',
              item_id: 'pro',
              pricing_model: 'per_unit',
              price: 5000,
              currency_code: 'JPY',
              period: 1,
              period_unit: 'month',
              status: 'active',
            },
          },
          {
            item_price: {
              id: 'pro-USD-yearly',
              item_id: 'pro',
              pricing_model: 'flat_fee',
              price: 49000,
              currency_code: 'USD',
              period: 1,
              period_unit: 'year',
              status: 'active',
            },
          },
          {
            item_price: {
              id: 'calls',
              item_id: 'calls',
              pricing_model: 'tiered',
              currency_code: 'USD',
              period: 1,
              period_unit: 'month',
              status: 'active',
              tiers: [
                { starting_unit: 1, ending_unit: 1000, price: 0 },
                { starting_unit: 1001, price: 2 },
              ],
            },
          },
        ],
      },
      'chargebee:acme-test',
    ) as PricePoint[];
    assert.deepEqual(
      prices.map((p) => p.price),
      ['49.00', '5000', '490.00', '0.00'],
    );
    assert.deepEqual(
      prices.map((p) => p.isDefault),
      [true, true, false, true],
    );
    assert.deepEqual(prices[3]?.tiers, [
      { startingUnit: '1', endingUnit: '1000', price: '0.00' },
      { startingUnit: '1001', endingUnit: null, price: '0.02' },
    ]);
  });

  it('a subscription: items, coupons, the opportunity id from meta_data, deleted kept', () => {
    const [subscription] = mapChargebeePayload(
      'subscription',
      {
        subscription: {
          id: 'sub_1',
          customer_id: 'AzZlGJT7Yq',
          status: 'non_renewing',
          currency_code: 'USD',
          created_at: 1767261600,
          updated_at: 1767261600,
          resource_version: 1767261600500,
          deleted: true,
          object: 'subscription',
          meta_data: { salesforce_opportunity_id: '006000000000001AAA' },
          subscription_items: [
            {
              item_price_id: 'pro-USD-monthly',
              item_type: 'plan',
              quantity: 3,
              unit_price: 4900,
              amount: 14700,
            },
            {
              item_price_id: 'storage-USD',
              item_type: 'addon',
              quantity: 10,
              unit_price: 300,
              amount: 3000,
            },
          ],
          coupons: [{ coupon_id: 'WELCOME20', applied_count: 1 }],
        },
      },
      'chargebee:acme-test',
    ) as Subscription[];
    assert.equal(subscription?.status, 'non_renewing');
    assert.equal(subscription?.planQuantity, '3');
    assert.equal(subscription?.planAmount, '147.00');
    assert.deepEqual(
      subscription?.items.map((i) => [i.id, i.quantity, i.amount]),
      [['storage-USD', '10', '30.00']],
    );
    assert.deepEqual(
      subscription?.coupons.map((c) => c.couponId),
      ['WELCOME20'],
    );
    assert.equal(subscription?.opportunityId, '006000000000001AAA');
    assert.equal((subscription?.raw as { deleted: boolean }).deleted, true);
  });

  it('encodes bracketed forms the way Chargebee reads them', () => {
    assert.equal(
      decodeURIComponent(
        encodeForm({
          subscription_items: [{ item_price_id: 'a', quantity: 2 }, { item_price_id: 'b' }],
          coupon_ids: ['X'],
          customer: { first_name: 'Ada' },
          meta_data: { k: 'v' },
          skip: null,
        }),
      ),
      'subscription_items[item_price_id][0]=a&subscription_items[quantity][0]=2&subscription_items[item_price_id][1]=b&coupon_ids[0]=X&customer[first_name]=Ada&meta_data={"k":"v"}',
    );
  });

  it('webhooks: right Basic credentials pass, wrong or missing ones and bad bodies are refused', () => {
    const provider = new ChargebeeProvider({
      siteName: 'acme-test',
      apiKey: 'k',
      webhookUsername: 'u',
      webhookPassword: 'p',
    });
    const body = JSON.stringify({
      id: 'ev_1',
      event_type: 'customer_changed',
      occurred_at: 1767261600,
      content: { customer: { id: 'c1', updated_at: 1767261600, resource_version: 1 } },
    });
    provider.verifyWebhook({
      headers: { authorization: basicAuthHeader('u', 'p') },
      rawBody: body,
    });
    assert.throws(
      () =>
        provider.verifyWebhook({
          headers: { authorization: basicAuthHeader('u', 'x') },
          rawBody: body,
        }),
      /do not match/,
    );
    assert.throws(
      () => provider.verifyWebhook({ headers: {}, rawBody: body }),
      /no Basic credentials/,
    );
    const parsed = provider.parseWebhook({ headers: {}, rawBody: body });
    assert.equal(parsed.known, true);
    assert.equal(parsed.changes[0]?.resource, 'customer');
    assert.throws(
      () => provider.parseWebhook({ headers: {}, rawBody: '{"id":1}' }),
      /not a Chargebee event/,
    );
    assert.throws(() => provider.parseWebhook({ headers: {}, rawBody: 'not json' }), /not JSON/);
    const unknown = provider.parseWebhook({
      headers: {},
      rawBody: body.replace('customer_changed', 'mystery_happened'),
    });
    assert.equal(unknown.known, false);
    assert.deepEqual(unknown.changes, []);
  });
});

describe('the Chargebee simulator refuses an offset it never gave out', () => {
  it('answers 400 param_wrong_value on offset, as Chargebee does', async () => {
    const { startChargebeeSimulator } =
      await import('../../../stand-ins/chargebee-simulator/index.ts');
    const sim = await startChargebeeSimulator({ seed: 1 });
    try {
      const res = await fetch(`${sim.url}/customers?limit=5&offset=not-an-offset`, {
        headers: { authorization: basicAuthHeader('test_key_123', '') },
      });
      assert.equal(res.status, 400);
      assert.deepEqual(
        [((await res.json()) as { api_error_code: string; param: string }).api_error_code],
        ['param_wrong_value'],
      );
    } finally {
      await sim.close();
    }
  });
});

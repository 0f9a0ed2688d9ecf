/**
 * Fidelity: the official `chargebee` npm SDK, pointed at the simulator, works unchanged. It
 * lists with offsets, retrieves, creates a customer and a subscription for items (with an
 * idempotency key, replayed), estimates, updates a customer, and gets Chargebee's errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Chargebee from 'chargebee';
import { startChargebeeSimulator } from './index.ts';
import type { ChargebeeSimulator } from './index.ts';

describe('the official chargebee SDK against the simulator', () => {
  let sim: ChargebeeSimulator;
  let cb: InstanceType<typeof Chargebee>;
  before(async () => {
    sim = await startChargebeeSimulator({ seed: 3, apiKey: 'test_sdk_key_0123456789' });
    const port = Number(new URL(sim.url).port);
    cb = new Chargebee({
      site: '127.0.0.1',
      apiKey: 'test_sdk_key_0123456789',
      hostSuffix: '',
      protocol: 'http',
      port,
      retryConfig: { enabled: false },
    } as never);
  });
  after(() => sim.close());

  it('lists customers page by page with next_offset', async () => {
    const seen = new Set<string>();
    let offset: string | undefined;
    let pages = 0;
    do {
      const page = await cb.customer.list({ limit: 7, ...(offset ? { offset } : {}) } as never);
      for (const entry of page.list) seen.add(entry.customer.id);
      offset = page.next_offset;
      pages += 1;
    } while (offset);
    assert.equal(seen.size, sim.data.customers.length);
    assert.ok(pages > 1);
  });

  it('retrieves a subscription with its customer and items', async () => {
    const wanted = sim.data.subscriptions[0] as { id: string; customer_id: string };
    const result = await cb.subscription.retrieve(wanted.id);
    assert.equal(result.subscription.id, wanted.id);
    assert.equal(result.customer.id, wanted.customer_id);
    assert.ok((result.subscription.subscription_items ?? []).length > 0);
  });

  it('estimates, creates a customer and a subscription idempotently, and updates the customer', async () => {
    const items = {
      subscription_items: [
        { item_price_id: 'pro-plan-USD-monthly', quantity: 1 },
        { item_price_id: 'extra-storage-USD-monthly', quantity: 3 },
      ],
    };
    const estimate = await cb.estimate.createSubItemEstimate({
      ...items,
      coupon_ids: ['WELCOME20'],
    } as never);
    const invoice = estimate.estimate.invoice_estimate as {
      sub_total: number;
      total: number;
      discounts?: { amount: number }[];
      taxes?: { amount: number }[];
    };
    const discount = (invoice.discounts ?? []).reduce((a, d) => a + d.amount, 0);
    const tax = (invoice.taxes ?? []).reduce((a, t) => a + t.amount, 0);
    assert.equal(invoice.sub_total, 4900 + 3 * 300);
    assert.equal(invoice.total, invoice.sub_total - discount + tax);
    assert.ok(discount > 0 && tax > 0);

    const { customer } = await cb.customer.create({
      first_name: 'Grace',
      last_name: 'Hopper',
      email: 'grace@example.com',
      company: 'Navy',
    } as never);
    const key = `sdk-${Date.now()}`;
    const first = await cb.subscription.createWithItems(
      customer.id,
      { ...items, meta_data: { salesforce_opportunity_id: '006000000000042AAA' } } as never,
      { 'chargebee-idempotency-key': key } as never,
    );
    const again = await cb.subscription.createWithItems(
      customer.id,
      { ...items, meta_data: { salesforce_opportunity_id: '006000000000042AAA' } } as never,
      { 'chargebee-idempotency-key': key } as never,
    );
    assert.equal(again.subscription.id, first.subscription.id);
    assert.equal(sim.data.subscriptions.filter((s) => s.customer_id === customer.id).length, 1);
    assert.deepEqual(first.subscription.meta_data, {
      salesforce_opportunity_id: '006000000000042AAA',
    });

    const updated = await cb.customer.update(customer.id, { company: 'US Navy' } as never);
    assert.equal(updated.customer.company, 'US Navy');
  });

  it("gets Chargebee's errors: 404, 400 with param, 401, 429", async () => {
    await assert.rejects(
      cb.customer.retrieve('cus_missing'),
      (e: { http_status_code?: number; api_error_code?: string }) => {
        assert.equal(e.http_status_code, 404);
        assert.equal(e.api_error_code, 'resource_not_found');
        return true;
      },
    );
    await assert.rejects(
      cb.estimate.createSubItemEstimate({
        subscription_items: [{ item_price_id: 'no-such-price', quantity: 1 }],
      } as never),
      (e: { http_status_code?: number; param?: string }) => {
        assert.equal(e.http_status_code, 400);
        assert.equal(e.param, 'subscription_items[item_price_id][0]');
        return true;
      },
    );
    const port = Number(new URL(sim.url).port);
    const wrong = new Chargebee({
      site: '127.0.0.1',
      apiKey: 'test_wrong_key',
      hostSuffix: '',
      protocol: 'http',
      port,
      retryConfig: { enabled: false },
    } as never);
    await assert.rejects(
      wrong.customer.list({ limit: 1 } as never),
      (e: { http_status_code?: number; api_error_code?: string }) => {
        assert.equal(e.http_status_code, 401);
        assert.equal(e.api_error_code, 'api_authentication_failed');
        return true;
      },
    );
    sim.faults.add({ times: 1, action: { type: 'status', status: 429, retryAfterSeconds: 1 } });
    await assert.rejects(
      cb.customer.list({ limit: 1 } as never),
      (e: { http_status_code?: number; api_error_code?: string }) => {
        assert.equal(e.http_status_code, 429);
        assert.equal(e.api_error_code, 'api_request_limit_exceeded');
        return true;
      },
    );
  });
});

/**
 * The org API over both billing simulators (issue 5, "verified here"): a preview through the org
 * API has the totals the simulator itself prices for the same subscription, and 100 concurrent
 * create calls for one Opportunity make exactly one subscription at the site. Real HTTP on
 * 127.0.0.1 throughout; the creation ledger is the embedded store's.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChargebeeSimulator } from '../../../stand-ins/chargebee-simulator/index.ts';
import { startMaxioSimulator } from '../../../stand-ins/maxio-simulator/index.ts';
import { basicAuthHeader } from '../../../stand-ins/common/auth.ts';
import { siteKeyOf } from '../../src/model/canonical.ts';
import { centsToDecimal } from '../../src/money.ts';
import { buildOrgApi } from '../../src/org-api/server.ts';
import { ChargebeeProvider } from '../../src/providers/chargebee/index.ts';
import { MaxioProvider } from '../../src/providers/maxio/index.ts';
import type { BillingProvider } from '../../src/providers/provider.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';

const TOKEN = 'org-token-simulators-test-0123456789';
const ORG = '00D000000000001AAA';

interface Case {
  name: 'maxio' | 'chargebee';
  start(): Promise<{
    url: string;
    provider: BillingProvider;
    /** The simulator's own totals (cents) for a plan price point + one add-on × 2 + a coupon. */
    direct(
      plan: string,
      addon: string,
      coupon: string,
      customer: string,
    ): Promise<{ subtotal: number; discount: number; tax: number; total: number }>;
    close(): Promise<void>;
  }>;
}

const cases: Case[] = [
  {
    name: 'maxio',
    async start() {
      const sim = await startMaxioSimulator({ seed: 21 });
      const auth = basicAuthHeader('key', 'x');
      return {
        url: sim.url,
        provider: new MaxioProvider({ siteName: 'acme', apiKey: 'key', baseUrl: sim.url }),
        async direct(plan, addon, coupon, customer) {
          const component = addon.replace('component-pp:', '');
          const cpp = sim.data.componentPricePoints.find((p) => String(p.id) === component);
          const product = sim.data.productPricePoints.find((p) => String(p.id) === plan);
          const res = await fetch(`${sim.url}/subscriptions/preview.json`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({
              subscription: {
                product_id: product?.product_id,
                product_price_point_id: Number(plan),
                customer_id: Number(customer),
                components: [
                  {
                    component_id: cpp?.component_id,
                    allocated_quantity: 2,
                    price_point_id: Number(component),
                  },
                ],
                coupon_codes: [coupon],
              },
            }),
          });
          const m = (
            (await res.json()) as {
              subscription_preview: { current_billing_manifest: Record<string, number> };
            }
          ).subscription_preview.current_billing_manifest;
          return {
            subtotal: m.subtotal_in_cents as number,
            discount: m.total_discount_in_cents as number,
            tax: m.total_tax_in_cents as number,
            total: m.total_in_cents as number,
          };
        },
        close: () => sim.close(),
      };
    },
  },
  {
    name: 'chargebee',
    async start() {
      const sim = await startChargebeeSimulator({ seed: 21 });
      const auth = basicAuthHeader('test_key_abc', '');
      return {
        url: sim.url,
        provider: new ChargebeeProvider({
          siteName: 'acme-test',
          apiKey: 'test_key_abc',
          baseUrl: sim.url,
        }),
        async direct(plan, addon, coupon, customer) {
          const form = new URLSearchParams({
            'subscription_items[item_price_id][0]': plan,
            'subscription_items[quantity][0]': '1',
            'subscription_items[item_price_id][1]': addon,
            'subscription_items[quantity][1]': '2',
            'coupon_ids[0]': coupon,
          });
          const res = await fetch(
            `${sim.url}/customers/${customer}/create_subscription_for_items_estimate`,
            {
              method: 'POST',
              headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
              body: form.toString(),
            },
          );
          const e = (
            (await res.json()) as {
              estimate: {
                invoice_estimate: {
                  sub_total: number;
                  total: number;
                  discounts: { amount: number }[];
                  taxes: { amount: number }[];
                };
              };
            }
          ).estimate.invoice_estimate;
          return {
            subtotal: e.sub_total,
            discount: e.discounts.reduce((a, d) => a + d.amount, 0),
            tax: e.taxes.reduce((a, t) => a + t.amount, 0),
            total: e.total,
          };
        },
        close: () => sim.close(),
      };
    },
  },
];

for (const c of cases) {
  describe(`the org API over the ${c.name} simulator`, { timeout: 120_000 }, () => {
    let stack: Awaited<ReturnType<Case['start']>>;
    let dir: string;
    let store: SqliteStore;
    let api: string;
    let close: () => Promise<void>;
    const call = (path: string, body?: unknown) =>
      fetch(`${api}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          'x-billing-bridge-token': TOKEN,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    before(async () => {
      stack = await c.start();
      dir = mkdtempSync(join(tmpdir(), 'bb-orgapi-'));
      store = new SqliteStore({ path: join(dir, 'bridge.db') });
      const siteName = c.name === 'maxio' ? 'acme' : 'acme-test';
      const app = buildOrgApi({
        orgs: [{ id: ORG, token: TOKEN }],
        sites: [
          {
            site: {
              key: siteKeyOf(c.name, siteName),
              provider: c.name,
              name: siteName,
              defaultCurrency: 'USD',
            },
            provider: stack.provider,
          },
        ],
        ledger: store.creationLedger(),
        version: 'test',
      });
      api = await app.listen({ host: '127.0.0.1', port: 0 });
      close = () => app.close();
    });
    after(async () => {
      await close?.();
      await store?.close();
      await stack?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    async function choice() {
      const siteKey = stack.provider.siteKey;
      const catalog = (await (
        await call(`/org/v1/sites/${encodeURIComponent(siteKey)}/catalog`)
      ).json()) as {
        pricePoints: {
          id: string;
          productId: string;
          currency: string;
          pricingModel: string;
          period?: number;
          trialPeriod?: number;
        }[];
        products: { id: string; kind: string }[];
        coupons: { code: string; discountType: string }[];
      };
      const kindOf = new Map(catalog.products.map((p) => [p.id, p.kind]));
      const plan = catalog.pricePoints.find(
        (p) =>
          ['plan', 'product'].includes(kindOf.get(p.productId) ?? '') &&
          p.currency === 'USD' &&
          p.pricingModel === 'flat_fee' &&
          p.period &&
          !p.trialPeriod,
      );
      const addon = catalog.pricePoints.find(
        (p) =>
          ['addon', 'component'].includes(kindOf.get(p.productId) ?? '') &&
          p.currency === 'USD' &&
          p.pricingModel === 'per_unit',
      );
      const coupon = catalog.coupons.find((x) => x.discountType === 'percentage');
      assert.ok(
        plan && addon && coupon,
        'the catalog offers a plan, a per-unit add-on and a percentage coupon',
      );
      const customer = (await stack.provider.list('customer', { pageSize: 5 })).records[0]
        ?.id as string;
      return { siteKey, plan, addon, coupon, customer };
    }

    it('prices a preview exactly as the simulator itself would invoice it', async () => {
      const { siteKey, plan, addon, coupon, customer } = await choice();
      const res = await call('/org/v1/previews', {
        siteKey,
        customer: { customerId: customer },
        pricePointId: plan.id,
        planQuantity: '1',
        items: [{ pricePointId: addon.id, quantity: '2' }],
        couponCodes: [coupon.code],
      });
      const body = (await res.json()) as {
        current: { subtotal: string; discount: string; tax: string; total: string };
      };
      assert.equal(res.status, 200, JSON.stringify(body));
      const direct = await stack.direct(plan.id, addon.id, coupon.code, customer);
      assert.deepEqual(
        [body.current.subtotal, body.current.discount, body.current.tax, body.current.total],
        [direct.subtotal, direct.discount, direct.tax, direct.total].map((v) => centsToDecimal(v)),
      );
      assert.ok(direct.discount > 0, 'the coupon took effect');
    });

    it('100 concurrent creates for one Opportunity make exactly one subscription', async () => {
      const { siteKey, plan, customer } = await choice();
      const opportunityId = '006000000000100AAA';
      const before = (await stack.provider.list('subscription', { pageSize: 100 })).records.length;
      const statuses = await Promise.all(
        Array.from({ length: 100 }, async () => {
          const res = await call('/org/v1/subscriptions', {
            opportunityId,
            preview: {
              siteKey,
              customer: { customerId: customer },
              pricePointId: plan.id,
              planQuantity: '1',
              items: [],
              couponCodes: [],
            },
          });
          return res.status;
        }),
      );
      assert.ok(
        statuses.every((s) => s === 200 || s === 409),
        statuses.join(','),
      );
      assert.ok(statuses.includes(200));
      const final = (await (await call(`/org/v1/subscriptions/${opportunityId}`)).json()) as {
        state: string;
        subscriptionId: string;
      };
      assert.equal(final.state, 'created');
      let all: { id: string; opportunityId?: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<BillingProvider['list']>> = await stack.provider.list(
          'subscription',
          { cursor, pageSize: 100 },
        );
        all = all.concat(page.records as { id: string; opportunityId?: string | null }[]);
        cursor = page.nextCursor;
      } while (cursor);
      assert.equal(
        all.filter((s) => s.opportunityId === opportunityId).length,
        1,
        'one subscription for the Opportunity',
      );
      assert.ok(all.some((s) => s.id === final.subscriptionId));
      assert.ok(all.length >= before + 1);
    });
  });
}

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { idempotencyKeyFor } from '../../src/org-api/ledger.ts';
import { startReferenceOrgApi } from './reference-org-api.ts';
import type { ReferenceProvider } from '../core/reference/provider.ts';
import type { ReferenceSim } from '../core/reference/sim.ts';
import { addDecimal, subDecimal, compareDecimal } from '../../src/money.ts';

const TOKEN = 'org-token-0123456789abcdef';
const OPPORTUNITY = '006xx000004TmiQAAS';

describe('org API over HTTP, against the reference billing API', () => {
  let sim: ReferenceSim;
  let app: FastifyInstance;
  let base: string;
  let provider: ReferenceProvider;
  let close: () => Promise<void>;
  let customerId: string;

  before(async () => {
    ({ app, sim, provider, close } = await startReferenceOrgApi(TOKEN));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}/org/v1`;
    customerId = (await provider.list('customer')).records[0]?.id ?? '';
    assert.ok(customerId);
  });

  after(async () => {
    await close();
  });

  const call = async (
    path: string,
    init: { method?: string; body?: unknown; token?: string | null } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (init.token !== null) headers['x-billing-bridge-token'] = init.token ?? TOKEN;
    const response = await fetch(`${base}${path}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers,
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const previewBody = () => ({
    siteKey: provider.siteKey,
    customer: { customerId, accountId: '001xx000003DGb2AAG' },
    pricePointId: 'pp_pro_m',
    planQuantity: '1',
    items: [{ pricePointId: 'pp_storage_m', quantity: '2' }],
    couponCodes: [],
  });

  test('refuses calls without the org token, or with a wrong one', async () => {
    assert.equal((await call('/health', { token: null })).status, 401);
    const wrong = await call('/health', { token: 'org-token-0123456789abcdeX' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'unauthorized');
    assert.deepEqual((await call('/health')).body, { status: 'ok', version: 'test', sites: 1 });
  });

  test('serves its OpenAPI document without a token', async () => {
    const response = await fetch(`${base}/openapi.json`);
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { openapi: string }).openapi, '3.0.3');
  });

  test('lists the connected sites and a site catalog', async () => {
    const sites = await call('/sites');
    assert.deepEqual(sites.body, {
      sites: [
        {
          siteKey: 'chargebee:reference',
          provider: 'chargebee',
          name: 'reference',
          defaultCurrency: 'USD',
        },
      ],
    });
    const catalog = await call(`/sites/${encodeURIComponent(provider.siteKey)}/catalog`);
    assert.equal(catalog.status, 200);
    const pricePoints = catalog.body.pricePoints as { id: string; price: string }[];
    assert.deepEqual(pricePoints.map((p) => p.id).sort(), [
      'pp_pro_m',
      'pp_seats_m',
      'pp_storage_m',
    ]);
    assert.deepEqual(catalog.body.currencies, ['USD']);
    assert.equal((await call('/sites/maxio:nowhere/catalog')).status, 404);
  });

  test('prices a preview exactly as the provider does, with totals that add up', async () => {
    const response = await call('/previews', { body: previewBody() });
    assert.equal(response.status, 200);
    const current = response.body.current as {
      subtotal: string;
      discount: string;
      tax: string;
      total: string;
      lines: { kind: string }[];
    };
    const direct = await provider.previewSubscription({
      customer: { id: customerId },
      pricePointId: 'pp_pro_m',
      planQuantity: '1',
      items: [{ pricePointId: 'pp_storage_m', quantity: '2' }],
      couponCodes: [],
    });
    assert.equal(current.total, direct.current.total);
    assert.equal(
      compareDecimal(
        addDecimal(subDecimal(current.subtotal, current.discount), current.tax),
        current.total,
      ),
      0,
    );
    assert.ok(current.lines.some((l) => l.kind === 'baseline'));
  });

  test('rejects a malformed preview with the field at fault', async () => {
    const response = await call('/previews', { body: { ...previewBody(), planQuantity: 'two' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.param, 'planQuantity');
    assert.match(String(response.body.message), /planQuantity/);
  });

  test('100 concurrent creates for one opportunity make exactly one subscription', async () => {
    const before = sim.store.get('subscription')?.length ?? 0;
    const body = { opportunityId: OPPORTUNITY, preview: previewBody() };
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => call('/subscriptions', { body })),
    );
    const after = sim.store.get('subscription')?.length ?? 0;
    assert.equal(after - before, 1);
    const created = responses.filter((r) => r.status === 200);
    assert.ok(created.length >= 1);
    assert.ok(
      responses.every((r) => r.status === 200 || r.status === 409),
      JSON.stringify(responses.map((r) => r.status)),
    );
    assert.equal(new Set(created.map((r) => r.body.subscriptionId)).size, 1);
    assert.equal(created.filter((r) => r.body.created === true).length, 1);

    const again = await call('/subscriptions', { body });
    assert.equal(again.status, 200);
    assert.equal(again.body.created, false);
    assert.equal(again.body.subscriptionId, created[0]?.body.subscriptionId);
    assert.equal(again.body.externalId, `chargebee:reference:${String(again.body.subscriptionId)}`);
    const status = await call(`/subscriptions/${OPPORTUNITY}`);
    assert.equal(status.body.state, 'created');
    assert.equal((await call('/subscriptions/006xx000009ZZZZAAA')).body.state, 'not_requested');
  });

  test('a provider failure reaches the rep as a readable error, and a retry can succeed', async () => {
    const opportunityId = '006xx000004TmiRAAS';
    sim.faults.add({
      match: { method: 'POST' },
      times: 10,
      action: { type: 'status', status: 503 },
    });
    const failed = await call('/subscriptions', {
      body: { opportunityId, preview: previewBody() },
    });
    sim.faults.clear();
    assert.equal(failed.status, 502);
    assert.equal(failed.body.provider, 'chargebee');
    assert.equal((await call(`/subscriptions/${opportunityId}`)).body.state, 'failed');
    const retried = await call('/subscriptions', {
      body: { opportunityId, preview: previewBody() },
    });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.created, true);
  });

  test('the idempotency key is stable per opportunity and differs between opportunities', () => {
    assert.equal(idempotencyKeyFor(OPPORTUNITY), idempotencyKeyFor(OPPORTUNITY));
    assert.notEqual(idempotencyKeyFor(OPPORTUNITY), idempotencyKeyFor('006xx000004TmiRAAS'));
  });
});

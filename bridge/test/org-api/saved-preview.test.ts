/**
 * What the package's Flows send: a create that names the saved Subscription Preview instead of
 * carrying the request (the bridge reads it from the calling org), and a preview whose add-ons come
 * as two parallel lists (a Flow cannot build a list of objects).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { PreviewSource, SavedPreview } from '../../src/org-api/preview-source.ts';
import { NotFoundError } from '../../src/errors.ts';
import { startReferenceOrgApi } from './reference-org-api.ts';
import type { ReferenceProvider } from '../core/reference/provider.ts';

const TOKEN = 'org-token-0123456789abcdef';
const PREVIEW_ID = 'a0Bxx0000000001AAA';

/** Saved previews in memory: the stand-in for the Salesforce reader (SalesforcePreviewSource). */
class MemoryPreviewSource implements PreviewSource {
  readonly reads: { previewId: string; opportunityId: string }[] = [];
  readonly previews = new Map<string, SavedPreview>();

  async readPreview(previewId: string, opportunityId: string): Promise<SavedPreview> {
    this.reads.push({ previewId, opportunityId });
    const saved = this.previews.get(previewId);
    if (!saved)
      throw new NotFoundError(`Subscription Preview ${previewId} was not found`, {
        status: 404,
        param: 'previewId',
      });
    return saved;
  }
}

describe('org API: creating from a saved preview, previews from parallel lists', () => {
  let app: FastifyInstance;
  let provider: ReferenceProvider;
  let close: () => Promise<void>;
  let customerId: string;
  const source = new MemoryPreviewSource();

  before(async () => {
    ({ app, provider, close } = await startReferenceOrgApi(TOKEN, 'test', source));
    customerId = (await provider.list('customer')).records[0]?.id ?? '';
    assert.ok(customerId);
    source.previews.set(PREVIEW_ID, {
      siteKey: provider.siteKey,
      customer: { customerId },
      pricePointId: 'pp_pro_m',
      planQuantity: '1',
      items: [{ pricePointId: 'pp_storage_m', quantity: '3' }],
      couponCodes: [],
    });
  });

  after(async () => {
    await close();
  });

  const post = async (url: string, payload: Record<string, unknown>) => {
    const response = await app.inject({
      method: 'POST',
      url: `/org/v1${url}`,
      headers: { 'x-billing-bridge-token': TOKEN },
      payload,
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };

  test('creates from the saved preview the source reads', async () => {
    const opportunityId = '006xx000005AAAAAAA';
    const created = await post('/subscriptions', { opportunityId, previewId: PREVIEW_ID });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.created, true);
    assert.equal(created.body.siteKey, provider.siteKey);
    assert.deepEqual(source.reads.at(-1), { previewId: PREVIEW_ID, opportunityId });
    const subscription = await provider.get('subscription', String(created.body.subscriptionId));
    assert.equal(subscription.pricePointId, 'pp_pro_m');
    assert.deepEqual(
      subscription.items.map((i) => [i.pricePointId, i.quantity]),
      [['pp_storage_m', '3']],
    );
    // Idempotent per Opportunity whichever form the retry takes.
    const again = await post('/subscriptions', { opportunityId, previewId: PREVIEW_ID });
    assert.equal(again.body.created, false);
    assert.equal(again.body.subscriptionId, created.body.subscriptionId);
  });

  test('an unknown preview is a readable 404 naming previewId', async () => {
    const response = await post('/subscriptions', {
      opportunityId: '006xx000005AAABAAA',
      previewId: 'a0Bxx0000000999AAA',
    });
    assert.equal(response.status, 404);
    assert.equal(response.body.param, 'previewId');
    assert.match(String(response.body.message), /a0Bxx0000000999AAA was not found/);
  });

  test('a create with neither previewId nor preview is refused', async () => {
    const response = await post('/subscriptions', { opportunityId: '006xx000005AAACAAA' });
    assert.equal(response.status, 400);
    assert.equal(response.body.param, 'preview');
  });

  test('without a preview source, a previewId create says what to send instead', async () => {
    const bare = await startReferenceOrgApi(TOKEN);
    try {
      const response = await bare.app.inject({
        method: 'POST',
        url: '/org/v1/subscriptions',
        headers: { 'x-billing-bridge-token': TOKEN },
        payload: { opportunityId: '006xx000005AAADAAA', previewId: PREVIEW_ID },
      });
      assert.equal(response.statusCode, 400);
      assert.match((response.json() as { message: string }).message, /send the preview/);
    } finally {
      await bare.close();
    }
  });

  test('parallel item lists price the same as items', async () => {
    const base = {
      siteKey: provider.siteKey,
      customer: { customerId },
      pricePointId: 'pp_pro_m',
      planQuantity: '1',
      couponCodes: [],
    };
    const asItems = await post('/previews', {
      ...base,
      items: [{ pricePointId: 'pp_storage_m', quantity: '2' }],
    });
    const asLists = await post('/previews', {
      ...base,
      itemPricePointIds: ['pp_storage_m'],
      itemQuantities: ['2'],
    });
    assert.equal(asLists.status, 200, JSON.stringify(asLists.body));
    const total = (r: { body: Record<string, unknown> }) =>
      (r.body.current as { total: string }).total;
    assert.equal(total(asLists), total(asItems));
    const planOnly = await post('/previews', base);
    assert.notEqual(total(asLists), total(planOnly));
  });

  test('parallel lists of different lengths are refused with the field at fault', async () => {
    const response = await post('/previews', {
      siteKey: provider.siteKey,
      customer: { customerId },
      pricePointId: 'pp_pro_m',
      itemPricePointIds: ['pp_storage_m', 'pp_storage_m'],
      itemQuantities: ['2'],
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.param, 'itemQuantities');
    assert.match(String(response.body.message), /1 quantities for 2 itemPricePointIds/);
  });
});

/**
 * The provider contract: what every `BillingProvider` adapter must guarantee, run by each
 * adapter's test against its simulator:
 *
 *   runProviderContract('maxio', async () => ({ provider, sim, makeWebhook, badSignatureWebhook }));
 *
 * Nothing here knows a provider's ids or shapes: the suite discovers customers, price points,
 * coupons, … by listing first, and checks the canonical records only. Every assertion is one
 * the sync engine, the org API or the Closed/Won flow relies on.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiServerError,
  AuthenticationError,
  BillingBridgeError,
  ConflictError,
  NotFoundError,
  WebhookPayloadError,
  WebhookSignatureError,
} from '../../src/errors.ts';
import {
  PRICING_MODELS,
  PRODUCT_KINDS,
  RESOURCE_ORDER,
  SUBSCRIPTION_STATUSES,
  externalIdOf,
} from '../../src/model/canonical.ts';
import type {
  BillingEvent,
  BillingManifest,
  Coupon,
  Customer,
  PricePoint,
  Product,
  ResourceMap,
  ResourceType,
  SiteKey,
  Subscription,
  SubscriptionRequest,
} from '../../src/model/canonical.ts';
import type { BillingProvider, Page, WebhookDelivery } from '../../src/providers/provider.ts';
import {
  addDecimal,
  compareDecimal,
  isDecimal,
  mulDecimal,
  subDecimal,
  sumDecimal,
} from '../../src/money.ts';
import type { FaultInjector } from '../../../stand-ins/common/faults.ts';

export interface ContractSetup {
  provider: BillingProvider;
  sim: { url: string; faults: FaultInjector; close(): Promise<void> };
  makeWebhook(kind: 'subscription_created' | 'unknown'): WebhookDelivery;
  badSignatureWebhook(): WebhookDelivery;
  /** The key the provider uses; checked never to appear in an error. */
  apiKey?: string;
  /** The same simulator reached with a wrong API key. */
  wrongKeyProvider?: () => BillingProvider;
}

/** Resources every seeded simulator must have records of. */
const REQUIRED_RESOURCES: ResourceType[] = [
  'customer',
  'product',
  'pricePoint',
  'subscription',
  'invoice',
  'event',
];
const MAX_PAGES = 20_000;
const LIST_PAGE = 100;

// ---------------------------------------------------------------------------------------------
// Canonical record checks

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

type Bag = Record<string, unknown>;

class Checker {
  readonly problems: string[] = [];
  readonly where: string;
  constructor(where: string) {
    this.where = where;
  }
  fail(path: string, message: string, value: unknown): void {
    if (this.problems.length < 20) {
      this.problems.push(`${this.where}.${path} ${message}: ${JSON.stringify(value)}`);
    }
  }
  string(obj: Bag, key: string, optional = false): void {
    const v = obj[key];
    if (optional && (v === undefined || v === null)) return;
    if (typeof v !== 'string' || v === '') this.fail(key, 'must be a non-empty string', v);
  }
  decimal(obj: Bag, key: string, optional = false, prefix = ''): void {
    const v = obj[key];
    if (optional && (v === undefined || v === null)) return;
    if (typeof v !== 'string' || !isDecimal(v)) {
      this.fail(prefix + key, 'must be a Decimal string', v);
    }
  }
  timestamp(obj: Bag, key: string, optional = true, prefix = ''): void {
    const v = obj[key];
    if (optional && (v === undefined || v === null)) return;
    if (typeof v !== 'string' || !ISO_UTC.test(v) || Number.isNaN(Date.parse(v))) {
      this.fail(prefix + key, 'must be an ISO 8601 UTC timestamp', v);
    }
  }
  date(obj: Bag, key: string): void {
    const v = obj[key];
    if (v === undefined || v === null) return;
    if (typeof v !== 'string' || !(DATE_ONLY.test(v) || ISO_UTC.test(v))) {
      this.fail(key, 'must be YYYY-MM-DD', v);
    }
  }
  currency(obj: Bag, key: string, optional = false): void {
    const v = obj[key];
    if (optional && (v === undefined || v === null)) return;
    if (typeof v !== 'string' || !CURRENCY.test(v)) this.fail(key, 'must be an ISO 4217 code', v);
  }
  oneOf(obj: Bag, key: string, values: readonly string[], optional = false): void {
    const v = obj[key];
    if (optional && (v === undefined || v === null)) return;
    if (typeof v !== 'string' || !values.includes(v)) this.fail(key, `must be one of ${values}`, v);
  }
  array(obj: Bag, key: string, each?: (item: Bag, prefix: string) => void): void {
    const v = obj[key];
    if (!Array.isArray(v)) {
      this.fail(key, 'must be an array', v);
      return;
    }
    v.forEach((item: unknown, i) => {
      if (item === null || typeof item !== 'object')
        this.fail(`${key}[${i}]`, 'must be an object', item);
      else each?.(item as Bag, `${key}[${i}].`);
    });
  }
}

/** Problems with a canonical record (empty when it is valid). */
export function checkRecord(resource: ResourceType, record: unknown, siteKey: SiteKey): string[] {
  const c = new Checker(resource);
  if (record === null || typeof record !== 'object') return [`${resource} is not an object`];
  const r = record as Bag;
  c.string(r, 'id');
  if (r.siteKey !== siteKey) c.fail('siteKey', `must be ${siteKey}`, r.siteKey);
  if (typeof r.id === 'string' && r.externalId !== externalIdOf(siteKey, r.id)) {
    c.fail('externalId', `must be ${externalIdOf(siteKey, r.id)}`, r.externalId);
  }
  c.timestamp(r, 'createdAt');
  c.timestamp(r, 'updatedAt');
  if (r.resourceVersion !== undefined && r.resourceVersion !== null) {
    if (typeof r.resourceVersion !== 'number' || !Number.isFinite(r.resourceVersion)) {
      c.fail('resourceVersion', 'must be a finite number', r.resourceVersion);
    }
  }
  switch (resource) {
    case 'customer':
      c.string(r, 'parentId', true);
      if (r.contacts !== undefined) c.array(r, 'contacts', (x) => c.string(x, 'id'));
      break;
    case 'productFamily':
      c.string(r, 'name');
      break;
    case 'product':
      c.string(r, 'name');
      c.oneOf(r, 'kind', PRODUCT_KINDS);
      break;
    case 'pricePoint':
      c.string(r, 'productId');
      c.currency(r, 'currency');
      c.oneOf(r, 'pricingModel', PRICING_MODELS);
      c.decimal(r, 'price');
      c.decimal(r, 'setupFee', true);
      c.array(r, 'tiers', (t, p) => {
        c.decimal(t, 'startingUnit', false, p);
        c.decimal(t, 'endingUnit', true, p);
        c.decimal(t, 'price', false, p);
      });
      break;
    case 'coupon':
      c.string(r, 'code');
      c.oneOf(r, 'discountType', ['percentage', 'fixed_amount']);
      c.oneOf(r, 'durationType', ['one_time', 'forever', 'limited_period']);
      c.decimal(r, 'discountPercentage', r.discountType !== 'percentage');
      c.decimal(r, 'discountAmount', r.discountType !== 'fixed_amount');
      c.currency(r, 'currency', true);
      c.timestamp(r, 'validTill');
      break;
    case 'subscription':
      c.string(r, 'customerId');
      c.oneOf(r, 'status', SUBSCRIPTION_STATUSES);
      c.string(r, 'providerStatus');
      c.currency(r, 'currency');
      for (const key of [
        'planQuantity',
        'planUnitPrice',
        'planAmount',
        'productPrice',
        'nextBillingAmount',
        'balance',
        'currentBillingAmount',
        'totalRevenue',
        'mrr',
        'totalDues',
      ]) {
        c.decimal(r, key, true);
      }
      for (const key of [
        'activatedAt',
        'startedAt',
        'cancelledAt',
        'trialStart',
        'trialEnd',
        'currentTermStart',
        'currentTermEnd',
        'nextBillingAt',
        'dueSince',
      ]) {
        c.timestamp(r, key);
      }
      c.array(r, 'items', (item, p) => {
        c.string(item, 'id');
        c.oneOf(item, 'kind', PRODUCT_KINDS);
        c.string(item, 'productId');
        c.decimal(item, 'quantity', false, p);
        c.decimal(item, 'unitPrice', true, p);
        c.decimal(item, 'amount', true, p);
      });
      c.array(r, 'coupons', (item) => c.string(item, 'couponId'));
      break;
    case 'transaction':
      c.string(r, 'type');
      c.decimal(r, 'amount');
      c.currency(r, 'currency');
      break;
    case 'invoice':
      c.string(r, 'customerId');
      c.string(r, 'status');
      c.currency(r, 'currency');
      for (const key of ['subtotal', 'discount', 'tax', 'total', 'paid', 'due']) c.decimal(r, key);
      c.decimal(r, 'credit', true);
      c.decimal(r, 'refund', true);
      for (const key of ['issueDate', 'dueDate', 'paidDate']) c.date(r, key);
      c.array(r, 'lines', (line, p) => {
        for (const key of ['quantity', 'unitPrice', 'amount', 'discount', 'tax']) {
          c.decimal(line, key, false, p);
        }
        c.decimal(line, 'subtotal', true, p);
        c.decimal(line, 'total', true, p);
      });
      c.array(r, 'payments', (payment, p) => {
        c.decimal(payment, 'amount', false, p);
        c.timestamp(payment, 'appliedAt', true, p);
      });
      c.array(r, 'taxes', (tax, p) => {
        c.decimal(tax, 'amount', false, p);
        c.decimal(tax, 'rate', true, p);
      });
      break;
    case 'creditNote':
      c.string(r, 'customerId');
      c.string(r, 'status');
      c.currency(r, 'currency');
      for (const key of [
        'subtotal',
        'total',
        'amountAllocated',
        'amountRefunded',
        'amountAvailable',
      ]) {
        c.decimal(r, key);
      }
      c.decimal(r, 'roundOff', true);
      for (const key of ['date', 'refundedAt', 'voidedAt']) c.timestamp(r, key);
      c.array(r, 'allocations', (a, p) => {
        c.string(a, 'invoiceId');
        c.decimal(a, 'amount', false, p);
        c.timestamp(a, 'allocatedAt', true, p);
      });
      break;
    case 'event':
      c.string(r, 'key');
      c.timestamp(r, 'occurredAt', false);
      break;
  }
  return c.problems;
}

/** Problems with a manifest's arithmetic (empty when it adds up). */
export function checkManifest(manifest: BillingManifest, label: string): string[] {
  const problems: string[] = [];
  const c = new Checker(label);
  const m = manifest as unknown as Bag;
  c.currency(m, 'currency');
  for (const key of ['subtotal', 'discount', 'tax', 'total']) c.decimal(m, key);
  c.array(m, 'lines', (line, p) => {
    for (const key of ['amount', 'discount', 'tax']) c.decimal(line, key, false, p);
    c.decimal(line, 'quantity', true, p);
    c.decimal(line, 'unitPrice', true, p);
  });
  c.array(m, 'discounts', (d, p) => c.decimal(d, 'amount', false, p));
  c.array(m, 'taxes', (t, p) => c.decimal(t, 'amount', false, p));
  problems.push(...c.problems);
  if (problems.length > 0) return problems;
  const expectTotal = addDecimal(subDecimal(manifest.subtotal, manifest.discount), manifest.tax);
  if (compareDecimal(expectTotal, manifest.total) !== 0) {
    problems.push(
      `${label}: total ${manifest.total} ≠ subtotal ${manifest.subtotal} − discount ${manifest.discount} + tax ${manifest.tax} = ${expectTotal}`,
    );
  }
  const discounts = sumDecimal(manifest.discounts.map((d) => d.amount));
  if (compareDecimal(discounts, manifest.discount) !== 0) {
    problems.push(`${label}: discount ${manifest.discount} ≠ Σ discounts ${discounts}`);
  }
  const taxes = sumDecimal(manifest.taxes.map((t) => t.amount));
  if (compareDecimal(taxes, manifest.tax) !== 0) {
    problems.push(`${label}: tax ${manifest.tax} ≠ Σ taxes ${taxes}`);
  }
  const charged = sumDecimal(
    manifest.lines.filter((l) => l.kind !== 'coupon' && l.kind !== 'tax').map((l) => l.amount),
  );
  if (compareDecimal(charged, manifest.subtotal) !== 0) {
    problems.push(`${label}: subtotal ${manifest.subtotal} ≠ Σ charge lines ${charged}`);
  }
  if (compareDecimal(manifest.total, '0') < 0)
    problems.push(`${label}: negative total ${manifest.total}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function walk<R extends ResourceType>(
  provider: BillingProvider,
  resource: R,
  pageSize = LIST_PAGE,
): Promise<{ records: ResourceMap[R][]; pages: number }> {
  const records: ResourceMap[R][] = [];
  const seen = new Map<string, number>();
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<ResourceMap[R]> = await provider.list(resource, { cursor, pageSize });
    pages++;
    assert.ok(Array.isArray(page.records), `${resource} page ${pages}: records is not an array`);
    assert.ok(
      page.records.length <= Math.max(pageSize, 1) || pageSize > 200,
      `${resource} page ${pages}: ${page.records.length} records for pageSize ${pageSize}`,
    );
    for (const record of page.records) {
      const earlier = seen.get(record.id);
      assert.equal(
        earlier,
        undefined,
        `${resource} ${record.id} listed twice (pages ${earlier} and ${pages}): paging overlaps`,
      );
      seen.set(record.id, pages);
      records.push(record);
    }
    assert.ok(
      page.nextCursor === null || typeof page.nextCursor === 'string',
      `${resource}: nextCursor must be a string or null`,
    );
    if (page.nextCursor !== null) {
      assert.notEqual(
        page.nextCursor,
        cursor,
        `${resource}: the cursor did not move (endless paging)`,
      );
    }
    cursor = page.nextCursor;
    assert.ok(
      pages < MAX_PAGES,
      `${resource}: more than ${MAX_PAGES} pages; the cursor never ends`,
    );
  } while (cursor !== null);
  return { records, pages };
}

interface EventDrain {
  events: BillingEvent[];
  cursor: string | null;
}

async function drainEvents(
  provider: BillingProvider,
  from: string | null,
  pageSize = 200,
): Promise<EventDrain> {
  const events: BillingEvent[] = [];
  let cursor = from;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < MAX_PAGES, 'eventsSince never drains');
    const page = await provider.eventsSince(cursor, { pageSize });
    if (page.records.length === 0) {
      assert.equal(
        page.nextCursor,
        cursor,
        'eventsSince with nothing new must hand back the cursor it was given',
      );
      return { events, cursor };
    }
    assert.notEqual(page.nextCursor, null, 'eventsSince returned events but no resume cursor');
    assert.notEqual(
      page.nextCursor,
      cursor,
      'eventsSince returned events but the cursor did not move',
    );
    events.push(...page.records);
    cursor = page.nextCursor;
  }
}

function withoutRaw<T extends object>(record: T): Omit<T, 'raw'> {
  const { raw: _raw, ...rest } = record as T & { raw?: unknown };
  return rest;
}

function missingIdLike(ids: string[]): string {
  if (ids.length > 0 && ids.every((id) => /^\d+$/.test(id))) {
    return String(ids.reduce((max, id) => (BigInt(id) > max ? BigInt(id) : max), 0n) + 1_000_000n);
  }
  return `${ids[0] ?? 'x'}_contract_missing`;
}

function fakeOpportunityId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '006';
  for (let i = 0; i < 12; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return `${id}AAA`;
}

function uniqueKey(label: string): string {
  return `contract-${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function isActive(status: string | null | undefined): boolean {
  return status === undefined || status === null || status === 'active';
}

function isTrueDecimal(value: string | null | undefined): boolean {
  return typeof value === 'string' && isDecimal(value) && compareDecimal(value, '0') !== 0;
}

interface PlanChoice {
  product: Product;
  pricePoint: PricePoint;
  quantity: string;
  addon: { product: Product; pricePoint: PricePoint; quantity: string } | null;
}

function upperCaseHeaders(headers: WebhookDelivery['headers']): WebhookDelivery['headers'] {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
}

function assertNoSecret(error: unknown, apiKey: string | undefined): void {
  if (!apiKey || apiKey.length < 6 || !(error instanceof Error)) return;
  assert.ok(
    !error.message.includes(apiKey),
    `the API key leaked into an error message: ${error.message}`,
  );
  assert.ok(!JSON.stringify(error).includes(apiKey), 'the API key leaked into a serialised error');
}

// ---------------------------------------------------------------------------------------------
// The suite

export function runProviderContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`provider contract: ${name}`, { timeout: 300_000 }, () => {
    let ctx: ContractSetup;
    let provider: BillingProvider;
    const inventory = new Map<ResourceType, Promise<{ records: unknown[]; pages: number }>>();
    const all = async <R extends ResourceType>(resource: R): Promise<ResourceMap[R][]> => {
      let pending = inventory.get(resource);
      if (!pending) {
        pending = walk(provider, resource);
        inventory.set(resource, pending);
      }
      return (await pending).records as ResourceMap[R][];
    };

    before(async () => {
      ctx = await setup();
      provider = ctx.provider;
    });
    after(async () => {
      await ctx?.sim.close();
    });
    afterEach(() => {
      ctx?.sim.faults.clear();
    });

    const choosePlan = async (): Promise<PlanChoice> => {
      const products = await all('product');
      const pricePoints = await all('pricePoint');
      const byId = new Map(products.map((p) => [p.id, p]));
      const usable = (pp: PricePoint, kinds: string[]) => {
        const product = byId.get(pp.productId);
        return (
          product !== undefined &&
          kinds.includes(product.kind) &&
          isActive(product.status) &&
          isActive(pp.status) &&
          !pp.trialPeriod &&
          (pp.pricingModel === 'flat_fee' || pp.pricingModel === 'per_unit') &&
          compareDecimal(pp.price, '0') > 0
        );
      };
      const plan = pricePoints.find((pp) => usable(pp, ['plan', 'product']) && pp.period);
      assert.ok(
        plan,
        'no active plan/product price point without trial, flat_fee or per_unit, price > 0, with a period',
      );
      const planProduct = byId.get(plan.productId) as Product;
      const addonPp = pricePoints.find((pp) => {
        if (!usable(pp, ['addon', 'component']) || pp.currency !== plan.currency) return false;
        const product = byId.get(pp.productId) as Product;
        if (product.kind === 'component') {
          return product.componentKind === 'quantity_based_component';
        }
        return pp.period === plan.period && pp.periodUnit === plan.periodUnit;
      });
      return {
        product: planProduct,
        pricePoint: plan,
        quantity: plan.pricingModel === 'per_unit' ? '2' : '1',
        addon: addonPp
          ? {
              product: byId.get(addonPp.productId) as Product,
              pricePoint: addonPp,
              quantity: addonPp.pricingModel === 'per_unit' ? '2' : '1',
            }
          : null,
      };
    };

    const chooseCustomer = async (): Promise<Customer> => {
      const customers = await all('customer');
      const customer =
        customers.find((c) => c.autoCollection === 'off' && !c.parentId) ??
        customers.find((c) => c.paymentMethod?.status === 'valid') ??
        customers[0];
      assert.ok(customer, 'no customers listed');
      return customer;
    };

    const requestFor = (
      customer: Customer,
      plan: PlanChoice,
      extra: Partial<SubscriptionRequest> = {},
    ) =>
      ({
        customer: { id: customer.id },
        productId: plan.product.id,
        pricePointId: plan.pricePoint.id,
        planQuantity: plan.quantity,
        items: plan.addon
          ? [
              {
                productId: plan.addon.product.id,
                pricePointId: plan.addon.pricePoint.id,
                quantity: plan.addon.quantity,
              },
            ]
          : [],
        couponCodes: [],
        currency: plan.pricePoint.currency,
        ...extra,
      }) satisfies SubscriptionRequest;

    // -- identity ---------------------------------------------------------------------------

    it('names its provider and site key', () => {
      assert.ok(provider.provider === 'maxio' || provider.provider === 'chargebee');
      assert.ok(
        provider.siteKey.startsWith(`${provider.provider}:`) &&
          provider.siteKey.length > provider.provider.length + 1,
        `siteKey ${provider.siteKey}`,
      );
    });

    // -- listing ----------------------------------------------------------------------------

    for (const resource of RESOURCE_ORDER) {
      it(`lists every ${resource} to the end, each a valid canonical record`, async () => {
        const records = await all(resource);
        if (REQUIRED_RESOURCES.includes(resource)) {
          assert.ok(records.length > 0, `the seeded simulator has no ${resource} records`);
        }
        const problems = records.flatMap((r) => checkRecord(resource, r, provider.siteKey));
        assert.deepEqual(problems.slice(0, 10), [], `${problems.length} problems`);
      });
    }

    it('pages with a stable order whatever the page size', async () => {
      const first3 = await provider.list('customer', { pageSize: 3 });
      assert.ok(first3.records.length >= 1);
      const singles: string[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < first3.records.length; i++) {
        const page: Page<Customer> = await provider.list('customer', { pageSize: 1, cursor });
        assert.equal(page.records.length, 1, 'pageSize 1 must give one record');
        singles.push((page.records[0] as Customer).id);
        cursor = page.nextCursor;
        if (i < first3.records.length - 1) assert.notEqual(cursor, null);
      }
      assert.deepEqual(
        singles,
        first3.records.map((r) => r.id),
      );
      const customers = await all('customer');
      if (customers.length > 3) assert.notEqual(first3.nextCursor, null, 'more customers exist');
    });

    it('a small page size walks to the same set as the default', async () => {
      const customers = await all('customer');
      const small = await walk(provider, 'customer', 7);
      assert.deepEqual(small.records.map((r) => r.id).sort(), customers.map((r) => r.id).sort());
      const full = Math.ceil(customers.length / 7);
      assert.ok(
        small.pages === full || small.pages === full + 1,
        `${small.pages} pages of 7 for ${customers.length} customers`,
      );
    });

    it('clamps a page size above the provider maximum instead of failing', async () => {
      const page = await provider.list('customer', { pageSize: 10_000 });
      assert.ok(page.records.length > 0 && page.records.length <= 200, `${page.records.length}`);
    });

    it('references resolve: subscriptions and invoices to customers, price points to products', async () => {
      const customers = new Set((await all('customer')).map((c) => c.id));
      const products = new Set((await all('product')).map((p) => p.id));
      const dangling: string[] = [];
      for (const s of await all('subscription')) {
        if (!customers.has(s.customerId))
          dangling.push(`subscription ${s.id} → customer ${s.customerId}`);
      }
      for (const i of await all('invoice')) {
        if (!customers.has(i.customerId))
          dangling.push(`invoice ${i.id} → customer ${i.customerId}`);
      }
      for (const pp of await all('pricePoint')) {
        if (!products.has(pp.productId))
          dangling.push(`pricePoint ${pp.id} → product ${pp.productId}`);
      }
      for (const c of await all('customer')) {
        if (c.parentId && !customers.has(c.parentId))
          dangling.push(`customer ${c.id} → parent ${c.parentId}`);
      }
      assert.deepEqual(dangling.slice(0, 10), [], `${dangling.length} dangling references`);
    });

    // -- get --------------------------------------------------------------------------------

    for (const resource of RESOURCE_ORDER.filter((r) => r !== 'event')) {
      it(`gets a ${resource} by id, equal to the listed record`, async () => {
        const records = await all(resource);
        if (records.length === 0) return;
        const picks = [records[0], records[Math.floor(records.length / 2)], records.at(-1)];
        for (const listed of new Set(picks)) {
          if (!listed) continue;
          const got = await provider.get(resource, listed.id);
          assert.deepEqual(withoutRaw(got), withoutRaw(listed), `${resource} ${listed.id}`);
        }
      });
    }

    it('get of a missing id is NotFoundError', async () => {
      for (const resource of ['customer', 'subscription', 'invoice'] as const) {
        const ids = (await all(resource)).map((r) => r.id);
        const missing = missingIdLike(ids);
        await assert.rejects(provider.get(resource, missing), (error: unknown) => {
          assert.ok(error instanceof NotFoundError, `${resource} ${missing}: ${String(error)}`);
          assert.equal(error.status, 404);
          assertNoSecret(error, ctx.apiKey);
          return true;
        });
      }
    });

    // -- events -----------------------------------------------------------------------------

    it('reads events oldest first from the beginning to the end', async () => {
      const { events, cursor } = await drainEvents(provider, null);
      assert.ok(events.length > 0, 'no events');
      assert.notEqual(cursor, null);
      const ids = new Set<string>();
      for (let i = 0; i < events.length; i++) {
        const event = events[i] as BillingEvent;
        assert.deepEqual(checkRecord('event', event, provider.siteKey), []);
        assert.ok(!ids.has(event.id), `event ${event.id} returned twice`);
        ids.add(event.id);
        if (i > 0) {
          const previous = events[i - 1] as BillingEvent;
          assert.ok(
            Date.parse(previous.occurredAt) <= Date.parse(event.occurredAt),
            `events out of order: ${previous.id}@${previous.occurredAt} before ${event.id}@${event.occurredAt}`,
          );
        }
      }
      const listed = await all('event');
      assert.equal(events.length, listed.length, 'eventsSince(null) and list("event") disagree');
    });

    it('resumes from a cursor: nothing old again, a new subscription shows up, previews add nothing', async () => {
      const drained = await drainEvents(provider, null);
      const seen = new Set(drained.events.map((e) => e.id));
      const again = await drainEvents(provider, drained.cursor);
      assert.deepEqual(again.events, [], 'events returned again after the end');

      const plan = await choosePlan();
      const customer = await chooseCustomer();
      await provider.previewSubscription(requestFor(customer, plan));
      const afterPreview = await drainEvents(provider, drained.cursor);
      assert.deepEqual(afterPreview.events, [], 'a preview must not create anything');

      const created = await provider.createSubscription(
        requestFor(customer, plan, { opportunityId: fakeOpportunityId() }),
        uniqueKey('events'),
      );
      const fresh = await drainEvents(provider, drained.cursor);
      assert.ok(fresh.events.length > 0, 'creating a subscription produced no event');
      for (const event of fresh.events)
        assert.ok(!seen.has(event.id), `old event ${event.id} again`);
      assert.ok(
        fresh.events.some((e) => e.subscriptionId === created.id),
        `no new event carries subscriptionId ${created.id}: ${JSON.stringify(fresh.events.map((e) => [e.key, e.subscriptionId]))}`,
      );
    });

    // -- preview ----------------------------------------------------------------------------

    it('previews a subscription whose totals add up', async () => {
      const plan = await choosePlan();
      const customer = await chooseCustomer();
      const preview = await provider.previewSubscription(requestFor(customer, plan));
      assert.equal(preview.siteKey, provider.siteKey);
      assert.equal(preview.currency, plan.pricePoint.currency);
      assert.equal(preview.current.currency, plan.pricePoint.currency);
      assert.deepEqual(checkManifest(preview.current, 'current'), []);
      if (preview.next) assert.deepEqual(checkManifest(preview.next, 'next'), []);
      assert.ok(preview.current.lines.length > 0, 'an empty manifest');
      const planAmount = mulDecimal(plan.pricePoint.price, plan.quantity);
      assert.ok(
        preview.current.lines.some(
          (l) => l.kind === 'baseline' && compareDecimal(l.amount, planAmount) === 0,
        ),
        `no baseline line of ${planAmount} (${plan.pricePoint.price} × ${plan.quantity}): ${JSON.stringify(
          preview.current.lines.map((l) => [l.kind, l.amount]),
        )}`,
      );
      if (plan.addon) {
        const addonAmount = mulDecimal(plan.addon.pricePoint.price, plan.addon.quantity);
        assert.ok(
          preview.current.lines.some(
            (l) =>
              (l.kind === 'component' || l.kind === 'addon') &&
              compareDecimal(l.amount, addonAmount) === 0,
          ),
          `no ${plan.addon.product.kind} line of ${addonAmount}: ${JSON.stringify(
            preview.current.lines.map((l) => [l.kind, l.amount]),
          )}`,
        );
      }
    });

    it('previews with a percentage coupon: a discount that lowers the total', async () => {
      const plan = await choosePlan();
      const customer = await chooseCustomer();
      const coupons = await all('coupon');
      const now = Date.now();
      const coupon = coupons.find(
        (c: Coupon) =>
          c.discountType === 'percentage' &&
          isTrueDecimal(c.discountPercentage) &&
          (c.status === null || c.status === undefined || c.status === 'active') &&
          (!c.validTill || Date.parse(c.validTill) > now) &&
          (c.maxRedemptions === null ||
            c.maxRedemptions === undefined ||
            (c.redemptions ?? 0) < c.maxRedemptions) &&
          (!c.productFamilyId || c.productFamilyId === plan.product.familyId) &&
          (!c.itemConstraints ||
            c.itemConstraints.length === 0 ||
            c.itemConstraints.some(
              (k) =>
                k.itemType === 'plan' &&
                (k.constraint === 'all' ||
                  (k.constraint === 'specific' &&
                    (k.itemPriceIds ?? []).includes(plan.pricePoint.id))),
            )),
      );
      assert.ok(coupon, `no active percentage coupon applies to ${plan.pricePoint.id}`);
      const base = await provider.previewSubscription(requestFor(customer, plan));
      const discounted = await provider.previewSubscription(
        requestFor(customer, plan, { couponCodes: [coupon.code] }),
      );
      assert.deepEqual(checkManifest(discounted.current, 'current'), []);
      assert.ok(compareDecimal(discounted.current.discount, '0') > 0, 'no discount');
      assert.ok(discounted.current.discounts.length > 0, 'no discount entry');
      assert.ok(
        compareDecimal(discounted.current.total, base.current.total) < 0,
        `total ${discounted.current.total} not below ${base.current.total}`,
      );
    });

    // -- create -----------------------------------------------------------------------------

    it('creates a subscription idempotently per key', async () => {
      const plan = await choosePlan();
      const customer = await chooseCustomer();
      const opportunityId = fakeOpportunityId();
      const request = requestFor(customer, plan, { opportunityId });
      const key = uniqueKey('create');
      const first = await provider.createSubscription(request, key);
      assert.deepEqual(checkRecord('subscription', first, provider.siteKey), []);
      assert.equal(first.customerId, customer.id);
      assert.ok(['active', 'in_trial', 'future'].includes(first.status), first.status);
      assert.equal(first.currency, plan.pricePoint.currency);
      assert.equal(first.opportunityId, opportunityId, 'opportunityId must round-trip');
      const second = await provider.createSubscription(request, key);
      assert.equal(second.id, first.id, 'the same key created a second subscription');
      const got = await provider.get('subscription', first.id);
      assert.equal(got.opportunityId, opportunityId);
      assert.equal(got.customerId, customer.id);
      const other = await provider.createSubscription(request, uniqueKey('create-other'));
      assert.notEqual(other.id, first.id, 'a different key must create a different subscription');
    });

    it('concurrent creates with one key make one subscription', async () => {
      const plan = await choosePlan();
      const customer = await chooseCustomer();
      const request = requestFor(customer, plan, { opportunityId: fakeOpportunityId() });
      const key = uniqueKey('concurrent');
      const results = await Promise.allSettled(
        [1, 2, 3].map(() => provider.createSubscription(request, key)),
      );
      const ids = new Set<string>();
      for (const result of results) {
        if (result.status === 'fulfilled') ids.add(result.value.id);
        else
          assert.ok(result.reason instanceof ConflictError, `unexpected ${String(result.reason)}`);
      }
      assert.equal(ids.size, 1, `${ids.size} subscriptions for one key`);
      const again = await provider.createSubscription(request, key);
      assert.ok(ids.has(again.id));
    });

    it('a create whose response was lost is retried with the same key: exactly one subscription', async () => {
      const plan = await choosePlan();
      const customer = await chooseCustomer();
      const opportunityId = fakeOpportunityId();
      const request = requestFor(customer, plan, { opportunityId });
      const key = uniqueKey('lost');
      ctx.sim.faults.add({ match: { method: 'POST' }, times: 1, action: { type: 'dropResponse' } });
      const created = await provider.createSubscription(request, key);
      assert.equal(ctx.sim.faults.applied.at(-1)?.action, 'dropResponse', 'the fault did not fire');
      assert.equal(created.opportunityId, opportunityId);
      const { records } = await walk(provider, 'subscription', 200);
      const mine = records.filter((s: Subscription) => s.opportunityId === opportunityId);
      assert.equal(mine.length, 1, `${mine.length} subscriptions for one opportunity`);
      assert.equal(mine[0]?.id, created.id);
    });

    it('creates the customer too when given details without an id', async () => {
      const plan = await choosePlan();
      const suffix = Math.random().toString(36).slice(2, 8);
      const email = `contract.${suffix}@example.com`;
      const created = await provider.createSubscription(
        {
          ...requestFor({ id: '' } as Customer, plan),
          customer: {
            firstName: 'Contract',
            lastName: `Test ${suffix}`,
            email,
            company: `Contract ${suffix} Ltd`,
            reference: `contract-${suffix}`,
          },
        },
        uniqueKey('newcustomer'),
      );
      assert.ok(created.customerId, 'no customer id');
      const customer = await provider.get('customer', created.customerId);
      assert.equal(customer.email, email);
      assert.equal(customer.company, `Contract ${suffix} Ltd`);
    });

    // -- update customer ---------------------------------------------------------------------

    it('updates a customer and reads the change back', async () => {
      const customers = await all('customer');
      const before = customers.at(-1) as Customer;
      const suffix = Math.random().toString(36).slice(2, 8);
      const update = {
        email: `updated.${suffix}@example.com`,
        phone: `+1 555 01${suffix.length}${Math.floor(Math.random() * 90 + 10)}`,
        company: `Updated ${suffix} Inc`,
      };
      const updated = await provider.updateCustomer(before.id, update, uniqueKey('update'));
      assert.equal(updated.id, before.id);
      const reread = await provider.get('customer', before.id);
      for (const record of [updated, reread]) {
        assert.equal(record.email, update.email);
        assert.equal(record.phone, update.phone);
        assert.equal(record.company, update.company);
        assert.equal(record.firstName, before.firstName, 'firstName changed');
        assert.equal(record.lastName, before.lastName, 'lastName changed');
        assert.equal(record.parentId ?? null, before.parentId ?? null, 'parentId changed');
      }
      if (before.updatedAt && reread.updatedAt) {
        assert.ok(
          Date.parse(reread.updatedAt) >= Date.parse(before.updatedAt),
          'updatedAt went back',
        );
      }
    });

    it('updating a missing customer is NotFoundError', async () => {
      const ids = (await all('customer')).map((c) => c.id);
      await assert.rejects(
        provider.updateCustomer(missingIdLike(ids), { company: 'Nobody' }),
        NotFoundError,
      );
    });

    // -- faults -----------------------------------------------------------------------------

    it('retries a 429 after its Retry-After', async () => {
      ctx.sim.faults.add({
        match: { method: 'GET' },
        times: 1,
        action: { type: 'status', status: 429, retryAfterSeconds: 1 },
      });
      const started = Date.now();
      const page = await provider.list('customer', { pageSize: 5 });
      const elapsed = Date.now() - started;
      assert.ok(page.records.length > 0);
      assert.equal(ctx.sim.faults.size, 0, 'the 429 was never hit');
      assert.ok(elapsed >= 900, `retried after ${elapsed} ms, before Retry-After: 1`);
    });

    it('retries 5xx on GET', async () => {
      const hitsBefore = ctx.sim.faults.applied.length;
      ctx.sim.faults.add({
        match: { method: 'GET' },
        times: 2,
        action: { type: 'status', status: 503 },
      });
      const page = await provider.list('customer', { pageSize: 5 });
      assert.ok(page.records.length > 0);
      assert.equal(ctx.sim.faults.applied.length - hitsBefore, 2);
    });

    it('retries a dropped connection on GET', async () => {
      const hitsBefore = ctx.sim.faults.applied.length;
      ctx.sim.faults.add({ match: { method: 'GET' }, times: 1, action: { type: 'drop' } });
      const customer = (await all('customer'))[0] as Customer;
      const got = await provider.get('customer', customer.id);
      assert.equal(got.id, customer.id);
      assert.equal(ctx.sim.faults.applied.length - hitsBefore, 1);
    });

    it('gives up on a persistent 5xx with ApiServerError', async () => {
      ctx.sim.faults.add({ match: { method: 'GET' }, action: { type: 'status', status: 503 } });
      await assert.rejects(provider.list('customer', { pageSize: 5 }), (error: unknown) => {
        assert.ok(error instanceof ApiServerError, String(error));
        assert.equal(error.status, 503);
        assert.equal(error.provider, provider.provider);
        assertNoSecret(error, ctx.apiKey);
        return true;
      });
    });

    it('a 401 is AuthenticationError and is not retried', async () => {
      const hitsBefore = ctx.sim.faults.applied.length;
      ctx.sim.faults.add({ action: { type: 'status', status: 401 } });
      await assert.rejects(provider.list('customer', { pageSize: 5 }), (error: unknown) => {
        assert.ok(error instanceof AuthenticationError, String(error));
        assert.ok(error instanceof BillingBridgeError);
        assert.equal(error.status, 401);
        assertNoSecret(error, ctx.apiKey);
        return true;
      });
      assert.equal(ctx.sim.faults.applied.length - hitsBefore, 1, 'a 401 was retried');
    });

    it('a wrong API key is AuthenticationError', async (t) => {
      if (!ctx.wrongKeyProvider) {
        t.skip('setup gave no wrongKeyProvider');
        return;
      }
      await assert.rejects(
        ctx.wrongKeyProvider().list('customer', { pageSize: 1 }),
        AuthenticationError,
      );
    });

    // -- webhooks ---------------------------------------------------------------------------

    it('verifies and parses a subscription_created webhook into canonical changes', () => {
      const delivery = ctx.makeWebhook('subscription_created');
      provider.verifyWebhook(delivery);
      const parsed = provider.parseWebhook(delivery);
      assert.equal(parsed.known, true);
      assert.ok(parsed.eventId, 'no eventId');
      assert.ok(parsed.eventType, 'no eventType');
      assert.match(parsed.occurredAt, ISO_UTC);
      assert.deepEqual(checkRecord('event', parsed.event, provider.siteKey), []);
      const subscriptions = parsed.changes.filter((c) => c.resource === 'subscription');
      assert.ok(subscriptions.length >= 1, 'no subscription change');
      for (const change of parsed.changes) {
        assert.deepEqual(checkRecord(change.resource, change.record, provider.siteKey), []);
      }
      assert.equal(provider.parseWebhook(delivery).eventId, parsed.eventId, 'eventId not stable');
      assert.doesNotThrow(() =>
        provider.verifyWebhook({ ...delivery, headers: upperCaseHeaders(delivery.headers) }),
      );
    });

    it('keeps an unknown event type: verified, parsed with known = false', () => {
      const delivery = ctx.makeWebhook('unknown');
      provider.verifyWebhook(delivery);
      const parsed = provider.parseWebhook(delivery);
      assert.equal(parsed.known, false);
      assert.ok(parsed.eventId);
      assert.ok(parsed.eventType);
    });

    it('rejects a bad signature and a delivery without credentials', () => {
      assert.throws(() => provider.verifyWebhook(ctx.badSignatureWebhook()), WebhookSignatureError);
      const good = ctx.makeWebhook('subscription_created');
      const bare = Object.fromEntries(
        Object.entries(good.headers).filter(([k]) => k.toLowerCase() === 'content-type'),
      );
      assert.throws(
        () => provider.verifyWebhook({ headers: bare, rawBody: good.rawBody }),
        WebhookSignatureError,
      );
    });

    it('a malformed or empty body is WebhookPayloadError', () => {
      const good = ctx.makeWebhook('subscription_created');
      for (const rawBody of ['{"id": "ev_1", "content": {{{ not json', '%%%&&&==', '']) {
        assert.throws(
          () => provider.parseWebhook({ headers: good.headers, rawBody }),
          WebhookPayloadError,
          `body ${JSON.stringify(rawBody)}`,
        );
      }
    });
  });
}

/**
 * A deliberately small "reference" billing API used only to test the provider contract suite
 * itself: it stores canonical-shaped records, pages by offset, keeps an event feed, prices
 * previews, honours an Idempotency-Key on creates and runs the shared FaultInjector. Not a
 * model of any vendor.
 */
import Fastify from 'fastify';
import { FaultInjector } from '../../../../stand-ins/common/faults.ts';
import { checkApiKey } from '../../../../stand-ins/common/auth.ts';
import { createRng } from '../../../../stand-ins/common/prng.ts';
import { addDecimal, mulDecimal, percentOf, subDecimal, sumDecimal } from '../../../src/money.ts';
import type {
  BillingManifest,
  ManifestLine,
  ResourceType,
  SubscriptionRequest,
} from '../../../src/model/canonical.ts';

export type ApiRecord = Record<string, unknown> & { id: string };

export interface ReferenceSim {
  url: string;
  faults: FaultInjector;
  store: Map<ResourceType, ApiRecord[]>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

function seed(store: Map<ResourceType, ApiRecord[]>): void {
  const rng = createRng(11);
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const at = (i: number) => new Date(t0 + i * 60_000).toISOString();
  store.set('productFamily', [{ id: 'fam_1', name: 'Main', createdAt: at(0) }]);
  store.set('product', [
    { id: 'prod_pro', kind: 'plan', name: 'Pro', familyId: 'fam_1', status: 'active' },
    { id: 'prod_seats', kind: 'plan', name: 'Seats', familyId: 'fam_1', status: 'active' },
    { id: 'prod_storage', kind: 'addon', name: 'Storage', familyId: 'fam_1', status: 'active' },
  ]);
  const pp = (id: string, productId: string, model: string, price: string) => ({
    id,
    productId,
    name: id,
    currency: 'USD',
    pricingModel: model,
    price,
    period: 1,
    periodUnit: 'month',
    status: 'active',
    tiers: [],
  });
  store.set('pricePoint', [
    pp('pp_pro_m', 'prod_pro', 'flat_fee', '49.00'),
    pp('pp_seats_m', 'prod_seats', 'per_unit', '12.50'),
    pp('pp_storage_m', 'prod_storage', 'per_unit', '3.10'),
  ]);
  store.set('coupon', [
    {
      id: 'cpn_10',
      code: 'TEN',
      name: '10% off',
      discountType: 'percentage',
      discountPercentage: '10',
      durationType: 'forever',
      status: 'active',
    },
  ]);
  const customers: ApiRecord[] = [];
  for (let i = 1; i <= 23; i++) {
    customers.push({
      id: `cus_${String(i).padStart(3, '0')}`,
      firstName: rng.pick(['Ada', 'Grace', 'Alan', 'Edsger']),
      lastName: rng.pick(['Lovelace', 'Hopper', 'Turing', 'Dijkstra']),
      email: `c${i}@example.com`,
      company: `Company ${i}`,
      phone: null,
      parentId: i > 20 ? 'cus_001' : null,
      autoCollection: 'off',
      createdAt: at(i),
      updatedAt: at(i),
      contacts: [],
    });
  }
  store.set('customer', customers);
  const subscriptions: ApiRecord[] = [];
  const invoices: ApiRecord[] = [];
  const transactions: ApiRecord[] = [];
  const events: ApiRecord[] = [];
  for (let i = 1; i <= 5; i++) {
    const customerId = `cus_${String(i).padStart(3, '0')}`;
    subscriptions.push({
      id: `sub_${i}`,
      customerId,
      status: 'active',
      providerStatus: 'active',
      currency: 'USD',
      productId: 'prod_pro',
      pricePointId: 'pp_pro_m',
      planQuantity: '1',
      items: [],
      coupons: [],
      opportunityId: null,
      createdAt: at(100 + i),
      updatedAt: at(100 + i),
    });
    invoices.push({
      id: `inv_${i}`,
      customerId,
      subscriptionId: `sub_${i}`,
      status: 'paid',
      currency: 'USD',
      subtotal: '49.00',
      discount: '0.00',
      tax: '4.90',
      total: '53.90',
      paid: '53.90',
      due: '0.00',
      issueDate: '2026-01-02',
      lines: [
        {
          id: `li_${i}`,
          description: 'Pro',
          quantity: '1',
          unitPrice: '49.00',
          amount: '49.00',
          discount: '0.00',
          tax: '4.90',
        },
      ],
      payments: [{ amount: '53.90' }],
      taxes: [{ name: 'VAT', rate: '10', amount: '4.90' }],
    });
    transactions.push({
      id: `txn_${i}`,
      type: 'payment',
      amount: '53.90',
      currency: 'USD',
      customerId,
      subscriptionId: `sub_${i}`,
      invoiceId: `inv_${i}`,
    });
    events.push({
      id: `ev_${i}`,
      seq: i,
      key: 'subscription_created',
      occurredAt: at(100 + i),
      subscriptionId: `sub_${i}`,
      customerId,
    });
  }
  store.set('subscription', subscriptions);
  store.set('invoice', invoices);
  store.set('transaction', transactions);
  store.set('event', events);
  store.set('creditNote', [
    {
      id: 'cn_1',
      customerId: 'cus_001',
      status: 'refunded',
      currency: 'USD',
      subtotal: '10.00',
      total: '10.00',
      amountAllocated: '0.00',
      amountRefunded: '10.00',
      amountAvailable: '0.00',
      allocations: [],
    },
  ]);
}

function price(
  store: Map<ResourceType, ApiRecord[]>,
  request: SubscriptionRequest,
): BillingManifest {
  const pricePoints = store.get('pricePoint') ?? [];
  const find = (id: string | null | undefined) => pricePoints.find((p) => p.id === id);
  const plan = find(request.pricePointId);
  if (!plan) throw Object.assign(new Error('unknown price point'), { statusCode: 422 });
  const lines: ManifestLine[] = [
    {
      kind: 'baseline',
      description: String(plan.name),
      pricePointId: plan.id,
      quantity: request.planQuantity ?? '1',
      amount: mulDecimal(plan.price as string, request.planQuantity ?? '1'),
      discount: '0.00',
      tax: '0.00',
    },
  ];
  for (const item of request.items) {
    const pp = find(item.pricePointId);
    if (!pp) throw Object.assign(new Error('unknown item'), { statusCode: 422 });
    lines.push({
      kind: 'addon',
      description: String(pp.name),
      pricePointId: pp.id,
      quantity: item.quantity,
      amount: mulDecimal(pp.price as string, item.quantity),
      discount: '0.00',
      tax: '0.00',
    });
  }
  const subtotal = sumDecimal(lines.map((l) => l.amount));
  const coupons = (store.get('coupon') ?? []).filter((c) =>
    request.couponCodes.includes(c.code as string),
  );
  const discounts = coupons.map((c) => ({
    code: c.code as string,
    description: c.name as string,
    amount: percentOf(subtotal, c.discountPercentage as string),
  }));
  const discount = sumDecimal(discounts.map((d) => d.amount));
  const tax = percentOf(subDecimal(subtotal, discount), '10');
  return {
    currency: 'USD',
    lines,
    discounts,
    taxes: [{ name: 'VAT', rate: '10', amount: tax }],
    subtotal,
    discount,
    tax,
    total: addDecimal(subDecimal(subtotal, discount), tax),
  };
}

export async function startReferenceSim(): Promise<ReferenceSim> {
  const store = new Map<ResourceType, ApiRecord[]>();
  seed(store);
  const faults = new FaultInjector({
    defaultBody: (status) => ({
      message: `injected ${status}`,
      code: status === 429 ? 'rate_limited' : 'injected',
    }),
  });
  const idempotency = new Map<string, ApiRecord>();
  let seq = (store.get('event') ?? []).length;
  const app = Fastify();
  faults.fastifyHook(app);
  app.addHook('onRequest', async (request, reply) => {
    if (!checkApiKey(request.headers.authorization).ok) {
      await reply.code(401).send({ message: 'bad credentials', code: 'unauthenticated' });
    }
  });
  const list = (resource: string) => {
    const records = store.get(resource as ResourceType);
    if (!records) throw Object.assign(new Error(`no resource ${resource}`), { statusCode: 404 });
    return records;
  };
  app.get<{ Params: { resource: string }; Querystring: { offset?: string; limit?: string } }>(
    '/r/:resource',
    async (request) => {
      const records = list(request.params.resource);
      const offset = Number(request.query.offset ?? 0);
      const limit = Math.min(Number(request.query.limit ?? 50), 100);
      const page = records.slice(offset, offset + limit);
      return { records: page, next: offset + limit < records.length ? offset + limit : null };
    },
  );
  app.get<{ Params: { resource: string; id: string } }>(
    '/r/:resource/:id',
    async (request, reply) => {
      const record = list(request.params.resource).find((r) => r.id === request.params.id);
      if (!record) return reply.code(404).send({ message: 'not found', code: 'not_found' });
      return record;
    },
  );
  app.get<{ Querystring: { after?: string; limit?: string } }>('/events/since', async (request) => {
    const after = Number(request.query.after ?? 0);
    const limit = Math.min(Number(request.query.limit ?? 50), 100);
    return {
      records: list('event')
        .filter((e) => (e.seq as number) > after)
        .slice(0, limit),
    };
  });
  app.post<{ Body: SubscriptionRequest }>('/preview', async (request) =>
    price(store, request.body),
  );
  app.post<{ Body: SubscriptionRequest }>('/subscriptions', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (typeof key === 'string' && idempotency.has(key)) return idempotency.get(key);
    const body = request.body;
    const manifest = price(store, body);
    let customerId = body.customer.id ?? null;
    if (customerId) {
      if (!list('customer').some((c) => c.id === customerId)) {
        return reply.code(404).send({ message: 'customer not found', code: 'not_found' });
      }
    } else {
      customerId = `cus_n${list('customer').length + 1}`;
      list('customer').push({
        id: customerId,
        firstName: body.customer.firstName ?? null,
        lastName: body.customer.lastName ?? null,
        email: body.customer.email ?? null,
        company: body.customer.company ?? null,
        phone: body.customer.phone ?? null,
        parentId: null,
        createdAt: now(),
        updatedAt: now(),
        contacts: [],
      });
    }
    const subscription: ApiRecord = {
      id: `sub_n${list('subscription').length + 1}`,
      customerId,
      status: 'active',
      providerStatus: 'active',
      currency: manifest.currency,
      productId: body.productId ?? null,
      pricePointId: body.pricePointId ?? null,
      planQuantity: body.planQuantity ?? '1',
      items: body.items.map((item) => ({
        id: item.pricePointId ?? '',
        kind: 'addon',
        productId: item.productId ?? '',
        pricePointId: item.pricePointId ?? null,
        quantity: item.quantity,
      })),
      coupons: [],
      opportunityId: body.opportunityId ?? null,
      createdAt: now(),
      updatedAt: now(),
    };
    list('subscription').push(subscription);
    seq++;
    list('event').push({
      id: `ev_${seq}`,
      seq,
      key: 'subscription_created',
      occurredAt: now(),
      subscriptionId: subscription.id,
      customerId,
    });
    if (typeof key === 'string') idempotency.set(key, subscription);
    return subscription;
  });
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/customers/:id',
    async (request, reply) => {
      const customer = list('customer').find((c) => c.id === request.params.id);
      if (!customer) return reply.code(404).send({ message: 'not found', code: 'not_found' });
      Object.assign(customer, request.body, { updatedAt: now() });
      return customer;
    },
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, faults, store, close: () => app.close() };
}

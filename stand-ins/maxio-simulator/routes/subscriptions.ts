/**
 * Subscriptions: list, read, lookup by reference, components (per subscription and site-wide),
 * custom fields (metadata), the preview (`POST /subscriptions/preview.json`, priced by
 * pricing.ts, no side effect) and signup (`POST /subscriptions.json`).
 *
 * Signup is idempotent twice over: a `uniqueness_token` (in `subscription` or beside it) that was
 * seen before returns the subscription it made (200, never a second one), and a subscription
 * `reference` already taken is refused with Maxio's 422.
 */
import type { FastifyInstance } from 'fastify';
import { siteTime } from '../data.ts';
import type { Json } from '../data.ts';
import { notFound, paginate, unprocessable, wrap } from '../http.ts';
import type { RouteContext } from '../http.ts';
import { PricingError, preview, resolve } from '../pricing.ts';
import type { Resolved, SubscriptionInput } from '../pricing.ts';
import type { MaxioStore } from '../store.ts';
import { customerErrors, newCustomer } from './customers.ts';

const DAY = 86_400_000;

type SignupInput = SubscriptionInput & {
  reference?: string;
  metafields?: Json;
  payment_collection_method?: string;
  uniqueness_token?: string;
};

function metadataPage(metadata: Json[]): Json {
  return { total_count: metadata.length, current_page: 1, total_pages: 1, per_page: 20, metadata };
}

function subscriptionRecord(
  store: MaxioStore,
  input: SignupInput,
  resolved: Resolved,
  customer: Json,
  now: number,
): Json {
  const pp = resolved.pricePoint;
  const trial = pp.trial_interval !== null && pp.trial_interval !== undefined;
  const end = now + Number(pp.interval ?? 1) * 30 * DAY;
  return {
    id: store.nextId('subscription'),
    state: trial ? 'trialing' : 'active',
    balance_in_cents: 0,
    total_revenue_in_cents: 0,
    product_price_in_cents: pp.price_in_cents,
    product_version_number: 1,
    current_period_started_at: siteTime(now),
    current_period_ends_at: siteTime(end),
    next_assessment_at: siteTime(end),
    trial_started_at: trial ? siteTime(now) : null,
    trial_ended_at: trial ? siteTime(now + 14 * DAY) : null,
    activated_at: trial ? null : siteTime(now),
    expires_at: null,
    created_at: siteTime(now),
    updated_at: siteTime(now),
    cancellation_message: null,
    cancellation_method: null,
    cancel_at_end_of_period: false,
    canceled_at: null,
    previous_state: trial ? 'trialing' : 'active',
    coupon_code: resolved.coupons[0]?.code ?? null,
    coupon_codes: resolved.coupons.map((c) => c.code),
    coupons: resolved.coupons.map((c) => ({
      code: c.code,
      use_count: 0,
      uses_allowed: null,
      expires_at: null,
      recurring: c.recurring,
      amount_in_cents: c.amount_in_cents,
      percentage: c.percentage,
    })),
    payment_collection_method: input.payment_collection_method ?? 'remittance',
    customer,
    product: resolved.product,
    product_price_point_id: pp.id,
    product_price_point_type: pp.type,
    current_billing_amount_in_cents: pp.price_in_cents,
    net_terms: 30,
    reference: input.reference ?? null,
    currency: 'USD',
    locale: customer.locale ?? 'en-US',
    credit_balance_in_cents: 0,
    prepayment_balance_in_cents: 0,
    payer_id: customer.id,
  };
}

function componentRecords(subscriptionId: number, resolved: Resolved, now: number): Json[] {
  return resolved.components.map(({ component, pricePoint, quantity }) => ({
    component: {
      id: component.id,
      name: component.name,
      kind: component.kind,
      unit_name: component.unit_name,
      enabled: component.kind === 'on_off_component' ? quantity > 0 : null,
      unit_balance: component.kind === 'metered_component' ? quantity : 0,
      allocated_quantity: component.kind === 'metered_component' ? 0 : quantity,
      currency: 'USD',
      pricing_scheme: pricePoint.pricing_scheme,
      component_id: component.id,
      component_handle: component.handle,
      subscription_id: subscriptionId,
      recurring: true,
      price_point_id: pricePoint.id,
      price_point_handle: pricePoint.handle,
      price_point_type: pricePoint.type,
      price_point_name: pricePoint.name,
      created_at: siteTime(now),
      updated_at: siteTime(now),
    },
  }));
}

export function registerSubscriptionRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { store } = ctx;
  type ById = { Params: { id: string } };

  // List Metadata for a resource type: several subscriptions' custom fields in one call.
  app.get('/subscriptions/metadata.json', async (request) => {
    const raw = (request.query as Record<string, string | string[] | undefined>)['resource_ids[]'];
    const ids = (Array.isArray(raw) ? raw : raw ? raw.split(',') : []).map(Number);
    const metadata = ids.flatMap((id) => store.metadataOf(id));
    return { ...metadataPage(metadata), per_page: metadata.length };
  });
  app.get('/subscriptions.json', async (request) =>
    wrap('subscription', paginate(request, store.list('subscriptions'))),
  );
  app.get<{ Querystring: { reference?: string } }>(
    '/subscriptions/lookup.json',
    async (request, reply) => {
      const reference = request.query.reference;
      const subscription = reference ? store.subscriptionByReference(reference) : undefined;
      return subscription ? { subscription } : notFound(reply);
    },
  );
  app.get<ById>('/subscriptions/:id.json', async (request, reply) => {
    const subscription = store.find('subscriptions', request.params.id);
    return subscription ? { subscription } : notFound(reply);
  });
  app.get<ById>('/subscriptions/:id/components.json', async (request, reply) => {
    const subscription = store.find('subscriptions', request.params.id);
    if (!subscription) return notFound(reply);
    return store.componentsOf(subscription.id as number);
  });
  app.get<ById>('/subscriptions/:id/metadata.json', async (request, reply) => {
    const subscription = store.find('subscriptions', request.params.id);
    if (!subscription) return notFound(reply);
    return metadataPage(store.metadataOf(subscription.id as number));
  });
  // List Subscription Components for Site: the components of many subscriptions in one call.
  app.get('/subscriptions_components.json', async (request) => {
    const q = request.query as { subscription_ids?: string };
    const rows: Json[] = [];
    const ids = q.subscription_ids
      ? q.subscription_ids.split(',').map(Number)
      : [...store.data.subscriptionComponents.keys()];
    for (const subscriptionId of ids) {
      for (const entry of store.componentsOf(subscriptionId)) {
        rows.push({ ...(entry.component as Json), subscription_id: subscriptionId });
      }
    }
    return { subscriptions_components: paginate(request, rows) };
  });

  app.post('/subscriptions/preview.json', async (request, reply) => {
    const input = ((request.body as Json | undefined)?.subscription ?? {}) as SubscriptionInput;
    try {
      return preview(resolve(store.data, input));
    } catch (error) {
      if (error instanceof PricingError) return unprocessable(reply, error.errors);
      throw error;
    }
  });

  app.post('/subscriptions.json', async (request, reply) => {
    const body = (request.body as Json | undefined) ?? {};
    const input = (body.subscription ?? {}) as SignupInput;
    const token = (body.uniqueness_token ?? input.uniqueness_token) as string | undefined;
    // Everything below runs without an await, so concurrent signups are serialised here.
    if (token) {
      const earlier = store.subscriptionByToken(String(token));
      if (earlier) return reply.code(200).send({ subscription: earlier });
    }
    if (input.reference && store.subscriptionByReference(input.reference)) {
      return unprocessable(reply, ['Reference: must be unique - that value has been taken.']);
    }
    let resolved: Resolved;
    try {
      resolved = resolve(store.data, input);
    } catch (error) {
      if (error instanceof PricingError) return unprocessable(reply, error.errors);
      throw error;
    }
    let customer: Json | undefined;
    if (input.customer_id !== undefined && input.customer_id !== null) {
      customer = store.find('customers', String(input.customer_id));
      if (!customer) return unprocessable(reply, ['Customer could not be found']);
    } else {
      const attrs = (input.customer_attributes ?? {}) as Json;
      const errors = customerErrors(store, attrs, true);
      if (errors.length > 0) return unprocessable(reply, errors);
      customer = store.insert('customers', newCustomer(store, attrs));
      ctx.publish(
        'customer_create',
        `Customer ${String(customer.organization ?? customer.id)} created`,
        { customerId: customer.id as number },
        { customer },
      );
    }
    const now = Date.now();
    const subscription = store.insert(
      'subscriptions',
      subscriptionRecord(store, input, resolved, customer, now),
    );
    const id = subscription.id as number;
    store.setComponents(id, componentRecords(id, resolved, now));
    if (input.metafields) store.setMetafields(id, input.metafields);
    if (token) store.rememberToken(String(token), id);
    ctx.publish(
      'signup_success',
      `Signup of ${String(customer.organization ?? customer.id)} on ${String(resolved.product.name)}`,
      { subscriptionId: id, customerId: customer.id as number },
      { subscription, site: { id: 1, subdomain: store.site } },
    );
    return reply.code(201).send({ subscription });
  });
}

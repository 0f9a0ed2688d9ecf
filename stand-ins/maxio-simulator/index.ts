/**
 * A Maxio Advanced Billing site on 127.0.0.1: the endpoints, shapes, pagination, errors and auth
 * of the real API that the bridge's Maxio adapter uses, over seeded data (data.ts), with previews
 * priced for real (pricing.ts), webhooks signed like Maxio's, and per-test fault injection.
 *
 * - Auth: HTTP Basic with the API key as user and `x` as password. Any non-empty key is accepted
 *   unless `apiKey` is set. Missing or wrong: 401 `HTTP Basic: Access denied.` (Maxio is Rails).
 * - At most `maxConcurrent` (4) requests in flight per site; the next gets 429 with Retry-After.
 * - Lists: `page` (1-based) and `per_page` (default 20, at most 200), oldest first unless
 *   `direction=desc`; JSON arrays of wrapped records (`[{"customer":{…}}]`), except the newer
 *   APIs that wrap the list (`{"invoices":[…]}`, `{"credit_notes":[…]}`).
 * - Errors: `{"errors":["…"]}` with 422 for validation, 404 for unknown ids.
 * - Subscription `reference` is unique per site (the adapter uses it for idempotency; Maxio has
 *   no idempotency header on subscription creation); `GET /subscriptions/lookup.json?reference=`
 *   finds one by it.
 * - Webhooks: form-encoded `id`, `event`, `payload[...]` bodies signed with
 *   `X-Chargify-Webhook-Signature-Hmac-Sha-256` (hex HMAC-SHA256 of the body, site shared key),
 *   retried 5 times; duplicates and out-of-order release through `webhooks`.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RunningSimulator, SimulatorOptions } from '../../bridge/src/cli/simulate.ts';
import { checkApiKey, hmacSha256Hex } from '../common/auth.ts';
import { FaultInjector } from '../common/faults.ts';
import { createRng } from '../common/prng.ts';
import { WebhookEmitter } from '../common/webhooks.ts';
import { generateMaxioData, siteTime } from './data.ts';
import type { Json, MaxioData } from './data.ts';
import { PricingError, preview, resolve } from './pricing.ts';
import type { SubscriptionInput } from './pricing.ts';

export interface MaxioSimulator extends RunningSimulator {
  data: MaxioData;
  /** Requests received, for request-shape checks in tests. */
  requests: { method: string; path: string; body: unknown }[];
  /** Emit a webhook for an event as Maxio would (payload: the records it concerns). */
  emitEvent(key: string, payload: Json): Promise<void>;
}

/** Maxio's retry schedule for a failed webhook: 5 attempts in all. */
export const MAXIO_WEBHOOK_SCHEDULE = [60_000, 300_000, 1_800_000, 7_200_000];

const MAX_PER_PAGE = 200;

/** Form-encode nested objects the way Maxio (Rails `to_query`) does: `payload[subscription][id]=1`. */
export function toFormBody(value: Json, prefix = ''): string[] {
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (v === null || v === undefined) parts.push(`${encodeURIComponent(name)}=`);
    else if (Array.isArray(v)) {
      v.forEach((item) => {
        if (item !== null && typeof item === 'object')
          parts.push(...toFormBody(item as Json, `${name}[]`));
        else parts.push(`${encodeURIComponent(`${name}[]`)}=${encodeURIComponent(String(item))}`);
      });
    } else if (typeof v === 'object') parts.push(...toFormBody(v as Json, name));
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(v))}`);
  }
  return parts;
}

export async function startMaxioSimulator(
  options: SimulatorOptions & { maxConcurrent?: number; webhookSchedule?: number[] } = {},
): Promise<MaxioSimulator> {
  const site = options.site ?? 'acme';
  const data = generateMaxioData(options.seed ?? 1, options.scale ?? 1, site);
  const faults = new FaultInjector({ defaultBody: (status) => ({ errors: [`HTTP ${status}`] }) });
  const requests: MaxioSimulator['requests'] = [];
  const maxConcurrent = options.maxConcurrent ?? 4;
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 10 * 1024 * 1024,
  });
  const webhooks = options.webhook
    ? new WebhookEmitter({
        url: options.webhook.url,
        schedule: options.webhookSchedule ?? MAXIO_WEBHOOK_SCHEDULE,
        contentType: 'application/x-www-form-urlencoded',
        sign: (body) => ({
          'X-Chargify-Webhook-Signature-Hmac-Sha-256': hmacSha256Hex(
            options.webhook?.secret ?? '',
            body,
          ),
        }),
        rng: createRng(`maxio-webhooks:${options.seed ?? 1}`),
      })
    : null;

  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  faults.fastifyHook(app);
  app.addHook('onRequest', async (request, reply) => {
    const check = checkApiKey(request.headers.authorization, options.apiKey);
    if (!check.ok) {
      return reply.code(401).type('text/plain').send('HTTP Basic: Access denied.\n');
    }
    if (inFlight >= maxConcurrent) {
      return reply
        .code(429)
        .header('Retry-After', '1')
        .send({ errors: ['Too many concurrent requests: at most 4 per site'] });
    }
    inFlight += 1;
    counted.add(request);
    return undefined;
  });
  const release = (request: FastifyRequest) => {
    if (counted.delete(request)) inFlight = Math.max(0, inFlight - 1);
  };
  app.addHook('onResponse', async (request) => release(request));
  // A request cut by a fault or a dropped client still frees its slot.
  app.addHook('onRequestAbort', async (request) => release(request));
  app.addHook('preHandler', async (request) => {
    requests.push({
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      body: request.body ?? null,
    });
  });

  const notFound = (reply: FastifyReply) => reply.code(404).send({ errors: ['Not Found'] });
  const unprocessable = (reply: FastifyReply, errors: string[]) => reply.code(422).send({ errors });

  type Q = {
    page?: string;
    per_page?: string;
    direction?: string;
    since_id?: string;
    max_id?: string;
  };
  const paginate = (request: FastifyRequest, records: Json[]) => {
    const q = request.query as Q;
    const perPage = Math.min(MAX_PER_PAGE, Math.max(1, Number(q.per_page ?? 20) || 20));
    const page = Math.max(1, Number(q.page ?? 1) || 1);
    const ordered = q.direction === 'desc' ? [...records].reverse() : records;
    return ordered.slice((page - 1) * perPage, page * perPage);
  };
  const wrap = (key: string, records: Json[]) => records.map((r) => ({ [key]: r }));

  // -- catalog -------------------------------------------------------------------------------
  app.get('/product_families.json', async (request) =>
    wrap('product_family', paginate(request, data.productFamilies)),
  );
  app.get<{ Params: { id: string } }>('/product_families/:id.json', async (request, reply) => {
    const family = data.productFamilies.find((f) => String(f.id) === request.params.id);
    return family ? { product_family: family } : notFound(reply);
  });
  app.get('/products.json', async (request) => wrap('product', paginate(request, data.products)));
  app.get<{ Params: { id: string } }>('/products/:id.json', async (request, reply) => {
    const product = data.products.find((p) => String(p.id) === request.params.id);
    return product ? { product } : notFound(reply);
  });
  /** `filter[ids]=1,2` narrows the list-all price point endpoints. */
  const byIds = (request: FastifyRequest, records: Json[]) => {
    const ids = (request.query as Record<string, string | undefined>)['filter[ids]'];
    if (!ids) return records;
    const wanted = new Set(ids.split(','));
    return records.filter((r) => wanted.has(String(r.id)));
  };
  app.get('/products_price_points.json', async (request) => ({
    price_points: paginate(request, byIds(request, data.productPricePoints)),
  }));
  app.get<{ Params: { id: string } }>('/products/:id/price_points.json', async (request, reply) => {
    const product = data.products.find((p) => String(p.id) === request.params.id);
    if (!product) return notFound(reply);
    return {
      price_points: paginate(
        request,
        data.productPricePoints.filter((pp) => pp.product_id === product.id),
      ),
    };
  });
  app.get<{ Params: { pid: string; id: string } }>(
    '/products/:pid/price_points/:id.json',
    async (request, reply) => {
      const pp = data.productPricePoints.find(
        (p) => String(p.product_id) === request.params.pid && String(p.id) === request.params.id,
      );
      return pp ? { price_point: pp } : notFound(reply);
    },
  );
  app.get('/components.json', async (request) =>
    wrap('component', paginate(request, data.components)),
  );
  app.get<{ Params: { id: string } }>('/components/:id.json', async (request, reply) => {
    const component = data.components.find((c) => String(c.id) === request.params.id);
    return component ? { component } : notFound(reply);
  });
  app.get('/components_price_points.json', async (request) => ({
    price_points: paginate(request, byIds(request, data.componentPricePoints)),
  }));
  app.get<{ Params: { id: string } }>(
    '/components/:id/price_points.json',
    async (request, reply) => {
      const component = data.components.find((c) => String(c.id) === request.params.id);
      if (!component) return notFound(reply);
      return {
        price_points: paginate(
          request,
          data.componentPricePoints.filter((p) => p.component_id === component.id),
        ),
      };
    },
  );
  app.get<{ Params: { cid: string; id: string } }>(
    '/components/:cid/price_points/:id.json',
    async (request, reply) => {
      const pp = data.componentPricePoints.find(
        (p) => String(p.component_id) === request.params.cid && String(p.id) === request.params.id,
      );
      return pp ? { price_point: pp } : notFound(reply);
    },
  );
  app.get('/coupons.json', async (request) => wrap('coupon', paginate(request, data.coupons)));
  app.get<{ Params: { id: string } }>('/coupons/:id.json', async (request, reply) => {
    const coupon = data.coupons.find((c) => String(c.id) === request.params.id);
    return coupon ? { coupon } : notFound(reply);
  });

  // -- customers -----------------------------------------------------------------------------
  app.get('/customers.json', async (request) =>
    wrap('customer', paginate(request, data.customers)),
  );
  app.get<{ Params: { id: string } }>('/customers/:id.json', async (request, reply) => {
    const customer = data.customers.find((c) => String(c.id) === request.params.id);
    return customer ? { customer } : notFound(reply);
  });
  const CUSTOMER_FIELDS = [
    'first_name',
    'last_name',
    'email',
    'cc_emails',
    'organization',
    'reference',
    'address',
    'address_2',
    'city',
    'state',
    'zip',
    'country',
    'phone',
    'locale',
    'vat_number',
    'tax_exempt',
    'parent_id',
  ];
  const customerErrors = (attrs: Json, creating: boolean): string[] => {
    const errors: string[] = [];
    for (const key of Object.keys(attrs))
      if (!CUSTOMER_FIELDS.includes(key)) errors.push(`Unknown attribute: ${key}`);
    if (creating && !attrs.first_name) errors.push('First name: cannot be blank.');
    if (creating && !attrs.last_name) errors.push('Last name: cannot be blank.');
    if (
      attrs.email !== undefined &&
      attrs.email !== null &&
      !/^[^\s@]+@[^\s@]+$/.test(String(attrs.email))
    ) {
      errors.push('Email address: must be a valid email address.');
    }
    if (attrs.reference && data.customers.some((c) => c.reference === attrs.reference)) {
      errors.push('Reference: must be unique - that value has been taken.');
    }
    return errors;
  };
  app.put<{ Params: { id: string } }>('/customers/:id.json', async (request, reply) => {
    const customer = data.customers.find((c) => String(c.id) === request.params.id);
    if (!customer) return notFound(reply);
    const attrs = ((request.body as Json | undefined)?.customer ?? {}) as Json;
    const errors = customerErrors(attrs, false).filter(
      (e) => !e.startsWith('Reference') || attrs.reference !== customer.reference,
    );
    if (errors.length > 0) return unprocessable(reply, errors);
    Object.assign(customer, attrs, { updated_at: siteTime(Date.now()) });
    addEvent(
      'customer_update',
      `Customer ${customer.organization ?? customer.id} updated`,
      null,
      customer.id as number,
    );
    void emit('customer_update', { customer });
    return { customer };
  });

  // -- subscriptions -------------------------------------------------------------------------
  /** Subscription custom fields (Maxio "metafields"), by subscription id. */
  const metafields = new Map<number, Json>();
  const metadataOf = (id: number) =>
    Object.entries(metafields.get(id) ?? {}).map(([name, value]) => ({
      id: null,
      value: String(value),
      resource_id: id,
      name,
    }));
  // List Metadata for a resource type: several subscriptions' custom fields in one call.
  app.get('/subscriptions/metadata.json', async (request) => {
    const raw = (request.query as Record<string, string | string[] | undefined>)['resource_ids[]'];
    const ids = (Array.isArray(raw) ? raw : raw ? raw.split(',') : []).map(Number);
    const metadata = ids.flatMap((id) => metadataOf(id));
    return {
      total_count: metadata.length,
      current_page: 1,
      total_pages: 1,
      per_page: metadata.length,
      metadata,
    };
  });
  app.get('/subscriptions.json', async (request) =>
    wrap('subscription', paginate(request, data.subscriptions)),
  );
  app.get<{ Querystring: { reference?: string } }>(
    '/subscriptions/lookup.json',
    async (request, reply) => {
      const subscription = data.subscriptions.find(
        (s) => s.reference !== null && s.reference === request.query.reference,
      );
      return subscription ? { subscription } : notFound(reply);
    },
  );
  app.get<{ Params: { id: string } }>('/subscriptions/:id.json', async (request, reply) => {
    const subscription = data.subscriptions.find((s) => String(s.id) === request.params.id);
    return subscription ? { subscription } : notFound(reply);
  });
  app.get<{ Params: { id: string } }>(
    '/subscriptions/:id/components.json',
    async (request, reply) => {
      const subscription = data.subscriptions.find((s) => String(s.id) === request.params.id);
      if (!subscription) return notFound(reply);
      return data.subscriptionComponents.get(subscription.id as number) ?? [];
    },
  );
  // List Subscription Components for Site: the components of many subscriptions in one call.
  app.get('/subscriptions_components.json', async (request) => {
    const q = request.query as { subscription_ids?: string };
    const wanted = q.subscription_ids ? new Set(q.subscription_ids.split(',')) : null;
    const rows: Json[] = [];
    for (const [subscriptionId, list] of data.subscriptionComponents) {
      if (wanted && !wanted.has(String(subscriptionId))) continue;
      for (const entry of list)
        rows.push({ ...(entry.component as Json), subscription_id: subscriptionId });
    }
    return { subscriptions_components: paginate(request, rows) };
  });
  app.post('/subscriptions/preview.json', async (request, reply) => {
    const input = ((request.body as Json | undefined)?.subscription ?? {}) as SubscriptionInput;
    try {
      return preview(resolve(data, input));
    } catch (error) {
      if (error instanceof PricingError) return unprocessable(reply, error.errors);
      throw error;
    }
  });
  app.post('/subscriptions.json', async (request, reply) => {
    const input = ((request.body as Json | undefined)?.subscription ?? {}) as SubscriptionInput & {
      reference?: string;
      metafields?: Json;
      payment_collection_method?: string;
    };
    if (input.reference && data.subscriptions.some((s) => s.reference === input.reference)) {
      return unprocessable(reply, ['Reference: must be unique - that value has been taken.']);
    }
    let resolved;
    try {
      resolved = resolve(data, input);
    } catch (error) {
      if (error instanceof PricingError) return unprocessable(reply, error.errors);
      throw error;
    }
    let customer =
      input.customer_id !== undefined
        ? data.customers.find((c) => String(c.id) === String(input.customer_id))
        : undefined;
    if (input.customer_id !== undefined && !customer)
      return unprocessable(reply, ['Customer could not be found']);
    if (!customer) {
      const attrs = (input.customer_attributes ?? {}) as Json;
      const errors = customerErrors(attrs, true);
      if (errors.length > 0) return unprocessable(reply, errors);
      const now = siteTime(Date.now());
      customer = {
        id: data.ids.next('customer'),
        first_name: null,
        last_name: null,
        email: null,
        cc_emails: null,
        organization: null,
        reference: null,
        address: null,
        address_2: null,
        city: null,
        state: null,
        zip: null,
        country: null,
        phone: null,
        locale: null,
        vat_number: null,
        tax_exempt: false,
        parent_id: null,
        verified: false,
        created_at: now,
        updated_at: now,
        ...attrs,
      };
      data.customers.push(customer);
      addEvent(
        'customer_create',
        `Customer ${customer.organization ?? customer.id} created`,
        null,
        customer.id as number,
      );
    }
    const now = Date.now();
    const id = data.ids.next('subscription');
    const pp = resolved.pricePoint;
    const trial = pp.trial_interval !== null && pp.trial_interval !== undefined;
    const end = now + Number(pp.interval ?? 1) * 30 * 86_400_000;
    const subscription: Json = {
      id,
      state: trial ? 'trialing' : 'active',
      balance_in_cents: 0,
      total_revenue_in_cents: 0,
      product_price_in_cents: pp.price_in_cents,
      product_version_number: 1,
      current_period_started_at: siteTime(now),
      current_period_ends_at: siteTime(end),
      next_assessment_at: siteTime(end),
      trial_started_at: trial ? siteTime(now) : null,
      trial_ended_at: trial ? siteTime(now + 14 * 86_400_000) : null,
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
    data.subscriptions.push(subscription);
    data.subscriptionComponents.set(
      id,
      resolved.components.map(({ component, pricePoint, quantity }) => ({
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
          subscription_id: id,
          recurring: true,
          price_point_id: pricePoint.id,
          price_point_handle: pricePoint.handle,
          price_point_type: pricePoint.type,
          price_point_name: pricePoint.name,
          created_at: siteTime(now),
          updated_at: siteTime(now),
        },
      })),
    );
    if (input.metafields) metafields.set(id, { ...input.metafields });
    addEvent(
      'signup_success',
      `Signup of ${customer.organization ?? customer.id} on ${resolved.product.name}`,
      id,
      customer.id as number,
    );
    void emit('signup_success', { subscription, site: { id: 1, subdomain: site } });
    return reply.code(201).send({ subscription });
  });
  app.get<{ Params: { id: string } }>(
    '/subscriptions/:id/metadata.json',
    async (request, reply) => {
      const subscription = data.subscriptions.find((s) => String(s.id) === request.params.id);
      if (!subscription) return notFound(reply);
      const metadata = metadataOf(subscription.id as number);
      return {
        total_count: metadata.length,
        current_page: 1,
        total_pages: 1,
        per_page: 20,
        metadata,
      };
    },
  );

  // -- money ---------------------------------------------------------------------------------
  app.get('/transactions.json', async (request) => {
    const q = request.query as Q;
    let records = data.transactions;
    if (q.since_id) records = records.filter((t) => Number(t.id) > Number(q.since_id));
    return wrap('transaction', paginate(request, records));
  });
  app.get<{ Params: { id: string } }>('/transactions/:id.json', async (request, reply) => {
    const transaction = data.transactions.find((t) => String(t.id) === request.params.id);
    return transaction ? { transaction } : notFound(reply);
  });
  app.get('/invoices.json', async (request) => ({ invoices: paginate(request, data.invoices) }));
  app.get<{ Params: { uid: string } }>('/invoices/:uid.json', async (request, reply) => {
    const invoice = data.invoices.find((i) => i.uid === request.params.uid);
    return invoice ?? notFound(reply);
  });
  app.get('/credit_notes.json', async (request) => ({
    credit_notes: paginate(request, data.creditNotes),
  }));
  app.get<{ Params: { uid: string } }>('/credit_notes/:uid.json', async (request, reply) => {
    const note = data.creditNotes.find((c) => c.uid === request.params.uid);
    return note ?? notFound(reply);
  });

  // -- events --------------------------------------------------------------------------------
  app.get('/events.json', async (request) => {
    const q = request.query as Q;
    let records = data.events;
    if (q.since_id) records = records.filter((e) => Number(e.id) > Number(q.since_id));
    if (q.max_id) records = records.filter((e) => Number(e.id) <= Number(q.max_id));
    return wrap('event', paginate(request, records));
  });

  function addEvent(
    key: string,
    message: string,
    subscriptionId: number | null,
    customerId: number | null,
  ): Json {
    const event = {
      id: data.ids.next('event'),
      key,
      message,
      subscription_id: subscriptionId,
      customer_id: customerId,
      created_at: siteTime(Date.now()),
      event_specific_data: null,
    };
    // Event ids keep increasing after the seeded ones.
    const last = data.events[data.events.length - 1];
    if (last && Number(event.id) <= Number(last.id)) event.id = Number(last.id) + 1;
    data.events.push(event);
    return event;
  }

  async function emit(key: string, payload: Json): Promise<void> {
    if (!webhooks) return;
    const event = data.events[data.events.length - 1];
    const id = Number(event?.id ?? Date.now());
    const body = toFormBody({ id, event: key, payload: { ...payload, event_id: id } }).join('&');
    await webhooks.emit(body, { 'X-Chargify-Webhook-Id': String(id) }).catch(() => undefined);
  }

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}`,
    site,
    faults,
    webhooks,
    data,
    requests,
    async emitEvent(key, payload) {
      addEvent(
        key,
        `${key} (triggered)`,
        ((payload.subscription as Json | undefined)?.id as number) ?? null,
        ((payload.customer as Json | undefined)?.id as number) ?? null,
      );
      await emit(key, payload);
    },
    async close() {
      await webhooks?.close();
      await app.close();
    },
  };
}

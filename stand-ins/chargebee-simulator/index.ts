/**
 * A Chargebee site (API v2, Product Catalog 2.0) on 127.0.0.1, under `/api/v2`: the endpoints,
 * shapes, pagination, errors and auth the bridge's Chargebee adapter uses, faithful enough that
 * the official `chargebee` npm SDK works against it unchanged.
 *
 * - Auth: HTTP Basic with the API key as user and an empty password. Any non-empty key unless
 *   `apiKey` is set; else 401 `api_authentication_failed`.
 * - POST bodies are form-encoded with brackets (`subscription_items[item_price_id][0]=…`).
 * - Lists: `limit` (default 10, at most 100) and an opaque `next_offset`; `{list:[{customer:{…}}]}`;
 *   `sort_by[asc|desc]`, `updated_at[after]`, `occurred_at[after]`, `include_deleted`.
 * - Errors: `{message, type, api_error_code, param, error_code, error_msg, http_status_code}`.
 * - Writes honour `chargebee-idempotency-key`: the same key replays the first response
 *   (`chargebee-idempotency-replayed: true`); concurrent requests with one key wait for the first.
 * - Estimates compute real invoices (estimate.ts); webhooks are the event JSON with Basic auth,
 *   retried up to 7 times.
 */
import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RunningSimulator, SimulatorOptions } from '../../bridge/src/cli/simulate.ts';
import { basicAuthHeader, checkApiKey } from '../common/auth.ts';
import { FaultInjector } from '../common/faults.ts';
import { createRng } from '../common/prng.ts';
import { WebhookEmitter } from '../common/webhooks.ts';
import { generateChargebeeData } from './data.ts';
import type { ChargebeeData, Json } from './data.ts';
import { EstimateError, estimate, itemsOf } from './estimate.ts';
import { parseBracketForm } from './form.ts';

export interface ChargebeeSimulator extends RunningSimulator {
  data: ChargebeeData;
  requests: {
    method: string;
    path: string;
    body: unknown;
    headers: Record<string, string | string[] | undefined>;
  }[];
  /** Record an event and send its webhook, as Chargebee would. */
  emitEvent(type: string, content: Json): Promise<Json>;
}

/** Chargebee retries a failed webhook up to 7 times over about two days. */
export const CHARGEBEE_WEBHOOK_SCHEDULE = [
  120_000, 600_000, 1_800_000, 3_600_000, 14_400_000, 43_200_000, 86_400_000,
];

type ErrorBody = { message: string; type?: string; api_error_code: string; param?: string };

/** A handler's answer for an unknown customer id. */
function missingCustomer(id: string): { status: number; body: Json } {
  return {
    status: 404,
    body: errorBody(404, {
      message: `Sorry, we couldn't find that resource (customer ${id})`,
      type: 'invalid_request',
      api_error_code: 'resource_not_found',
    }),
  };
}

/** A handler's answer for a parameter Chargebee refuses. */
function paramError(param: string, message: string): { status: number; body: Json } {
  return {
    status: 400,
    body: errorBody(400, {
      message: `${param} : ${message}`,
      type: 'invalid_request',
      api_error_code: 'param_wrong_value',
      param,
    }),
  };
}

export function errorBody(status: number, e: ErrorBody): Json {
  return {
    message: e.message,
    ...(e.type ? { type: e.type } : {}),
    api_error_code: e.api_error_code,
    ...(e.param ? { param: e.param } : {}),
    error_code: e.api_error_code,
    error_msg: e.message,
    http_status_code: status,
  };
}

const LIST_KEYS: Record<string, [keyof ChargebeeData, string, string]> = {
  customers: ['customers', 'customer', 'created_at'],
  item_families: ['itemFamilies', 'item_family', 'created_at'],
  items: ['items', 'item', 'created_at'],
  item_prices: ['itemPrices', 'item_price', 'created_at'],
  coupons: ['coupons', 'coupon', 'created_at'],
  subscriptions: ['subscriptions', 'subscription', 'created_at'],
  transactions: ['transactions', 'transaction', 'date'],
  invoices: ['invoices', 'invoice', 'date'],
  credit_notes: ['creditNotes', 'credit_note', 'date'],
  events: ['events', 'event', 'occurred_at'],
};

export async function startChargebeeSimulator(
  options: SimulatorOptions & { webhookSchedule?: number[] } = {},
): Promise<ChargebeeSimulator> {
  const site = options.site ?? 'acme-test';
  const data = generateChargebeeData(options.seed ?? 1, options.scale ?? 1);
  const faults = new FaultInjector({ defaultBody: (status) => faultBody(status) });
  const requests: ChargebeeSimulator['requests'] = [];
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 10 * 1024 * 1024,
  });
  const webhooks = options.webhook
    ? new WebhookEmitter({
        url: options.webhook.url,
        schedule: options.webhookSchedule ?? CHARGEBEE_WEBHOOK_SCHEDULE,
        contentType: 'application/json',
        sign: () =>
          options.webhook?.username
            ? {
                authorization: basicAuthHeader(
                  options.webhook.username,
                  options.webhook.password ?? '',
                ),
              }
            : ({} as Record<string, string>),
        rng: createRng(`chargebee-webhooks:${options.seed ?? 1}`),
      })
    : null;

  faults.fastifyHook(app);
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, parseBracketForm(String(body)));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/v2/')) return undefined;
    const check = checkApiKey(request.headers.authorization, options.apiKey);
    if (!check.ok) {
      return reply.code(401).send(
        errorBody(401, {
          message: 'Sorry, authentication failed. Invalid api key',
          api_error_code: 'api_authentication_failed',
        }),
      );
    }
    return undefined;
  });
  app.addHook('preHandler', async (request) => {
    requests.push({
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      body: request.body ?? null,
      headers: request.headers,
    });
  });
  app.setErrorHandler((error, _request, reply) => {
    const e = error as { statusCode?: number; message?: string };
    const client = e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500;
    void reply.code(client ? 400 : 500).send(
      client
        ? errorBody(400, {
            message: `Request could not be read: ${e.message ?? 'bad request'}`,
            type: 'invalid_request',
            api_error_code: 'invalid_request',
          })
        : errorBody(500, {
            message: 'Sorry, Something went wrong when trying to process the request.',
            api_error_code: 'internal_error',
          }),
    );
  });

  const notFound = (reply: FastifyReply, what: string) =>
    reply.code(404).send(
      errorBody(404, {
        message: `Sorry, we couldn't find that resource (${what})`,
        type: 'invalid_request',
        api_error_code: 'resource_not_found',
      }),
    );
  const badParam = (reply: FastifyReply, param: string, message: string) =>
    reply.code(400).send(
      errorBody(400, {
        message: `${param} : ${message}`,
        type: 'invalid_request',
        api_error_code: 'param_wrong_value',
        param,
      }),
    );

  // -- idempotency ---------------------------------------------------------------------------
  const replays = new Map<
    string,
    Promise<{ status: number; body: unknown; fingerprint: string }>
  >();
  const idempotent = async (
    request: FastifyRequest,
    reply: FastifyReply,
    run: () => Promise<{ status: number; body: unknown }>,
  ) => {
    const key = request.headers['chargebee-idempotency-key'];
    if (typeof key !== 'string' || key === '') {
      const result = await run();
      return reply.code(result.status).send(result.body);
    }
    const fingerprint = `${request.method} ${request.url} ${JSON.stringify(request.body ?? null)}`;
    const cacheKey = key;
    const earlier = replays.get(cacheKey);
    if (earlier) {
      const first = await earlier;
      if (first.fingerprint !== fingerprint) {
        return reply.code(409).send(
          errorBody(409, {
            message: 'The idempotency key was already used for a different request.',
            type: 'invalid_request',
            api_error_code: 'invalid_request',
          }),
        );
      }
      return reply
        .code(first.status)
        .header('chargebee-idempotency-replayed', 'true')
        .send(first.body);
    }
    const pending = run().then((r) => ({ ...r, fingerprint }));
    replays.set(cacheKey, pending);
    const result = await pending;
    // Only successes are kept: a failed request may be repeated with its key.
    if (result.status >= 300) replays.delete(cacheKey);
    return reply.code(result.status).send(result.body);
  };

  // -- lists ---------------------------------------------------------------------------------
  type ListQuery = Record<string, string | undefined>;
  const listOf = (request: FastifyRequest, resource: string, records: Json[]) => {
    const [, wrapper, defaultSort] = LIST_KEYS[resource] as [keyof ChargebeeData, string, string];
    const q = request.query as ListQuery;
    const limit = Math.min(100, Math.max(1, Number(q.limit ?? 10) || 10));
    let rows = q.include_deleted === 'true' ? records : records.filter((r) => r.deleted !== true);
    for (const [param, value] of Object.entries(q)) {
      const m = /^([a-z_]+)\[(after|before|is|is_not|in)\]$/.exec(param);
      if (!m || value === undefined) continue;
      const [, field, op] = m as unknown as [string, string, string];
      rows = rows.filter((r) => {
        const v = r[field];
        if (op === 'after') return Number(v) > Number(value);
        if (op === 'before') return Number(v) < Number(value);
        if (op === 'is') return String(v) === value;
        if (op === 'is_not') return String(v) !== value;
        return (JSON.parse(value) as string[]).includes(String(v));
      });
    }
    const sortAsc = q['sort_by[asc]'];
    const sortDesc = q['sort_by[desc]'];
    const field = sortAsc ?? sortDesc ?? defaultSort;
    const dir = sortAsc ? 1 : -1;
    // Stable: ties keep creation order.
    const indexed = rows.map((r, i) => [r, i] as const);
    indexed.sort(([a, ia], [b, ib]) => {
      const x = a[field] as number | string;
      const y = b[field] as number | string;
      return x < y ? -dir : x > y ? dir : ia - ib;
    });
    const start = q.offset ? (decodeOffset(q.offset) ?? 0) : 0;
    const page = indexed.slice(start, start + limit).map(([r]) => r);
    const body: Json = {
      list: page.map((r) =>
        resource === 'subscriptions'
          ? { subscription: r, customer: data.customers.find((c) => c.id === r.customer_id) }
          : { [wrapper]: r },
      ),
    };
    if (start + limit < indexed.length) body.next_offset = encodeOffset(start + limit);
    return body;
  };

  for (const resource of Object.keys(LIST_KEYS)) {
    const [key] = LIST_KEYS[resource] as [keyof ChargebeeData, string, string];
    app.get(`/api/v2/${resource}`, async (request, reply) => {
      const offset = (request.query as ListQuery).offset;
      if (offset !== undefined && decodeOffset(offset) === null) {
        const refused = paramError('offset', 'invalid value');
        return reply.code(refused.status).send(refused.body);
      }
      return listOf(request, resource, data[key] as Json[]);
    });
    app.get<{ Params: { id: string } }>(`/api/v2/${resource}/:id`, async (request, reply) => {
      const [, wrapper] = LIST_KEYS[resource] as [keyof ChargebeeData, string, string];
      const record = (data[key] as Json[]).find((r) => r.id === request.params.id);
      if (!record) return notFound(reply, `${wrapper} ${request.params.id}`);
      if (resource === 'subscriptions') {
        return {
          subscription: record,
          customer: data.customers.find((c) => c.id === record.customer_id),
        };
      }
      return { [wrapper]: record };
    });
  }

  // -- customers -----------------------------------------------------------------------------
  const CUSTOMER_FIELDS = [
    'id',
    'first_name',
    'last_name',
    'email',
    'phone',
    'company',
    'locale',
    'auto_collection',
    'net_term_days',
    'taxability',
    'vat_number',
    'business_entity_id',
    'preferred_currency_code',
  ];
  const customerErrors = (body: Json): [string, string] | null => {
    for (const key of Object.keys(body)) {
      if (
        !CUSTOMER_FIELDS.includes(key) &&
        !key.startsWith('cf_') &&
        key !== 'billing_address' &&
        key !== 'meta_data'
      ) {
        return [key, 'is not a parameter of this operation'];
      }
    }
    if (
      body.email !== undefined &&
      body.email !== '' &&
      !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(body.email))
    )
      return ['email', 'invalid email'];
    return null;
  };
  const touch = (record: Json) => {
    const now = data.clock.now();
    record.updated_at = now;
    record.resource_version = now * 1000 + (Number(record.resource_version ?? 0) % 1000) + 1;
  };
  app.post('/api/v2/customers', async (request, reply) =>
    idempotent(request, reply, async () => {
      const body = (request.body ?? {}) as Json;
      const problem = customerErrors(body);
      if (problem) return paramError(problem[0], problem[1]);
      const id = body.id ? String(body.id) : `cus_${data.nextId('n')}`;
      if (data.customers.some((c) => c.id === id)) {
        return {
          status: 400,
          body: errorBody(400, {
            message: `The value ${id} is already present.`,
            type: 'invalid_request',
            api_error_code: 'duplicate_entry',
            param: 'id',
          }),
        };
      }
      const now = data.clock.now();
      const customer: Json = {
        id,
        auto_collection: 'on',
        net_term_days: 0,
        allow_direct_debit: false,
        taxability: 'taxable',
        pii_cleared: 'active',
        channel: 'web',
        deleted: false,
        object: 'customer',
        card_status: 'no_card',
        promotional_credits: 0,
        refundable_credits: 0,
        excess_payments: 0,
        unbilled_charges: 0,
        preferred_currency_code: 'USD',
        mrr: 0,
        created_at: now,
        updated_at: now,
        resource_version: now * 1000,
        ...body,
      };
      if (body.billing_address)
        customer.billing_address = { ...(body.billing_address as Json), object: 'billing_address' };
      data.customers.push(customer);
      await emitEvent('customer_created', { customer });
      return { status: 200, body: { customer } };
    }),
  );
  app.post<{ Params: { id: string } }>('/api/v2/customers/:id', async (request, reply) =>
    idempotent(request, reply, async () => {
      const customer = data.customers.find((c) => c.id === request.params.id);
      if (!customer) return missingCustomer(request.params.id);
      const body = (request.body ?? {}) as Json;
      const problem = customerErrors(body);
      if (problem) return paramError(problem[0], problem[1]);
      Object.assign(customer, body);
      touch(customer);
      await emitEvent('customer_changed', { customer });
      return { status: 200, body: { customer } };
    }),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v2/customers/:id/update_billing_info',
    async (request, reply) =>
      idempotent(request, reply, async () => {
        const customer = data.customers.find((c) => c.id === request.params.id);
        if (!customer) return missingCustomer(request.params.id);
        const body = (request.body ?? {}) as Json;
        if (body.billing_address)
          customer.billing_address = {
            ...((customer.billing_address as Json | undefined) ?? {}),
            ...(body.billing_address as Json),
            object: 'billing_address',
          };
        if (body.vat_number !== undefined) customer.vat_number = body.vat_number;
        touch(customer);
        await emitEvent('customer_changed', { customer });
        return { status: 200, body: { customer } };
      }),
  );

  // -- estimates and subscriptions -------------------------------------------------------------
  const estimateFor = (reply: FastifyReply, customer: Json | undefined, body: Json) => {
    try {
      return { estimate: estimate(data, customer, body) };
    } catch (error) {
      if (error instanceof EstimateError) return badParam(reply, error.param, error.message);
      throw error;
    }
  };
  app.post('/api/v2/estimates/create_subscription_for_items', async (request, reply) =>
    estimateFor(reply, undefined, (request.body ?? {}) as Json),
  );
  app.post<{ Params: { id: string } }>(
    '/api/v2/customers/:id/create_subscription_for_items_estimate',
    async (request, reply) => {
      const customer = data.customers.find((c) => c.id === request.params.id);
      if (!customer) return notFound(reply, `customer ${request.params.id}`);
      return estimateFor(reply, customer, (request.body ?? {}) as Json);
    },
  );
  app.post<{ Params: { id: string } }>(
    '/api/v2/customers/:id/subscription_for_items',
    async (request, reply) =>
      idempotent(request, reply, async () => {
        const customer = data.customers.find((c) => c.id === request.params.id);
        if (!customer) return missingCustomer(request.params.id);
        const body = (request.body ?? {}) as Json;
        let lines;
        try {
          lines = itemsOf(data, body);
        } catch (error) {
          if (error instanceof EstimateError)
            return {
              status: 400,
              body: errorBody(400, {
                message: `${error.param} : ${error.message}`,
                type: 'invalid_request',
                api_error_code: 'param_wrong_value',
                param: error.param,
              }),
            };
          throw error;
        }
        const now = data.clock.now();
        const plan = lines.find((l) => l.itemPrice.item_type === 'plan');
        const trial = plan?.itemPrice.trial_period !== undefined;
        const periodDays = plan?.itemPrice.period_unit === 'year' ? 365 : 30;
        const id = body.id ? String(body.id) : `sub_${data.nextId('s')}`;
        let meta: unknown;
        try {
          meta = typeof body.meta_data === 'string' ? JSON.parse(body.meta_data) : body.meta_data;
        } catch {
          return {
            status: 400,
            body: errorBody(400, {
              message: 'meta_data : invalid JSON',
              type: 'invalid_request',
              api_error_code: 'param_wrong_value',
              param: 'meta_data',
            }),
          };
        }
        const subscription: Json = {
          id,
          billing_period: 1,
          billing_period_unit: plan?.itemPrice.period_unit ?? 'month',
          customer_id: customer.id,
          status: trial ? 'in_trial' : 'active',
          current_term_start: now,
          current_term_end: now + periodDays * 86_400,
          next_billing_at: now + (trial ? 14 : periodDays) * 86_400,
          created_at: now,
          started_at: now,
          ...(trial ? { trial_start: now, trial_end: now + 14 * 86_400 } : { activated_at: now }),
          has_scheduled_changes: false,
          channel: 'web',
          deleted: false,
          object: 'subscription',
          currency_code: plan?.itemPrice.currency_code ?? 'USD',
          subscription_items: lines.map((l) => ({
            item_price_id: l.itemPrice.id,
            item_type: l.itemPrice.item_type,
            quantity: l.quantity,
            ...(l.itemPrice.price !== undefined
              ? { unit_price: l.itemPrice.price, amount: l.amount }
              : { amount: l.amount }),
            object: 'subscription_item',
          })),
          ...(Array.isArray(body.coupon_ids) && body.coupon_ids.length > 0
            ? {
                coupons: (body.coupon_ids as string[]).map((c) => ({
                  coupon_id: c,
                  applied_count: 0,
                  object: 'coupon',
                })),
              }
            : {}),
          due_invoices_count: 0,
          mrr: lines.reduce((a, l) => a + l.amount, 0),
          exchange_rate: 1.0,
          base_currency_code: 'USD',
          business_entity_id: customer.business_entity_id,
          ...(body.po_number ? { po_number: body.po_number } : {}),
          ...(meta ? { meta_data: meta } : {}),
          updated_at: now,
          resource_version: now * 1000,
        };
        data.subscriptions.push(subscription);
        await emitEvent('subscription_created', { subscription, customer });
        return { status: 200, body: { subscription, customer } };
      }),
  );

  // -- events and webhooks -------------------------------------------------------------------
  async function emitEvent(type: string, content: Json): Promise<Json> {
    const event: Json = {
      id: `ev_${data.nextId('w')}`,
      occurred_at: data.clock.now(),
      source: 'api',
      object: 'event',
      api_version: 'v2',
      content,
      event_type: type,
      webhook_status: webhooks ? 'scheduled' : 'not_configured',
    };
    data.events.push(event);
    // Sent after the answer, as Chargebee does: a slow or failing endpoint never holds up the API.
    if (webhooks) void webhooks.emit(JSON.stringify(event)).catch(() => undefined);
    return event;
  }

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}/api/v2`,
    site,
    faults,
    webhooks,
    data,
    requests,
    emitEvent,
    async close() {
      await webhooks?.close();
      await app.close();
    },
  };
}

/** The error body Chargebee sends for a status, for injected faults. */
function faultBody(status: number): Json {
  if (status === 429) {
    return errorBody(429, {
      message:
        'Sorry, access has been blocked temporarily due to request count exceeding acceptable limits.',
      type: 'invalid_request',
      api_error_code: 'api_request_limit_exceeded',
    });
  }
  if (status === 401) {
    return errorBody(401, {
      message: 'Sorry, authentication failed. Invalid api key',
      api_error_code: 'api_authentication_failed',
    });
  }
  if (status === 403) {
    return errorBody(403, {
      message: 'Sorry, authorization failed.',
      api_error_code: 'api_authorization_failed',
    });
  }
  if (status === 404) {
    return errorBody(404, {
      message: "Sorry, we couldn't find that resource",
      type: 'invalid_request',
      api_error_code: 'resource_not_found',
    });
  }
  if (status < 500) {
    return errorBody(status, {
      message: 'The request could not be processed.',
      type: 'invalid_request',
      api_error_code: 'invalid_request',
    });
  }
  return errorBody(status, {
    message: 'Sorry, Something went wrong when trying to process the request.',
    api_error_code: status === 503 ? 'site_not_ready' : 'internal_error',
  });
}

export function encodeOffset(index: number): string {
  return Buffer.from(JSON.stringify(['cb', index])).toString('base64url');
}

/** The index an offset stands for; null for an offset this site never gave out. */
export function decodeOffset(offset: string): number | null {
  try {
    const [tag, index] = JSON.parse(Buffer.from(offset, 'base64url').toString()) as [
      string,
      number,
    ];
    return tag === 'cb' && Number.isInteger(index) && index >= 0 ? index : null;
  } catch {
    return null;
  }
}

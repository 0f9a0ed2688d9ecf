/**
 * The Chargebee adapter (API v2, Product Catalog 2.0). A thin client on the bridge's injectable
 * HTTP client rather than the official SDK: the bridge needs its own retry, limiter, error tree and
 * logging on every call, and one HttpClient seam for tests. (The SDK is used in the tests, as a
 * second client proving the simulator speaks Chargebee.)
 *
 * - `https://{site}.chargebee.com/api/v2`, or `baseUrl`; Basic auth with the API key and an
 *   empty password; form-encoded bracket bodies (form.ts); JSON answers.
 * - Writes carry `chargebee-idempotency-key`, so 5xx and lost responses are retried safely.
 * - Lists: `limit` ≤ 100, oldest first, the opaque `next_offset` as the cursor.
 * - Events: `occurred_at[after]` plus the ids already seen in the last second, as the cursor,
 *   so events sharing a timestamp are neither skipped nor read twice.
 * - Webhooks: JSON event bodies protected by HTTP Basic auth (constant-time comparison).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  ConflictError,
  WebhookPayloadError,
  WebhookSignatureError,
  createApiError,
} from '../../errors.ts';
import type { BillingBridgeError } from '../../errors.ts';
import { FetchHttpClient } from '../../http/fetch-client.ts';
import { KeyedLimiter } from '../../http/limiter.ts';
import { DEFAULT_RETRY_POLICY, requestWithRetry } from '../../http/retry.ts';
import type { RetryPolicy } from '../../http/retry.ts';
import type { HttpClient, HttpMethod, HttpResponse } from '../../http/types.ts';
import type { Logger } from '../../log.ts';
import { siteKeyOf } from '../../model/canonical.ts';
import type {
  BillingEvent,
  CanonicalRecord,
  Customer,
  ResourceMap,
  ResourceType,
  SiteKey,
  Subscription,
  SubscriptionPreview,
  SubscriptionRequest,
} from '../../model/canonical.ts';
import type {
  BillingProvider,
  CustomerUpdate,
  ListOptions,
  Page,
  ParsedWebhook,
  WebhookDelivery,
} from '../provider.ts';
import { encodeForm } from './form.ts';
import type { FormInput } from './form.ts';
import {
  OPPORTUNITY_META_KEY,
  mapCustomer,
  mapEvent,
  mapInvoiceEstimate,
  mapRecord,
  mapSubscription,
  wrapperOf,
} from './map.ts';
import type { Json } from './map.ts';

export { mapChargebeePayload } from './map.ts';

export interface ChargebeeProviderOptions {
  siteName: string;
  apiKey: string;
  baseUrl?: string;
  webhookUsername?: string;
  webhookPassword?: string;
  httpClient?: HttpClient;
  logger?: Logger;
  retry?: RetryPolicy;
}

export const MAX_LIMIT = 100;

const PATHS: Record<ResourceType, { path: string; sort?: string }> = {
  customer: { path: '/customers', sort: 'created_at' },
  productFamily: { path: '/item_families' },
  product: { path: '/items', sort: 'id' },
  pricePoint: { path: '/item_prices', sort: 'id' },
  coupon: { path: '/coupons', sort: 'created_at' },
  subscription: { path: '/subscriptions', sort: 'created_at' },
  transaction: { path: '/transactions', sort: 'date' },
  invoice: { path: '/invoices', sort: 'date' },
  creditNote: { path: '/credit_notes', sort: 'date' },
  event: { path: '/events', sort: 'occurred_at' },
};

/** Event types the adapter turns into canonical changes (content carries the records). */
const CONTENT_RESOURCES: [string, ResourceType][] = [
  ['customer', 'customer'],
  ['subscription', 'subscription'],
  ['invoice', 'invoice'],
  ['credit_note', 'creditNote'],
  ['transaction', 'transaction'],
  ['item_family', 'productFamily'],
  ['item', 'product'],
  ['item_price', 'pricePoint'],
  ['coupon', 'coupon'],
];
const KNOWN_PREFIXES = [
  'customer_',
  'subscription_',
  'invoice_',
  'credit_note_',
  'payment_',
  'transaction_',
  'item_',
  'item_family_',
  'item_price_',
  'coupon_',
  'refund_',
  'contract_term_',
];

const limiter = new KeyedLimiter(8);

export class ChargebeeProvider implements BillingProvider {
  readonly provider = 'chargebee' as const;
  readonly siteKey: SiteKey;
  readonly #baseUrl: string;
  readonly #auth: string;
  readonly #http: HttpClient;
  readonly #retry: RetryPolicy;
  readonly #webhook: { username: string; password: string } | null;
  readonly #logger: Logger | undefined;
  readonly #limiter;
  /** item price id → item id: subscriptions name only the price. Filled from the catalog. */
  readonly #itemOf = new Map<string, string>();
  #catalogLoaded: Promise<void> | null = null;

  constructor(options: ChargebeeProviderOptions) {
    this.siteKey = siteKeyOf('chargebee', options.siteName);
    this.#baseUrl = (options.baseUrl ?? `https://${options.siteName}.chargebee.com/api/v2`).replace(
      /\/$/,
      '',
    );
    this.#auth = `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}`;
    this.#http = options.httpClient ?? new FetchHttpClient({ defaultTimeoutMs: 30_000 });
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#webhook =
      options.webhookUsername !== undefined
        ? { username: options.webhookUsername, password: options.webhookPassword ?? '' }
        : null;
    this.#logger = options.logger;
    this.#limiter = limiter.for(this.#baseUrl);
  }

  async #call(
    method: HttpMethod,
    path: string,
    form?: FormInput,
    idempotencyKey?: string,
  ): Promise<Json> {
    const headers: Record<string, string> = {
      authorization: this.#auth,
      accept: 'application/json',
    };
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (idempotencyKey) headers['chargebee-idempotency-key'] = idempotencyKey;
    const response = await this.#limiter.run(() =>
      requestWithRetry(
        this.#http,
        {
          method,
          url: `${this.#baseUrl}${path}`,
          headers,
          ...(form === undefined ? {} : { body: encodeForm(form) }),
        },
        {
          policy: this.#retry,
          toError: (r) => this.#toError(r),
          onRetry: (e) =>
            this.#logger?.warn(
              { site: this.siteKey, attempt: e.attempt, delayMs: e.delayMs, code: e.error.code },
              'chargebee request retried',
            ),
        },
      ),
    );
    try {
      return JSON.parse(response.body) as Json;
    } catch {
      throw createApiError({
        provider: 'chargebee',
        status: response.status,
        message: 'Chargebee answered with a body that is not JSON',
      });
    }
  }

  #toError(response: HttpResponse): BillingBridgeError {
    let body: Json = {};
    try {
      body = JSON.parse(response.body) as Json;
    } catch {
      // not JSON: the status decides
    }
    return createApiError({
      provider: 'chargebee',
      status: response.status,
      code: typeof body.api_error_code === 'string' ? body.api_error_code : null,
      message: typeof body.message === 'string' ? body.message : null,
      param: typeof body.param === 'string' ? body.param : null,
      headers: response.headers,
    });
  }

  /** Learn which item each item price belongs to (once; the catalog is small). */
  async #loadCatalog(): Promise<void> {
    this.#catalogLoaded ??= (async () => {
      let offset: string | null = null;
      do {
        const query: string = `limit=${MAX_LIMIT}${offset ? `&offset=${encodeURIComponent(offset)}` : ''}`;
        const page = await this.#call('GET', `/item_prices?${query}`);
        for (const entry of (page.list as Json[]) ?? []) {
          const p = entry.item_price as Json;
          this.#itemOf.set(String(p.id), String(p.item_id));
        }
        offset = typeof page.next_offset === 'string' ? page.next_offset : null;
      } while (offset);
    })().catch((error: unknown) => {
      this.#catalogLoaded = null;
      throw error;
    });
    return this.#catalogLoaded;
  }

  #map(resource: ResourceType, record: Json): ResourceMap[ResourceType] {
    if (resource === 'pricePoint') this.#itemOf.set(String(record.id), String(record.item_id));
    return mapRecord(resource, record, this.siteKey, (id) => this.#itemOf.get(id));
  }

  async list<R extends ResourceType>(
    resource: R,
    options: ListOptions = {},
  ): Promise<Page<ResourceMap[R]>> {
    if (resource === 'subscription') await this.#loadCatalog();
    const limit = Math.min(Math.max(options.pageSize ?? MAX_LIMIT, 1), MAX_LIMIT);
    const { path, sort } = PATHS[resource];
    const params = new URLSearchParams({ limit: String(limit) });
    if (sort) params.set('sort_by[asc]', sort);
    if (options.cursor) params.set('offset', options.cursor);
    if (options.updatedSince && resource !== 'event' && resource !== 'productFamily') {
      params.set(
        'updated_at[after]',
        String(Math.floor(Date.parse(options.updatedSince) / 1000) - 1),
      );
    }
    const page = await this.#call('GET', `${path}?${params.toString()}`);
    const wrapper = wrapperOf(resource);
    const records = ((page.list as Json[]) ?? []).map((entry) =>
      this.#map(resource, entry[wrapper] as Json),
    );
    return {
      records: records as ResourceMap[R][],
      nextCursor: typeof page.next_offset === 'string' ? page.next_offset : null,
    };
  }

  async get<R extends ResourceType>(resource: R, id: string): Promise<ResourceMap[R]> {
    if (resource === 'subscription') await this.#loadCatalog();
    const body = await this.#call('GET', `${PATHS[resource].path}/${encodeURIComponent(id)}`);
    return this.#map(resource, body[wrapperOf(resource)] as Json) as ResourceMap[R];
  }

  /** Cursor: `<occurred_at>|<ids seen at that second>`; events oldest first. */
  async eventsSince(
    cursor: string | null,
    options: { pageSize?: number } = {},
  ): Promise<Page<BillingEvent>> {
    const limit = Math.min(Math.max(options.pageSize ?? MAX_LIMIT, 1), MAX_LIMIT);
    const [atText, idsText] = cursor ? cursor.split('|') : ['0', ''];
    let at = Number(atText) || 0;
    let seen = new Set((idsText ?? '').split(',').filter(Boolean));
    const events: BillingEvent[] = [];
    let offset: string | null = null;
    do {
      const params = new URLSearchParams({ limit: String(limit), 'sort_by[asc]': 'occurred_at' });
      if (at > 0) params.set('occurred_at[after]', String(at - 1));
      if (offset) params.set('offset', offset);
      const page = await this.#call('GET', `/events?${params.toString()}`);
      for (const entry of (page.list as Json[]) ?? []) {
        const e = entry.event as Json;
        const t = Number(e.occurred_at);
        if (t < at || (t === at && seen.has(String(e.id)))) continue;
        events.push(mapEvent(e, this.siteKey));
        if (t > at) {
          at = t;
          seen = new Set();
        }
        seen.add(String(e.id));
        if (events.length >= limit) break;
      }
      offset =
        events.length < limit && typeof page.next_offset === 'string' ? page.next_offset : null;
    } while (offset);
    if (events.length === 0) return { records: [], nextCursor: cursor };
    return { records: events, nextCursor: `${at}|${[...seen].join(',')}` };
  }

  // -------------------------------------------------------------------------------------------

  #itemsForm(request: SubscriptionRequest): FormInput {
    const items: Json[] = [];
    if (request.pricePointId) {
      items.push({
        item_price_id: request.pricePointId,
        quantity: Number(request.planQuantity ?? 1),
      });
    }
    for (const item of request.items) {
      items.push({
        item_price_id: item.pricePointId ?? item.productId,
        quantity: Number(item.quantity),
      });
    }
    return {
      subscription_items: items,
      ...(request.couponCodes.length > 0 ? { coupon_ids: request.couponCodes } : {}),
    };
  }

  async previewSubscription(request: SubscriptionRequest): Promise<SubscriptionPreview> {
    const form = this.#itemsForm(request);
    const customerId = request.customer.id;
    const body = customerId
      ? await this.#call(
          'POST',
          `/customers/${encodeURIComponent(customerId)}/create_subscription_for_items_estimate`,
          form,
        )
      : await this.#call('POST', '/estimates/create_subscription_for_items', {
          ...form,
          ...(request.customer.billingAddress
            ? {
                billing_address: {
                  line1: request.customer.billingAddress.line1 ?? null,
                  city: request.customer.billingAddress.city ?? null,
                  state_code: request.customer.billingAddress.state ?? null,
                  zip: request.customer.billingAddress.zip ?? null,
                  country: request.customer.billingAddress.country ?? null,
                },
              }
            : {}),
        });
    const estimate = body.estimate as Json;
    const current = mapInvoiceEstimate(estimate.invoice_estimate as Json);
    const nextEstimate = estimate.next_invoice_estimate as Json | undefined;
    return {
      siteKey: this.siteKey,
      currency: current.currency,
      current,
      next: nextEstimate ? mapInvoiceEstimate(nextEstimate) : null,
      raw: body,
    };
  }

  async createSubscription(
    request: SubscriptionRequest,
    idempotencyKey: string,
  ): Promise<Subscription> {
    await this.#loadCatalog();
    let customerId = request.customer.id ?? null;
    if (!customerId) {
      // A new customer first, under a key derived from the subscription's, so a retry reuses it.
      const c = request.customer;
      const id = `cus_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
      const created = await this.#call(
        'POST',
        '/customers',
        {
          id,
          first_name: c.firstName ?? null,
          last_name: c.lastName ?? null,
          email: c.email ?? null,
          company: c.company ?? null,
          phone: c.phone ?? null,
          ...(c.billingAddress
            ? {
                billing_address: {
                  first_name: c.billingAddress.firstName ?? c.firstName ?? null,
                  last_name: c.billingAddress.lastName ?? c.lastName ?? null,
                  line1: c.billingAddress.line1 ?? null,
                  line2: c.billingAddress.line2 ?? null,
                  city: c.billingAddress.city ?? null,
                  state_code: c.billingAddress.state ?? null,
                  zip: c.billingAddress.zip ?? null,
                  country: c.billingAddress.country ?? null,
                },
              }
            : {}),
        },
        `${idempotencyKey}-customer`,
      ).catch(async (error: unknown) => {
        // Created by an earlier attempt whose answer was lost: read it.
        if (error instanceof Error && (error as BillingBridgeError).code === 'duplicate_entry') {
          return this.#call('GET', `/customers/${id}`);
        }
        throw error;
      });
      customerId = String((created.customer as Json).id);
    }
    const body = await this.#call(
      'POST',
      `/customers/${encodeURIComponent(customerId)}/subscription_for_items`,
      {
        ...this.#itemsForm(request),
        ...(request.poNumber ? { po_number: request.poNumber } : {}),
        ...(request.opportunityId
          ? { meta_data: { [OPPORTUNITY_META_KEY]: request.opportunityId } }
          : {}),
      },
      idempotencyKey,
    ).catch((error: unknown) => {
      if (error instanceof ConflictError) throw error;
      throw error;
    });
    return mapSubscription(body.subscription as Json, this.siteKey, (id) => this.#itemOf.get(id));
  }

  async updateCustomer(
    id: string,
    update: CustomerUpdate,
    idempotencyKey?: string,
  ): Promise<Customer> {
    const fields: FormInput = {};
    if (update.firstName !== undefined) fields.first_name = update.firstName;
    if (update.lastName !== undefined) fields.last_name = update.lastName;
    if (update.email !== undefined) fields.email = update.email;
    if (update.phone !== undefined) fields.phone = update.phone;
    if (update.company !== undefined) fields.company = update.company;
    let body = await this.#call(
      'POST',
      `/customers/${encodeURIComponent(id)}`,
      fields,
      idempotencyKey,
    );
    const address = update.billingAddress;
    if (address || update.vatNumber !== undefined) {
      body = await this.#call(
        'POST',
        `/customers/${encodeURIComponent(id)}/update_billing_info`,
        {
          ...(update.vatNumber !== undefined ? { vat_number: update.vatNumber } : {}),
          ...(address
            ? {
                billing_address: {
                  first_name: address.firstName ?? null,
                  last_name: address.lastName ?? null,
                  company: address.company ?? null,
                  line1: address.line1 ?? null,
                  line2: address.line2 ?? null,
                  city: address.city ?? null,
                  state_code: address.state ?? null,
                  zip: address.zip ?? null,
                  country: address.country ?? null,
                },
              }
            : {}),
        },
        idempotencyKey ? `${idempotencyKey}-billing` : undefined,
      );
    }
    return mapCustomer(body.customer as Json, this.siteKey);
  }

  // -------------------------------------------------------------------------------------------
  // Webhooks

  verifyWebhook(delivery: WebhookDelivery): void {
    if (!this.#webhook) {
      throw new WebhookSignatureError(`no webhook credentials are configured for ${this.siteKey}`, {
        provider: 'chargebee',
      });
    }
    const header = headerOf(delivery.headers, 'authorization');
    const match = header ? /^Basic\s+(.+)$/i.exec(header.trim()) : null;
    if (!match)
      throw new WebhookSignatureError('webhook has no Basic credentials', {
        provider: 'chargebee',
      });
    const given = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const expected = `${this.#webhook.username}:${this.#webhook.password}`;
    const a = createHash('sha256').update(given).digest();
    const b = createHash('sha256').update(expected).digest();
    if (!timingSafeEqual(a, b)) {
      throw new WebhookSignatureError('webhook Basic credentials do not match', {
        provider: 'chargebee',
      });
    }
  }

  parseWebhook(delivery: WebhookDelivery): ParsedWebhook {
    let body: Json;
    try {
      body = JSON.parse(delivery.rawBody) as Json;
    } catch (error) {
      throw new WebhookPayloadError(`webhook body is not JSON: ${(error as Error).message}`, {
        provider: 'chargebee',
      });
    }
    if (
      !body ||
      typeof body !== 'object' ||
      typeof body.id !== 'string' ||
      typeof body.event_type !== 'string' ||
      typeof body.occurred_at !== 'number'
    ) {
      throw new WebhookPayloadError(
        'webhook body is not a Chargebee event (id, event_type, occurred_at)',
        { provider: 'chargebee' },
      );
    }
    const type = body.event_type;
    const known = KNOWN_PREFIXES.some((p) => type.startsWith(p));
    const content = (body.content as Json | undefined) ?? {};
    const changes: CanonicalRecord[] = [];
    if (known) {
      try {
        for (const [key, resource] of CONTENT_RESOURCES) {
          const record = content[key] as Json | undefined;
          if (record && typeof record === 'object' && record.id !== undefined) {
            changes.push({ resource, record: this.#map(resource, record) } as CanonicalRecord);
          }
        }
      } catch (error) {
        throw new WebhookPayloadError(
          `webhook content could not be read: ${(error as Error).message}`,
          { provider: 'chargebee' },
        );
      }
    }
    const event = mapEvent(body, this.siteKey);
    return {
      eventId: body.id,
      eventType: type,
      occurredAt: event.occurredAt,
      changes,
      event,
      known,
    };
  }
}

function headerOf(headers: WebhookDelivery['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

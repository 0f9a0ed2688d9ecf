/**
 * The Maxio Advanced Billing adapter. A thin client written by hand on the bridge's injectable
 * HTTP client: the official SDK cannot be pointed at a local server, and the bridge needs its
 * own retry, limiter and error tree on every call anyway.
 *
 * - `https://{subdomain}.chargify.com` (EU: `.ebilling.maxio.com`), or `baseUrl`; JSON; Basic
 *   auth with the API key as user and `x` as password.
 * - At most 4 requests in flight per site (Maxio's limit); 429 and 5xx retried with jittered
 *   backoff honouring Retry-After (writes only when idempotent).
 * - Idempotent creation: the caller's key goes out twice, as the signup's `uniqueness_token`
 *   (a replay answers with the subscription the token already made) and as the subscription
 *   `reference` (unique per site). Should a replay be refused as a duplicate reference instead,
 *   the adapter reads the subscription that key made (`/subscriptions/lookup.json`).
 * - Webhooks: `X-Chargify-Webhook-Signature-Hmac-Sha-256` is the hex HMAC-SHA256 of the raw body
 *   with the site's shared key, compared in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  ConflictError,
  InvalidRequestError,
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
import {
  mapComponent,
  mapComponentPricePoint,
  mapCoupon,
  mapCreditNote,
  mapCustomer,
  mapEvent,
  mapInvoice,
  mapManifest,
  mapProduct,
  mapProductFamily,
  mapProductPricePoint,
  mapSubscription,
  mapTransaction,
  maxioId,
  unwrap,
} from './map.ts';
import type { Json } from './map.ts';
import { parseFormBody } from './form.ts';

export { mapMaxioPayload } from './map.ts';

export interface MaxioProviderOptions {
  siteName: string;
  apiKey: string;
  baseUrl?: string;
  region?: 'us' | 'eu';
  webhookSecret?: string;
  httpClient?: HttpClient;
  logger?: Logger;
  retry?: RetryPolicy;
  /** Requests in flight per site; Maxio allows 4. */
  maxConcurrent?: number;
}

export const MAX_PER_PAGE = 200;

/** The subscription custom field (metafield) holding the Salesforce Opportunity id. */
export const OPPORTUNITY_FIELD = 'Salesforce Opportunity';

/** Event keys whose payload the adapter turns into canonical changes. */
const KNOWN_EVENTS = new Set([
  'signup_success',
  'signup_failure',
  'subscription_state_change',
  'subscription_product_change',
  'subscription_card_update',
  'subscription_updated',
  'renewal_success',
  'renewal_failure',
  'payment_success',
  'payment_failure',
  'billing_date_change',
  'expiring_card',
  'customer_create',
  'customer_update',
  'customer_delete',
  'component_allocation_change',
  'metered_usage',
  'invoice_issued',
  'upgrade_downgrade_success',
  'upgrade_downgrade_failure',
  'refund_success',
  'delayed_subscription_creation_success',
  'dunning_step_reached',
  'prepaid_usage',
  'credit_note_created',
  'test',
]);

const limiter = new KeyedLimiter(4);

export class MaxioProvider implements BillingProvider {
  readonly provider = 'maxio' as const;
  readonly siteKey: SiteKey;
  readonly #baseUrl: string;
  readonly #auth: string;
  readonly #http: HttpClient;
  readonly #retry: RetryPolicy;
  readonly #webhookSecret: string | undefined;
  readonly #limiter;
  readonly #logger: Logger | undefined;
  /** Coupon code → coupon id: subscriptions name coupons by code only. */
  readonly #couponIds = new Map<string, string>();
  #couponsLoaded: Promise<void> | null = null;

  constructor(options: MaxioProviderOptions) {
    this.siteKey = siteKeyOf('maxio', options.siteName);
    const host = options.region === 'eu' ? 'ebilling.maxio.com' : 'chargify.com';
    this.#baseUrl = (options.baseUrl ?? `https://${options.siteName}.${host}`).replace(/\/$/, '');
    this.#auth = `Basic ${Buffer.from(`${options.apiKey}:x`).toString('base64')}`;
    this.#http = options.httpClient ?? new FetchHttpClient({ defaultTimeoutMs: 30_000 });
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#webhookSecret = options.webhookSecret;
    this.#limiter = options.maxConcurrent
      ? new KeyedLimiter(options.maxConcurrent).for(this.#baseUrl)
      : limiter.for(this.#baseUrl);
    this.#logger = options.logger;
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  async #call(
    method: HttpMethod,
    path: string,
    body?: unknown,
    idempotent?: boolean,
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: this.#auth,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.#limiter.run(() =>
      requestWithRetry(
        this.#http,
        {
          method,
          url: `${this.#baseUrl}${path}`,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        },
        {
          policy: this.#retry,
          ...(idempotent !== undefined ? { idempotent } : {}),
          toError: (r) => this.#toError(r),
          onRetry: (e) =>
            this.#logger?.warn(
              { site: this.siteKey, attempt: e.attempt, delayMs: e.delayMs, code: e.error.code },
              'maxio request retried',
            ),
        },
      ),
    );
    if (response.body.trim() === '') return null;
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      throw createApiError({
        provider: 'maxio',
        status: response.status,
        message: 'Maxio answered with a body that is not JSON',
      });
    }
  }

  #toError(response: HttpResponse): BillingBridgeError {
    let messages: string[] = [];
    try {
      const parsed = JSON.parse(response.body) as { errors?: unknown };
      if (Array.isArray(parsed.errors)) messages = parsed.errors.map(String);
      else if (parsed.errors && typeof parsed.errors === 'object') {
        messages = Object.entries(parsed.errors as Json).map(([k, v]) => `${k}: ${String(v)}`);
      }
    } catch {
      if (response.body.trim()) messages = [response.body.trim().slice(0, 200)];
    }
    const duplicateReference = messages.some(
      (m) => /reference/i.test(m) && /taken|unique/i.test(m),
    );
    return createApiError({
      provider: 'maxio',
      status: response.status,
      code: duplicateReference ? 'duplicate_reference' : null,
      message: messages.length > 0 ? messages.join('; ') : null,
      headers: response.headers,
    });
  }

  /** Learn the site's coupon ids by code (once; coupons are few). */
  async #loadCoupons(): Promise<void> {
    this.#couponsLoaded ??= (async () => {
      for (let page = 1; ; page++) {
        const rows = (await this.#call(
          'GET',
          `/coupons.json?page=${page}&per_page=${MAX_PER_PAGE}`,
        )) as Json[];
        for (const row of rows) {
          const c = unwrap(row, 'coupon');
          this.#couponIds.set(String(c.code).toUpperCase(), String(c.id));
        }
        if (rows.length < MAX_PER_PAGE) return;
      }
    })().catch((error: unknown) => {
      this.#couponsLoaded = null;
      throw error;
    });
    return this.#couponsLoaded;
  }

  readonly #couponIdOf = (code: string): string | undefined =>
    this.#couponIds.get(code.toUpperCase());

  // -------------------------------------------------------------------------------------------
  // Listing

  /** One page of a Maxio list; cursor = the next page number, or `phase:page` for two-part lists. */
  async list<R extends ResourceType>(
    resource: R,
    options: ListOptions = {},
  ): Promise<Page<ResourceMap[R]>> {
    const perPage = Math.min(Math.max(options.pageSize ?? 100, 1), MAX_PER_PAGE);
    const [phase, pageText] = (options.cursor ?? '').includes(':')
      ? (options.cursor as string).split(':')
      : ['a', options.cursor ?? '1'];
    const page = Math.max(1, Number(pageText) || 1);
    const q = `page=${page}&per_page=${perPage}&direction=asc`;
    const next = (count: number, nextPhase?: string): string | null =>
      count === perPage ? `${phase}:${page + 1}` : nextPhase ? `${nextPhase}:1` : null;
    const records: ResourceMap[ResourceType][] = [];
    let cursor: string | null = null;
    switch (resource) {
      case 'customer': {
        const rows = (await this.#call('GET', `/customers.json?${q}`)) as Json[];
        records.push(...rows.map((r) => mapCustomer(unwrap(r, 'customer'), this.siteKey)));
        cursor = next(rows.length);
        break;
      }
      case 'productFamily': {
        const rows = (await this.#call('GET', `/product_families.json?${q}`)) as Json[];
        records.push(
          ...rows.map((r) => mapProductFamily(unwrap(r, 'product_family'), this.siteKey)),
        );
        cursor = next(rows.length);
        break;
      }
      case 'product': {
        if (phase !== 'c') {
          const rows = (await this.#call('GET', `/products.json?${q}`)) as Json[];
          records.push(...rows.map((r) => mapProduct(unwrap(r, 'product'), this.siteKey)));
          cursor = next(rows.length, 'c');
        } else {
          const rows = (await this.#call('GET', `/components.json?${q}`)) as Json[];
          records.push(...rows.map((r) => mapComponent(unwrap(r, 'component'), this.siteKey)));
          cursor = next(rows.length);
        }
        break;
      }
      case 'pricePoint': {
        if (phase !== 'c') {
          const body = (await this.#call('GET', `/products_price_points.json?${q}`)) as {
            price_points: Json[];
          };
          records.push(...body.price_points.map((r) => mapProductPricePoint(r, this.siteKey)));
          cursor = next(body.price_points.length, 'c');
        } else {
          const body = (await this.#call('GET', `/components_price_points.json?${q}`)) as {
            price_points: Json[];
          };
          records.push(...body.price_points.map((r) => mapComponentPricePoint(r, this.siteKey)));
          cursor = next(body.price_points.length);
        }
        break;
      }
      case 'coupon': {
        const rows = (await this.#call('GET', `/coupons.json?${q}`)) as Json[];
        records.push(...rows.map((r) => mapCoupon(unwrap(r, 'coupon'), this.siteKey)));
        cursor = next(rows.length);
        break;
      }
      case 'subscription': {
        await this.#loadCoupons();
        const rows = ((await this.#call('GET', `/subscriptions.json?${q}`)) as Json[]).map((r) =>
          unwrap(r, 'subscription'),
        );
        const ids = rows.map((s) => String(s.id));
        const [components, opportunities] = await Promise.all([
          this.#componentsOf(ids),
          this.#opportunitiesOf(ids),
        ]);
        records.push(
          ...rows.map((s) => ({
            ...mapSubscription(
              s,
              this.siteKey,
              components.get(String(s.id)) ?? [],
              this.#couponIdOf,
            ),
            opportunityId: opportunities.get(String(s.id)) ?? null,
          })),
        );
        cursor = next(rows.length);
        break;
      }
      case 'transaction': {
        const rows = (await this.#call('GET', `/transactions.json?${q}`)) as Json[];
        records.push(...rows.map((r) => mapTransaction(unwrap(r, 'transaction'), this.siteKey)));
        cursor = next(rows.length);
        break;
      }
      case 'invoice': {
        const body = (await this.#call('GET', `/invoices.json?${q}`)) as { invoices: Json[] };
        records.push(...body.invoices.map((r) => mapInvoice(r, this.siteKey)));
        cursor = next(body.invoices.length);
        break;
      }
      case 'creditNote': {
        const body = (await this.#call('GET', `/credit_notes.json?${q}`)) as {
          credit_notes: Json[];
        };
        records.push(...body.credit_notes.map((r) => mapCreditNote(r, this.siteKey)));
        cursor = next(body.credit_notes.length);
        break;
      }
      case 'event': {
        const rows = (await this.#call('GET', `/events.json?${q}`)) as Json[];
        records.push(...rows.map((r) => mapEvent(unwrap(r, 'event'), this.siteKey)));
        cursor = next(rows.length);
        break;
      }
    }
    return { records: records as ResourceMap[R][], nextCursor: cursor };
  }

  /** Components of many subscriptions in one call (List Subscription Components for Site). */
  async #componentsOf(subscriptionIds: string[]): Promise<Map<string, Json[]>> {
    const out = new Map<string, Json[]>();
    if (subscriptionIds.length === 0) return out;
    for (let page = 1; ; page++) {
      const body = (await this.#call(
        'GET',
        `/subscriptions_components.json?subscription_ids=${subscriptionIds.join(',')}&page=${page}&per_page=${MAX_PER_PAGE}`,
      )) as { subscriptions_components: Json[] };
      for (const c of body.subscriptions_components) {
        const id = String(c.subscription_id);
        out.set(id, [...(out.get(id) ?? []), c]);
      }
      if (body.subscriptions_components.length < MAX_PER_PAGE) return out;
    }
  }

  /** The Salesforce Opportunity custom field of many subscriptions (List Metadata, one call). */
  async #opportunitiesOf(subscriptionIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (subscriptionIds.length === 0) return out;
    const query = subscriptionIds.map((id) => `resource_ids[]=${encodeURIComponent(id)}`).join('&');
    const body = (await this.#call('GET', `/subscriptions/metadata.json?${query}`)) as {
      metadata: Json[];
    };
    for (const m of body.metadata) {
      if (m.name === OPPORTUNITY_FIELD && m.value) out.set(String(m.resource_id), String(m.value));
    }
    return out;
  }

  async get<R extends ResourceType>(resource: R, id: string): Promise<ResourceMap[R]> {
    const e = encodeURIComponent;
    let record: ResourceMap[ResourceType];
    switch (resource) {
      case 'customer':
        record = mapCustomer(
          unwrap(await this.#call('GET', `/customers/${e(id)}.json`), 'customer'),
          this.siteKey,
        );
        break;
      case 'productFamily':
        record = mapProductFamily(
          unwrap(await this.#call('GET', `/product_families/${e(id)}.json`), 'product_family'),
          this.siteKey,
        );
        break;
      case 'product': {
        const ref = maxioId(id);
        record =
          ref.kind === 'component'
            ? mapComponent(
                unwrap(await this.#call('GET', `/components/${e(ref.id)}.json`), 'component'),
                this.siteKey,
              )
            : mapProduct(
                unwrap(await this.#call('GET', `/products/${e(ref.id)}.json`), 'product'),
                this.siteKey,
              );
        break;
      }
      case 'pricePoint': {
        const ref = maxioId(id);
        const path =
          ref.kind === 'component'
            ? '/components_price_points.json'
            : '/products_price_points.json';
        const body = (await this.#call('GET', `${path}?filter[ids]=${e(ref.id)}&per_page=1`)) as {
          price_points: Json[];
        };
        const found = body.price_points[0];
        if (!found)
          throw createApiError({
            provider: 'maxio',
            status: 404,
            message: `Price point ${id} not found`,
          });
        record =
          ref.kind === 'component'
            ? mapComponentPricePoint(found, this.siteKey)
            : mapProductPricePoint(found, this.siteKey);
        break;
      }
      case 'coupon':
        record = mapCoupon(
          unwrap(await this.#call('GET', `/coupons/${e(id)}.json`), 'coupon'),
          this.siteKey,
        );
        break;
      case 'subscription': {
        await this.#loadCoupons();
        const s = unwrap(await this.#call('GET', `/subscriptions/${e(id)}.json`), 'subscription');
        const [components, metadata] = await Promise.all([
          this.#call('GET', `/subscriptions/${e(id)}/components.json`) as Promise<Json[]>,
          this.#call('GET', `/subscriptions/${e(id)}/metadata.json`) as Promise<{
            metadata: Json[];
          }>,
        ]);
        const opportunity = metadata.metadata.find((m) => m.name === OPPORTUNITY_FIELD)?.value;
        record = {
          ...mapSubscription(s, this.siteKey, components, this.#couponIdOf),
          opportunityId: opportunity ? String(opportunity) : null,
        };
        break;
      }
      case 'transaction':
        record = mapTransaction(
          unwrap(await this.#call('GET', `/transactions/${e(id)}.json`), 'transaction'),
          this.siteKey,
        );
        break;
      case 'invoice':
        record = mapInvoice(
          unwrap(await this.#call('GET', `/invoices/${e(id)}.json`), 'invoice'),
          this.siteKey,
        );
        break;
      case 'creditNote':
        record = mapCreditNote(
          unwrap(await this.#call('GET', `/credit_notes/${e(id)}.json`), 'credit_note'),
          this.siteKey,
        );
        break;
      case 'event': {
        const n = Number(id);
        const rows = (await this.#call(
          'GET',
          `/events.json?since_id=${n - 1}&max_id=${n}&per_page=1`,
        )) as Json[];
        if (!rows[0])
          throw createApiError({
            provider: 'maxio',
            status: 404,
            message: `Event ${id} not found`,
          });
        record = mapEvent(unwrap(rows[0], 'event'), this.siteKey);
        break;
      }
    }
    return record as ResourceMap[R];
  }

  /** Events after `cursor` (the last event id read), oldest first. */
  async eventsSince(
    cursor: string | null,
    options: { pageSize?: number } = {},
  ): Promise<Page<BillingEvent>> {
    const perPage = Math.min(Math.max(options.pageSize ?? 200, 1), MAX_PER_PAGE);
    const since = cursor ?? '0';
    const rows = (await this.#call(
      'GET',
      `/events.json?since_id=${encodeURIComponent(since)}&per_page=${perPage}&direction=asc`,
    )) as Json[];
    const events = rows.map((r) => mapEvent(unwrap(r, 'event'), this.siteKey));
    const last = events.at(-1);
    return { records: events, nextCursor: last ? last.id : cursor };
  }

  // -------------------------------------------------------------------------------------------
  // Previews and creation

  /**
   * A request naming only the plan's price point (what the org API and the Flows send) gets its
   * product: Maxio signups need the product, and the price point says which.
   */
  async #withProduct(request: SubscriptionRequest): Promise<SubscriptionRequest> {
    const lookUp = async (path: string, id: string, param: string): Promise<Json> => {
      const body = (await this.#call(
        'GET',
        `${path}?filter[ids]=${encodeURIComponent(id)}&per_page=1`,
      )) as {
        price_points: Json[];
      };
      const found = body.price_points[0];
      if (!found) {
        throw new InvalidRequestError(`Price point ${id} is not on this site`, {
          provider: 'maxio',
          param,
        });
      }
      return found;
    };
    let productId = request.productId ?? null;
    if (!productId && request.pricePointId && /^\d+$/.test(request.pricePointId)) {
      productId = String(
        (await lookUp('/products_price_points.json', request.pricePointId, 'pricePointId'))
          .product_id,
      );
    }
    const items = await Promise.all(
      request.items.map(async (item) => {
        if (item.productId || !item.pricePointId?.startsWith('component-pp:')) return item;
        const found = await lookUp(
          '/components_price_points.json',
          maxioId(item.pricePointId).id,
          'items',
        );
        return { ...item, productId: `component:${String(found.component_id)}` };
      }),
    );
    return { ...request, productId, items };
  }

  #subscriptionBody(request: SubscriptionRequest): Json {
    if (request.planQuantity && Number(request.planQuantity) !== 1) {
      throw new InvalidRequestError(
        'Maxio products have no quantity: sell more units with a quantity-based component',
        {
          provider: 'maxio',
          param: 'planQuantity',
        },
      );
    }
    const body: Json = {};
    const product = request.productId ? maxioId(request.productId) : null;
    if (product?.kind === 'component') {
      throw new InvalidRequestError('a subscription is for a product; components go in items', {
        provider: 'maxio',
        param: 'productId',
      });
    }
    if (product) {
      if (/^\d+$/.test(product.id)) body.product_id = Number(product.id);
      else body.product_handle = product.id;
    }
    if (request.pricePointId) {
      if (/^\d+$/.test(request.pricePointId))
        body.product_price_point_id = Number(request.pricePointId);
      else body.product_price_point_handle = request.pricePointId;
    }
    body.components = request.items.map((item) => {
      const component = maxioId(item.productId ?? item.pricePointId ?? '');
      const pricePoint = item.pricePointId ? maxioId(item.pricePointId) : null;
      return {
        component_id: /^\d+$/.test(component.id) ? Number(component.id) : component.id,
        allocated_quantity: Number(item.quantity),
        ...(pricePoint
          ? { price_point_id: /^\d+$/.test(pricePoint.id) ? Number(pricePoint.id) : pricePoint.id }
          : {}),
      };
    });
    if (request.couponCodes.length > 0) body.coupon_codes = request.couponCodes;
    const customer = request.customer;
    if (customer.id) body.customer_id = Number(customer.id);
    else {
      body.customer_attributes = {
        first_name: customer.firstName ?? null,
        last_name: customer.lastName ?? null,
        email: customer.email ?? null,
        organization: customer.company ?? null,
        phone: customer.phone ?? null,
        ...(customer.reference ? { reference: customer.reference } : {}),
        ...(customer.billingAddress
          ? {
              address: customer.billingAddress.line1 ?? null,
              address_2: customer.billingAddress.line2 ?? null,
              city: customer.billingAddress.city ?? null,
              state: customer.billingAddress.state ?? null,
              zip: customer.billingAddress.zip ?? null,
              country: customer.billingAddress.country ?? null,
            }
          : {}),
      };
    }
    return body;
  }

  async previewSubscription(request: SubscriptionRequest): Promise<SubscriptionPreview> {
    const body = this.#subscriptionBody(await this.#withProduct(request));
    // A preview has no side effect: it may be retried like a read.
    const result = (await this.#call(
      'POST',
      '/subscriptions/preview.json',
      { subscription: body },
      true,
    )) as {
      subscription_preview: { current_billing_manifest: Json; next_billing_manifest?: Json | null };
    };
    const preview = result.subscription_preview;
    return {
      siteKey: this.siteKey,
      currency: 'USD',
      current: mapManifest(preview.current_billing_manifest),
      next: preview.next_billing_manifest ? mapManifest(preview.next_billing_manifest) : null,
      raw: result,
    };
  }

  async createSubscription(
    request: SubscriptionRequest,
    idempotencyKey: string,
  ): Promise<Subscription> {
    const body = {
      ...this.#subscriptionBody(await this.#withProduct(request)),
      reference: idempotencyKey,
      uniqueness_token: idempotencyKey,
      payment_collection_method: 'remittance',
      ...(request.opportunityId
        ? { metafields: { [OPPORTUNITY_FIELD]: request.opportunityId } }
        : {}),
    };
    try {
      // The reference makes the write idempotent, so lost responses and 5xx are retried.
      const created = unwrap(
        await this.#call('POST', '/subscriptions.json', { subscription: body }, true),
        'subscription',
      );
      return await this.get('subscription', String(created.id));
    } catch (error) {
      if (!(
        error instanceof ConflictError ||
        (error instanceof InvalidRequestError && error.code === 'duplicate_reference')
      )) {
        throw error;
      }
      // This key already made a subscription: return that one.
      const existing = unwrap(
        await this.#call(
          'GET',
          `/subscriptions/lookup.json?reference=${encodeURIComponent(idempotencyKey)}`,
        ),
        'subscription',
      );
      return await this.get('subscription', String(existing.id));
    }
  }

  async updateCustomer(id: string, update: CustomerUpdate): Promise<Customer> {
    const address = update.billingAddress ?? update.shippingAddress;
    const body: Json = {};
    if (update.firstName !== undefined) body.first_name = update.firstName;
    if (update.lastName !== undefined) body.last_name = update.lastName;
    if (update.email !== undefined) body.email = update.email;
    if (update.phone !== undefined) body.phone = update.phone;
    if (update.company !== undefined) body.organization = update.company;
    if (update.vatNumber !== undefined) body.vat_number = update.vatNumber;
    if (address) {
      body.address = address.line1 ?? null;
      body.address_2 = address.line2 ?? null;
      body.city = address.city ?? null;
      body.state = address.state ?? null;
      body.zip = address.zip ?? null;
      body.country = address.country ?? null;
    }
    const result = await this.#call('PUT', `/customers/${encodeURIComponent(id)}.json`, {
      customer: body,
    });
    return mapCustomer(unwrap(result, 'customer'), this.siteKey);
  }

  // -------------------------------------------------------------------------------------------
  // Webhooks

  verifyWebhook(delivery: WebhookDelivery): void {
    if (!this.#webhookSecret) {
      throw new WebhookSignatureError(`no webhook shared key is configured for ${this.siteKey}`, {
        provider: 'maxio',
      });
    }
    const signature = headerOf(delivery.headers, 'x-chargify-webhook-signature-hmac-sha-256');
    if (!signature) {
      throw new WebhookSignatureError('missing X-Chargify-Webhook-Signature-Hmac-Sha-256', {
        provider: 'maxio',
      });
    }
    const expected = createHmac('sha256', this.#webhookSecret)
      .update(delivery.rawBody)
      .digest('hex');
    const a = Buffer.from(signature.trim().toLowerCase());
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new WebhookSignatureError('webhook signature does not match the site shared key', {
        provider: 'maxio',
      });
    }
  }

  parseWebhook(delivery: WebhookDelivery): ParsedWebhook {
    if (delivery.rawBody.trim() === '') {
      throw new WebhookPayloadError('empty webhook body', { provider: 'maxio' });
    }
    let body: Json;
    try {
      body = parseFormBody(delivery.rawBody);
    } catch (error) {
      throw new WebhookPayloadError(
        `webhook body is not form-encoded: ${(error as Error).message}`,
        { provider: 'maxio' },
      );
    }
    const key = body.event;
    // Maxio's "send test webhook" button posts `payload[chargify]=testing&event=test` with no
    // id: it gets a stable id from its body so it can still be stored and deduplicated.
    const id =
      body.id === undefined && key === 'test'
        ? `test-${createHash('sha256').update(delivery.rawBody).digest('hex').slice(0, 16)}`
        : body.id;
    if (typeof id !== 'string' || id === '' || typeof key !== 'string' || key === '') {
      throw new WebhookPayloadError('webhook body lacks id or event', { provider: 'maxio' });
    }
    const payload = (body.payload as Json | undefined) ?? {};
    const known = KNOWN_EVENTS.has(key);
    const changes: CanonicalRecord[] = [];
    const subscription = payload.subscription as Json | undefined;
    const customer =
      (payload.customer as Json | undefined) ?? (subscription?.customer as Json | undefined);
    if (known) {
      try {
        if (subscription?.id)
          changes.push({
            resource: 'subscription',
            record: mapSubscription(subscription, this.siteKey, []),
          });
        if (customer?.id)
          changes.push({ resource: 'customer', record: mapCustomer(customer, this.siteKey) });
        const invoice = payload.invoice as Json | undefined;
        if (invoice?.uid && invoice.customer_id)
          changes.push({ resource: 'invoice', record: mapInvoice(invoice, this.siteKey) });
      } catch (error) {
        throw new WebhookPayloadError(
          `webhook payload could not be read: ${(error as Error).message}`,
          { provider: 'maxio' },
        );
      }
    }
    const occurredAt =
      (subscription?.updated_at as string | undefined) ??
      (customer?.updated_at as string | undefined) ??
      new Date().toISOString();
    const event = mapEvent(
      {
        id: payload.event_id ?? id,
        key,
        message: `${key} (webhook ${id})`,
        created_at: occurredAt,
        subscription_id: subscription?.id ?? null,
        customer_id: customer?.id ?? null,
      },
      this.siteKey,
    );
    return { eventId: id, eventType: key, occurredAt: event.occurredAt, changes, event, known };
  }
}

function headerOf(headers: WebhookDelivery['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

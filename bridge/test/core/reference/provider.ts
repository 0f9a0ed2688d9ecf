/**
 * The adapter for the reference API (sim.ts), built from the core pieces the real adapters use:
 * FetchHttpClient, requestWithRetry, createApiError. `mutation` breaks one guarantee on purpose
 * so the contract suite's self-test can prove the matching contract test fails.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookPayloadError, WebhookSignatureError, createApiError } from '../../../src/errors.ts';
import type { BillingBridgeError } from '../../../src/errors.ts';
import { FetchHttpClient } from '../../../src/http/fetch-client.ts';
import { requestWithRetry } from '../../../src/http/retry.ts';
import type { RetryPolicy } from '../../../src/http/retry.ts';
import type { HttpMethod, HttpResponse } from '../../../src/http/types.ts';
import { externalIdOf } from '../../../src/model/canonical.ts';
import type {
  BillingEvent,
  Customer,
  ResourceMap,
  ResourceType,
  SiteKey,
  Subscription,
  SubscriptionPreview,
  SubscriptionRequest,
  BillingManifest,
} from '../../../src/model/canonical.ts';
import type {
  BillingProvider,
  CustomerUpdate,
  ListOptions,
  Page,
  ParsedWebhook,
  WebhookDelivery,
} from '../../../src/providers/provider.ts';

export type Mutation =
  | 'none'
  | 'overlapping-pages'
  | 'float-money'
  | 'ignore-idempotency-key'
  | 'no-retry'
  | 'ignore-retry-after'
  | 'bad-total'
  | 'verify-accepts-anything'
  | 'events-no-resume'
  | 'get-differs'
  | 'wrong-site-key'
  | 'parse-throws-on-unknown'
  | 'not-found-as-500';

export const WEBHOOK_SECRET = 'reference-webhook-secret';

export interface ReferenceProviderOptions {
  baseUrl: string;
  apiKey: string;
  mutation?: Mutation;
}

const KNOWN_EVENTS = new Set(['subscription_created']);

function header(headers: WebhookDelivery['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export class ReferenceProvider implements BillingProvider {
  readonly provider = 'chargebee' as const;
  readonly siteKey: SiteKey;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #mutation: Mutation;
  readonly #http = new FetchHttpClient({ defaultTimeoutMs: 5000 });
  readonly #policy: RetryPolicy;

  constructor(options: ReferenceProviderOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/$/, '');
    this.#apiKey = options.apiKey;
    this.#mutation = options.mutation ?? 'none';
    this.siteKey = this.#mutation === 'wrong-site-key' ? 'chargebee:other' : 'chargebee:reference';
    this.#policy = {
      maxRetries: this.#mutation === 'no-retry' ? 0 : 3,
      initialDelayMs: 20,
      maxDelayMs: 100,
    };
  }

  async #call(
    method: HttpMethod,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      authorization: `Basic ${Buffer.from(`${this.#apiKey}:`).toString('base64')}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey && this.#mutation !== 'ignore-idempotency-key') {
      headers['idempotency-key'] = idempotencyKey;
    }
    const response = await requestWithRetry(
      this.#http,
      {
        method,
        url: `${this.#baseUrl}${path}`,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      {
        policy: this.#policy,
        toError: (r) => this.#toError(r),
        ...(this.#mutation === 'ignore-retry-after'
          ? {
              sleep: (ms: number) =>
                new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 10))),
            }
          : {}),
      },
    );
    return JSON.parse(response.body) as unknown;
  }

  #toError(response: HttpResponse): BillingBridgeError {
    let parsed: { message?: string; code?: string } = {};
    try {
      parsed = JSON.parse(response.body) as typeof parsed;
    } catch {
      // not JSON: keep the status only
    }
    const status =
      this.#mutation === 'not-found-as-500' && response.status === 404 ? 500 : response.status;
    return createApiError({
      provider: this.provider,
      status,
      code: parsed.code ?? null,
      message: parsed.message ?? null,
      headers: response.headers,
    });
  }

  #canonical<R extends ResourceType>(
    _resource: R,
    record: Record<string, unknown>,
  ): ResourceMap[R] {
    const id = String(record.id);
    const out: Record<string, unknown> = {
      ...record,
      id,
      siteKey: this.siteKey,
      externalId: externalIdOf('chargebee:reference', id),
      raw: record,
    };
    delete out.seq;
    if (this.#mutation === 'float-money' && typeof out.price === 'string')
      out.price = Number(out.price);
    return out as unknown as ResourceMap[R];
  }

  async list<R extends ResourceType>(
    resource: R,
    options: ListOptions = {},
  ): Promise<Page<ResourceMap[R]>> {
    const limit = Math.min(Math.max(options.pageSize ?? 50, 1), 100);
    const offset = Number(options.cursor ?? 0);
    const page = (await this.#call('GET', `/r/${resource}?offset=${offset}&limit=${limit}`)) as {
      records: Record<string, unknown>[];
      next: number | null;
    };
    let next = page.next;
    if (this.#mutation === 'overlapping-pages' && next !== null) next -= 1;
    return {
      records: page.records.map((r) => this.#canonical(resource, r)),
      nextCursor: next === null ? null : String(next),
    };
  }

  async get<R extends ResourceType>(resource: R, id: string): Promise<ResourceMap[R]> {
    const record = (await this.#call('GET', `/r/${resource}/${encodeURIComponent(id)}`)) as Record<
      string,
      unknown
    >;
    const canonical = this.#canonical(resource, record);
    if (this.#mutation === 'get-differs')
      (canonical as { createdAt?: string | null }).createdAt = null;
    return canonical;
  }

  async eventsSince(
    cursor: string | null,
    options: { pageSize?: number } = {},
  ): Promise<Page<BillingEvent>> {
    const limit = Math.min(options.pageSize ?? 50, 100);
    const page = (await this.#call('GET', `/events/since?after=${cursor ?? 0}&limit=${limit}`)) as {
      records: Record<string, unknown>[];
    };
    const last = page.records.at(-1);
    let nextCursor = last ? String(last.seq) : cursor;
    if (this.#mutation === 'events-no-resume' && page.records.length < limit) nextCursor = null;
    return { records: page.records.map((r) => this.#canonical('event', r)), nextCursor };
  }

  async previewSubscription(request: SubscriptionRequest): Promise<SubscriptionPreview> {
    const manifest = (await this.#call('POST', '/preview', request)) as BillingManifest;
    if (this.#mutation === 'bad-total') manifest.total = `${manifest.total}1`;
    return {
      siteKey: this.siteKey,
      currency: manifest.currency,
      current: manifest,
      next: manifest,
    };
  }

  async createSubscription(
    request: SubscriptionRequest,
    idempotencyKey: string,
  ): Promise<Subscription> {
    const record = (await this.#call('POST', '/subscriptions', request, idempotencyKey)) as Record<
      string,
      unknown
    >;
    return this.#canonical('subscription', record);
  }

  async updateCustomer(
    id: string,
    update: CustomerUpdate,
    idempotencyKey?: string,
  ): Promise<Customer> {
    const record = (await this.#call(
      'POST',
      `/customers/${encodeURIComponent(id)}`,
      update,
      idempotencyKey,
    )) as Record<string, unknown>;
    return this.#canonical('customer', record);
  }

  verifyWebhook(delivery: WebhookDelivery): void {
    if (this.#mutation === 'verify-accepts-anything') return;
    const signature = header(delivery.headers, 'x-ref-signature');
    if (!signature)
      throw new WebhookSignatureError('missing x-ref-signature', { provider: this.provider });
    const expected = createHmac('sha256', WEBHOOK_SECRET).update(delivery.rawBody).digest('hex');
    const a = Buffer.from(signature);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new WebhookSignatureError('webhook signature mismatch', { provider: this.provider });
    }
  }

  parseWebhook(delivery: WebhookDelivery): ParsedWebhook {
    let body: {
      id?: unknown;
      event_type?: unknown;
      occurred_at?: unknown;
      content?: { subscription?: Record<string, unknown> };
    };
    try {
      body = JSON.parse(delivery.rawBody) as typeof body;
    } catch (error) {
      throw new WebhookPayloadError(`webhook body is not JSON: ${(error as Error).message}`, {
        provider: this.provider,
      });
    }
    if (
      typeof body?.id !== 'string' ||
      typeof body.event_type !== 'string' ||
      typeof body.occurred_at !== 'string'
    ) {
      throw new WebhookPayloadError('webhook body lacks id, event_type or occurred_at', {
        provider: this.provider,
      });
    }
    const known = KNOWN_EVENTS.has(body.event_type);
    if (!known && this.#mutation === 'parse-throws-on-unknown') {
      throw new WebhookPayloadError(`unknown event ${body.event_type}`);
    }
    const subscription = body.content?.subscription;
    const changes: ParsedWebhook['changes'] =
      known && subscription
        ? [{ resource: 'subscription', record: this.#canonical('subscription', subscription) }]
        : [];
    const event = this.#canonical('event', {
      id: body.id,
      key: body.event_type,
      occurredAt: body.occurred_at,
      subscriptionId: subscription?.id ?? null,
    });
    return {
      eventId: body.id,
      eventType: body.event_type,
      occurredAt: body.occurred_at,
      changes,
      event,
      known,
    };
  }
}

/** Webhook deliveries for the contract's makeWebhook/badSignatureWebhook. */
export function referenceWebhook(
  kind: 'subscription_created' | 'unknown',
  key = WEBHOOK_SECRET,
): WebhookDelivery {
  const body = JSON.stringify({
    id: `wh_${kind}_1`,
    event_type: kind === 'unknown' ? 'mystery_happened' : 'subscription_created',
    occurred_at: '2026-02-01T10:00:00.000Z',
    content: {
      subscription: {
        id: 'sub_1',
        customerId: 'cus_001',
        status: 'active',
        providerStatus: 'active',
        currency: 'USD',
        items: [],
        coupons: [],
      },
    },
  });
  return {
    headers: {
      'content-type': 'application/json',
      'x-ref-signature': createHmac('sha256', key).update(body).digest('hex'),
    },
    rawBody: body,
  };
}

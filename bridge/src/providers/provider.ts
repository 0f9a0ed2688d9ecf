/**
 * The boundary between the bridge and a billing platform. One adapter per provider implements
 * `BillingProvider`; the sync engine, the org API and the contract test suite only see this.
 */
import type {
  BillingEvent,
  CanonicalRecord,
  Customer,
  Provider,
  ResourceMap,
  ResourceType,
  SiteKey,
  Subscription,
  SubscriptionPreview,
  SubscriptionRequest,
} from '../model/canonical.ts';

export interface Page<T> {
  records: T[];
  /** Opaque cursor for the next page; null when this was the last page. */
  nextCursor: string | null;
}

export interface ListOptions {
  cursor?: string | null;
  /** Page size; adapters clamp to the provider's maximum (Maxio 200, Chargebee 100). */
  pageSize?: number;
  /** Only records updated at or after this time, where the provider can filter. */
  updatedSince?: string | null;
}

/** The raw HTTP delivery of a webhook, as received (body bytes untouched). */
export interface WebhookDelivery {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
}

export interface ParsedWebhook {
  /** Delivery/event id to deduplicate on (Maxio webhook `id`, Chargebee event `id`). */
  eventId: string;
  eventType: string;
  occurredAt: string;
  /** Canonical records carried by the event (subscription, customer, invoice, …). */
  changes: CanonicalRecord[];
  /** The event itself, for the Billing Event object. */
  event: BillingEvent;
  /** False when the event type is not one the adapter maps; the delivery is still kept. */
  known: boolean;
}

export interface CustomerUpdate {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  vatNumber?: string | null;
  billingAddress?: Customer['billingAddress'];
  shippingAddress?: Customer['shippingAddress'];
}

export interface BillingProvider {
  readonly provider: Provider;
  readonly siteKey: SiteKey;

  /** One page of a resource, oldest first where the provider allows; for backfill. */
  list<R extends ResourceType>(resource: R, options?: ListOptions): Promise<Page<ResourceMap[R]>>;

  /** One record by provider id; throws NotFoundError when absent. */
  get<R extends ResourceType>(resource: R, id: string): Promise<ResourceMap[R]>;

  /** Events after a cursor (Maxio `since_id`, Chargebee `occurred_at[after]` + offset). */
  eventsSince(cursor: string | null, options?: { pageSize?: number }): Promise<Page<BillingEvent>>;

  /** Price a subscription without creating it (Maxio preview / Chargebee estimate). */
  previewSubscription(request: SubscriptionRequest): Promise<SubscriptionPreview>;

  /**
   * Create a subscription. `idempotencyKey` is sent as Maxio `uniqueness_token` /
   * Chargebee `chargebee-idempotency-key`: the same key never creates a second subscription.
   */
  createSubscription(request: SubscriptionRequest, idempotencyKey: string): Promise<Subscription>;

  updateCustomer(id: string, update: CustomerUpdate, idempotencyKey?: string): Promise<Customer>;

  /** Throws WebhookSignatureError when the delivery is not authentic. */
  verifyWebhook(delivery: WebhookDelivery): void;

  /** Throws WebhookPayloadError (kept for inspection by the caller) when the body is malformed. */
  parseWebhook(delivery: WebhookDelivery): ParsedWebhook;
}

/**
 * The canonical billing model: what every provider adapter produces and everything downstream
 * (sync mappings, org API, previews) consumes. Provider-neutral, exact money, UTC timestamps.
 *
 * - Money is a `Decimal`: a decimal string in major units ("1234.50"), never a float. Convert with
 *   `money.ts` helpers. Each record carries its ISO 4217 `currency`.
 * - Timestamps are ISO 8601 UTC strings (`2026-11-22T14:00:00.000Z`); calendar dates are `YYYY-MM-DD`.
 * - `id` is the provider's own id (as a string); `externalId` is unique across sites:
 *   `<siteKey>:<id>` (see `externalIdOf`), the value synced records are upserted on.
 * - `raw` keeps the provider payload the record was built from, for the Event Log and debugging.
 */

export type Provider = 'maxio' | 'chargebee';

/** `maxio:<subdomain>` or `chargebee:<site>`: one connected billing site. */
export type SiteKey = `${Provider}:${string}`;

/** A decimal string in major units, e.g. "19.99", "-5.00", "0". Never a JS float. */
export type Decimal = string;

/** ISO 8601 UTC timestamp. */
export type Timestamp = string;

/** Calendar date, YYYY-MM-DD. */
export type DateOnly = string;

export interface Site {
  key: SiteKey;
  provider: Provider;
  /** Maxio subdomain or Chargebee site name. */
  name: string;
  /** Maxio region: US (`chargify.com`) or EU (`ebilling.maxio.com`). */
  region?: 'us' | 'eu';
  defaultCurrency: string;
}

interface Synced {
  id: string;
  siteKey: SiteKey;
  externalId: string;
  createdAt?: Timestamp | null;
  updatedAt?: Timestamp | null;
  /** Chargebee `resource_version` (ms precision, monotonic per record); absent for Maxio. */
  resourceVersion?: number | null;
  raw?: unknown;
}

export interface Address {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  line1?: string | null;
  line2?: string | null;
  line3?: string | null;
  city?: string | null;
  state?: string | null;
  zip?: string | null;
  country?: string | null;
}

export interface ContactPerson {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  label?: string | null;
}

export interface Customer extends Synced {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  ccEmails?: string | null;
  phone?: string | null;
  company?: string | null;
  /** Maxio `reference`; Chargebee has none (the id plays that role). */
  reference?: string | null;
  /** Parent customer id (Maxio `parent_id`, Chargebee `parent_id` of the hierarchy). */
  parentId?: string | null;
  vatNumber?: string | null;
  taxExempt?: boolean | null;
  taxability?: 'taxable' | 'exempt' | null;
  locale?: string | null;
  autoCollection?: 'on' | 'off' | null;
  netTermDays?: number | null;
  paymentMethod?: { type: string | null; status: string | null } | null;
  billingAddress?: Address | null;
  shippingAddress?: Address | null;
  businessEntityId?: string | null;
  contacts?: ContactPerson[];
}

export const PRODUCT_KINDS = ['plan', 'addon', 'charge', 'product', 'component'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export interface ProductFamily extends Synced {
  name: string;
  handle?: string | null;
  description?: string | null;
}

/** A Maxio product or component, or a Chargebee item (plan/addon/charge). */
export interface Product extends Synced {
  kind: ProductKind;
  name: string;
  handle?: string | null;
  description?: string | null;
  accountingCode?: string | null;
  familyId?: string | null;
  familyName?: string | null;
  status?: 'active' | 'archived' | 'deleted' | null;
  /** Maxio component kind: quantity_based_component, metered_component, on_off_component, … */
  componentKind?: string | null;
  unitName?: string | null;
  /** The product's default price point id, when the provider has one. */
  defaultPricePointId?: string | null;
}

export const PRICING_MODELS = ['flat_fee', 'per_unit', 'tiered', 'volume', 'stairstep'] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];

export interface PricingTier {
  startingUnit: Decimal;
  endingUnit?: Decimal | null;
  price: Decimal;
}

/** A Maxio price point (product or component) or a Chargebee item price. */
export interface PricePoint extends Synced {
  productId: string;
  name: string;
  handle?: string | null;
  currency: string;
  pricingModel: PricingModel;
  /** Flat or per-unit price; for tiered models the first tier's price or "0". */
  price: Decimal;
  period?: number | null;
  periodUnit?: 'day' | 'week' | 'month' | 'year' | null;
  trialPeriod?: number | null;
  trialPeriodUnit?: 'day' | 'month' | null;
  billingCycles?: number | null;
  freeQuantity?: number | null;
  setupFee?: Decimal | null;
  status?: 'active' | 'archived' | 'deleted' | null;
  isDefault?: boolean;
  tiers: PricingTier[];
}

export interface Coupon extends Synced {
  code: string;
  name: string;
  invoiceName?: string | null;
  description?: string | null;
  discountType: 'percentage' | 'fixed_amount';
  discountPercentage?: Decimal | null;
  discountAmount?: Decimal | null;
  currency?: string | null;
  durationType: 'one_time' | 'forever' | 'limited_period';
  durationMonths?: number | null;
  applyOn?: string | null;
  status?: 'active' | 'expired' | 'archived' | 'deleted' | null;
  validTill?: Timestamp | null;
  maxRedemptions?: number | null;
  redemptions?: number | null;
  productFamilyId?: string | null;
  /** Chargebee item constraints: which item types/items the coupon applies to. */
  itemConstraints?: {
    itemType: 'plan' | 'addon' | 'charge';
    constraint: string;
    itemPriceIds?: string[];
  }[];
}

/** Canonical subscription states; each adapter maps its provider's own words onto these. */
export const SUBSCRIPTION_STATUSES = [
  'future',
  'in_trial',
  'active',
  'non_renewing',
  'paused',
  'past_due',
  'unpaid',
  'cancelled',
  'expired',
  'on_hold',
  'pending',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export interface SubscriptionItem {
  /** Stable within the subscription: the price point/item price id or Maxio component id. */
  id: string;
  kind: ProductKind;
  productId: string;
  pricePointId?: string | null;
  name?: string | null;
  quantity: Decimal;
  unitPrice?: Decimal | null;
  amount?: Decimal | null;
  billingCycles?: number | null;
  servicePeriodDays?: number | null;
  chargeOnce?: boolean | null;
  chargeOnEvent?: string | null;
}

export interface SubscriptionCoupon {
  couponId: string;
  code?: string | null;
  appliedCount?: number | null;
  applyTill?: Timestamp | null;
}

export interface Subscription extends Synced {
  customerId: string;
  status: SubscriptionStatus;
  /** The provider's own status word, unmapped. */
  providerStatus: string;
  currency: string;
  productId?: string | null;
  pricePointId?: string | null;
  planQuantity?: Decimal | null;
  planUnitPrice?: Decimal | null;
  planAmount?: Decimal | null;
  /** Maxio `product_price_in_cents`. */
  productPrice?: Decimal | null;
  items: SubscriptionItem[];
  coupons: SubscriptionCoupon[];
  activatedAt?: Timestamp | null;
  startedAt?: Timestamp | null;
  cancelledAt?: Timestamp | null;
  trialStart?: Timestamp | null;
  trialEnd?: Timestamp | null;
  currentTermStart?: Timestamp | null;
  currentTermEnd?: Timestamp | null;
  nextBillingAt?: Timestamp | null;
  nextBillingAmount?: Decimal | null;
  /** Maxio `balance_in_cents`. */
  balance?: Decimal | null;
  /** Maxio `current_billing_amount_in_cents`. */
  currentBillingAmount?: Decimal | null;
  /** Maxio `total_revenue_in_cents`. */
  totalRevenue?: Decimal | null;
  mrr?: Decimal | null;
  dueInvoicesCount?: number | null;
  dueSince?: Timestamp | null;
  totalDues?: Decimal | null;
  remainingBillingCycles?: number | null;
  poNumber?: string | null;
  cancelReason?: string | null;
  cancelReasonCode?: string | null;
  contractTerm?: { id: string; actionAtTermEnd?: string | null } | null;
  shippingAddress?: Address | null;
  businessEntityId?: string | null;
  /** Metadata we set at creation (Maxio `reference`/metafields, Chargebee `meta_data`). */
  opportunityId?: string | null;
}

export interface Transaction extends Synced {
  /** Maxio `transaction_type`: charge, payment, refund, adjustment, credit, … */
  type: string;
  /** Maxio `kind`: baseline, initial, component, coupon, tax, … (null for payments). */
  kind?: string | null;
  memo?: string | null;
  amount: Decimal;
  currency: string;
  success?: boolean | null;
  subscriptionId?: string | null;
  customerId?: string | null;
  invoiceId?: string | null;
  productId?: string | null;
  componentId?: string | null;
  gatewayUsed?: string | null;
  paymentType?: string | null;
}

export interface InvoiceLine {
  id: string;
  description: string;
  kind?: string | null;
  productId?: string | null;
  pricePointId?: string | null;
  componentId?: string | null;
  quantity: Decimal;
  unitPrice: Decimal;
  amount: Decimal;
  subtotal?: Decimal | null;
  discount: Decimal;
  tax: Decimal;
  total?: Decimal | null;
  dateFrom?: DateOnly | Timestamp | null;
  dateTo?: DateOnly | Timestamp | null;
  taxExemptReason?: string | null;
}

export interface InvoicePayment {
  id?: string | null;
  amount: Decimal;
  method?: string | null;
  appliedAt?: Timestamp | null;
  transactionId?: string | null;
}

export interface InvoiceTax {
  name: string;
  rate?: Decimal | null;
  amount: Decimal;
}

export interface Invoice extends Synced {
  number?: string | null;
  customerId: string;
  subscriptionId?: string | null;
  status: string;
  collectionMethod?: string | null;
  role?: string | null;
  currency: string;
  issueDate?: DateOnly | null;
  dueDate?: DateOnly | null;
  paidDate?: DateOnly | null;
  subtotal: Decimal;
  discount: Decimal;
  tax: Decimal;
  total: Decimal;
  credit?: Decimal | null;
  refund?: Decimal | null;
  paid: Decimal;
  due: Decimal;
  poNumber?: string | null;
  priceType?: 'tax_exclusive' | 'tax_inclusive' | null;
  recurring?: boolean | null;
  vatNumber?: string | null;
  nextRetryAt?: Timestamp | null;
  paymentOwner?: string | null;
  /** Chargebee `business_entity_id` (multi-entity sites). */
  businessEntityId?: string | null;
  lines: InvoiceLine[];
  payments: InvoicePayment[];
  taxes: InvoiceTax[];
}

export interface CreditNoteAllocation {
  invoiceId: string;
  amount: Decimal;
  allocatedAt?: Timestamp | null;
  invoiceDate?: Timestamp | null;
  invoiceStatus?: string | null;
}

export interface CreditNote extends Synced {
  number?: string | null;
  customerId: string;
  subscriptionId?: string | null;
  referenceInvoiceId?: string | null;
  type?: 'adjustment' | 'refundable' | 'store' | null;
  reasonCode?: string | null;
  status: string;
  date?: Timestamp | null;
  priceType?: 'tax_exclusive' | 'tax_inclusive' | null;
  currency: string;
  subtotal: Decimal;
  total: Decimal;
  amountAllocated: Decimal;
  amountRefunded: Decimal;
  amountAvailable: Decimal;
  roundOff?: Decimal | null;
  refundedAt?: Timestamp | null;
  voidedAt?: Timestamp | null;
  /** Chargebee `business_entity_id` (multi-entity sites). */
  businessEntityId?: string | null;
  allocations: CreditNoteAllocation[];
}

/** One entry of a site's event feed, or one webhook delivery. */
export interface BillingEvent extends Synced {
  /** Maxio event `key` (e.g. `signup_success`) or Chargebee `event_type`. */
  key: string;
  message?: string | null;
  occurredAt: Timestamp;
  customerId?: string | null;
  subscriptionId?: string | null;
  invoiceId?: string | null;
}

export type ResourceType =
  | 'customer'
  | 'productFamily'
  | 'product'
  | 'pricePoint'
  | 'coupon'
  | 'subscription'
  | 'transaction'
  | 'invoice'
  | 'creditNote'
  | 'event';

export interface ResourceMap {
  customer: Customer;
  productFamily: ProductFamily;
  product: Product;
  pricePoint: PricePoint;
  coupon: Coupon;
  subscription: Subscription;
  transaction: Transaction;
  invoice: Invoice;
  creditNote: CreditNote;
  event: BillingEvent;
}

/** A canonical record tagged with its resource type. */
export type CanonicalRecord = {
  [R in ResourceType]: { resource: R; record: ResourceMap[R] };
}[ResourceType];

/** Parents before children: the order backfills walk and sync writes. */
export const RESOURCE_ORDER: readonly ResourceType[] = [
  'productFamily',
  'product',
  'pricePoint',
  'coupon',
  'customer',
  'subscription',
  'invoice',
  'transaction',
  'creditNote',
  'event',
];

// ---------------------------------------------------------------------------------------------
// Subscription previews and creation

export interface SubscriptionItemRequest {
  /** Maxio component id/handle or Chargebee addon/charge item price id. */
  productId?: string | null;
  pricePointId?: string | null;
  quantity: Decimal;
}

export interface CustomerDetails {
  /** Existing customer id on the site; when absent, the details below describe a new customer. */
  id?: string | null;
  reference?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  company?: string | null;
  phone?: string | null;
  billingAddress?: Address | null;
  shippingAddress?: Address | null;
}

export interface SubscriptionRequest {
  customer: CustomerDetails;
  /** Maxio product id/handle; Chargebee plan item id (optional when `pricePointId` says it). */
  productId?: string | null;
  /** Maxio product price point id/handle; Chargebee plan item price id. */
  pricePointId?: string | null;
  planQuantity?: Decimal | null;
  items: SubscriptionItemRequest[];
  couponCodes: string[];
  currency?: string | null;
  startDate?: DateOnly | null;
  poNumber?: string | null;
  /** Salesforce Opportunity id that asked for this subscription (kept as provider metadata). */
  opportunityId?: string | null;
}

export type ManifestLineKind =
  'baseline' | 'initial' | 'trial' | 'coupon' | 'component' | 'addon' | 'charge' | 'tax';

export interface ManifestLine {
  kind: ManifestLineKind;
  description: string;
  productId?: string | null;
  pricePointId?: string | null;
  componentId?: string | null;
  quantity?: Decimal | null;
  unitPrice?: Decimal | null;
  amount: Decimal;
  discount: Decimal;
  tax: Decimal;
  periodStart?: Timestamp | null;
  periodEnd?: Timestamp | null;
}

export interface ManifestDiscount {
  code?: string | null;
  description: string;
  amount: Decimal;
}

export interface BillingManifest {
  currency: string;
  periodStart?: Timestamp | null;
  periodEnd?: Timestamp | null;
  lines: ManifestLine[];
  discounts: ManifestDiscount[];
  taxes: InvoiceTax[];
  subtotal: Decimal;
  discount: Decimal;
  tax: Decimal;
  total: Decimal;
}

export interface SubscriptionPreview {
  siteKey: SiteKey;
  currency: string;
  current: BillingManifest;
  next: BillingManifest | null;
  raw?: unknown;
}

export function siteKeyOf(provider: Provider, name: string): SiteKey {
  return `${provider}:${name}`;
}

export function externalIdOf(siteKey: SiteKey, id: string | number): string {
  return `${siteKey}:${id}`;
}

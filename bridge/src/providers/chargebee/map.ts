/**
 * Chargebee (API v2, Product Catalog 2.0) JSON → the canonical model. Pure functions per
 * resource. What they handle: Unix-second timestamps, minor-unit amounts (two decimals; the
 * zero-decimal currencies JPY/KRW… have none), `resource_version`, `deleted` records, the
 * `list`/`next_offset` envelope, customer hierarchies (`relationship.parent_id`), contacts,
 * business entities, and `meta_data.salesforce_opportunity_id` set by the bridge at creation.
 * `cf_*` custom fields stay in `raw` only.
 */
import { centsToDecimal as minorToDecimal } from '../../money.ts';
import type {
  Address,
  BillingEvent,
  BillingManifest,
  Coupon,
  CreditNote,
  Customer,
  Invoice,
  ManifestLine,
  PricePoint,
  PricingModel,
  Product,
  ProductFamily,
  ResourceMap,
  ResourceType,
  SiteKey,
  Subscription,
  SubscriptionStatus,
  Transaction,
} from '../../model/canonical.ts';
import { externalIdOf } from '../../model/canonical.ts';

export type Json = Record<string, unknown>;

/** Where the bridge keeps the Salesforce Opportunity id on a subscription. */
export const OPPORTUNITY_META_KEY = 'salesforce_opportunity_id';

const ZERO_DECIMAL = new Set([
  'JPY',
  'KRW',
  'VND',
  'CLP',
  'ISK',
  'UGX',
  'XAF',
  'XOF',
  'PYG',
  'RWF',
]);

const str = (v: unknown): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

export function money(v: unknown, currency: unknown = 'USD'): string | null {
  const n = num(v);
  if (n === null) return null;
  return minorToDecimal(Math.round(n), ZERO_DECIMAL.has(String(currency)) ? 0 : 2);
}

export function unixToIso(v: unknown): string | null {
  const n = num(v);
  return n === null ? null : new Date(n * 1000).toISOString();
}

const unixToDate = (v: unknown): string | null => unixToIso(v)?.slice(0, 10) ?? null;

function base(siteKey: SiteKey, record: Json) {
  const id = String(record.id);
  return {
    id,
    siteKey,
    externalId: externalIdOf(siteKey, id),
    createdAt: unixToIso(record.created_at ?? record.generated_at ?? record.date),
    updatedAt: unixToIso(record.updated_at),
    resourceVersion: num(record.resource_version),
    raw: record,
  };
}

function address(a: Json | undefined | null): Address | null {
  if (!a) return null;
  return {
    firstName: str(a.first_name),
    lastName: str(a.last_name),
    company: str(a.company),
    email: str(a.email),
    phone: str(a.phone),
    line1: str(a.line1),
    line2: str(a.line2),
    line3: str(a.line3),
    city: str(a.city),
    state: str(a.state ?? a.state_code),
    zip: str(a.zip),
    country: str(a.country),
  };
}

export function mapCustomer(c: Json, siteKey: SiteKey): Customer {
  const relationship = (c.relationship as Json | undefined) ?? {};
  const paymentMethod = c.payment_method as Json | undefined | null;
  const billing = address(c.billing_address as Json | undefined);
  return {
    ...base(siteKey, c),
    firstName: str(c.first_name),
    lastName: str(c.last_name),
    email: str(c.email),
    phone: str(c.phone),
    company: str(c.company),
    parentId: str(relationship.parent_id),
    vatNumber: str(c.vat_number),
    taxExempt: c.taxability === 'exempt',
    taxability: c.taxability === 'exempt' ? 'exempt' : 'taxable',
    locale: str(c.locale),
    autoCollection: c.auto_collection === 'off' ? 'off' : 'on',
    netTermDays: num(c.net_term_days),
    paymentMethod: paymentMethod
      ? { type: str(paymentMethod.type), status: str(paymentMethod.status) }
      : null,
    billingAddress: billing,
    shippingAddress: null,
    businessEntityId: str(c.business_entity_id),
    contacts: ((c.contacts as Json[] | undefined) ?? []).map((p) => ({
      id: String(p.id),
      firstName: str(p.first_name),
      lastName: str(p.last_name),
      email: str(p.email),
      phone: str(p.phone),
      label: str(p.label),
    })),
  };
}

export function mapItemFamily(f: Json, siteKey: SiteKey): ProductFamily {
  return {
    ...base(siteKey, f),
    name: String(f.name ?? f.id),
    description: str(f.description),
  } as ProductFamily;
}

const STATUS = (s: unknown): 'active' | 'archived' | 'deleted' =>
  s === 'archived' ? 'archived' : s === 'deleted' ? 'deleted' : 'active';

export function mapItem(i: Json, siteKey: SiteKey): Product {
  const type = String(i.type);
  return {
    ...base(siteKey, i),
    kind: type === 'addon' ? 'addon' : type === 'charge' ? 'charge' : 'plan',
    name: String(i.external_name ?? i.name ?? i.id),
    handle: String(i.id),
    description: str(i.description),
    familyId: str(i.item_family_id),
    familyName: null,
    status: i.deleted === true ? 'deleted' : STATUS(i.status),
    componentKind: null,
    unitName: str(i.unit),
  };
}

const PERIOD_UNITS = new Set(['day', 'week', 'month', 'year']);

/**
 * The default price of an item in a currency: the one Price Book Entries are written for. A
 * record alone must decide it, so the rule is: a one-time price (no period), or the monthly price
 * without a trial. A site with two such prices for one item and currency gets two defaults.
 */
export function isDefaultItemPrice(p: Json): boolean {
  if (p.status !== undefined && p.status !== 'active') return false;
  if (p.period_unit === undefined || p.period_unit === null) return true;
  return (
    p.period_unit === 'month' &&
    Number(p.period ?? 1) === 1 &&
    (p.trial_period === undefined || p.trial_period === null)
  );
}

export function mapItemPrice(p: Json, siteKey: SiteKey): PricePoint {
  const currency = String(p.currency_code ?? 'USD');
  const tiers = ((p.tiers as Json[] | undefined) ?? []).map((t) => ({
    startingUnit: String(num(t.starting_unit) ?? 1),
    endingUnit:
      t.ending_unit === undefined || t.ending_unit === null ? null : String(num(t.ending_unit)),
    price: money(t.price, currency) ?? '0.00',
  }));
  const model = String(p.pricing_model) as PricingModel;
  return {
    ...base(siteKey, p),
    productId: String(p.item_id),
    name: String(p.external_name ?? p.name ?? p.id),
    handle: String(p.id),
    currency,
    pricingModel: model,
    price: money(p.price, currency) ?? tiers[0]?.price ?? money(0, currency) ?? '0.00',
    period: num(p.period),
    periodUnit: PERIOD_UNITS.has(String(p.period_unit))
      ? (p.period_unit as 'day' | 'week' | 'month' | 'year')
      : null,
    trialPeriod: num(p.trial_period),
    trialPeriodUnit:
      p.trial_period_unit === 'day' || p.trial_period_unit === 'month' ? p.trial_period_unit : null,
    billingCycles: num(p.billing_cycles),
    freeQuantity: num(p.free_quantity),
    setupFee: null,
    status: p.deleted === true ? 'deleted' : STATUS(p.status),
    isDefault: isDefaultItemPrice(p),
    tiers,
  };
}

export function mapCoupon(c: Json, siteKey: SiteKey): Coupon {
  const percent = c.discount_type === 'percentage';
  const status = String(c.status ?? 'active');
  return {
    ...base(siteKey, c),
    code: String(c.id),
    name: String(c.name ?? c.id),
    invoiceName: str(c.invoice_name),
    description: str(c.invoice_notes),
    discountType: percent ? 'percentage' : 'fixed_amount',
    discountPercentage: percent ? (num(c.discount_percentage) ?? 0).toFixed(2) : null,
    discountAmount: percent ? null : money(c.discount_amount, c.currency_code),
    currency: percent ? null : str(c.currency_code),
    durationType:
      c.duration_type === 'forever'
        ? 'forever'
        : c.duration_type === 'limited_period'
          ? 'limited_period'
          : 'one_time',
    durationMonths:
      c.period_unit === 'month'
        ? num(c.period)
        : c.period_unit === 'year'
          ? (num(c.period) ?? 0) * 12
          : num(c.duration_month),
    applyOn: str(c.apply_on),
    status:
      status === 'expired' || status === 'archived' || status === 'deleted' ? status : 'active',
    validTill: unixToIso(c.valid_till),
    maxRedemptions: num(c.max_redemptions),
    redemptions: num(c.redemptions),
    itemConstraints: ((c.item_constraints as Json[] | undefined) ?? []).map((x) => ({
      itemType: (['plan', 'addon', 'charge'].includes(String(x.item_type))
        ? x.item_type
        : 'plan') as 'plan' | 'addon' | 'charge',
      constraint: String(x.constraint),
      ...(Array.isArray(x.item_price_ids)
        ? { itemPriceIds: (x.item_price_ids as unknown[]).map(String) }
        : {}),
    })),
  };
}

const SUB_STATUS: Record<string, SubscriptionStatus> = {
  future: 'future',
  in_trial: 'in_trial',
  active: 'active',
  non_renewing: 'non_renewing',
  paused: 'paused',
  cancelled: 'cancelled',
  transferred: 'cancelled',
};

/** `itemOf` names the item of an item price (a subscription only carries the price id). */
export function mapSubscription(
  s: Json,
  siteKey: SiteKey,
  itemOf: (itemPriceId: string) => string | undefined = () => undefined,
): Subscription {
  const currency = String(s.currency_code ?? 'USD');
  const items = (s.subscription_items as Json[] | undefined) ?? [];
  const plan = items.find((i) => i.item_type === 'plan');
  const meta =
    (typeof s.meta_data === 'string' ? safeJson(s.meta_data) : (s.meta_data as Json | undefined)) ??
    {};
  const contract = s.contract_term as Json | undefined;
  return {
    ...base(siteKey, s),
    customerId: String(s.customer_id),
    status: SUB_STATUS[String(s.status)] ?? 'active',
    providerStatus: String(s.status),
    currency,
    productId: plan ? (itemOf(String(plan.item_price_id)) ?? null) : null,
    pricePointId: plan ? String(plan.item_price_id) : null,
    planQuantity: plan ? String(num(plan.quantity) ?? 1) : null,
    planUnitPrice: plan ? money(plan.unit_price, currency) : null,
    planAmount: plan ? money(plan.amount, currency) : null,
    items: items
      .filter((i) => i !== plan)
      .map((i) => ({
        id: String(i.item_price_id),
        kind: i.item_type === 'charge' ? 'charge' : i.item_type === 'plan' ? 'plan' : 'addon',
        productId: itemOf(String(i.item_price_id)) ?? String(i.item_price_id),
        pricePointId: String(i.item_price_id),
        quantity: String(num(i.quantity) ?? 1),
        unitPrice: money(i.unit_price, currency),
        amount: money(i.amount, currency),
        billingCycles: num(i.billing_cycles),
        servicePeriodDays: num(i.service_period_days),
        chargeOnce: typeof i.charge_once === 'boolean' ? i.charge_once : null,
        chargeOnEvent: str(i.charge_on_event),
      })),
    coupons: ((s.coupons as Json[] | undefined) ?? []).map((c) => ({
      couponId: String(c.coupon_id),
      code: String(c.coupon_id),
      appliedCount: num(c.applied_count),
      applyTill: unixToIso(c.apply_till),
    })),
    activatedAt: unixToIso(s.activated_at),
    startedAt: unixToIso(s.started_at),
    cancelledAt: unixToIso(s.cancelled_at),
    trialStart: unixToIso(s.trial_start),
    trialEnd: unixToIso(s.trial_end),
    currentTermStart: unixToIso(s.current_term_start),
    currentTermEnd: unixToIso(s.current_term_end),
    nextBillingAt: unixToIso(s.next_billing_at),
    mrr: money(s.mrr, currency),
    dueInvoicesCount: num(s.due_invoices_count),
    dueSince: unixToIso(s.due_since),
    totalDues: money(s.total_dues, currency),
    remainingBillingCycles: num(s.remaining_billing_cycles),
    poNumber: str(s.po_number),
    cancelReason: str(s.cancel_reason),
    cancelReasonCode: str(s.cancel_reason_code),
    contractTerm: contract
      ? { id: String(contract.id), actionAtTermEnd: str(contract.action_at_term_end) }
      : null,
    shippingAddress: address(s.shipping_address as Json | undefined),
    businessEntityId: str(s.business_entity_id),
    opportunityId: str(meta[OPPORTUNITY_META_KEY]),
  };
}

function safeJson(text: string): Json | null {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return null;
  }
}

export function mapTransaction(t: Json, siteKey: SiteKey): Transaction {
  const linked = ((t.linked_invoices as Json[] | undefined) ?? [])[0];
  return {
    ...base(siteKey, t),
    createdAt: unixToIso(t.date ?? t.created_at),
    type: String(t.type ?? 'payment'),
    kind: null,
    memo: str(t.error_text),
    amount: money(t.amount, t.currency_code) ?? '0.00',
    currency: String(t.currency_code ?? 'USD'),
    success: t.status === 'success',
    subscriptionId: str(t.subscription_id),
    customerId: str(t.customer_id),
    invoiceId: str(linked?.invoice_id),
    gatewayUsed: str(t.gateway),
    paymentType: str(t.payment_method),
  };
}

export function mapInvoice(i: Json, siteKey: SiteKey): Invoice {
  const currency = String(i.currency_code ?? 'USD');
  const m = (v: unknown) => money(v ?? 0, currency) as string;
  const discounts = (i.discounts as Json[] | undefined) ?? [];
  const discountCents = discounts.reduce((a, d) => a + (num(d.amount) ?? 0), 0);
  return {
    ...base(siteKey, i),
    createdAt: unixToIso(i.generated_at ?? i.date),
    number: String(i.id),
    customerId: String(i.customer_id),
    subscriptionId: str(i.subscription_id),
    status: String(i.status),
    collectionMethod: null,
    role: null,
    currency,
    issueDate: unixToDate(i.date),
    dueDate: unixToDate(i.due_date),
    paidDate: unixToDate(i.paid_at),
    subtotal: m(i.sub_total),
    discount: m(discountCents),
    tax: m(i.tax),
    total: m(i.total),
    credit: m(i.credits_applied),
    refund: null,
    paid: m(i.amount_paid),
    due: m(i.amount_due),
    poNumber: str(i.po_number),
    priceType: i.price_type === 'tax_inclusive' ? 'tax_inclusive' : 'tax_exclusive',
    recurring: typeof i.recurring === 'boolean' ? i.recurring : null,
    vatNumber: str(i.vat_number),
    nextRetryAt: unixToIso(i.next_retry_at),
    paymentOwner: str(i.payment_owner),
    businessEntityId: str(i.business_entity_id),
    lines: ((i.line_items as Json[] | undefined) ?? []).map((l) => ({
      id: String(l.id),
      description: String(l.description ?? ''),
      kind: str(l.entity_type),
      productId: null,
      pricePointId: str(l.entity_id),
      componentId: null,
      quantity: String(num(l.quantity) ?? 1),
      unitPrice: m(l.unit_amount),
      amount: m(l.amount),
      subtotal: m(l.amount),
      discount: m((num(l.discount_amount) ?? 0) + (num(l.item_level_discount_amount) ?? 0)),
      tax: m(l.tax_amount),
      total: m(
        (num(l.amount) ?? 0) -
          (num(l.discount_amount) ?? 0) -
          (num(l.item_level_discount_amount) ?? 0) +
          (num(l.tax_amount) ?? 0),
      ),
      dateFrom: unixToIso(l.date_from),
      dateTo: unixToIso(l.date_to),
      taxExemptReason: str(l.tax_exempt_reason),
    })),
    payments: ((i.linked_payments as Json[] | undefined) ?? []).map((p) => ({
      id: str(p.txn_id),
      amount: m(p.applied_amount),
      method: null,
      appliedAt: unixToIso(p.applied_at),
      transactionId: str(p.txn_id),
    })),
    taxes: ((i.taxes as Json[] | undefined) ?? []).map((t) => ({
      name: String(t.name ?? 'Tax'),
      amount: m(t.amount),
    })),
  };
}

export function mapCreditNote(n: Json, siteKey: SiteKey): CreditNote {
  const currency = String(n.currency_code ?? 'USD');
  const m = (v: unknown) => money(v ?? 0, currency) as string;
  const type = String(n.type);
  return {
    ...base(siteKey, n),
    createdAt: unixToIso(n.generated_at ?? n.date),
    number: String(n.id),
    customerId: String(n.customer_id),
    subscriptionId: str(n.subscription_id),
    referenceInvoiceId: str(n.reference_invoice_id),
    type: type === 'refundable' || type === 'adjustment' || type === 'store' ? type : null,
    reasonCode: str(n.reason_code ?? n.create_reason_code),
    status: String(n.status),
    date: unixToIso(n.date),
    priceType: n.price_type === 'tax_inclusive' ? 'tax_inclusive' : 'tax_exclusive',
    currency,
    subtotal: m(n.sub_total),
    total: m(n.total),
    amountAllocated: m(n.amount_allocated),
    amountRefunded: m(n.amount_refunded),
    amountAvailable: m(n.amount_available),
    roundOff: m(n.round_off_amount),
    refundedAt: unixToIso(n.refunded_at),
    voidedAt: unixToIso(n.voided_at),
    businessEntityId: str(n.business_entity_id),
    allocations: ((n.allocations as Json[] | undefined) ?? []).map((a) => ({
      invoiceId: String(a.invoice_id),
      amount: m(a.allocated_amount),
      allocatedAt: unixToIso(a.allocated_at),
      invoiceDate: unixToIso(a.invoice_date),
      invoiceStatus: str(a.invoice_status),
    })),
  };
}

export function mapEvent(e: Json, siteKey: SiteKey): BillingEvent {
  const content = (e.content as Json | undefined) ?? {};
  const customer = content.customer as Json | undefined;
  const subscription = content.subscription as Json | undefined;
  const invoice = content.invoice as Json | undefined;
  return {
    ...base(siteKey, e),
    createdAt: unixToIso(e.occurred_at),
    updatedAt: unixToIso(e.occurred_at),
    key: String(e.event_type),
    message: `${String(e.event_type)} via ${String(e.source ?? 'api')}`,
    occurredAt: unixToIso(e.occurred_at) ?? new Date(0).toISOString(),
    customerId: str(customer?.id ?? subscription?.customer_id ?? invoice?.customer_id),
    subscriptionId: str(subscription?.id ?? invoice?.subscription_id),
    invoiceId: str(invoice?.id),
  };
}

/** An `invoice_estimate` → canonical manifest. */
export function mapInvoiceEstimate(e: Json): BillingManifest {
  const currency = String(e.currency_code ?? 'USD');
  const m = (v: unknown) => money(v ?? 0, currency) as string;
  const lines: ManifestLine[] = ((e.line_items as Json[] | undefined) ?? []).map((l) => {
    const type = String(l.entity_type ?? '');
    return {
      kind: type.startsWith('plan') ? 'baseline' : type.startsWith('charge') ? 'charge' : 'addon',
      description: String(l.description ?? l.entity_id ?? ''),
      pricePointId: str(l.entity_id),
      quantity: String(num(l.quantity) ?? 1),
      unitPrice: m(l.unit_amount),
      amount: m(l.amount),
      discount: m(l.discount_amount),
      tax: m(l.tax_amount),
      periodStart: unixToIso(l.date_from),
      periodEnd: unixToIso(l.date_to),
    };
  });
  const discounts = ((e.discounts as Json[] | undefined) ?? []).map((d) => ({
    code: str(d.entity_id),
    description: String(d.description ?? d.entity_id ?? 'Discount'),
    amount: m(d.amount),
  }));
  const discountCents = ((e.discounts as Json[] | undefined) ?? []).reduce(
    (a, d) => a + (num(d.amount) ?? 0),
    0,
  );
  const taxCents = ((e.taxes as Json[] | undefined) ?? []).reduce(
    (a, t) => a + (num(t.amount) ?? 0),
    0,
  );
  return {
    currency,
    periodStart: lines[0]?.periodStart ?? null,
    periodEnd: lines[0]?.periodEnd ?? null,
    lines,
    discounts,
    taxes: ((e.taxes as Json[] | undefined) ?? []).map((t) => ({
      name: String(t.description ?? t.name ?? 'Tax'),
      amount: m(t.amount),
    })),
    subtotal: m(e.sub_total),
    discount: m(discountCents),
    tax: m(taxCents),
    total: m(e.total),
  };
}

const LIST_WRAPPERS: Record<ResourceType, string> = {
  customer: 'customer',
  productFamily: 'item_family',
  product: 'item',
  pricePoint: 'item_price',
  coupon: 'coupon',
  subscription: 'subscription',
  transaction: 'transaction',
  invoice: 'invoice',
  creditNote: 'credit_note',
  event: 'event',
};

export function wrapperOf(resource: ResourceType): string {
  return LIST_WRAPPERS[resource];
}

/** One Chargebee record (bare) of a resource → canonical. */
export function mapRecord(
  resource: ResourceType,
  record: Json,
  siteKey: SiteKey,
  itemOf?: (id: string) => string | undefined,
): ResourceMap[ResourceType] {
  switch (resource) {
    case 'customer':
      return mapCustomer(record, siteKey);
    case 'productFamily':
      return mapItemFamily(record, siteKey);
    case 'product':
      return mapItem(record, siteKey);
    case 'pricePoint':
      return mapItemPrice(record, siteKey);
    case 'coupon':
      return mapCoupon(record, siteKey);
    case 'subscription':
      return mapSubscription(record, siteKey, itemOf);
    case 'transaction':
      return mapTransaction(record, siteKey);
    case 'invoice':
      return mapInvoice(record, siteKey);
    case 'creditNote':
      return mapCreditNote(record, siteKey);
    case 'event':
      return mapEvent(record, siteKey);
  }
}

/**
 * `billing-bridge map --provider chargebee`: an API payload (`{list:[…]}`, `{customer:{…}}` or a
 * bare record) → canonical records. Subscription item ids stand in for their items' ids, since
 * a payload alone does not say which item a price belongs to.
 */
export function mapChargebeePayload(
  resource: ResourceType,
  payload: unknown,
  siteKey: string,
): ResourceMap[ResourceType][] {
  const wrapper = LIST_WRAPPERS[resource];
  const p = payload as Json;
  const entries: unknown[] = Array.isArray(p?.list)
    ? (p.list as unknown[])
    : Array.isArray(payload)
      ? (payload as unknown[])
      : [payload];
  return entries.map((entry) => {
    const e = entry as Json;
    const record =
      e && typeof e[wrapper] === 'object' && e[wrapper] !== null ? (e[wrapper] as Json) : e;
    return mapRecord(resource, record, siteKey as SiteKey);
  });
}

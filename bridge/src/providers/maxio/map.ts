/**
 * Maxio Advanced Billing JSON → the canonical model. Pure functions, one per resource, taking the
 * record as the API or a webhook gives it. The awkward parts handled here:
 *
 * - money: `*_in_cents` integers on catalog and subscriptions, decimal strings ("12.0") on
 *   invoices and credit notes, both → exact Decimal strings;
 * - time: the site's offset (`2026-01-02T10:11:12-05:00`), and in webhooks Rails' form
 *   (`2026-01-02 10:11:12 -0500`), both → ISO UTC;
 * - wrappers: `[{customer:{…}}]` lists, `{invoices:[…]}` lists, unwrapped single invoices;
 * - webhook form fields, where every value is a string (`"2900"`, `"true"`, `""`);
 * - ids: products and components are separate id spaces in Maxio, so components become
 *   `component:<id>` and their price points `component-pp:<id>` everywhere in the canonical model.
 */
import { centsToDecimal as minorToDecimal, isDecimal, normalizeDecimal } from '../../money.ts';
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
  SubscriptionItem,
  SubscriptionStatus,
  Transaction,
} from '../../model/canonical.ts';
import { externalIdOf } from '../../model/canonical.ts';

export type Json = Record<string, unknown>;

export const componentProductId = (id: unknown): string => `component:${String(id)}`;
export const componentPricePointId = (id: unknown): string => `component-pp:${String(id)}`;

/** Strip our prefixes for the Maxio API: `component:12` → `12`. */
export function maxioId(canonicalId: string): { kind: 'product' | 'component'; id: string } {
  if (canonicalId.startsWith('component:')) return { kind: 'component', id: canonicalId.slice(10) };
  if (canonicalId.startsWith('component-pp:')) {
    return { kind: 'component', id: canonicalId.slice(13) };
  }
  return { kind: 'product', id: canonicalId };
}

const str = (v: unknown): string | null =>
  v === null || v === undefined || v === '' ? null : String(v);
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const bool = (v: unknown): boolean | null =>
  v === true || v === 'true' ? true : v === false || v === 'false' ? false : null;

/** Cents (number or numeric string) → Decimal. */
export function centsToDecimal(v: unknown): string | null {
  const n = num(v);
  return n === null ? null : minorToDecimal(Math.round(n));
}

/** A decimal string or number ("12.0", "1234.56", 12.5) → Decimal with at least two places. */
export function decimal(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const s = typeof v === 'number' ? v : String(v).trim();
  return isDecimal(s) ? normalizeDecimal(s) : null;
}

/** `2026-01-02T10:11:12-05:00` or `2026-01-02 10:11:12 -0500` → ISO UTC; null when absent. */
export function isoUtc(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  let s = String(v).trim();
  const rails = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-])(\d{2}):?(\d{2})$/.exec(s);
  if (rails) s = `${rails[1]}T${rails[2]}${rails[3]}${rails[4]}:${rails[5]}`;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function base(siteKey: SiteKey, id: unknown, record: Json) {
  const canonicalId = String(id);
  return {
    id: canonicalId,
    siteKey,
    externalId: externalIdOf(siteKey, canonicalId),
    createdAt: isoUtc(record.created_at),
    updatedAt: isoUtc(record.updated_at),
    raw: record,
  };
}

/** `[{customer:{…}}]` / `{customer:{…}}` / `{…}` → the bare record. */
export function unwrap(value: unknown, key: string): Json {
  const v = value as Json;
  if (v && typeof v === 'object' && key in v && typeof v[key] === 'object' && v[key] !== null) {
    return v[key] as Json;
  }
  return v;
}

export function mapCustomer(c: Json, siteKey: SiteKey): Customer {
  const address: Address = {
    firstName: str(c.first_name),
    lastName: str(c.last_name),
    company: str(c.organization),
    email: str(c.email),
    phone: str(c.phone),
    line1: str(c.address),
    line2: str(c.address_2),
    city: str(c.city),
    state: str(c.state),
    zip: str(c.zip),
    country: str(c.country),
  };
  const hasAddress = Boolean(address.line1 || address.city || address.zip || address.country);
  return {
    ...base(siteKey, c.id, c),
    firstName: str(c.first_name),
    lastName: str(c.last_name),
    email: str(c.email),
    ccEmails: str(c.cc_emails),
    phone: str(c.phone),
    company: str(c.organization),
    reference: str(c.reference),
    parentId: str(c.parent_id),
    vatNumber: str(c.vat_number),
    taxExempt: bool(c.tax_exempt),
    taxability: bool(c.tax_exempt) ? 'exempt' : 'taxable',
    locale: str(c.locale),
    // Maxio keeps one address per customer: its billing address. Shipping addresses live on
    // subscriptions (shipping_address); the customer's doubles as shipping when it has no other.
    billingAddress: hasAddress ? address : null,
    shippingAddress: hasAddress ? address : null,
    contacts: [],
  };
}

export function mapProductFamily(f: Json, siteKey: SiteKey): ProductFamily {
  return { ...base(siteKey, f.id, f), name: String(f.name ?? f.handle ?? f.id) };
}

function familyOf(p: Json): Json | null {
  return (p.product_family as Json | undefined) ?? null;
}

export function mapProduct(p: Json, siteKey: SiteKey): Product {
  const family = familyOf(p);
  return {
    ...base(siteKey, p.id, p),
    kind: 'product',
    name: String(p.name),
    handle: str(p.handle),
    description: str(p.description),
    accountingCode: str(p.accounting_code),
    familyId: family ? String(family.id) : null,
    familyName: family ? str(family.name) : null,
    status: p.archived_at ? 'archived' : 'active',
    componentKind: null,
    unitName: null,
    defaultPricePointId: str(p.default_product_price_point_id),
  };
}

export function mapComponent(c: Json, siteKey: SiteKey): Product {
  return {
    ...base(siteKey, componentProductId(c.id), c),
    kind: 'component',
    name: String(c.name),
    handle: str(c.handle),
    description: str(c.description),
    accountingCode: str(c.accounting_code),
    familyId: str(c.product_family_id),
    familyName: str(c.product_family_name),
    status: c.archived === true || c.archived_at ? 'archived' : 'active',
    componentKind: str(c.kind),
    unitName: str(c.unit_name),
    defaultPricePointId: c.default_price_point_id
      ? componentPricePointId(c.default_price_point_id)
      : null,
  };
}

const UNITS: Record<string, 'day' | 'month'> = { day: 'day', month: 'month' };

export function mapProductPricePoint(pp: Json, siteKey: SiteKey, defaultId?: unknown): PricePoint {
  const trial = num(pp.trial_interval);
  return {
    ...base(siteKey, pp.id, pp),
    productId: String(pp.product_id),
    name: String(pp.name ?? pp.handle ?? pp.id),
    handle: str(pp.handle),
    currency: 'USD',
    pricingModel: 'flat_fee',
    price: centsToDecimal(pp.price_in_cents) ?? '0.00',
    period: num(pp.interval),
    periodUnit: UNITS[String(pp.interval_unit)] ?? null,
    trialPeriod: trial,
    trialPeriodUnit: trial ? (UNITS[String(pp.trial_interval_unit)] ?? null) : null,
    billingCycles: num(pp.expiration_interval),
    setupFee: centsToDecimal(pp.initial_charge_in_cents),
    status: pp.archived_at ? 'archived' : 'active',
    isDefault:
      pp.type === 'default' || (defaultId !== undefined && String(defaultId) === String(pp.id)),
    tiers: [],
  };
}

const SCHEMES: Record<string, PricingModel> = {
  per_unit: 'per_unit',
  tiered: 'tiered',
  volume: 'volume',
  stairstep: 'stairstep',
};

export function mapComponentPricePoint(pp: Json, siteKey: SiteKey): PricePoint {
  const prices = ((pp.prices as Json[] | undefined) ?? [])
    .slice()
    .sort((a, b) => Number(a.starting_quantity) - Number(b.starting_quantity));
  const model = SCHEMES[String(pp.pricing_scheme)] ?? 'per_unit';
  return {
    ...base(siteKey, componentPricePointId(pp.id), pp),
    productId: componentProductId(pp.component_id),
    name: String(pp.name ?? pp.handle ?? pp.id),
    handle: str(pp.handle),
    currency: 'USD',
    pricingModel: model,
    price: decimal(prices[0]?.unit_price) ?? '0.00',
    period: num(pp.interval),
    periodUnit: UNITS[String(pp.interval_unit)] ?? null,
    trialPeriod: null,
    trialPeriodUnit: null,
    billingCycles: null,
    setupFee: null,
    status: pp.archived_at ? 'archived' : 'active',
    isDefault: pp.default === true || pp.type === 'default',
    tiers:
      model === 'per_unit'
        ? []
        : prices.map((t) => ({
            startingUnit: String(Number(t.starting_quantity)),
            endingUnit:
              t.ending_quantity === null || t.ending_quantity === undefined
                ? null
                : String(Number(t.ending_quantity)),
            price: decimal(t.unit_price) ?? '0.00',
          })),
  };
}

export function mapCoupon(c: Json, siteKey: SiteKey): Coupon {
  const percent =
    c.discount_type === 'percent' ||
    (c.percentage !== null && c.percentage !== undefined && c.amount_in_cents === null);
  const limited = num(c.duration_period_count);
  return {
    ...base(siteKey, c.id, c),
    code: String(c.code),
    name: String(c.name ?? c.code),
    description: str(c.description),
    discountType: percent ? 'percentage' : 'fixed_amount',
    discountPercentage: percent ? decimal(c.percentage) : null,
    discountAmount: percent ? null : centsToDecimal(c.amount_in_cents),
    currency: percent ? null : 'USD',
    durationType: !bool(c.recurring) ? 'one_time' : limited ? 'limited_period' : 'forever',
    durationMonths: limited,
    status: c.archived_at ? 'archived' : 'active',
    validTill: isoUtc(c.end_date),
    maxRedemptions: num(c.conversion_limit),
    productFamilyId: str(c.product_family_id),
  };
}

const STATES: Record<string, SubscriptionStatus> = {
  active: 'active',
  assessing: 'active',
  trialing: 'in_trial',
  trial_ended: 'expired',
  past_due: 'past_due',
  soft_failure: 'past_due',
  unpaid: 'unpaid',
  canceled: 'cancelled',
  expired: 'expired',
  on_hold: 'on_hold',
  suspended: 'paused',
  paused: 'paused',
  awaiting_signup: 'pending',
  pending: 'pending',
  failed_to_create: 'cancelled',
};

export function mapSubscriptionComponent(sc: Json): SubscriptionItem {
  const quantity =
    sc.kind === 'metered_component'
      ? num(sc.unit_balance)
      : sc.kind === 'on_off_component'
        ? bool(sc.enabled)
          ? 1
          : 0
        : num(sc.allocated_quantity);
  return {
    id: componentProductId(sc.component_id ?? sc.id),
    kind: 'component',
    productId: componentProductId(sc.component_id ?? sc.id),
    pricePointId: sc.price_point_id ? componentPricePointId(sc.price_point_id) : null,
    name: str(sc.name),
    quantity: String(quantity ?? 0),
  };
}

/**
 * `couponIdOf` turns a coupon code (all a Maxio subscription carries) into the coupon's id, so
 * the subscription's coupons link to the synced coupons; without it the code stands in.
 */
export function mapSubscription(
  s: Json,
  siteKey: SiteKey,
  components: Json[] = [],
  couponIdOf: (code: string) => string | undefined = () => undefined,
): Subscription {
  const customer = (s.customer as Json | undefined) ?? {};
  const product = (s.product as Json | undefined) ?? {};
  const state = String(s.state ?? 'active');
  const price = centsToDecimal(s.product_price_in_cents);
  const coupons = Array.isArray(s.coupons) ? (s.coupons as Json[]) : [];
  const codes = Array.isArray(s.coupon_codes)
    ? (s.coupon_codes as string[])
    : s.coupon_code
      ? [String(s.coupon_code)]
      : [];
  return {
    ...base(siteKey, s.id, s),
    customerId: String(customer.id ?? s.customer_id ?? ''),
    status: STATES[state] ?? 'active',
    providerStatus: state,
    currency: str(s.currency) ?? 'USD',
    productId: str(product.id ?? s.product_id),
    pricePointId: str(s.product_price_point_id),
    planQuantity: '1',
    planUnitPrice: price,
    planAmount: price,
    productPrice: price,
    items: components.map((c) => mapSubscriptionComponent(unwrap(c, 'component'))),
    coupons: (coupons.length > 0 ? coupons.map((c) => String(c.code)) : codes).map((code) => ({
      couponId: couponIdOf(code) ?? code,
      code,
      appliedCount: num(coupons.find((c) => c.code === code)?.use_count),
    })),
    activatedAt: isoUtc(s.activated_at),
    startedAt: isoUtc(s.activated_at ?? s.created_at),
    cancelledAt: isoUtc(s.canceled_at),
    trialStart: isoUtc(s.trial_started_at),
    trialEnd: isoUtc(s.trial_ended_at),
    currentTermStart: isoUtc(s.current_period_started_at),
    currentTermEnd: isoUtc(s.current_period_ends_at),
    nextBillingAt: isoUtc(s.next_assessment_at),
    nextBillingAmount: centsToDecimal(s.current_billing_amount_in_cents),
    balance: centsToDecimal(s.balance_in_cents),
    currentBillingAmount: centsToDecimal(s.current_billing_amount_in_cents),
    totalRevenue: centsToDecimal(s.total_revenue_in_cents),
    cancelReason: str(s.cancellation_message),
    cancelReasonCode: str(s.reason_code),
    poNumber: null,
    shippingAddress: null,
    opportunityId: null,
  };
}

export function mapTransaction(t: Json, siteKey: SiteKey): Transaction {
  return {
    ...base(siteKey, t.id, t),
    type: String(t.transaction_type ?? 'charge'),
    kind: str(t.kind),
    memo: str(t.memo),
    amount: centsToDecimal(t.amount_in_cents) ?? '0.00',
    currency: str(t.currency) ?? 'USD',
    success: bool(t.success),
    subscriptionId: str(t.subscription_id),
    customerId: str(t.customer_id),
    invoiceId: str(t.invoice_uid),
    productId: str(t.product_id),
    componentId: t.component_id ? componentProductId(t.component_id) : null,
    gatewayUsed: str(t.gateway_used),
    paymentType: str(t.card_type),
  };
}

const dateOnly = (v: unknown): string | null => {
  const s = str(v);
  return s ? s.slice(0, 10) : null;
};

export function mapInvoice(i: Json, siteKey: SiteKey): Invoice {
  const lines = (i.line_items as Json[] | undefined) ?? [];
  const payments = (i.payments as Json[] | undefined) ?? [];
  const taxes = (i.taxes as Json[] | undefined) ?? [];
  return {
    ...base(siteKey, i.uid, i),
    createdAt: isoUtc(i.created_at ?? i.transaction_time),
    number: str(i.number),
    customerId: String(i.customer_id),
    subscriptionId: str(i.subscription_id),
    status: String(i.status ?? 'open'),
    collectionMethod: str(i.collection_method),
    role: str(i.role),
    currency: str(i.currency) ?? 'USD',
    issueDate: dateOnly(i.issue_date),
    dueDate: dateOnly(i.due_date),
    paidDate: dateOnly(i.paid_date),
    subtotal: decimal(i.subtotal_amount) ?? '0.00',
    discount: decimal(i.discount_amount) ?? '0.00',
    tax: decimal(i.tax_amount) ?? '0.00',
    total: decimal(i.total_amount) ?? '0.00',
    credit: decimal(i.credit_amount),
    refund: decimal(i.refund_amount),
    paid: decimal(i.paid_amount) ?? '0.00',
    due: decimal(i.due_amount) ?? '0.00',
    vatNumber: str((i.customer as Json | undefined)?.vat_number),
    lines: lines.map((l) => ({
      id: String(l.uid),
      description: String(l.description ?? l.title ?? ''),
      kind: str(l.kind),
      productId: str(l.product_id),
      pricePointId: l.component_id
        ? l.price_point_id
          ? componentPricePointId(l.price_point_id)
          : null
        : str(l.product_price_point_id ?? l.price_point_id),
      componentId: l.component_id ? componentProductId(l.component_id) : null,
      quantity: decimal(l.quantity) ?? '0.00',
      unitPrice: decimal(l.unit_price) ?? '0.00',
      amount: decimal(l.subtotal_amount) ?? '0.00',
      subtotal: decimal(l.subtotal_amount),
      discount: decimal(l.discount_amount) ?? '0.00',
      tax: decimal(l.tax_amount) ?? '0.00',
      total: decimal(l.total_amount),
      dateFrom: dateOnly(l.period_range_start),
      dateTo: dateOnly(l.period_range_end),
    })),
    payments: payments.map((p) => ({
      id: str(p.transaction_id),
      amount: decimal(p.applied_amount ?? p.original_amount) ?? '0.00',
      method: str((p.payment_method as Json | undefined)?.type),
      appliedAt: isoUtc(p.transaction_time),
      transactionId: str(p.transaction_id),
    })),
    taxes: taxes.map((t) => ({
      name: String(t.title ?? 'Tax'),
      rate: decimal(t.percentage),
      amount: decimal(t.tax_amount) ?? '0.00',
    })),
  };
}

export function mapCreditNote(n: Json, siteKey: SiteKey): CreditNote {
  const applications = (n.applications as Json[] | undefined) ?? [];
  const refunds = (n.refunds as Json[] | undefined) ?? [];
  const origin = (n.origin_invoices as Json[] | undefined) ?? [];
  const allocated = applications.reduce(
    (a, x) => a + Math.round(Number(x.applied_amount ?? 0) * 100),
    0,
  );
  const refunded = refunds.reduce(
    (a, x) => a + Math.round(Number(x.applied_amount ?? x.amount ?? 0) * 100),
    0,
  );
  return {
    ...base(siteKey, n.uid, n),
    number: str(n.number),
    customerId: String(n.customer_id),
    subscriptionId: str(n.subscription_id),
    referenceInvoiceId: str(origin[0]?.uid),
    type: 'adjustment',
    status: String(n.status ?? 'open'),
    date: isoUtc(n.issue_date ? `${String(n.issue_date).slice(0, 10)}T00:00:00Z` : null),
    currency: str(n.currency) ?? 'USD',
    subtotal: decimal(n.subtotal_amount) ?? '0.00',
    total: decimal(n.total_amount) ?? '0.00',
    amountAllocated: minorToDecimal(allocated),
    amountRefunded: minorToDecimal(refunded),
    amountAvailable: decimal(n.remaining_amount) ?? '0.00',
    allocations: applications.map((a) => ({
      invoiceId: String(a.invoice_uid),
      amount: decimal(a.applied_amount) ?? '0.00',
      allocatedAt: isoUtc(a.transaction_time),
    })),
  };
}

export function mapEvent(e: Json, siteKey: SiteKey): BillingEvent {
  const data = (e.event_specific_data as Json | null | undefined) ?? null;
  return {
    ...base(siteKey, e.id, e),
    key: String(e.key),
    message: str(e.message),
    occurredAt: isoUtc(e.created_at) ?? new Date(0).toISOString(),
    customerId: str(e.customer_id),
    subscriptionId: str(e.subscription_id),
    invoiceId: str(data?.invoice_uid ?? data?.uid),
  };
}

/** A manifest of `POST /subscriptions/preview.json` → canonical. */
export function mapManifest(m: Json): BillingManifest {
  const items = (m.line_items as Json[] | undefined) ?? [];
  const lines: ManifestLine[] = items.map((l) => {
    const kind = String(l.kind ?? 'baseline');
    const canonicalKind: ManifestLine['kind'] =
      kind === 'baseline' ||
      kind === 'initial' ||
      kind === 'trial' ||
      kind === 'coupon' ||
      kind === 'component' ||
      kind === 'tax'
        ? kind
        : 'charge';
    return {
      kind: canonicalKind,
      description: String(l.memo ?? kind),
      productId: str(l.product_id),
      pricePointId: l.component_id
        ? l.price_point_id
          ? componentPricePointId(l.price_point_id)
          : null
        : str(l.price_point_id),
      componentId: l.component_id ? componentProductId(l.component_id) : null,
      amount: centsToDecimal(l.amount_in_cents) ?? '0.00',
      discount: centsToDecimal(l.discount_amount_in_cents) ?? '0.00',
      tax: '0.00',
      periodStart: isoUtc(
        l.period_range_start ? `${String(l.period_range_start)}T00:00:00Z` : null,
      ),
      periodEnd: isoUtc(l.period_range_end ? `${String(l.period_range_end)}T00:00:00Z` : null),
    };
  });
  const couponLines = lines.filter((l) => l.kind === 'coupon');
  const taxLines = lines.filter((l) => l.kind === 'tax');
  return {
    currency: 'USD',
    periodStart: isoUtc(m.start_date),
    periodEnd: isoUtc(m.end_date),
    lines,
    discounts: couponLines.map((l) => ({
      code: /Coupon: ([^ ]+)/.exec(l.description)?.[1] ?? null,
      description: l.description,
      amount: l.amount.replace('-', ''),
    })),
    taxes: taxLines.map((l) => ({ name: l.description, amount: l.amount })),
    subtotal: centsToDecimal(m.subtotal_in_cents) ?? '0.00',
    discount: centsToDecimal(m.total_discount_in_cents) ?? '0.00',
    tax: centsToDecimal(m.total_tax_in_cents) ?? '0.00',
    total: centsToDecimal(m.total_in_cents) ?? '0.00',
  };
}

/**
 * `billing-bridge map --provider maxio`: a Maxio API payload (wrapped or not, one record or a
 * list) → canonical records. Subscriptions may carry their components under `components`.
 */
export function mapMaxioPayload(
  resource: ResourceType,
  payload: unknown,
  siteKey: string,
): ResourceMap[ResourceType][] {
  const key = siteKey as SiteKey;
  const list: unknown[] = Array.isArray(payload)
    ? payload
    : payload && typeof payload === 'object' && Array.isArray((payload as Json).invoices)
      ? ((payload as Json).invoices as unknown[])
      : payload && typeof payload === 'object' && Array.isArray((payload as Json).credit_notes)
        ? ((payload as Json).credit_notes as unknown[])
        : payload && typeof payload === 'object' && Array.isArray((payload as Json).price_points)
          ? ((payload as Json).price_points as unknown[])
          : [payload];
  return list.map((item) => {
    switch (resource) {
      case 'customer':
        return mapCustomer(unwrap(item, 'customer'), key);
      case 'productFamily':
        return mapProductFamily(unwrap(item, 'product_family'), key);
      case 'product': {
        const v = item as Json;
        return v.component
          ? mapComponent(unwrap(v, 'component'), key)
          : mapProduct(unwrap(v, 'product'), key);
      }
      case 'pricePoint': {
        const pp = unwrap(item, 'price_point');
        return pp.component_id ? mapComponentPricePoint(pp, key) : mapProductPricePoint(pp, key);
      }
      case 'coupon':
        return mapCoupon(unwrap(item, 'coupon'), key);
      case 'subscription': {
        const s = unwrap(item, 'subscription');
        return mapSubscription(s, key, (s.components as Json[] | undefined) ?? []);
      }
      case 'transaction':
        return mapTransaction(unwrap(item, 'transaction'), key);
      case 'invoice':
        return mapInvoice(unwrap(item, 'invoice'), key);
      case 'creditNote':
        return mapCreditNote(unwrap(item, 'credit_note'), key);
      case 'event':
        return mapEvent(unwrap(item, 'event'), key);
    }
  });
}

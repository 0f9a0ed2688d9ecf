/**
 * What Maxio would bill: the `current_billing_manifest` (at signup) and `next_billing_manifest`
 * (at the first renewal) of `POST /subscriptions/preview.json`, in Maxio's shape: line items in
 * cents with `transaction_type`/`kind` (baseline, initial, trial, component, coupon, tax), and
 * totals that add up (subtotal − discount + tax = total). Component prices follow the component's
 * pricing scheme (per_unit, tiered, volume, stairstep). Tax is the site's 7.25 % sales tax unless
 * the customer is tax exempt.
 */
import type { Json, MaxioData } from './data.ts';
import { siteTime } from './data.ts';

export const TAX_RATE = 7.25;

export class PricingError extends Error {
  readonly errors: string[];
  constructor(errors: string[]) {
    super(errors.join('; '));
    this.errors = errors;
  }
}

interface ComponentRequest {
  component_id?: number | string;
  allocated_quantity?: number | string;
  unit_balance?: number | string;
  enabled?: boolean;
  price_point_id?: number | string;
}

export interface SubscriptionInput {
  product_id?: number | string;
  product_handle?: string;
  product_price_point_id?: number | string;
  product_price_point_handle?: string;
  components?: ComponentRequest[];
  coupon_codes?: string[];
  coupon_code?: string;
  customer_id?: number | string;
  customer_attributes?: Json;
}

/** The cost in cents of `quantity` units under a component's price tiers and scheme. */
export function componentCost(scheme: string, prices: Json[], quantity: number): number {
  if (quantity <= 0) return 0;
  const tiers = [...prices].sort(
    (a, b) => Number(a.starting_quantity) - Number(b.starting_quantity),
  );
  const unit = (t: Json) => Math.round(Number(t.unit_price) * 100);
  const tierFor = (q: number) =>
    tiers.find(
      (t) =>
        q >= Number(t.starting_quantity) &&
        (t.ending_quantity === null || q <= Number(t.ending_quantity)),
    ) ?? tiers[tiers.length - 1];
  switch (scheme) {
    case 'per_unit':
      return unit(tiers[0] as Json) * quantity;
    case 'volume':
      return unit(tierFor(quantity) as Json) * quantity;
    case 'stairstep':
      return unit(tierFor(quantity) as Json);
    case 'tiered': {
      let total = 0;
      for (const t of tiers) {
        const from = Number(t.starting_quantity);
        const to = t.ending_quantity === null ? Infinity : Number(t.ending_quantity);
        if (quantity < from) break;
        total += unit(t) * (Math.min(quantity, to) - from + 1);
      }
      return total;
    }
    default:
      throw new PricingError([`Unknown pricing scheme ${scheme}`]);
  }
}

export interface Resolved {
  product: Json;
  pricePoint: Json;
  components: { component: Json; pricePoint: Json; quantity: number }[];
  coupons: Json[];
  taxExempt: boolean;
}

/** Check a subscription request against the catalog, with Maxio's 422 messages. */
export function resolve(data: MaxioData, input: SubscriptionInput): Resolved {
  const errors: string[] = [];
  const product =
    input.product_id !== undefined
      ? data.products.find((p) => String(p.id) === String(input.product_id))
      : data.products.find((p) => p.handle === input.product_handle);
  if (!product) {
    throw new PricingError([
      input.product_id === undefined && input.product_handle === undefined
        ? 'Product must be specified'
        : 'Product could not be found',
    ]);
  }
  const ppKey = input.product_price_point_id ?? input.product_price_point_handle;
  const pricePoint =
    ppKey === undefined
      ? data.productPricePoints.find((pp) => pp.id === product.default_product_price_point_id)
      : data.productPricePoints.find(
          (pp) =>
            pp.product_id === product.id &&
            (String(pp.id) === String(ppKey) || pp.handle === ppKey),
        );
  if (!pricePoint) errors.push('Product price point could not be found');
  const components: Resolved['components'] = [];
  for (const request of input.components ?? []) {
    const component = data.components.find(
      (c) => String(c.id) === String(request.component_id) || c.handle === request.component_id,
    );
    if (!component) {
      errors.push(`Component ${String(request.component_id)} could not be found`);
      continue;
    }
    const cpp =
      request.price_point_id === undefined
        ? data.componentPricePoints.find((p) => p.id === component.default_price_point_id)
        : data.componentPricePoints.find(
            (p) =>
              p.component_id === component.id &&
              (String(p.id) === String(request.price_point_id) ||
                p.handle === request.price_point_id),
          );
    if (!cpp) {
      errors.push(
        `Price point ${String(request.price_point_id)} could not be found for component ${component.id}`,
      );
      continue;
    }
    const raw = request.allocated_quantity ?? request.unit_balance ?? (request.enabled ? 1 : 0);
    const quantity = Number(raw);
    if (!Number.isFinite(quantity) || quantity < 0 || !Number.isInteger(quantity)) {
      errors.push(`Quantity for component ${component.id} must be a whole number`);
      continue;
    }
    components.push({ component, pricePoint: cpp, quantity });
  }
  const codes = [...(input.coupon_codes ?? []), ...(input.coupon_code ? [input.coupon_code] : [])];
  const coupons: Json[] = [];
  for (const code of codes) {
    const coupon = data.coupons.find(
      (c) => String(c.code).toUpperCase() === code.toUpperCase() && !c.archived_at,
    );
    if (!coupon) errors.push(`Coupon code could not be found: ${code}`);
    else coupons.push(coupon);
  }
  if (errors.length > 0) throw new PricingError(errors);
  const customer =
    input.customer_id !== undefined
      ? data.customers.find((c) => String(c.id) === String(input.customer_id))
      : undefined;
  const taxExempt = Boolean(
    customer?.tax_exempt ?? (input.customer_attributes?.tax_exempt as boolean | undefined) ?? false,
  );
  return { product, pricePoint: pricePoint as Json, components, coupons, taxExempt };
}

function line(
  transaction_type: string,
  kind: string,
  amount: number,
  memo: string,
  extra: Json = {},
): Json {
  return {
    transaction_type,
    kind,
    amount_in_cents: amount,
    memo,
    discount_amount_in_cents: 0,
    taxable_amount_in_cents: 0,
    component_id: null,
    component_handle: null,
    product_id: null,
    product_handle: null,
    price_point_id: null,
    period_range_start: null,
    period_range_end: null,
    ...extra,
  };
}

function manifest(resolved: Resolved, phase: 'current' | 'next', startMs: number): Json {
  const { product, pricePoint, components, coupons } = resolved;
  const trial =
    phase === 'current' &&
    pricePoint.trial_interval !== null &&
    pricePoint.trial_interval !== undefined;
  const months = Number(pricePoint.interval ?? 1);
  const periodStart = phase === 'current' ? startMs : startMs + months * 30 * 86_400_000;
  const periodEnd = periodStart + months * 30 * 86_400_000;
  const period = {
    period_range_start: siteTime(periodStart).slice(0, 10),
    period_range_end: siteTime(periodEnd).slice(0, 10),
  };
  const lines: Json[] = [];
  if (trial) {
    lines.push(
      line(
        'charge',
        'trial',
        Number(pricePoint.trial_price_in_cents ?? 0),
        `${product.name} trial`,
        {
          product_id: product.id,
          product_handle: product.handle,
          price_point_id: pricePoint.id,
          ...period,
        },
      ),
    );
    if (pricePoint.initial_charge_in_cents) {
      lines.push(
        line(
          'charge',
          'initial',
          Number(pricePoint.initial_charge_in_cents),
          `${product.name} setup fee`,
          {
            product_id: product.id,
            product_handle: product.handle,
            price_point_id: pricePoint.id,
          },
        ),
      );
    }
  } else {
    lines.push(
      line(
        'charge',
        'baseline',
        Number(pricePoint.price_in_cents),
        `${product.name} (${pricePoint.name})`,
        {
          product_id: product.id,
          product_handle: product.handle,
          price_point_id: pricePoint.id,
          ...period,
        },
      ),
    );
  }
  for (const { component, pricePoint: cpp, quantity } of components) {
    if (trial) continue; // components start billing after the trial
    const amount = componentCost(String(cpp.pricing_scheme), cpp.prices as Json[], quantity);
    lines.push(
      line('charge', 'component', amount, `${component.name}: ${quantity} ${component.unit_name}`, {
        component_id: component.id,
        component_handle: component.handle,
        price_point_id: cpp.id,
        ...period,
      }),
    );
  }
  const subtotal = lines.reduce((a, l) => a + Number(l.amount_in_cents), 0);
  let discount = 0;
  for (const coupon of coupons) {
    if (phase === 'next' && !coupon.recurring) continue;
    const base = subtotal - discount;
    const amount =
      coupon.discount_type === 'percent'
        ? Math.round((base * Number(coupon.percentage)) / 100)
        : Math.min(base, Number(coupon.amount_in_cents));
    if (amount <= 0) continue;
    discount += amount;
    lines.push(line('adjustment', 'coupon', -amount, `Coupon: ${coupon.code} - ${coupon.name}`));
  }
  // Spread the discount over the charge lines (largest last takes the remainder), for taxes.
  const charges = lines.filter((l) => l.transaction_type === 'charge');
  let left = discount;
  charges.forEach((l, i) => {
    const share =
      i === charges.length - 1
        ? left
        : Math.floor((discount * Number(l.amount_in_cents)) / Math.max(subtotal, 1));
    l.discount_amount_in_cents = share;
    l.taxable_amount_in_cents = resolved.taxExempt ? 0 : Number(l.amount_in_cents) - share;
    left -= share;
  });
  const taxable = subtotal - discount;
  const tax = resolved.taxExempt ? 0 : Math.round((taxable * TAX_RATE) / 100);
  if (tax > 0)
    lines.push(
      line('tax', 'tax', tax, `Sales Tax (${TAX_RATE}%)`, { taxable_amount_in_cents: taxable }),
    );
  return {
    line_items: lines,
    total_in_cents: subtotal - discount + tax,
    total_discount_in_cents: discount,
    total_tax_in_cents: tax,
    subtotal_in_cents: subtotal,
    start_date: siteTime(periodStart),
    end_date: siteTime(periodEnd),
    period_type: 'recurring',
    existing_balance_in_cents: 0,
  };
}

export function preview(resolved: Resolved, startMs = Date.now()): Json {
  return {
    subscription_preview: {
      current_billing_manifest: manifest(resolved, 'current', startMs),
      next_billing_manifest: manifest(resolved, 'next', startMs),
    },
  };
}

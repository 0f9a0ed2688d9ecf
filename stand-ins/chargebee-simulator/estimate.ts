/**
 * What Chargebee would invoice: `estimate.invoice_estimate` (now) and `next_invoice_estimate`
 * (the first renewal) for a subscription for items, in Chargebee's shape: line items with
 * `entity_type`/`entity_id`, `discounts` from coupons, `taxes` (the site's sales tax, unless the
 * customer is exempt), amounts in cents, `sub_total − discounts + tax = total`. Pricing models:
 * flat_fee, per_unit, tiered, volume, stairstep. One-time charges appear only now; a trial plan
 * bills nothing now and its price next.
 */
import type { ChargebeeData, Json } from './data.ts';
import { TAX_RATE, couponDiscount, tieredAmount } from './data.ts';

export class EstimateError extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}

export interface ItemLine {
  itemPrice: Json;
  quantity: number;
  amount: number;
}

/** `subscription_items[...]` of a request, checked against the catalog. */
export function itemsOf(data: ChargebeeData, body: Json): ItemLine[] {
  const requested = (body.subscription_items as Json[] | undefined) ?? [];
  if (requested.length === 0)
    throw new EstimateError('subscription_items[item_price_id][0]', 'cannot be blank');
  const lines: ItemLine[] = [];
  let currency: string | null = null;
  requested.forEach((r, i) => {
    const id = String(r.item_price_id ?? '');
    const itemPrice = data.itemPrices.find((p) => p.id === id && p.status === 'active');
    if (!itemPrice)
      throw new EstimateError(`subscription_items[item_price_id][${i}]`, `${id} not found`);
    const quantity = r.quantity === undefined ? 1 : Number(r.quantity);
    if (!Number.isInteger(quantity) || quantity < 0) {
      throw new EstimateError(`subscription_items[quantity][${i}]`, 'must be a whole number');
    }
    if (currency && itemPrice.currency_code !== currency) {
      throw new EstimateError(
        `subscription_items[item_price_id][${i}]`,
        'all item prices must have the same currency',
      );
    }
    currency = String(itemPrice.currency_code);
    lines.push({ itemPrice, quantity, amount: tieredAmount(itemPrice, quantity) });
  });
  if (lines.filter((l) => l.itemPrice.item_type === 'plan').length !== 1) {
    throw new EstimateError(
      'subscription_items[item_price_id][0]',
      'exactly one plan item price is required',
    );
  }
  return lines;
}

function couponsOf(data: ChargebeeData, body: Json): Json[] {
  return ((body.coupon_ids as string[] | undefined) ?? []).map((code, i) => {
    const coupon = data.coupons.find((c) => c.id === code && c.status === 'active');
    if (!coupon) throw new EstimateError(`coupon_ids[${i}]`, `${code} is not a valid coupon`);
    return coupon;
  });
}

function invoiceEstimate(
  lines: ItemLine[],
  coupons: Json[],
  exempt: boolean,
  from: number,
  to: number,
  currency: string,
): Json {
  const lineItems = lines.map((l, i) => ({
    id: `li_est_${i + 1}`,
    date_from: from,
    date_to: to,
    unit_amount: l.itemPrice.price ?? (l.quantity > 0 ? Math.round(l.amount / l.quantity) : 0),
    quantity: l.quantity,
    amount: l.amount,
    pricing_model: l.itemPrice.pricing_model,
    is_taxed: !exempt,
    tax_amount: 0,
    object: 'line_item',
    description: String(l.itemPrice.external_name ?? l.itemPrice.id),
    entity_type: `${String(l.itemPrice.item_type)}_item_price`,
    entity_id: l.itemPrice.id,
    discount_amount: 0,
    item_level_discount_amount: 0,
  }));
  const subTotal = lineItems.reduce((a, l) => a + l.amount, 0);
  let discountTotal = 0;
  const discounts: Json[] = [];
  for (const coupon of coupons) {
    const amount = couponDiscount(coupon, subTotal - discountTotal);
    if (amount <= 0) continue;
    discountTotal += amount;
    discounts.push({
      amount,
      description: coupon.name,
      entity_type: 'document_level_coupon',
      entity_id: coupon.id,
      object: 'discount',
    });
  }
  const tax = exempt ? 0 : Math.round(((subTotal - discountTotal) * TAX_RATE) / 100);
  let left = tax;
  lineItems.forEach((l, i) => {
    const share =
      i === lineItems.length - 1 ? left : Math.floor((tax * l.amount) / Math.max(1, subTotal));
    l.tax_amount = share;
    left -= share;
  });
  return {
    recurring: true,
    price_type: 'tax_exclusive',
    sub_total: subTotal,
    total: subTotal - discountTotal + tax,
    credits_applied: 0,
    amount_paid: 0,
    amount_due: subTotal - discountTotal + tax,
    line_items: lineItems,
    discounts,
    taxes:
      tax > 0
        ? [
            {
              name: 'Sales Tax',
              amount: tax,
              description: `Sales Tax @ ${TAX_RATE}%`,
              object: 'tax',
            },
          ]
        : [],
    line_item_taxes: [],
    line_item_discounts: [],
    currency_code: currency,
    round_off_amount: 0,
    object: 'invoice_estimate',
  };
}

export function estimate(data: ChargebeeData, customer: Json | undefined, body: Json): Json {
  const lines = itemsOf(data, body);
  const coupons = couponsOf(data, body);
  const exempt =
    (customer?.taxability ?? (body.customer as Json | undefined)?.taxability) === 'exempt';
  const plan = lines.find((l) => l.itemPrice.item_type === 'plan') as ItemLine;
  const currency = String(plan.itemPrice.currency_code);
  const now = data.clock.now();
  const periodDays = plan.itemPrice.period_unit === 'year' ? 365 : 30;
  const trial = plan.itemPrice.trial_period !== undefined;
  const start = trial ? now + Number(plan.itemPrice.trial_period) * 86_400 : now;
  const recurring = lines.filter((l) => l.itemPrice.item_type !== 'charge');
  const currentLines = trial ? lines.filter((l) => l.itemPrice.item_type === 'charge') : lines;
  const recurringCoupons = coupons.filter((c) => c.duration_type !== 'one_time');
  return {
    created_at: now,
    object: 'estimate',
    subscription_estimate: {
      status: trial ? 'in_trial' : 'active',
      next_billing_at: trial ? start : start + periodDays * 86_400,
      object: 'subscription_estimate',
      currency_code: currency,
    },
    invoice_estimate: invoiceEstimate(
      currentLines,
      coupons,
      exempt,
      now,
      trial ? start : now + periodDays * 86_400,
      currency,
    ),
    next_invoice_estimate: invoiceEstimate(
      recurring,
      recurringCoupons,
      exempt,
      trial ? start : now + periodDays * 86_400,
      (trial ? start : now + periodDays * 86_400) + periodDays * 86_400,
      currency,
    ),
  };
}

/**
 * The Chargebee simulator's site data (Product Catalog 2.0), generated from a seed in Chargebee's
 * own JSON shapes: Unix-second timestamps, `resource_version` in milliseconds, amounts in minor
 * units, `object` on every resource, `cf_*` custom fields, business entities, contacts, customer
 * hierarchies (`relationship.parent_id`), item families, items (plan/addon/charge), item prices
 * in several pricing models and currencies, coupons, subscriptions in every status, invoices,
 * transactions, credit notes and events.
 *
 * `scale` multiplies the customer count (30 per unit); the rest follows.
 */
import { COMPANIES, FIRST_NAMES, LAST_NAMES, weightedPick } from '../common/people.ts';
import type { Place } from '../common/people.ts';
import { createRng } from '../common/prng.ts';

export type Json = Record<string, unknown>;

export interface ChargebeeData {
  itemFamilies: Json[];
  items: Json[];
  itemPrices: Json[];
  coupons: Json[];
  customers: Json[];
  subscriptions: Json[];
  transactions: Json[];
  invoices: Json[];
  creditNotes: Json[];
  events: Json[];
  clock: { now(): number };
  nextId(prefix: string): string;
}

const T0 = Date.parse('2025-01-06T14:00:00Z') / 1000;
const DAY = 86_400;

const STATUSES = [
  ['active', 60],
  ['in_trial', 8],
  ['non_renewing', 6],
  ['paused', 4],
  ['cancelled', 12],
  ['future', 4],
] as const;

const CITIES: Place[] = [
  ['Boston', 'MA', '02110', 'US'],
  ['Austin', 'TX', '78701', 'US'],
  ['Berlin', 'BE', '10115', 'DE'],
  ['London', '', 'EC1A 1BB', 'GB'],
  ['Toronto', 'ON', 'M5H 2N2', 'CA'],
];
export const ENTITIES = ['acme-us', 'acme-eu'];
export const TAX_RATE = 8;

export function generateChargebeeData(seed: number, scale = 1): ChargebeeData {
  const rng = createRng(`chargebee:${seed}`);
  const counters = new Map<string, number>();
  const nextId = (prefix: string): string => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}${n.toString(36).padStart(6, '0')}`;
  };
  let version = T0 * 1000;
  const rv = () => (version += 1);
  const stamp = (t: number) => ({ created_at: t, updated_at: t, resource_version: rv() });

  const itemFamilies: Json[] = [
    {
      id: 'cloud-suite',
      name: 'Cloud Suite',
      description: 'Everything the sales team sells',
      status: 'active',
      object: 'item_family',
      ...stamp(T0),
    },
  ];
  const items: Json[] = [];
  const itemPrices: Json[] = [];
  const item = (id: string, name: string, type: 'plan' | 'addon' | 'charge', extra: Json = {}) =>
    items.push({
      id,
      name,
      external_name: name,
      description: `${name} (${type})`,
      status: 'active',
      item_family_id: 'cloud-suite',
      type,
      is_shippable: false,
      is_giftable: false,
      enabled_for_checkout: true,
      enabled_in_portal: true,
      item_applicability: 'all',
      metered: false,
      channel: 'web',
      object: 'item',
      ...stamp(T0 + DAY),
      ...extra,
    });
  const price = (
    id: string,
    itemId: string,
    type: 'plan' | 'addon' | 'charge',
    currency: string,
    model: string,
    amount: number | null,
    periodUnit: string | null,
    extra: Json = {},
  ) =>
    itemPrices.push({
      id,
      name: id,
      external_name: id,
      item_family_id: 'cloud-suite',
      item_id: itemId,
      item_type: type,
      status: 'active',
      pricing_model: model,
      ...(amount !== null ? { price: amount } : {}),
      currency_code: currency,
      ...(periodUnit ? { period: 1, period_unit: periodUnit } : {}),
      free_quantity: 0,
      is_taxable: true,
      show_description_in_invoices: false,
      show_description_in_quotes: false,
      channel: 'web',
      object: 'item_price',
      ...stamp(T0 + DAY),
      ...extra,
    });

  for (const [id, name, cents] of [
    ['basic', 'Basic', 1900],
    ['pro-plan', 'Pro', 4900],
    ['team-plan', 'Team', 1200],
  ] as const) {
    item(id, name, 'plan', { unit: id === 'team-plan' ? 'seat' : undefined });
    const model = id === 'team-plan' ? 'per_unit' : 'flat_fee';
    price(`${id}-USD-monthly`, id, 'plan', 'USD', model, cents, 'month');
    price(`${id}-USD-yearly`, id, 'plan', 'USD', model, cents * 10, 'year', { billing_cycles: 3 });
    price(`${id}-EUR-monthly`, id, 'plan', 'EUR', model, Math.round(cents * 0.92), 'month');
    if (id === 'pro-plan') {
      price(`${id}-USD-trial`, id, 'plan', 'USD', model, cents, 'month', {
        trial_period: 14,
        trial_period_unit: 'day',
      });
    }
  }
  item('extra-storage', 'Extra storage', 'addon', { unit: 'GB' });
  price('extra-storage-USD-monthly', 'extra-storage', 'addon', 'USD', 'per_unit', 300, 'month');
  price('extra-storage-EUR-monthly', 'extra-storage', 'addon', 'EUR', 'per_unit', 280, 'month');
  item('api-calls', 'API calls', 'addon', { unit: 'call', metered: true });
  price('api-calls-USD-monthly', 'api-calls', 'addon', 'USD', 'tiered', null, 'month', {
    tiers: [
      { starting_unit: 1, ending_unit: 1000, price: 0, object: 'tier' },
      { starting_unit: 1001, ending_unit: 10000, price: 2, object: 'tier' },
      { starting_unit: 10001, price: 1, object: 'tier' },
    ],
  });
  item('seats-volume', 'Seats (volume)', 'addon', { unit: 'seat' });
  price('seats-volume-USD-monthly', 'seats-volume', 'addon', 'USD', 'volume', null, 'month', {
    tiers: [
      { starting_unit: 1, ending_unit: 10, price: 1500, object: 'tier' },
      { starting_unit: 11, price: 1200, object: 'tier' },
    ],
  });
  item('projects', 'Projects', 'addon', { unit: 'project' });
  price('projects-USD-monthly', 'projects', 'addon', 'USD', 'stairstep', null, 'month', {
    tiers: [
      { starting_unit: 1, ending_unit: 5, price: 5000, object: 'tier' },
      { starting_unit: 6, price: 9000, object: 'tier' },
    ],
  });
  item('setup-charge', 'Onboarding', 'charge');
  price('setup-charge-USD', 'setup-charge', 'charge', 'USD', 'flat_fee', 25000, null);

  const coupons: Json[] = [
    {
      id: 'WELCOME20',
      name: 'Welcome 20%',
      invoice_name: 'Welcome discount',
      discount_type: 'percentage',
      discount_percentage: 20.0,
      duration_type: 'one_time',
      status: 'active',
      apply_on: 'invoice_amount',
      redemptions: 0,
      object: 'coupon',
      ...stamp(T0 + 2 * DAY),
      item_constraints: [
        { constraint: 'all', item_type: 'plan' },
        {
          constraint: 'specific',
          item_type: 'addon',
          item_price_ids: ['extra-storage-USD-monthly', 'seats-volume-USD-monthly'],
        },
        { constraint: 'specific', item_type: 'charge', item_price_ids: ['setup-charge-USD'] },
      ],
    },
    {
      id: 'TENOFF',
      name: '$10 off for 3 months',
      discount_type: 'fixed_amount',
      discount_amount: 1000,
      currency_code: 'USD',
      duration_type: 'limited_period',
      period: 3,
      period_unit: 'month',
      status: 'active',
      apply_on: 'invoice_amount',
      redemptions: 0,
      object: 'coupon',
      ...stamp(T0 + 2 * DAY),
      item_constraints: [{ constraint: 'all', item_type: 'plan' }],
    },
    {
      id: 'PARTNER15',
      name: 'Partner 15%',
      discount_type: 'percentage',
      discount_percentage: 15.0,
      duration_type: 'forever',
      status: 'active',
      apply_on: 'invoice_amount',
      redemptions: 0,
      valid_till: T0 + 900 * DAY,
      max_redemptions: 500,
      object: 'coupon',
      ...stamp(T0 + 2 * DAY),
      item_constraints: [
        {
          constraint: 'specific',
          item_type: 'plan',
          item_price_ids: ['pro-plan-USD-monthly', 'team-plan-USD-monthly'],
        },
      ],
    },
  ];

  const customers: Json[] = [];
  const subscriptions: Json[] = [];
  const transactions: Json[] = [];
  const invoices: Json[] = [];
  const creditNotes: Json[] = [];
  const events: Json[] = [];
  const count = Math.max(10, Math.round(30 * scale));
  let invoiceNo = 1000;
  let creditNo = 1;
  const event = (type: string, t: number, content: Json) =>
    events.push({
      id: `ev_${nextId('')}`,
      occurred_at: t,
      source: 'admin_console',
      user: 'sales@acme.test',
      object: 'event',
      api_version: 'v2',
      content,
      event_type: type,
      webhook_status: 'not_configured',
    });
  const plans = itemPrices.filter((p) => p.item_type === 'plan' && p.currency_code === 'USD');
  const addons = itemPrices.filter((p) => p.item_type === 'addon' && p.currency_code === 'USD');

  for (let i = 0; i < count; i++) {
    const created = T0 + 3 * DAY + i * 3600;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const company = `${rng.pick(COMPANIES)} ${i + 1}`;
    const [city, state, zip, country] = rng.pick(CITIES);
    const id = `cus_${rng.id(14)}`;
    const parent = i >= 10 && i % 10 === 0 ? (customers[rng.int(0, 9)] as Json).id : null;
    const customer: Json = {
      id,
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${last.toLowerCase()}${i + 1}@example.com`,
      phone: `+1 555 02${String(i % 100).padStart(2, '0')}`,
      company,
      auto_collection: i % 4 === 0 ? 'off' : 'on',
      net_term_days: i % 4 === 0 ? 30 : 0,
      allow_direct_debit: false,
      taxability: i % 9 === 0 ? 'exempt' : 'taxable',
      locale: country === 'DE' ? 'de-DE' : 'en-US',
      pii_cleared: 'active',
      channel: 'web',
      deleted: false,
      object: 'customer',
      billing_address: {
        first_name: first,
        last_name: last,
        email: `ap${i + 1}@example.com`,
        company,
        phone: null,
        line1: `${200 + i} Market Street`,
        line2: i % 3 === 0 ? `Floor ${i % 9}` : null,
        city,
        state_code: state || null,
        state: state || null,
        country,
        zip,
        validation_status: 'not_validated',
        object: 'billing_address',
      },
      card_status: i % 4 === 0 ? 'no_card' : 'valid',
      payment_method:
        i % 4 === 0
          ? null
          : {
              object: 'payment_method',
              type: 'card',
              reference_id: `tok_${i}`,
              gateway: 'chargebee',
              gateway_account_id: 'gw_1',
              status: 'valid',
            },
      promotional_credits: 0,
      refundable_credits: 0,
      excess_payments: 0,
      unbilled_charges: 0,
      preferred_currency_code: country === 'DE' ? 'EUR' : 'USD',
      mrr: 0,
      vat_number: country === 'DE' || country === 'GB' ? `${country}${100000000 + i}` : null,
      business_entity_id: country === 'DE' || country === 'GB' ? ENTITIES[1] : ENTITIES[0],
      relationship: parent
        ? { parent_id: parent, payment_owner_id: parent, invoice_owner_id: parent }
        : undefined,
      contacts:
        i % 5 === 0
          ? [
              {
                id: `contact_${i}`,
                first_name: 'Pat',
                last_name: 'Payables',
                email: `ap${i + 1}@example.com`,
                phone: null,
                label: 'billing',
                enabled: true,
                send_account_email: false,
                send_billing_email: true,
                object: 'contact',
              },
            ]
          : undefined,
      cf_industry: rng.pick(['SaaS', 'Retail', 'Health', 'Finance']),
      cf_sales_region: rng.pick(['NA', 'EMEA']),
      ...stamp(created),
    };
    if (customer.relationship === undefined) delete customer.relationship;
    if (customer.contacts === undefined) delete customer.contacts;
    customers.push(customer);
    event('customer_created', created, { customer });

    if (i % 6 === 5) continue;
    const status = weightedPick(rng, STATUSES);
    const plan = rng.pick(plans);
    const qty = plan.pricing_model === 'per_unit' ? rng.int(2, 40) : 1;
    const start = created + rng.int(0, 20) * DAY;
    const periodDays = plan.period_unit === 'year' ? 365 : 30;
    const subItems: Json[] = [
      {
        item_price_id: plan.id,
        item_type: 'plan',
        quantity: qty,
        unit_price: plan.price,
        amount: Number(plan.price) * qty,
        free_quantity: 0,
        object: 'subscription_item',
      },
    ];
    for (const addon of addons) {
      if (!rng.bool(0.3)) continue;
      const q = addon.pricing_model === 'tiered' ? rng.int(500, 20000) : rng.int(1, 12);
      subItems.push({
        item_price_id: addon.id,
        item_type: 'addon',
        quantity: q,
        ...(addon.price !== undefined
          ? { unit_price: addon.price, amount: Number(addon.price) * q }
          : {}),
        ...(i % 4 === 0 ? { billing_cycles: 12, service_period_days: 30 } : {}),
        object: 'subscription_item',
      });
    }
    // A one-time onboarding charge on some subscriptions, billed on activation.
    if (i % 8 === 3) {
      subItems.push({
        item_price_id: 'setup-charge-USD',
        item_type: 'charge',
        quantity: 1,
        unit_price: 25000,
        amount: 25000,
        charge_once: true,
        charge_on_event: 'subscription_activation',
        object: 'subscription_item',
      });
    }
    const coupon = rng.bool(0.2) ? rng.pick(coupons) : null;
    const subId = `sub_${rng.id(14)}`;
    const cancelled = status === 'cancelled';
    const subscription: Json = {
      id: subId,
      billing_period: 1,
      billing_period_unit: plan.period_unit,
      customer_id: id,
      status,
      current_term_start: status === 'future' ? undefined : start,
      current_term_end: status === 'future' ? undefined : start + periodDays * DAY,
      next_billing_at: cancelled ? undefined : start + periodDays * DAY,
      created_at: start,
      started_at: start,
      activated_at: status === 'in_trial' || status === 'future' ? undefined : start,
      trial_start: status === 'in_trial' ? start : undefined,
      trial_end: status === 'in_trial' ? start + 14 * DAY : undefined,
      cancelled_at: cancelled ? start + 45 * DAY : undefined,
      cancel_reason_code: cancelled ? 'Not Paid' : undefined,
      pause_date: status === 'paused' ? start + 40 * DAY : undefined,
      has_scheduled_changes: false,
      channel: 'web',
      deleted: false,
      object: 'subscription',
      currency_code: 'USD',
      subscription_items: subItems,
      coupons: coupon
        ? [
            {
              coupon_id: coupon.id,
              applied_count: 1,
              ...(coupon.duration_type === 'limited_period'
                ? { apply_till: start + 90 * DAY }
                : {}),
              object: 'coupon',
            },
          ]
        : undefined,
      due_invoices_count: status === 'paused' ? 1 : 0,
      mrr: Number(plan.price) * qty,
      exchange_rate: 1.0,
      base_currency_code: 'USD',
      business_entity_id: customer.business_entity_id,
      po_number: i % 7 === 0 ? `PO-${1000 + i}` : undefined,
      // Every seventh subscription was created by the bridge from a Salesforce Opportunity.
      meta_data: i % 7 === 0 ? { salesforce_opportunity_id: seededOpportunityId(i) } : undefined,
      shipping_address:
        i % 3 === 0
          ? {
              first_name: first,
              last_name: last,
              email: `ship${i + 1}@example.com`,
              company,
              phone: customer.phone,
              line1: `${300 + i} Harbor Road`,
              line2: 'Dock 4',
              line3: 'Receiving',
              city,
              state: state || null,
              state_code: state || null,
              country,
              zip,
              validation_status: 'not_validated',
              object: 'shipping_address',
            }
          : undefined,
      contract_term:
        i % 5 === 0
          ? {
              id: `ct_${subId}`,
              status: 'active',
              contract_start: start,
              contract_end: start + 365 * DAY,
              billing_cycle: 12,
              action_at_term_end: 'renew',
              total_contract_value: Number(plan.price) * qty * 12,
              cancellation_cutoff_period: 30,
              created_at: start,
              subscription_id: subId,
              remaining_billing_cycles: 11,
              object: 'contract_term',
            }
          : undefined,
      remaining_billing_cycles: i % 5 === 0 ? 11 : undefined,
      due_since: status === 'paused' ? start + 30 * DAY : undefined,
      total_dues: status === 'paused' ? Number(plan.price) * qty : undefined,
      cf_contract_owner: rng.pick(['Jordan', 'Sam', 'Alex']),
      resource_version: rv(),
      updated_at: start + DAY,
    };
    for (const k of Object.keys(subscription))
      if (subscription[k] === undefined) delete subscription[k];
    subscriptions.push(subscription);
    event('subscription_created', start, { subscription, customer });
    if (status === 'future' || status === 'in_trial') continue;

    const lineItems: Json[] = subItems.map((si, n) => {
      const ip = itemPrices.find((p) => p.id === si.item_price_id) as Json;
      const amount =
        si.amount !== undefined ? Number(si.amount) : tieredAmount(ip, Number(si.quantity));
      return {
        id: `li_${rng.id(12)}`,
        date_from: start,
        date_to: start + periodDays * DAY,
        unit_amount: si.unit_price ?? Math.round(amount / Math.max(1, Number(si.quantity))),
        quantity: si.quantity,
        amount,
        pricing_model: ip.pricing_model,
        is_taxed: customer.taxability !== 'exempt',
        ...(customer.taxability === 'exempt' ? { tax_exempt_reason: 'customer_exempt' } : {}),
        tax_amount: 0,
        object: 'line_item',
        subscription_id: subId,
        customer_id: id,
        description: `${(items.find((x) => x.id === ip.item_id) as Json).name}${n === 0 ? '' : ' add-on'}`,
        entity_type: si.item_type === 'plan' ? 'plan_item_price' : 'addon_item_price',
        entity_id: si.item_price_id,
        discount_amount: 0,
        item_level_discount_amount: 0,
      };
    });
    const subTotal = lineItems.reduce((a, l) => a + Number(l.amount), 0);
    const discount = coupon ? couponDiscount(coupon, subTotal) : 0;
    const tax =
      customer.taxability === 'exempt' ? 0 : Math.round(((subTotal - discount) * TAX_RATE) / 100);
    // Put the tax on the lines, the remainder on the last.
    let left = tax;
    lineItems.forEach((l, n) => {
      const share =
        n === lineItems.length - 1
          ? left
          : Math.floor((tax * Number(l.amount)) / Math.max(1, subTotal));
      l.tax_amount = share;
      left -= share;
    });
    const total = subTotal - discount + tax;
    const unpaid = status === 'paused' || (cancelled && rng.bool(0.3));
    invoiceNo += 1;
    const invoiceId = `INV-${invoiceNo}`;
    const txnId = `txn_${rng.id(14)}`;
    const invoice: Json = {
      id: invoiceId,
      customer_id: id,
      subscription_id: subId,
      recurring: true,
      status: unpaid ? 'payment_due' : 'paid',
      price_type: 'tax_exclusive',
      date: start,
      due_date: start + Number(customer.net_term_days) * DAY,
      net_term_days: customer.net_term_days,
      exchange_rate: 1.0,
      total,
      amount_paid: unpaid ? 0 : total,
      amount_adjusted: 0,
      write_off_amount: 0,
      credits_applied: 0,
      amount_due: unpaid ? total : 0,
      paid_at: unpaid ? undefined : start + 3600,
      dunning_status: unpaid ? 'in_progress' : undefined,
      next_retry_at: unpaid ? start + 3 * DAY : undefined,
      payment_owner: (customer.relationship as Json | undefined)?.payment_owner_id ?? id,
      deleted: false,
      object: 'invoice',
      first_invoice: true,
      amount_to_collect: unpaid ? total : 0,
      round_off_amount: 0,
      has_advance_charges: false,
      currency_code: 'USD',
      base_currency_code: 'USD',
      generated_at: start,
      is_gifted: false,
      term_finalized: true,
      channel: 'web',
      tax,
      sub_total: subTotal,
      line_items: lineItems,
      discounts: coupon
        ? [
            {
              amount: discount,
              description: coupon.name,
              entity_type: 'document_level_coupon',
              entity_id: coupon.id,
              object: 'discount',
            },
          ]
        : [],
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
      linked_payments: unpaid
        ? []
        : [
            {
              txn_id: txnId,
              applied_amount: total,
              applied_at: start + 3600,
              txn_status: 'success',
              txn_date: start + 3600,
              txn_amount: total,
            },
          ],
      business_entity_id: customer.business_entity_id,
      po_number: subscription.po_number,
      billing_address: customer.billing_address,
      ...stamp(start),
    };
    for (const k of Object.keys(invoice)) if (invoice[k] === undefined) delete invoice[k];
    invoices.push(invoice);
    event(unpaid ? 'payment_failed' : 'payment_succeeded', start + 3600, {
      invoice,
      customer,
      subscription,
    });
    if (!unpaid) {
      transactions.push({
        id: txnId,
        customer_id: id,
        subscription_id: subId,
        payment_method: 'card',
        gateway: 'chargebee',
        gateway_account_id: 'gw_1',
        id_at_gateway: `ch_${rng.id(10)}`,
        type: 'payment',
        date: start + 3600,
        amount: total,
        currency_code: 'USD',
        exchange_rate: 1.0,
        base_currency_code: 'USD',
        status: 'success',
        masked_card_number: '************4242',
        amount_unused: 0,
        deleted: false,
        object: 'transaction',
        linked_invoices: [
          {
            invoice_id: invoiceId,
            applied_amount: total,
            applied_at: start + 3600,
            invoice_date: start,
            invoice_total: total,
            invoice_status: 'paid',
          },
        ],
        business_entity_id: customer.business_entity_id,
        ...stamp(start + 3600),
      });
    }
    if (cancelled && !unpaid && creditNo <= Math.max(3, Math.round(3 * scale))) {
      const amount = Math.round(total / 3);
      creditNotes.push({
        id: `CN-${creditNo}`,
        customer_id: id,
        subscription_id: subId,
        reference_invoice_id: invoiceId,
        type: 'refundable',
        reason_code: 'subscription_cancellation',
        create_reason_code: 'Subscription Cancellation',
        status: 'refunded',
        date: start + 45 * DAY,
        price_type: 'tax_exclusive',
        currency_code: 'USD',
        total: amount,
        amount_allocated: 0,
        amount_refunded: amount,
        amount_available: 0,
        refunded_at: start + 46 * DAY,
        generated_at: start + 45 * DAY,
        sub_total: amount,
        round_off_amount: 0,
        fractional_correction: 0,
        deleted: false,
        object: 'credit_note',
        channel: 'web',
        line_items: [],
        discounts: [],
        taxes: [],
        line_item_taxes: [],
        linked_refunds: [],
        allocations: [],
        business_entity_id: customer.business_entity_id,
        ...stamp(start + 45 * DAY),
      });
      creditNo += 1;
    } else if (status === 'non_renewing' && creditNo <= Math.max(6, Math.round(6 * scale))) {
      const amount = Math.round(total / 5);
      creditNotes.push({
        id: `CN-${creditNo}`,
        customer_id: id,
        subscription_id: subId,
        reference_invoice_id: invoiceId,
        type: 'adjustment',
        reason_code: 'product_unsatisfactory',
        create_reason_code: 'Product Unsatisfactory',
        status: 'adjusted',
        date: start + 10 * DAY,
        price_type: 'tax_exclusive',
        currency_code: 'USD',
        total: amount,
        amount_allocated: amount,
        amount_refunded: 0,
        amount_available: 0,
        generated_at: start + 10 * DAY,
        sub_total: amount,
        round_off_amount: 0,
        fractional_correction: 0,
        deleted: false,
        object: 'credit_note',
        channel: 'web',
        line_items: [],
        discounts: [],
        taxes: [],
        line_item_taxes: [],
        linked_refunds: [],
        allocations: [
          {
            allocated_amount: amount,
            allocated_at: start + 10 * DAY,
            invoice_id: invoiceId,
            invoice_date: start,
            invoice_status: invoice.status,
          },
        ],
        business_entity_id: customer.business_entity_id,
        ...stamp(start + 10 * DAY),
      });
      creditNo += 1;
    }
  }
  events.sort((a, b) => Number(a.occurred_at) - Number(b.occurred_at));
  let now = Math.max(...events.map((e) => Number(e.occurred_at))) + DAY;
  return {
    itemFamilies,
    items,
    itemPrices,
    coupons,
    customers,
    subscriptions,
    transactions,
    invoices,
    creditNotes,
    events,
    clock: {
      now() {
        // Monotonic site clock: real time, but never before the seeded history.
        now = Math.max(now + 1, Math.floor(Date.now() / 1000));
        return now;
      },
    },
    nextId,
  };
}

/** The Salesforce Opportunity a seeded subscription says it came from (seeded in the org too). */
export function seededOpportunityId(i: number): string {
  return `006SIM${String(i).padStart(9, '0')}AAA`;
}

export function tieredAmount(itemPrice: Json, quantity: number): number {
  const model = String(itemPrice.pricing_model);
  if (model === 'flat_fee') return Number(itemPrice.price);
  if (model === 'per_unit') return Number(itemPrice.price) * quantity;
  const tiers = ((itemPrice.tiers as Json[] | undefined) ?? [])
    .slice()
    .sort((a, b) => Number(a.starting_unit) - Number(b.starting_unit));
  const tierFor = (q: number) =>
    tiers.find(
      (t) =>
        q >= Number(t.starting_unit) && (t.ending_unit === undefined || q <= Number(t.ending_unit)),
    ) ?? tiers[tiers.length - 1];
  if (quantity <= 0) return 0;
  if (model === 'volume') return Number(tierFor(quantity)?.price ?? 0) * quantity;
  if (model === 'stairstep') return Number(tierFor(quantity)?.price ?? 0);
  let total = 0;
  for (const t of tiers) {
    const from = Number(t.starting_unit);
    const to = t.ending_unit === undefined ? Infinity : Number(t.ending_unit);
    if (quantity < from) break;
    total += Number(t.price) * (Math.min(quantity, to) - from + 1);
  }
  return total;
}

export function couponDiscount(coupon: Json, base: number): number {
  if (coupon.discount_type === 'percentage')
    return Math.round((base * Number(coupon.discount_percentage)) / 100);
  return Math.min(base, Number(coupon.discount_amount ?? 0));
}

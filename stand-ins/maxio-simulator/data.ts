/**
 * The Maxio simulator's site data, generated from a seed in Maxio's own JSON shapes (snake_case,
 * `*_in_cents` integers on catalog and subscriptions, decimal strings on invoices and credit
 * notes, timestamps with the site's UTC offset such as `2026-01-02T10:11:12-05:00`).
 *
 * `scale` multiplies the customer count (30 per unit); subscriptions, invoices, transactions and
 * events follow. Generation is linear and allocation-light, so scale 1500 (45k customers,
 * ~100k records) starts in a few seconds.
 */
import { COMPANIES, FIRST_NAMES, LAST_NAMES, weightedPick } from '../common/people.ts';
import type { Place } from '../common/people.ts';
import { createRng } from '../common/prng.ts';

export type Json = Record<string, unknown>;

export interface MaxioData {
  productFamilies: Json[];
  products: Json[];
  productPricePoints: Json[];
  components: Json[];
  componentPricePoints: Json[];
  coupons: Json[];
  customers: Json[];
  subscriptions: Json[];
  /** Subscription id → its components. */
  subscriptionComponents: Map<number, Json[]>;
  transactions: Json[];
  invoices: Json[];
  creditNotes: Json[];
  events: Json[];
  ids: { next(kind: string): number };
}

/** Site time: Maxio sites answer in the site's zone; ours is US Eastern (EST, -05:00). */
export function siteTime(ms: number): string {
  const d = new Date(ms - 5 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}-05:00`;
}

const T0 = Date.parse('2025-01-06T14:00:00Z');
const DAY = 86_400_000;

const STATES = [
  ['active', 60],
  ['trialing', 8],
  ['past_due', 6],
  ['canceled', 8],
  ['expired', 4],
  ['on_hold', 3],
  ['unpaid', 3],
  ['soft_failure', 2],
  ['awaiting_signup', 2],
  ['pending', 2],
  ['suspended', 2],
] as const;

const CITIES: Place[] = [
  ['Boston', 'MA', '02110', 'US'],
  ['Austin', 'TX', '78701', 'US'],
  ['Denver', 'CO', '80202', 'US'],
  ['London', '', 'EC1A 1BB', 'GB'],
  ['Toronto', 'ON', 'M5H 2N2', 'CA'],
];

export function generateMaxioData(seed: number, scale = 1, subdomain = 'acme'): MaxioData {
  const rng = createRng(`maxio:${seed}`);
  const counters = new Map<string, number>();
  const ids = {
    next(kind: string): number {
      const n = (counters.get(kind) ?? 0) + 1;
      counters.set(kind, n);
      const base: Record<string, number> = {
        family: 1_000,
        product: 5_000,
        productPricePoint: 20_000,
        component: 40_000,
        componentPricePoint: 60_000,
        price: 80_000,
        coupon: 100_000,
        customer: 1_000_000,
        subscription: 2_000_000,
        transaction: 5_000_000,
        event: 9_000_000,
        invoice: 0,
        creditNote: 0,
        lineItem: 0,
      };
      return (base[kind] ?? 0) + n;
    },
  };
  const at = (ms: number) => siteTime(ms);

  // -- catalog ----------------------------------------------------------------------------------
  const family = {
    id: ids.next('family'),
    name: 'Advanced Billing Family',
    handle: 'advanced-billing',
    accounting_code: 'ABF',
    description: 'Plans and add-ons sold by the sales team',
    created_at: at(T0),
    updated_at: at(T0),
  };
  const productFamilies = [family];
  const familyRef = {
    id: family.id,
    name: family.name,
    handle: family.handle,
    accounting_code: family.accounting_code,
    description: family.description,
    created_at: family.created_at,
    updated_at: family.updated_at,
  };

  const products: Json[] = [];
  const productPricePoints: Json[] = [];
  const plans: [string, string, number][] = [
    ['Starter', 'starter', 2900],
    ['Professional', 'professional', 9900],
    ['Enterprise', 'enterprise', 49900],
  ];
  for (const [name, handle, cents] of plans) {
    const id = ids.next('product');
    const monthly = ids.next('productPricePoint');
    const annual = ids.next('productPricePoint');
    const trial = ids.next('productPricePoint');
    products.push({
      id,
      name,
      handle,
      description: `${name} plan`,
      accounting_code: `PLAN-${handle.toUpperCase()}`,
      request_credit_card: true,
      expiration_interval: null,
      expiration_interval_unit: 'never',
      created_at: at(T0 + DAY),
      updated_at: at(T0 + DAY),
      price_in_cents: cents,
      interval: 1,
      interval_unit: 'month',
      initial_charge_in_cents: null,
      trial_price_in_cents: null,
      trial_interval: null,
      trial_interval_unit: null,
      archived_at: null,
      require_credit_card: false,
      taxable: true,
      version_number: 1,
      default_product_price_point_id: monthly,
      product_price_point_id: monthly,
      product_price_point_name: 'Monthly',
      product_price_point_handle: `${handle}-monthly`,
      item_category: 'Business Software',
      product_family: familyRef,
    });
    const pp = (
      ppId: number,
      ppName: string,
      ppHandle: string,
      price: number,
      interval: number,
      extra: Json = {},
    ) => ({
      id: ppId,
      name: ppName,
      handle: ppHandle,
      price_in_cents: price,
      interval,
      interval_unit: 'month',
      trial_price_in_cents: null,
      trial_interval: null,
      trial_interval_unit: null,
      trial_type: null,
      initial_charge_in_cents: null,
      initial_charge_after_trial: false,
      expiration_interval: null,
      expiration_interval_unit: 'never',
      product_id: id,
      archived_at: null,
      created_at: at(T0 + DAY),
      updated_at: at(T0 + DAY),
      use_site_exchange_rate: true,
      type: ppId === monthly ? 'default' : 'catalog',
      tax_included: false,
      subscription_id: null,
      currency_prices: [],
      ...extra,
    });
    productPricePoints.push(pp(monthly, 'Monthly', `${handle}-monthly`, cents, 1));
    productPricePoints.push(pp(annual, 'Annual', `${handle}-annual`, cents * 10, 12));
    productPricePoints.push(
      pp(trial, '14-day trial', `${handle}-trial`, cents, 1, {
        trial_price_in_cents: 0,
        trial_interval: 14,
        trial_interval_unit: 'day',
        trial_type: 'payment_expected',
        initial_charge_in_cents: 4900,
      }),
    );
  }

  const components: Json[] = [];
  const componentPricePoints: Json[] = [];
  const componentSpecs: [string, string, string, string, Json[]][] = [
    [
      'Seats',
      'seats',
      'quantity_based_component',
      'per_unit',
      [{ starting_quantity: 1, ending_quantity: null, unit_price: '12.0' }],
    ],
    [
      'API calls',
      'api-calls',
      'metered_component',
      'tiered',
      [
        { starting_quantity: 1, ending_quantity: 10000, unit_price: '0.01' },
        { starting_quantity: 10001, ending_quantity: null, unit_price: '0.005' },
      ],
    ],
    [
      'Priority support',
      'priority-support',
      'on_off_component',
      'per_unit',
      [{ starting_quantity: 1, ending_quantity: null, unit_price: '199.0' }],
    ],
    [
      'Storage (GB)',
      'storage',
      'quantity_based_component',
      'volume',
      [
        { starting_quantity: 1, ending_quantity: 100, unit_price: '0.5' },
        { starting_quantity: 101, ending_quantity: null, unit_price: '0.25' },
      ],
    ],
    [
      'Projects',
      'projects',
      'quantity_based_component',
      'stairstep',
      [
        { starting_quantity: 1, ending_quantity: 10, unit_price: '50.0' },
        { starting_quantity: 11, ending_quantity: null, unit_price: '90.0' },
      ],
    ],
  ];
  for (const [name, handle, kind, scheme, tiers] of componentSpecs) {
    const id = ids.next('component');
    const ppId = ids.next('componentPricePoint');
    const prices = tiers.map((t) => ({
      id: ids.next('price'),
      component_id: id,
      price_point_id: ppId,
      formatted_unit_price: `$${t.unit_price}`,
      segment_id: null,
      ...t,
    }));
    components.push({
      id,
      name,
      handle,
      pricing_scheme: scheme,
      unit_name: kind === 'on_off_component' ? 'on/off' : handle === 'storage' ? 'GB' : 'unit',
      unit_price: (tiers[0] as Json).unit_price,
      product_family_id: family.id,
      product_family_name: family.name,
      price_per_unit_in_cents: null,
      kind,
      archived: false,
      taxable: true,
      description: `${name} add-on`,
      default_price_point_id: ppId,
      prices,
      price_point_count: 1,
      price_points_url: `https://${subdomain}.chargify.com/components/${id}/price_points`,
      default_price_point_name: 'Original',
      tax_code: null,
      recurring: kind !== 'metered_component' || true,
      upgrade_charge: 'prorated',
      downgrade_credit: 'prorated',
      created_at: at(T0 + DAY),
      updated_at: at(T0 + DAY),
      archived_at: null,
      hide_date_range_on_invoice: false,
      allow_fractional_quantities: false,
      item_category: 'Business Software',
      use_site_exchange_rate: true,
      accounting_code: `COMP-${handle.toUpperCase()}`,
      interval: 1,
      interval_unit: 'month',
    });
    componentPricePoints.push({
      id: ppId,
      type: 'default',
      default: true,
      name: 'Original',
      pricing_scheme: scheme,
      component_id: id,
      handle: `${handle}-original`,
      archived_at: null,
      created_at: at(T0 + DAY),
      updated_at: at(T0 + DAY),
      prices,
      use_site_exchange_rate: true,
      tax_included: false,
      interval: 1,
      interval_unit: 'month',
      currency_prices: [],
    });
  }

  const coupons: Json[] = [
    couponOf(
      ids.next('coupon'),
      'Welcome 20%',
      'WELCOME20',
      'percent',
      '20.0',
      null,
      family,
      at(T0 + 2 * DAY),
      { recurring: false },
    ),
    couponOf(
      ids.next('coupon'),
      'Ten dollars off',
      'TENOFF',
      'amount',
      null,
      1000,
      family,
      at(T0 + 2 * DAY),
      {
        recurring: true,
        duration_period_count: 3,
        duration_interval: 1,
        duration_interval_unit: 'month',
      },
    ),
    couponOf(
      ids.next('coupon'),
      'Partner 15% forever',
      'PARTNER15',
      'percent',
      '15.0',
      null,
      family,
      at(T0 + 2 * DAY),
      { recurring: true },
    ),
  ];

  // -- customers and what they buy -----------------------------------------------------------
  const customers: Json[] = [];
  const subscriptions: Json[] = [];
  const subscriptionComponents = new Map<number, Json[]>();
  const transactions: Json[] = [];
  const invoices: Json[] = [];
  const creditNotes: Json[] = [];
  const events: Json[] = [];
  const customerCount = Math.max(10, Math.round(30 * scale));
  let invoiceSeq = 1000;
  let creditSeq = 1;
  let lineSeq = 1;
  const uid = (prefix: string, n: number) => `${prefix}_${n.toString(36).padStart(12, '0')}`;
  const event = (
    key: string,
    ms: number,
    message: string,
    subscriptionId: number | null,
    customerId: number | null,
    data: Json | null = null,
  ) =>
    events.push({
      id: ids.next('event'),
      key,
      message,
      subscription_id: subscriptionId,
      customer_id: customerId,
      created_at: at(ms),
      event_specific_data: data,
    });

  for (let i = 0; i < customerCount; i++) {
    const id = ids.next('customer');
    const created = T0 + 3 * DAY + i * 3_600_000;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const company = `${rng.pick(COMPANIES)} ${i + 1}`;
    const [city, state, zip, country] = rng.pick(CITIES);
    // Every tenth customer after the first ten is a child of an earlier one (hierarchies).
    const parent = i >= 10 && i % 10 === 0 ? (customers[rng.int(0, 9)] as Json).id : null;
    customers.push({
      id,
      first_name: first,
      last_name: last,
      email: `${first.toLowerCase()}.${last.toLowerCase()}${i + 1}@example.com`,
      cc_emails: i % 7 === 0 ? `billing${i + 1}@example.com` : null,
      organization: company,
      reference: `crm-${i + 1}`,
      created_at: at(created),
      updated_at: at(created + DAY),
      address: `${100 + i} Main Street`,
      address_2: i % 3 === 0 ? `Suite ${i + 1}` : null,
      city,
      state,
      state_name: state,
      zip,
      country,
      country_name: country,
      phone: `+1 555 01${String(i % 100).padStart(2, '0')}`,
      verified: false,
      portal_customer_created_at: null,
      portal_invite_last_sent_at: null,
      portal_invite_last_accepted_at: null,
      tax_exempt: i % 11 === 0,
      vat_number: country === 'GB' ? `GB${100000000 + i}` : null,
      parent_id: parent,
      locale: 'en-US',
      default_subscription_group_uid: null,
      salesforce_id: null,
    });
    event('customer_create', created, `Customer ${company} created`, null, id);

    if (i % 5 === 4) continue; // some customers have no subscription
    const product = rng.pick(products);
    const pricePoints = productPricePoints.filter((pp) => pp.product_id === product.id);
    const pp = rng.pick(pricePoints);
    const subState = weightedPick(rng, STATES);
    const subId = ids.next('subscription');
    const start = created + rng.int(0, 20) * DAY;
    const periodMonths = Number(pp.interval);
    const periodStart = start;
    const periodEnd = start + periodMonths * 30 * DAY;
    const comps: Json[] = [];
    for (const c of components) {
      if (!rng.bool(0.35)) continue;
      const cpp = componentPricePoints.find((p) => p.component_id === c.id) as Json;
      const quantity =
        c.kind === 'on_off_component'
          ? 1
          : c.kind === 'metered_component'
            ? rng.int(0, 20000)
            : rng.int(1, 25);
      comps.push({
        component: {
          id: c.id,
          name: c.name,
          kind: c.kind,
          unit_name: c.unit_name,
          enabled: c.kind === 'on_off_component' ? true : null,
          unit_balance: c.kind === 'metered_component' ? quantity : 0,
          currency: 'USD',
          allocated_quantity: c.kind === 'metered_component' ? 0 : quantity,
          pricing_scheme: c.pricing_scheme,
          component_id: c.id,
          component_handle: c.handle,
          subscription_id: subId,
          recurring: true,
          upgrade_charge: 'prorated',
          downgrade_credit: 'prorated',
          archived_at: null,
          price_point_id: cpp.id,
          price_point_handle: cpp.handle,
          price_point_type: 'default',
          price_point_name: cpp.name,
          product_family_id: family.id,
          product_family_handle: family.handle,
          created_at: at(start),
          updated_at: at(start),
          use_site_exchange_rate: true,
          description: c.description,
          allow_fractional_quantities: false,
          interval: 1,
          interval_unit: 'month',
        },
      });
    }
    subscriptionComponents.set(subId, comps);
    const coupon = rng.bool(0.2) ? rng.pick(coupons) : null;
    const productPrice = Number(pp.price_in_cents);
    const canceled = subState === 'canceled' || subState === 'expired';
    const customerRef = customers[customers.length - 1] as Json;
    subscriptions.push({
      id: subId,
      state: subState,
      balance_in_cents: subState === 'past_due' || subState === 'unpaid' ? productPrice : 0,
      total_revenue_in_cents: productPrice * rng.int(1, 6),
      product_price_in_cents: productPrice,
      product_version_number: 1,
      current_period_started_at: at(periodStart),
      current_period_ends_at: at(periodEnd),
      next_assessment_at: at(periodEnd),
      trial_started_at: subState === 'trialing' ? at(start) : null,
      trial_ended_at: subState === 'trialing' ? at(start + 14 * DAY) : null,
      activated_at:
        subState === 'trialing' || subState === 'awaiting_signup' || subState === 'pending'
          ? null
          : at(start),
      expires_at: subState === 'expired' ? at(periodEnd) : null,
      created_at: at(start),
      updated_at: at(start + DAY),
      cancellation_message: canceled ? 'Switched providers' : null,
      cancellation_method: canceled ? 'merchant_ui' : null,
      cancel_at_end_of_period: false,
      canceled_at: canceled ? at(start + 40 * DAY) : null,
      previous_state: 'active',
      signup_payment_id: null,
      signup_revenue: (productPrice / 100).toFixed(2),
      delayed_cancel_at: null,
      coupon_code: coupon ? coupon.code : null,
      snap_day: null,
      payment_collection_method: rng.bool(0.7) ? 'automatic' : 'remittance',
      customer: customerRef,
      product: product,
      credit_card: null,
      group: null,
      bank_account: null,
      payment_type: 'credit_card',
      referral_code: null,
      next_product_id: null,
      next_product_handle: null,
      coupon_use_count: coupon ? 1 : null,
      coupon_uses_allowed: null,
      reason_code: canceled ? 'switched' : null,
      automatically_resume_at: null,
      coupon_codes: coupon ? [coupon.code] : [],
      offer_id: null,
      payer_id: customerRef.id,
      current_billing_amount_in_cents: productPrice,
      product_price_point_id: pp.id,
      product_price_point_type: pp.type,
      next_product_price_point_id: null,
      net_terms: 30,
      stored_credential_transaction_id: null,
      reference: null,
      on_hold_at: subState === 'on_hold' ? at(start + 35 * DAY) : null,
      prepaid_dunning: false,
      coupons: coupon
        ? [
            {
              code: coupon.code,
              use_count: 1,
              uses_allowed: null,
              expires_at: null,
              recurring: coupon.recurring,
              amount_in_cents: coupon.amount_in_cents,
              percentage: coupon.percentage,
            },
          ]
        : [],
      dunning_communication_delay_enabled: false,
      dunning_communication_delay_time_zone: null,
      receives_invoice_emails: true,
      locale: 'en-US',
      currency: 'USD',
      scheduled_cancellation_at: null,
      credit_balance_in_cents: 0,
      prepayment_balance_in_cents: 0,
      self_service_page_token: rng.id(20),
    });
    event('signup_success', start, `Signup of ${company} on ${product.name}`, subId, id);
    if (subState === 'awaiting_signup' || subState === 'pending' || subState === 'trialing')
      continue;

    // One invoice per subscription, paid unless the subscription is behind.
    const invoiceUid = uid('inv', invoiceSeq);
    invoiceSeq += 1;
    const unpaid = subState === 'past_due' || subState === 'unpaid' || subState === 'soft_failure';
    const lines: Json[] = [
      lineItem(
        uid('li', lineSeq++),
        product.name as string,
        `${product.name} plan (${pp.name})`,
        1,
        productPrice,
        {
          product_id: product.id,
          product_price_point_id: pp.id,
          price_point_id: pp.id,
          component_id: null,
          kind: 'baseline',
          period_range_start: at(periodStart).slice(0, 10),
          period_range_end: at(periodEnd).slice(0, 10),
        },
      ),
    ];
    for (const { component } of comps as { component: Json }[]) {
      const qty = Number(component.allocated_quantity) || Number(component.unit_balance) || 0;
      if (qty === 0) continue;
      const c = components.find((x) => x.id === component.component_id) as Json;
      const unitCents = Math.round(Number((c.prices as Json[])[0]?.unit_price ?? 0) * 100);
      lines.push(
        lineItem(
          uid('li', lineSeq++),
          component.name as string,
          `${component.name}: ${qty} ${c.unit_name}`,
          qty,
          unitCents,
          {
            product_id: product.id,
            component_id: component.component_id,
            price_point_id: component.price_point_id,
            product_price_point_id: null,
            kind: 'component',
            period_range_start: at(periodStart).slice(0, 10),
            period_range_end: at(periodEnd).slice(0, 10),
          },
        ),
      );
    }
    const subtotal = lines.reduce((a, l) => a + cents(l.subtotal_amount as string), 0);
    const discountCents = coupon
      ? coupon.discount_type === 'percent'
        ? Math.round((subtotal * Number(coupon.percentage)) / 100)
        : Math.min(subtotal, Number(coupon.amount_in_cents))
      : 0;
    const taxCents = customerRef.tax_exempt
      ? 0
      : Math.round(((subtotal - discountCents) * 7.25) / 100);
    const total = subtotal - discountCents + taxCents;
    const paidCents = unpaid ? 0 : total;
    const txnId = ids.next('transaction');
    const chargeId = ids.next('transaction');
    const issue = periodStart;
    invoices.push({
      uid: invoiceUid,
      site_id: 1,
      customer_id: id,
      subscription_id: subId,
      number: String(invoiceSeq),
      sequence_number: invoiceSeq,
      transaction_time: at(issue),
      created_at: at(issue),
      updated_at: at(issue + DAY),
      issue_date: at(issue).slice(0, 10),
      due_date: at(issue + 30 * DAY).slice(0, 10),
      paid_date: unpaid ? null : at(issue + DAY).slice(0, 10),
      status: unpaid ? 'open' : 'paid',
      role: 'renewal',
      parent_invoice_id: null,
      collection_method: 'automatic',
      payment_instructions: 'Please pay within 30 days.',
      currency: 'USD',
      consolidation_level: 'none',
      parent_invoice_uid: null,
      subscription_group_id: null,
      parent_invoice_number: null,
      group_primary_subscription_id: null,
      product_name: product.name,
      product_family_name: family.name,
      seller: {
        name: 'Acme Billing Inc.',
        address: {
          street: '1 Market St',
          city: 'San Francisco',
          state: 'CA',
          zip: '94105',
          country: 'US',
        },
        phone: '+1 555 0100',
      },
      customer: {
        chargify_id: id,
        first_name: first,
        last_name: last,
        organization: company,
        email: customerRef.email,
        vat_number: customerRef.vat_number,
        reference: customerRef.reference,
      },
      payer: {
        chargify_id: id,
        first_name: first,
        last_name: last,
        organization: company,
        email: customerRef.email,
      },
      recipient_emails: [],
      net_terms: 30,
      memo: null,
      billing_address: {
        street: customerRef.address,
        line2: customerRef.address_2,
        city,
        state,
        zip,
        country,
      },
      shipping_address: {
        street: customerRef.address,
        line2: customerRef.address_2,
        city,
        state,
        zip,
        country,
      },
      subtotal_amount: money(subtotal),
      discount_amount: money(discountCents),
      tax_amount: money(taxCents),
      total_amount: money(total),
      credit_amount: '0.0',
      debit_amount: '0.0',
      refund_amount: '0.0',
      paid_amount: money(paidCents),
      due_amount: money(total - paidCents),
      line_items: lines,
      discounts: coupon
        ? [
            {
              uid: uid('dli', lineSeq++),
              title: coupon.name,
              description: null,
              code: coupon.code,
              source_type: 'Coupon',
              source_id: coupon.id,
              discount_type: coupon.discount_type === 'percent' ? 'percentage' : 'flat_amount',
              percentage: coupon.percentage,
              eligible_amount: money(subtotal),
              discount_amount: money(discountCents),
              transaction_id: null,
              line_item_breakdowns: [],
            },
          ]
        : [],
      taxes:
        taxCents > 0
          ? [
              {
                uid: uid('tax', lineSeq++),
                title: 'Sales Tax',
                description: null,
                source_type: 'Tax',
                source_id: 1,
                percentage: '7.25',
                taxable_amount: money(subtotal - discountCents),
                tax_amount: money(taxCents),
                transaction_id: null,
                line_item_breakdowns: [],
                tax_component_breakdowns: [],
              },
            ]
          : [],
      credits: [],
      refunds: [],
      payments: unpaid
        ? []
        : [
            {
              transaction_time: at(issue + DAY),
              memo: 'Payment received',
              original_amount: money(total),
              applied_amount: money(total),
              payment_method: {
                type: 'credit_card',
                card_brand: 'visa',
                card_expiration: '12/2029',
                last_four: '4242',
                masked_card_number: 'XXXX-XXXX-XXXX-4242',
              },
              transaction_id: txnId,
              prepayment: false,
              gateway_handle: null,
              gateway_used: 'bogus',
              gateway_transaction_id: `gw_${txnId}`,
            },
          ],
      custom_fields: [],
      display_settings: { hide_zero_subtotal_lines: false, include_discounts_on_lines: false },
      public_url: `https://${subdomain}.chargifypay.com/invoice/${invoiceUid}`,
      previous_balance_data: { captured_at: at(issue), invoices: [] },
    });
    transactions.push(
      transactionOf(
        chargeId,
        'charge',
        'baseline',
        subtotal,
        true,
        subId,
        id,
        product.id as number,
        null,
        invoiceUid,
        at(issue),
        `${product.name} charge`,
      ),
    );
    // Component charges are transactions of their own, naming the component.
    for (const line of lines.filter((l) => l.component_id)) {
      transactions.push(
        transactionOf(
          ids.next('transaction'),
          'charge',
          'component',
          cents(line.subtotal_amount as string),
          true,
          subId,
          id,
          product.id as number,
          line.component_id as number,
          invoiceUid,
          at(issue),
          String(line.description),
        ),
      );
    }
    if (!unpaid) {
      transactions.push(
        transactionOf(
          txnId,
          'payment',
          null,
          total,
          true,
          subId,
          id,
          product.id as number,
          null,
          invoiceUid,
          at(issue + DAY),
          'Payment received',
        ),
      );
      event(
        'payment_success',
        issue + DAY,
        `Payment of ${money(total)} for ${company}`,
        subId,
        id,
        { invoice_uid: invoiceUid },
      );
    } else {
      event('payment_failure', issue + DAY, `Payment failed for ${company}`, subId, id, {
        invoice_uid: invoiceUid,
      });
    }
    event('invoice_issued', issue, `Invoice ${invoiceSeq} issued`, subId, id, {
      uid: invoiceUid,
      number: String(invoiceSeq),
    });

    // A credit note for some canceled subscriptions.
    if (subState === 'canceled' && !unpaid && creditSeq <= Math.max(3, Math.round(scale * 3))) {
      const cnUid = uid('cn', creditSeq);
      const amount = Math.round(total / 2);
      creditNotes.push({
        uid: cnUid,
        site_id: 1,
        customer_id: id,
        subscription_id: subId,
        number: `CN-${creditSeq}`,
        sequence_number: creditSeq,
        issue_date: at(issue + 41 * DAY).slice(0, 10),
        applied_date: at(issue + 41 * DAY).slice(0, 10),
        status: 'applied',
        currency: 'USD',
        memo: 'Partial refund on cancellation',
        seller: invoices[invoices.length - 1]?.seller,
        customer: invoices[invoices.length - 1]?.customer,
        billing_address: invoices[invoices.length - 1]?.billing_address,
        shipping_address: invoices[invoices.length - 1]?.shipping_address,
        subtotal_amount: money(amount),
        discount_amount: '0.0',
        tax_amount: '0.0',
        total_amount: money(amount),
        applied_amount: money(amount),
        remaining_amount: '0.0',
        line_items: [],
        discounts: [],
        taxes: [],
        applications: [
          {
            uid: uid('cna', creditSeq),
            transaction_time: at(issue + 41 * DAY),
            invoice_uid: invoiceUid,
            memo: 'Applied to invoice',
            applied_amount: money(amount),
          },
        ],
        refunds: [],
        origin_invoices: [{ uid: invoiceUid, number: String(invoiceSeq) }],
        created_at: at(issue + 41 * DAY),
        updated_at: at(issue + 41 * DAY),
      });
      creditSeq += 1;
    }
  }
  events.sort((a, b) => Date.parse(String(a.created_at)) - Date.parse(String(b.created_at)));
  // Event ids follow time, as on a real site.
  events.forEach((e, index) => {
    e.id = 9_000_001 + index;
  });
  counters.set('event', events.length);
  return {
    productFamilies,
    products,
    productPricePoints,
    components,
    componentPricePoints,
    coupons,
    customers,
    subscriptions,
    subscriptionComponents,
    transactions,
    invoices,
    creditNotes,
    events,
    ids,
  };
}

export function money(centsValue: number): string {
  const sign = centsValue < 0 ? '-' : '';
  const abs = Math.abs(centsValue);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function cents(decimal: string): number {
  return Math.round(Number(decimal) * 100);
}

function lineItem(
  uidValue: string,
  title: string,
  description: string,
  quantity: number,
  unitCents: number,
  extra: Json,
): Json {
  const subtotal = unitCents * quantity;
  return {
    uid: uidValue,
    title,
    description,
    quantity: `${quantity}.0`,
    unit_price: money(unitCents),
    subtotal_amount: money(subtotal),
    discount_amount: '0.0',
    tax_amount: '0.0',
    total_amount: money(subtotal),
    tiered_unit_price: false,
    transaction_id: null,
    product_version: 1,
    hide: false,
    component_cost_data: null,
    custom_item: false,
    ...extra,
  };
}

function couponOf(
  id: number,
  name: string,
  code: string,
  type: 'percent' | 'amount',
  percentage: string | null,
  amountCents: number | null,
  family: Json,
  created: string,
  extra: Json,
): Json {
  return {
    id,
    name,
    code,
    description: `${name} for new customers`,
    amount: amountCents !== null ? amountCents / 100 : null,
    amount_in_cents: amountCents,
    product_family_id: family.id,
    product_family_name: family.name,
    start_date: created,
    end_date: null,
    percentage,
    recurring: false,
    recurring_scheme: 'do_not_recur',
    duration_period_count: null,
    duration_interval: null,
    duration_interval_unit: null,
    allow_negative_balance: false,
    archived_at: null,
    conversion_limit: null,
    stackable: true,
    compounding_strategy: 'compound',
    use_site_exchange_rate: true,
    created_at: created,
    updated_at: created,
    discount_type: type,
    exclude_mid_period_allocations: false,
    apply_on_cancel_at_end_of_period: false,
    apply_on_subscription_expiration: false,
    coupon_restrictions: [],
    ...extra,
  };
}

function transactionOf(
  id: number,
  type: string,
  kind: string | null,
  amountCents: number,
  success: boolean,
  subscriptionId: number,
  customerId: number,
  productId: number,
  componentId: number | null,
  invoiceUid: string,
  createdAt: string,
  memo: string,
): Json {
  return {
    id,
    transaction_type: type,
    amount_in_cents: amountCents,
    created_at: createdAt,
    starting_balance_in_cents: 0,
    ending_balance_in_cents: type === 'charge' ? amountCents : 0,
    memo,
    success,
    type: type === 'payment' ? 'Payment' : 'Charge',
    kind,
    subscription_id: subscriptionId,
    product_id: productId,
    payment_id: type === 'payment' ? id : null,
    gateway_used: type === 'payment' ? 'bogus' : null,
    gateway_transaction_id: type === 'payment' ? `gw_${id}` : null,
    gateway_order_id: null,
    customer_id: customerId,
    card_number: null,
    card_expiration: null,
    card_type: null,
    refunded_amount_in_cents: 0,
    original_amount_in_cents: amountCents,
    invoice_uid: invoiceUid,
    component_id: componentId,
    statement_id: null,
    tax_id: null,
    parent_id: null,
  };
}

/**
 * A subscription created from an Opportunity (its id came back through the billing platform) →
 * that Opportunity's billing fields (Chargebee seed "Opportunity": Close Date, Contract term Id,
 * Opportunity Currency, Subscription Id), upserted on `Id`, and its billing items and coupons →
 * Billing_Opportunity_Product__c / Billing_Opportunity_Coupon__c (Chargebee's "CB Opportunity
 * Product/Coupon"). Name, Stage, Amount, Price Book and the Closed/Won switches stay with the
 * sales rep and the Closed/Won flow: the sync never changes them.
 */
import type { Subscription, SubscriptionItem } from '../../model/canonical.ts';
import { currencyCode, dateOnly, dateTime, key, salesforceId, text } from './transforms.ts';
import { keyOf, lookup, orderingOf } from './keys.ts';
import { ITEM_LINE_FIELDS } from './subscription-item.ts';
import type { CouponSource } from './subscription-coupon.ts';
import type { ItemSource } from './subscription-item.ts';
import type { ObjectMapping } from './types.ts';

export const opportunity: ObjectMapping<Subscription> = {
  name: 'subscription → Opportunity (the one that created it)',
  sobject: 'Opportunity',
  externalIdField: 'Id',
  externalId: (s) => s.opportunityId ?? '',
  ordering: orderingOf,
  fields: [
    { field: 'CloseDate', from: (s) => s.activatedAt, transform: dateOnly, omitIfNull: true },
    { field: 'Billing_Subscription_Id__c', from: (s) => s.id, transform: key(255) },
    { field: 'Billing_Contract_Term_Id__c', from: (s) => s.contractTerm?.id, transform: key(100) },
    { field: 'Billing_Currency_Code__c', from: (s) => s.currency, transform: currencyCode },
  ],
  references: [
    lookup('Billing_Subscription__c', 'Subscription__c', (s) => s.externalId),
    lookup('Billing_Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
    lookup('Billing_Business_Entity__c', 'Business_Entity__c', (s, ctx) =>
      keyOf(ctx, s.businessEntityId),
    ),
  ],
};

/** The subscription's items, with the plan as an item when the provider lists it apart. */
export function billingItemsOf(s: Subscription): SubscriptionItem[] {
  if (!s.productId || s.items.some((item) => item.kind === 'plan')) return s.items;
  const plan: SubscriptionItem = {
    id: s.pricePointId ?? s.productId,
    kind: 'plan',
    productId: s.productId,
    pricePointId: s.pricePointId ?? null,
    quantity: s.planQuantity ?? '1',
    unitPrice: s.planUnitPrice ?? s.productPrice ?? null,
    amount: s.planAmount ?? null,
    billingCycles: s.remainingBillingCycles ?? null,
  };
  return [plan, ...s.items];
}

export const opportunityProduct: ObjectMapping<ItemSource> = {
  name: 'subscription items → Billing_Opportunity_Product__c',
  sobject: 'Billing_Opportunity_Product__c',
  externalIdField: 'External_Id__c',
  externalId: ({ subscription, item }) => `${subscription.externalId}:opportunity-item:${item.id}`,
  fields: [
    { field: 'Name', from: ({ item }) => item.name || item.id, transform: text(80) },
    {
      field: 'Opportunity__c',
      from: ({ subscription }) => subscription.opportunityId,
      transform: salesforceId,
    },
    ...ITEM_LINE_FIELDS,
  ],
  references: [
    lookup('Product__c', 'Product2', ({ item }, ctx) => keyOf(ctx, item.productId)),
    lookup('Item_Price__c', 'Item_Price__c', ({ item }, ctx) => keyOf(ctx, item.pricePointId)),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Opportunity__c'],
};

export const opportunityCoupon: ObjectMapping<CouponSource> = {
  name: 'subscription coupons → Billing_Opportunity_Coupon__c',
  sobject: 'Billing_Opportunity_Coupon__c',
  externalIdField: 'External_Id__c',
  externalId: ({ subscription, coupon }) =>
    `${subscription.externalId}:opportunity-coupon:${coupon.couponId}`,
  fields: [
    { field: 'Name', from: ({ coupon }) => coupon.code || coupon.couponId, transform: text(80) },
    {
      field: 'Opportunity__c',
      from: ({ subscription }) => subscription.opportunityId,
      transform: salesforceId,
    },
    { field: 'Coupon_Id__c', from: ({ coupon }) => coupon.couponId, transform: key(100) },
    { field: 'Apply_Till__c', from: ({ coupon }) => coupon.applyTill, transform: dateTime },
  ],
  references: [
    lookup('Coupon__c', 'Billing_Coupon__c', ({ coupon }, ctx) => keyOf(ctx, coupon.couponId)),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Opportunity__c'],
};

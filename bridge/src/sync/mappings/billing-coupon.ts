/**
 * coupon → Billing_Coupon__c (the Chargebee seed's "CB Coupon"; Maxio coupons too). Chargebee
 * item constraints become a constraint picklist and an id list per item type (plan, addon,
 * charge).
 */
import type { Coupon } from '../../model/canonical.ts';
import {
  currencyCode,
  dateTime,
  integer,
  key,
  money,
  percent,
  picklist,
  text,
} from './transforms.ts';
import { lookup, orderingOf } from './keys.ts';
import type { FieldMapping, ObjectMapping } from './types.ts';

const CONSTRAINTS = ['none', 'all', 'specific', 'criteria', 'not_applicable'] as const;

function constraintOf(coupon: Coupon, itemType: 'plan' | 'addon' | 'charge') {
  return coupon.itemConstraints?.find((c) => c.itemType === itemType);
}

function constraintFields(
  itemType: 'plan' | 'addon' | 'charge',
  prefix: 'Plan' | 'Addon' | 'Charge',
): FieldMapping<Coupon>[] {
  return [
    {
      field: `${prefix}_Constraint__c`,
      from: (c) => constraintOf(c, itemType)?.constraint,
      transform: picklist(CONSTRAINTS),
    },
    {
      field: `${prefix}_Ids__c`,
      from: (c) => constraintOf(c, itemType)?.itemPriceIds?.join('\n'),
      transform: text(32768),
    },
  ];
}

export const billingCoupon: ObjectMapping<Coupon> = {
  name: 'coupon → Billing_Coupon__c',
  sobject: 'Billing_Coupon__c',
  externalIdField: 'External_Id__c',
  externalId: (c) => c.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: (c) => c.name || c.code, transform: text(80) },
    { field: 'Billing_Id__c', from: (c) => c.id, transform: key(100) },
    { field: 'Coupon_Code__c', from: (c) => c.code, transform: key(100) },
    { field: 'Invoice_Name__c', from: (c) => c.invoiceName, transform: text(100) },
    {
      field: 'Discount_Type__c',
      from: (c) => c.discountType,
      transform: picklist(['fixed_amount', 'percentage', 'offer_quantity']),
    },
    { field: 'Discount_Percentage__c', from: (c) => c.discountPercentage, transform: percent },
    { field: 'Discount_Amount__c', from: (c) => c.discountAmount, transform: money },
    { field: 'Currency_Code__c', from: (c) => c.currency, transform: currencyCode },
    {
      field: 'Duration_Type__c',
      from: (c) => c.durationType,
      transform: picklist(['one_time', 'forever', 'limited_period']),
    },
    { field: 'Duration_Months__c', from: (c) => c.durationMonths, transform: integer },
    {
      field: 'Apply_On__c',
      from: (c) => c.applyOn,
      transform: picklist(['invoice_amount', 'each_specified_item']),
    },
    {
      field: 'Status__c',
      from: (c) => c.status,
      transform: picklist(['active', 'expired', 'archived', 'deleted', 'future']),
    },
    { field: 'Valid_Till__c', from: (c) => c.validTill, transform: dateTime },
    { field: 'Max_Redemptions__c', from: (c) => c.maxRedemptions, transform: integer },
    { field: 'Redemptions__c', from: (c) => c.redemptions, transform: integer },
    ...constraintFields('plan', 'Plan'),
    ...constraintFields('addon', 'Addon'),
    ...constraintFields('charge', 'Charge'),
    { field: 'Billing_Created_At__c', from: (c) => c.createdAt, transform: dateTime },
    { field: 'Billing_Updated_At__c', from: (c) => c.updatedAt, transform: dateTime },
    { field: 'Resource_Version__c', from: (c) => c.resourceVersion, transform: integer },
  ],
  references: [lookup('Site__c', 'Billing_Site__c', (_c, ctx) => ctx.site.key)],
};

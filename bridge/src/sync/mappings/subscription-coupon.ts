/**
 * subscription coupons → Subscription_Coupon__c (the Chargebee seed's "Coupon Line Items"),
 * master-detail to the subscription, keyed `<subscription key>:coupon:<coupon id>`.
 */
import type { Subscription, SubscriptionCoupon } from '../../model/canonical.ts';
import { dateTime, integer, key, text } from './transforms.ts';
import { keyOf, lookup } from './keys.ts';
import type { ObjectMapping } from './types.ts';

export interface CouponSource {
  subscription: Subscription;
  coupon: SubscriptionCoupon;
}

export const subscriptionCoupon: ObjectMapping<CouponSource> = {
  name: 'subscription.coupons[] → Subscription_Coupon__c',
  sobject: 'Subscription_Coupon__c',
  externalIdField: 'External_Id__c',
  externalId: ({ subscription, coupon }) => `${subscription.externalId}:coupon:${coupon.couponId}`,
  fields: [
    { field: 'Name', from: ({ coupon }) => coupon.code || coupon.couponId, transform: text(80) },
    { field: 'Coupon_Id__c', from: ({ coupon }) => coupon.couponId, transform: key(100) },
    { field: 'Coupon_Code__c', from: ({ coupon }) => coupon.code, transform: key(100) },
    { field: 'Applied_Count__c', from: ({ coupon }) => coupon.appliedCount, transform: integer },
    { field: 'Apply_Till__c', from: ({ coupon }) => coupon.applyTill, transform: dateTime },
  ],
  references: [
    lookup('Subscription__c', 'Subscription__c', ({ subscription }) => subscription.externalId, {
      required: true,
    }),
    lookup('Coupon__c', 'Billing_Coupon__c', ({ coupon }, ctx) => keyOf(ctx, coupon.couponId)),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Subscription__r'],
};

/**
 * subscription items → Subscription_Item__c (Chargebee "Subscription Addon", Maxio components),
 * master-detail to the subscription, keyed `<subscription key>:item:<item id>`.
 */
import type { Subscription, SubscriptionItem } from '../../model/canonical.ts';
import { bool, currencyCode, decimal, integer, key, money, picklist, text } from './transforms.ts';
import { keyOf, lookup } from './keys.ts';
import { PRODUCT_KINDS } from './product2.ts';
import type { ObjectMapping } from './types.ts';

export const CHARGE_EVENTS = [
  'subscription_creation',
  'subscription_trial_start',
  'plan_activation',
  'subscription_activation',
  'contract_termination',
  'on_demand',
] as const;

export interface ItemSource {
  subscription: Subscription;
  item: SubscriptionItem;
}

/**
 * The line fields Subscription_Item__c and Billing_Opportunity_Product__c share (same API names on
 * both objects): one list serves both mappings.
 */
export const ITEM_LINE_FIELDS: ObjectMapping<ItemSource>['fields'] = [
  { field: 'Item_Type__c', from: ({ item }) => item.kind, transform: picklist(PRODUCT_KINDS) },
  { field: 'Quantity__c', from: ({ item }) => item.quantity, transform: decimal(4) },
  { field: 'Unit_Price__c', from: ({ item }) => item.unitPrice, transform: money },
  { field: 'Amount__c', from: ({ item }) => item.amount, transform: money },
  { field: 'Billing_Cycles__c', from: ({ item }) => item.billingCycles, transform: integer },
  {
    field: 'Service_Period_Days__c',
    from: ({ item }) => item.servicePeriodDays,
    transform: integer,
  },
  { field: 'Charge_Once__c', from: ({ item }) => item.chargeOnce, transform: bool },
  {
    field: 'Charge_On_Event__c',
    from: ({ item }) => item.chargeOnEvent,
    transform: picklist(CHARGE_EVENTS),
  },
  {
    field: 'Currency_Code__c',
    from: ({ subscription }) => subscription.currency,
    transform: currencyCode,
  },
];

export const subscriptionItem: ObjectMapping<ItemSource> = {
  name: 'subscription.items[] → Subscription_Item__c',
  sobject: 'Subscription_Item__c',
  externalIdField: 'External_Id__c',
  externalId: ({ subscription, item }) => `${subscription.externalId}:item:${item.id}`,
  fields: [
    { field: 'Name', from: ({ item }) => item.name || item.id, transform: text(80) },
    { field: 'Billing_Item_Id__c', from: ({ item }) => item.id, transform: key(100) },
    ...ITEM_LINE_FIELDS,
  ],
  references: [
    lookup('Subscription__c', 'Subscription__c', ({ subscription }) => subscription.externalId, {
      required: true,
    }),
    lookup('Product__c', 'Product2', ({ item }, ctx) => keyOf(ctx, item.productId)),
    lookup('Item_Price__c', 'Item_Price__c', ({ item }, ctx) => keyOf(ctx, item.pricePointId)),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Subscription__r'],
};

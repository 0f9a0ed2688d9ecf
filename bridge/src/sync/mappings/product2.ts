/**
 * product (Maxio product or component, Chargebee item) → Product2, flagged billing-owned so the
 * catalog-lock validation rule keeps users from editing it. Product Code is Maxio's accounting
 * code (Maxio seed) and Chargebee's item id (Chargebee seed). Product families land here too:
 * their name is copied into `Billing_Product_Family__c` of each product (no object of their own).
 */
import { PRODUCT_KINDS, type Product } from '../../model/canonical.ts';
import { bool, currencyCode, dateTime, integer, key, picklist, text } from './transforms.ts';
import { lookup, orderingOf } from './keys.ts';
import type { ObjectMapping } from './types.ts';

export { PRODUCT_KINDS };
export const COMPONENT_KINDS = [
  'quantity_based_component',
  'metered_component',
  'on_off_component',
  'prepaid_usage_component',
  'event_based_component',
] as const;

export const product2: ObjectMapping<Product> = {
  name: 'product → Product2',
  sobject: 'Product2',
  externalIdField: 'Billing_External_Id__c',
  externalId: (p) => p.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: (p) => p.name, transform: text(255) },
    { field: 'Description', from: (p) => p.description, transform: text(4000) },
    {
      field: 'ProductCode',
      from: (p, ctx) => (ctx.site.provider === 'chargebee' ? p.id : p.accountingCode),
      transform: text(255),
    },
    { field: 'IsActive', from: (p) => (p.status ?? 'active') === 'active', transform: bool },
    { field: 'Billing_Owned__c', from: () => true, transform: bool },
    { field: 'Billing_Id__c', from: (p) => p.id, transform: key(100) },
    { field: 'Billing_API_Handle__c', from: (p) => p.handle, transform: text(255) },
    { field: 'Billing_Product_Family__c', from: (p) => p.familyName, transform: text(255) },
    {
      field: 'Billing_Currency_Code__c',
      from: (_p, ctx) => ctx.site.defaultCurrency,
      transform: currencyCode,
    },
    { field: 'Billing_Item_Type__c', from: (p) => p.kind, transform: picklist(PRODUCT_KINDS) },
    {
      field: 'Billing_Component_Kind__c',
      from: (p) => p.componentKind,
      transform: picklist(COMPONENT_KINDS),
    },
    {
      field: 'Billing_Status__c',
      from: (p) => p.status,
      transform: picklist(['active', 'archived', 'deleted']),
    },
    { field: 'Billing_Updated_At__c', from: (p) => p.updatedAt, transform: dateTime },
    { field: 'Billing_Resource_Version__c', from: (p) => p.resourceVersion, transform: integer },
  ],
  references: [lookup('Billing_Site__c', 'Billing_Site__c', (_p, ctx) => ctx.site.key)],
};

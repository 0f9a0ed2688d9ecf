/**
 * A Chargebee business entity id → `Business_Entity__c`. The canonical model has no business
 * entity resource, only ids on customers and subscriptions, so the record they point at is
 * upserted (key, id, site) right before them: the lookup then always finds its target.
 */
import { key, text } from './transforms.ts';
import { lookup, requiredKey } from './keys.ts';
import type { ObjectMapping } from './types.ts';

export interface BusinessEntityRef {
  id: string;
}

export const businessEntity: ObjectMapping<BusinessEntityRef> = {
  name: 'business entity id → Business_Entity__c',
  sobject: 'Business_Entity__c',
  externalIdField: 'External_Id__c',
  externalId: (ref, ctx) => requiredKey(ctx, ref.id),
  fields: [
    { field: 'Name', from: (ref) => ref.id, transform: text(80) },
    { field: 'Billing_Id__c', from: (ref) => ref.id, transform: key(100) },
  ],
  references: [lookup('Site__c', 'Billing_Site__c', (_r, ctx) => ctx.site.key)],
};

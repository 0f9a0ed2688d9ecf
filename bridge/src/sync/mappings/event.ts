/**
 * event → Billing_Event__c (the Maxio seed's "Advanced Billing Events"; Chargebee events too),
 * linked to the customer's Account and primary Contact, the subscription and the invoice.
 */
import type { BillingEvent } from '../../model/canonical.ts';
import { dateTime, key, text } from './transforms.ts';
import { keyOf, lookup } from './keys.ts';
import type { ObjectMapping } from './types.ts';

/** `signup_success` → "Signup success", `subscription.created` → "Subscription created". */
export function eventName(eventKey: string): string {
  const words = eventKey.replace(/[._]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : eventKey;
}

export const billingEvent: ObjectMapping<BillingEvent> = {
  name: 'event → Billing_Event__c',
  sobject: 'Billing_Event__c',
  externalIdField: 'External_Id__c',
  externalId: (e) => e.externalId,
  fields: [
    { field: 'Name', from: (e) => eventName(e.key), transform: text(80) },
    { field: 'Billing_Id__c', from: (e) => e.id, transform: key(100) },
    { field: 'Key__c', from: (e) => e.key, transform: text(100) },
    { field: 'Message__c', from: (e) => e.message, transform: text(32768) },
    { field: 'Occurred_At__c', from: (e) => e.occurredAt, transform: dateTime },
  ],
  references: [
    lookup('Account__c', 'Account', (e, ctx) => keyOf(ctx, e.customerId)),
    lookup('Contact__c', 'Contact', (e, ctx) => keyOf(ctx, e.customerId)),
    lookup('Subscription__c', 'Subscription__c', (e, ctx) => keyOf(ctx, e.subscriptionId)),
    lookup('Invoice__c', 'Billing_Invoice__c', (e, ctx) => keyOf(ctx, e.invoiceId)),
    lookup('Site__c', 'Billing_Site__c', (_e, ctx) => ctx.site.key),
  ],
};

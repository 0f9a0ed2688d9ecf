/** transaction (Maxio) → Billing_Transaction__c (the Maxio seed's "Transactions"). */
import type { Transaction } from '../../model/canonical.ts';
import { bool, currencyCode, dateTime, key, money, providerValue, text } from './transforms.ts';
import { keyOf, lookup } from './keys.ts';
import type { ObjectMapping } from './types.ts';

/** "Payment: Visa ending 1111", else "Charge (baseline)". */
export function transactionName(t: Transaction): string {
  if (t.memo) return t.memo;
  const type = t.type.charAt(0).toUpperCase() + t.type.slice(1).replace(/_/g, ' ');
  return t.kind ? `${type} (${t.kind.replace(/_/g, ' ')})` : type;
}

export const billingTransaction: ObjectMapping<Transaction> = {
  name: 'transaction → Billing_Transaction__c',
  sobject: 'Billing_Transaction__c',
  externalIdField: 'External_Id__c',
  externalId: (t) => t.externalId,
  ordering: (t) => ({ updatedAt: t.updatedAt ?? t.createdAt ?? null, resourceVersion: null }),
  fields: [
    { field: 'Name', from: transactionName, transform: text(80) },
    { field: 'Billing_Id__c', from: (t) => t.id, transform: key(100) },
    { field: 'Type__c', from: (t) => t.type, transform: providerValue },
    { field: 'Kind__c', from: (t) => t.kind, transform: providerValue },
    { field: 'Memo__c', from: (t) => t.memo, transform: text(32768) },
    { field: 'Amount__c', from: (t) => t.amount, transform: money },
    { field: 'Currency_Code__c', from: (t) => t.currency, transform: currencyCode },
    { field: 'Success__c', from: (t) => t.success, transform: bool },
    { field: 'Gateway_Used__c', from: (t) => t.gatewayUsed, transform: text(100) },
    { field: 'Payment_Type__c', from: (t) => t.paymentType, transform: text(60) },
    { field: 'Billing_Created_At__c', from: (t) => t.createdAt, transform: dateTime },
  ],
  references: [
    lookup('Account__c', 'Account', (t, ctx) => keyOf(ctx, t.customerId)),
    lookup('Subscription__c', 'Subscription__c', (t, ctx) => keyOf(ctx, t.subscriptionId)),
    lookup('Invoice__c', 'Billing_Invoice__c', (t, ctx) => keyOf(ctx, t.invoiceId)),
    lookup('Product__c', 'Product2', (t, ctx) => keyOf(ctx, t.productId)),
    lookup('Component__c', 'Product2', (t, ctx) => keyOf(ctx, t.componentId)),
    lookup('Site__c', 'Billing_Site__c', (_t, ctx) => ctx.site.key),
  ],
};

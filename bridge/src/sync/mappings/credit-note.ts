/**
 * credit note → Credit_Note__c (Chargebee "CB Credit Note"; master-detail to the invoice it
 * refers to, as in the seed) and its allocations → Credit_Note_Allocation__c (master-detail),
 * keyed `<credit note key>:allocation:<invoice id>`.
 */
import type { CreditNote, CreditNoteAllocation } from '../../model/canonical.ts';
import {
  currencyCode,
  dateOnly,
  dateTime,
  integer,
  key,
  money,
  picklist,
  providerValue,
  text,
} from './transforms.ts';
import { keyOf, lookup, orderingOf, primaryContactKey, requiredKey } from './keys.ts';
import type { ObjectMapping } from './types.ts';

export const creditNote: ObjectMapping<CreditNote> = {
  name: 'creditNote → Credit_Note__c',
  sobject: 'Credit_Note__c',
  externalIdField: 'External_Id__c',
  externalId: (n) => n.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: (n) => n.number || n.id, transform: text(80) },
    { field: 'Billing_Id__c', from: (n) => n.id, transform: key(100) },
    { field: 'Customer_Id__c', from: (n) => n.customerId, transform: key(100) },
    { field: 'Reference_Invoice_Id__c', from: (n) => n.referenceInvoiceId, transform: key(100) },
    {
      field: 'Type__c',
      from: (n) => n.type,
      transform: picklist(['adjustment', 'refundable', 'store']),
    },
    { field: 'Reason_Code__c', from: (n) => n.reasonCode, transform: providerValue },
    { field: 'Status__c', from: (n) => n.status, transform: providerValue },
    { field: 'Issue_Date__c', from: (n) => n.date, transform: dateOnly },
    {
      field: 'Price_Type__c',
      from: (n) => n.priceType,
      transform: picklist(['tax_exclusive', 'tax_inclusive']),
    },
    { field: 'Currency_Code__c', from: (n) => n.currency, transform: currencyCode },
    { field: 'Subtotal__c', from: (n) => n.subtotal, transform: money },
    { field: 'Total__c', from: (n) => n.total, transform: money },
    { field: 'Amount_Allocated__c', from: (n) => n.amountAllocated, transform: money },
    { field: 'Amount_Refunded__c', from: (n) => n.amountRefunded, transform: money },
    { field: 'Amount_Available__c', from: (n) => n.amountAvailable, transform: money },
    { field: 'Round_Off_Amount__c', from: (n) => n.roundOff, transform: money },
    { field: 'Refunded_At__c', from: (n) => n.refundedAt, transform: dateTime },
    { field: 'Voided_At__c', from: (n) => n.voidedAt, transform: dateTime },
    { field: 'Billing_Updated_At__c', from: (n) => n.updatedAt, transform: dateTime },
    { field: 'Resource_Version__c', from: (n) => n.resourceVersion, transform: integer },
  ],
  references: [
    lookup('Invoice__c', 'Billing_Invoice__c', (n, ctx) => keyOf(ctx, n.referenceInvoiceId), {
      required: true,
    }),
    lookup('Account__c', 'Account', (n, ctx) => requiredKey(ctx, n.customerId)),
    lookup('Contact__c', 'Contact', (n, ctx) => primaryContactKey(ctx, n.customerId)),
    lookup('Business_Entity__c', 'Business_Entity__c', (n, ctx) => keyOf(ctx, n.businessEntityId)),
    lookup('Site__c', 'Billing_Site__c', (_n, ctx) => ctx.site.key),
  ],
  insertOnly: ['Invoice__r'],
};

export interface AllocationSource {
  creditNote: CreditNote;
  allocation: CreditNoteAllocation;
}

export const creditNoteAllocation: ObjectMapping<AllocationSource> = {
  name: 'creditNote.allocations[] → Credit_Note_Allocation__c',
  sobject: 'Credit_Note_Allocation__c',
  externalIdField: 'External_Id__c',
  externalId: ({ creditNote, allocation }) =>
    `${creditNote.externalId}:allocation:${allocation.invoiceId}`,
  fields: [
    { field: 'Allocated_Amount__c', from: ({ allocation }) => allocation.amount, transform: money },
    {
      field: 'Allocated_At__c',
      from: ({ allocation }) => allocation.allocatedAt,
      transform: dateTime,
    },
    {
      field: 'Invoice_Billing_Id__c',
      from: ({ allocation }) => allocation.invoiceId,
      transform: key(100),
    },
    {
      field: 'Invoice_Date__c',
      from: ({ allocation }) => allocation.invoiceDate,
      transform: dateOnly,
    },
    {
      field: 'Invoice_Status__c',
      from: ({ allocation }) => allocation.invoiceStatus,
      transform: text(40),
    },
    {
      field: 'Currency_Code__c',
      from: ({ creditNote }) => creditNote.currency,
      transform: currencyCode,
    },
  ],
  references: [
    lookup('Credit_Note__c', 'Credit_Note__c', ({ creditNote }) => creditNote.externalId, {
      required: true,
    }),
    lookup('Invoice__c', 'Billing_Invoice__c', ({ allocation }, ctx) =>
      keyOf(ctx, allocation.invoiceId),
    ),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Credit_Note__r'],
};

/**
 * invoice → Billing_Invoice__c (Maxio "Invoices" and Chargebee "CB Invoice", merged), and its
 * lines → Billing_Invoice_Line__c (master-detail), keyed `<invoice key>:<line id>`.
 */
import type { Invoice, InvoiceLine } from '../../model/canonical.ts';
import { subDecimal, addDecimal } from '../../money.ts';
import {
  bool,
  currencyCode,
  dateOnly,
  dateTime,
  decimal,
  integer,
  key,
  money,
  picklist,
  providerValue,
  text,
} from './transforms.ts';
import { keyOf, lookup, orderingOf, requiredKey } from './keys.ts';
import type { ObjectMapping } from './types.ts';

export const billingInvoice: ObjectMapping<Invoice> = {
  name: 'invoice → Billing_Invoice__c',
  sobject: 'Billing_Invoice__c',
  externalIdField: 'External_Id__c',
  externalId: (i) => i.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: (i) => i.number || i.id, transform: text(80) },
    { field: 'Billing_Id__c', from: (i) => i.id, transform: key(100) },
    { field: 'Invoice_Number__c', from: (i) => i.number, transform: text(100) },
    { field: 'Customer_Id__c', from: (i) => i.customerId, transform: key(100) },
    { field: 'Subscription_Id__c', from: (i) => i.subscriptionId, transform: key(100) },
    { field: 'Status__c', from: (i) => i.status, transform: providerValue },
    {
      field: 'Collection_Method__c',
      from: (i) => i.collectionMethod,
      transform: picklist(['automatic', 'remittance', 'prepaid', 'invoice']),
    },
    { field: 'Role__c', from: (i) => i.role, transform: providerValue },
    { field: 'Currency_Code__c', from: (i) => i.currency, transform: currencyCode },
    { field: 'Issue_Date__c', from: (i) => i.issueDate, transform: dateOnly },
    { field: 'Due_Date__c', from: (i) => i.dueDate, transform: dateOnly },
    { field: 'Paid_Date__c', from: (i) => i.paidDate, transform: dateOnly },
    { field: 'Subtotal__c', from: (i) => i.subtotal, transform: money },
    { field: 'Discount_Amount__c', from: (i) => i.discount, transform: money },
    { field: 'Tax_Amount__c', from: (i) => i.tax, transform: money },
    { field: 'Total_Amount__c', from: (i) => i.total, transform: money },
    { field: 'Credit_Amount__c', from: (i) => i.credit, transform: money },
    { field: 'Refund_Amount__c', from: (i) => i.refund, transform: money },
    { field: 'Paid_Amount__c', from: (i) => i.paid, transform: money },
    { field: 'Due_Amount__c', from: (i) => i.due, transform: money },
    { field: 'PO_Number__c', from: (i) => i.poNumber, transform: text(100) },
    {
      field: 'Price_Type__c',
      from: (i) => i.priceType,
      transform: picklist(['tax_exclusive', 'tax_inclusive']),
    },
    { field: 'Recurring__c', from: (i) => i.recurring, transform: bool },
    { field: 'VAT_Number__c', from: (i) => i.vatNumber, transform: text(50) },
    { field: 'Next_Retry_At__c', from: (i) => i.nextRetryAt, transform: dateTime },
    { field: 'Payment_Owner__c', from: (i) => i.paymentOwner, transform: key(100) },
    { field: 'Billing_Updated_At__c', from: (i) => i.updatedAt, transform: dateTime },
    { field: 'Resource_Version__c', from: (i) => i.resourceVersion, transform: integer },
  ],
  references: [
    lookup('Account__c', 'Account', (i, ctx) => requiredKey(ctx, i.customerId)),
    lookup('Subscription__c', 'Subscription__c', (i, ctx) => keyOf(ctx, i.subscriptionId)),
    lookup('Business_Entity__c', 'Business_Entity__c', (i, ctx) => keyOf(ctx, i.businessEntityId)),
    lookup('Site__c', 'Billing_Site__c', (_i, ctx) => ctx.site.key),
  ],
};

export interface LineSource {
  invoice: Invoice;
  line: InvoiceLine;
}

/**
 * The net line total: the provider's when it sends one, else amount − discount, plus tax when
 * prices exclude tax (docs/data-model.md, "Invoice line Total amount").
 */
export function lineTotalOf(invoice: Invoice, line: InvoiceLine): string {
  if (line.total !== null && line.total !== undefined) return line.total;
  const net = subDecimal(line.amount, line.discount);
  return invoice.priceType === 'tax_inclusive' ? net : addDecimal(net, line.tax);
}

export const billingInvoiceLine: ObjectMapping<LineSource> = {
  name: 'invoice.lines[] → Billing_Invoice_Line__c',
  sobject: 'Billing_Invoice_Line__c',
  externalIdField: 'External_Id__c',
  externalId: ({ invoice, line }) => `${invoice.externalId}:${line.id}`,
  fields: [
    { field: 'Name', from: ({ line }) => line.description || line.id, transform: text(80) },
    { field: 'Description__c', from: ({ line }) => line.description, transform: text(255) },
    { field: 'Billing_Id__c', from: ({ line }) => line.id, transform: key(100) },
    { field: 'Invoice_Billing_Id__c', from: ({ invoice }) => invoice.id, transform: key(100) },
    { field: 'Kind__c', from: ({ line }) => line.kind, transform: text(60) },
    { field: 'Quantity__c', from: ({ line }) => line.quantity, transform: decimal(4) },
    { field: 'Unit_Price__c', from: ({ line }) => line.unitPrice, transform: money },
    { field: 'Amount__c', from: ({ line }) => line.amount, transform: money },
    { field: 'Discount_Amount__c', from: ({ line }) => line.discount, transform: money },
    { field: 'Tax_Amount__c', from: ({ line }) => line.tax, transform: money },
    {
      field: 'Total_Amount__c',
      from: ({ invoice, line }) => lineTotalOf(invoice, line),
      transform: money,
    },
    { field: 'Start_Date__c', from: ({ line }) => line.dateFrom, transform: dateOnly },
    { field: 'End_Date__c', from: ({ line }) => line.dateTo, transform: dateOnly },
    {
      field: 'Tax_Exempt_Reason__c',
      from: ({ line }) => line.taxExemptReason,
      transform: providerValue,
    },
    {
      field: 'Currency_Code__c',
      from: ({ invoice }) => invoice.currency,
      transform: currencyCode,
    },
  ],
  references: [
    lookup('Invoice__c', 'Billing_Invoice__c', ({ invoice }) => invoice.externalId, {
      required: true,
    }),
    lookup('Product__c', 'Product2', ({ line }, ctx) =>
      keyOf(ctx, line.productId ?? line.componentId),
    ),
    lookup('Item_Price__c', 'Item_Price__c', ({ line }, ctx) => keyOf(ctx, line.pricePointId)),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
  insertOnly: ['Invoice__r'],
};

/**
 * subscription → Subscription__c (Maxio "Subscription" and Chargebee "CB Subscription", merged:
 * see docs/data-model.md). Master-detail to the customer's Account; linked to the customer's
 * primary Contact, the plan's Product2 and Item Price, and the Opportunity that created it.
 */
import { SUBSCRIPTION_STATUSES, type Address, type Subscription } from '../../model/canonical.ts';
import {
  bool,
  currencyCode,
  dateTime,
  decimal,
  email,
  integer,
  key,
  money,
  phone,
  picklist,
  providerValue,
  salesforceId,
  text,
} from './transforms.ts';
import { keyOf, lookup, orderingOf, primaryContactKey, requiredKey } from './keys.ts';
import type { FieldMapping, ObjectMapping } from './types.ts';

export { SUBSCRIPTION_STATUSES };

function shipping(
  field: string,
  pick: (address: Address) => string | null | undefined,
  transform: FieldMapping<Subscription>['transform'],
): FieldMapping<Subscription> {
  return {
    field,
    from: (s) => (s.shippingAddress ? pick(s.shippingAddress) : null),
    transform,
  };
}

export const subscription: ObjectMapping<Subscription> = {
  name: 'subscription → Subscription__c',
  sobject: 'Subscription__c',
  externalIdField: 'External_Id__c',
  externalId: (s) => s.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: (s) => s.id, transform: text(80) },
    { field: 'Billing_Id__c', from: (s) => s.id, transform: key(100) },
    { field: 'Customer_Id__c', from: (s) => s.customerId, transform: key(100) },
    { field: 'Status__c', from: (s) => s.providerStatus, transform: providerValue },
    {
      field: 'Normalized_Status__c',
      from: (s) => s.status,
      transform: picklist(SUBSCRIPTION_STATUSES),
    },
    { field: 'Currency_Code__c', from: (s) => s.currency, transform: currencyCode },
    { field: 'Plan_Price_Point_Id__c', from: (s) => s.pricePointId, transform: key(100) },
    { field: 'Plan_Quantity__c', from: (s) => s.planQuantity, transform: decimal(4) },
    { field: 'Plan_Unit_Price__c', from: (s) => s.planUnitPrice, transform: money },
    { field: 'Plan_Amount__c', from: (s) => s.planAmount, transform: money },
    { field: 'Product_Price__c', from: (s) => s.productPrice, transform: money },
    // Maxio balance_in_cents and Chargebee total_dues: "what the customer owes now".
    { field: 'Balance__c', from: (s) => s.balance ?? s.totalDues, transform: money },
    { field: 'Current_Billing_Amount__c', from: (s) => s.currentBillingAmount, transform: money },
    { field: 'Total_Revenue__c', from: (s) => s.totalRevenue, transform: money },
    { field: 'MRR__c', from: (s) => s.mrr, transform: money },
    { field: 'Next_Billing_Amount__c', from: (s) => s.nextBillingAmount, transform: money },
    { field: 'Next_Billing_At__c', from: (s) => s.nextBillingAt, transform: dateTime },
    { field: 'Activated_At__c', from: (s) => s.activatedAt, transform: dateTime },
    { field: 'Started_At__c', from: (s) => s.startedAt, transform: dateTime },
    { field: 'Cancelled_At__c', from: (s) => s.cancelledAt, transform: dateTime },
    { field: 'Trial_Start__c', from: (s) => s.trialStart, transform: dateTime },
    { field: 'Trial_End__c', from: (s) => s.trialEnd, transform: dateTime },
    { field: 'Current_Term_Start__c', from: (s) => s.currentTermStart, transform: dateTime },
    { field: 'Current_Term_End__c', from: (s) => s.currentTermEnd, transform: dateTime },
    { field: 'Due_Invoices_Count__c', from: (s) => s.dueInvoicesCount, transform: integer },
    { field: 'Due_Since__c', from: (s) => s.dueSince, transform: dateTime },
    {
      field: 'Remaining_Billing_Cycles__c',
      from: (s) => s.remainingBillingCycles,
      transform: integer,
    },
    { field: 'PO_Number__c', from: (s) => s.poNumber, transform: text(100) },
    { field: 'Cancel_Reason__c', from: (s) => s.cancelReason, transform: providerValue },
    { field: 'Cancel_Reason_Code__c', from: (s) => s.cancelReasonCode, transform: text(255) },
    { field: 'Contract_Term_Id__c', from: (s) => s.contractTerm?.id, transform: key(100) },
    {
      field: 'Action_At_Term_End__c',
      from: (s) => s.contractTerm?.actionAtTermEnd,
      transform: picklist(['renew', 'evergreen', 'cancel', 'renew_once']),
    },
    shipping('Shipping_First_Name__c', (a) => a.firstName, text(150)),
    shipping('Shipping_Last_Name__c', (a) => a.lastName, text(150)),
    shipping('Shipping_Company__c', (a) => a.company, text(250)),
    shipping('Shipping_Email__c', (a) => a.email, email),
    shipping('Shipping_Phone__c', (a) => a.phone, phone),
    shipping('Shipping_Line1__c', (a) => a.line1, text(180)),
    shipping('Shipping_Line2__c', (a) => a.line2, text(150)),
    shipping('Shipping_Line3__c', (a) => a.line3, text(150)),
    shipping('Shipping_City__c', (a) => a.city, text(50)),
    shipping('Shipping_State__c', (a) => a.state, text(50)),
    shipping('Shipping_Zip__c', (a) => a.zip, text(20)),
    shipping('Shipping_Country__c', (a) => a.country, text(50)),
    // The Opportunity id travels through the billing platform (Maxio metafield, Chargebee
    // meta_data) when this package created the subscription; never clear a link made in the org.
    {
      field: 'Opportunity__c',
      from: (s) => s.opportunityId,
      transform: salesforceId,
      omitIfNull: true,
    },
    {
      field: 'Created_From_Salesforce__c',
      from: (s) => (s.opportunityId ? true : null),
      transform: bool,
      omitIfNull: true,
    },
    { field: 'Billing_Created_At__c', from: (s) => s.createdAt, transform: dateTime },
    { field: 'Billing_Updated_At__c', from: (s) => s.updatedAt, transform: dateTime },
    { field: 'Resource_Version__c', from: (s) => s.resourceVersion, transform: integer },
  ],
  references: [
    lookup('Account__c', 'Account', (s, ctx) => requiredKey(ctx, s.customerId), { required: true }),
    lookup('Contact__c', 'Contact', (s, ctx) => primaryContactKey(ctx, s.customerId)),
    lookup('Product__c', 'Product2', (s, ctx) => keyOf(ctx, s.productId)),
    lookup('Price_Point__c', 'Item_Price__c', (s, ctx) => keyOf(ctx, s.pricePointId)),
    lookup('Business_Entity__c', 'Business_Entity__c', (s, ctx) => keyOf(ctx, s.businessEntityId)),
    lookup('Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
};

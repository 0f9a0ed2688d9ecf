/**
 * customer → Account (both seeds' Account tables). Keyed `Billing_External_Id__c =
 * <site key>:<customer id>`; the billing hierarchy becomes the Account hierarchy (`Parent`).
 * Maxio's customer address fills the Shipping fields (Maxio seed), the billing address the
 * Billing fields (Chargebee seed: line1 + line2 + line3 joined by commas).
 */
import type { Address, Customer } from '../../model/canonical.ts';
import {
  bool,
  dateTime,
  email,
  integer,
  key,
  phone,
  picklist,
  providerValue,
  text,
} from './transforms.ts';
import { keyOf, lookup, orderingOf, primaryContactKey } from './keys.ts';
import type { FieldMapping, ObjectMapping } from './types.ts';

/** The Account's name: company, else the person, else the e-mail, else the id. */
export function accountName(customer: Customer): string {
  const person = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
  return customer.company || person || customer.email || customer.id;
}

export function streetOf(address: Address | null | undefined): string | null {
  if (!address) return null;
  const street = [address.line1, address.line2, address.line3]
    .map((line) => line?.trim())
    .filter(Boolean)
    .join(', ');
  return street || null;
}

/** Standard address fields of one kind (`Billing`/`Shipping`) from one canonical address. */
function addressFields(
  prefix: 'Billing' | 'Shipping',
  pick: (customer: Customer) => Address | null | undefined,
): FieldMapping<Customer>[] {
  return [
    { field: `${prefix}Street`, from: (c) => streetOf(pick(c)), transform: text(255) },
    { field: `${prefix}City`, from: (c) => pick(c)?.city, transform: text(40) },
    { field: `${prefix}State`, from: (c) => pick(c)?.state, transform: text(80) },
    { field: `${prefix}PostalCode`, from: (c) => pick(c)?.zip, transform: text(20) },
    { field: `${prefix}Country`, from: (c) => pick(c)?.country, transform: text(80) },
  ];
}

export const account: ObjectMapping<Customer> = {
  name: 'customer → Account',
  sobject: 'Account',
  externalIdField: 'Billing_External_Id__c',
  externalId: (c) => c.externalId,
  ordering: orderingOf,
  fields: [
    { field: 'Name', from: accountName, transform: text(255) },
    { field: 'Phone', from: (c) => c.phone, transform: phone },
    ...addressFields('Billing', (c) => c.billingAddress),
    ...addressFields('Shipping', (c) => c.shippingAddress),
    { field: 'Billing_Customer_Id__c', from: (c) => c.id, transform: key(100) },
    { field: 'Billing_Parent_Customer_Id__c', from: (c) => c.parentId, transform: key(100) },
    { field: 'Billing_Reference_Id__c', from: (c) => c.reference, transform: text(255) },
    { field: 'Billing_CC_Emails__c', from: (c) => c.ccEmails, transform: text(4000) },
    { field: 'Billing_Email__c', from: (c) => c.email, transform: email },
    { field: 'Billing_First_Name__c', from: (c) => c.firstName, transform: text(150) },
    { field: 'Billing_Last_Name__c', from: (c) => c.lastName, transform: text(150) },
    { field: 'Billing_Created_At__c', from: (c) => c.createdAt, transform: dateTime },
    { field: 'Billing_Updated_At__c', from: (c) => c.updatedAt, transform: dateTime },
    { field: 'Billing_Resource_Version__c', from: (c) => c.resourceVersion, transform: integer },
    { field: 'Billing_Tax_Exempt__c', from: (c) => c.taxExempt, transform: bool },
    {
      field: 'Billing_Taxability__c',
      from: (c) => c.taxability,
      transform: picklist(['taxable', 'exempt']),
    },
    { field: 'Billing_VAT_Number__c', from: (c) => c.vatNumber, transform: text(50) },
    {
      field: 'Billing_Auto_Collection__c',
      from: (c) => c.autoCollection,
      transform: picklist(['on', 'off']),
    },
    { field: 'Billing_Locale__c', from: (c) => c.locale, transform: text(50) },
    { field: 'Billing_Net_Term_Days__c', from: (c) => c.netTermDays, transform: integer },
    {
      field: 'Billing_Payment_Method_Status__c',
      from: (c) => c.paymentMethod?.status,
      transform: providerValue,
    },
    {
      field: 'Billing_Payment_Method_Type__c',
      from: (c) => c.paymentMethod?.type,
      transform: providerValue,
    },
    { field: 'Billing_Is_Synced__c', from: () => true, transform: bool },
  ],
  references: [
    lookup('ParentId', 'Account', (c, ctx) => keyOf(ctx, c.parentId), { relationship: 'Parent' }),
    lookup('Billing_Site__c', 'Billing_Site__c', (_c, ctx) => ctx.site.key),
    lookup('Billing_Business_Entity__c', 'Business_Entity__c', (c, ctx) =>
      keyOf(ctx, c.businessEntityId),
    ),
  ],
};

/** Back-link: the Account's billing contact, once the Contact exists. */
export const accountBillingContactLink: ObjectMapping<Customer> = {
  name: 'customer → Account.Billing_Contact__c (back-link)',
  sobject: 'Account',
  externalIdField: 'Billing_External_Id__c',
  externalId: (c) => c.externalId,
  fields: [],
  references: [lookup('Billing_Contact__c', 'Contact', (c, ctx) => primaryContactKey(ctx, c.id))],
  link: true,
};

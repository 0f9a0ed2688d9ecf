/**
 * customer → Contact (Chargebee seed: Email, Name, Phone, "Sync with Chargebee"). The customer's
 * own person is the primary Contact, keyed like its Account and marked as the one to sync;
 * further contact persons (Chargebee `contacts[]`) get `<customer key>:contact:<id>`.
 * Salesforce requires a last name: missing, it falls back to the first name, e-mail, company, id.
 */
import type { ContactPerson, Customer } from '../../model/canonical.ts';
import { bool, email, key, phone, text } from './transforms.ts';
import { contactKey, lookup, orderingOf, primaryContactKey, requiredKey } from './keys.ts';
import type { ObjectMapping } from './types.ts';

interface Person {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
}

export function lastNameOf(person: Person, fallback: string): string {
  return person.lastName || person.firstName || person.email || fallback;
}

/** The first name, unless it already had to stand in for the last name. */
export function firstNameOf(person: Person): string | null {
  return person.lastName ? (person.firstName ?? null) : null;
}

export const primaryContact: ObjectMapping<Customer> = {
  name: 'customer → Contact (primary)',
  sobject: 'Contact',
  externalIdField: 'Billing_External_Id__c',
  externalId: (c, ctx) => primaryContactKey(ctx, c.id),
  ordering: orderingOf,
  fields: [
    { field: 'FirstName', from: firstNameOf, transform: text(40) },
    { field: 'LastName', from: (c) => lastNameOf(c, c.company || c.id), transform: text(80) },
    { field: 'Email', from: (c) => c.email, transform: email },
    { field: 'Phone', from: (c) => c.phone, transform: phone },
    { field: 'Billing_Customer_Id__c', from: (c) => c.id, transform: key(100) },
    { field: 'Billing_Sync_Contact__c', from: () => true, transform: bool },
  ],
  references: [
    lookup('AccountId', 'Account', (c, ctx) => requiredKey(ctx, c.id)),
    lookup('Billing_Site__c', 'Billing_Site__c', (_c, ctx) => ctx.site.key),
  ],
};

export interface CustomerContact {
  customer: Customer;
  person: ContactPerson;
}

export const additionalContact: ObjectMapping<CustomerContact> = {
  name: 'customer.contacts[] → Contact',
  sobject: 'Contact',
  externalIdField: 'Billing_External_Id__c',
  externalId: ({ customer, person }, ctx) => contactKey(ctx, customer.id, person.id),
  fields: [
    { field: 'FirstName', from: ({ person }) => firstNameOf(person), transform: text(40) },
    {
      field: 'LastName',
      from: ({ person }) => lastNameOf(person, person.label || person.id),
      transform: text(80),
    },
    { field: 'Email', from: ({ person }) => person.email, transform: email },
    { field: 'Phone', from: ({ person }) => person.phone, transform: phone },
    { field: 'Title', from: ({ person }) => person.label, transform: text(128) },
    { field: 'Billing_Customer_Id__c', from: ({ customer }) => customer.id, transform: key(100) },
    { field: 'Billing_Sync_Contact__c', from: () => false, transform: bool },
  ],
  references: [
    lookup('AccountId', 'Account', ({ customer }, ctx) => requiredKey(ctx, customer.id)),
    lookup('Billing_Site__c', 'Billing_Site__c', (_s, ctx) => ctx.site.key),
  ],
};

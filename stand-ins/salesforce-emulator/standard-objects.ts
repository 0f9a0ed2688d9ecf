/**
 * The standard objects the package extends (and User), with the standard fields that matter for
 * sync, typed, sized and flagged as a real org's describe reports them. Nothing offline
 * describes standard objects, so this table is ours; a test checks it covers every standard
 * field scripts/lib/standard-fields.ts lets the package metadata reference.
 */
import { field } from './schema-types.ts';
import type { FieldDef } from './schema-types.ts';

export interface StandardObjectSpec {
  label: string;
  labelPlural: string;
  keyPrefix: string;
  /** Has an OwnerId (Product2, Pricebook2 and the junction-like objects do not). */
  owned: boolean;
  fields: FieldDef[];
}

const str = (name: string, length: number, extra: Partial<FieldDef> = {}) =>
  field(name, 'string', { length, ...extra });
const ref = (
  name: string,
  to: string,
  relationshipName: string,
  childRelationshipName: string | undefined,
  extra: Partial<FieldDef> = {},
) =>
  field(name, 'reference', {
    length: 18,
    referenceTo: [to],
    relationshipName,
    ...(childRelationshipName ? { childRelationshipName } : {}),
    ...extra,
  });
const money = (name: string, extra: Partial<FieldDef> = {}) =>
  field(name, 'currency', { precision: 18, scale: 2, ...extra });
const bool = (name: string, extra: Partial<FieldDef> = {}) =>
  field(name, 'boolean', {
    nillable: false,
    defaultedOnCreate: true,
    defaultValue: false,
    ...extra,
  });
const picklist = (name: string, values: string[], extra: Partial<FieldDef> = {}) =>
  field(name, 'picklist', { length: 255, picklistValues: values, ...extra });
const readOnly = { createable: false, updateable: false, nillable: true } as const;
const required = { nillable: false, required: true } as const;
const insertOnly = { updateable: false } as const;

function address(prefix: string): FieldDef[] {
  return [
    field(`${prefix}Street`, 'textarea', { length: 255 }),
    str(`${prefix}City`, 40),
    str(`${prefix}State`, 80),
    str(`${prefix}PostalCode`, 20),
    str(`${prefix}Country`, 80),
  ];
}

export const OPPORTUNITY_STAGES: { value: string; closed: boolean; won: boolean }[] = [
  { value: 'Prospecting', closed: false, won: false },
  { value: 'Qualification', closed: false, won: false },
  { value: 'Needs Analysis', closed: false, won: false },
  { value: 'Value Proposition', closed: false, won: false },
  { value: 'Id. Decision Makers', closed: false, won: false },
  { value: 'Perception Analysis', closed: false, won: false },
  { value: 'Proposal/Price Quote', closed: false, won: false },
  { value: 'Negotiation/Review', closed: false, won: false },
  { value: 'Closed Won', closed: true, won: true },
  { value: 'Closed Lost', closed: true, won: false },
];

export const STANDARD_OBJECTS: Record<string, StandardObjectSpec> = {
  Account: {
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    owned: true,
    fields: [
      str('Name', 255, { ...required, idLookup: true }),
      str('AccountNumber', 40),
      field('Phone', 'phone', { length: 40 }),
      ref('ParentId', 'Account', 'Parent', 'ChildAccounts'),
      picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      picklist('Industry', ['Technology', 'Finance', 'Retail', 'Other']),
      field('Description', 'textarea', { length: 32000 }),
      field('Website', 'url', { length: 255 }),
      ...address('Billing'),
      ...address('Shipping'),
    ],
  },
  Contact: {
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    owned: true,
    fields: [
      str('FirstName', 40),
      str('LastName', 80, required),
      str('Name', 121, { ...readOnly, idLookup: true }),
      field('Email', 'email', { length: 80, idLookup: true }),
      field('Phone', 'phone', { length: 40 }),
      str('Title', 128),
      ref('AccountId', 'Account', 'Account', 'Contacts'),
      ...address('Mailing'),
    ],
  },
  Product2: {
    label: 'Product',
    labelPlural: 'Products',
    keyPrefix: '01t',
    owned: false,
    fields: [
      str('Name', 255, { ...required, idLookup: true }),
      str('ProductCode', 255),
      field('Description', 'textarea', { length: 4000 }),
      picklist('Family', ['None']),
      bool('IsActive'),
      picklist('QuantityUnitOfMeasure', ['Each']),
    ],
  },
  Pricebook2: {
    label: 'Price Book',
    labelPlural: 'Price Books',
    keyPrefix: '01s',
    owned: false,
    fields: [
      str('Name', 255, { ...required, idLookup: true }),
      str('Description', 255),
      bool('IsActive'),
      bool('IsStandard', { createable: false, updateable: false }),
    ],
  },
  PricebookEntry: {
    label: 'Price Book Entry',
    labelPlural: 'Price Book Entries',
    keyPrefix: '01u',
    owned: false,
    fields: [
      str('Name', 255, readOnly),
      ref('Pricebook2Id', 'Pricebook2', 'Pricebook2', 'PricebookEntries', {
        ...required,
        ...insertOnly,
      }),
      ref('Product2Id', 'Product2', 'Product2', 'PricebookEntries', {
        ...required,
        ...insertOnly,
      }),
      money('UnitPrice', required),
      bool('IsActive'),
      bool('UseStandardPrice'),
      str('ProductCode', 255, readOnly),
    ],
  },
  Opportunity: {
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    owned: true,
    fields: [
      str('Name', 120, required),
      ref('AccountId', 'Account', 'Account', 'Opportunities'),
      picklist(
        'StageName',
        OPPORTUNITY_STAGES.map((s) => s.value),
        { ...required, restrictedPicklist: true },
      ),
      field('CloseDate', 'date', required),
      money('Amount'),
      ref('Pricebook2Id', 'Pricebook2', 'Pricebook2', 'Opportunities'),
      field('Probability', 'percent', { precision: 3, scale: 0 }),
      picklist('Type', ['New Business', 'Existing Business']),
      bool('IsWon', { createable: false, updateable: false }),
      bool('IsClosed', { createable: false, updateable: false }),
    ],
  },
  OpportunityLineItem: {
    label: 'Opportunity Product',
    labelPlural: 'Opportunity Product',
    keyPrefix: '00k',
    owned: false,
    fields: [
      str('Name', 376, readOnly),
      ref('OpportunityId', 'Opportunity', 'Opportunity', 'OpportunityLineItems', {
        ...required,
        ...insertOnly,
        cascadeDelete: true,
        masterDetail: true,
      }),
      ref('PricebookEntryId', 'PricebookEntry', 'PricebookEntry', 'OpportunityLineItems', {
        ...insertOnly,
      }),
      ref('Product2Id', 'Product2', 'Product2', undefined, insertOnly),
      field('Quantity', 'double', { precision: 12, scale: 2, ...required }),
      money('UnitPrice'),
      money('ListPrice', readOnly),
      money('TotalPrice'),
      money('Subtotal', readOnly),
      field('Discount', 'percent', { precision: 18, scale: 2 }),
      str('Description', 255),
      field('ServiceDate', 'date'),
    ],
  },
  User: {
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    owned: false,
    fields: [
      str('Username', 80, { ...required, idLookup: true }),
      field('Email', 'email', { length: 128, ...required }),
      str('FirstName', 40),
      str('LastName', 80, required),
      str('Name', 121, readOnly),
      bool('IsActive'),
    ],
  },
};

/**
 * Standard fields of the standard objects the package uses. Nothing offline describes standard
 * objects, so this list is ours: every metadata reference to a non-custom field must be in it.
 */
const AUDIT = [
  'Id',
  'Name',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'SystemModstamp',
];
const ADDRESS = (prefix: string): string[] =>
  ['Street', 'City', 'State', 'PostalCode', 'Country', 'Address'].map((p) => `${prefix}${p}`);

export const STANDARD_FIELDS: Record<string, string[]> = {
  Account: [
    ...AUDIT,
    'OwnerId',
    'Phone',
    'ParentId',
    'Type',
    'Industry',
    'Description',
    'Website',
    'AccountNumber',
    ...ADDRESS('Billing'),
    ...ADDRESS('Shipping'),
  ],
  Contact: [
    ...AUDIT,
    'OwnerId',
    'FirstName',
    'LastName',
    'Email',
    'Phone',
    'AccountId',
    'Title',
    ...ADDRESS('Mailing'),
  ],
  Lead: [...AUDIT, 'OwnerId', 'FirstName', 'LastName', 'Company', 'Email', 'Phone', 'Status'],
  Product2: [...AUDIT, 'ProductCode', 'Description', 'Family', 'IsActive', 'QuantityUnitOfMeasure'],
  Pricebook2: [...AUDIT, 'IsActive', 'IsStandard', 'Description'],
  PricebookEntry: [
    ...AUDIT,
    'Pricebook2Id',
    'Product2Id',
    'UnitPrice',
    'IsActive',
    'UseStandardPrice',
    'ProductCode',
  ],
  Opportunity: [
    ...AUDIT,
    'OwnerId',
    'AccountId',
    'StageName',
    'CloseDate',
    'Amount',
    'Pricebook2Id',
    'Probability',
    'Type',
    'IsWon',
    'IsClosed',
  ],
  OpportunityLineItem: [
    ...AUDIT,
    'OpportunityId',
    'PricebookEntryId',
    'Product2Id',
    'Quantity',
    'UnitPrice',
    'ListPrice',
    'TotalPrice',
    'Subtotal',
    'Discount',
    'Description',
    'ServiceDate',
  ],
  User: [...AUDIT, 'Username', 'Email', 'IsActive'],
  // Read access lets users run callouts through a per-org External Credential principal.
  UserExternalCredential: [...AUDIT],
};

/** Fields every custom object has without a field file. */
export const CUSTOM_OBJECT_SYSTEM_FIELDS = new Set([...AUDIT, 'OwnerId', 'IsDeleted']);

export function isStandardField(object: string, field: string): boolean {
  if (object.endsWith('__c')) return CUSTOM_OBJECT_SYSTEM_FIELDS.has(field);
  return STANDARD_FIELDS[object]?.includes(field) ?? false;
}

export function isStandardObject(object: string): boolean {
  return object in STANDARD_FIELDS;
}

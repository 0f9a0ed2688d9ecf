/**
 * The emulator's schema, built at start from the package's force-app metadata: every custom
 * object and field (type, length, precision and scale, required, external id / unique, restricted
 * picklist values, lookup targets and relationship names), the Billing_ fields the package adds
 * to standard objects, and the standard fields of those objects as a real org describes them.
 * Describe answers, type checks and SOQL relationship paths all read this one model.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface FieldSchema {
  name: string;
  label: string;
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: { value: string; label: string; active: boolean; defaultValue: boolean }[];
  restrictedPicklist?: boolean;
  externalId?: boolean;
  unique?: boolean;
  idLookup?: boolean;
  createable: boolean;
  updateable: boolean;
  calculated?: boolean;
  nillable: boolean;
  defaultedOnCreate?: boolean;
  /** Checkbox default, picklist default: applied on insert when the field is absent. */
  defaultValue?: string | boolean | null;
  autoNumber?: string;
}

export interface ValidationRuleSchema {
  name: string;
  active: boolean;
  message: string;
  displayField?: string;
}

export interface ObjectSchema {
  name: string;
  label: string;
  labelPlural: string;
  custom: boolean;
  keyPrefix: string;
  fields: Map<string, FieldSchema>;
  /** Lower-cased field name → field. */
  byLowerName: Map<string, FieldSchema>;
  /** Relationship name (lower-cased) → the reference field. */
  relationships: Map<string, FieldSchema>;
  validationRules: ValidationRuleSchema[];
  childRelationships: { childSObject: string; field: string; relationshipName: string | null }[];
}

export type Schema = Map<string, ObjectSchema>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'value' || name === 'referenceTo',
});

interface FieldXml {
  fullName: string;
  label?: string;
  type: string;
  length?: string;
  precision?: string;
  scale?: string;
  referenceTo?: string[];
  relationshipName?: string;
  externalId?: string;
  unique?: string;
  required?: string;
  defaultValue?: string;
  reparentableMasterDetail?: string;
  formula?: string;
  displayFormat?: string;
  valueSet?: {
    restricted?: string;
    valueSetDefinition?: {
      value?: { fullName: string; label?: string; default?: string; isActive?: string }[];
    };
  };
}

const int = (v: string | undefined): number | undefined =>
  v === undefined ? undefined : Number(v);

/** One custom field's metadata → its schema. */
export function customFieldSchema(xml: FieldXml): FieldSchema {
  const required = xml.required === 'true';
  const base: FieldSchema = {
    name: xml.fullName,
    label: xml.label ?? xml.fullName,
    type: 'string',
    createable: true,
    updateable: true,
    nillable: !required,
    externalId: xml.externalId === 'true',
    unique: xml.unique === 'true',
    idLookup: xml.externalId === 'true' || xml.unique === 'true',
  };
  if (xml.formula !== undefined) {
    return { ...base, calculated: true, createable: false, updateable: false, nillable: true };
  }
  switch (xml.type) {
    case 'Text':
      return { ...base, type: 'string', length: int(xml.length) ?? 255 };
    case 'TextArea':
      return { ...base, type: 'textarea', length: 255 };
    case 'LongTextArea':
    case 'Html':
      return { ...base, type: 'textarea', length: int(xml.length) ?? 32768 };
    case 'Email':
      return { ...base, type: 'email', length: 80 };
    case 'Phone':
      return { ...base, type: 'phone', length: 40 };
    case 'Url':
      return { ...base, type: 'url', length: 255 };
    case 'Picklist':
    case 'MultiselectPicklist': {
      const values = (xml.valueSet?.valueSetDefinition?.value ?? []).map((v) => ({
        value: v.fullName,
        label: v.label ?? v.fullName,
        active: v.isActive !== 'false',
        defaultValue: v.default === 'true',
      }));
      const def = values.find((v) => v.defaultValue);
      return {
        ...base,
        type: xml.type === 'Picklist' ? 'picklist' : 'multipicklist',
        length: 255,
        restrictedPicklist: xml.valueSet?.restricted === 'true',
        picklistValues: values,
        ...(def ? { defaultValue: def.value, defaultedOnCreate: true } : {}),
      };
    }
    case 'Currency':
    case 'Number':
    case 'Percent':
      return {
        ...base,
        type: xml.type === 'Currency' ? 'currency' : xml.type === 'Percent' ? 'percent' : 'double',
        precision: int(xml.precision) ?? 18,
        scale: int(xml.scale) ?? 0,
      };
    case 'Checkbox':
      return {
        ...base,
        type: 'boolean',
        nillable: false,
        defaultedOnCreate: true,
        defaultValue: xml.defaultValue === 'true',
      };
    case 'Date':
      return { ...base, type: 'date' };
    case 'DateTime':
      return { ...base, type: 'datetime' };
    case 'Lookup':
    case 'MasterDetail':
      return {
        ...base,
        type: 'reference',
        referenceTo: xml.referenceTo ?? [],
        relationshipName: xml.fullName.replace(/__c$/, '__r'),
        nillable: xml.type === 'Lookup' && !required,
        updateable: xml.type === 'Lookup' || xml.reparentableMasterDetail === 'true',
      };
    case 'AutoNumber':
      return {
        ...base,
        type: 'string',
        length: 30,
        createable: false,
        updateable: false,
        nillable: false,
        defaultedOnCreate: true,
        autoNumber: xml.displayFormat ?? '{0}',
      };
    default:
      return { ...base, type: xml.type.toLowerCase() };
  }
}

function field(name: string, type: string, extra: Partial<FieldSchema> = {}): FieldSchema {
  return {
    name,
    label: name.replace(/Id$/, '').replace(/([a-z])([A-Z])/g, '$1 $2'),
    type,
    createable: true,
    updateable: true,
    nillable: true,
    ...extra,
  };
}
const str = (name: string, length: number, extra: Partial<FieldSchema> = {}) =>
  field(name, 'string', { length, ...extra });
const ref = (name: string, to: string, rel: string, extra: Partial<FieldSchema> = {}) =>
  field(name, 'reference', { referenceTo: [to], relationshipName: rel, ...extra });
const readOnly: Partial<FieldSchema> = { createable: false, updateable: false };
const bool = (name: string, def: boolean, extra: Partial<FieldSchema> = {}) =>
  field(name, 'boolean', { nillable: false, defaultedOnCreate: true, defaultValue: def, ...extra });
const money = (name: string, extra: Partial<FieldSchema> = {}) =>
  field(name, 'currency', { precision: 18, scale: 2, ...extra });

function address(prefix: string): FieldSchema[] {
  return [
    field(`${prefix}Street`, 'textarea', { length: 255 }),
    str(`${prefix}City`, 40),
    str(`${prefix}State`, 80),
    str(`${prefix}PostalCode`, 20),
    str(`${prefix}Country`, 80),
  ];
}

const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
].map((value) => ({ value, label: value, active: true, defaultValue: false }));

/** The standard objects the package extends, with the standard fields a real org describes. */
const STANDARD: Record<string, { label: string; keyPrefix: string; fields: FieldSchema[] }> = {
  Account: {
    label: 'Account',
    keyPrefix: '001',
    fields: [
      str('Name', 255, { nillable: false }),
      field('Phone', 'phone', { length: 40 }),
      field('Description', 'textarea', { length: 32000 }),
      str('Website', 255),
      str('AccountNumber', 40),
      ...address('Billing'),
      ...address('Shipping'),
      ref('ParentId', 'Account', 'Parent'),
      ref('OwnerId', 'User', 'Owner', { defaultedOnCreate: true, nillable: false }),
    ],
  },
  Contact: {
    label: 'Contact',
    keyPrefix: '003',
    fields: [
      str('FirstName', 40),
      str('LastName', 80, { nillable: false }),
      str('Name', 121, readOnly),
      field('Email', 'email', { length: 80 }),
      field('Phone', 'phone', { length: 40 }),
      str('Title', 128),
      ...address('Mailing'),
      ref('AccountId', 'Account', 'Account'),
      ref('OwnerId', 'User', 'Owner', { defaultedOnCreate: true, nillable: false }),
    ],
  },
  Product2: {
    label: 'Product',
    keyPrefix: '01t',
    fields: [
      str('Name', 255, { nillable: false }),
      field('Description', 'textarea', { length: 4000 }),
      str('ProductCode', 255),
      bool('IsActive', false),
      field('Family', 'picklist', { length: 255, picklistValues: [], restrictedPicklist: false }),
      str('QuantityUnitOfMeasure', 255),
    ],
  },
  Pricebook2: {
    label: 'Price Book',
    keyPrefix: '01s',
    fields: [
      str('Name', 255, { nillable: false }),
      str('Description', 255),
      bool('IsActive', false),
      bool('IsStandard', false, readOnly),
    ],
  },
  PricebookEntry: {
    label: 'Price Book Entry',
    keyPrefix: '01u',
    fields: [
      str('Name', 255, readOnly),
      ref('Pricebook2Id', 'Pricebook2', 'Pricebook2', { updateable: false, nillable: false }),
      ref('Product2Id', 'Product2', 'Product2', { updateable: false, nillable: false }),
      money('UnitPrice', { nillable: false }),
      bool('IsActive', false),
      bool('UseStandardPrice', false),
      str('ProductCode', 255, readOnly),
    ],
  },
  Opportunity: {
    label: 'Opportunity',
    keyPrefix: '006',
    fields: [
      str('Name', 120, { nillable: false }),
      field('StageName', 'picklist', {
        length: 255,
        picklistValues: STAGES,
        restrictedPicklist: true,
        nillable: false,
      }),
      field('CloseDate', 'date', { nillable: false }),
      money('Amount'),
      ref('Pricebook2Id', 'Pricebook2', 'Pricebook2'),
      ref('AccountId', 'Account', 'Account'),
      bool('IsWon', false, readOnly),
      bool('IsClosed', false, readOnly),
      ref('OwnerId', 'User', 'Owner', { defaultedOnCreate: true, nillable: false }),
    ],
  },
  OpportunityLineItem: {
    label: 'Opportunity Product',
    keyPrefix: '00k',
    fields: [
      ref('OpportunityId', 'Opportunity', 'Opportunity', { updateable: false, nillable: false }),
      ref('PricebookEntryId', 'PricebookEntry', 'PricebookEntry', { updateable: false }),
      ref('Product2Id', 'Product2', 'Product2', { updateable: false }),
      field('Quantity', 'double', { precision: 12, scale: 2 }),
      money('UnitPrice'),
      money('ListPrice', readOnly),
      money('TotalPrice'),
      money('Subtotal', readOnly),
      field('Discount', 'percent', { precision: 18, scale: 2 }),
      field('Description', 'textarea', { length: 255 }),
      field('ServiceDate', 'date'),
    ],
  },
  User: {
    label: 'User',
    keyPrefix: '005',
    fields: [
      str('Name', 121, readOnly),
      str('Username', 80, { nillable: false }),
      field('Email', 'email', { length: 80 }),
      bool('IsActive', true),
    ],
  },
};

const AUDIT = (): FieldSchema[] => [
  field('Id', 'id', { length: 18, ...readOnly, idLookup: true, nillable: false }),
  field('CreatedDate', 'datetime', readOnly),
  ref('CreatedById', 'User', 'CreatedBy', readOnly),
  field('LastModifiedDate', 'datetime', readOnly),
  ref('LastModifiedById', 'User', 'LastModifiedBy', readOnly),
  field('SystemModstamp', 'datetime', readOnly),
  bool('IsDeleted', false, readOnly),
];

function readXml<T>(path: string, root: string): T {
  return (parser.parse(readFileSync(path, 'utf8')) as Record<string, T>)[root] as T;
}

function finish(schema: ObjectSchema): ObjectSchema {
  for (const f of schema.fields.values()) {
    schema.byLowerName.set(f.name.toLowerCase(), f);
    if (f.relationshipName) schema.relationships.set(f.relationshipName.toLowerCase(), f);
  }
  return schema;
}

/** Key prefixes for custom objects: `a00`, `a01`, … in name order, like a fresh org. */
function customPrefix(index: number): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  return `a${alphabet[Math.floor(index / 62) % 62]}${alphabet[index % 62]}`;
}

/** The schema of every object in `<forceApp>/main/default/objects` plus the standard objects. */
export function buildSchema(forceAppDir: string): Schema {
  const objectsDir = join(forceAppDir, 'main', 'default', 'objects');
  const schema: Schema = new Map();
  const names = new Set<string>([
    ...Object.keys(STANDARD),
    ...(existsSync(objectsDir) ? readdirSync(objectsDir) : []),
  ]);
  let customIndex = 0;
  for (const name of [...names].sort()) {
    const standard = STANDARD[name];
    const dir = join(objectsDir, name);
    const objectFile = join(dir, `${name}.object-meta.xml`);
    const object = existsSync(objectFile)
      ? readXml<{
          label?: string;
          pluralLabel?: string;
          nameField?: { type?: string; label?: string; displayFormat?: string };
        }>(objectFile, 'CustomObject')
      : undefined;
    const custom = name.endsWith('__c');
    const os: ObjectSchema = {
      name,
      label: object?.label ?? standard?.label ?? name,
      labelPlural: object?.pluralLabel ?? `${object?.label ?? standard?.label ?? name}s`,
      custom,
      keyPrefix: standard?.keyPrefix ?? customPrefix(customIndex++),
      fields: new Map(),
      byLowerName: new Map(),
      relationships: new Map(),
      validationRules: [],
      childRelationships: [],
    };
    for (const f of [...AUDIT(), ...(standard?.fields ?? [])]) os.fields.set(f.name, f);
    let masterDetailChild = false;
    const fieldsDir = join(dir, 'fields');
    if (existsSync(fieldsDir)) {
      for (const file of readdirSync(fieldsDir)
        .filter((f) => f.endsWith('.field-meta.xml'))
        .sort()) {
        const xml = readXml<FieldXml>(join(fieldsDir, file), 'CustomField');
        if (xml.type === 'MasterDetail') masterDetailChild = true;
        os.fields.set(xml.fullName, customFieldSchema(xml));
      }
    }
    if (custom) {
      const autoNumber = object?.nameField?.type === 'AutoNumber';
      os.fields.set(
        'Name',
        str('Name', 80, {
          label: object?.nameField?.label ?? 'Name',
          ...(autoNumber
            ? {
                ...readOnly,
                nillable: false,
                defaultedOnCreate: true,
                autoNumber: object?.nameField?.displayFormat ?? '{0}',
              }
            : { defaultedOnCreate: true }),
        }),
      );
      if (!masterDetailChild) {
        os.fields.set(
          'OwnerId',
          ref('OwnerId', 'User', 'Owner', { defaultedOnCreate: true, nillable: false }),
        );
      }
    }
    const rulesDir = join(dir, 'validationRules');
    if (existsSync(rulesDir)) {
      for (const file of readdirSync(rulesDir).filter((f) =>
        f.endsWith('.validationRule-meta.xml'),
      )) {
        const xml = readXml<{
          fullName?: string;
          active?: string;
          errorMessage?: string;
          errorDisplayField?: string;
        }>(join(rulesDir, file), 'ValidationRule');
        os.validationRules.push({
          name: xml.fullName ?? file.replace('.validationRule-meta.xml', ''),
          active: xml.active !== 'false',
          message: xml.errorMessage ?? 'Validation failed',
          ...(xml.errorDisplayField ? { displayField: xml.errorDisplayField } : {}),
        });
      }
    }
    schema.set(name, finish(os));
  }
  // Child relationships, for describe and parent-to-child subqueries.
  const childNames = new Map<string, string | null>();
  if (existsSync(objectsDir)) {
    for (const name of readdirSync(objectsDir)) {
      const fieldsDir = join(objectsDir, name, 'fields');
      if (!existsSync(fieldsDir)) continue;
      for (const file of readdirSync(fieldsDir).filter((f) => f.endsWith('.field-meta.xml'))) {
        const xml = readXml<FieldXml>(join(fieldsDir, file), 'CustomField');
        if (xml.relationshipName)
          childNames.set(`${name}.${xml.fullName}`, `${xml.relationshipName}__r`);
      }
    }
  }
  for (const os of schema.values()) {
    for (const f of os.fields.values()) {
      if (f.type !== 'reference') continue;
      for (const target of f.referenceTo ?? []) {
        schema.get(target)?.childRelationships.push({
          childSObject: os.name,
          field: f.name,
          relationshipName: childNames.get(`${os.name}.${f.name}`) ?? null,
        });
      }
    }
  }
  return schema;
}

/** The sObject describe body a real org returns (the parts jsforce and the bridge read). */
export function describeBody(os: ObjectSchema, version: string): Record<string, unknown> {
  const urls = (name: string) => ({
    sobject: `/services/data/v${version}/sobjects/${name}`,
    describe: `/services/data/v${version}/sobjects/${name}/describe`,
    rowTemplate: `/services/data/v${version}/sobjects/${name}/{ID}`,
  });
  return {
    name: os.name,
    label: os.label,
    labelPlural: os.labelPlural,
    custom: os.custom,
    keyPrefix: os.keyPrefix,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    searchable: true,
    urls: urls(os.name),
    childRelationships: os.childRelationships.map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
      cascadeDelete: false,
    })),
    recordTypeInfos: [],
    fields: [...os.fields.values()].map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      length: f.length ?? 0,
      precision: f.precision ?? 0,
      scale: f.scale ?? 0,
      digits: 0,
      byteLength: (f.length ?? 0) * 3,
      nillable: f.nillable,
      createable: f.createable,
      updateable: f.updateable,
      calculated: f.calculated ?? false,
      custom: f.name.endsWith('__c'),
      externalId: f.externalId ?? false,
      unique: f.unique ?? false,
      idLookup: f.idLookup ?? false,
      autoNumber: f.autoNumber !== undefined,
      defaultedOnCreate: f.defaultedOnCreate ?? false,
      defaultValue: f.defaultValue ?? null,
      referenceTo: f.referenceTo ?? [],
      relationshipName: f.relationshipName ?? null,
      restrictedPicklist: f.restrictedPicklist ?? false,
      picklistValues: f.picklistValues ?? [],
      soapType: soapType(f.type),
      filterable: true,
      sortable: f.type !== 'textarea' || (f.length ?? 0) <= 255,
      groupable: f.type !== 'textarea',
    })),
  };
}

function soapType(type: string): string {
  switch (type) {
    case 'id':
    case 'reference':
      return 'tns:ID';
    case 'boolean':
      return 'xsd:boolean';
    case 'currency':
    case 'double':
    case 'percent':
      return 'xsd:double';
    case 'int':
      return 'xsd:int';
    case 'date':
      return 'xsd:date';
    case 'datetime':
      return 'xsd:dateTime';
    default:
      return 'xsd:string';
  }
}

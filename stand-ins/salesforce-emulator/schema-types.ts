/** The emulator's model of an org's objects and fields (what describe reports and DML enforces). */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'url'
  | 'phone'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'reference';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Characters for text types; 0 otherwise (as describe reports). */
  length: number;
  /** Total digits and decimals for number types; 0 otherwise. */
  precision: number;
  scale: number;
  /** Integer digits for `int` fields. */
  digits: number;
  custom: boolean;
  nillable: boolean;
  /** Must be given on create (nillable false, not defaulted): REQUIRED_FIELD_MISSING otherwise. */
  required: boolean;
  createable: boolean;
  updateable: boolean;
  calculated: boolean;
  autoNumber: boolean;
  defaultedOnCreate: boolean;
  /** The value a create gets when the field is not given (checkbox defaults, Name = Id...). */
  defaultValue?: string | number | boolean | null;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
  idLookup: boolean;
  picklistValues: string[];
  restrictedPicklist: boolean;
  referenceTo: string[];
  /** Child-side relationship name (`Account__r`, `Parent`); null for non-references. */
  relationshipName: string | null;
  /** Parent-side name of the child relationship (`Subscriptions__r`). */
  childRelationshipName?: string;
  cascadeDelete: boolean;
  /** Master-detail (cascade delete, required) versus lookup. */
  masterDetail: boolean;
}

export interface ValidationRuleDef {
  object: string;
  name: string;
  active: boolean;
  errorMessage: string;
  errorDisplayField?: string;
  /** True when the emulator evaluates this rule (by name); false when it only knows of it. */
  implemented: boolean;
}

export interface ChildRelationship {
  childSObject: string;
  field: string;
  relationshipName: string | null;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  fields: Map<string, FieldDef>;
  /** Lower-case field name → field. */
  fieldsLower: Map<string, FieldDef>;
  /** Lower-case child-side relationship name → its reference field. */
  relationshipsLower: Map<string, FieldDef>;
  childRelationships: ChildRelationship[];
  validationRules: ValidationRuleDef[];
}

export interface Schema {
  objects: Map<string, ObjectDef>;
  objectsLower: Map<string, ObjectDef>;
  byKeyPrefix: Map<string, ObjectDef>;
  customPermissions: Set<string>;
  multiCurrency: boolean;
  currencies: string[];
}

export function field(name: string, type: FieldType, extra: Partial<FieldDef> = {}): FieldDef {
  return {
    name,
    label: name,
    type,
    length: 0,
    precision: 0,
    scale: 0,
    digits: 0,
    custom: name.endsWith('__c'),
    nillable: true,
    required: false,
    createable: true,
    updateable: true,
    calculated: false,
    autoNumber: false,
    defaultedOnCreate: false,
    externalId: false,
    unique: false,
    caseSensitive: false,
    idLookup: false,
    picklistValues: [],
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    cascadeDelete: false,
    masterDetail: false,
    ...extra,
  };
}

/** Look up an object by API name, case-insensitively. */
export function objectOf(schema: Schema, name: string): ObjectDef | undefined {
  return schema.objectsLower.get(name.toLowerCase());
}

export function fieldOf(object: ObjectDef, name: string): FieldDef | undefined {
  return object.fieldsLower.get(name.toLowerCase());
}

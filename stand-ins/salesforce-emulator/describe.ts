/** Describe results (global, per object, per field) in the shape the REST API returns. */
import type { FieldDef, ObjectDef, Schema } from './schema-types.ts';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

export function describeField(def: FieldDef): Record<string, unknown> {
  const text = def.length > 0 && def.type !== 'reference' && def.type !== 'id';
  return {
    aggregatable: def.type !== 'textarea',
    autoNumber: def.autoNumber,
    byteLength: def.length * 3,
    calculated: def.calculated,
    calculatedFormula: null,
    cascadeDelete: def.cascadeDelete,
    caseSensitive: def.caseSensitive,
    controllerName: null,
    createable: def.createable,
    custom: def.custom,
    defaultValue: def.type === 'boolean' ? (def.defaultValue ?? false) : null,
    defaultValueFormula: null,
    defaultedOnCreate: def.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: def.digits,
    externalId: def.externalId,
    filterable: def.type !== 'textarea' || def.length <= 255,
    groupable: !['textarea', 'double', 'currency', 'percent', 'datetime'].includes(def.type),
    htmlFormatted: false,
    idLookup: def.idLookup,
    inlineHelpText: null,
    label: def.label,
    length: text ? def.length : def.type === 'reference' || def.type === 'id' ? 18 : 0,
    name: def.name,
    nameField: def.name === 'Name',
    namePointing: false,
    nillable: def.nillable,
    permissionable: def.custom && def.nillable,
    picklistValues: def.picklistValues.map((value) => ({
      active: true,
      defaultValue: false,
      label: value,
      validFor: null,
      value,
    })),
    polymorphicForeignKey: def.referenceTo.length > 1,
    precision: def.precision,
    referenceTargetField: null,
    referenceTo: def.referenceTo,
    relationshipName: def.relationshipName,
    relationshipOrder: def.masterDetail ? 0 : null,
    restrictedDelete: false,
    restrictedPicklist: def.restrictedPicklist,
    scale: def.scale,
    soapType: SOAP_TYPES[def.type] ?? 'xsd:string',
    sortable: def.type !== 'textarea' || def.length <= 255,
    type: def.type,
    unique: def.unique,
    updateable: def.updateable,
    writeRequiresMasterRead: false,
  };
}

function urls(version: string, object: ObjectDef): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${object.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function flags(object: ObjectDef): Record<string, unknown> {
  const writable = object.name !== 'User';
  return {
    activateable: false,
    createable: writable,
    custom: object.custom,
    customSetting: false,
    deletable: writable,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isSubtype: false,
    keyPrefix: object.keyPrefix,
    label: object.label,
    labelPlural: object.labelPlural,
    layoutable: true,
    mergeable: object.name === 'Account' || object.name === 'Contact',
    mruEnabled: true,
    name: object.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: writable,
    updateable: writable,
  };
}

export function describeGlobal(schema: Schema, version: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...schema.objects.values()].map((o) => ({ ...flags(o), urls: urls(version, o) })),
  };
}

export function describeObject(
  schema: Schema,
  object: ObjectDef,
  version: string,
): Record<string, unknown> {
  return {
    ...flags(object),
    actionOverrides: [],
    childRelationships: object.childRelationships.map((rel) => ({
      cascadeDelete: rel.cascadeDelete,
      childSObject: rel.childSObject,
      deprecatedAndHidden: false,
      field: rel.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: rel.relationshipName,
      restrictedDelete: false,
    })),
    compactLayoutable: true,
    fields: [...object.fields.values()].map(describeField),
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [],
    searchLayoutable: true,
    supportedScopes: [{ label: 'All', name: 'everything' }],
    urls: urls(version, object),
    ...(schema.multiCurrency ? { currencyIsoCodes: schema.currencies } : {}),
  };
}

/** `GET sobjects/{type}`: the basic information and recent items. */
export function objectBasics(object: ObjectDef, version: string): Record<string, unknown> {
  return { objectDescribe: { ...flags(object), urls: urls(version, object) }, recentItems: [] };
}

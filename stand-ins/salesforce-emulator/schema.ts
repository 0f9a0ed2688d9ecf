/**
 * The org schema, built at start from the package's force-app metadata (custom objects, custom
 * fields on standard objects, validation rules, custom permissions) on top of the standard
 * objects in standard-objects.ts. Read with scripts/lib/sfdx-tree.ts, the same reader the
 * metadata checks use.
 */
import { basename } from 'node:path';
import { children, readTree, text } from '../../scripts/lib/sfdx-tree.ts';
import type { XmlNode } from '../../scripts/lib/sfdx-tree.ts';
import { base62 } from './ids.ts';
import { field, fieldOf } from './schema-types.ts';
import type { FieldDef, ObjectDef, Schema, ValidationRuleDef } from './schema-types.ts';
import { STANDARD_OBJECTS } from './standard-objects.ts';

export const DEFAULT_FORCE_APP = new URL('../../force-app/main/default/', import.meta.url).pathname;

export interface SchemaOptions {
  /** The SFDX source folder to read (default: this repository's force-app/main/default). */
  forceApp?: string;
  /** Adds CurrencyIsoCode (a restricted picklist of `currencies`) to every object. */
  multiCurrency?: boolean;
  /** The org's active currencies, corporate currency first (default USD, EUR, GBP). */
  currencies?: string[];
  /** `Object.RuleName` of the validation rules the emulator evaluates. */
  implementedRules?: ReadonlySet<string>;
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

/** One CustomField document → its field definition, typed as describe reports it. */
export function customFieldDef(doc: XmlNode, fallbackName: string): FieldDef {
  const name = text(doc, 'fullName') ?? fallbackName;
  const type = text(doc, 'type') ?? 'Text';
  const isRequired = text(doc, 'required') === 'true';
  const externalId = text(doc, 'externalId') === 'true';
  const base: Partial<FieldDef> = {
    label: text(doc, 'label') ?? name,
    custom: true,
    externalId,
    idLookup: externalId,
    unique: text(doc, 'unique') === 'true',
    caseSensitive: text(doc, 'caseSensitive') === 'true',
    ...(isRequired ? { nillable: false, required: true } : {}),
  };
  switch (type) {
    case 'Text':
      return field(name, 'string', { ...base, length: int(text(doc, 'length'), 255) });
    case 'TextArea':
      return field(name, 'textarea', { ...base, length: 255 });
    case 'LongTextArea':
    case 'Html':
      return field(name, 'textarea', { ...base, length: int(text(doc, 'length'), 32768) });
    case 'Email':
      return field(name, 'email', { ...base, length: 80 });
    case 'Phone':
      return field(name, 'phone', { ...base, length: 40 });
    case 'Url':
      return field(name, 'url', { ...base, length: 255 });
    case 'Picklist':
    case 'MultiselectPicklist': {
      const valueSet = children(doc, 'valueSet')[0];
      const definition = valueSet ? children(valueSet, 'valueSetDefinition')[0] : undefined;
      const values = definition
        ? children(definition, 'value')
            .filter((v) => text(v, 'isActive') !== 'false')
            .map((v) => text(v, 'fullName') ?? '')
        : [];
      return field(name, type === 'Picklist' ? 'picklist' : 'multipicklist', {
        ...base,
        length: type === 'Picklist' ? 255 : 4099,
        picklistValues: values,
        restrictedPicklist: valueSet ? text(valueSet, 'restricted') === 'true' : false,
      });
    }
    case 'Currency':
    case 'Number':
    case 'Percent':
      return field(
        name,
        type === 'Currency' ? 'currency' : type === 'Percent' ? 'percent' : 'double',
        { ...base, precision: int(text(doc, 'precision'), 18), scale: int(text(doc, 'scale'), 0) },
      );
    case 'Checkbox':
      return field(name, 'boolean', {
        ...base,
        nillable: false,
        required: false,
        defaultedOnCreate: true,
        defaultValue: text(doc, 'defaultValue') === 'true',
      });
    case 'Date':
      return field(name, 'date', base);
    case 'DateTime':
      return field(name, 'datetime', base);
    case 'Lookup':
    case 'MasterDetail': {
      const masterDetail = type === 'MasterDetail';
      const childName = text(doc, 'relationshipName');
      return field(name, 'reference', {
        ...base,
        length: 18,
        referenceTo: [text(doc, 'referenceTo') ?? ''],
        relationshipName: name.replace(/__c$/, '__r'),
        ...(childName ? { childRelationshipName: `${childName}__r` } : {}),
        masterDetail,
        cascadeDelete: masterDetail,
        ...(masterDetail
          ? {
              nillable: false,
              required: true,
              updateable: text(doc, 'reparentableMasterDetail') === 'true',
            }
          : {}),
      });
    }
    case 'AutoNumber':
      return field(name, 'string', {
        ...base,
        length: 30,
        autoNumber: true,
        createable: false,
        updateable: false,
        defaultedOnCreate: true,
      });
    default:
      throw new Error(`Salesforce emulator: unsupported field type ${type} on ${name}`);
  }
}

function auditFields(owned: boolean): FieldDef[] {
  const readOnly = { createable: false, updateable: false };
  const fields = [
    field('Id', 'id', { ...readOnly, length: 18, nillable: false, idLookup: true }),
    field('IsDeleted', 'boolean', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('CreatedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('CreatedById', 'reference', {
      ...readOnly,
      length: 18,
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
      defaultedOnCreate: true,
    }),
    field('LastModifiedDate', 'datetime', { ...readOnly, defaultedOnCreate: true }),
    field('LastModifiedById', 'reference', {
      ...readOnly,
      length: 18,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
      defaultedOnCreate: true,
    }),
    field('SystemModstamp', 'datetime', { ...readOnly, defaultedOnCreate: true }),
  ];
  if (owned) {
    fields.push(
      field('OwnerId', 'reference', {
        length: 18,
        referenceTo: ['User'],
        relationshipName: 'Owner',
        defaultedOnCreate: true,
        nillable: false,
      }),
    );
  }
  return fields;
}

function newObject(
  name: string,
  label: string,
  labelPlural: string,
  keyPrefix: string,
  custom: boolean,
): ObjectDef {
  return {
    name,
    label,
    labelPlural,
    keyPrefix,
    custom,
    fields: new Map(),
    fieldsLower: new Map(),
    relationshipsLower: new Map(),
    childRelationships: [],
    validationRules: [],
  };
}

function addField(object: ObjectDef, def: FieldDef): void {
  object.fields.set(def.name, def);
  object.fieldsLower.set(def.name.toLowerCase(), def);
  if (def.relationshipName) object.relationshipsLower.set(def.relationshipName.toLowerCase(), def);
}

export function buildSchema(options: SchemaOptions = {}): Schema {
  const root = options.forceApp ?? DEFAULT_FORCE_APP;
  const tree = readTree(root);
  const objects = new Map<string, ObjectDef>();
  const currencies = options.currencies ?? ['USD', 'EUR', 'GBP'];

  for (const [name, spec] of Object.entries(STANDARD_OBJECTS)) {
    const object = newObject(name, spec.label, spec.labelPlural, spec.keyPrefix, false);
    for (const def of auditFields(spec.owned)) addField(object, def);
    for (const def of spec.fields) addField(object, { ...def });
    objects.set(name, object);
  }

  // Custom objects get key prefixes a0A, a0B, ... in name order, stable across starts.
  const customNames = [...tree.objects.values()]
    .filter((o) => o.custom && o.file)
    .map((o) => o.name)
    .sort();
  customNames.forEach((name, index) => {
    const info = tree.objects.get(name);
    const objectFile = tree.files.find((f) => f.rel === info?.file);
    const doc = objectFile?.doc ?? {};
    const masterDetailChild = [...(info?.fields.values() ?? [])].some(
      (f) => f.type === 'MasterDetail',
    );
    const object = newObject(
      name,
      text(doc, 'label') ?? name,
      text(doc, 'pluralLabel') ?? name,
      `a0${base62(index + 10, 1)}`,
      true,
    );
    for (const def of auditFields(!masterDetailChild)) addField(object, def);
    const nameField = children(doc, 'nameField')[0];
    const autoNumber = nameField ? text(nameField, 'type') === 'AutoNumber' : false;
    addField(
      object,
      autoNumber
        ? field('Name', 'string', {
            label: text(nameField ?? {}, 'label') ?? 'Name',
            length: 30,
            autoNumber: true,
            createable: false,
            updateable: false,
            defaultedOnCreate: true,
            nillable: false,
            idLookup: true,
            custom: false,
          })
        : field('Name', 'string', {
            label: text(nameField ?? {}, 'label') ?? 'Name',
            length: 80,
            // Salesforce names a record by its Id when an API insert leaves Name out.
            defaultedOnCreate: true,
            idLookup: true,
            custom: false,
          }),
    );
    objects.set(name, object);
  });

  for (const file of tree.files) {
    const parts = file.rel.split(/[\\/]/);
    const at = parts.indexOf('objects');
    if (at < 0) continue;
    const object = objects.get(parts[at + 1] ?? '');
    if (!object) continue;
    if (file.root === 'CustomField') {
      const fallback = basename(file.path).replace('.field-meta.xml', '');
      addField(object, customFieldDef(file.doc, fallback));
    } else if (file.root === 'ValidationRule') {
      const name = text(file.doc, 'fullName') ?? basename(file.path).split('.')[0] ?? '';
      const rule: ValidationRuleDef = {
        object: object.name,
        name,
        active: text(file.doc, 'active') !== 'false',
        errorMessage: text(file.doc, 'errorMessage') ?? name,
        implemented: options.implementedRules?.has(`${object.name}.${name}`) ?? false,
      };
      const display = text(file.doc, 'errorDisplayField');
      if (display) rule.errorDisplayField = display;
      object.validationRules.push(rule);
    }
  }

  if (options.multiCurrency) {
    for (const object of objects.values()) {
      const insertOnly = object.name === 'PricebookEntry' || object.name === 'OpportunityLineItem';
      addField(
        object,
        field('CurrencyIsoCode', 'picklist', {
          label: 'Currency ISO Code',
          length: 3,
          custom: false,
          picklistValues: [...currencies],
          restrictedPicklist: true,
          defaultedOnCreate: true,
          defaultValue: currencies[0] ?? 'USD',
          updateable: !insertOnly,
        }),
      );
    }
  }

  for (const object of objects.values()) {
    for (const def of object.fields.values()) {
      if (def.type !== 'reference') continue;
      for (const target of def.referenceTo) {
        const parent = objects.get(target);
        if (!parent) {
          throw new Error(
            `Salesforce emulator: ${object.name}.${def.name} points at ${target}, which the emulator does not model`,
          );
        }
        if (def.name === 'CreatedById' || def.name === 'LastModifiedById' || def.name === 'OwnerId')
          continue;
        parent.childRelationships.push({
          childSObject: object.name,
          field: def.name,
          relationshipName: def.childRelationshipName ?? null,
          cascadeDelete: def.cascadeDelete,
        });
      }
    }
  }

  const objectsLower = new Map<string, ObjectDef>();
  const byKeyPrefix = new Map<string, ObjectDef>();
  for (const object of objects.values()) {
    objectsLower.set(object.name.toLowerCase(), object);
    byKeyPrefix.set(object.keyPrefix, object);
  }
  return {
    objects,
    objectsLower,
    byKeyPrefix,
    customPermissions: tree.customPermissions,
    multiCurrency: options.multiCurrency === true,
    currencies,
  };
}

/** The child relationship of `parent` named `relationshipName` (case-insensitive). */
export function childRelationshipOf(
  schema: Schema,
  parent: ObjectDef,
  relationshipName: string,
): { child: ObjectDef; field: FieldDef } | undefined {
  const lower = relationshipName.toLowerCase();
  for (const rel of parent.childRelationships) {
    if (rel.relationshipName?.toLowerCase() !== lower) continue;
    const child = schema.objects.get(rel.childSObject);
    const def = child ? fieldOf(child, rel.field) : undefined;
    if (child && def) return { child, field: def };
  }
  return undefined;
}

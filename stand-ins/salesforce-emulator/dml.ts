/**
 * Record writes with Salesforce's enforcement: field names and types, lengths, numeric ranges,
 * restricted picklists, required fields, unique fields, lookups by id or by external id,
 * create/update permissions of fields, the package's validation rules (rules.ts), price book
 * entry rules, derived standard fields, and cascade deletes. REST, sObject Collections and Bulk
 * 2.0 all write through here, so they enforce the same things.
 *
 * Everything here is synchronous: a request's writes never interleave with another's, and
 * `store.transaction` can roll an all-or-none request back.
 */
import { SfRecordError, SfRequestError } from './errors.ts';
import { isIdShaped, toId18 } from './ids.ts';
import { RULES } from './rules.ts';
import { fieldOf, objectOf } from './schema-types.ts';
import type { FieldDef, ObjectDef, Schema } from './schema-types.ts';
import { OPPORTUNITY_STAGES } from './standard-objects.ts';
import type { FieldValue, RecordStore, SfRecord } from './store.ts';
import { TypeMismatch, coerceValue } from './values.ts';

export interface DmlUser {
  id: string;
  permissions: ReadonlySet<string>;
}

/** A lookup given as a related record's external id: `Account__r: {Billing_External_Id__c: "…"}`. */
interface RefByKey {
  field: FieldDef;
  target: ObjectDef;
  keyField: FieldDef;
  value: FieldValue;
}

export interface ParsedRecord {
  object: ObjectDef;
  /** Field name → stored-form value. */
  changes: SfRecord;
  refs: RefByKey[];
  /** `Id` given in the body. */
  id?: string;
  /** The first value problem (length, picklist…), reported when the record is written. */
  error?: SfRecordError;
}

export type InputRecord = Record<string, unknown>;

/** Asked before each record write; an error fails that record (fault injection). */
export type RecordFaultHook = (
  object: ObjectDef,
  keys: { id?: string; externalIds: string[] },
) => SfRecordError | null;

export interface WriteResult {
  id: string;
  created: boolean;
}

const insertUpdateError = (fields: string[]) =>
  new SfRecordError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${fields.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    fields,
  );

export const rolledBack = (): SfRecordError =>
  new SfRecordError(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  );

const blank = (value: unknown) => value === null || value === undefined || value === '';

export class Dml {
  readonly schema: Schema;
  readonly store: RecordStore;
  recordFault: RecordFaultHook = () => null;
  /** Called after each successful write (stats). */
  onWrite: (object: string, kind: 'create' | 'update' | 'delete') => void = () => {};

  constructor(schema: Schema, store: RecordStore) {
    this.schema = schema;
    this.store = store;
    for (const [key, rule] of Object.entries(RULES)) {
      const [objectName = ''] = key.split('.');
      const object = schema.objects.get(objectName);
      for (const name of rule.fields) {
        if (object && !fieldOf(object, name)) {
          throw new Error(`Salesforce emulator: rule ${key} reads ${name}, which does not exist`);
        }
      }
    }
  }

  /** The object named `name`, or the REST 404 Salesforce answers for an unknown sObject. */
  object(name: string): ObjectDef {
    const object = objectOf(this.schema, name);
    if (!object) {
      throw new SfRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return object;
  }

  /**
   * Resolve the names in one input record and convert its values. Unknown fields (and, for JSON,
   * values of the wrong type) fail the whole request, as Salesforce's JSON parser does; value
   * problems are kept for the record.
   */
  parse(object: ObjectDef, input: InputRecord, source: 'json' | 'csv' = 'json'): ParsedRecord {
    const parsed: ParsedRecord = { object, changes: {}, refs: [] };
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const relationship = object.relationshipsLower.get(key.toLowerCase());
      if (relationship && raw !== null && typeof raw === 'object') {
        parsed.refs.push(this.#refByKey(object, relationship, raw as InputRecord));
        continue;
      }
      const def = fieldOf(object, key);
      if (!def) {
        throw new SfRequestError(
          400,
          'INVALID_FIELD',
          `No such column '${key}' on sobject of type ${object.name}`,
        );
      }
      if (def.name === 'Id') {
        if (raw === null || raw === undefined || raw === '') continue;
        const id = typeof raw === 'string' && isIdShaped(raw) ? toId18(raw) : null;
        if (!id)
          throw new SfRequestError(
            400,
            'MALFORMED_ID',
            `${object.name} ID: id value of incorrect type: ${String(raw)}`,
          );
        parsed.id = id;
        continue;
      }
      try {
        parsed.changes[def.name] = coerceValue(def, raw, source === 'csv');
      } catch (error) {
        if (error instanceof TypeMismatch) {
          if (source === 'json') {
            throw new SfRequestError(
              400,
              'JSON_PARSER_ERROR',
              `Cannot deserialize instance of ${def.type} from ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(raw)} or request may be missing a required field`,
            );
          }
          parsed.error ??= new SfRecordError('INVALID_TYPE_ON_FIELD_IN_RECORD', error.message, [
            def.name,
          ]);
        } else if (error instanceof SfRecordError) {
          parsed.error ??= error;
        } else {
          throw error;
        }
      }
    }
    return parsed;
  }

  /** `Account__r: {attributes:{type}, Billing_External_Id__c: "x"}` → a lookup to resolve. */
  #refByKey(object: ObjectDef, field: FieldDef, nested: InputRecord): RefByKey {
    const attributes = nested.attributes as { type?: string } | undefined;
    const targetName = attributes?.type ?? field.referenceTo[0] ?? '';
    const target = objectOf(this.schema, targetName);
    if (!target || !field.referenceTo.includes(target.name)) {
      throw new SfRequestError(
        400,
        'INVALID_FIELD',
        `The value provided for foreign key reference ${field.relationshipName} is not a nested SObject of type ${field.referenceTo.join(', ')}`,
      );
    }
    const keys = Object.keys(nested).filter((k) => k !== 'attributes');
    if (keys.length !== 1) {
      throw new SfRequestError(
        400,
        'INVALID_FIELD',
        `Foreign key reference ${field.relationshipName} on ${object.name} must name exactly one external id field of ${target.name}`,
      );
    }
    const keyName = keys[0] as string;
    const keyField = fieldOf(target, keyName);
    if (!keyField) {
      throw new SfRequestError(
        400,
        'INVALID_FIELD',
        `No such column '${keyName}' on sobject of type ${target.name}`,
      );
    }
    if (!keyField.idLookup && !keyField.externalId) {
      throw new SfRequestError(
        400,
        'INVALID_FIELD',
        `Field name provided, ${keyField.name} is not an External ID or indexed field for ${target.name}`,
      );
    }
    const raw = nested[keyName];
    const value = raw === null || raw === undefined || raw === '' ? null : String(raw);
    return { field, target, keyField, value };
  }

  /** Resolve a parsed record's references into ids, checking direct ids too. */
  #resolveRefs(parsed: ParsedRecord): SfRecord {
    const changes = { ...parsed.changes };
    for (const ref of parsed.refs) {
      if (ref.value === null) {
        changes[ref.field.name] = null;
        continue;
      }
      const ids =
        ref.keyField.name === 'Id'
          ? this.store.get(String(ref.value))
            ? [toId18(String(ref.value)) as string]
            : []
          : this.store.findBy(ref.target, ref.keyField, ref.value);
      if (ids.length === 0) {
        throw new SfRecordError(
          'INVALID_FIELD',
          `Foreign key external ID: ${String(ref.value)} not found for field ${ref.keyField.name} in entity ${ref.target.name}`,
        );
      }
      if (ids.length > 1) {
        throw new SfRecordError(
          'DUPLICATE_EXTERNAL_ID',
          `Foreign key external ID: ${String(ref.value)} matches more than one record for field ${ref.keyField.name} in entity ${ref.target.name}`,
        );
      }
      changes[ref.field.name] = ids[0] as string;
    }
    for (const [name, value] of Object.entries(changes)) {
      const def = parsed.object.fields.get(name);
      if (!def || def.type !== 'reference' || value === null) continue;
      const target = this.store.objectOfId(String(value));
      if (!target || !def.referenceTo.includes(target.name)) {
        throw new SfRecordError(
          'FIELD_INTEGRITY_EXCEPTION',
          `${def.label}: id value of incorrect type: ${String(value)}`,
          [def.name],
        );
      }
      if (!this.store.get(String(value))) {
        const deleted = this.store.getDeleted(String(value));
        throw deleted
          ? new SfRecordError('ENTITY_IS_DELETED', 'entity is deleted', [def.name])
          : new SfRecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [
              def.name,
            ]);
      }
    }
    return changes;
  }

  #fault(object: ObjectDef, id: string | undefined, record: SfRecord): void {
    const externalIds: string[] = [];
    for (const def of object.fields.values()) {
      const value = record[def.name];
      if (def.externalId && !blank(value)) externalIds.push(String(value));
    }
    const error = this.recordFault(object, { ...(id ? { id } : {}), externalIds });
    if (error) throw error;
  }

  /** Insert one parsed record. */
  create(parsed: ParsedRecord, user: DmlUser): WriteResult {
    const { object } = parsed;
    if (parsed.error) throw parsed.error;
    if (parsed.id) {
      throw new SfRecordError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        'cannot specify Id in an insert call',
        ['Id'],
      );
    }
    const changes = this.#resolveRefs(parsed);
    const denied = Object.keys(changes).filter((name) => !object.fields.get(name)?.createable);
    if (denied.length) throw insertUpdateError(denied);
    this.#fault(object, undefined, changes);
    const id = this.store.newId(object);
    const record: SfRecord = { Id: id };
    for (const def of object.fields.values()) {
      if (def.defaultValue !== undefined) record[def.name] = def.defaultValue;
    }
    Object.assign(record, changes);
    if (object.fields.has('OwnerId') && blank(record.OwnerId)) record.OwnerId = user.id;
    this.#derive(object, record, null);
    this.#checkRecord(object, record, null, user, Object.keys(changes));
    this.store.insert(object, record, user.id, id);
    this.onWrite(object.name, 'create');
    return { id, created: true };
  }

  /** Update the live record `id` with one parsed record. */
  update(parsed: ParsedRecord, id: string, user: DmlUser): WriteResult {
    const { object } = parsed;
    const prior = this.#live(object, id);
    if (parsed.error) throw parsed.error;
    const changes = this.#resolveRefs(parsed);
    const denied = Object.keys(changes).filter((name) => {
      const def = object.fields.get(name);
      // Writing the value a field already has is allowed even when it is not updateable
      // (an upsert repeats its own key).
      return !def?.updateable && prior[name] !== changes[name];
    });
    if (denied.length) throw insertUpdateError(denied);
    this.#fault(object, prior.Id as string, { ...prior, ...changes });
    const record: SfRecord = { ...prior, ...changes };
    this.#derive(object, record, prior);
    this.#checkRecord(object, record, prior, user, Object.keys(changes));
    const changed: SfRecord = {};
    for (const [key, value] of Object.entries(record)) {
      if (prior[key] !== value) changed[key] = value;
    }
    this.store.update(object, prior.Id as string, changed, user.id);
    this.onWrite(object.name, 'update');
    return { id: prior.Id as string, created: false };
  }

  /** Upsert on `keyField` = `keyValue`: create when no record has it, update when one does. */
  upsert(parsed: ParsedRecord, keyField: FieldDef, keyValue: string, user: DmlUser): WriteResult {
    const { object } = parsed;
    if (keyField.name === 'Id') {
      const id = toId18(keyValue);
      if (!id)
        throw new SfRecordError(
          'MALFORMED_ID',
          `${object.name} ID: id value of incorrect type: ${keyValue}`,
        );
      return this.update(parsed, id, user);
    }
    const ids = this.store.findBy(object, keyField, keyValue);
    if (ids.length > 1) {
      throw new SfRecordError(
        'DUPLICATE_EXTERNAL_ID',
        `${keyField.label}: more than one record found for external id field: [${ids.join(', ')}]`,
        [keyField.name],
      );
    }
    const withKey: ParsedRecord = {
      ...parsed,
      changes: { ...parsed.changes, [keyField.name]: keyValue },
    };
    if (ids.length === 1) return this.update(withKey, ids[0] as string, user);
    return this.create(withKey, user);
  }

  /** Delete a live record and what cascades from it (master-detail children); lookups clear. */
  remove(object: ObjectDef, id: string, user: DmlUser): WriteResult {
    const prior = this.#live(object, id);
    this.#fault(object, prior.Id as string, prior);
    this.#cascade(object, prior.Id as string, user);
    this.onWrite(object.name, 'delete');
    return { id: prior.Id as string, created: false };
  }

  #cascade(object: ObjectDef, id: string, user: DmlUser): void {
    this.store.delete(object, id);
    for (const rel of object.childRelationships) {
      const child = this.schema.objects.get(rel.childSObject);
      if (!child) continue;
      for (const record of this.store.all(child.name)) {
        if (record[rel.field] !== id) continue;
        if (rel.cascadeDelete) this.#cascade(child, record.Id as string, user);
        else this.store.update(child, record.Id as string, { [rel.field]: null }, user.id);
      }
    }
  }

  #live(object: ObjectDef, id: string): SfRecord {
    const id18 = toId18(id);
    if (!id18) {
      throw new SfRecordError(
        'MALFORMED_ID',
        `${object.name} ID: id value of incorrect type: ${id}`,
        ['Id'],
      );
    }
    const record = this.store.get(id18);
    if (record && this.store.objectOfId(id18)?.name === object.name) return record;
    if (this.store.getDeleted(id18)) {
      throw new SfRecordError('ENTITY_IS_DELETED', 'entity is deleted', []);
    }
    throw new SfRecordError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
  }

  /** Standard fields Salesforce computes from others. */
  #derive(object: ObjectDef, record: SfRecord, prior: SfRecord | null): void {
    const nameDef = object.fields.get('Name');
    if (object.custom && nameDef && !nameDef.autoNumber && blank(record.Name)) {
      record.Name = record.Id as string;
    }
    if (object.custom && nameDef?.autoNumber && prior === null) {
      record.Name = `${String(this.store.count(object.name) + 1).padStart(8, '0')}`;
    }
    switch (object.name) {
      case 'Contact':
      case 'User':
        record.Name = [record.FirstName, record.LastName].filter((v) => !blank(v)).join(' ');
        break;
      case 'PricebookEntry': {
        const product = blank(record.Product2Id)
          ? undefined
          : this.store.get(String(record.Product2Id));
        record.Name = (product?.Name as string | undefined) ?? null;
        record.ProductCode = (product?.ProductCode as string | undefined) ?? null;
        break;
      }
      case 'Opportunity': {
        const stage = OPPORTUNITY_STAGES.find((s) => s.value === record.StageName);
        record.IsClosed = stage?.closed ?? false;
        record.IsWon = stage?.won ?? false;
        break;
      }
      case 'OpportunityLineItem': {
        const entry = blank(record.PricebookEntryId)
          ? undefined
          : this.store.get(String(record.PricebookEntryId));
        if (entry) {
          record.Product2Id = entry.Product2Id ?? null;
          record.ListPrice = entry.UnitPrice ?? null;
          if (blank(record.UnitPrice) && blank(record.TotalPrice))
            record.UnitPrice = entry.UnitPrice ?? null;
          const opportunity = this.store.get(String(record.OpportunityId));
          record.Name = `${String(opportunity?.Name ?? '')} ${String(entry.Name ?? '')}`.trim();
        }
        const quantity = typeof record.Quantity === 'number' ? record.Quantity : null;
        if (quantity !== null && typeof record.UnitPrice === 'number') {
          record.TotalPrice = Math.round(quantity * record.UnitPrice * 100) / 100;
        } else if (quantity && typeof record.TotalPrice === 'number') {
          record.UnitPrice = Math.round((record.TotalPrice / quantity) * 100) / 100;
        }
        record.Subtotal = record.TotalPrice ?? null;
        break;
      }
    }
  }

  /** Required fields, unique fields, object rules and validation rules on the final record. */
  #checkRecord(
    object: ObjectDef,
    record: SfRecord,
    prior: SfRecord | null,
    user: DmlUser,
    written: string[],
  ): void {
    const missing: string[] = [];
    for (const def of object.fields.values()) {
      if (!def.required) continue;
      // On update only fields this write touched can become missing.
      if (prior && !written.includes(def.name)) continue;
      if (blank(record[def.name])) missing.push(def.name);
    }
    if (object.name === 'OpportunityLineItem' && blank(record.PricebookEntryId)) {
      missing.push('PricebookEntryId');
    }
    if (missing.length) {
      throw new SfRecordError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
        missing,
      );
    }
    for (const def of object.fields.values()) {
      if (!def.unique || blank(record[def.name])) continue;
      const others = this.store
        .findBy(object, def, record[def.name] as FieldValue)
        .filter((id) => id !== record.Id);
      if (others.length) {
        throw new SfRecordError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${def.name} duplicates value on record with id: ${others[0]}`,
          [def.name],
        );
      }
    }
    if (object.name === 'PricebookEntry' && prior === null) this.#checkPricebookEntry(record);
    for (const rule of object.validationRules) {
      const impl = RULES[`${object.name}.${rule.name}`];
      if (!rule.active || !impl) continue;
      if (impl.failsWhen({ record, prior, permissions: user.permissions, store: this.store })) {
        throw new SfRecordError(
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.errorMessage,
          rule.errorDisplayField ? [rule.errorDisplayField] : [],
        );
      }
    }
  }

  /** One entry per product, price book (and currency); a standard price before any other. */
  #checkPricebookEntry(record: SfRecord): void {
    const book = this.store.get(String(record.Pricebook2Id));
    const entries = this.store.all('PricebookEntry');
    const sameCurrency = (e: SfRecord) =>
      !this.schema.multiCurrency || e.CurrencyIsoCode === record.CurrencyIsoCode;
    if (
      entries.some(
        (e) =>
          e.Product2Id === record.Product2Id &&
          e.Pricebook2Id === record.Pricebook2Id &&
          sameCurrency(e),
      )
    ) {
      throw new SfRecordError(
        'DUPLICATE_VALUE',
        'This price definition already exists in this price book',
        [],
      );
    }
    if (book && book.IsStandard !== true) {
      const standard = entries.some((e) => {
        if (e.Product2Id !== record.Product2Id || !sameCurrency(e)) return false;
        return this.store.get(String(e.Pricebook2Id))?.IsStandard === true;
      });
      if (!standard) {
        throw new SfRecordError(
          'STANDARD_PRICE_NOT_DEFINED',
          'No standard price defined for this product',
          [],
        );
      }
    }
  }
}

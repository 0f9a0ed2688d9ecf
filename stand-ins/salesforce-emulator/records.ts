/**
 * The emulator's data: records per object, with the checks a real org makes on every insert,
 * update and upsert, reported with Salesforce's own error codes and messages:
 *
 * - unknown fields and relationships (`INVALID_FIELD`), read-only or insert-only fields
 *   (`INVALID_FIELD_FOR_INSERT_UPDATE`);
 * - types and sizes (`STRING_TOO_LONG`, `NUMBER_OUTSIDE_VALID_RANGE`, `INVALID_EMAIL_ADDRESS`,
 *   `JSON_PARSER_ERROR` for a value of the wrong JSON type), restricted picklists
 *   (`INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST`), required fields (`REQUIRED_FIELD_MISSING`);
 * - unique and external id fields (`DUPLICATE_VALUE`), several records matching an upsert key
 *   (`DUPLICATE_EXTERNAL_ID`);
 * - lookups by external id (`INVALID_FIELD`: "Foreign key external ID: … not found …") and by
 *   id (`INVALID_CROSS_REFERENCE_KEY`), standard price before a custom price book entry
 *   (`STANDARD_PRICE_NOT_DEFINED`);
 * - the package's validation rules that guard synced data (see rules.ts).
 */
import type { FieldSchema, ObjectSchema, Schema } from './schema.ts';
import { checkValidationRules } from './rules.ts';

export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue> & { Id: string };

export interface SfError {
  statusCode: string;
  message: string;
  fields: string[];
}

export interface UserContext {
  id: string;
  permissions: Set<string>;
}

export class RecordError extends Error {
  readonly errors: SfError[];
  constructor(errors: SfError[]) {
    super(errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '));
    this.errors = errors;
  }
}

const err = (statusCode: string, message: string, fields: string[] = []): SfError => ({
  statusCode,
  message,
  fields,
});

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 3-character case-safe suffix that turns a 15-character id into the 18-character form. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += ID_ALPHABET.charAt(bits);
  }
  return suffix;
}

export function to18(id: string): string {
  return id.length === 15 ? id + idSuffix(id) : id;
}

const nowIso = (): string => new Date().toISOString().replace('Z', '+0000');

export interface WriteOutcome {
  id: string;
  created: boolean;
}

export class OrgData {
  readonly schema: Schema;
  readonly records = new Map<string, Map<string, SfRecord>>();
  /** `${sobject}.${field}` (lower-cased) → lower-cased value → id. */
  readonly #unique = new Map<string, Map<string, string>>();
  #counter = 0;
  readonly #autoNumbers = new Map<string, number>();
  readonly orgId: string;

  constructor(schema: Schema, orgId = '00D000000000001AAA') {
    this.schema = schema;
    this.orgId = orgId;
    for (const name of schema.keys()) this.records.set(name, new Map());
  }

  object(sobject: string): ObjectSchema {
    const os =
      this.schema.get(sobject) ??
      [...this.schema.values()].find((o) => o.name.toLowerCase() === sobject.toLowerCase());
    if (!os) throw new RecordError([err('NOT_FOUND', `The requested resource does not exist`)]);
    return os;
  }

  newId(os: ObjectSchema): string {
    this.#counter += 1;
    let n = this.#counter;
    let body = '';
    for (let i = 0; i < 9; i++) {
      body = BASE62.charAt(n % 62) + body;
      n = Math.floor(n / 62);
    }
    return to18(`${os.keyPrefix}000${body}`);
  }

  get(sobject: string, id: string): SfRecord | undefined {
    return this.records.get(this.object(sobject).name)?.get(to18(id));
  }

  /** Find by id anywhere (the key prefix says which object). */
  findById(id: string): { os: ObjectSchema; record: SfRecord } | undefined {
    const full = to18(id);
    for (const os of this.schema.values()) {
      if (!full.startsWith(os.keyPrefix)) continue;
      const record = this.records.get(os.name)?.get(full);
      if (record) return { os, record };
    }
    return undefined;
  }

  #uniqueIndex(os: ObjectSchema, field: string): Map<string, string> {
    const key = `${os.name}.${field}`.toLowerCase();
    let index = this.#unique.get(key);
    if (!index) {
      index = new Map();
      this.#unique.set(key, index);
    }
    return index;
  }

  /** Records whose field equals `value` (external ids compare case-insensitively). */
  findByField(os: ObjectSchema, field: FieldSchema, value: string): string[] {
    if (field.name === 'Id')
      return this.records.get(os.name)?.has(to18(value)) ? [to18(value)] : [];
    if (field.externalId || field.unique) {
      const id = this.#uniqueIndex(os, field.name).get(value.toLowerCase());
      return id ? [id] : [];
    }
    const out: string[] = [];
    for (const r of this.records.get(os.name)?.values() ?? []) {
      if (
        typeof r[field.name] === 'string' &&
        (r[field.name] as string).toLowerCase() === value.toLowerCase()
      ) {
        out.push(r.Id);
      }
    }
    return out;
  }

  /** Insert a record; `options.id` seeds a record with a known id (test data, sample orgs). */
  insert(
    sobject: string,
    body: Record<string, unknown>,
    user: UserContext,
    options: { id?: string } = {},
  ): WriteOutcome {
    const os = this.object(sobject);
    const values = this.#prepare(os, body, 'insert', user);
    const id = options.id ? to18(options.id) : this.newId(os);
    if (this.records.get(os.name)?.has(id)) {
      throw new RecordError([
        err(
          'DUPLICATE_VALUE',
          `duplicate value found: Id duplicates value on record with id: ${id}`,
          ['Id'],
        ),
      ]);
    }
    const now = nowIso();
    const record: SfRecord = { Id: id };
    // Defaults first, then the given values.
    for (const f of os.fields.values()) {
      if (f.defaultValue !== undefined && f.defaultValue !== null) record[f.name] = f.defaultValue;
      else if (f.type === 'boolean') record[f.name] = false;
    }
    Object.assign(record, values);
    if (os.fields.has('OwnerId') && !record.OwnerId) record.OwnerId = user.id;
    const name = os.fields.get('Name');
    if (name?.autoNumber) {
      const next = (this.#autoNumbers.get(os.name) ?? 0) + 1;
      this.#autoNumbers.set(os.name, next);
      record.Name = name.autoNumber.replace(/\{0+\}/, (m) =>
        String(next).padStart(m.length - 2, '0'),
      );
    } else if (name && os.custom && (record.Name === undefined || record.Name === null)) {
      record.Name = id;
    }
    const missing = [...os.fields.values()].filter(
      (f) =>
        !f.nillable &&
        f.createable &&
        !f.defaultedOnCreate &&
        f.type !== 'boolean' &&
        (record[f.name] === undefined || record[f.name] === null || record[f.name] === ''),
    );
    if (missing.length > 0) {
      throw new RecordError([
        err(
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`,
          missing.map((f) => f.name),
        ),
      ]);
    }
    this.#standardPrice(os, record);
    checkValidationRules(os, record, undefined, user, this);
    this.#checkUnique(os, record, undefined);
    record.CreatedDate = now;
    record.LastModifiedDate = now;
    record.SystemModstamp = now;
    record.CreatedById = user.id;
    record.LastModifiedById = user.id;
    this.#derive(os, record);
    this.records.get(os.name)?.set(id, record);
    this.#index(os, record, undefined);
    return { id, created: true };
  }

  update(
    sobject: string,
    id: string,
    body: Record<string, unknown>,
    user: UserContext,
  ): WriteOutcome {
    const os = this.object(sobject);
    const existing = this.records.get(os.name)?.get(to18(id));
    if (!existing) {
      throw new RecordError([err('ENTITY_IS_DELETED', 'entity is deleted')]);
    }
    const values = this.#prepare(os, body, 'update', user);
    const next: SfRecord = { ...existing, ...values };
    const blanked = [...os.fields.values()].filter(
      (f) =>
        !f.nillable &&
        f.type !== 'boolean' &&
        f.name in values &&
        (values[f.name] === null || values[f.name] === ''),
    );
    if (blanked.length > 0) {
      throw new RecordError([
        err(
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${blanked.map((f) => f.name).join(', ')}]`,
          blanked.map((f) => f.name),
        ),
      ]);
    }
    checkValidationRules(os, next, existing, user, this);
    this.#checkUnique(os, next, existing.Id);
    const now = nowIso();
    next.LastModifiedDate = now;
    next.SystemModstamp = now;
    next.LastModifiedById = user.id;
    this.#derive(os, next);
    this.#unindex(os, existing);
    this.records.get(os.name)?.set(existing.Id, next);
    this.#index(os, next, existing.Id);
    return { id: existing.Id, created: false };
  }

  upsert(
    sobject: string,
    keyField: string,
    keyValue: string,
    body: Record<string, unknown>,
    user: UserContext,
  ): WriteOutcome {
    const os = this.object(sobject);
    const field = os.byLowerName.get(keyField.toLowerCase());
    if (!field || !(field.externalId || field.idLookup || field.name === 'Id')) {
      throw new RecordError([
        err(
          'INVALID_FIELD',
          `Provided external ID field does not exist or is not accessible: ${keyField}`,
        ),
      ]);
    }
    const { [field.name]: _ignored, ...rest } = body;
    const matches = this.findByField(os, field, keyValue);
    if (matches.length > 1) {
      throw new RecordError([
        err(
          'DUPLICATE_EXTERNAL_ID',
          `${field.name}: more than one record found for external id field: [${matches.join(', ')}]`,
          [field.name],
        ),
      ]);
    }
    if (matches.length === 1) return this.update(os.name, matches[0] as string, rest, user);
    if (field.name === 'Id') {
      throw new RecordError([
        err(
          'NOT_FOUND',
          `Provided external ID field does not exist or is not accessible: ${keyValue}`,
        ),
      ]);
    }
    return this.insert(os.name, { ...rest, [field.name]: keyValue }, user);
  }

  delete(sobject: string, id: string): void {
    const os = this.object(sobject);
    const existing = this.records.get(os.name)?.get(to18(id));
    if (!existing) throw new RecordError([err('ENTITY_IS_DELETED', 'entity is deleted')]);
    this.#unindex(os, existing);
    this.records.get(os.name)?.delete(existing.Id);
  }

  /** Restore a record exactly as it was (allOrNone rollback). */
  restore(sobject: string, before: SfRecord | undefined, id: string): void {
    const os = this.object(sobject);
    const current = this.records.get(os.name)?.get(id);
    if (current) this.#unindex(os, current);
    if (before) {
      this.records.get(os.name)?.set(id, before);
      this.#index(os, before, undefined);
    } else {
      this.records.get(os.name)?.delete(id);
    }
  }

  // -------------------------------------------------------------------------------------------

  /** Check and convert the body's fields; relationship references become ids. */
  #prepare(
    os: ObjectSchema,
    body: Record<string, unknown>,
    op: 'insert' | 'update',
    _user: UserContext,
  ): Record<string, SfValue> {
    const out: Record<string, SfValue> = {};
    const errors: SfError[] = [];
    const refused: string[] = [];
    for (const [key, raw] of Object.entries(body)) {
      if (key === 'attributes' || key === 'Id') continue;
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        const relField = os.relationships.get(key.toLowerCase());
        if (!relField) {
          errors.push(
            err('INVALID_FIELD', `No such column '${key}' on sobject of type ${os.name}`),
          );
          continue;
        }
        if (!(op === 'insert' ? relField.createable : relField.updateable)) {
          refused.push(relField.name);
          continue;
        }
        try {
          out[relField.name] = this.#resolveReference(os, relField, raw as Record<string, unknown>);
        } catch (error) {
          if (error instanceof RecordError) errors.push(...error.errors);
          else throw error;
        }
        continue;
      }
      const f = os.byLowerName.get(key.toLowerCase());
      if (!f) {
        errors.push(err('INVALID_FIELD', `No such column '${key}' on sobject of type ${os.name}`));
        continue;
      }
      if (!(op === 'insert' ? f.createable : f.updateable)) {
        refused.push(f.name);
        continue;
      }
      const checked = this.#coerce(os, f, raw);
      if ('error' in checked) errors.push(checked.error);
      else out[f.name] = checked.value;
    }
    if (refused.length > 0) {
      errors.unshift(
        err(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${refused.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          refused,
        ),
      );
    }
    if (errors.length > 0) throw new RecordError(errors);
    return out;
  }

  #resolveReference(os: ObjectSchema, relField: FieldSchema, ref: Record<string, unknown>): string {
    const attrs = ref.attributes as { type?: string } | undefined;
    const targetName = attrs?.type ?? relField.referenceTo?.[0];
    const target = targetName ? this.schema.get(targetName) : undefined;
    if (!target || !(relField.referenceTo ?? []).includes(target.name)) {
      throw new RecordError([
        err(
          'INVALID_FIELD',
          `Invalid relationship ${relField.relationshipName} on ${os.name} for ${targetName}`,
        ),
      ]);
    }
    const keys = Object.entries(ref).filter(([k]) => k !== 'attributes');
    if (keys.length !== 1) {
      throw new RecordError([
        err(
          'INVALID_FIELD',
          `A relationship reference needs exactly one external id field: ${relField.relationshipName}`,
        ),
      ]);
    }
    const [keyName, keyValue] = keys[0] as [string, unknown];
    const keyField = target.byLowerName.get(keyName.toLowerCase());
    if (!keyField || !(keyField.externalId || keyField.idLookup)) {
      throw new RecordError([
        err(
          'INVALID_FIELD',
          `Field name provided, ${keyName} is not an External ID or indexed field for ${target.name}`,
        ),
      ]);
    }
    const matches = this.findByField(target, keyField, String(keyValue));
    if (matches.length === 0) {
      throw new RecordError([
        err(
          'INVALID_FIELD',
          `Foreign key external ID: ${String(keyValue)} not found for field ${keyField.name} in entity ${target.name}`,
          [relField.name],
        ),
      ]);
    }
    if (matches.length > 1) {
      throw new RecordError([
        err(
          'INVALID_FIELD',
          `Foreign key external ID: ${String(keyValue)} matches more than one record in entity ${target.name}`,
        ),
      ]);
    }
    return matches[0] as string;
  }

  #coerce(os: ObjectSchema, f: FieldSchema, raw: unknown): { value: SfValue } | { error: SfError } {
    if (raw === null || raw === undefined) {
      return { value: f.type === 'boolean' ? false : null };
    }
    const wrongJson = (): { error: SfError } => ({
      error: err(
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${f.type} from ${typeof raw} value ${JSON.stringify(raw)} for field ${f.name}`,
        [f.name],
      ),
    });
    switch (f.type) {
      case 'string':
      case 'textarea':
      case 'phone':
      case 'url':
      case 'email':
      case 'picklist':
      case 'multipicklist':
      case 'combobox':
      case 'encryptedstring': {
        if (typeof raw !== 'string' && typeof raw !== 'number') return wrongJson();
        const value = String(raw);
        if (value === '') return { value: null };
        if (f.length !== undefined && value.length > f.length) {
          return {
            error: err(
              'STRING_TOO_LONG',
              `${f.label}: data value too large: ${value.slice(0, 50)} (max length=${f.length})`,
              [f.name],
            ),
          };
        }
        if (f.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
          return {
            error: err('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${value}`, [
              f.name,
            ]),
          };
        }
        if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist) {
          const allowed = new Set(
            (f.picklistValues ?? []).filter((v) => v.active).map((v) => v.value),
          );
          const parts = f.type === 'multipicklist' ? value.split(';') : [value];
          const bad = parts.find((p) => !allowed.has(p));
          if (bad !== undefined) {
            return {
              error: err(
                'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
                `${f.label}: bad value for restricted picklist field: ${bad}`,
                [f.name],
              ),
            };
          }
        }
        return { value };
      }
      case 'boolean':
        if (typeof raw === 'boolean') return { value: raw };
        if (raw === 'true' || raw === 'false') return { value: raw === 'true' };
        return wrongJson();
      case 'double':
      case 'currency':
      case 'percent':
      case 'int': {
        const n =
          typeof raw === 'number'
            ? raw
            : typeof raw === 'string' && raw.trim() !== ''
              ? Number(raw)
              : NaN;
        if (!Number.isFinite(n)) return wrongJson();
        const scale = f.scale ?? 0;
        const integerDigits = (f.precision ?? 18) - scale;
        if (Math.abs(Math.trunc(n)).toString().length > integerDigits) {
          return {
            error: err(
              'NUMBER_OUTSIDE_VALID_RANGE',
              `${f.label}: value outside of valid range on numeric field: ${n}`,
              [f.name],
            ),
          };
        }
        return { value: Number(n.toFixed(scale)) };
      }
      case 'date': {
        if (
          typeof raw !== 'string' ||
          !/^\d{4}-\d{2}-\d{2}$/.test(raw) ||
          Number.isNaN(Date.parse(raw))
        ) {
          return {
            error: err(
              'INVALID_TYPE_ON_FIELD_IN_RECORD',
              `${f.label}: value not of required type: ${String(raw)}`,
              [f.name],
            ),
          };
        }
        return { value: raw };
      }
      case 'datetime': {
        const t = typeof raw === 'string' ? Date.parse(raw) : NaN;
        if (Number.isNaN(t)) {
          return {
            error: err(
              'INVALID_TYPE_ON_FIELD_IN_RECORD',
              `${f.label}: value not of required type: ${String(raw)}`,
              [f.name],
            ),
          };
        }
        return { value: new Date(t).toISOString().replace('Z', '+0000') };
      }
      case 'reference':
      case 'id': {
        if (typeof raw !== 'string') return wrongJson();
        if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(raw)) {
          return {
            error: err('MALFORMED_ID', `${f.label}: id value of incorrect type: ${raw}`, [f.name]),
          };
        }
        const found = this.findById(raw);
        if (!found || (f.referenceTo && !f.referenceTo.includes(found.os.name))) {
          return {
            error: err('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name]),
          };
        }
        return { value: found.record.Id };
      }
      default:
        return { value: raw as SfValue };
    }
  }

  #standardPrice(os: ObjectSchema, record: SfRecord): void {
    if (os.name !== 'PricebookEntry') return;
    const book = this.get('Pricebook2', String(record.Pricebook2Id));
    if (!book || book.IsStandard) return;
    const hasStandard = [...(this.records.get('PricebookEntry')?.values() ?? [])].some(
      (e) =>
        e.Product2Id === record.Product2Id &&
        this.get('Pricebook2', String(e.Pricebook2Id))?.IsStandard,
    );
    if (!hasStandard) {
      throw new RecordError([
        err('STANDARD_PRICE_NOT_DEFINED', 'No standard price defined for this product', []),
      ]);
    }
  }

  #checkUnique(os: ObjectSchema, record: SfRecord, selfId: string | undefined): void {
    for (const f of os.fields.values()) {
      if (!(f.externalId || f.unique)) continue;
      const value = record[f.name];
      if (value === null || value === undefined || value === '') continue;
      const other = this.#uniqueIndex(os, f.name).get(String(value).toLowerCase());
      if (other && other !== selfId) {
        throw new RecordError([
          err(
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
            [f.name],
          ),
        ]);
      }
    }
  }

  #index(os: ObjectSchema, record: SfRecord, _selfId: string | undefined): void {
    for (const f of os.fields.values()) {
      if (!(f.externalId || f.unique)) continue;
      const value = record[f.name];
      if (value === null || value === undefined || value === '') continue;
      this.#uniqueIndex(os, f.name).set(String(value).toLowerCase(), record.Id);
    }
  }

  #unindex(os: ObjectSchema, record: SfRecord): void {
    for (const f of os.fields.values()) {
      if (!(f.externalId || f.unique)) continue;
      const value = record[f.name];
      if (value === null || value === undefined || value === '') continue;
      this.#uniqueIndex(os, f.name).delete(String(value).toLowerCase());
    }
  }

  /** Fields Salesforce computes: Contact.Name, PricebookEntry.Name/ProductCode, Opportunity IsWon/IsClosed. */
  #derive(os: ObjectSchema, record: SfRecord): void {
    if (os.name === 'Contact') {
      record.Name = [record.FirstName, record.LastName].filter((p) => p).join(' ');
    } else if (os.name === 'PricebookEntry') {
      const product = this.get('Product2', String(record.Product2Id));
      record.Name = (product?.Name as string | undefined) ?? null;
      record.ProductCode = (product?.ProductCode as string | undefined) ?? null;
    } else if (os.name === 'Opportunity') {
      record.IsWon = record.StageName === 'Closed Won';
      record.IsClosed = record.StageName === 'Closed Won' || record.StageName === 'Closed Lost';
    }
  }

  count(sobject: string): number {
    return this.records.get(this.object(sobject).name)?.size ?? 0;
  }

  all(sobject: string): SfRecord[] {
    return [...(this.records.get(this.object(sobject).name)?.values() ?? [])];
  }
}

/**
 * Proves the mapping tables fit the org: every mapped field exists, takes the kind of value the
 * transform produces (a Decimal never goes into a text field, text never into a Number), text
 * fits the field length, picklist values are the field's API values, lookups use the field's
 * relationship name, point at the right object and at a real external id field, and
 * fields Salesforce will not update are marked insert-only.
 *
 * `describe` is anything shaped like a Salesforce describe result: jsforce's
 * `conn.sobject(name).describe()` against an org or the emulator at runtime, or one built from
 * the package metadata in tests.
 */
import { ALL_OBJECT_MAPPINGS } from './index.ts';
import type { AnyObjectMapping, MappingOptions, Transform, ValueKind } from './types.ts';

export interface DescribeField {
  name: string;
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
  referenceTo?: string[];
  relationshipName?: string | null;
  picklistValues?: { value: string; active?: boolean }[];
  restrictedPicklist?: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  createable?: boolean;
  updateable?: boolean;
  calculated?: boolean;
}

export interface DescribeResult {
  name?: string;
  fields: DescribeField[];
}

export type Describe = (sobject: string) => Promise<DescribeResult>;

export interface MappingProblem {
  /** The mapping table (its name). */
  mapping: string;
  sobject: string;
  field: string;
  problem: string;
}

export interface CheckOptions {
  mappings?: readonly AnyObjectMapping[];
  /** Mapping options the org is run with (e.g. multiCurrency adds CurrencyIsoCode). */
  options?: MappingOptions;
}

/** Salesforce describe types each value kind may be written to. */
const COMPATIBLE: Record<ValueKind, readonly string[]> = {
  text: ['string', 'textarea', 'combobox', 'phone', 'url', 'encryptedstring'],
  email: ['email', 'string', 'textarea'],
  phone: ['phone', 'string', 'textarea'],
  url: ['url', 'string', 'textarea'],
  picklist: ['picklist', 'combobox', 'string', 'textarea'],
  money: ['currency', 'double'],
  number: ['double', 'int', 'long', 'currency'],
  percent: ['percent', 'double'],
  boolean: ['boolean'],
  date: ['date'],
  datetime: ['datetime'],
  id: ['reference', 'id'],
};

const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'combobox',
  'phone',
  'url',
  'email',
  'encryptedstring',
]);

function valueProblems(transform: Transform, field: DescribeField): string[] {
  const problems: string[] = [];
  if (!COMPATIBLE[transform.kind].includes(field.type)) {
    return [`${transform.label} (${transform.kind}) cannot go into a ${field.type} field`];
  }
  if (TEXT_TYPES.has(field.type) || field.type === 'picklist') {
    const length = field.length;
    if (length && transform.kind !== 'picklist' && transform.maxLength === undefined) {
      problems.push(`unbounded ${transform.label} into ${field.type}(${length})`);
    } else if (length && transform.maxLength !== undefined && transform.maxLength > length) {
      problems.push(
        `${transform.label} may be ${transform.maxLength} long, field is ${field.type}(${length})`,
      );
    }
  }
  if (transform.kind === 'money' || transform.kind === 'number' || transform.kind === 'percent') {
    const scale = transform.scale ?? 0;
    if (field.type === 'int' && scale > 0) {
      problems.push(`${transform.label} has ${scale} decimals, field is an integer`);
    } else if (field.scale !== undefined && field.type !== 'int' && scale > field.scale) {
      problems.push(`${transform.label} has ${scale} decimals, field keeps ${field.scale}`);
    }
  }
  if (transform.kind === 'picklist' && field.type === 'picklist') {
    const allowed = new Set(
      (field.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value),
    );
    if (transform.valuesFromOrg) {
      // The org's own list (e.g. its active currencies): nothing to compare with statically.
    } else if (transform.values) {
      const missing = transform.values.filter((v) => !allowed.has(v));
      if (missing.length) problems.push(`picklist values not in the field: ${missing.join(', ')}`);
    } else if (field.restrictedPicklist) {
      problems.push('any provider value goes into a restricted picklist');
    }
  }
  return problems;
}

function isKeyField(field: DescribeField): boolean {
  return field.name === 'Id' || field.externalId === true || field.idLookup === true;
}

/** Every problem found, empty when the mappings fit. Describes each object once. */
export async function checkMappings(
  describe: Describe,
  check: CheckOptions = {},
): Promise<MappingProblem[]> {
  const mappings = check.mappings ?? ALL_OBJECT_MAPPINGS;
  const options = check.options ?? {};
  const cache = new Map<string, Promise<Map<string, DescribeField> | null>>();
  const fieldsOf = (sobject: string) => {
    let entry = cache.get(sobject);
    if (!entry) {
      entry = describe(sobject).then(
        (result) => new Map(result.fields.map((f) => [f.name, f])),
        () => null,
      );
      cache.set(sobject, entry);
    }
    return entry;
  };

  const problems: MappingProblem[] = [];
  for (const mapping of mappings) {
    const report = (field: string, problem: string) =>
      problems.push({ mapping: mapping.name, sobject: mapping.sobject, field, problem });
    const fields = await fieldsOf(mapping.sobject);
    if (!fields) {
      report('', `object ${mapping.sobject} does not exist`);
      continue;
    }
    const insertOnly = new Set(mapping.insertOnly ?? []);
    const seen = new Set<string>();
    const writable = (name: string, field: DescribeField, insertOnlyName: string) => {
      if (field.calculated || field.createable === false) {
        report(name, 'field is not writable (formula, auto-number or system field)');
      } else if (field.updateable === false && !insertOnly.has(insertOnlyName)) {
        report(name, `field cannot be updated: list ${insertOnlyName} in insertOnly`);
      }
    };
    const once = (name: string) => {
      if (seen.has(name)) report(name, 'field is mapped twice');
      seen.add(name);
    };

    const keyField = fields.get(mapping.externalIdField);
    if (!keyField) report(mapping.externalIdField, 'upsert key field does not exist');
    else if (!isKeyField(keyField))
      report(mapping.externalIdField, 'upsert key is not an external id');
    once(mapping.externalIdField);

    for (const f of mapping.fields) {
      if (f.when && !f.when(options)) continue;
      once(f.field);
      const field = fields.get(f.field);
      if (!field) {
        report(f.field, 'field does not exist');
        continue;
      }
      for (const problem of valueProblems(f.transform, field)) report(f.field, problem);
      writable(f.field, field, f.field);
    }

    for (const r of mapping.references) {
      once(r.field);
      const field = fields.get(r.field);
      if (!field) {
        report(r.field, 'lookup field does not exist');
        continue;
      }
      if (field.type !== 'reference') {
        report(r.field, `is a ${field.type} field, not a lookup`);
        continue;
      }
      if (!(field.referenceTo ?? []).includes(r.sobject)) {
        report(
          r.field,
          `points at ${(field.referenceTo ?? []).join('/') || 'nothing'}, not ${r.sobject}`,
        );
      }
      if (field.relationshipName !== r.relationship) {
        report(
          r.field,
          `relationship is ${field.relationshipName ?? 'none'}, mapping says ${r.relationship}`,
        );
      }
      writable(r.field, field, r.relationship);
      const target = await fieldsOf(r.sobject);
      const targetKey = target?.get(r.externalIdField);
      if (!target) report(r.field, `target object ${r.sobject} does not exist`);
      else if (!targetKey) report(r.field, `${r.sobject}.${r.externalIdField} does not exist`);
      else if (!isKeyField(targetKey))
        report(r.field, `${r.sobject}.${r.externalIdField} is not an external id`);
    }
  }
  return problems;
}

/** One line per problem, for logs and assertion messages. */
export function formatProblems(problems: readonly MappingProblem[]): string {
  return problems.map((p) => `${p.sobject}.${p.field}: ${p.problem} [${p.mapping}]`).join('\n');
}

/** Runs one declarative ObjectMapping over one source value: the only interpreter of the tables. */
import type { FieldValue, RecordReference, SalesforceRecord, SourceResource } from '../records.ts';
import { MappingError } from './types.ts';
import type { MappingContext, ObjectMapping } from './types.ts';

export interface Origin {
  resource: SourceResource;
  id: string;
}

function fail(mapping: { sobject: string }, field: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  throw new MappingError(`${mapping.sobject}.${field}: ${message}`, {
    sobject: mapping.sobject,
    field,
  });
}

export function buildRecord<S>(
  mapping: ObjectMapping<S>,
  source: S,
  ctx: MappingContext,
  origin: Origin,
): SalesforceRecord {
  const externalId = mapping.externalId(source, ctx);
  if (!externalId) {
    throw new MappingError(`${mapping.name}: no value for ${mapping.externalIdField}`, {
      sobject: mapping.sobject,
      field: mapping.externalIdField,
    });
  }
  const fields: Record<string, FieldValue> = {};
  for (const f of mapping.fields) {
    if (f.when && !f.when(ctx.options)) continue;
    let value: FieldValue;
    try {
      const raw = f.from(source, ctx);
      // Checked before the transform too: a checkbox turns "absent" into false.
      if ((raw === null || raw === undefined) && f.omitIfNull) continue;
      value = f.transform.apply(raw, ctx);
    } catch (error) {
      fail(mapping, f.field, error);
    }
    if (value === null && f.omitIfNull) continue;
    fields[f.field] = value;
  }
  const references: Record<string, RecordReference> = {};
  for (const r of mapping.references) {
    const target = r.from(source, ctx);
    if (target) {
      references[r.relationship] = {
        sobject: r.sobject,
        externalIdField: r.externalIdField,
        externalId: target,
      };
    } else if (r.required) {
      fail(mapping, r.field, new Error(`the ${r.sobject} it belongs to is unknown (no id)`));
    } else if (!r.omitIfNull) {
      fields[r.field] = null;
    }
  }
  const record: SalesforceRecord = {
    sobject: mapping.sobject,
    externalIdField: mapping.externalIdField,
    externalId,
    fields,
    references,
    sourceResource: origin.resource,
    sourceId: origin.id,
  };
  if (mapping.ordering) record.ordering = mapping.ordering(source);
  if (mapping.insertOnly?.length) record.insertOnly = [...mapping.insertOnly];
  if (mapping.link) record.link = true;
  return record;
}

/**
 * The unit the Salesforce writer sends: one record to upsert on its external id, with its
 * lookups expressed as external-id references (never Salesforce ids), plus where it came from
 * and the ordering markers that decide whether it is newer than what the org holds.
 *
 * The mappings (bridge/src/sync/mappings/) produce these in dependency order: parents before
 * children. Write them in the order given. A record flagged `link` repeats an external id that
 * an earlier record of the same batch already wrote and carries only back-references that could
 * not be set then (a site's price book, an account's billing contact): write it after the rest.
 */
import type { ResourceType } from '../model/canonical.ts';

export type FieldValue = string | number | boolean | null;

/** A lookup to another record, by that record's external id. */
export interface RecordReference {
  sobject: string;
  externalIdField: string;
  externalId: string;
}

/** What a record was built from: a canonical resource, or the connected site itself. */
export type SourceResource = ResourceType | 'site';

export interface SalesforceRecord {
  sobject: string;
  /** The upsert key field, e.g. `External_Id__c`, `Billing_External_Id__c`, `Site_Key__c`. */
  externalIdField: string;
  externalId: string;
  fields: Record<string, FieldValue>;
  /** Relationship name (e.g. `Account__r`, `Parent`, `Pricebook2`) → the referenced record. */
  references: Record<string, RecordReference>;
  sourceResource: SourceResource;
  /** The provider id of the canonical record this came from (the site key for site records). */
  sourceId: string;
  /** Provider change markers of the source record: never overwrite newer data with older. */
  ordering?: { updatedAt?: string | null; resourceVersion?: number | null };
  /**
   * Field and relationship names Salesforce accepts on insert only (not updateable: e.g.
   * PricebookEntry `Pricebook2`/`Product2`, non-reparentable master-detail parents). A writer that
   * knows the record exists drops these; one that does not can retry without them.
   */
  insertOnly?: string[];
  /** True for a back-link record that must be written after the others (see above). */
  link?: boolean;
}

/** The JSON body of one record for sObject Collections upsert (`PATCH /composite/sobjects/{type}/{field}`). */
export type UpsertBody = Record<string, FieldValue | Record<string, string | { type: string }>>;

export interface UpsertBodyOptions {
  /** Leave out `insertOnly` fields and references (the record is known to exist). */
  forUpdate?: boolean;
}

/**
 * `{ attributes: { type }, <externalIdField>: id, ...fields, Account__r: { Billing_External_Id__c: "…" } }`:
 * the shape sObject Collections upsert and the single-record upsert both take.
 */
export function toUpsertBody(
  record: SalesforceRecord,
  options: UpsertBodyOptions = {},
): UpsertBody {
  const skip = new Set(options.forUpdate ? (record.insertOnly ?? []) : []);
  const body: UpsertBody = { attributes: { type: record.sobject } };
  for (const [name, value] of Object.entries(record.fields)) {
    if (!skip.has(name)) body[name] = value;
  }
  for (const [relationship, ref] of Object.entries(record.references)) {
    if (skip.has(relationship)) continue;
    body[relationship] = {
      attributes: { type: ref.sobject },
      [ref.externalIdField]: ref.externalId,
    };
  }
  body[record.externalIdField] = record.externalId;
  return body;
}

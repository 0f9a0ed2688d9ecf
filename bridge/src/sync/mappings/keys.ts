/**
 * External ids and lookups shared by the mapping tables. Every synced record is keyed
 * `<site key>:<billing id>` (conventions); children append their own part
 * (`<invoice key>:<line id>`, `<item price key>:tier:<n>`). Lookups always go through these keys.
 */
import { externalIdOf } from '../../model/canonical.ts';
import type { ReferenceMapping, MappingContext } from './types.ts';

/** Standard objects carry `Billing_External_Id__c`; the site is keyed by `Site_Key__c`. */
export function externalIdFieldOf(sobject: string): string {
  if (sobject === 'Billing_Site__c') return 'Site_Key__c';
  return sobject.endsWith('__c') ? 'External_Id__c' : 'Billing_External_Id__c';
}

/** `<site key>:<id>`, or null when there is no id. */
export function keyOf(ctx: MappingContext, id: string | number | null | undefined): string | null {
  return id === null || id === undefined || id === '' ? null : externalIdOf(ctx.site.key, id);
}

/** Same as keyOf for an id that must be there. */
export function requiredKey(ctx: MappingContext, id: string | number): string {
  return externalIdOf(ctx.site.key, id);
}

/**
 * The standard price book is found by this value of `Pricebook2.Billing_External_Id__c`: the
 * writer stamps it once on the org's standard price book (`SELECT Id FROM Pricebook2 WHERE
 * IsStandard = true`) before the first price book entry, since Salesforce gives it no key.
 */
export const STANDARD_PRICEBOOK_KEY = 'standard';

/** The site's own price book: keyed by the site key (`maxio:acme`). */
export function sitePricebookKey(ctx: MappingContext): string {
  return ctx.site.key;
}

/** The Contact made from a customer's own person: same key as its Account. */
export function primaryContactKey(ctx: MappingContext, customerId: string): string {
  return requiredKey(ctx, customerId);
}

/** A further contact person of a customer (Chargebee `contacts[]`). */
export function contactKey(ctx: MappingContext, customerId: string, contactId: string): string {
  return `${requiredKey(ctx, customerId)}:contact:${contactId}`;
}

/** A lookup field by external id; `externalIdField` follows the target object. */
export function lookup<S>(
  field: string,
  sobject: string,
  from: ReferenceMapping<S>['from'],
  options: { relationship?: string; required?: boolean; omitIfNull?: boolean } = {},
): ReferenceMapping<S> {
  const relationship =
    options.relationship ??
    (field.endsWith('__c') ? field.replace(/__c$/, '__r') : field.replace(/Id$/, ''));
  return {
    field,
    relationship,
    sobject,
    externalIdField: externalIdFieldOf(sobject),
    from,
    ...(options.required ? { required: true } : {}),
    ...(options.omitIfNull ? { omitIfNull: true } : {}),
  };
}

/** `Site__c` → the record's Billing Site (custom objects). */
export function siteLookup<S>(field = 'Site__c'): ReferenceMapping<S> {
  return lookup<S>(field, 'Billing_Site__c', (_source, ctx) => ctx.site.key);
}

export function orderingOf(record: {
  updatedAt?: string | null;
  resourceVersion?: number | null;
}): { updatedAt: string | null; resourceVersion: number | null } {
  return { updatedAt: record.updatedAt ?? null, resourceVersion: record.resourceVersion ?? null };
}

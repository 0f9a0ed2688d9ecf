/**
 * The shape of a declarative mapping: one `ObjectMapping` per Salesforce object (and source
 * shape), made of a table of fields `{ field, from, transform }` and a table of lookups
 * `{ field, relationship, sobject, externalIdField, from }`. Nothing else decides what lands
 * where; `checkMappings` reads the same tables to prove every field exists with a compatible type.
 */
import type { Site } from '../../model/canonical.ts';
import type { FieldValue } from '../records.ts';

export interface MappingOptions {
  /**
   * Write Price Book Entries for a product's default price point: in the standard price book
   * (Salesforce needs it before any other) and in the site's price book. Default true.
   */
  priceBookEntries?: boolean;
  /**
   * The org has multi-currency on: also set `CurrencyIsoCode`, and key price book entries by
   * currency (one entry per product, price book and currency). Default false.
   */
  multiCurrency?: boolean;
  /**
   * Update the Opportunity a subscription was created from (close date, subscription id, contract
   * term, currency) and write its Billing Opportunity Products/Coupons. Default true.
   */
  opportunities?: boolean;
  /** Appended to text cut to fit its field. Default "…". */
  truncationMarker?: string;
}

export interface MappingContext {
  site: Site;
  options: MappingOptions;
}

/** What a transform produces, compared with the Salesforce field type by `checkMappings`. */
export type ValueKind =
  | 'text'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'money'
  | 'number'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'id';

export interface Transform {
  kind: ValueKind;
  /** Text kinds: the longest value it can produce (values are cut or rejected beyond it). */
  maxLength?: number;
  /** Number kinds: decimals kept. */
  scale?: number;
  /** Picklists: every value it can produce; absent = any provider value (unrestricted field). */
  values?: readonly string[];
  /** Picklists whose values the org defines (e.g. CurrencyIsoCode): not checked statically. */
  valuesFromOrg?: boolean;
  /** Short description for messages, e.g. `money`, `text(80)`. */
  label: string;
  apply(value: unknown, ctx: MappingContext): FieldValue;
}

export interface FieldMapping<S> {
  /** API name of the Salesforce field. */
  field: string;
  from: (source: S, ctx: MappingContext) => unknown;
  transform: Transform;
  /** Leave the field out (rather than clearing it) when the value is null. */
  omitIfNull?: boolean;
  /** Only with these options (e.g. `CurrencyIsoCode` exists only with multi-currency on). */
  when?: (options: MappingOptions) => boolean;
}

export interface ReferenceMapping<S> {
  /** The lookup field, e.g. `Account__c`, `ParentId`. */
  field: string;
  /** Its relationship name, e.g. `Account__r`, `Parent`. */
  relationship: string;
  /** The referenced object and its external id field. */
  sobject: string;
  externalIdField: string;
  /** The referenced record's external id, or null for none (the lookup is then cleared). */
  from: (source: S, ctx: MappingContext) => string | null | undefined;
  /** A master-detail parent: a null value is a mapping error. */
  required?: boolean;
  /** Leave the lookup alone (rather than clearing it) when there is no value. */
  omitIfNull?: boolean;
}

export interface ObjectMapping<S> {
  /** A name for messages, e.g. `subscription → Subscription__c`. */
  name: string;
  sobject: string;
  externalIdField: string;
  externalId: (source: S, ctx: MappingContext) => string;
  ordering?: (source: S) => { updatedAt?: string | null; resourceVersion?: number | null };
  fields: readonly FieldMapping<S>[];
  references: readonly ReferenceMapping<S>[];
  /** Field/relationship names Salesforce accepts only on insert. */
  insertOnly?: readonly string[];
  /** A back-link mapping (see SalesforceRecord.link). */
  link?: boolean;
}

/** Any object mapping, whatever its source type (for the registry and the checker). */
// `never` as the source makes every ObjectMapping<S> assignable here without `any`.
export type AnyObjectMapping = ObjectMapping<never>;

/** A record that cannot be mapped (e.g. a credit note without its invoice). */
export class MappingError extends Error {
  readonly sobject: string | undefined;
  readonly field: string | undefined;
  constructor(message: string, details: { sobject?: string; field?: string } = {}) {
    super(message);
    this.name = 'MappingError';
    this.sobject = details.sobject;
    this.field = details.field;
  }
}

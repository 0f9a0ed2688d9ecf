/**
 * The package's validation rules the emulator evaluates. Salesforce formulas are not interpreted
 * in general: each rule that gates sync (or a record the bridge or the LWCs write) is written
 * here by its metadata name, and its message and error field come from the metadata. A rule in
 * force-app that is not listed here is reported by `unimplementedRules()` and never fires.
 */
import type { RecordStore, SfRecord } from './store.ts';

export interface RuleContext {
  record: SfRecord;
  /** The record before this write; null on create (ISNEW()). */
  prior: SfRecord | null;
  /** Custom permissions the running user holds ($Permission.X). */
  permissions: ReadonlySet<string>;
  store: RecordStore;
}

export interface RuleImpl {
  /** Fields the formula reads: checked against the schema at start. */
  fields: string[];
  /** True when the record violates the rule (the errorConditionFormula is true). */
  failsWhen: (ctx: RuleContext) => boolean;
}

const blank = (value: unknown): boolean => value === null || value === undefined || value === '';

/** Billing-owned catalog records: only the integration (Billing_Integration_Bypass) writes them. */
const catalogLocked: RuleImpl = {
  fields: ['Billing_Owned__c', 'Billing_External_Id__c'],
  failsWhen: ({ record, prior, permissions }) =>
    !permissions.has('Billing_Integration_Bypass') &&
    (record.Billing_Owned__c === true ||
      !blank(record.Billing_External_Id__c) ||
      (prior !== null && prior.Billing_Owned__c === true)),
};

export const RULES: Record<string, RuleImpl> = {
  'Product2.Billing_Catalog_Locked': catalogLocked,
  'PricebookEntry.Billing_Catalog_Locked': catalogLocked,
  'Billing_Site__c.Site_Key_Matches_Provider': {
    fields: ['Site_Key__c', 'Provider__c'],
    failsWhen: ({ record }) => {
      const key = typeof record.Site_Key__c === 'string' ? record.Site_Key__c : '';
      return (
        !/^(maxio|chargebee):[a-z0-9][a-z0-9-]*$/.test(key) ||
        (record.Provider__c === 'Maxio' && !key.startsWith('maxio:')) ||
        (record.Provider__c === 'Chargebee' && !key.startsWith('chargebee:'))
      );
    },
  },
  'Billing_Site__c.Sync_Requires_Subdomain': {
    fields: ['Sync_Enabled__c', 'Subdomain__c'],
    failsWhen: ({ record }) => record.Sync_Enabled__c === true && blank(record.Subdomain__c),
  },
  'Billing_Site__c.Maxio_Site_Requires_Region': {
    fields: ['Provider__c', 'Region__c'],
    failsWhen: ({ record }) => record.Provider__c === 'Maxio' && blank(record.Region__c),
  },
  'Opportunity.Billing_Create_On_Close_Requires_Account': {
    fields: ['Billing_Create_On_Close__c', 'AccountId'],
    failsWhen: ({ record }) =>
      record.Billing_Create_On_Close__c === true && blank(record.AccountId),
  },
  'Opportunity.Billing_Create_On_Close_Requires_Site': {
    fields: ['Billing_Create_On_Close__c', 'Billing_Site__c'],
    failsWhen: ({ record }) =>
      record.Billing_Create_On_Close__c === true && blank(record.Billing_Site__c),
  },
  'Opportunity.Billing_Preview_Belongs_To_Opportunity': {
    fields: ['Billing_Preview__c'],
    failsWhen: ({ record, store }) => {
      if (blank(record.Billing_Preview__c)) return false;
      const preview = store.get(String(record.Billing_Preview__c));
      return preview?.Opportunity__c !== record.Id;
    },
  },
  'Opportunity.Billing_Preview_Site_Matches': {
    fields: ['Billing_Preview__c', 'Billing_Site__c'],
    failsWhen: ({ record, store }) => {
      if (blank(record.Billing_Preview__c) || blank(record.Billing_Site__c)) return false;
      const preview = store.get(String(record.Billing_Preview__c));
      return (preview?.Site__c ?? null) !== record.Billing_Site__c;
    },
  },
  'Subscription_Preview__c.Use_At_Closed_Won_Requires_Priced': {
    fields: ['Use_At_Closed_Won__c', 'Status__c'],
    failsWhen: ({ record }) =>
      record.Use_At_Closed_Won__c === true &&
      record.Status__c !== 'Priced' &&
      record.Status__c !== 'Used',
  },
  'Subscription_Preview__c.Opportunity_Required': {
    fields: ['Opportunity__c'],
    failsWhen: ({ record }) => blank(record.Opportunity__c),
  },
};

export const IMPLEMENTED_RULES: ReadonlySet<string> = new Set(Object.keys(RULES));

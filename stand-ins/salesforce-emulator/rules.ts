/**
 * The package's validation rules that gate synced data, evaluated as the org would: the rule's
 * condition here in TypeScript (nothing offline evaluates Salesforce formulas), its message and
 * error field read from the metadata, inactive rules skipped. A rule of the package that is not
 * listed here is not enforced by the emulator; `UNENFORCED_RULES` names them so the gap is visible.
 */
import type { ObjectSchema } from './schema.ts';
import type { SfRecord, UserContext } from './records.ts';
import { RecordError } from './records.ts';

type Condition = (record: SfRecord, prior: SfRecord | undefined, user: UserContext) => boolean;

const blank = (v: unknown): boolean => v === null || v === undefined || v === '';

const catalogLocked: Condition = (record, prior, user) =>
  !user.permissions.has('Billing_Integration_Bypass') &&
  (record.Billing_Owned__c === true ||
    !blank(record.Billing_External_Id__c) ||
    (prior !== undefined && prior.Billing_Owned__c === true));

const RULES: Record<string, Condition> = {
  'Product2.Billing_Catalog_Locked': catalogLocked,
  'PricebookEntry.Billing_Catalog_Locked': catalogLocked,
  'Billing_Site__c.Maxio_Site_Requires_Region': (r) =>
    r.Provider__c === 'Maxio' && blank(r.Region__c),
  'Billing_Site__c.Site_Key_Matches_Provider': (r) => {
    const key = typeof r.Site_Key__c === 'string' ? r.Site_Key__c : '';
    return (
      !/^(maxio|chargebee):[a-z0-9][a-z0-9-]*$/.test(key) ||
      (r.Provider__c === 'Maxio' && !key.startsWith('maxio:')) ||
      (r.Provider__c === 'Chargebee' && !key.startsWith('chargebee:'))
    );
  },
  'Billing_Site__c.Sync_Requires_Subdomain': (r) =>
    r.Sync_Enabled__c === true && blank(r.Subdomain__c),
};

/** Package rules the emulator does not evaluate (they guard users' edits, not synced data). */
export const UNENFORCED_RULES = [
  'Opportunity.Billing_Create_On_Close_Requires_Account',
  'Opportunity.Billing_Create_On_Close_Requires_Site',
  'Opportunity.Billing_Preview_Belongs_To_Opportunity',
  'Opportunity.Billing_Preview_Site_Matches',
  'Subscription_Preview__c.Opportunity_Required',
  'Subscription_Preview__c.Use_At_Closed_Won_Requires_Priced',
];

export function checkValidationRules(
  os: ObjectSchema,
  record: SfRecord,
  prior: SfRecord | undefined,
  user: UserContext,
  _data: unknown,
): void {
  for (const rule of os.validationRules) {
    if (!rule.active) continue;
    const condition = RULES[`${os.name}.${rule.name}`];
    if (condition && condition(record, prior, user)) {
      throw new RecordError([
        {
          statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          message: rule.message,
          fields: rule.displayField ? [rule.displayField] : [],
        },
      ]);
    }
  }
}

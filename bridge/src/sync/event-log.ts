/**
 * The Event Log in Salesforce (`Billing_Event_Log__c`): where an admin sees what did not sync,
 * why, and what the bridge will do about it. The bridge's store holds the failures durably; this
 * module turns one into the record admins read, upserted on `Idempotency_Key__c` so the same
 * failing record keeps one log entry whose attempts count up, and which turns Resolved when a
 * later attempt succeeds.
 *
 * The log record looks up only its Billing Site (written when the site was connected): a lookup to
 * the record that failed could itself fail when that record was never written.
 */
import type { SiteKey } from '../model/canonical.ts';
import type { SalesforceRecord } from './records.ts';

export type LogSource = 'Webhook' | 'API' | 'Backfill' | 'Flow';
export type LogStatus = 'Open' | 'Retrying' | 'Resolved' | 'Ignored';

export interface SyncFailureEntry {
  siteKey: SiteKey;
  sobject: string;
  externalId: string;
  source: LogSource;
  errorCode: string;
  message: string;
  /** The record body the bridge tried to write (JSON), for the admin and the retry. */
  payload: string;
  attempts: number;
  firstFailedAt: string;
  lastAttemptAt: string;
  nextRetryAt?: string | null;
  status: LogStatus;
  eventId?: string | null;
  httpStatus?: number | null;
  resolvedAt?: string | null;
}

const PAYLOAD_LIMIT = 131_072;
const MESSAGE_LIMIT = 32_768;

/** What an admin can do about the common Salesforce errors. */
const HINTS: Record<string, string> = {
  REQUIRED_FIELD_MISSING:
    'A required field has no value in the billing record. Fill it in the billing platform, or relax the field requirement; the bridge retries automatically.',
  STRING_TOO_LONG: 'A value is longer than the Salesforce field allows.',
  FIELD_CUSTOM_VALIDATION_EXCEPTION:
    'A validation rule refused the record. Check the rule, or that the integration user has the Billing Integration Bypass permission.',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
    'The billing value is not in the picklist. Add the value to the field, then retry.',
  DUPLICATE_VALUE: 'Another record already has this external id or unique value.',
  INVALID_FIELD:
    'A field or a referenced record is missing. If the message names a foreign key, the parent has not synced yet; the bridge retries.',
  INSUFFICIENT_ACCESS_OR_READONLY:
    'The integration user cannot write this record. Assign the Billing Integration permission set.',
  INVALID_FIELD_FOR_INSERT_UPDATE:
    'A field cannot be written by the integration user; check field-level security in the Billing Integration permission set.',
  UNABLE_TO_LOCK_ROW: 'Another process held the record; the bridge retries automatically.',
  MAPPING_ERROR: 'The billing record could not be mapped; see the message.',
};

/** The Idempotency_Key__c of a sync failure's log entry: one entry per failing record. */
export function eventLogKey(sobject: string, externalId: string): string {
  const key = `sync:${sobject}:${externalId}`;
  return key.length <= 255 ? key : key.slice(0, 255);
}

const cut = (text: string, limit: number): string =>
  text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;

export function eventLogRecord(entry: SyncFailureEntry): SalesforceRecord {
  return {
    sobject: 'Billing_Event_Log__c',
    externalIdField: 'Idempotency_Key__c',
    externalId: eventLogKey(entry.sobject, entry.externalId),
    fields: {
      Status__c: entry.status,
      Source__c: entry.source,
      Operation__c: 'Upsert',
      Related_Object__c: cut(entry.sobject, 80),
      Record_External_Id__c: cut(entry.externalId, 255),
      Error_Code__c: cut(entry.errorCode, 255),
      Error_Message__c: cut(entry.message, MESSAGE_LIMIT),
      Resolution_Hint__c: HINTS[entry.errorCode] ?? null,
      Payload__c: cut(entry.payload, PAYLOAD_LIMIT),
      Attempts__c: Math.min(entry.attempts, 9999),
      First_Failed_At__c: entry.firstFailedAt,
      Last_Attempt_At__c: entry.lastAttemptAt,
      Next_Retry_At__c: entry.status === 'Retrying' ? (entry.nextRetryAt ?? null) : null,
      Resolved_At__c:
        entry.status === 'Resolved' ? (entry.resolvedAt ?? entry.lastAttemptAt) : null,
      Event_Id__c: entry.eventId ? cut(entry.eventId, 255) : null,
      HTTP_Status__c: entry.httpStatus ?? null,
    },
    references: {
      Site__r: {
        sobject: 'Billing_Site__c',
        externalIdField: 'Site_Key__c',
        externalId: entry.siteKey,
      },
    },
    sourceResource: 'site',
    sourceId: entry.siteKey,
  };
}

/**
 * Retries asked for in Salesforce. An admin who fixed the cause of a failure (a picklist value,
 * a validation rule, a permission) sets the Event Log entry's status to Retrying and its next
 * retry time to now, from the Sync Health component or the record itself. The bridge reads those
 * requests with one SOQL query per tick and moves the matching failures in its store to "due
 * now", so the next retry pass re-syncs them from the billing platform.
 */
import type { Connection } from 'jsforce';
import { toSalesforceError } from '../salesforce/errors.ts';

export interface RetryRequest {
  logId: string;
  sobject: string;
  externalId: string;
  siteKey: string | null;
}

/**
 * The SOQL the bridge runs: entries marked Retrying whose retry time has come. SOQL has no NOW()
 * in WHERE, so the time is a datetime literal (unquoted, UTC).
 */
export function retryRequestSoql(now: Date): string {
  const literal = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `SELECT Id, Related_Object__c, Record_External_Id__c, Site__r.Site_Key__c FROM Billing_Event_Log__c WHERE Status__c = 'Retrying' AND Next_Retry_At__c <= ${literal} AND Related_Object__c != null AND Record_External_Id__c != null ORDER BY Next_Retry_At__c LIMIT 2000`;
}

interface LogRow {
  Id: string;
  Related_Object__c: string;
  Record_External_Id__c: string;
  Site__r?: { Site_Key__c?: string | null } | null;
}

export async function readRetryRequests(
  conn: Connection,
  now: Date = new Date(),
): Promise<RetryRequest[]> {
  try {
    const result = await conn.query<LogRow>(retryRequestSoql(now));
    return result.records.map((row) => ({
      logId: row.Id,
      sobject: row.Related_Object__c,
      externalId: row.Record_External_Id__c,
      siteKey: row.Site__r?.Site_Key__c ?? null,
    }));
  } catch (error) {
    throw toSalesforceError(error);
  }
}

import { LightningElement, api, wire } from 'lwc';
import { updateRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords, type RelatedListRecords } from 'lightning/uiRelatedListApi';
import { getObjectInfo, type ObjectInfo } from 'lightning/uiObjectInfoApi';
import { NavigationMixin } from 'lightning/navigation';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { refreshApex } from '@salesforce/apex';
import LOCALE from '@salesforce/i18n/locale';
import TIME_ZONE from '@salesforce/i18n/timeZone';
import { formatLabel, reduceErrors } from 'c/ldsUtils';
import type { SyncHealthIds, SyncHealthRow } from 'c/syncHealthList';
import EVENT_LOG_OBJECT from '@salesforce/schema/Billing_Event_Log__c';
import SITE_OBJECT from '@salesforce/schema/Billing_Site__c';
import NAME_FIELD from '@salesforce/schema/Billing_Event_Log__c.Name';
import STATUS_FIELD from '@salesforce/schema/Billing_Event_Log__c.Status__c';
import ERROR_CODE_FIELD from '@salesforce/schema/Billing_Event_Log__c.Error_Code__c';
import ERROR_MESSAGE_FIELD from '@salesforce/schema/Billing_Event_Log__c.Error_Message__c';
import RELATED_OBJECT_FIELD from '@salesforce/schema/Billing_Event_Log__c.Related_Object__c';
import EXTERNAL_ID_FIELD from '@salesforce/schema/Billing_Event_Log__c.Record_External_Id__c';
import ATTEMPTS_FIELD from '@salesforce/schema/Billing_Event_Log__c.Attempts__c';
import LAST_ATTEMPT_FIELD from '@salesforce/schema/Billing_Event_Log__c.Last_Attempt_At__c';
import NEXT_RETRY_FIELD from '@salesforce/schema/Billing_Event_Log__c.Next_Retry_At__c';
import HINT_FIELD from '@salesforce/schema/Billing_Event_Log__c.Resolution_Hint__c';
import TITLE from '@salesforce/label/c.Billing_Health_Title';
import SITE from '@salesforce/label/c.Billing_Health_Site';
import SITE_HELP from '@salesforce/label/c.Billing_Health_SiteHelp';
import LOADING from '@salesforce/label/c.Billing_Health_Loading';
import COUNTS from '@salesforce/label/c.Billing_Health_Counts';
import PARTIAL from '@salesforce/label/c.Billing_Health_Partial';
import OPEN from '@salesforce/label/c.Billing_Health_Open';
import RETRYING from '@salesforce/label/c.Billing_Health_Retrying';
import RESOLVED from '@salesforce/label/c.Billing_Health_Resolved';
import LOAD_ERROR from '@salesforce/label/c.Billing_Health_LoadError';
import UPDATE_ERROR from '@salesforce/label/c.Billing_Health_UpdateError';
import RETRIED_TITLE from '@salesforce/label/c.Billing_Health_RetriedTitle';
import RETRIED_MESSAGE from '@salesforce/label/c.Billing_Health_RetriedMessage';
import IGNORED_TITLE from '@salesforce/label/c.Billing_Health_IgnoredTitle';
import IGNORED_MESSAGE from '@salesforce/label/c.Billing_Health_IgnoredMessage';

/** The Billing_Site__c → Billing_Event_Log__c relationship (Billing_Event_Log__c.Site__c). */
export const RELATED_LIST_ID = 'Billing_Event_Logs__r';
/**
 * The newest entries a page holds. Counts are taken from them; when a site has more, the card
 * says the counts cover only these.
 */
export const PAGE_SIZE = 200;

/** Status__c values the bridge reads (restricted picklist API names, never translated). */
const STATUS = { open: 'Open', retrying: 'Retrying', resolved: 'Resolved', ignored: 'Ignored' };

type Field = { objectApiName: string; fieldApiName: string };
const qualified = (field: Field): string => `${field.objectApiName}.${field.fieldApiName}`;
const ENTRY_FIELDS = [
  NAME_FIELD,
  STATUS_FIELD,
  ERROR_CODE_FIELD,
  ERROR_MESSAGE_FIELD,
  RELATED_OBJECT_FIELD,
  EXTERNAL_ID_FIELD,
  ATTEMPTS_FIELD,
  LAST_ATTEMPT_FIELD,
  NEXT_RETRY_FIELD,
  HINT_FIELD,
].map(qualified);

type WiredEntries = { data?: RelatedListRecords; error?: unknown };

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

function dateTime(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  return new Intl.DateTimeFormat(LOCALE, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  }).format(new Date(value));
}

/**
 * Sync Health for admins: a billing site's Event Log at a glance (counts by status) and the
 * entries that still need attention, with Retry now (Status Retrying, Next Retry At now: the
 * bridge's retrier picks those up), Ignore and View. On a Billing Site record page it shows that
 * site; on an App Page the admin picks the site.
 */
export default class SyncHealth extends NavigationMixin(LightningElement) {
  @api recordId?: string;

  /** The site chosen on an App Page (no record context there). */
  pickedSiteId?: string;
  related?: RelatedListRecords;
  /** The whole provisioned value, which refreshApex needs. */
  wiredValue?: WiredEntries;
  error: unknown;
  errorMessage = '';
  busy = false;

  labels = { TITLE, SITE, SITE_HELP, LOADING, COUNTS };
  siteObjectApiName = SITE_OBJECT.objectApiName;

  get siteId(): string | undefined {
    return this.recordId ?? this.pickedSiteId;
  }

  /** Field-level security of the Event Log, to offer Retry and Ignore only to who may use them. */
  @wire(getObjectInfo, { objectApiName: EVENT_LOG_OBJECT })
  eventLogInfo?: { data?: ObjectInfo; error?: unknown };

  @wire(getRelatedListRecords, {
    parentRecordId: '$siteId',
    relatedListId: RELATED_LIST_ID,
    fields: ENTRY_FIELDS,
    sortBy: [`-${qualified(LAST_ATTEMPT_FIELD)}`],
    pageSize: PAGE_SIZE,
  })
  wiredEntries(value: WiredEntries): void {
    this.wiredValue = value;
    if (value.data) {
      this.related = value.data;
      if (this.errorMessage === LOAD_ERROR) this.clearError();
    } else if (value.error) {
      this.related = undefined;
      this.showError(LOAD_ERROR, value.error);
    }
  }

  /**
   * Retry now and Ignore write Status and Next Retry At: offered when the user may edit both
   * (Billing Admin, the integration user); others, like sales users, see the list read-only.
   */
  get canEdit(): boolean {
    const info = this.eventLogInfo?.data;
    return Boolean(
      info?.updateable &&
      info.fields[STATUS_FIELD.fieldApiName]?.updateable &&
      info.fields[NEXT_RETRY_FIELD.fieldApiName]?.updateable,
    );
  }

  get readOnly(): boolean {
    return !this.canEdit;
  }

  get choosingSite(): boolean {
    return !this.recordId;
  }

  get loading(): boolean {
    return Boolean(this.siteId) && this.related === undefined && !this.error;
  }

  get loaded(): boolean {
    return this.related !== undefined;
  }

  private statusOf(record: RelatedListRecords['records'][number]): string {
    return text(record.fields[STATUS_FIELD.fieldApiName]?.value);
  }

  get counts(): { key: string; label: string; count: number }[] {
    const records = this.related?.records ?? [];
    const count = (status: string) => records.filter((r) => this.statusOf(r) === status).length;
    return [
      { key: STATUS.open, label: OPEN, count: count(STATUS.open) },
      { key: STATUS.retrying, label: RETRYING, count: count(STATUS.retrying) },
      { key: STATUS.resolved, label: RESOLVED, count: count(STATUS.resolved) },
    ];
  }

  get partialNote(): string {
    return this.related?.nextPageToken ? formatLabel(PARTIAL, this.related.records.length) : '';
  }

  get rows(): SyncHealthRow[] {
    const attempts = new Intl.NumberFormat(LOCALE);
    return (this.related?.records ?? [])
      .filter((record) => [STATUS.open, STATUS.retrying].includes(this.statusOf(record)))
      .map((record) => {
        const field = (f: Field) => record.fields[f.fieldApiName];
        const value = (f: Field) => field(f)?.value;
        const count = value(ATTEMPTS_FIELD);
        return {
          id: record.id,
          name: text(value(NAME_FIELD)) || record.id,
          status: field(STATUS_FIELD)?.displayValue ?? this.statusOf(record),
          retrying: this.statusOf(record) === STATUS.retrying,
          errorCode: text(value(ERROR_CODE_FIELD)),
          relatedObject: text(value(RELATED_OBJECT_FIELD)),
          externalId: text(value(EXTERNAL_ID_FIELD)),
          attempts: typeof count === 'number' ? attempts.format(count) : '',
          lastAttempt: dateTime(value(LAST_ATTEMPT_FIELD)),
          // Without a hint, the error itself is the best guide.
          hint: text(value(HINT_FIELD)) || text(value(ERROR_MESSAGE_FIELD)),
        };
      });
  }

  handleSiteChange(event: CustomEvent<{ recordId?: string | null }>): void {
    this.pickedSiteId = event.detail.recordId ?? undefined;
    this.related = undefined;
    this.clearError();
  }

  async handleRetry(event: CustomEvent<SyncHealthIds>): Promise<void> {
    // The bridge retries entries in Retrying whose Next Retry At has come: now, for these.
    await this.update(
      event.detail.ids,
      {
        [STATUS_FIELD.fieldApiName]: STATUS.retrying,
        [NEXT_RETRY_FIELD.fieldApiName]: new Date().toISOString(),
      },
      RETRIED_TITLE,
      RETRIED_MESSAGE,
    );
  }

  async handleIgnore(event: CustomEvent<SyncHealthIds>): Promise<void> {
    await this.update(
      event.detail.ids,
      { [STATUS_FIELD.fieldApiName]: STATUS.ignored },
      IGNORED_TITLE,
      IGNORED_MESSAGE,
    );
  }

  handleView(event: CustomEvent<{ id: string }>): void {
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: {
        recordId: event.detail.id,
        objectApiName: EVENT_LOG_OBJECT.objectApiName,
        actionName: 'view',
      },
    });
  }

  /** Saves each entry on its own, so one refused entry does not hold back the others. */
  private async update(
    ids: string[],
    fields: Record<string, unknown>,
    title: string,
    message: string,
  ): Promise<void> {
    if (ids.length === 0) return;
    this.clearError();
    this.busy = true;
    try {
      const results = await Promise.allSettled(
        ids.map((id) => updateRecord({ fields: { Id: id, ...fields } })),
      );
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      const saved = ids.length - failures.length;
      if (saved > 0) this.toast(title, formatLabel(message, saved), 'success');
      if (failures.length > 0) {
        this.showError(UPDATE_ERROR, failures);
        this.toast(UPDATE_ERROR, reduceErrors(failures).join(' '), 'error');
      }
      // updateRecord refreshes each record; the list itself (which rows, the counts) is re-read.
      if (this.wiredValue) await refreshApex(this.wiredValue);
    } finally {
      this.busy = false;
    }
  }

  private toast(title: string, message: string, variant: 'success' | 'error'): void {
    this.dispatchEvent(new ShowToastEvent({ title, message, variant }));
  }

  private showError(message: string, error: unknown): void {
    this.errorMessage = message;
    this.error = error;
  }

  private clearError(): void {
    this.errorMessage = '';
    this.error = undefined;
  }
}

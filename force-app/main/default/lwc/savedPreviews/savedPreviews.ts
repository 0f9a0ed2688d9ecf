import { LightningElement, api, wire } from 'lwc';
import {
  getRecord,
  getFieldValue,
  updateRecord,
  notifyRecordUpdateAvailable,
  type RecordRepresentation,
} from 'lightning/uiRecordApi';
import { getRelatedListRecords, type RelatedListRecords } from 'lightning/uiRelatedListApi';
import LOCALE from '@salesforce/i18n/locale';
import CHOSEN_PREVIEW_FIELD from '@salesforce/schema/Opportunity.Billing_Preview__c';
import NAME_FIELD from '@salesforce/schema/Subscription_Preview__c.Name';
import PRICED_AT_FIELD from '@salesforce/schema/Subscription_Preview__c.Priced_At__c';
import CURRENCY_FIELD from '@salesforce/schema/Subscription_Preview__c.Currency_Code__c';
import CURRENT_TOTAL_FIELD from '@salesforce/schema/Subscription_Preview__c.Current_Total__c';
import NEXT_TOTAL_FIELD from '@salesforce/schema/Subscription_Preview__c.Next_Total__c';
import TITLE from '@salesforce/label/c.Billing_Saved_Title';
import LOAD_ERROR from '@salesforce/label/c.Billing_Saved_LoadError';
import CHOOSE_ERROR from '@salesforce/label/c.Billing_Saved_ChooseError';
import type { SavedPreviewRow } from 'c/savedPreviewList';

/** The Opportunity → Subscription_Preview__c relationship (Subscription_Preview__c.Opportunity__c). */
export const RELATED_LIST_ID = 'Subscription_Previews__r';

const qualified = (field: { objectApiName: string; fieldApiName: string }): string =>
  `${field.objectApiName}.${field.fieldApiName}`;
const PREVIEW_FIELDS = [
  NAME_FIELD,
  PRICED_AT_FIELD,
  CURRENCY_FIELD,
  CURRENT_TOTAL_FIELD,
  NEXT_TOTAL_FIELD,
].map(qualified);

function money(value: unknown, currency: unknown): string {
  if (typeof value !== 'number' || typeof currency !== 'string' || !currency) return '';
  return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(value);
}

function dateTime(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(value),
  );
}

/**
 * Saved subscription previews of an Opportunity (seed: "a Subscription preview can also be added
 * to the Opportunity so sales teams can reference any previously discussed pricing"). Choosing one
 * sets Opportunity.Billing_Preview__c, which the Closed/Won flow creates the subscription from.
 */
export default class SavedPreviews extends LightningElement {
  @api recordId?: string;

  opportunity?: RecordRepresentation;
  related?: RelatedListRecords;
  error: unknown;
  errorMessage = '';
  busy = false;
  title = TITLE;

  @wire(getRecord, { recordId: '$recordId', fields: [CHOSEN_PREVIEW_FIELD] })
  wiredOpportunity({ data, error }: { data?: RecordRepresentation; error?: unknown }): void {
    this.opportunity = data;
    if (error) this.showError(LOAD_ERROR, error);
  }

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: RELATED_LIST_ID,
    fields: PREVIEW_FIELDS,
    sortBy: [`-${qualified(PRICED_AT_FIELD)}`],
  })
  wiredPreviews({ data, error }: { data?: RelatedListRecords; error?: unknown }): void {
    this.related = data;
    if (error) this.showError(LOAD_ERROR, error);
  }

  get loaded(): boolean {
    return this.related !== undefined;
  }

  get previews(): SavedPreviewRow[] {
    const chosen = getFieldValue(this.opportunity, CHOSEN_PREVIEW_FIELD);
    return (this.related?.records ?? []).map((record) => {
      const value = (field: { fieldApiName: string }) => record.fields[field.fieldApiName]?.value;
      const currency = value(CURRENCY_FIELD);
      return {
        id: record.id,
        name: String(value(NAME_FIELD) ?? record.id),
        pricedAt: dateTime(value(PRICED_AT_FIELD)),
        firstInvoice: money(value(CURRENT_TOTAL_FIELD), currency),
        next: money(value(NEXT_TOTAL_FIELD), currency),
        chosen: record.id === chosen,
      };
    });
  }

  async handleChoose(event: CustomEvent<{ previewId: string }>): Promise<void> {
    if (!this.recordId) return;
    this.error = undefined;
    this.busy = true;
    try {
      await updateRecord({
        fields: { Id: this.recordId, [CHOSEN_PREVIEW_FIELD.fieldApiName]: event.detail.previewId },
      });
      await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
    } catch (error) {
      this.showError(CHOOSE_ERROR, error);
    } finally {
      this.busy = false;
    }
  }

  private showError(message: string, error: unknown): void {
    this.errorMessage = message;
    this.error = error;
  }
}

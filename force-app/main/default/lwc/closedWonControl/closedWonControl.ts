import { LightningElement, api, wire } from 'lwc';
import {
  getRecord,
  getFieldValue,
  getFieldDisplayValue,
  updateRecord,
  notifyRecordUpdateAvailable,
  type RecordRepresentation,
} from 'lightning/uiRecordApi';
import CREATE_ON_CLOSE_FIELD from '@salesforce/schema/Opportunity.Billing_Create_On_Close__c';
import PREVIEW_FIELD from '@salesforce/schema/Opportunity.Billing_Preview__c';
import PREVIEW_NAME_FIELD from '@salesforce/schema/Opportunity.Billing_Preview__r.Name';
import STATUS_FIELD from '@salesforce/schema/Opportunity.Billing_Status__c';
import LAST_ERROR_FIELD from '@salesforce/schema/Opportunity.Billing_Last_Error__c';
import SUBSCRIPTION_NAME_FIELD from '@salesforce/schema/Opportunity.Billing_Subscription__r.Name';
import SUBSCRIPTION_ID_FIELD from '@salesforce/schema/Opportunity.Billing_Subscription_Id__c';
import TITLE from '@salesforce/label/c.Billing_ClosedWon_Title';
import LOAD_ERROR from '@salesforce/label/c.Billing_ClosedWon_LoadError';
import SAVE_ERROR from '@salesforce/label/c.Billing_ClosedWon_SaveError';
import CREATE_ERROR from '@salesforce/label/c.Billing_ClosedWon_CreateError';
import type { FlowOutputs } from 'c/billingFlowRunner';

/** The screenless flow that calls the bridge's createSubscription through the External Service. */
export const CREATE_FLOW = 'Billing_Create_Subscription';

const FIELDS = [
  CREATE_ON_CLOSE_FIELD,
  PREVIEW_FIELD,
  STATUS_FIELD,
  LAST_ERROR_FIELD,
  SUBSCRIPTION_ID_FIELD,
];
const OPTIONAL_FIELDS = [PREVIEW_NAME_FIELD, SUBSCRIPTION_NAME_FIELD];

type FlowRunnerElement = HTMLElement & {
  run(
    flowApiName: string,
    inputs: { name: string; type: string; value: unknown }[],
  ): Promise<FlowOutputs>;
};

/**
 * The Opportunity's Closed/Won control (seed: "Opportunities now have the ability to control when a
 * subscription is created when moved to a Closed/Won state"; Chargebee's "Update Chargebee").
 * Reads and writes the Opportunity's billing fields; "Create now" and "Retry" run the create flow.
 */
export default class ClosedWonControl extends LightningElement {
  @api recordId?: string;

  record?: RecordRepresentation;
  loadError: unknown;
  actionError: unknown;
  actionErrorMessage = '';
  busy = false;
  title = TITLE;
  loadErrorMessage = LOAD_ERROR;

  @wire(getRecord, { recordId: '$recordId', fields: FIELDS, optionalFields: OPTIONAL_FIELDS })
  wiredRecord({ data, error }: { data?: RecordRepresentation; error?: unknown }): void {
    this.record = data;
    this.loadError = data ? undefined : error;
  }

  get loaded(): boolean {
    return this.record !== undefined;
  }

  get createOnClose(): boolean {
    return getFieldValue(this.record, CREATE_ON_CLOSE_FIELD) === true;
  }

  get previewName(): string | null {
    const id = getFieldValue(this.record, PREVIEW_FIELD);
    if (!id) return null;
    return (getFieldValue(this.record, PREVIEW_NAME_FIELD) as string | null) ?? String(id);
  }

  get statusValue(): string | null {
    return (getFieldValue(this.record, STATUS_FIELD) as string | null) ?? null;
  }

  get statusLabel(): string | null {
    return getFieldDisplayValue(this.record, STATUS_FIELD) ?? this.statusValue;
  }

  get subscriptionName(): string | null {
    return (
      (getFieldValue(this.record, SUBSCRIPTION_NAME_FIELD) as string | null) ??
      (getFieldValue(this.record, SUBSCRIPTION_ID_FIELD) as string | null) ??
      null
    );
  }

  get lastError(): string | null {
    return (getFieldValue(this.record, LAST_ERROR_FIELD) as string | null) ?? null;
  }

  async handleCreateOnCloseChange(event: CustomEvent<{ value: boolean }>): Promise<void> {
    this.actionError = undefined;
    try {
      await updateRecord({
        fields: { Id: this.recordId, [CREATE_ON_CLOSE_FIELD.fieldApiName]: event.detail.value },
      });
    } catch (error) {
      this.showActionError(SAVE_ERROR, error);
    }
  }

  async handleCreateNow(): Promise<void> {
    const runner = this.template?.querySelector<FlowRunnerElement>('c-billing-flow-runner');
    if (!runner || !this.recordId) return;
    this.actionError = undefined;
    this.busy = true;
    try {
      await runner.run(CREATE_FLOW, [
        { name: 'opportunityId', type: 'String', value: this.recordId },
      ]);
    } catch (error) {
      this.showActionError(CREATE_ERROR, error);
    } finally {
      this.busy = false;
      // The flow (and, on failure, the bridge) wrote the Opportunity: show the new state.
      await notifyRecordUpdateAvailable([{ recordId: this.recordId }]);
    }
  }

  private showActionError(message: string, error: unknown): void {
    this.actionErrorMessage = message;
    this.actionError = error;
  }
}

import { LightningElement, api } from 'lwc';
import CREATE_ON_CLOSE from '@salesforce/label/c.Billing_ClosedWon_CreateOnClose';
import CREATE_ON_CLOSE_HELP from '@salesforce/label/c.Billing_ClosedWon_CreateOnCloseHelp';
import PREVIEW from '@salesforce/label/c.Billing_ClosedWon_Preview';
import NO_PREVIEW from '@salesforce/label/c.Billing_ClosedWon_NoPreview';
import STATUS from '@salesforce/label/c.Billing_ClosedWon_Status';
import SUBSCRIPTION from '@salesforce/label/c.Billing_ClosedWon_Subscription';
import LAST_ERROR from '@salesforce/label/c.Billing_ClosedWon_LastError';
import CREATE_NOW from '@salesforce/label/c.Billing_ClosedWon_CreateNow';
import RETRY from '@salesforce/label/c.Billing_ClosedWon_Retry';
import CREATING from '@salesforce/label/c.Billing_ClosedWon_Creating';
import NOT_REQUESTED from '@salesforce/label/c.Billing_ClosedWon_NotRequested';

/**
 * What an Opportunity will do, or did, about its subscription at Closed/Won. Presentational: it
 * raises `createonclosechange` (detail `{ value }`), `createnow` and `retry`; the container acts.
 */
export default class ClosedWonSummary extends LightningElement {
  @api createOnClose = false;
  @api previewName: string | null = null;
  @api statusValue: string | null = null;
  @api statusLabel: string | null = null;
  @api subscriptionName: string | null = null;
  @api lastError: string | null = null;
  @api busy = false;
  @api disabled = false;

  labels = {
    CREATE_ON_CLOSE,
    CREATE_ON_CLOSE_HELP,
    PREVIEW,
    NO_PREVIEW,
    STATUS,
    SUBSCRIPTION,
    LAST_ERROR,
    CREATE_NOW,
    RETRY,
    CREATING,
  };

  /** The picklist's label, or "Not requested" before the opportunity asked for anything. */
  get statusText(): string {
    return this.statusLabel || NOT_REQUESTED;
  }

  get created(): boolean {
    return this.statusValue === 'Created';
  }

  get failed(): boolean {
    return this.statusValue === 'Failed';
  }

  get createNowDisabled(): boolean {
    return this.disabled || this.busy || this.created || !this.previewName;
  }

  get toggleDisabled(): boolean {
    return this.disabled || this.busy || this.created;
  }

  get badgeClass(): string {
    if (this.created) return 'slds-badge slds-theme_success';
    if (this.failed) return 'slds-badge slds-theme_error';
    return 'slds-badge';
  }

  handleToggle(event: CustomEvent<{ checked: boolean }>): void {
    this.dispatchEvent(
      new CustomEvent('createonclosechange', { detail: { value: event.detail.checked } }),
    );
  }

  handleCreateNow(): void {
    this.dispatchEvent(new CustomEvent('createnow'));
  }

  handleRetry(): void {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}

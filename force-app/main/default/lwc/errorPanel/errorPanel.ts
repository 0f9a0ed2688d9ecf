import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import DEFAULT_MESSAGE from '@salesforce/label/c.Billing_Error_DefaultMessage';
import SHOW_DETAILS from '@salesforce/label/c.Billing_Error_ShowDetails';
import HIDE_DETAILS from '@salesforce/label/c.Billing_Error_HideDetails';

/**
 * The one place errors are shown: a friendly message and, on demand, the underlying messages
 * that `reduceErrors` extracts from whatever the container caught.
 */
export default class ErrorPanel extends LightningElement {
  /** A short, user-facing summary; defaults to a generic label. */
  @api friendlyMessage: string = DEFAULT_MESSAGE;
  /** Any error shape: UI API, Flow fault, bridge error body, JS Error, or a list of them. */
  @api errors: unknown;

  viewDetails = false;

  get errorMessages(): string[] {
    return reduceErrors(this.errors);
  }

  get hasDetails(): boolean {
    return this.errorMessages.length > 0;
  }

  get toggleLabel(): string {
    return this.viewDetails ? HIDE_DETAILS : SHOW_DETAILS;
  }

  handleToggleDetails(): void {
    this.viewDetails = !this.viewDetails;
  }
}

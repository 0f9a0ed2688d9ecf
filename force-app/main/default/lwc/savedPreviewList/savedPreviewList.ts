import { LightningElement, api } from 'lwc';
import NAME from '@salesforce/label/c.Billing_Saved_Name';
import PRICED from '@salesforce/label/c.Billing_Saved_Priced';
import FIRST from '@salesforce/label/c.Billing_Saved_FirstInvoice';
import NEXT from '@salesforce/label/c.Billing_Saved_Next';
import USE from '@salesforce/label/c.Billing_Saved_Use';
import CHOSEN from '@salesforce/label/c.Billing_Saved_Chosen';
import EMPTY from '@salesforce/label/c.Billing_Saved_Empty';

/** One saved preview, already formatted for display by the container. */
export interface SavedPreviewRow {
  id: string;
  name: string;
  pricedAt: string;
  firstInvoice: string;
  next: string;
  chosen: boolean;
}

/**
 * The Opportunity's saved previews, newest first, with the one chosen for Closed/Won marked.
 * Presentational: raises `choose` (detail `{ previewId }`).
 */
export default class SavedPreviewList extends LightningElement {
  @api previews: SavedPreviewRow[] = [];
  @api disabled = false;

  labels = { NAME, PRICED, FIRST, NEXT, USE, CHOSEN, EMPTY };

  get hasPreviews(): boolean {
    return this.previews.length > 0;
  }

  handleChoose(event: Event): void {
    const previewId = (event.currentTarget as HTMLElement).dataset.id;
    this.dispatchEvent(new CustomEvent('choose', { detail: { previewId } }));
  }
}

import { LightningElement, api } from 'lwc';
import { formatLabel } from 'c/ldsUtils';
import CAPTION from '@salesforce/label/c.Billing_Health_Caption';
import COL_ENTRY from '@salesforce/label/c.Billing_Health_ColEntry';
import COL_ERROR from '@salesforce/label/c.Billing_Health_ColError';
import COL_RECORD from '@salesforce/label/c.Billing_Health_ColRecord';
import COL_ATTEMPTS from '@salesforce/label/c.Billing_Health_ColAttempts';
import COL_LAST_ATTEMPT from '@salesforce/label/c.Billing_Health_ColLastAttempt';
import COL_HINT from '@salesforce/label/c.Billing_Health_ColHint';
import COL_ACTIONS from '@salesforce/label/c.Billing_Health_ColActions';
import SELECT_ALL from '@salesforce/label/c.Billing_Health_SelectAll';
import SELECT_ROW from '@salesforce/label/c.Billing_Health_SelectRow';
import RETRY from '@salesforce/label/c.Billing_Health_Retry';
import RETRY_ROW from '@salesforce/label/c.Billing_Health_RetryRow';
import RETRY_SELECTED from '@salesforce/label/c.Billing_Health_RetrySelected';
import IGNORE from '@salesforce/label/c.Billing_Health_Ignore';
import IGNORE_ROW from '@salesforce/label/c.Billing_Health_IgnoreRow';
import IGNORE_SELECTED from '@salesforce/label/c.Billing_Health_IgnoreSelected';
import VIEW from '@salesforce/label/c.Billing_Health_View';
import VIEW_ROW from '@salesforce/label/c.Billing_Health_ViewRow';
import EMPTY from '@salesforce/label/c.Billing_Health_Empty';

/** One Event Log entry that still needs attention, already formatted by the container. */
export interface SyncHealthRow {
  id: string;
  /** The entry's name (LOG-000123): how admins refer to it. */
  name: string;
  /** The status as the org displays it (translated picklist label). */
  status: string;
  retrying: boolean;
  errorCode: string;
  relatedObject: string;
  externalId: string;
  attempts: string;
  lastAttempt: string;
  hint: string;
}

/** The ids a `retry` or `ignore` event asks for, or the one a `view` event names. */
export interface SyncHealthIds {
  ids: string[];
}

interface RowView extends SyncHealthRow {
  selected: boolean;
  statusClass: string;
  selectLabel: string;
  retryLabel: string;
  ignoreLabel: string;
  viewLabel: string;
}

/**
 * The open and retrying Event Log entries of a site, with per-row and bulk actions.
 * Presentational: keeps only which rows are ticked, and raises `retry` and `ignore`
 * (detail `{ ids }`) and `view` (detail `{ id }`); the container writes and navigates.
 */
export default class SyncHealthList extends LightningElement {
  @api rows: SyncHealthRow[] = [];
  /** True while the container is saving: every action waits. */
  @api disabled = false;
  /** True for users who may not edit entries: the list without Retry, Ignore and selection. */
  @api readOnly = false;

  /** Ticked row ids; rows that have left the list are dropped in `selection`. */
  selectedIds: string[] = [];

  labels = {
    CAPTION,
    COL_ENTRY,
    COL_ERROR,
    COL_RECORD,
    COL_ATTEMPTS,
    COL_LAST_ATTEMPT,
    COL_HINT,
    COL_ACTIONS,
    SELECT_ALL,
    RETRY,
    RETRY_SELECTED,
    IGNORE,
    IGNORE_SELECTED,
    VIEW,
    EMPTY,
  };

  get editable(): boolean {
    return !this.readOnly;
  }

  get hasRows(): boolean {
    return this.rows.length > 0;
  }

  get selection(): string[] {
    const present = new Set(this.rows.map((row) => row.id));
    return this.selectedIds.filter((id) => present.has(id));
  }

  get allSelected(): boolean {
    return this.hasRows && this.selection.length === this.rows.length;
  }

  get bulkDisabled(): boolean {
    return this.disabled || this.selection.length === 0;
  }

  get viewRows(): RowView[] {
    const selected = new Set(this.selection);
    return this.rows.map((row) => ({
      ...row,
      selected: selected.has(row.id),
      statusClass: row.retrying ? 'slds-badge slds-badge_lightest' : 'slds-badge',
      selectLabel: formatLabel(SELECT_ROW, row.name),
      retryLabel: formatLabel(RETRY_ROW, row.name),
      ignoreLabel: formatLabel(IGNORE_ROW, row.name),
      viewLabel: formatLabel(VIEW_ROW, row.name),
    }));
  }

  handleSelect(event: Event): void {
    const target = event.target as HTMLInputElement;
    const id = target.dataset.id ?? '';
    const others = this.selection.filter((selectedId) => selectedId !== id);
    this.selectedIds = target.checked ? [...others, id] : others;
  }

  handleSelectAll(event: Event): void {
    this.selectedIds = (event.target as HTMLInputElement).checked
      ? this.rows.map((row) => row.id)
      : [];
  }

  handleRetryRow(event: Event): void {
    this.raise('retry', [this.idOf(event)]);
  }

  handleIgnoreRow(event: Event): void {
    this.raise('ignore', [this.idOf(event)]);
  }

  handleRetrySelected(): void {
    this.raise('retry', this.selection);
  }

  handleIgnoreSelected(): void {
    this.raise('ignore', this.selection);
  }

  handleView(event: Event): void {
    this.dispatchEvent(new CustomEvent('view', { detail: { id: this.idOf(event) } }));
  }

  private idOf(event: Event): string {
    return (event.currentTarget as HTMLElement).dataset.id ?? '';
  }

  private raise(name: 'retry' | 'ignore', ids: string[]): void {
    if (ids.length === 0) return;
    // The ticked rows have been acted on; a fresh choice starts empty.
    this.selectedIds = [];
    this.dispatchEvent(new CustomEvent<SyncHealthIds>(name, { detail: { ids } }));
  }
}

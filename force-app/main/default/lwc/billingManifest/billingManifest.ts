import { LightningElement, api } from 'lwc';
import LOCALE from '@salesforce/i18n/locale';
import LINE from '@salesforce/label/c.Billing_Manifest_Line';
import QUANTITY from '@salesforce/label/c.Billing_Manifest_Quantity';
import AMOUNT from '@salesforce/label/c.Billing_Manifest_Amount';
import DISCOUNT from '@salesforce/label/c.Billing_Manifest_Discount';
import TAX from '@salesforce/label/c.Billing_Manifest_Tax';
import SUBTOTAL from '@salesforce/label/c.Billing_Manifest_Subtotal';
import TOTAL from '@salesforce/label/c.Billing_Manifest_Total';
import EMPTY from '@salesforce/label/c.Billing_Manifest_Empty';

/** One billing manifest as the org API returns it: decimal strings, never floats. */
export interface Manifest {
  currency: string;
  lines: {
    kind: string;
    description: string;
    quantity?: string | null;
    amount: string;
    discount: string;
    tax: string;
  }[];
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
}

interface Row {
  key: string;
  description: string;
  kind: string;
  quantity: string;
  amount: string;
  discount: string;
  tax: string;
}

/**
 * A priced billing period (current or next): its line items, discounts, taxes and totals, with
 * money formatted for the user's locale in the manifest's currency. Presentational.
 */
export default class BillingManifest extends LightningElement {
  /** Caption, e.g. "Current billing". */
  @api heading = '';
  @api manifest?: Manifest;

  labels = { LINE, QUANTITY, AMOUNT, DISCOUNT, TAX, SUBTOTAL, TOTAL, EMPTY };

  private format(value: string | null | undefined): string {
    if (value === null || value === undefined || value === '' || !this.manifest) return '';
    // Intl takes a string; passing it as-is keeps the decimal exact (no float arithmetic here).
    return new Intl.NumberFormat(LOCALE, {
      style: 'currency',
      currency: this.manifest.currency,
    }).format(value as unknown as number);
  }

  get hasLines(): boolean {
    return (this.manifest?.lines.length ?? 0) > 0;
  }

  get rows(): Row[] {
    return (this.manifest?.lines ?? []).map((line, index) => ({
      key: `${index}-${line.kind}`,
      description: line.description,
      kind: line.kind,
      quantity: line.quantity ?? '',
      amount: this.format(line.amount),
      discount: this.format(line.discount),
      tax: this.format(line.tax),
    }));
  }

  get subtotal(): string {
    return this.format(this.manifest?.subtotal);
  }

  get discount(): string {
    return this.format(this.manifest?.discount);
  }

  get tax(): string {
    return this.format(this.manifest?.tax);
  }

  get total(): string {
    return this.format(this.manifest?.total);
  }
}

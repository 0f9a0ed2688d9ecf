// Platform modules that exist only inside Salesforce. sfdx-lwc-jest resolves them to its own
// mocks at test time; these declarations let `tsc --noEmit` type-check our components.
declare module '@salesforce/label/c.*' {
  const label: string;
  export default label;
}

// Field imports carry both names; object imports (no dot) carry objectApiName only at run time.
declare module '@salesforce/schema/*' {
  const field: { fieldApiName: string; objectApiName: string };
  export default field;
}

declare module '@salesforce/i18n/locale' {
  const locale: string;
  export default locale;
}

declare module '@salesforce/i18n/currency' {
  const currency: string;
  export default currency;
}

declare module '@salesforce/i18n/timeZone' {
  const timeZone: string;
  export default timeZone;
}

// refreshApex re-runs a wire with its bound configuration; it also works for the value an LDS
// wire adapter (getRelatedListRecords) provisioned.
declare module '@salesforce/apex' {
  export function refreshApex(wiredValue: unknown): Promise<void>;
}

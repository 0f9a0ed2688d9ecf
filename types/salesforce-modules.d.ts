// Platform modules that exist only inside Salesforce. sfdx-lwc-jest resolves them to its own
// mocks at test time; these declarations let `tsc --noEmit` type-check our components.
declare module '@salesforce/label/c.*' {
  const label: string;
  export default label;
}

declare module '@salesforce/schema/*' {
  const fieldOrObject: { fieldApiName: string; objectApiName: string } | { objectApiName: string };
  export default fieldOrObject;
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

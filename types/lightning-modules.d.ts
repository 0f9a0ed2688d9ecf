// Types for the platform modules our components import that @salesforce/lightning-types does not
// describe. Only what we use, in the shapes the platform documents.
declare module 'lightning/uiRecordApi' {
  export interface FieldValue {
    value: unknown;
    displayValue: string | null;
  }
  export interface RecordRepresentation {
    id: string;
    apiName: string;
    fields: Record<string, FieldValue & { value: unknown }>;
  }
  export interface FieldId {
    fieldApiName: string;
    objectApiName: string;
  }
  export const getRecord: import('lwc').WireAdapterConstructor<
    { recordId?: string; fields?: FieldId[]; optionalFields?: FieldId[] },
    { data?: RecordRepresentation; error?: unknown }
  >;
  export function getFieldValue(
    record: RecordRepresentation | undefined,
    field: FieldId | string,
  ): unknown;
  export function getFieldDisplayValue(
    record: RecordRepresentation | undefined,
    field: FieldId | string,
  ): string | null;
  export function updateRecord(input: {
    fields: Record<string, unknown>;
  }): Promise<RecordRepresentation>;
  export function createRecord(input: {
    apiName: string;
    fields: Record<string, unknown>;
  }): Promise<RecordRepresentation>;
  export function notifyRecordUpdateAvailable(items: { recordId: string }[]): Promise<void>;
}

declare module 'lightning/flowSupport' {
  export class FlowNavigationFinishEvent extends Event {}
}

declare module 'lightning/uiRelatedListApi' {
  import type { RecordRepresentation } from 'lightning/uiRecordApi';
  export interface RelatedListRecords {
    records: RecordRepresentation[];
    count: number;
    /** Set when more records exist than the page holds. */
    nextPageToken?: string | null;
  }
  export const getRelatedListRecords: import('lwc').WireAdapterConstructor<
    {
      parentRecordId?: string;
      relatedListId: string;
      fields?: string[];
      sortBy?: string[];
      pageSize?: number;
    },
    { data?: RelatedListRecords; error?: unknown }
  >;
}

declare module 'lightning/navigation' {
  import type { LightningElement } from 'lwc';
  export interface PageReference {
    type: string;
    attributes?: Record<string, unknown>;
    state?: Record<string, unknown>;
  }
  const Navigate: unique symbol;
  const GenerateUrl: unique symbol;
  export interface Navigation {
    [Navigate](pageReference: PageReference, replace?: boolean): void;
    [GenerateUrl](pageReference: PageReference): Promise<string>;
  }
  // A mixin must accept any constructor signature (TypeScript's mixin rule).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Constructor<T> = new (...args: any[]) => T;
  export const NavigationMixin: {
    <T extends Constructor<LightningElement>>(base: T): T & Constructor<Navigation>;
    readonly Navigate: typeof Navigate;
    readonly GenerateUrl: typeof GenerateUrl;
  };
}

declare module 'lightning/platformShowToastEvent' {
  export interface ToastOptions {
    title: string;
    message?: string;
    variant?: 'info' | 'success' | 'warning' | 'error';
    mode?: 'dismissible' | 'pester' | 'sticky';
  }
  /** Dispatched from a component; Lightning Experience shows it as a toast. */
  export class ShowToastEvent extends CustomEvent<ToastOptions> {
    constructor(toast: ToastOptions);
  }
}

declare module 'lightning/uiObjectInfoApi' {
  export interface ObjectInfo {
    apiName: string;
    updateable: boolean;
    fields: Record<string, { apiName: string; updateable: boolean }>;
  }
  export const getObjectInfo: import('lwc').WireAdapterConstructor<
    { objectApiName?: { objectApiName: string } | string },
    { data?: ObjectInfo; error?: unknown }
  >;
}

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

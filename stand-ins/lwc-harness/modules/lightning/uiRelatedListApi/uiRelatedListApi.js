// Harness stand-in for lightning/uiRelatedListApi over the in-page record store: the related
// lists our components read, sorted as the wire config asks.
import { subscribe, unsubscribe } from 'lightning/uiRecordApi';

const LISTS = {
  Subscription_Previews__r: { apiName: 'Subscription_Preview__c', field: 'Opportunity__c' },
  Billing_Event_Logs__r: { apiName: 'Billing_Event_Log__c', field: 'Site__c' },
};

/** `-Object.Field` → newest first on Field; `Object.Field` → ascending. */
function comparator(sortBy) {
  const [spec] = sortBy || [];
  if (!spec) return () => 0;
  const descending = spec.startsWith('-');
  const field = spec.replace(/^-/, '').split('.').pop();
  return (a, b) => {
    const order = String(a.fields[field]?.value ?? '').localeCompare(
      String(b.fields[field]?.value ?? ''),
    );
    return descending ? -order : order;
  };
}

export class getRelatedListRecords {
  constructor(callback) {
    this.callback = callback;
  }
  connect() {
    subscribe(this);
  }
  disconnect() {
    unsubscribe(this);
  }
  update(config) {
    this.config = config;
    this.emit();
  }
  emit() {
    if (!this.config || !this.config.parentRecordId) return;
    const list = LISTS[this.config.relatedListId];
    const all = Object.values(window.__harness.records).filter(
      (r) =>
        list &&
        r.apiName === list.apiName &&
        r.fields[list.field] &&
        r.fields[list.field].value === this.config.parentRecordId,
    );
    all.sort(comparator(this.config.sortBy));
    this.callback({
      data: { records: all, count: all.length, nextPageToken: null },
      error: undefined,
    });
  }
}

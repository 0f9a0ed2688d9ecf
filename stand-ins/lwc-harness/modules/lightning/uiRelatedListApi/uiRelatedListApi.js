// Harness stand-in for lightning/uiRelatedListApi: Subscription_Previews__r of an Opportunity.
import { subscribe, unsubscribe } from 'lightning/uiRecordApi';

const LISTS = {
  Subscription_Previews__r: { apiName: 'Subscription_Preview__c', field: 'Opportunity__c' },
};

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
    if (!this.config) return;
    const list = LISTS[this.config.relatedListId];
    const all = Object.values(window.__harness.records).filter(
      (r) =>
        list &&
        r.apiName === list.apiName &&
        r.fields[list.field] &&
        r.fields[list.field].value === this.config.parentRecordId,
    );
    all.sort((a, b) =>
      String(b.fields.Priced_At__c?.value ?? '').localeCompare(
        String(a.fields.Priced_At__c?.value ?? ''),
      ),
    );
    this.callback({ data: { records: all, count: all.length }, error: undefined });
  }
}

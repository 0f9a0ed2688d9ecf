// Harness stand-in for lightning/uiRecordApi over an in-page record store (window.__harness.records).
const adapters = new Set();

function records() {
  return window.__harness.records;
}

function emitAll() {
  for (const adapter of adapters) adapter.emit();
}

export class getRecord {
  constructor(callback) {
    this.callback = callback;
  }
  connect() {
    adapters.add(this);
  }
  disconnect() {
    adapters.delete(this);
  }
  update(config) {
    this.config = config;
    this.emit();
  }
  emit() {
    if (!this.config) return;
    const record = records()[this.config.recordId];
    this.callback(
      record
        ? { data: record, error: undefined }
        : { data: undefined, error: { body: [{ message: 'Record not found' }] } },
    );
  }
}

function fieldOf(record, field) {
  const path = (
    typeof field === 'string' ? field.split('.').slice(1).join('.') : field.fieldApiName
  ).split('.');
  let node = record;
  for (const part of path) {
    const entry = node && node.fields ? node.fields[part] : undefined;
    if (!entry) return undefined;
    node = entry.value && typeof entry.value === 'object' ? entry.value : entry;
    if (part === path[path.length - 1]) return entry;
  }
  return undefined;
}

export function getFieldValue(record, field) {
  const entry = record && fieldOf(record, field);
  return entry ? entry.value : undefined;
}

export function getFieldDisplayValue(record, field) {
  const entry = record && fieldOf(record, field);
  return entry ? entry.displayValue : undefined;
}

export async function updateRecord({ fields }) {
  const record = records()[fields.Id];
  for (const [name, value] of Object.entries(fields)) {
    if (name !== 'Id') record.fields[name] = { value, displayValue: null };
  }
  emitAll();
  return record;
}

export async function createRecord({ apiName, fields }) {
  const id = `a05HARNESS${String(Object.keys(records()).length).padStart(8, '0')}`;
  const count = Object.values(records()).filter((r) => r.apiName === apiName).length + 1;
  records()[id] = {
    apiName,
    id,
    fields: {
      Name: { value: `SP-${String(count).padStart(5, '0')}`, displayValue: null },
      ...Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, { value: v, displayValue: null }]),
      ),
    },
  };
  emitAll();
  return records()[id];
}

export async function notifyRecordUpdateAvailable() {
  emitAll();
}

export function subscribe(adapter) {
  adapters.add(adapter);
}

export function unsubscribe(adapter) {
  adapters.delete(adapter);
}

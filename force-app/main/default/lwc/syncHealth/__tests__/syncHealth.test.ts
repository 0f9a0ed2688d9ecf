import { createElement } from 'lwc';
import SyncHealth from 'c/syncHealth';
import { updateRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { refreshApex } from '@salesforce/apex';
import type { SyncHealthRow as Row } from 'c/syncHealthList';
import eventLogs from './data/eventLogs.json';

jest.mock(
  'lightning/uiRecordApi',
  () => ({
    ...jest.requireActual('lightning/uiRecordApi'),
    updateRecord: jest.fn(),
  }),
  { virtual: true },
);

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), {
  virtual: true,
});

// The stub's Navigate does nothing; this one records the page reference.
jest.mock(
  'lightning/navigation',
  () => {
    const Navigate = Symbol('Navigate');
    const GenerateUrl = Symbol('GenerateUrl');
    const mockNavigate = jest.fn();
    const NavigationMixin = Object.assign(
      (Base: new () => object) =>
        class extends Base {
          [Navigate](pageReference: unknown) {
            mockNavigate(pageReference);
          }
          [GenerateUrl]() {
            return Promise.resolve('');
          }
        },
      { Navigate, GenerateUrl },
    );
    return { NavigationMixin, mockNavigate };
  },
  { virtual: true },
);

type WireMock = {
  emit(value: unknown): void;
  error(body?: unknown): void;
  getLastConfig(): Record<string, unknown>;
};
const entriesAdapter = getRelatedListRecords as unknown as WireMock;
const objectInfoAdapter = getObjectInfo as unknown as WireMock;
/** The Event Log's object info as the user sees it: may they edit Status and Next Retry At? */
const eventLogInfo = (updateable: boolean) => ({
  apiName: 'Billing_Event_Log__c',
  updateable: true,
  fields: {
    Status__c: { apiName: 'Status__c', updateable },
    Next_Retry_At__c: { apiName: 'Next_Retry_At__c', updateable },
  },
});
const updateRecordMock = updateRecord as unknown as jest.Mock;
const navigate = (jest.requireMock('lightning/navigation') as { mockNavigate: jest.Mock })
  .mockNavigate;

const SITE = 'a0SXX0000001AAAA';
const [OPEN_ENTRY, RETRYING_ENTRY, OPEN_ENTRY_2] = [
  'a0EXX0000001AAAA',
  'a0EXX0000002AAAA',
  'a0EXX0000003AAAA',
];

type Toast = { title: string; message: string; variant: string };

function mount(recordId: string | null = SITE): { element: HTMLElement; toasts: Toast[] } {
  const element = createElement('c-sync-health', { is: SyncHealth });
  if (recordId) Object.assign(element, { recordId });
  const toasts: Toast[] = [];
  element.addEventListener('lightning__showtoast', (event) =>
    toasts.push((event as CustomEvent<Toast>).detail),
  );
  document.body.appendChild(element);
  return { element, toasts };
}

const list = (element: HTMLElement) =>
  element.shadowRoot?.querySelector('c-sync-health-list') as
    (HTMLElement & { rows: Row[]; disabled: boolean; readOnly: boolean }) | null;

const panel = (element: HTMLElement) =>
  element.shadowRoot?.querySelector('c-error-panel') as
    (HTMLElement & { friendlyMessage: string; errors: unknown }) | null;

const counts = (element: HTMLElement) =>
  Object.fromEntries(
    Array.from(element.shadowRoot?.querySelectorAll('li.count') ?? []).map((li) => [
      (li as HTMLElement).dataset.status,
      li.querySelector('.value')?.textContent,
    ]),
  );

function raise(element: HTMLElement, name: string, detail: unknown): void {
  list(element)?.dispatchEvent(new CustomEvent(name, { detail }));
}

describe('c-sync-health', () => {
  it("asks for the site's Event Log entries, newest attempt first", async () => {
    mount();
    await flushPromises();
    const config = entriesAdapter.getLastConfig();
    expect(config).toMatchObject({
      parentRecordId: SITE,
      relatedListId: 'Billing_Event_Logs__r',
      sortBy: ['-Billing_Event_Log__c.Last_Attempt_At__c'],
    });
    expect(config.fields).toEqual(
      expect.arrayContaining([
        'Billing_Event_Log__c.Status__c',
        'Billing_Event_Log__c.Error_Code__c',
        'Billing_Event_Log__c.Record_External_Id__c',
        'Billing_Event_Log__c.Attempts__c',
        'Billing_Event_Log__c.Last_Attempt_At__c',
        'Billing_Event_Log__c.Resolution_Hint__c',
      ]),
    );
  });

  it('shows a spinner until the entries arrive', async () => {
    const { element } = mount();
    await flushPromises();
    expect(element.shadowRoot?.querySelector('lightning-spinner')).not.toBeNull();
    expect(list(element)).toBeNull();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    expect(element.shadowRoot?.querySelector('lightning-spinner')).toBeNull();
  });

  it('counts entries by status and lists only the open and retrying ones', async () => {
    const { element } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    expect(counts(element)).toEqual({ Open: '2', Retrying: '1', Resolved: '1' });
    const rows = list(element)?.rows ?? [];
    expect(rows.map((r) => r.name)).toEqual(['LOG-000104', 'LOG-000103', 'LOG-000102']);
    expect(rows[0]).toMatchObject({
      id: OPEN_ENTRY,
      status: 'Open',
      retrying: false,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      relatedObject: 'Account',
      externalId: 'maxio:acme:cust_1001',
      attempts: '5',
      // 15:05 UTC in the user's time zone (the test locale's America/Los_Angeles).
      lastAttempt: expect.stringMatching(/Nov 22, 2026.*7:05/),
    });
    expect(rows[0]?.hint).toContain('validation rule');
    // No hint written for this one: the error message stands in.
    expect(rows[1]).toMatchObject({
      retrying: true,
      hint: 'unable to obtain exclusive access to this record',
    });
    expect(element.shadowRoot?.querySelector('.partial')).toBeNull();
  });

  it('says there are no sync problems when nothing is open or retrying', async () => {
    const { element } = mount();
    const settled = eventLogs.records.filter((r) =>
      ['Resolved', 'Ignored'].includes(String(r.fields.Status__c.value)),
    );
    entriesAdapter.emit({ ...eventLogs, count: settled.length, records: settled });
    await flushPromises();
    expect(counts(element)).toEqual({ Open: '0', Retrying: '0', Resolved: '1' });
    expect(list(element)?.rows).toEqual([]);
    expect(list(element)?.shadowRoot?.querySelector('.empty')?.textContent).toBe(
      'c.Billing_Health_Empty',
    );
  });

  it('says the counts cover only the loaded page when the site has more entries', async () => {
    const { element } = mount();
    entriesAdapter.emit({ ...eventLogs, nextPageToken: '200' });
    await flushPromises();
    expect(element.shadowRoot?.querySelector('.partial')?.textContent?.trim()).toBe(
      'c.Billing_Health_Partial',
    );
  });

  it('shows the load error when the Event Log cannot be read', async () => {
    const { element } = mount();
    entriesAdapter.error({ message: 'Insufficient access' });
    await flushPromises();
    expect(list(element)).toBeNull();
    expect(element.shadowRoot?.querySelector('lightning-spinner')).toBeNull();
    expect(panel(element)?.friendlyMessage).toBe('c.Billing_Health_LoadError');
  });

  it('retries entries now: Status Retrying and Next Retry At now, then re-reads the list', async () => {
    updateRecordMock.mockResolvedValue({});
    const { element, toasts } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    const before = Date.now();
    raise(element, 'retry', { ids: [OPEN_ENTRY, OPEN_ENTRY_2] });
    await flushPromises();
    expect(updateRecordMock).toHaveBeenCalledTimes(2);
    for (const [index, id] of [OPEN_ENTRY, OPEN_ENTRY_2].entries()) {
      const sent = (updateRecordMock.mock.calls[index][0] as { fields: Record<string, string> })
        .fields;
      expect(Object.keys(sent).sort()).toEqual(['Id', 'Next_Retry_At__c', 'Status__c']);
      expect(sent).toMatchObject({ Id: id, Status__c: 'Retrying' });
      const at = Date.parse(sent.Next_Retry_At__c ?? '');
      expect(at).toBeGreaterThanOrEqual(before - 1);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
    expect(refreshApex).toHaveBeenCalledTimes(1);
    expect(toasts).toEqual([
      {
        title: 'c.Billing_Health_RetriedTitle',
        message: 'c.Billing_Health_RetriedMessage',
        variant: 'success',
      },
    ]);
    expect(panel(element)).toBeNull();
    expect(list(element)?.disabled).toBe(false);
  });

  it('ignores an entry: Status Ignored and nothing else', async () => {
    updateRecordMock.mockResolvedValue({});
    const { element, toasts } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    raise(element, 'ignore', { ids: [RETRYING_ENTRY] });
    await flushPromises();
    expect(updateRecordMock).toHaveBeenCalledWith({
      fields: { Id: RETRYING_ENTRY, Status__c: 'Ignored' },
    });
    expect(toasts.map((t) => [t.title, t.variant])).toEqual([
      ['c.Billing_Health_IgnoredTitle', 'success'],
    ]);
  });

  it('keeps the saved entries and reports the refused one when a retry is partly rejected', async () => {
    updateRecordMock.mockResolvedValueOnce({}).mockRejectedValueOnce({
      body: { output: { errors: [{ message: 'insufficient access rights on object id' }] } },
    });
    const { element, toasts } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    raise(element, 'retry', { ids: [OPEN_ENTRY, OPEN_ENTRY_2] });
    await flushPromises();
    expect(toasts).toEqual([
      expect.objectContaining({ variant: 'success' }),
      {
        title: 'c.Billing_Health_UpdateError',
        message: 'insufficient access rights on object id',
        variant: 'error',
      },
    ]);
    expect(panel(element)?.friendlyMessage).toBe('c.Billing_Health_UpdateError');
    expect(list(element)).not.toBeNull();
    expect(refreshApex).toHaveBeenCalled();
  });

  it('does nothing for an empty selection', async () => {
    const { element } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    raise(element, 'retry', { ids: [] });
    await flushPromises();
    expect(updateRecordMock).not.toHaveBeenCalled();
  });

  it('opens an entry on View', async () => {
    const { element } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    raise(element, 'view', { id: OPEN_ENTRY });
    expect(navigate).toHaveBeenCalledWith({
      type: 'standard__recordPage',
      attributes: {
        recordId: OPEN_ENTRY,
        objectApiName: 'Billing_Event_Log__c',
        actionName: 'view',
      },
    });
  });

  it('on an App Page, lists the site the admin picks', async () => {
    const { element } = mount(null);
    await flushPromises();
    const picker = element.shadowRoot?.querySelector('lightning-record-picker') as HTMLElement & {
      objectApiName: string;
    };
    expect(picker.objectApiName).toBe('Billing_Site__c');
    expect(element.shadowRoot?.querySelector('lightning-spinner')).toBeNull();
    picker.dispatchEvent(new CustomEvent('change', { detail: { recordId: SITE } }));
    await flushPromises();
    expect(entriesAdapter.getLastConfig()).toMatchObject({ parentRecordId: SITE });
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    expect(list(element)?.rows).toHaveLength(3);
  });

  it('has no record picker on a record page', async () => {
    const { element } = mount();
    await flushPromises();
    expect(element.shadowRoot?.querySelector('lightning-record-picker')).toBeNull();
  });

  it('offers Retry and Ignore only to users who may edit Status and Next Retry At', async () => {
    const { element } = mount();
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    // Until the object info says otherwise, nothing is offered that could fail.
    expect(list(element)?.readOnly).toBe(true);
    objectInfoAdapter.emit(eventLogInfo(true));
    await flushPromises();
    expect(list(element)?.readOnly).toBe(false);
    objectInfoAdapter.emit(eventLogInfo(false));
    await flushPromises();
    expect(list(element)?.readOnly).toBe(true);
  });

  it('is accessible', async () => {
    const { element } = mount();
    objectInfoAdapter.emit(eventLogInfo(true));
    entriesAdapter.emit(eventLogs);
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});

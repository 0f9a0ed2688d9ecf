import { createElement } from 'lwc';
import ClosedWonControl from 'c/closedWonControl';
import { getRecord, updateRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import pendingRecord from './data/opportunityRecord.json';
import failedRecord from './data/opportunityFailed.json';

type WireMock = {
  emit(value: unknown): void;
  error(body?: unknown, status?: number, statusText?: string): void;
};
const getRecordAdapter = getRecord as unknown as WireMock;
const updateRecordMock = updateRecord as unknown as jest.Mock;
const notifyMock = notifyRecordUpdateAvailable as unknown as jest.Mock;

jest.mock(
  'lightning/uiRecordApi',
  () => {
    const { createLdsTestWireAdapter } = require('@salesforce/wire-service-jest-util');
    const actual = jest.requireActual('lightning/uiRecordApi');
    return {
      ...actual,
      getRecord: createLdsTestWireAdapter(jest.fn()),
      updateRecord: jest.fn(),
      notifyRecordUpdateAvailable: jest.fn(() => Promise.resolve()),
    };
  },
  { virtual: true },
);

const RECORD_ID = '006xx000004TmiQAAS';

function mount(): HTMLElement {
  const element = createElement('c-closed-won-control', { is: ClosedWonControl });
  Object.assign(element, { recordId: RECORD_ID });
  document.body.appendChild(element);
  return element;
}

function summary(element: HTMLElement): HTMLElement & Record<string, unknown> {
  const child = element.shadowRoot?.querySelector('c-closed-won-summary');
  if (!child) throw new Error('summary not rendered');
  return child as HTMLElement & Record<string, unknown>;
}

function finishFlow(
  element: HTMLElement,
  status: string,
  outputVariables: { name: string; value: unknown }[] = [],
): void {
  const runner = element.shadowRoot?.querySelector('c-billing-flow-runner');
  const flow = runner?.shadowRoot?.querySelector('lightning-flow');
  if (!flow) throw new Error('the create flow is not running');
  flow.dispatchEvent(new CustomEvent('statuschange', { detail: { status, outputVariables } }));
}

describe('c-closed-won-control', () => {
  it("shows the opportunity's choice, preview and status from the record", async () => {
    const element = mount();
    getRecordAdapter.emit(pendingRecord);
    await flushPromises();
    const child = summary(element);
    expect(child.createOnClose).toBe(true);
    expect(child.previewName).toBe('SP-00012');
    expect(child.statusValue).toBe('Pending');
    expect(child.statusLabel).toBe('Pending');
    expect(child.subscriptionName).toBeNull();
    expect(child.lastError).toBeNull();
    const create = child.shadowRoot?.querySelector('lightning-button.create-now') as HTMLElement & {
      disabled: boolean;
    };
    expect(create.disabled).toBe(false);
  });

  it('shows the last error and offers Retry when creation failed', async () => {
    const element = mount();
    getRecordAdapter.emit(failedRecord);
    await flushPromises();
    const child = summary(element);
    expect(child.shadowRoot?.querySelector('.last-error')?.textContent).toBe(
      'Coupon SAVE99 was not found on site maxio:acme.',
    );
    expect(child.shadowRoot?.querySelector('lightning-button.retry')).not.toBeNull();
  });

  it('shows the error panel when the record cannot be loaded', async () => {
    const element = mount();
    getRecordAdapter.error({ message: 'Insufficient access' }, 403, 'Forbidden');
    await flushPromises();
    expect(element.shadowRoot?.querySelector('c-closed-won-summary')).toBeNull();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_ClosedWon_LoadError');
  });

  it('saves the toggle on the opportunity', async () => {
    updateRecordMock.mockResolvedValue({});
    const element = mount();
    getRecordAdapter.emit(pendingRecord);
    await flushPromises();
    summary(element).dispatchEvent(
      new CustomEvent('createonclosechange', { detail: { value: false } }),
    );
    await flushPromises();
    expect(updateRecordMock).toHaveBeenCalledWith({
      fields: { Id: RECORD_ID, Billing_Create_On_Close__c: false },
    });
    expect(element.shadowRoot?.querySelector('c-error-panel')).toBeNull();
  });

  it('shows the save error when the update is rejected', async () => {
    updateRecordMock.mockRejectedValue({ body: { message: 'Choose a billing site first.' } });
    const element = mount();
    getRecordAdapter.emit(pendingRecord);
    await flushPromises();
    summary(element).dispatchEvent(
      new CustomEvent('createonclosechange', { detail: { value: true } }),
    );
    await flushPromises();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
      errors: unknown;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_ClosedWon_SaveError');
    expect(panel.errors).toEqual({ body: { message: 'Choose a billing site first.' } });
  });

  it('creates now through the create flow, then refreshes the record', async () => {
    const element = mount();
    getRecordAdapter.emit(pendingRecord);
    await flushPromises();
    summary(element).dispatchEvent(new CustomEvent('createnow'));
    await flushPromises();
    expect(summary(element).busy).toBe(true);
    const flow = element.shadowRoot
      ?.querySelector('c-billing-flow-runner')
      ?.shadowRoot?.querySelector('lightning-flow') as HTMLElement & {
      flowApiName: string;
      flowInputVariables: unknown;
    };
    expect(flow.flowApiName).toBe('Billing_Create_Subscription');
    expect(flow.flowInputVariables).toEqual([
      { name: 'opportunityId', type: 'String', value: RECORD_ID },
    ]);
    finishFlow(element, 'FINISHED', [{ name: 'state', value: 'created' }]);
    await flushPromises();
    expect(summary(element).busy).toBe(false);
    expect(notifyMock).toHaveBeenCalledWith([{ recordId: RECORD_ID }]);
    expect(element.shadowRoot?.querySelector('c-error-panel')).toBeNull();
  });

  it("shows the flow's fault message when creation fails", async () => {
    const element = mount();
    getRecordAdapter.emit(failedRecord);
    await flushPromises();
    summary(element).dispatchEvent(new CustomEvent('retry'));
    await flushPromises();
    finishFlow(element, 'FINISHED', [
      { name: 'faultMessage', value: 'Maxio: coupon SAVE99 is expired' },
    ]);
    await flushPromises();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
      errors: Error;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_ClosedWon_CreateError');
    expect(panel.errors.message).toBe('Maxio: coupon SAVE99 is expired');
    expect(notifyMock).toHaveBeenCalled();
  });

  it('is accessible with data and with a load error', async () => {
    const element = mount();
    getRecordAdapter.emit(failedRecord);
    await flushPromises();
    await expect(element).toBeAccessible();
    getRecordAdapter.error();
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});

import { createElement } from 'lwc';
import SavedPreviews from 'c/savedPreviews';
import { getRecord, updateRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import related from './data/relatedPreviews.json';
import type { SavedPreviewRow as Row } from 'c/savedPreviewList';

jest.mock(
  'lightning/uiRecordApi',
  () => {
    const { createLdsTestWireAdapter } = require('@salesforce/wire-service-jest-util');
    return {
      ...jest.requireActual('lightning/uiRecordApi'),
      getRecord: createLdsTestWireAdapter(jest.fn()),
      updateRecord: jest.fn(),
      notifyRecordUpdateAvailable: jest.fn(() => Promise.resolve()),
    };
  },
  { virtual: true },
);

type WireMock = {
  emit(value: unknown): void;
  error(body?: unknown): void;
  getLastConfig(): Record<string, unknown>;
};
const opportunityAdapter = getRecord as unknown as WireMock;
const relatedAdapter = getRelatedListRecords as unknown as WireMock;
const updateRecordMock = updateRecord as unknown as jest.Mock;

const OPPORTUNITY = '006xx000004TmiQAAS';
const opportunity = (chosen: string | null) => ({
  apiName: 'Opportunity',
  id: OPPORTUNITY,
  fields: { Billing_Preview__c: { displayValue: null, value: chosen } },
});

function mount(): HTMLElement {
  const element = createElement('c-saved-previews', { is: SavedPreviews });
  Object.assign(element, { recordId: OPPORTUNITY });
  document.body.appendChild(element);
  return element;
}

const rows = (element: HTMLElement): Row[] =>
  (element.shadowRoot?.querySelector('c-saved-preview-list') as HTMLElement & { previews: Row[] })
    .previews;

describe('c-saved-previews', () => {
  it("asks for the opportunity's previews, newest first", async () => {
    mount();
    await flushPromises();
    expect(relatedAdapter.getLastConfig()).toMatchObject({
      parentRecordId: OPPORTUNITY,
      relatedListId: 'Subscription_Previews__r',
      sortBy: ['-Subscription_Preview__c.Priced_At__c'],
    });
  });

  it('lists them with money in each preview currency and marks the chosen one', async () => {
    const element = mount();
    relatedAdapter.emit(related);
    opportunityAdapter.emit(opportunity('a05xx000001PrEwAAC'));
    await flushPromises();
    const [first, second] = rows(element);
    expect(first).toMatchObject({
      id: 'a05xx000001PrEvAAC',
      name: 'SP-00012',
      firstInvoice: '$76.79',
      next: '$52.92',
      chosen: false,
    });
    expect(first?.pricedAt).toContain('2026');
    expect(second).toMatchObject({
      name: 'SP-00011',
      firstInvoice: '€1,200.00',
      next: '',
      chosen: true,
    });
  });

  it('chooses a preview for Closed/Won on the opportunity', async () => {
    updateRecordMock.mockResolvedValue({});
    const element = mount();
    relatedAdapter.emit(related);
    opportunityAdapter.emit(opportunity(null));
    await flushPromises();
    element.shadowRoot
      ?.querySelector('c-saved-preview-list')
      ?.dispatchEvent(new CustomEvent('choose', { detail: { previewId: 'a05xx000001PrEvAAC' } }));
    await flushPromises();
    expect(updateRecordMock).toHaveBeenCalledWith({
      fields: { Id: OPPORTUNITY, Billing_Preview__c: 'a05xx000001PrEvAAC' },
    });
    expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: OPPORTUNITY }]);
  });

  it('shows the validation error when the choice is rejected', async () => {
    updateRecordMock.mockRejectedValue({
      body: {
        output: {
          errors: [{ message: 'The chosen preview must be priced on the same billing site.' }],
        },
      },
    });
    const element = mount();
    relatedAdapter.emit(related);
    await flushPromises();
    element.shadowRoot
      ?.querySelector('c-saved-preview-list')
      ?.dispatchEvent(new CustomEvent('choose', { detail: { previewId: 'a05xx000001PrEvAAC' } }));
    await flushPromises();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_Saved_ChooseError');
  });

  it('shows the load error when the previews cannot be read', async () => {
    const element = mount();
    relatedAdapter.error({ message: 'Insufficient access' });
    await flushPromises();
    expect(element.shadowRoot?.querySelector('c-saved-preview-list')).toBeNull();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_Saved_LoadError');
  });

  it('is accessible', async () => {
    const element = mount();
    relatedAdapter.emit(related);
    opportunityAdapter.emit(opportunity('a05xx000001PrEwAAC'));
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});

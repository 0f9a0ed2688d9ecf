import { createElement } from 'lwc';
import SubscriptionPreview from 'c/subscriptionPreview';
import { createRecord } from 'lightning/uiRecordApi';
import sites from './data/sites.json';
import catalog from './data/catalog.json';
import preview from './data/preview.json';

jest.mock(
  'lightning/uiRecordApi',
  () => ({ ...jest.requireActual('lightning/uiRecordApi'), createRecord: jest.fn() }),
  {
    virtual: true,
  },
);
const createRecordMock = createRecord as unknown as jest.Mock;

const OPPORTUNITY = '006xx000004TmiQAAS';
type Flow = HTMLElement & {
  flowApiName: string;
  flowInputVariables: { name: string; value: unknown }[];
};

function mount(): HTMLElement {
  const element = createElement('c-subscription-preview', { is: SubscriptionPreview });
  Object.assign(element, { recordId: OPPORTUNITY });
  document.body.appendChild(element);
  return element;
}

function runningFlow(element: HTMLElement): Flow {
  const flow = element.shadowRoot
    ?.querySelector('c-billing-flow-runner')
    ?.shadowRoot?.querySelector('lightning-flow');
  if (!flow) throw new Error('no flow is running');
  return flow as Flow;
}

async function finishFlow(element: HTMLElement, outputs: Record<string, unknown>): Promise<void> {
  const outputVariables = Object.entries(outputs).map(([name, value]) => ({ name, value }));
  runningFlow(element).dispatchEvent(
    new CustomEvent('statuschange', { detail: { status: 'FINISHED', outputVariables } }),
  );
  await flushPromises();
}

function form(element: HTMLElement): HTMLElement & Record<string, unknown> {
  return element.shadowRoot?.querySelector('c-preview-form') as HTMLElement &
    Record<string, unknown>;
}

const REQUEST = {
  siteKey: 'maxio:acme',
  pricePointId: '501',
  planQuantity: '1',
  items: [{ pricePointId: '601', quantity: '3' }],
  couponCodes: ['TEN'],
};

/** Mounts, loads sites, picks maxio:acme and loads its catalog, then prices REQUEST. */
async function priced(): Promise<HTMLElement> {
  const element = mount();
  await flushPromises();
  await finishFlow(element, { sites });
  form(element).dispatchEvent(new CustomEvent('sitechange', { detail: { siteKey: 'maxio:acme' } }));
  await flushPromises();
  await finishFlow(element, { catalog });
  form(element).dispatchEvent(new CustomEvent('pricerequest', { detail: REQUEST }));
  await flushPromises();
  await finishFlow(element, { preview });
  return element;
}

describe('c-subscription-preview', () => {
  it('loads the sites, then the chosen site catalog, into the form', async () => {
    const element = mount();
    await flushPromises();
    expect(runningFlow(element).flowApiName).toBe('Billing_List_Sites');
    await finishFlow(element, { sites });
    expect(form(element).sites).toEqual(sites);
    form(element).dispatchEvent(
      new CustomEvent('sitechange', { detail: { siteKey: 'maxio:acme' } }),
    );
    await flushPromises();
    expect(runningFlow(element).flowApiName).toBe('Billing_Get_Catalog');
    expect(runningFlow(element).flowInputVariables).toEqual([
      { name: 'siteKey', type: 'String', value: 'maxio:acme' },
    ]);
    await finishFlow(element, { catalog });
    expect(form(element).catalog).toEqual(catalog);
  });

  it('prices through the preview flow with primitive inputs and shows current and next billing', async () => {
    const element = mount();
    await flushPromises();
    await finishFlow(element, { sites });
    form(element).dispatchEvent(new CustomEvent('pricerequest', { detail: REQUEST }));
    await flushPromises();
    const flow = runningFlow(element);
    expect(flow.flowApiName).toBe('Billing_Preview_Subscription');
    expect(Object.fromEntries(flow.flowInputVariables.map((v) => [v.name, v.value]))).toEqual({
      opportunityId: OPPORTUNITY,
      siteKey: 'maxio:acme',
      pricePointId: '501',
      planQuantity: '1',
      itemPricePointIds: ['601'],
      itemQuantities: ['3'],
      couponCodes: ['TEN'],
    });
    await finishFlow(element, { preview });
    const current = element.shadowRoot?.querySelector(
      'c-billing-manifest.current',
    ) as HTMLElement & { manifest: unknown };
    const next = element.shadowRoot?.querySelector('c-billing-manifest.next') as HTMLElement & {
      manifest: unknown;
    };
    expect(current.manifest).toEqual(preview.current);
    expect(next.manifest).toEqual(preview.next);
  });

  it('saves the priced preview on the opportunity', async () => {
    createRecordMock.mockResolvedValue({ id: 'a05xx000001PrEvAAC' });
    const element = await priced();
    (element.shadowRoot?.querySelector('lightning-button.save') as HTMLElement).click();
    await flushPromises();
    expect(createRecordMock).toHaveBeenCalledTimes(1);
    const input = createRecordMock.mock.calls[0][0] as {
      apiName: string;
      fields: Record<string, unknown>;
    };
    expect(input.apiName).toBe('Subscription_Preview__c');
    expect(input.fields).toMatchObject({
      Opportunity__c: OPPORTUNITY,
      Price_Point_Id__c: '501',
      Plan_Quantity__c: 1,
      Coupon_Codes__c: 'TEN',
      Currency_Code__c: 'USD',
      Current_Subtotal__c: 79,
      Current_Discount__c: 7.9,
      Current_Tax__c: 5.69,
      Current_Total__c: 76.79,
      Next_Total__c: 52.92,
      Priced_At__c: '2026-11-22T15:00:00.000Z',
      Status__c: 'Priced',
    });
    expect(JSON.parse(input.fields.Response_JSON__c as string)).toEqual(preview);
    expect(element.shadowRoot?.querySelector('.saved')?.textContent).toBe(
      'c.Billing_Preview_Saved',
    );
    expect(
      (
        element.shadowRoot?.querySelector('lightning-button.save') as HTMLElement & {
          disabled: boolean;
        }
      ).disabled,
    ).toBe(true);
  });

  it('shows the provider error when pricing fails', async () => {
    const element = mount();
    await flushPromises();
    await finishFlow(element, { sites });
    form(element).dispatchEvent(new CustomEvent('pricerequest', { detail: REQUEST }));
    await flushPromises();
    await finishFlow(element, { faultMessage: 'Coupon code TEN is expired (coupon_expired)' });
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
      errors: Error;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_Preview_PriceError');
    expect(panel.errors.message).toBe('Coupon code TEN is expired (coupon_expired)');
    expect(element.shadowRoot?.querySelector('c-billing-manifest')).toBeNull();
  });

  it('shows the load error when the sites cannot be listed', async () => {
    const element = mount();
    await flushPromises();
    runningFlow(element).dispatchEvent(
      new CustomEvent('statuschange', { detail: { status: 'ERROR' } }),
    );
    await flushPromises();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_Preview_LoadError');
  });

  it('shows the save error when the record is rejected', async () => {
    createRecordMock.mockRejectedValue({
      body: { output: { errors: [{ message: 'Opportunity is closed' }] } },
    });
    const element = await priced();
    (element.shadowRoot?.querySelector('lightning-button.save') as HTMLElement).click();
    await flushPromises();
    const panel = element.shadowRoot?.querySelector('c-error-panel') as HTMLElement & {
      friendlyMessage: string;
    };
    expect(panel.friendlyMessage).toBe('c.Billing_Preview_SaveError');
    expect(element.shadowRoot?.querySelector('.saved')).toBeNull();
  });

  it('says so when no billing site is connected', async () => {
    const element = mount();
    await flushPromises();
    expect(element.shadowRoot?.querySelector('.no-sites')).toBeNull();
    await finishFlow(element, { sites: [] });
    expect(element.shadowRoot?.querySelector('.no-sites')?.textContent).toBe(
      'c.Billing_Preview_NoSites',
    );
  });

  it('is accessible with a priced preview', async () => {
    const element = await priced();
    await expect(element).toBeAccessible();
  });
});

import { createElement } from 'lwc';
import BillingFlowRunner from 'c/billingFlowRunner';
import type { FlowInput, FlowOutputs } from 'c/billingFlowRunner';

type RunnerElement = HTMLElement & { run(flow: string, inputs: FlowInput[]): Promise<FlowOutputs> };

function mount(): RunnerElement {
  const element = createElement('c-billing-flow-runner', {
    is: BillingFlowRunner,
  }) as RunnerElement;
  document.body.appendChild(element);
  return element;
}

function finish(
  element: RunnerElement,
  status: string,
  outputVariables: { name: string; value: unknown }[] = [],
): void {
  const flow = element.shadowRoot?.querySelector('lightning-flow');
  if (!flow) throw new Error('no lightning-flow rendered');
  flow.dispatchEvent(new CustomEvent('statuschange', { detail: { status, outputVariables } }));
}

const INPUTS: FlowInput[] = [
  { name: 'opportunityId', type: 'String', value: '006xx000004TmiQAAS' },
];

describe('c-billing-flow-runner', () => {
  it('renders no flow until asked, then starts the named flow with its inputs', async () => {
    const element = mount();
    expect(element.shadowRoot?.querySelector('lightning-flow')).toBeNull();
    element.run('Billing_Create_Subscription', INPUTS).catch(() => undefined);
    await flushPromises();
    const flow = element.shadowRoot?.querySelector('lightning-flow') as HTMLElement & {
      flowApiName: string;
      flowInputVariables: FlowInput[];
    };
    expect(flow.flowApiName).toBe('Billing_Create_Subscription');
    expect(flow.flowInputVariables).toEqual(INPUTS);
  });

  it('resolves with the output variables by name when the flow finishes, then removes the flow', async () => {
    const element = mount();
    const result = element.run('Billing_Create_Subscription', INPUTS);
    await flushPromises();
    finish(element, 'FINISHED', [
      { name: 'subscriptionId', value: 'sub_42' },
      { name: 'state', value: 'created' },
    ]);
    await expect(result).resolves.toEqual({ subscriptionId: 'sub_42', state: 'created' });
    await flushPromises();
    expect(element.shadowRoot?.querySelector('lightning-flow')).toBeNull();
  });

  it('ignores intermediate statuses', async () => {
    const element = mount();
    const result = element.run('Billing_Create_Subscription', INPUTS);
    await flushPromises();
    finish(element, 'STARTED');
    finish(element, 'FINISHED_SCREEN', [{ name: 'state', value: 'created' }]);
    await expect(result).resolves.toEqual({ state: 'created' });
  });

  it("rejects with the fault path's message", async () => {
    const element = mount();
    const result = element.run('Billing_Create_Subscription', INPUTS);
    await flushPromises();
    finish(element, 'FINISHED', [{ name: 'faultMessage', value: 'Coupon SAVE99 was not found' }]);
    await expect(result).rejects.toThrow('Coupon SAVE99 was not found');
  });

  it('rejects when the flow errors, and allows the next run afterwards', async () => {
    const element = mount();
    const first = element.run('Billing_Create_Subscription', INPUTS);
    await flushPromises();
    finish(element, 'ERROR');
    await expect(first).rejects.toThrow('The flow stopped with an error.');
    const second = element.run('Billing_Create_Subscription', INPUTS);
    await flushPromises();
    finish(element, 'FINISHED');
    await expect(second).resolves.toEqual({});
  });

  it('runs one flow at a time', async () => {
    const element = mount();
    element.run('Billing_Create_Subscription', INPUTS).catch(() => undefined);
    await expect(element.run('Billing_Create_Subscription', INPUTS)).rejects.toThrow(
      'is still running',
    );
  });

  it('is accessible while running', async () => {
    const element = mount();
    element.run('Billing_Create_Subscription', INPUTS).catch(() => undefined);
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});

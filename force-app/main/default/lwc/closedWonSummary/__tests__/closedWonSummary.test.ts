import { createElement } from 'lwc';
import ClosedWonSummary from 'c/closedWonSummary';

type SummaryElement = HTMLElement & Record<string, unknown>;

function mount(props: Record<string, unknown>): SummaryElement {
  const element = createElement('c-closed-won-summary', {
    is: ClosedWonSummary,
  }) as unknown as SummaryElement;
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const button = (element: SummaryElement, cls: string) =>
  element.shadowRoot?.querySelector(`lightning-button.${cls}`) as
    (HTMLElement & { disabled: boolean }) | null;

describe('c-closed-won-summary', () => {
  it('raises createonclosechange with the new value', () => {
    const element = mount({
      createOnClose: false,
      previewName: 'SP-1',
      statusValue: 'Not_Requested',
      statusLabel: 'Not Requested',
    });
    const handler = jest.fn();
    element.addEventListener('createonclosechange', handler);
    element.shadowRoot
      ?.querySelector('lightning-input')
      ?.dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
    expect(handler).toHaveBeenCalledTimes(1);
    expect((handler.mock.calls[0][0] as CustomEvent).detail).toEqual({ value: true });
  });

  it('raises createnow, and disables it without a preview, while busy or once created', async () => {
    const element = mount({ previewName: 'SP-1', statusValue: 'Pending', statusLabel: 'Pending' });
    const handler = jest.fn();
    element.addEventListener('createnow', handler);
    button(element, 'create-now')?.click();
    expect(handler).toHaveBeenCalledTimes(1);
    Object.assign(element, { previewName: null });
    await flushPromises();
    expect(button(element, 'create-now')?.disabled).toBe(true);
    Object.assign(element, { previewName: 'SP-1', busy: true });
    await flushPromises();
    expect(button(element, 'create-now')?.disabled).toBe(true);
    Object.assign(element, { busy: false, statusValue: 'Created' });
    await flushPromises();
    expect(button(element, 'create-now')?.disabled).toBe(true);
    expect(element.shadowRoot?.querySelector('.no-preview')).toBeNull();
  });

  it('reads "not requested" before the opportunity asked for anything', () => {
    const element = mount({ previewName: 'SP-1', statusValue: null, statusLabel: null });
    expect(element.shadowRoot?.querySelector('.slds-badge')?.textContent).toBe(
      'c.Billing_ClosedWon_NotRequested',
    );
  });

  it('tells the rep to choose a preview when none is chosen', () => {
    const element = mount({ previewName: null, statusLabel: 'Not Requested' });
    expect(element.shadowRoot?.querySelector('.no-preview')?.textContent).toBe(
      'c.Billing_ClosedWon_NoPreview',
    );
  });

  it('offers Retry instead of Create now after a failure', () => {
    const element = mount({
      previewName: 'SP-1',
      statusValue: 'Failed',
      statusLabel: 'Failed',
      lastError: 'Card declined',
    });
    const handler = jest.fn();
    element.addEventListener('retry', handler);
    expect(button(element, 'create-now')).toBeNull();
    button(element, 'retry')?.click();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(element.shadowRoot?.querySelector('.slds-badge')?.className).toContain(
      'slds-theme_error',
    );
  });

  it('is accessible', async () => {
    const element = mount({
      createOnClose: true,
      previewName: 'SP-1',
      statusValue: 'Created',
      statusLabel: 'Created',
      subscriptionName: 'Globex — Pro',
    });
    await expect(element).toBeAccessible();
  });
});

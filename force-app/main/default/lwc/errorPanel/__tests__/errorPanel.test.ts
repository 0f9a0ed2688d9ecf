import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

type ErrorPanelElement = HTMLElement & { errors: unknown; friendlyMessage: string };

function mount(
  props: Partial<Pick<ErrorPanelElement, 'errors' | 'friendlyMessage'>>,
): ErrorPanelElement {
  const element = createElement('c-error-panel', { is: ErrorPanel }) as ErrorPanelElement;
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

describe('c-error-panel', () => {
  it('shows the default label when no friendly message is given', () => {
    const element = mount({ errors: new Error('boom') });
    const heading = element.shadowRoot?.querySelector('.friendly-message');
    // sfdx-lwc-jest resolves labels to their import path.
    expect(heading?.textContent).toBe('c.Billing_Error_DefaultMessage');
  });

  it('reveals every reduced message when details are toggled', async () => {
    const element = mount({
      friendlyMessage: 'Could not price the subscription',
      errors: [{ body: { error: { message: 'Coupon SAVE99 not found' } } }, new Error('Timeout')],
    });
    expect(element.shadowRoot?.querySelector('.details')).toBeNull();
    const toggle = element.shadowRoot?.querySelector<HTMLButtonElement>('button.toggle');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    toggle?.click();
    await flushPromises();
    const items = Array.from(element.shadowRoot?.querySelectorAll('.details li') ?? []).map(
      (item) => item.textContent,
    );
    expect(items).toEqual(['Coupon SAVE99 not found', 'Timeout']);
    expect(toggle?.textContent?.trim()).toBe('c.Billing_Error_HideDetails');
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
  });

  it('offers no details toggle when the error carries no message', () => {
    const element = mount({ friendlyMessage: 'Failed', errors: { unrelated: true } });
    expect(element.shadowRoot?.querySelector('button.toggle')).toBeNull();
  });

  it('is accessible, collapsed and expanded', async () => {
    const element = mount({ friendlyMessage: 'Failed', errors: new Error('Timeout') });
    await expect(element).toBeAccessible();
    element.shadowRoot?.querySelector<HTMLButtonElement>('button.toggle')?.click();
    await flushPromises();
    await expect(element).toBeAccessible();
  });
});

import { createElement } from 'lwc';
import PreviewForm from 'c/previewForm';
import sites from '../../subscriptionPreview/__tests__/data/sites.json';
import catalog from '../../subscriptionPreview/__tests__/data/catalog.json';

type FormElement = HTMLElement & { sites: unknown; catalog: unknown; disabled: boolean };

function mount(): FormElement {
  const element = createElement('c-preview-form', { is: PreviewForm }) as unknown as FormElement;
  element.sites = sites;
  document.body.appendChild(element);
  return element;
}

const q = <T extends Element = HTMLElement & Record<string, unknown>>(
  element: HTMLElement,
  selector: string,
) => element.shadowRoot?.querySelector(selector) as T | null;

async function chooseSite(element: FormElement): Promise<void> {
  q(element, 'lightning-combobox.site')?.dispatchEvent(
    new CustomEvent('change', { detail: { value: 'maxio:acme' } }),
  );
  element.catalog = catalog;
  await flushPromises();
}

describe('c-preview-form', () => {
  it('offers the sites and raises sitechange', () => {
    const element = mount();
    const handler = jest.fn();
    element.addEventListener('sitechange', handler);
    const site = q(element, 'lightning-combobox.site') as HTMLElement & {
      options: { label: string; value: string }[];
    };
    expect(site.options).toEqual([
      { label: 'acme (maxio)', value: 'maxio:acme' },
      { label: 'acme-test (chargebee)', value: 'chargebee:acme-test' },
    ]);
    site.dispatchEvent(new CustomEvent('change', { detail: { value: 'maxio:acme' } }));
    expect((handler.mock.calls[0][0] as CustomEvent).detail).toEqual({ siteKey: 'maxio:acme' });
    expect(q(element, 'lightning-combobox.plan')).toBeNull();
  });

  it('splits plans from add-ons and raises pricerequest with quantities and coupons', async () => {
    const element = mount();
    await chooseSite(element);
    const plan = q(element, 'lightning-combobox.plan') as HTMLElement & {
      options: { value: string }[];
    };
    expect(plan.options.map((o) => o.value)).toEqual(['501']);
    const price = () => q(element, 'lightning-button.price') as HTMLElement & { disabled: boolean };
    expect(price().disabled).toBe(true);
    plan.dispatchEvent(new CustomEvent('change', { detail: { value: '501' } }));
    q(element, 'lightning-input.addon')?.dispatchEvent(
      new CustomEvent('change', { detail: { value: '3' } }),
    );
    q(element, 'lightning-input.coupons')?.dispatchEvent(
      new CustomEvent('change', { detail: { value: ' TEN, ,SPRING ' } }),
    );
    await flushPromises();
    expect(price().disabled).toBe(false);
    const handler = jest.fn();
    element.addEventListener('pricerequest', handler);
    price().click();
    expect((handler.mock.calls[0][0] as CustomEvent).detail).toEqual({
      siteKey: 'maxio:acme',
      pricePointId: '501',
      planQuantity: '1',
      items: [{ pricePointId: '601', quantity: '3' }],
      couponCodes: ['TEN', 'SPRING'],
    });
  });

  it('will not price a zero quantity', async () => {
    const element = mount();
    await chooseSite(element);
    q(element, 'lightning-combobox.plan')?.dispatchEvent(
      new CustomEvent('change', { detail: { value: '501' } }),
    );
    q(element, 'lightning-input.plan-quantity')?.dispatchEvent(
      new CustomEvent('change', { detail: { value: '0' } }),
    );
    await flushPromises();
    expect(
      (q(element, 'lightning-button.price') as HTMLElement & { disabled: boolean }).disabled,
    ).toBe(true);
  });

  it('is accessible with a catalog', async () => {
    const element = mount();
    await chooseSite(element);
    await expect(element).toBeAccessible();
  });
});

import { createElement } from 'lwc';
import BillingManifest from 'c/billingManifest';
import manifest from './data/manifest.json';

type ManifestElement = HTMLElement & { heading: string; manifest: unknown };

function mount(props: Partial<Pick<ManifestElement, 'heading' | 'manifest'>>): ManifestElement {
  const element = createElement('c-billing-manifest', {
    is: BillingManifest,
  }) as unknown as ManifestElement;
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const text = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector)?.textContent;

describe('c-billing-manifest', () => {
  it('lists every line with money in the manifest currency', () => {
    const element = mount({ heading: 'Current billing', manifest });
    const lines = Array.from(element.shadowRoot?.querySelectorAll('tr.line') ?? []);
    expect(lines.map((row) => (row as HTMLElement).dataset.kind)).toEqual([
      'baseline',
      'component',
      'coupon',
      'tax',
    ]);
    expect(lines[1]?.querySelector('th')?.textContent).toBe('Extra Seats');
    expect(lines[1]?.querySelector('.amount')?.textContent).toBe('$30.00');
    expect(lines[2]?.querySelector('.amount')?.textContent).toBe('-$7.90');
  });

  it('shows the totals, which add up', () => {
    const element = mount({ heading: 'Current billing', manifest });
    expect(text(element, '.subtotal')).toBe('$79.00');
    expect(text(element, '.discount')).toBe('$7.90');
    expect(text(element, '.tax')).toBe('$5.69');
    expect(text(element, '.total')).toBe('$76.79');
  });

  it('formats other currencies exactly, without float rounding', () => {
    const element = mount({ manifest: { ...manifest, currency: 'EUR', total: '1234567.89' } });
    expect(text(element, '.total')).toBe('€1,234,567.89');
  });

  it('says so when there is nothing to bill', () => {
    const element = mount({ heading: 'Next billing', manifest: { ...manifest, lines: [] } });
    expect(text(element, '.empty')).toBe('c.Billing_Manifest_Empty');
    expect(element.shadowRoot?.querySelector('table')).toBeNull();
  });

  it('is accessible', async () => {
    const element = mount({ heading: 'Current billing', manifest });
    await expect(element).toBeAccessible();
  });
});

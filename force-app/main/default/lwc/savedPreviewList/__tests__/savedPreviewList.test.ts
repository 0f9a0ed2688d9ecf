import { createElement } from 'lwc';
import SavedPreviewList from 'c/savedPreviewList';

const ROWS = [
  {
    id: 'a05A',
    name: 'SP-2',
    pricedAt: 'Nov 22, 2026',
    firstInvoice: '$76.79',
    next: '$52.92',
    chosen: false,
  },
  {
    id: 'a05B',
    name: 'SP-1',
    pricedAt: 'Nov 20, 2026',
    firstInvoice: '€1,200.00',
    next: '',
    chosen: true,
  },
];

function mount(previews: unknown[]): HTMLElement {
  const element = createElement('c-saved-preview-list', { is: SavedPreviewList });
  Object.assign(element, { previews });
  document.body.appendChild(element);
  return element;
}

describe('c-saved-preview-list', () => {
  it('shows each preview; the chosen one has a badge instead of a button', () => {
    const element = mount(ROWS);
    const rows = Array.from(element.shadowRoot?.querySelectorAll('tr.preview') ?? []);
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['SP-2', 'SP-1']);
    expect(rows[0]?.querySelector('lightning-button.use')).not.toBeNull();
    expect(rows[1]?.querySelector('lightning-button.use')).toBeNull();
    expect(rows[1]?.querySelector('.chosen')?.textContent).toBe('c.Billing_Saved_Chosen');
  });

  it('raises choose with the preview id', () => {
    const element = mount(ROWS);
    const handler = jest.fn();
    element.addEventListener('choose', handler);
    (element.shadowRoot?.querySelector('lightning-button.use') as HTMLElement).click();
    expect((handler.mock.calls[0][0] as CustomEvent).detail).toEqual({ previewId: 'a05A' });
  });

  it('says so when nothing is saved', () => {
    const element = mount([]);
    expect(element.shadowRoot?.querySelector('.empty')?.textContent).toBe('c.Billing_Saved_Empty');
  });

  it('is accessible', async () => {
    await expect(mount(ROWS)).toBeAccessible();
  });
});

import { createElement } from 'lwc';
import SyncHealthList, { type SyncHealthRow } from 'c/syncHealthList';

const row = (id: string, name: string, retrying = false): SyncHealthRow => ({
  id,
  name,
  status: retrying ? 'Retrying' : 'Open',
  retrying,
  errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  relatedObject: 'Account',
  externalId: `maxio:acme:${id}`,
  attempts: '3',
  lastAttempt: 'Nov 22, 2026, 7:05 AM',
  hint: 'Fix the validation rule, then retry.',
});
const ROWS = [
  row('a0E1', 'LOG-000003'),
  row('a0E2', 'LOG-000002', true),
  row('a0E3', 'LOG-000001'),
];

function mount(rows: SyncHealthRow[] = ROWS, disabled = false, readOnly = false) {
  const element = createElement('c-sync-health-list', { is: SyncHealthList }) as HTMLElement & {
    rows: SyncHealthRow[];
    disabled: boolean;
  };
  Object.assign(element, { rows, disabled, readOnly });
  document.body.appendChild(element);
  const events: { name: string; detail: unknown }[] = [];
  for (const name of ['retry', 'ignore', 'view'])
    element.addEventListener(name, (e) => events.push({ name, detail: (e as CustomEvent).detail }));
  return { element, events };
}

const $ = (element: HTMLElement, selector: string) =>
  element.shadowRoot?.querySelector(selector) as HTMLElement;
const $$ = (element: HTMLElement, selector: string) =>
  Array.from(element.shadowRoot?.querySelectorAll(selector) ?? []) as HTMLElement[];

/** Ticks (or unticks) a lightning-input checkbox the way the base component reports it. */
function tick(input: HTMLElement, checked = true): void {
  Object.assign(input, { checked });
  input.dispatchEvent(new CustomEvent('change'));
}

describe('c-sync-health-list', () => {
  it('shows one row per entry with its error, object, external id, attempts, time and hint', () => {
    const { element } = mount();
    const rows = $$(element, 'tr.entry');
    expect(rows.map((r) => r.querySelector('.name')?.textContent)).toEqual([
      'LOG-000003',
      'LOG-000002',
      'LOG-000001',
    ]);
    const second = rows[1] as HTMLElement;
    const text = (selector: string) => second.querySelector(selector)?.textContent?.trim();
    expect(text('th .slds-badge')).toBe('Retrying');
    expect(text('.error-code')).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(text('.related-object')).toBe('Account');
    expect(text('.external-id')).toBe('maxio:acme:a0E2');
    expect(text('.attempts')).toBe('3');
    expect(text('.last-attempt')).toBe('Nov 22, 2026, 7:05 AM');
    expect(text('.hint')).toBe('Fix the validation rule, then retry.');
    expect($(element, 'caption')?.textContent).toBe('c.Billing_Health_Caption');
  });

  it('names each row button for screen readers', () => {
    const { element } = mount();
    const retry = $(element, 'tr.entry button.retry');
    expect(retry.textContent?.trim()).toBe('c.Billing_Health_Retry');
    expect(retry.getAttribute('aria-label')).toBe('c.Billing_Health_RetryRow');
    expect($(element, 'tr.entry button.ignore').getAttribute('aria-label')).toBe(
      'c.Billing_Health_IgnoreRow',
    );
    expect($(element, 'tr.entry button.view').getAttribute('aria-label')).toBe(
      'c.Billing_Health_ViewRow',
    );
  });

  it('raises retry, ignore and view for one row', () => {
    const { element, events } = mount();
    const buttons = (cls: string) => $$(element, `tr.entry button.${cls}`);
    buttons('retry')[1]?.click();
    buttons('ignore')[2]?.click();
    buttons('view')[0]?.click();
    expect(events).toEqual([
      { name: 'retry', detail: { ids: ['a0E2'] } },
      { name: 'ignore', detail: { ids: ['a0E3'] } },
      { name: 'view', detail: { id: 'a0E1' } },
    ]);
  });

  it('retries the ticked rows together, then clears the selection', async () => {
    const { element, events } = mount();
    const retrySelected = $(element, 'lightning-button.retry-selected') as HTMLElement & {
      disabled: boolean;
    };
    expect(retrySelected.disabled).toBe(true);
    const [first, , third] = $$(element, 'lightning-input.select');
    tick(first!);
    tick(third!);
    await flushPromises();
    expect(retrySelected.disabled).toBe(false);
    retrySelected.click();
    expect(events).toEqual([{ name: 'retry', detail: { ids: ['a0E1', 'a0E3'] } }]);
    await flushPromises();
    expect(retrySelected.disabled).toBe(true);
  });

  it('ignores every row after Select all, and an untick takes one out', async () => {
    const { element, events } = mount();
    tick($(element, 'lightning-input.select-all'));
    await flushPromises();
    expect(
      $$(element, 'lightning-input.select').map((i) => (i as HTMLInputElement).checked),
    ).toEqual([true, true, true]);
    tick($$(element, 'lightning-input.select')[1]!, false);
    await flushPromises();
    $(element, 'lightning-button.ignore-selected').click();
    expect(events).toEqual([{ name: 'ignore', detail: { ids: ['a0E1', 'a0E3'] } }]);
  });

  it('forgets ticked rows that have left the list', async () => {
    const { element, events } = mount();
    tick($$(element, 'lightning-input.select')[0]!);
    tick($$(element, 'lightning-input.select')[1]!);
    await flushPromises();
    Object.assign(element, { rows: ROWS.slice(1) });
    await flushPromises();
    $(element, 'lightning-button.retry-selected').click();
    expect(events).toEqual([{ name: 'retry', detail: { ids: ['a0E2'] } }]);
  });

  it('disables every action while the container saves, except View', () => {
    const { element } = mount(ROWS, true);
    expect(($(element, 'tr.entry button.retry') as HTMLButtonElement).disabled).toBe(true);
    expect(($(element, 'tr.entry button.ignore') as HTMLButtonElement).disabled).toBe(true);
    expect(($(element, 'tr.entry button.view') as HTMLButtonElement).disabled).toBe(false);
    expect(($(element, 'lightning-input.select') as HTMLInputElement).disabled).toBe(true);
  });

  it('read-only: the entries and View, without selection, Retry or Ignore', () => {
    const { element, events } = mount(ROWS, false, true);
    expect($$(element, 'tr.entry')).toHaveLength(3);
    for (const selector of ['lightning-input', 'lightning-button', 'button.retry', 'button.ignore'])
      expect($$(element, selector)).toEqual([]);
    // Header and row cells stay aligned.
    expect($$(element, 'thead th')).toHaveLength(7);
    expect($$(element, 'tr.entry')[0]?.children).toHaveLength(7);
    $(element, 'button.view').click();
    expect(events).toEqual([{ name: 'view', detail: { id: 'a0E1' } }]);
  });

  it('says there are no sync problems when the list is empty', () => {
    const { element } = mount([]);
    expect($(element, 'table')).toBeNull();
    expect($(element, '.empty')?.textContent).toBe('c.Billing_Health_Empty');
  });

  it('is accessible', async () => {
    const { element } = mount();
    await expect(element).toBeAccessible();
  });

  it('is accessible read-only', async () => {
    const { element } = mount(ROWS, false, true);
    await expect(element).toBeAccessible();
  });
});

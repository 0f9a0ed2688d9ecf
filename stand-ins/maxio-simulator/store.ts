/**
 * The simulator's state: the seeded site data (data.ts) plus what the API changes (new customers
 * and subscriptions, subscription custom fields, the event feed, idempotency tokens), with id
 * indexes so lookups stay O(1) at 100k+ records. Routes read and write only through here.
 */
import { generateMaxioData, siteTime } from './data.ts';
import type { Json, MaxioData } from './data.ts';

type Collection =
  | 'productFamilies'
  | 'products'
  | 'productPricePoints'
  | 'components'
  | 'componentPricePoints'
  | 'coupons'
  | 'customers'
  | 'subscriptions'
  | 'transactions'
  | 'invoices'
  | 'creditNotes'
  | 'events';

/** Invoices and credit notes are addressed by `uid`, everything else by numeric `id`. */
const KEY_OF: Partial<Record<Collection, string>> = { invoices: 'uid', creditNotes: 'uid' };

export class MaxioStore {
  readonly site: string;
  readonly data: MaxioData;
  /** Built on first lookup of a collection, then kept up to date by `insert`. */
  readonly #indexes = new Map<Collection, Map<string, Json>>();
  /** Subscription custom fields (Maxio "metafields"), by subscription id. */
  readonly #metafields = new Map<number, Record<string, string>>();
  /** `uniqueness_token` of a create → the subscription it made. */
  readonly #tokens = new Map<string, number>();
  /** Subscription `reference` → subscription id (references are unique per site). */
  #references: Map<string, number> | null = null;

  constructor(options: { seed: number; scale: number; site: string }) {
    this.site = options.site;
    this.data = generateMaxioData(options.seed, options.scale, options.site);
  }

  list(collection: Collection): Json[] {
    return this.data[collection];
  }

  #index(collection: Collection): Map<string, Json> {
    let index = this.#indexes.get(collection);
    if (!index) {
      const key = KEY_OF[collection] ?? 'id';
      index = new Map(this.data[collection].map((r) => [String(r[key]), r]));
      this.#indexes.set(collection, index);
    }
    return index;
  }

  find(collection: Collection, id: string): Json | undefined {
    return this.#index(collection).get(id);
  }

  insert(collection: Collection, record: Json): Json {
    this.data[collection].push(record);
    const index = this.#indexes.get(collection);
    if (index) index.set(String(record[KEY_OF[collection] ?? 'id']), record);
    if (collection === 'subscriptions' && this.#references && typeof record.reference === 'string')
      this.#references.set(record.reference, record.id as number);
    return record;
  }

  nextId(kind: string): number {
    return this.data.ids.next(kind);
  }

  subscriptionByReference(reference: string): Json | undefined {
    if (!this.#references) {
      this.#references = new Map();
      for (const s of this.data.subscriptions) {
        if (typeof s.reference === 'string') this.#references.set(s.reference, s.id as number);
      }
    }
    const id = this.#references.get(reference);
    return id === undefined ? undefined : this.find('subscriptions', String(id));
  }

  subscriptionByToken(token: string): Json | undefined {
    const id = this.#tokens.get(token);
    return id === undefined ? undefined : this.find('subscriptions', String(id));
  }

  rememberToken(token: string, subscriptionId: number): void {
    this.#tokens.set(token, subscriptionId);
  }

  componentsOf(subscriptionId: number): Json[] {
    return this.data.subscriptionComponents.get(subscriptionId) ?? [];
  }

  setComponents(subscriptionId: number, components: Json[]): void {
    this.data.subscriptionComponents.set(subscriptionId, components);
  }

  setMetafields(subscriptionId: number, fields: Json): void {
    const values: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) values[name] = String(value);
    this.#metafields.set(subscriptionId, values);
  }

  /** Maxio's metadata rows for one subscription. */
  metadataOf(subscriptionId: number): Json[] {
    return Object.entries(this.#metafields.get(subscriptionId) ?? {}).map(([name, value]) => ({
      id: null,
      value,
      resource_id: subscriptionId,
      name,
    }));
  }

  /** Append to the event feed; ids keep increasing after the seeded ones. */
  addEvent(
    key: string,
    message: string,
    subscriptionId: number | null,
    customerId: number | null,
    eventSpecificData: Json | null = null,
  ): Json {
    let id = this.nextId('event');
    const last = this.data.events.at(-1);
    if (last && id <= Number(last.id)) id = Number(last.id) + 1;
    return this.insert('events', {
      id,
      key,
      message,
      subscription_id: subscriptionId,
      customer_id: customerId,
      created_at: siteTime(Date.now()),
      event_specific_data: eventSpecificData,
    });
  }
}

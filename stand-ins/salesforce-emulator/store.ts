/**
 * In-memory records of every object: 18-character ids with the object's key prefix, audit fields
 * (CreatedDate/LastModifiedDate/SystemModstamp, CreatedById/LastModifiedById), indexes on unique
 * and external id fields, a recycle bin for deleted records (queryAll sees them), and an undo log
 * so an all-or-none request can roll back everything it wrote.
 */
import { makeId, keyPrefixOf, toId18 } from './ids.ts';
import type { FieldDef, ObjectDef, Schema } from './schema-types.ts';

export type FieldValue = string | number | boolean | null;
export type SfRecord = Record<string, FieldValue>;

type Undo = () => void;

/** `2024-05-01T12:00:00.000+0000`: how Salesforce renders datetimes in JSON. */
export function sfDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function indexKey(def: FieldDef, value: FieldValue): string {
  const s = String(value);
  return def.caseSensitive ? s : s.toLowerCase();
}

interface Table {
  object: ObjectDef;
  live: Map<string, SfRecord>;
  deleted: Map<string, SfRecord>;
  /** Field name → index key → record id, for unique and external id fields. */
  indexes: Map<string, Map<string, string[]>>;
}

export class RecordStore {
  readonly #schema: Schema;
  readonly #tables = new Map<string, Table>();
  readonly #now: () => Date;
  #sequence = 1;
  #undo: Undo[] | null = null;

  constructor(schema: Schema, now: () => Date = () => new Date()) {
    this.#schema = schema;
    this.#now = now;
    for (const object of schema.objects.values()) {
      const indexes = new Map<string, Map<string, string[]>>();
      for (const def of object.fields.values()) {
        if (def.unique || def.externalId) indexes.set(def.name, new Map());
      }
      this.#tables.set(object.name, { object, live: new Map(), deleted: new Map(), indexes });
    }
  }

  now(): string {
    return sfDateTime(this.#now());
  }

  #table(object: string): Table {
    const table = this.#tables.get(object);
    if (!table) throw new Error(`no such object ${object}`);
    return table;
  }

  newId(object: ObjectDef): string {
    return makeId(object.keyPrefix, this.#sequence++);
  }

  /** The object a record id belongs to (by key prefix). */
  objectOfId(id: string): ObjectDef | undefined {
    return this.#schema.byKeyPrefix.get(keyPrefixOf(id));
  }

  /** A live record by id (15 or 18 characters), or undefined. */
  get(id: string): SfRecord | undefined {
    const id18 = toId18(id);
    const object = id18 ? this.objectOfId(id18) : undefined;
    if (!id18 || !object) return undefined;
    return this.#table(object.name).live.get(id18);
  }

  /** A deleted record by id (in the recycle bin). */
  getDeleted(id: string): SfRecord | undefined {
    const id18 = toId18(id);
    const object = id18 ? this.objectOfId(id18) : undefined;
    if (!id18 || !object) return undefined;
    return this.#table(object.name).deleted.get(id18);
  }

  /** Live records of an object (and deleted ones with `includeDeleted`), in insertion order. */
  all(object: string, includeDeleted = false): SfRecord[] {
    const table = this.#table(object);
    const live = [...table.live.values()];
    return includeDeleted ? [...live, ...table.deleted.values()] : live;
  }

  count(object: string): number {
    return this.#table(object).live.size;
  }

  /** Ids of live records whose `field` equals `value` (indexed fields use the index). */
  findBy(object: ObjectDef, def: FieldDef, value: FieldValue): string[] {
    const table = this.#table(object.name);
    const index = table.indexes.get(def.name);
    if (index) return [...(index.get(indexKey(def, value)) ?? [])];
    const wanted = indexKey(def, value);
    const out: string[] = [];
    for (const [id, record] of table.live) {
      const v = record[def.name];
      if (v !== null && v !== undefined && indexKey(def, v) === wanted) out.push(id);
    }
    return out;
  }

  #index(table: Table, record: SfRecord, add: boolean): void {
    const id = record.Id as string;
    for (const [name, index] of table.indexes) {
      const value = record[name];
      if (value === null || value === undefined || value === '') continue;
      const def = table.object.fields.get(name);
      if (!def) continue;
      const key = indexKey(def, value);
      const ids = index.get(key) ?? [];
      if (add) {
        if (!ids.includes(id)) ids.push(id);
        index.set(key, ids);
      } else {
        const at = ids.indexOf(id);
        if (at >= 0) ids.splice(at, 1);
        if (ids.length) index.set(key, ids);
        else index.delete(key);
      }
    }
  }

  /** Store a new record (values already validated); returns the stored copy. */
  insert(object: ObjectDef, values: SfRecord, userId: string, id?: string): SfRecord {
    const table = this.#table(object.name);
    const now = this.now();
    const record: SfRecord = {
      ...values,
      Id: id ?? this.newId(object),
      IsDeleted: false,
      CreatedDate: now,
      CreatedById: userId,
      LastModifiedDate: now,
      LastModifiedById: userId,
      SystemModstamp: now,
    };
    if (object.fields.has('OwnerId') && !record.OwnerId) record.OwnerId = userId;
    table.live.set(record.Id as string, record);
    this.#index(table, record, true);
    this.#undo?.push(() => {
      this.#index(table, record, false);
      table.live.delete(record.Id as string);
    });
    return record;
  }

  /** Apply changed values to a live record; returns the stored copy. */
  update(object: ObjectDef, id: string, changes: SfRecord, userId: string): SfRecord {
    const table = this.#table(object.name);
    const previous = table.live.get(id);
    if (!previous) throw new Error(`no live ${object.name} ${id}`);
    const now = this.now();
    const record: SfRecord = {
      ...previous,
      ...changes,
      LastModifiedDate: now,
      LastModifiedById: userId,
      SystemModstamp: now,
    };
    this.#index(table, previous, false);
    table.live.set(id, record);
    this.#index(table, record, true);
    this.#undo?.push(() => {
      this.#index(table, record, false);
      table.live.set(id, previous);
      this.#index(table, previous, true);
    });
    return record;
  }

  /** Move a live record to the recycle bin. */
  delete(object: ObjectDef, id: string): void {
    const table = this.#table(object.name);
    const previous = table.live.get(id);
    if (!previous) return;
    this.#index(table, previous, false);
    table.live.delete(id);
    const deleted = { ...previous, IsDeleted: true, SystemModstamp: this.now() };
    table.deleted.set(id, deleted);
    this.#undo?.push(() => {
      table.deleted.delete(id);
      table.live.set(id, previous);
      this.#index(table, previous, true);
    });
  }

  /**
   * Run `work` so that `rollback()` undoes every write it made. Writes are synchronous, so no
   * other request interleaves; nested calls join the outer transaction.
   */
  transaction<T>(work: (rollback: () => void) => T): T {
    if (this.#undo) return work(() => {});
    const undo: Undo[] = [];
    this.#undo = undo;
    const rollback = () => {
      for (const step of undo.reverse()) step();
      undo.length = 0;
    };
    try {
      return work(rollback);
    } finally {
      this.#undo = null;
    }
  }

  /** Records per object, for stats. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, table] of this.#tables) if (table.live.size) out[name] = table.live.size;
    return out;
  }
}

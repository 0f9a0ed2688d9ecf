/**
 * Writes mapped records to Salesforce, through jsforce, in as few API calls as correctness allows:
 *
 * - **Stages.** Records come parents first (the mappings' order). They are grouped by sObject and
 *   upsert key into stages written one after the other, so a child's lookup by external id finds
 *   its parent. Within a stage, a record whose lookup points at another record of the same stage
 *   (an Account's parent Account) goes in a later round, and the standard Price Book Entries go
 *   before the others (Salesforce needs the standard price first). Back-link records
 *   (`link: true`) form the last stages.
 * - **sObject Collections** upsert on the external id, 200 records a call, `allOrNone=false`,
 *   so one bad record never blocks its neighbours. A stage of `bulkThreshold` records or more goes
 *   through **Bulk API 2.0** instead (backfills): one job costs a handful of calls whatever its size.
 * - **Retries inside one write.** A whole call that fails transiently (`UNABLE_TO_LOCK_ROW`, 5xx,
 *   a reset connection) is repeated with jittered backoff; upserts on an external id are
 *   idempotent, so repeating is safe. A record that fails on a field Salesforce accepts on insert
 *   only (the record exists) is re-sent without those fields, and one that failed because the
 *   record it looks up was written later in the same batch is re-sent at the end.
 * - **Budget.** Every call first asks the ApiBudget, which slows down and then stops
 *   (ApiBudgetError) before the org's daily limit; the usage comes from `Sforce-Limit-Info`.
 *
 * What is left failing comes back as `ok: false` with Salesforce's errors; the engine logs it in
 * the Event Log and retries it later. Nothing is dropped.
 */
import type { Connection } from 'jsforce';
import { RateLimitError } from '../errors.ts';
import { backoffDelayMs, sleep } from '../http/retry.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { Logger } from '../log.ts';
import { STANDARD_PRICEBOOK_KEY } from '../sync/mappings/keys.ts';
import { toUpsertBody } from '../sync/records.ts';
import type { FieldValue, SalesforceRecord } from '../sync/records.ts';
import { ApiBudget } from './budget.ts';
import type { CallClass } from './budget.ts';
import { isTransientSalesforceError, toSalesforceError } from './errors.ts';
import type { SalesforceRecordError } from './errors.ts';

export const COLLECTION_SIZE = 200;

export interface WriteResult {
  record: SalesforceRecord;
  ok: boolean;
  id?: string;
  created?: boolean;
  errors: SalesforceRecordError[];
  /** How the record went: sObject Collections or Bulk API 2.0. */
  via: 'collections' | 'bulk';
}

export interface WriteOptions {
  /** `live` (webhooks, retries) or `backfill`: decides where the budget stops the caller. */
  callClass?: CallClass;
  /** A hint that the record already exists in Salesforce, so insert-only fields are left out. */
  exists?: (record: SalesforceRecord) => boolean;
  /** Force a path; by default Bulk API 2.0 from `bulkThreshold` records of one stage. */
  mode?: 'auto' | 'collections' | 'bulk';
}

export interface SalesforceWriterOptions {
  conn: Connection;
  budget?: ApiBudget;
  logger?: Logger;
  /** Records of one stage from which Bulk API 2.0 is used. Default 2000. */
  bulkThreshold?: number;
  /** Collection calls of one stage in flight at once. Default 4. */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Bulk job polling. */
  bulkPollIntervalMs?: number;
  bulkPollTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, initialDelayMs: 200, maxDelayMs: 10_000 };

/** Salesforce's message when a lookup's external id matches no record. */
const MISSING_REFERENCE = /Foreign key external ID: .* not found/i;

interface CollectionResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

interface Pending {
  record: SalesforceRecord;
  /** Send without insert-only fields. */
  forUpdate: boolean;
  attempts: number;
}

export class SalesforceWriter {
  readonly conn: Connection;
  readonly budget: ApiBudget;
  readonly #logger: Logger | undefined;
  readonly #bulkThreshold: number;
  readonly #concurrency: number;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #bulkPollIntervalMs: number;
  readonly #bulkPollTimeoutMs: number;
  /** API calls this writer made, by kind (for the sandbox summary and benchmarks). */
  readonly calls = { collections: 0, bulkJobs: 0, queries: 0 };

  constructor(options: SalesforceWriterOptions) {
    this.conn = options.conn;
    this.budget = options.budget ?? new ApiBudget();
    this.#logger = options.logger;
    this.#bulkThreshold = options.bulkThreshold ?? 2000;
    this.#concurrency = options.concurrency ?? 4;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#sleep = options.sleep ?? sleep;
    this.#bulkPollIntervalMs = options.bulkPollIntervalMs ?? 1000;
    this.#bulkPollTimeoutMs = options.bulkPollTimeoutMs ?? 10 * 60_000;
  }

  /**
   * Mark the org's standard price book with `Billing_External_Id__c = 'standard'`, once, so Price
   * Book Entries can look it up by external id like every other record. Returns its id.
   */
  async ensureStandardPricebook(callClass: CallClass = 'live'): Promise<string | null> {
    const found = await this.#call(callClass, async () => {
      this.calls.queries += 1;
      return this.conn.query<{ Id: string; Billing_External_Id__c: string | null }>(
        'SELECT Id, Billing_External_Id__c FROM Pricebook2 WHERE IsStandard = true LIMIT 1',
      );
    });
    const book = found.records[0];
    if (!book) return null;
    if (book.Billing_External_Id__c !== STANDARD_PRICEBOOK_KEY) {
      await this.#call(callClass, async () => {
        this.calls.collections += 1;
        return this.conn.request({
          method: 'PATCH',
          url: `/sobjects/Pricebook2/${book.Id}`,
          body: JSON.stringify({ Billing_External_Id__c: STANDARD_PRICEBOOK_KEY }),
          headers: { 'content-type': 'application/json' },
        });
      });
    }
    return book.Id;
  }

  /** Upsert every record, in dependency order; one result per record, in input order. */
  async write(records: SalesforceRecord[], options: WriteOptions = {}): Promise<WriteResult[]> {
    const results = new Map<SalesforceRecord, WriteResult>();
    const deferred: Pending[] = [];
    const written = new Set<string>();
    for (const stage of stagesOf(records)) {
      for (const round of roundsOf(stage)) {
        const out = await this.#writeStage(round, options);
        for (const result of out) {
          if (result.ok) written.add(keyOf(result.record));
          results.set(result.record, result);
        }
      }
    }
    // A lookup to a record this batch wrote after it: re-send once, now that the target exists.
    for (const [record, result] of results) {
      if (result.ok || !result.errors.some((e) => MISSING_REFERENCE.test(e.message))) continue;
      const targets = Object.values(record.references).map(
        (ref) => `${ref.sobject}|${ref.externalIdField}|${ref.externalId}`,
      );
      if (targets.some((t) => written.has(t))) {
        deferred.push({ record, forUpdate: false, attempts: 1 });
      }
    }
    if (deferred.length > 0) {
      for (const stage of stagesOf(deferred.map((d) => d.record))) {
        const out = await this.#writeStage(stage, { ...options, mode: 'collections' });
        for (const result of out) results.set(result.record, result);
      }
    }
    // A record repeated in the batch (the same business entity named by two customers) shares
    // the result of the copy that was written.
    const byKey = new Map<string, WriteResult>();
    for (const result of results.values()) byKey.set(keyOf(result.record), result);
    return records.map((r) => {
      const own = results.get(r);
      if (own) return own;
      const shared = byKey.get(keyOf(r)) as WriteResult;
      return { ...shared, record: r };
    });
  }

  async #writeStage(stage: SalesforceRecord[], options: WriteOptions): Promise<WriteResult[]> {
    const useBulk =
      options.mode === 'bulk' ||
      (options.mode !== 'collections' && stage.length >= this.#bulkThreshold);
    if (useBulk) return this.#writeBulk(stage, options);
    const chunks: SalesforceRecord[][] = [];
    for (let i = 0; i < stage.length; i += COLLECTION_SIZE) {
      chunks.push(stage.slice(i, i + COLLECTION_SIZE));
    }
    const out: WriteResult[][] = new Array(chunks.length);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const index = next++;
        out[index] = await this.#writeCollection(chunks[index] as SalesforceRecord[], options);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.#concurrency, chunks.length) }, () => worker()),
    );
    return out.flat();
  }

  /** One stage chunk through sObject Collections, with the per-record second chances. */
  async #writeCollection(chunk: SalesforceRecord[], options: WriteOptions): Promise<WriteResult[]> {
    let pending: Pending[] = chunk.map((record) => ({
      record,
      forUpdate: (record.insertOnly?.length ?? 0) > 0 && (options.exists?.(record) ?? false),
      attempts: 0,
    }));
    const done: WriteResult[] = [];
    while (pending.length > 0) {
      const first = pending[0] as Pending;
      const sobject = first.record.sobject;
      const field = first.record.externalIdField;
      const bodies = pending.map((p) => toUpsertBody(p.record, { forUpdate: p.forUpdate }));
      const answers = await this.#call(options.callClass ?? 'live', async () => {
        this.calls.collections += 1;
        return (await this.conn.request({
          method: 'PATCH',
          url: `/composite/sobjects/${sobject}/${field}`,
          body: JSON.stringify({ allOrNone: false, records: bodies }),
          headers: { 'content-type': 'application/json' },
        })) as CollectionResult[];
      });
      const again: Pending[] = [];
      pending.forEach((p, i) => {
        const answer = answers[i];
        const errors = (answer?.errors ?? []).map(normaliseError);
        if (answer?.success) {
          done.push({
            record: p.record,
            ok: true,
            ...(answer.id ? { id: answer.id } : {}),
            created: answer.created === true,
            errors: [],
            via: 'collections',
          });
          return;
        }
        const retry = secondChance(p, errors, this.#retry.maxRetries);
        if (retry) again.push(retry);
        else done.push({ record: p.record, ok: false, errors, via: 'collections' });
      });
      // Lock contention clears with time; a changed body can go again at once.
      const lockAttempts = again.map((p) => p.attempts).filter((n) => n > 0);
      if (lockAttempts.length > 0) {
        await this.#sleep(backoffDelayMs(Math.max(...lockAttempts), this.#retry));
      }
      pending = again;
    }
    return done;
  }

  /** One stage through a Bulk API 2.0 upsert job. */
  async #writeBulk(stage: SalesforceRecord[], options: WriteOptions): Promise<WriteResult[]> {
    const first = stage[0] as SalesforceRecord;
    const field = first.externalIdField;
    const rows = stage.map((record) => csvRow(record, options.exists?.(record) ?? false));
    const columns = new Set<string>();
    for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
    // Every row carries every column: Bulk API reads one header for the file.
    const input = rows.map((row) => {
      const full: Record<string, string> = {};
      for (const column of columns) full[column] = row[column] ?? '';
      return full;
    });
    const results = await this.#call(options.callClass ?? 'backfill', async () => {
      this.calls.bulkJobs += 1;
      return this.conn.bulk2.loadAndWaitForResults({
        object: first.sobject,
        operation: 'upsert',
        externalIdFieldName: field,
        lineEnding: 'LF',
        input,
        pollInterval: this.#bulkPollIntervalMs,
        pollTimeout: this.#bulkPollTimeoutMs,
      });
    });
    const byKey = new Map<string, SalesforceRecord>(stage.map((r) => [r.externalId, r]));
    const out = new Map<SalesforceRecord, WriteResult>();
    for (const row of results.successfulResults as unknown as Record<string, string>[]) {
      const record = byKey.get(row[field] ?? '');
      if (!record) continue;
      out.set(record, {
        record,
        ok: true,
        ...(row.sf__Id ? { id: row.sf__Id } : {}),
        created: row.sf__Created === 'true',
        errors: [],
        via: 'bulk',
      });
    }
    for (const row of results.failedResults as unknown as Record<string, string>[]) {
      const record = byKey.get(row[field] ?? '');
      if (!record) continue;
      out.set(record, {
        record,
        ok: false,
        errors: [parseBulkError(row.sf__Error ?? '')],
        via: 'bulk',
      });
    }
    // Records the job never reached, or that Bulk API refused for insert-only fields, get the
    // collections path with its second chances.
    const rest = stage.filter((r) => {
      const result = out.get(r);
      return !result || (!result.ok && result.errors.some(isInsertOnlyError));
    });
    if (rest.length > 0) {
      for (const result of await this.#writeStage(rest, { ...options, mode: 'collections' })) {
        out.set(result.record, result);
      }
    }
    return stage.map((r) => out.get(r) as WriteResult);
  }

  /** One API call: budget first, then transient failures retried with backoff. */
  async #call<T>(callClass: CallClass, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.budget.beforeCall(callClass);
      try {
        const value = await fn();
        this.#observe();
        return value;
      } catch (error) {
        this.#observe();
        const err = toSalesforceError(error);
        if (err instanceof RateLimitError && err.code === 'REQUEST_LIMIT_EXCEEDED') {
          // The org's daily limit is gone: waiting seconds will not help. The engine reschedules.
          throw err;
        }
        if (!isTransientSalesforceError(err) || attempt > this.#retry.maxRetries) throw err;
        const delay = backoffDelayMs(attempt, this.#retry, Math.random, err.retryAfterMs);
        this.#logger?.warn(
          { code: err.code, attempt, delayMs: delay },
          'salesforce call failed transiently; retrying',
        );
        await this.#sleep(delay);
      }
    }
  }

  #observe(): void {
    const info = (
      this.conn as unknown as { limitInfo?: { apiUsage?: { used: number; limit: number } } }
    ).limitInfo;
    this.budget.observe(info?.apiUsage);
  }
}

// ---------------------------------------------------------------------------------------------
// Stages and rounds

const keyOf = (record: SalesforceRecord): string =>
  `${record.sobject}|${record.externalIdField}|${record.externalId}`;

function stageKeyOf(record: SalesforceRecord): string {
  const standardEntry =
    record.sobject === 'PricebookEntry' && record.references.Pricebook2?.externalId === 'standard';
  return `${record.link ? 'link' : 'main'}|${record.sobject}|${record.externalIdField}|${standardEntry ? 'standard' : ''}`;
}

/**
 * Records grouped into stages in the order their stage first appears, links last. The mappings
 * emit parents first, so first appearance is a dependency order. The same external id twice in
 * one batch keeps the last version (a newer change of the same record).
 */
export function stagesOf(records: SalesforceRecord[]): SalesforceRecord[][] {
  const stages = new Map<string, Map<string, SalesforceRecord>>();
  const order: string[] = [];
  const sorted = [...records.filter((r) => !r.link), ...records.filter((r) => r.link)];
  for (const record of sorted) {
    const key = stageKeyOf(record);
    let stage = stages.get(key);
    if (!stage) {
      stage = new Map();
      stages.set(key, stage);
      order.push(key);
    }
    stage.delete(record.externalId);
    stage.set(record.externalId, record);
  }
  // A standard Price Book Entry stage goes before the other entry stage.
  order.sort((a, b) => {
    const pa = a.includes('|PricebookEntry|') ? (a.endsWith('|standard') ? 0 : 1) : -1;
    const pb = b.includes('|PricebookEntry|') ? (b.endsWith('|standard') ? 0 : 1) : -1;
    return pa >= 0 && pb >= 0 ? pa - pb : 0;
  });
  return order.map((key) => [...(stages.get(key) as Map<string, SalesforceRecord>).values()]);
}

/** Within a stage, records pointing at records of the same stage go in later rounds. */
export function roundsOf(stage: SalesforceRecord[]): SalesforceRecord[][] {
  const inStage = new Map(stage.map((r) => [r.externalId, r]));
  const depth = new Map<SalesforceRecord, number>();
  const depthOf = (record: SalesforceRecord, seen: Set<SalesforceRecord>): number => {
    const known = depth.get(record);
    if (known !== undefined) return known;
    let d = 0;
    for (const ref of Object.values(record.references)) {
      if (ref.sobject !== record.sobject || ref.externalIdField !== record.externalIdField)
        continue;
      const parent = inStage.get(ref.externalId);
      if (!parent || parent === record || seen.has(parent)) continue;
      seen.add(record);
      d = Math.max(d, depthOf(parent, seen) + 1);
    }
    depth.set(record, d);
    return d;
  };
  const rounds: SalesforceRecord[][] = [];
  for (const record of stage) {
    const d = depthOf(record, new Set());
    (rounds[d] ??= []).push(record);
  }
  return rounds.filter((round) => round !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Per-record second chances

function normaliseError(e: {
  statusCode?: string;
  message?: string;
  fields?: string[];
}): SalesforceRecordError {
  return {
    statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
    message: e.message ?? '',
    fields: e.fields ?? [],
  };
}

function isInsertOnlyError(e: SalesforceRecordError): boolean {
  return e.statusCode === 'INVALID_FIELD_FOR_INSERT_UPDATE';
}

/** The same record again, changed so it can succeed; null when retrying cannot help. */
function secondChance(
  p: Pending,
  errors: SalesforceRecordError[],
  maxAttempts: number,
): Pending | null {
  const hasInsertOnly = (p.record.insertOnly?.length ?? 0) > 0;
  if (!p.forUpdate && hasInsertOnly && errors.some(isInsertOnlyError)) {
    // The record exists: Salesforce refuses its insert-only fields even unchanged.
    return { ...p, forUpdate: true };
  }
  if (p.forUpdate && errors.some((e) => e.statusCode === 'REQUIRED_FIELD_MISSING')) {
    // The hint said it existed, but it does not: send the insert-only fields after all.
    return { ...p, forUpdate: false };
  }
  if (errors.some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW') && p.attempts < maxAttempts) {
    return { ...p, attempts: p.attempts + 1 };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Bulk API 2.0 rows

/**
 * One CSV row: fields by name, lookups as `Relationship.ExternalIdField` columns, null as `#N/A`
 * (Bulk API's "set to null"; an empty cell leaves the field unchanged).
 */
function csvRow(record: SalesforceRecord, exists: boolean): Record<string, string> {
  const body = toUpsertBody(record, { forUpdate: exists });
  const row: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name === 'attributes') continue;
    if (value !== null && typeof value === 'object') {
      for (const [refField, refValue] of Object.entries(value)) {
        if (refField === 'attributes') continue;
        row[`${name}.${refField}`] = String(refValue);
      }
      continue;
    }
    row[name] = csvValue(value as FieldValue);
  }
  return row;
}

function csvValue(value: FieldValue): string {
  if (value === null) return '#N/A';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** `sf__Error` is `CODE:message:fields` (e.g. `STRING_TOO_LONG:Name: data value too large:Name --`). */
export function parseBulkError(text: string): SalesforceRecordError {
  const match = /^([A-Z_]+):(.*?)(?::([^:]*?)\s*--\s*)?$/s.exec(text.trim());
  if (!match) return { statusCode: 'UNKNOWN_EXCEPTION', message: text, fields: [] };
  const fields = (match[3] ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  return { statusCode: match[1] as string, message: (match[2] ?? '').trim(), fields };
}

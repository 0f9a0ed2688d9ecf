/**
 * One pass of sync: canonical billing records in, Salesforce upserts out, failures in the Event
 * Log. Webhooks, the event poller, backfills and retries all come through here, so they share
 * the same rules:
 *
 * 1. **Never older over newer.** Each canonical record's change marker (`resource_version`, else
 *    `updated_at`) is checked against the last one written for it; an older one is skipped as
 *    stale. An equal one is written again (a redelivered job after a crash), which is harmless
 *    because every write is an upsert on the external id.
 * 2. **Parents first.** Records are sorted by resource order, mapped, and handed to the writer,
 *    which stages them by object.
 * 3. **Nothing lost.** A record that cannot be mapped or that Salesforce refuses becomes a failure
 *    in the store (durable, retried with backoff by re-reading the billing record) and an Event
 *    Log record in Salesforce; a later success marks both resolved.
 */
import { MappingError, mapCanonical, mapSite } from './mappings/index.ts';
import type { MappingOptions } from './mappings/index.ts';
import { RESOURCE_ORDER } from '../model/canonical.ts';
import type { CanonicalRecord, Site, SiteKey } from '../model/canonical.ts';
import type { Logger } from '../log.ts';
import type { CallClass } from '../salesforce/budget.ts';
import type { SalesforceWriter, WriteResult } from '../salesforce/writer.ts';
import { eventLogRecord } from './event-log.ts';
import type { LogSource, SyncFailureEntry } from './event-log.ts';
import type { SalesforceRecord, SourceResource } from './records.ts';

/** A canonical record's change marker. */
export interface VersionEntry {
  key: string;
  updatedAt?: string | null;
  resourceVersion?: number | null;
}

/** What the pipeline failed to write: enough to show it and to redo it from the billing record. */
export interface FailureInput {
  siteKey: SiteKey;
  sobject: string;
  externalId: string;
  sourceResource: SourceResource;
  sourceId: string;
  source: LogSource;
  errorCode: string;
  message: string;
  payload: string;
  eventId?: string | null;
}

/** The part of the bridge's store the pipeline needs (implemented over BridgeStore). */
export interface SyncState {
  /**
   * Accept the entries not older than the last written marker and record theirs. Returns, per
   * accepted key, whether a marker existed before (the record was written before).
   */
  claimVersions(entries: VersionEntry[]): Promise<Map<string, { existed: boolean }>>;
  /** Store failures (one open failure per sobject + external id; attempts count up). */
  recordFailures(failures: FailureInput[], now: Date): Promise<SyncFailureEntry[]>;
  /** Resolve the open failures of records that were just written; returns those resolved. */
  resolveFailures(
    keys: { sobject: string; externalId: string }[],
    now: Date,
  ): Promise<SyncFailureEntry[]>;
}

export interface SyncSummary {
  /** Records written, by sObject. */
  written: Record<string, number>;
  /** Records that failed, by sObject. */
  failed: Record<string, number>;
  /** Canonical records skipped because a newer version was already written. */
  stale: number;
  failures: FailureInput[];
}

export interface SyncOptions {
  source: LogSource;
  callClass?: CallClass;
  eventId?: string | null;
  /** Skip the version check (a retry of a failure re-reads the record and must write it). */
  force?: boolean;
}

export interface SyncPipelineOptions {
  writer: SalesforceWriter;
  state: SyncState;
  sites: Map<SiteKey, Site>;
  mapping?: MappingOptions;
  logger?: Logger;
  now?: () => Date;
}

const rank = (c: CanonicalRecord): number => RESOURCE_ORDER.indexOf(c.resource);

export function emptySummary(): SyncSummary {
  return { written: {}, failed: {}, stale: 0, failures: [] };
}

export function mergeSummary(into: SyncSummary, from: SyncSummary): SyncSummary {
  for (const [k, v] of Object.entries(from.written)) into.written[k] = (into.written[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.failed)) into.failed[k] = (into.failed[k] ?? 0) + v;
  into.stale += from.stale;
  into.failures.push(...from.failures);
  return into;
}

export class SyncPipeline {
  readonly #writer: SalesforceWriter;
  readonly #state: SyncState;
  readonly #sites: Map<SiteKey, Site>;
  readonly #mapping: MappingOptions;
  readonly #logger: Logger | undefined;
  readonly #now: () => Date;

  constructor(options: SyncPipelineOptions) {
    this.#writer = options.writer;
    this.#state = options.state;
    this.#sites = options.sites;
    this.#mapping = options.mapping ?? {};
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  site(siteKey: SiteKey): Site {
    const site = this.#sites.get(siteKey);
    if (!site) throw new MappingError(`site ${siteKey} is not connected to this bridge`);
    return site;
  }

  /** Write the site's own records (Billing Site, its price book): once, before any backfill. */
  async syncSite(siteKey: SiteKey, options: SyncOptions): Promise<SyncSummary> {
    const records = mapSite(this.site(siteKey), this.#mapping);
    if (this.#mapping.priceBookEntries !== false) {
      await this.#writer.ensureStandardPricebook(options.callClass ?? 'live');
    }
    return this.#writeAndLog(siteKey, records, new Map(), options, []);
  }

  /** Sync canonical records of one site. */
  async sync(
    siteKey: SiteKey,
    changes: CanonicalRecord[],
    options: SyncOptions,
  ): Promise<SyncSummary> {
    const site = this.site(siteKey);
    const sorted = [...changes].sort((a, b) => rank(a) - rank(b));
    // The newest change of a record in this batch wins; earlier ones are superseded.
    const latest = new Map<string, CanonicalRecord>();
    for (const change of sorted) {
      const key = change.record.externalId;
      const seen = latest.get(key);
      if (!seen || !isOlder(change, seen)) latest.set(key, change);
    }
    const unique = sorted.filter((c) => latest.get(c.record.externalId) === c);
    let stale = changes.length - unique.length;
    let accepted: Map<string, { existed: boolean }>;
    if (options.force) {
      accepted = new Map(unique.map((c) => [c.record.externalId, { existed: true }]));
    } else {
      accepted = await this.#state.claimVersions(
        unique.map((c) => ({
          key: c.record.externalId,
          updatedAt: c.record.updatedAt ?? null,
          resourceVersion: c.record.resourceVersion ?? null,
        })),
      );
      stale += unique.filter((c) => !accepted.has(c.record.externalId)).length;
    }
    const records: SalesforceRecord[] = [];
    const existed = new Map<string, boolean>();
    const mappingFailures: FailureInput[] = [];
    for (const change of unique) {
      const claim = accepted.get(change.record.externalId);
      if (!claim) continue;
      try {
        for (const record of mapCanonical(change, { site, options: this.#mapping })) {
          records.push(record);
          existed.set(`${record.sourceResource}:${record.sourceId}`, claim.existed);
        }
      } catch (error) {
        if (!(error instanceof MappingError)) throw error;
        mappingFailures.push({
          siteKey,
          sobject: change.resource,
          externalId: change.record.externalId,
          sourceResource: change.resource,
          sourceId: change.record.id,
          source: options.source,
          errorCode: 'MAPPING_ERROR',
          message: error.message,
          payload: safeJson(change.record.raw ?? change.record),
          eventId: options.eventId ?? null,
        });
      }
    }
    const summary = await this.#writeAndLog(siteKey, records, existed, options, mappingFailures);
    summary.stale += stale;
    return summary;
  }

  async #writeAndLog(
    siteKey: SiteKey,
    records: SalesforceRecord[],
    existed: Map<string, boolean>,
    options: SyncOptions,
    extraFailures: FailureInput[],
  ): Promise<SyncSummary> {
    const summary = emptySummary();
    const results: WriteResult[] =
      records.length === 0
        ? []
        : await this.#writer.write(records, {
            callClass: options.callClass ?? 'live',
            exists: (r) => existed.get(`${r.sourceResource}:${r.sourceId}`) ?? false,
          });
    const failures: FailureInput[] = [...extraFailures];
    const succeeded: { sobject: string; externalId: string }[] = [];
    for (const result of results) {
      const { record } = result;
      if (result.ok) {
        summary.written[record.sobject] = (summary.written[record.sobject] ?? 0) + 1;
        succeeded.push({ sobject: record.sobject, externalId: record.externalId });
        continue;
      }
      summary.failed[record.sobject] = (summary.failed[record.sobject] ?? 0) + 1;
      const first = result.errors[0];
      failures.push({
        siteKey,
        sobject: record.sobject,
        externalId: record.externalId,
        sourceResource: record.sourceResource,
        sourceId: record.sourceId,
        source: options.source,
        errorCode: first?.statusCode ?? 'UNKNOWN_EXCEPTION',
        message: result.errors
          .map((e) => (e.fields.length ? `${e.message} (${e.fields.join(', ')})` : e.message))
          .join('; '),
        payload: safeJson({
          sobject: record.sobject,
          fields: record.fields,
          references: record.references,
        }),
        eventId: options.eventId ?? null,
      });
    }
    for (const f of extraFailures) summary.failed[f.sobject] = (summary.failed[f.sobject] ?? 0) + 1;
    // A back-link written after its record failed does not make the record good.
    const failedKeys = new Set(failures.map((f) => `${f.sobject}|${f.externalId}`));
    const resolvable = succeeded.filter((k) => !failedKeys.has(`${k.sobject}|${k.externalId}`));
    summary.failures = failures;
    const now = this.#now();
    const logEntries: SyncFailureEntry[] = [];
    if (failures.length > 0) logEntries.push(...(await this.#state.recordFailures(failures, now)));
    if (resolvable.length > 0) {
      logEntries.push(...(await this.#state.resolveFailures(resolvable, now)));
    }
    if (logEntries.length > 0) await this.#writeEventLog(logEntries, options.callClass ?? 'live');
    return summary;
  }

  /** Mirror failures into Billing_Event_Log__c. The store stays the source of truth if this fails. */
  async #writeEventLog(entries: SyncFailureEntry[], callClass: CallClass): Promise<void> {
    try {
      const results = await this.#writer.write(entries.map(eventLogRecord), {
        callClass,
        mode: 'collections',
      });
      const refused = results.filter((r) => !r.ok);
      if (refused.length > 0) {
        this.#logger?.error(
          { count: refused.length, error: refused[0]?.errors[0] },
          'event log records were refused by Salesforce; the failures stay in the bridge store',
        );
      }
    } catch (error) {
      this.#logger?.error(
        { err: error },
        'event log could not be written; the failures stay in the bridge store',
      );
    }
  }
}

function isOlder(a: CanonicalRecord, b: CanonicalRecord): boolean {
  const va = a.record.resourceVersion;
  const vb = b.record.resourceVersion;
  if (typeof va === 'number' && typeof vb === 'number') return va < vb;
  const ua = a.record.updatedAt ? Date.parse(a.record.updatedAt) : NaN;
  const ub = b.record.updatedAt ? Date.parse(b.record.updatedAt) : NaN;
  if (!Number.isNaN(ua) && !Number.isNaN(ub)) return ua < ub;
  return false;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * Full backfill of one site: every resource, parents first (RESOURCE_ORDER), page by page from
 * the provider's list endpoints into the sync pipeline.
 *
 * - **Resumable.** The cursor of each resource is stored after the records it covers were
 *   written; a killed backfill resumes from there and rewrites at most one batch (upserts, so
 *   nothing is duplicated).
 * - **Batched for Bulk API.** Pages are gathered into batches of `batchRecords` canonical records
 *   before a write, so large stages take Bulk API 2.0 and a 10k-record backfill costs a few dozen
 *   Salesforce calls instead of thousands.
 * - **Overlapped.** The next pages are read from the billing API while the current batch is
 *   written to Salesforce.
 */
import type { ResourceMap, ResourceType, SiteKey } from '../model/canonical.ts';
import { RESOURCE_ORDER } from '../model/canonical.ts';
import type { BillingProvider, Page } from '../providers/provider.ts';
import { emptySummary, mergeSummary } from './pipeline.ts';
import type { SyncPipeline, SyncSummary } from './pipeline.ts';

export interface CursorStore {
  getCursor(siteKey: SiteKey, stream: string): Promise<string | null>;
  setCursor(siteKey: SiteKey, stream: string, value: string | null): Promise<void>;
}

export interface BackfillProgress {
  resource: ResourceType;
  /** Canonical records read so far for this resource. */
  read: number;
  done: boolean;
  summary: SyncSummary;
}

export interface BackfillOptions {
  resources?: readonly ResourceType[];
  pageSize?: number;
  /** Canonical records gathered before one write. Default 5000. */
  batchRecords?: number;
  /** Start over instead of resuming from stored cursors. */
  restart?: boolean;
  onProgress?: (progress: BackfillProgress) => void;
  signal?: AbortSignal;
}

const DONE = '<done>';
export const backfillStream = (resource: ResourceType): string => `backfill:${resource}`;

export async function backfillSite(
  provider: BillingProvider,
  pipeline: SyncPipeline,
  cursors: CursorStore,
  options: BackfillOptions = {},
): Promise<SyncSummary> {
  const siteKey = provider.siteKey;
  const total = emptySummary();
  const resources = RESOURCE_ORDER.filter(
    (r) => !options.resources || options.resources.includes(r),
  );
  if (options.restart) {
    for (const resource of resources)
      await cursors.setCursor(siteKey, backfillStream(resource), null);
  }
  mergeSummary(
    total,
    await pipeline.syncSite(siteKey, { source: 'Backfill', callClass: 'backfill' }),
  );
  for (const resource of resources) {
    const summary = await backfillResource(provider, pipeline, cursors, resource, options);
    mergeSummary(total, summary);
    if (options.signal?.aborted) break;
  }
  return total;
}

async function backfillResource<R extends ResourceType>(
  provider: BillingProvider,
  pipeline: SyncPipeline,
  cursors: CursorStore,
  resource: R,
  options: BackfillOptions,
): Promise<SyncSummary> {
  const siteKey = provider.siteKey;
  const stream = backfillStream(resource);
  const summary = emptySummary();
  let cursor = await cursors.getCursor(siteKey, stream);
  if (cursor === DONE) {
    options.onProgress?.({ resource, read: 0, done: true, summary });
    return summary;
  }
  const batchRecords = options.batchRecords ?? 5000;
  const pageSize = options.pageSize ?? 200;
  let read = 0;
  let finished = false;

  /** Read pages until a batch is full or the resource ends; returns the batch and its end cursor. */
  const readBatch = async (from: string | null) => {
    const records: ResourceMap[R][] = [];
    let at = from;
    let end = false;
    while (records.length < batchRecords) {
      const page: Page<ResourceMap[R]> = await provider.list(resource, { cursor: at, pageSize });
      records.push(...page.records);
      at = page.nextCursor;
      if (at === null) {
        end = true;
        break;
      }
    }
    return { records, cursor: at, end };
  };

  let next = readBatch(cursor);
  while (!finished) {
    const batch = await next;
    finished = batch.end;
    // Read ahead while this batch is written.
    if (!finished && !options.signal?.aborted) next = readBatch(batch.cursor);
    if (batch.records.length > 0) {
      const written = await pipeline.sync(
        siteKey,
        batch.records.map((record) => ({ resource, record }) as never),
        { source: 'Backfill', callClass: 'backfill' },
      );
      mergeSummary(summary, written);
    }
    read += batch.records.length;
    cursor = finished ? DONE : batch.cursor;
    await cursors.setCursor(siteKey, stream, cursor);
    options.onProgress?.({ resource, read, done: finished, summary });
    if (options.signal?.aborted) {
      // Let the read-ahead settle so no request outlives the backfill.
      if (!finished) await next.catch(() => undefined);
      break;
    }
  }
  return summary;
}

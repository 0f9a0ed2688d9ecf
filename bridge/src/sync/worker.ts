/**
 * The sync worker's two jobs:
 *
 * - **A stored webhook delivery** → parse it again from the stored raw body, sync the records it
 *   carries and the event itself, mark it processed. A throw (Salesforce unreachable, API budget
 *   reserved) leaves it to the queue's retry; per-record refusals are already failures in the
 *   Event Log, so the delivery itself is done.
 * - **Failures due for retry** → re-read each failed record's source from the billing platform
 *   (so the retry writes today's data, and a fix made in billing or in the mapping applies) and
 *   sync it again. A record deleted in billing since is closed as Ignored.
 */
import { NotFoundError } from '../errors.ts';
import type { CanonicalRecord, ResourceType, SiteKey } from '../model/canonical.ts';
import type { BillingProvider } from '../providers/provider.ts';
import type { DeliveryStatus } from './intake.ts';
import { emptySummary, mergeSummary } from './pipeline.ts';
import type { SyncPipeline, SyncSummary } from './pipeline.ts';
import type { SourceResource } from './records.ts';

export interface StoredDelivery {
  id: string;
  siteKey: SiteKey;
  eventId: string;
  eventType: string;
  headers: Record<string, string>;
  rawBody: string;
  status: DeliveryStatus;
}

export interface DeliveryWorkerDeps {
  providers: Map<SiteKey, BillingProvider>;
  pipeline: SyncPipeline;
  getDelivery(id: string): Promise<StoredDelivery | null>;
  markDelivery(id: string, status: DeliveryStatus, error?: string | null): Promise<void>;
}

/** Sync one stored delivery. Returns null when there was nothing (left) to do. */
export async function processDelivery(
  deps: DeliveryWorkerDeps,
  deliveryId: string,
): Promise<SyncSummary | null> {
  const delivery = await deps.getDelivery(deliveryId);
  if (!delivery || delivery.status === 'processed' || delivery.status === 'invalid') return null;
  const provider = deps.providers.get(delivery.siteKey);
  if (!provider) {
    await deps.markDelivery(
      deliveryId,
      'failed',
      `site ${delivery.siteKey} is no longer connected`,
    );
    return null;
  }
  let parsed;
  try {
    parsed = provider.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody });
  } catch (error) {
    await deps.markDelivery(deliveryId, 'invalid', (error as Error).message);
    return null;
  }
  const changes: CanonicalRecord[] = [
    ...parsed.changes,
    { resource: 'event', record: parsed.event },
  ];
  const summary = await deps.pipeline.sync(delivery.siteKey, changes, {
    source: 'Webhook',
    callClass: 'live',
    eventId: parsed.eventId,
  });
  await deps.markDelivery(deliveryId, 'processed');
  return summary;
}

export interface DueFailure {
  siteKey: SiteKey;
  sourceResource: SourceResource;
  sourceId: string;
  sobject: string;
  externalId: string;
}

export interface RetryDeps {
  providers: Map<SiteKey, BillingProvider>;
  pipeline: SyncPipeline;
  dueFailures(now: Date, limit: number): Promise<DueFailure[]>;
  /** Close failures that can no longer be retried (the billing record is gone). */
  ignoreFailures(keys: { sobject: string; externalId: string }[], reason: string): Promise<void>;
}

/** Retry the failures that are due: one billing read and one sync per source record. */
export async function retryDueFailures(
  deps: RetryDeps,
  now: Date,
  limit = 500,
): Promise<{ retried: number; summary: SyncSummary }> {
  const due = await deps.dueFailures(now, limit);
  const summary = emptySummary();
  const bySource = new Map<string, DueFailure[]>();
  for (const f of due) {
    const key = `${f.siteKey}|${f.sourceResource}|${f.sourceId}`;
    bySource.set(key, [...(bySource.get(key) ?? []), f]);
  }
  for (const failures of bySource.values()) {
    const first = failures[0] as DueFailure;
    const provider = deps.providers.get(first.siteKey);
    if (!provider) continue;
    if (first.sourceResource === 'site') {
      mergeSummary(summary, await deps.pipeline.syncSite(first.siteKey, { source: 'API' }));
      continue;
    }
    const resource = first.sourceResource as ResourceType;
    let record;
    try {
      record = await provider.get(resource, first.sourceId);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      await deps.ignoreFailures(
        failures.map((f) => ({ sobject: f.sobject, externalId: f.externalId })),
        `${resource} ${first.sourceId} no longer exists in ${first.siteKey}`,
      );
      continue;
    }
    mergeSummary(
      summary,
      await deps.pipeline.sync(first.siteKey, [{ resource, record } as CanonicalRecord], {
        source: 'API',
        callClass: 'live',
        force: true,
      }),
    );
  }
  return { retried: due.length, summary };
}

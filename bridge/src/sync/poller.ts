/**
 * The safety net under webhooks: reads each site's event feed from a stored cursor (Maxio
 * `since_id`, Chargebee `occurred_at` + offset) and syncs every event together with the current
 * state of the records it names (customer, subscription, invoice), re-read from the billing API.
 * A webhook that never arrived, or arrived mangled, is caught up here; one that did arrive is a
 * no-op the second time (same version, same upsert).
 */
import { NotFoundError } from '../errors.ts';
import type { CanonicalRecord, ResourceType } from '../model/canonical.ts';
import type { BillingProvider } from '../providers/provider.ts';
import type { CursorStore } from './backfill.ts';
import { emptySummary, mergeSummary } from './pipeline.ts';
import type { SyncPipeline, SyncSummary } from './pipeline.ts';

export const EVENTS_STREAM = 'events';

export interface PollOptions {
  pageSize?: number;
  /** Pages read in one poll; the rest waits for the next tick. Default 10. */
  maxPages?: number;
  /** Re-read the records events name (default true). */
  fetchRelated?: boolean;
}

export interface PollResult {
  events: number;
  summary: SyncSummary;
  /** True when the feed was read to its end. */
  caughtUp: boolean;
}

export async function pollEvents(
  provider: BillingProvider,
  pipeline: SyncPipeline,
  cursors: CursorStore,
  options: PollOptions = {},
): Promise<PollResult> {
  const siteKey = provider.siteKey;
  const summary = emptySummary();
  let cursor = await cursors.getCursor(siteKey, EVENTS_STREAM);
  let events = 0;
  for (let page = 0; page < (options.maxPages ?? 10); page++) {
    const result = await provider.eventsSince(cursor, { pageSize: options.pageSize ?? 200 });
    const changes: CanonicalRecord[] = result.records.map((record) => ({
      resource: 'event',
      record,
    }));
    if (options.fetchRelated !== false) changes.push(...(await related(provider, result.records)));
    if (changes.length > 0) {
      mergeSummary(
        summary,
        await pipeline.sync(siteKey, changes, { source: 'API', callClass: 'live' }),
      );
    }
    events += result.records.length;
    if (result.nextCursor !== null) {
      cursor = result.nextCursor;
      await cursors.setCursor(siteKey, EVENTS_STREAM, cursor);
    }
    if (result.records.length === 0 || result.nextCursor === null) {
      return { events, summary, caughtUp: true };
    }
  }
  return { events, summary, caughtUp: false };
}

/** The current state of every record the events name, each read once. */
async function related(
  provider: BillingProvider,
  events: {
    customerId?: string | null;
    subscriptionId?: string | null;
    invoiceId?: string | null;
  }[],
): Promise<CanonicalRecord[]> {
  const wanted = new Map<string, { resource: ResourceType; id: string }>();
  for (const e of events) {
    if (e.customerId)
      wanted.set(`customer:${e.customerId}`, { resource: 'customer', id: e.customerId });
    if (e.subscriptionId) {
      wanted.set(`subscription:${e.subscriptionId}`, {
        resource: 'subscription',
        id: e.subscriptionId,
      });
    }
    if (e.invoiceId) wanted.set(`invoice:${e.invoiceId}`, { resource: 'invoice', id: e.invoiceId });
  }
  const out: CanonicalRecord[] = [];
  await Promise.all(
    [...wanted.values()].map(async ({ resource, id }) => {
      try {
        const record = await provider.get(resource, id);
        out.push({ resource, record } as CanonicalRecord);
      } catch (error) {
        // Deleted since the event: nothing to bring up to date.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }),
  );
  return out;
}

/**
 * What the running bridge needs from its store: the sync pipeline's version gate and failures,
 * the cursors of backfills and event feeds, webhook deliveries, the job queue and the
 * subscription-creation ledger. `SqliteStore` is the embedded implementation.
 */
import type { CreationLedger } from '../org-api/ledger.ts';
import type { CursorStore } from '../sync/backfill.ts';
import type { LogStatus, SyncFailureEntry } from '../sync/event-log.ts';
import type { DeliveryInput, DeliveryStatus } from '../sync/intake.ts';
import type { SyncState } from '../sync/pipeline.ts';
import type { DeliveryWorkerDeps, RetryDeps, StoredDelivery } from '../sync/worker.ts';

export type JobHandler = (payload: Record<string, string>) => Promise<void>;

export interface Worker {
  /** Stop taking jobs and wait for the running ones. */
  stop(): Promise<void>;
}

export interface StoreStats {
  deliveries: number;
  openFailures: number;
  resolvedFailures: number;
  versions: number;
  jobs: Record<string, number>;
}

export interface ServiceStore
  extends
    SyncState,
    CursorStore,
    Pick<DeliveryWorkerDeps, 'getDelivery' | 'markDelivery'>,
    Pick<RetryDeps, 'dueFailures' | 'ignoreFailures'> {
  recordDelivery(
    delivery: DeliveryInput,
  ): Promise<{ id: string; duplicate: boolean; status?: DeliveryStatus }>;
  listDeliveries(filter?: { status?: DeliveryStatus; limit?: number }): Promise<StoredDelivery[]>;
  listFailures(filter?: { status?: LogStatus; limit?: number }): Promise<SyncFailureEntry[]>;
  /** Make failures due now (an admin asked for a retry in Salesforce); returns how many. */
  requestRetry(keys: { sobject: string; externalId: string }[], now: Date): Promise<number>;
  enqueue(
    queue: string,
    payload: Record<string, string>,
    options?: { singletonKey?: string },
  ): Promise<void>;
  /** Run `handler` for jobs of `queue` until `stop`; a throw retries the job with backoff. */
  work(queue: string, options: { concurrency: number }, handler: JobHandler): Promise<Worker>;
  creationLedger(): CreationLedger;
  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}

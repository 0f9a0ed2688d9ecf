/**
 * The running bridge (`billing-bridge serve`): one HTTP server and the loops behind it.
 *
 * - HTTP: webhook intake (`POST /webhooks/{siteKey}`), the org API (`/org/v1/*`, the package's
 *   Flows call it through the Named Credential) and `GET /healthz`.
 * - Worker: takes stored deliveries off the queue and syncs them (several processes may run it
 *   against the same Postgres store; the queue hands each job to one of them).
 * - Poller: reads each site's event feed from its cursor every `pollIntervalMs`.
 * - Retrier: re-syncs failures whose retry time has come.
 *
 * Every dependency is injected (store, providers, Salesforce writer), so tests and the local
 * sandbox run the same code with simulators and the emulator behind it.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from './log.ts';
import type { Site, SiteKey } from './model/canonical.ts';
import { SalesforcePreviewSource } from './org-api/preview-source.ts';
import { buildOrgApi } from './org-api/server.ts';
import type { BillingProvider } from './providers/provider.ts';
import type { SalesforceWriter } from './salesforce/writer.ts';
import { backfillSite } from './sync/backfill.ts';
import type { BackfillOptions } from './sync/backfill.ts';
import { webhookIntake } from './sync/intake.ts';
import type { MappingOptions } from './sync/mappings/index.ts';
import { SyncPipeline, emptySummary, mergeSummary } from './sync/pipeline.ts';
import type { SyncSummary } from './sync/pipeline.ts';
import type { ServiceStore } from './store/service-store.ts';
import { pollEvents } from './sync/poller.ts';
import { readRetryRequests } from './sync/retry-requests.ts';
import { processDelivery, retryDueFailures } from './sync/worker.ts';
import type { DeliveryWorkerDeps } from './sync/worker.ts';

export const DELIVERY_QUEUE = 'sync-delivery';

export interface ConnectedSite {
  site: Site;
  provider: BillingProvider;
}

export interface BridgeServiceOptions {
  store: ServiceStore;
  sites: ConnectedSite[];
  writer: SalesforceWriter;
  orgs: { id: string; token: string }[];
  version: string;
  logger?: Logger;
  mapping?: MappingOptions;
  host?: string;
  port?: number;
  /** Run the queue worker in this process (default true). */
  worker?: boolean;
  workerConcurrency?: number;
  /** Poll event feeds every … ms; 0 turns the poller off. Default 60 s. */
  pollIntervalMs?: number;
  /** Look for failures due for retry every … ms; 0 turns it off. Default 30 s. */
  retryIntervalMs?: number;
}

export interface BridgeService {
  url: string;
  app: FastifyInstance;
  pipeline: SyncPipeline;
  /** What the worker, poller and retrier synced since start. */
  totals: SyncSummary;
  counters: { deliveries: number; polls: number; retries: number; errors: number };
  backfill(siteKey: SiteKey, options?: BackfillOptions): Promise<SyncSummary>;
  pollOnce(): Promise<number>;
  retryOnce(): Promise<number>;
  close(): Promise<void>;
}

export async function startBridgeService(options: BridgeServiceOptions): Promise<BridgeService> {
  const { store, logger } = options;
  const providers = new Map<SiteKey, BillingProvider>(
    options.sites.map((s) => [s.site.key, s.provider]),
  );
  const pipeline = new SyncPipeline({
    writer: options.writer,
    state: store,
    sites: new Map(options.sites.map((s) => [s.site.key, s.site])),
    ...(options.mapping ? { mapping: options.mapping } : {}),
    ...(logger ? { logger } : {}),
  });
  const totals = emptySummary();
  const counters = { deliveries: 0, polls: 0, retries: 0, errors: 0 };

  const app = buildOrgApi({
    orgs: options.orgs,
    sites: options.sites,
    ledger: store.creationLedger(),
    previewSource: new SalesforcePreviewSource(options.writer.conn),
    version: options.version,
  });
  await app.register(webhookIntake, {
    providers,
    recordDelivery: (d) => store.recordDelivery(d),
    enqueueDelivery: (deliveryId, siteKey) =>
      store.enqueue(
        DELIVERY_QUEUE,
        { deliveryId, siteKey },
        { singletonKey: `delivery:${deliveryId}` },
      ),
    ...(logger ? { logger } : {}),
  });
  app.get('/healthz', async () => ({ status: 'ok', version: options.version }));
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });

  // Deliveries stored but never queued (a crash between the two) are queued now.
  for (const stranded of await store.listDeliveries({ status: 'received', limit: 100_000 })) {
    await store.enqueue(
      DELIVERY_QUEUE,
      { deliveryId: stranded.id, siteKey: stranded.siteKey },
      { singletonKey: `delivery:${stranded.id}` },
    );
  }

  const workerDeps: DeliveryWorkerDeps = {
    providers,
    pipeline,
    getDelivery: (id) => store.getDelivery(id),
    markDelivery: (id, status, error) => store.markDelivery(id, status, error),
  };
  const stoppers: (() => Promise<void>)[] = [];
  if (options.worker !== false) {
    const worker = await store.work(
      DELIVERY_QUEUE,
      { concurrency: options.workerConcurrency ?? 4 },
      async (payload) => {
        const summary = await processDelivery(workerDeps, payload.deliveryId as string);
        if (summary) {
          counters.deliveries += 1;
          mergeSummary(totals, summary);
        }
      },
    );
    stoppers.push(() => worker.stop());
  }

  const pollOnce = async (): Promise<number> => {
    let events = 0;
    for (const { provider } of options.sites) {
      const result = await pollEvents(provider, pipeline, store);
      events += result.events;
      mergeSummary(totals, result.summary);
    }
    counters.polls += 1;
    return events;
  };
  const retryOnce = async (): Promise<number> => {
    // Retries an admin asked for in Salesforce (Event Log entries set to Retrying, due now).
    try {
      const requests = await readRetryRequests(options.writer.conn);
      if (requests.length > 0) {
        await store.requestRetry(
          requests.map((r) => ({ sobject: r.sobject, externalId: r.externalId })),
          new Date(),
        );
      }
    } catch (error) {
      logger?.warn({ err: error }, 'retry requests could not be read from Salesforce');
    }
    const { retried, summary } = await retryDueFailures(
      {
        providers,
        pipeline,
        dueFailures: (now, limit) => store.dueFailures(now, limit),
        ignoreFailures: (keys, reason) => store.ignoreFailures(keys, reason),
      },
      new Date(),
    );
    counters.retries += retried;
    mergeSummary(totals, summary);
    return retried;
  };

  const every = (ms: number, name: string, fn: () => Promise<unknown>) => {
    if (ms <= 0) return;
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      fn()
        .catch((error: unknown) => {
          counters.errors += 1;
          logger?.error({ err: error }, `${name} failed; it runs again in ${ms} ms`);
        })
        .finally(() => {
          running = false;
        });
    }, ms);
    timer.unref();
    stoppers.push(async () => clearInterval(timer));
  };
  every(options.pollIntervalMs ?? 60_000, 'event poll', pollOnce);
  every(options.retryIntervalMs ?? 30_000, 'failure retry', retryOnce);

  return {
    url,
    app,
    pipeline,
    totals,
    counters,
    backfill: (siteKey, backfillOptions) => {
      const provider = providers.get(siteKey);
      if (!provider) throw new Error(`site ${siteKey} is not connected to this bridge`);
      return backfillSite(provider, pipeline, store, backfillOptions);
    },
    pollOnce,
    retryOnce,
    async close() {
      for (const stop of stoppers.reverse()) await stop();
      await app.close();
    },
  };
}

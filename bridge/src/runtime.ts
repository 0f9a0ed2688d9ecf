/**
 * The bridge's parts, built from its configuration: the store, one provider per connected site,
 * and the Salesforce writer over a jsforce connection logged in as the integration user. `serve`
 * and `backfill` both start here, so they always agree on where state lives.
 */
import { join } from 'node:path';
import type { BridgeConfig } from './config/schema.ts';
import { ConfigurationError } from './errors.ts';
import type { Logger } from './log.ts';
import { createProvider, siteOf } from './providers/index.ts';
import { ApiBudget } from './salesforce/budget.ts';
import { createSalesforceConnection, loginSalesforce } from './salesforce/connection.ts';
import { SalesforceWriter } from './salesforce/writer.ts';
import type { ConnectedSite } from './service.ts';
import type { ServiceStore } from './store/service-store.ts';
import { SqliteStore } from './store/sqlite.ts';

export interface Runtime {
  store: ServiceStore;
  sites: ConnectedSite[];
  writer: SalesforceWriter;
  close(): Promise<void>;
}

export async function openStore(config: BridgeConfig): Promise<ServiceStore> {
  if (config.store.kind === 'sqlite') {
    return new SqliteStore({
      path: config.store.path ?? join(config.dataDir, 'bridge.db'),
      leaseMs: config.sync.jobLeaseSeconds * 1000,
    });
  }
  const mod = (await import(new URL('./store/postgres.ts', import.meta.url).href)) as {
    openPostgresStore?: (url: string) => Promise<ServiceStore>;
  };
  if (!mod.openPostgresStore) {
    throw new ConfigurationError('this build of the bridge has no PostgreSQL store');
  }
  return mod.openPostgresStore(config.store.url);
}

export async function openRuntime(
  config: BridgeConfig,
  options: { logger?: Logger } = {},
): Promise<Runtime> {
  if (!config.salesforce) {
    throw new ConfigurationError(
      'salesforce is not configured: set salesforce.clientId and a JWT key or client secret (see README, "Connecting a real org")',
    );
  }
  if (config.sites.length === 0) {
    throw new ConfigurationError('no billing site is connected: billing-bridge sites add …');
  }
  const sites: ConnectedSite[] = [];
  for (const site of config.sites) {
    sites.push({
      site: siteOf(site),
      provider: createProvider(site, options.logger ? { logger: options.logger } : {}),
    });
  }
  const conn = createSalesforceConnection(config.salesforce);
  await loginSalesforce(conn, config.salesforce);
  const writer = new SalesforceWriter({
    conn,
    budget: new ApiBudget({
      backfillStopAt: config.sync.backfillStopAt,
      liveStopAt: config.sync.liveStopAt,
    }),
    bulkThreshold: config.sync.bulkThreshold,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const store = await openStore(config);
  return {
    store,
    sites,
    writer,
    close: () => store.close(),
  };
}

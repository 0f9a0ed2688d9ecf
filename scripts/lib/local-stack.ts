/**
 * The whole product on one machine, on the embedded defaults: the Maxio and Chargebee simulators
 * (sending their webhooks to the bridge), the Salesforce emulator built from force-app, the
 * embedded SQLite store, and the bridge service over them. The sandbox, the benchmarks and the
 * end-to-end tests start it; nothing here is a test double: every hop is real HTTP on 127.0.0.1.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startChargebeeSimulator } from '../../stand-ins/chargebee-simulator/index.ts';
import type { ChargebeeSimulator } from '../../stand-ins/chargebee-simulator/index.ts';
import { startMaxioSimulator } from '../../stand-ins/maxio-simulator/index.ts';
import type { MaxioSimulator } from '../../stand-ins/maxio-simulator/index.ts';
import { startSalesforceEmulator } from '../../stand-ins/salesforce-emulator/index.ts';
import type { SalesforceEmulator } from '../../stand-ins/salesforce-emulator/index.ts';
import type { Logger } from '../../bridge/src/log.ts';
import { siteKeyOf } from '../../bridge/src/model/canonical.ts';
import { ChargebeeProvider } from '../../bridge/src/providers/chargebee/index.ts';
import { MaxioProvider } from '../../bridge/src/providers/maxio/index.ts';
import { ApiBudget } from '../../bridge/src/salesforce/budget.ts';
import { createSalesforceConnection } from '../../bridge/src/salesforce/connection.ts';
import { SalesforceWriter } from '../../bridge/src/salesforce/writer.ts';
import { startBridgeService } from '../../bridge/src/service.ts';
import type { BridgeService, ConnectedSite } from '../../bridge/src/service.ts';
import { SqliteStore } from '../../bridge/src/store/sqlite.ts';
import { freePort } from '../../stand-ins/common/net.ts';

export interface LocalStackOptions {
  dataDir: string;
  seed?: number;
  /** Simulator data volume (30 customers per unit, per site). */
  scale?: number;
  /** Start the Chargebee site too (default true). */
  chargebee?: boolean;
  /** Keep the store from an earlier run (crash tests); default: start empty. */
  keepStore?: boolean;
  bridgePort?: number;
  bulkThreshold?: number;
  logger?: Logger;
}

export interface LocalStack {
  sf: SalesforceEmulator;
  maxio: MaxioSimulator;
  chargebee: ChargebeeSimulator | null;
  store: SqliteStore;
  bridge: BridgeService;
  sites: ConnectedSite[];
  writer: SalesforceWriter;
  maxioProvider: MaxioProvider;
  chargebeeProvider: ChargebeeProvider | null;
  close(): Promise<void>;
}

export const MAXIO_SHARED_KEY = 'sandbox-maxio-shared-key';
export const CHARGEBEE_WEBHOOK = {
  username: 'sandbox-webhooks',
  password: 'sandbox-webhook-password',
};

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const storePath = join(options.dataDir, 'bridge.db');
  if (!options.keepStore) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${storePath}${suffix}`, { force: true });
  }
  const port = options.bridgePort ?? (await freePort());
  const bridgeUrl = `http://127.0.0.1:${port}`;
  const seed = options.seed ?? 1;
  const sf = await startSalesforceEmulator({ port: 0 });
  const maxio = await startMaxioSimulator({
    seed,
    site: 'acme',
    ...(options.scale ? { scale: options.scale } : {}),
    webhook: { url: `${bridgeUrl}/webhooks/maxio:acme`, secret: MAXIO_SHARED_KEY },
    webhookSchedule: [200, 1000, 5000, 15000],
    maxConcurrent: 4,
  });
  const chargebee =
    options.chargebee === false
      ? null
      : await startChargebeeSimulator({
          seed,
          site: 'acme-test',
          ...(options.scale ? { scale: options.scale } : {}),
          webhook: { url: `${bridgeUrl}/webhooks/chargebee:acme-test`, ...CHARGEBEE_WEBHOOK },
          webhookSchedule: [200, 1000, 5000, 15000, 30000, 60000, 120000],
        });
  if (chargebee) seedOpportunities(sf, chargebee.data.subscriptions);
  const maxioProvider = new MaxioProvider({
    siteName: 'acme',
    apiKey: 'sandbox-maxio-api-key',
    baseUrl: maxio.url,
    webhookSecret: MAXIO_SHARED_KEY,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const chargebeeProvider = chargebee
    ? new ChargebeeProvider({
        siteName: 'acme-test',
        apiKey: 'test_sandboxChargebeeKey0123',
        baseUrl: chargebee.url,
        webhookUsername: CHARGEBEE_WEBHOOK.username,
        webhookPassword: CHARGEBEE_WEBHOOK.password,
        ...(options.logger ? { logger: options.logger } : {}),
      })
    : null;
  const sites: ConnectedSite[] = [
    {
      site: {
        key: siteKeyOf('maxio', 'acme'),
        provider: 'maxio',
        name: 'acme',
        region: 'us',
        defaultCurrency: 'USD',
      },
      provider: maxioProvider,
    },
    ...(chargebeeProvider
      ? [
          {
            site: {
              key: siteKeyOf('chargebee', 'acme-test'),
              provider: 'chargebee' as const,
              name: 'acme-test',
              defaultCurrency: 'USD',
            },
            provider: chargebeeProvider,
          },
        ]
      : []),
  ];
  const conn = createSalesforceConnection({
    loginUrl: sf.url,
    instanceUrl: sf.url,
    apiVersion: '62.0',
    clientId: sf.clientId,
    clientSecret: sf.clientSecret,
  });
  const writer = new SalesforceWriter({
    conn,
    budget: new ApiBudget(),
    ...(options.bulkThreshold ? { bulkThreshold: options.bulkThreshold } : {}),
    bulkPollIntervalMs: 50,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const store = new SqliteStore({ path: storePath, pollMs: 10 });
  const bridge = await startBridgeService({
    store,
    sites,
    writer,
    orgs: [],
    version: 'sandbox',
    port,
    pollIntervalMs: 0,
    retryIntervalMs: 0,
    workerConcurrency: 4,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    sf,
    maxio,
    chargebee,
    store,
    bridge,
    sites,
    writer,
    maxioProvider,
    chargebeeProvider,
    async close() {
      await bridge.close();
      await maxio.close();
      await chargebee?.close();
      await store.close();
      await sf.close();
    },
  };
}

/**
 * The Opportunities the simulators' subscriptions say they came from exist in the org, as they
 * would in a real one (the bridge created those subscriptions at Closed/Won).
 */
export function seedOpportunities(
  sf: SalesforceEmulator,
  subscriptions: Record<string, unknown>[],
): number {
  let seeded = 0;
  for (const s of subscriptions) {
    const id = (s.meta_data as { salesforce_opportunity_id?: string } | undefined)
      ?.salesforce_opportunity_id;
    if (!id || sf.record('Opportunity', id)) continue;
    sf.seed(
      'Opportunity',
      { Name: `Deal for ${String(s.id)}`, StageName: 'Closed Won', CloseDate: '2026-01-15' },
      id,
    );
    seeded += 1;
  }
  return seeded;
}

/** Wait until the store has no queued or running sync job (the webhooks have landed). */
export async function settle(stack: LocalStack, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await stack.maxio.webhooks?.idle();
    await stack.chargebee?.webhooks?.idle();
    const jobs = stack.store.jobCounts();
    if (!jobs.queued && !jobs.active) return;
    if (Date.now() > deadline) throw new Error(`sync did not settle: ${JSON.stringify(jobs)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * `npm run bench`: the sync engine's figures, measured on this machine and printed one per line
 * as `name: value`. Nothing here asserts a speed; compare ratios from one run.
 *
 * The stand-ins (Salesforce emulator, Maxio and Chargebee simulators) run in a child process, so
 * this process holds only the bridge: its peak RSS is the bridge's.
 *
 * - backfill of both sites (BENCH_SCALE, default 128: about 100k Salesforce records) →
 *   `backfill_records`, `backfill_seconds`, `backfill_records_per_s`, `api_calls_per_10k_records`,
 *   `peak_rss_mb`, and `backfill_complete` (record counts in the org equal the sites');
 * - the same records, pre-mapped, loaded straight into a fresh emulator with the same writer →
 *   `raw_load_seconds`, `backfill_vs_raw_load_ratio`;
 * - a burst of BENCH_BURST (default 200) billing changes whose webhooks the bridge syncs →
 *   `webhook_to_salesforce_p50_ms`, `webhook_to_salesforce_p95_ms` (webhook received → written).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { siteKeyOf } from '../bridge/src/model/canonical.ts';
import type { CanonicalRecord, ResourceType } from '../bridge/src/model/canonical.ts';
import { RESOURCE_ORDER } from '../bridge/src/model/canonical.ts';
import { ChargebeeProvider } from '../bridge/src/providers/chargebee/index.ts';
import { MaxioProvider } from '../bridge/src/providers/maxio/index.ts';
import type { BillingProvider } from '../bridge/src/providers/provider.ts';
import { createSalesforceConnection } from '../bridge/src/salesforce/connection.ts';
import { SalesforceWriter } from '../bridge/src/salesforce/writer.ts';
import { startBridgeService } from '../bridge/src/service.ts';
import type { ConnectedSite } from '../bridge/src/service.ts';
import { SqliteStore } from '../bridge/src/store/sqlite.ts';
import { backfillSite } from '../bridge/src/sync/backfill.ts';
import { ALL_OBJECT_MAPPINGS, mapCanonical, mapSite } from '../bridge/src/sync/mappings/index.ts';
import type { SalesforceRecord } from '../bridge/src/sync/records.ts';
import { CHARGEBEE_WEBHOOK, MAXIO_SHARED_KEY } from './lib/local-stack.ts';
import { freePort } from '../stand-ins/common/net.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const scale = Number(process.env.BENCH_SCALE ?? 128);
const burst = Number(process.env.BENCH_BURST ?? 200);
const print = (name: string, value: string | number) => console.log(`${name}: ${value}`);

/** Start a child that prints one JSON line when ready. */
async function child(
  args: string[],
): Promise<{ proc: ChildProcess; ready: Record<string, unknown> }> {
  const proc = spawn(node, ['--no-warnings', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<Record<string, unknown>>((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`${args[0]} exited with ${code}`)));
    lines.once('line', (line) => ok(JSON.parse(line) as Record<string, unknown>));
  });
  return { proc, ready };
}

const dir = mkdtempSync(join(tmpdir(), 'bb-bench-'));
const port = await freePort();
const bridgeUrl = `http://127.0.0.1:${port}`;
const standIns = await child([
  'scripts/lib/stand-ins-main.ts',
  '--bridge-url',
  bridgeUrl,
  '--scale',
  String(scale),
]);
const sfInfo = standIns.ready.salesforce as { url: string; clientId: string; clientSecret: string };
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 100);

try {
  const maxio = new MaxioProvider({
    siteName: 'acme',
    apiKey: 'bench',
    baseUrl: standIns.ready.maxio as string,
    webhookSecret: MAXIO_SHARED_KEY,
  });
  const chargebee = new ChargebeeProvider({
    siteName: 'acme-test',
    apiKey: 'test_benchKey0123456789',
    baseUrl: standIns.ready.chargebee as string,
    webhookUsername: CHARGEBEE_WEBHOOK.username,
    webhookPassword: CHARGEBEE_WEBHOOK.password,
  });
  const sites: ConnectedSite[] = [
    {
      site: {
        key: siteKeyOf('maxio', 'acme'),
        provider: 'maxio',
        name: 'acme',
        region: 'us',
        defaultCurrency: 'USD',
      },
      provider: maxio,
    },
    {
      site: {
        key: siteKeyOf('chargebee', 'acme-test'),
        provider: 'chargebee',
        name: 'acme-test',
        defaultCurrency: 'USD',
      },
      provider: chargebee,
    },
  ];
  const writerFor = (sf: { url: string; clientId: string; clientSecret: string }) =>
    new SalesforceWriter({
      conn: createSalesforceConnection({
        loginUrl: sf.url,
        instanceUrl: sf.url,
        apiVersion: '62.0',
        clientId: sf.clientId,
        clientSecret: sf.clientSecret,
      }),
      bulkPollIntervalMs: 100,
    });
  const writer = writerFor(sfInfo);
  const store = new SqliteStore({ path: join(dir, 'bridge.db'), pollMs: 5 });
  const bridge = await startBridgeService({
    store,
    sites,
    writer,
    orgs: [],
    version: 'bench',
    port,
    pollIntervalMs: 0,
    retryIntervalMs: 0,
    workerConcurrency: 8,
  });

  // -- backfill ----------------------------------------------------------------------------
  await writer.ensureStandardPricebook();
  const usage0 = writer.budget.usage?.used ?? 0;
  const t0 = performance.now();
  let written = 0;
  let failed = 0;
  for (const { provider } of sites) {
    const summary = await backfillSite(provider, bridge.pipeline, store, { batchRecords: 5000 });
    written += Object.values(summary.written).reduce((a, b) => a + b, 0);
    failed += Object.values(summary.failed).reduce((a, b) => a + b, 0);
  }
  const backfillSeconds = (performance.now() - t0) / 1000;
  const apiCalls = (writer.budget.usage?.used ?? 0) - usage0;
  const rssAfterBackfill = peakRss;
  print('bench_scale', scale);
  print('backfill_records', written);
  print('backfill_failed_records', failed);
  print('backfill_seconds', backfillSeconds.toFixed(2));
  print('backfill_records_per_s', Math.round(written / backfillSeconds));
  print('api_calls_during_backfill', apiCalls);
  print('api_calls_per_10k_records', ((apiCalls / Math.max(1, written)) * 10_000).toFixed(1));
  print('peak_rss_mb', Math.round(rssAfterBackfill / 1024 / 1024));

  // Completeness: the org holds as many subscriptions and accounts as the sites.
  const counts = standIns.ready.counts as Record<string, Record<string, number>>;
  const conn = writer.conn;
  const count = async (soql: string) => (await conn.query(soql)).totalSize;
  const subs = await count('SELECT COUNT() FROM Subscription__c');
  const accounts = await count('SELECT COUNT() FROM Account WHERE Billing_External_Id__c != null');
  const expectedSubs = (counts.maxio?.subscriptions ?? 0) + (counts.chargebee?.subscriptions ?? 0);
  const expectedAccounts = (counts.maxio?.customers ?? 0) + (counts.chargebee?.customers ?? 0);
  print(
    'backfill_complete',
    subs === expectedSubs && accounts === expectedAccounts
      ? 'yes'
      : `no (${subs}/${expectedSubs} subscriptions, ${accounts}/${expectedAccounts} accounts)`,
  );

  // Every mapped field: how many have a value on at least one record in the org.
  const fieldsByObject = new Map<string, Set<string>>();
  for (const mapping of ALL_OBJECT_MAPPINGS) {
    const set = fieldsByObject.get(mapping.sobject) ?? new Set<string>();
    for (const f of mapping.fields) set.add(f.field);
    for (const r of mapping.references) set.add(r.field);
    fieldsByObject.set(mapping.sobject, set);
  }
  const never: string[] = [];
  let mappedFields = 0;
  for (const [sobject, fields] of fieldsByObject) {
    // Fields the org does not have (CurrencyIsoCode without multi-currency) are not expected.
    const described = new Set((await conn.sobject(sobject).describe()).fields.map((f) => f.name));
    const list = [...fields].filter((f) => described.has(f));
    mappedFields += list.length;
    const seen = new Set<string>();
    let result = await conn.query<Record<string, unknown>>(
      `SELECT ${list.join(', ')} FROM ${sobject}`,
    );
    for (;;) {
      for (const record of result.records) {
        for (const f of list) if (record[f] !== null && record[f] !== undefined) seen.add(f);
      }
      if (result.done || !result.nextRecordsUrl || seen.size === list.length) break;
      result = await conn.queryMore<Record<string, unknown>>(result.nextRecordsUrl);
    }
    for (const f of list) if (!seen.has(f)) never.push(`${sobject}.${f}`);
  }
  print('mapped_fields_populated', `${mappedFields - never.length}/${mappedFields}`);
  print('mapped_fields_never_populated', never.length === 0 ? '-' : never.join(' '));

  // -- raw load of the same records ------------------------------------------------------
  const records: SalesforceRecord[] = [];
  for (const { site, provider } of sites) {
    records.push(...mapSite(site));
    for (const resource of RESOURCE_ORDER) {
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<BillingProvider['list']>> = await provider.list(
          resource as ResourceType,
          { cursor, pageSize: 200 },
        );
        for (const record of page.records) {
          try {
            records.push(...mapCanonical({ resource, record } as CanonicalRecord, { site }));
          } catch {
            // unmappable records are failures in the backfill too
          }
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
  }
  const fresh = await child(['bridge/bin/billing-bridge.js', 'emulate-salesforce', '--json']);
  try {
    const freshSf = (
      fresh.ready as { salesforce: { instanceUrl: string; clientId: string; clientSecret: string } }
    ).salesforce;
    const rawWriter = writerFor({
      url: freshSf.instanceUrl,
      clientId: freshSf.clientId,
      clientSecret: freshSf.clientSecret,
    });
    await rawWriter.ensureStandardPricebook();
    const t1 = performance.now();
    await rawWriter.write(records, { callClass: 'backfill' });
    const rawSeconds = (performance.now() - t1) / 1000;
    print('raw_load_records', records.length);
    print('raw_load_seconds', rawSeconds.toFixed(2));
    print('backfill_vs_raw_load_ratio', (backfillSeconds / rawSeconds).toFixed(2));
  } finally {
    fresh.proc.kill('SIGTERM');
  }

  // -- webhook burst ---------------------------------------------------------------------
  const before = new Set((await store.listDeliveries({ limit: 1_000_000 })).map((d) => d.id));
  const plans = new Map<
    BillingProvider,
    { pricePointId: string; productId: string; customers: string[] }
  >();
  for (const { provider } of sites) {
    const pricePoints = (await provider.list('pricePoint', { pageSize: 100 })).records;
    const plan = pricePoints.find(
      (p) =>
        p.isDefault &&
        p.currency === 'USD' &&
        !p.trialPeriod &&
        p.period &&
        !p.productId.startsWith('component:') &&
        (p.pricingModel === 'flat_fee' || p.pricingModel === 'per_unit'),
    );
    const customers = (await provider.list('customer', { pageSize: 100 })).records.map((c) => c.id);
    if (plan) plans.set(provider, { pricePointId: plan.id, productId: plan.productId, customers });
  }
  const tBurst = performance.now();
  await Promise.all(
    Array.from({ length: burst }, async (_, i) => {
      const provider = (sites[i % sites.length] as ConnectedSite).provider;
      const plan = plans.get(provider);
      if (!plan) return;
      await provider.createSubscription(
        {
          customer: { id: plan.customers[i % plan.customers.length] ?? null },
          productId: plan.productId,
          pricePointId: plan.pricePointId,
          planQuantity: '1',
          items: [],
          couponCodes: [],
          currency: 'USD',
        },
        `bench-burst-${i}-${Date.now()}`,
      );
    }),
  );
  const deadline = Date.now() + 120_000;
  for (;;) {
    const jobs = store.jobCounts();
    const deliveries = (await store.listDeliveries({ limit: 1_000_000 })).filter(
      (d) => !before.has(d.id),
    );
    if (deliveries.length >= burst && !jobs.queued && !jobs.active) break;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const rows = store.db
    .prepare(
      "SELECT received_at, processed_at FROM deliveries WHERE status = 'processed' AND id > ?",
    )
    .all(before.size === 0 ? 0 : Math.max(...[...before].map(Number))) as {
    received_at: string;
    processed_at: string;
  }[];
  const latencies = rows
    .map((r) => Date.parse(r.processed_at) - Date.parse(r.received_at))
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  print('webhook_burst_changes', burst);
  print('webhook_burst_deliveries_synced', latencies.length);
  print('webhook_burst_seconds', ((performance.now() - tBurst) / 1000).toFixed(2));
  print('webhook_to_salesforce_p50_ms', pct(50));
  print('webhook_to_salesforce_p95_ms', pct(95));

  await bridge.close();
  await store.close();
} finally {
  clearInterval(sampler);
  standIns.proc.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

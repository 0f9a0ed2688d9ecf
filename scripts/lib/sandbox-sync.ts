/**
 * The sandbox's sync stage: start the local stack, backfill both billing sites into the
 * Salesforce emulator with a progress bar per resource, then make live changes on the billing
 * sites (new subscriptions, customer edits) whose webhooks the bridge syncs, and print what was
 * done: records per object, Salesforce API calls, Event Log entries, webhook deliveries.
 */
import { MultiBar, Presets } from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import { backfillSite } from '../../bridge/src/sync/backfill.ts';
import { emptySummary, mergeSummary } from '../../bridge/src/sync/pipeline.ts';
import type { SubscriptionRequest } from '../../bridge/src/model/canonical.ts';
import type { BillingProvider } from '../../bridge/src/providers/provider.ts';
import { settle, startLocalStack } from './local-stack.ts';
import type { LocalStack } from './local-stack.ts';

export interface SandboxSyncOptions {
  dataDir: string;
  scale: number;
  liveChanges: number;
  follow: boolean;
  waitForShutdown: () => Promise<unknown>;
  log: (line: string) => void;
}

/** A subscription request built from what the site's catalog offers. */
async function requestFrom(provider: BillingProvider, i: number): Promise<SubscriptionRequest> {
  const customers = (await provider.list('customer', { pageSize: 20 })).records;
  const pricePoints = (await provider.list('pricePoint', { pageSize: 100 })).records;
  const plan = pricePoints.find(
    (p) =>
      p.isDefault &&
      p.currency === 'USD' &&
      !p.trialPeriod &&
      p.period &&
      (p.pricingModel === 'flat_fee' || p.pricingModel === 'per_unit') &&
      !p.productId.startsWith('component:'),
  );
  if (!plan) throw new Error(`${provider.siteKey} has no default USD plan price`);
  const customer = customers[i % customers.length];
  return {
    customer: { id: customer?.id ?? null },
    productId: plan.productId,
    pricePointId: plan.id,
    planQuantity: '1',
    items: [],
    couponCodes: [],
    currency: 'USD',
    opportunityId: null,
  };
}

export async function runSandboxSync(options: SandboxSyncOptions): Promise<number> {
  const { log } = options;
  const t0 = Date.now();
  log(
    '5. Starting the local stack: Salesforce emulator, Maxio and Chargebee simulators, the bridge (embedded store)',
  );
  const stack: LocalStack = await startLocalStack({
    dataDir: options.dataDir,
    scale: options.scale,
  });
  try {
    log(
      `   Salesforce emulator ${stack.sf.url}, Maxio ${stack.maxio.url}, Chargebee ${stack.chargebee?.url ?? '-'}`,
    );
    log(
      `   bridge ${stack.bridge.url}: webhooks at /webhooks/maxio:acme and /webhooks/chargebee:acme-test`,
    );

    log('6. Backfilling both sites into Salesforce');
    const bars = process.stdout.isTTY
      ? new MultiBar(
          {
            format: '   {site} {resource} |{bar}| {value} read',
            hideCursor: true,
            clearOnComplete: false,
          },
          Presets.shades_classic,
        )
      : null;
    const total = emptySummary();
    for (const { site, provider } of stack.sites) {
      const perResource = new Map<string, SingleBar>();
      const summary = await backfillSite(provider, stack.bridge.pipeline, stack.store, {
        onProgress: (p) => {
          if (bars) {
            let bar = perResource.get(p.resource);
            if (!bar) {
              bar = bars.create(1, 0, {
                site: site.key.padEnd(19),
                resource: p.resource.padEnd(13),
              });
              perResource.set(p.resource, bar);
            }
            bar.setTotal(Math.max(1, p.read));
            bar.update(p.read);
          } else if (p.done) {
            log(`   ${site.key} ${p.resource}: ${p.read} read`);
          }
        },
      });
      mergeSummary(total, summary);
    }
    bars?.stop();
    const backfillMs = Date.now() - t0;

    log(
      `7. Live changes on the billing sites: ${options.liveChanges} new subscriptions and customer edits per site, synced from their webhooks`,
    );
    const t1 = Date.now();
    for (const { provider } of stack.sites) {
      for (let i = 0; i < options.liveChanges; i++) {
        const request = await requestFrom(provider, i);
        await provider.createSubscription(
          request,
          `sandbox-${provider.siteKey}-${Date.now()}-${i}`,
        );
        const customer = request.customer.id;
        if (customer)
          await provider.updateCustomer(
            customer,
            { phone: `+1 555 0${100 + i}` },
            `sandbox-phone-${customer}-${i}`,
          );
      }
    }
    await settle(stack);
    const liveMs = Date.now() - t1;
    mergeSummary(total, stack.bridge.totals);

    log('8. What landed in Salesforce');
    const objects = [...stack.sf.schema.objects.keys()]
      .map((name) => [name, stack.sf.records(name).length] as const)
      .filter(([name, n]) => n > 0 && name !== 'User')
      .sort(([a], [b]) => a.localeCompare(b));
    for (const [name, n] of objects) log(`   ${name.padEnd(34)} ${String(n).padStart(8)}`);
    const logs = stack.sf.records('Billing_Event_Log__c');
    const stats = await stack.store.stats();
    const failed = Object.values(total.failed).reduce((a, b) => a + b, 0);
    log(
      `   Salesforce API calls: ${stack.sf.stats.apiCalls} (${Object.entries(stack.sf.stats.byKind)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    );
    log(
      `   records written: ${stack.sf.stats.recordsWritten.collections} through sObject Collections, ${stack.sf.stats.recordsWritten.bulk} through Bulk API 2.0`,
    );
    log(
      `   webhook deliveries stored: ${stats.deliveries}, synced: ${stack.bridge.counters.deliveries}`,
    );
    log(
      `   Event Log: ${logs.length} entr${logs.length === 1 ? 'y' : 'ies'} (${failed} record failures, ${stats.openFailures} open and retried automatically)`,
    );
    for (const entry of logs.slice(0, 5)) {
      log(
        `     - ${String(entry.Related_Object__c)} ${String(entry.Record_External_Id__c)}: ${String(entry.Error_Code__c)} ${String(entry.Error_Message__c).slice(0, 100)}`,
      );
    }
    log(
      `   backfill ${(backfillMs / 1000).toFixed(1)} s, live changes ${(liveMs / 1000).toFixed(1)} s`,
    );
    if (options.follow) {
      log(`Following: the bridge keeps syncing at ${stack.bridge.url}; Ctrl-C to stop.`);
      await options.waitForShutdown();
    }
    return 0;
  } finally {
    await stack.close();
  }
}
